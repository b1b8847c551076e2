/* fi: the F-I curve, firing rate against a parameter by simulation, swept up and down so
   that a bistable window shows as hysteresis. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/fi_view.h"
#include "../language/args.h"
#include "../language/exec.h"
#include "learn_cmd.h"
#include "modules.h"
#include "../language/progress.h"
#include "../language/target.h"

/* Progress shows only for sweeps that take a while, and then a few times a second. */
#define PROGRESS_DELAY 0.5
#define PROGRESS_EVERY 0.25

typedef struct progress {
    nd_progress pr;
    const char *par;
} progress;

static void on_progress(void *ctx, size_t done, size_t total, int up, double value)
{
    progress *p = ctx;
    if (!nd_progress_due(&p->pr, PROGRESS_DELAY, PROGRESS_EVERY)) return;
    char text[160];
    nd_fi_progress_text(p->par, up, value, done, total, p->pr.last - p->pr.start, text,
                        sizeof text);
    nd_progress_text(&p->pr, text);
}

/* ---- reading the call ---- */

typedef struct fi_call {
    const char *par;
    nd_fi_options o;
    int plot;
} fi_call;

static nd_status read_sweep(nd_cmd_ctx *ctx, fi_call *fc, nd_error *err)
{
    const nd_arg *s = nd_arg_opt(ctx, "sweep");
    char *w = NULL;
    nd_status st = nd_arg_opt_word(ctx, "sweep", "both", &w, err);
    if (st != ND_OK) return st;
    fc->o.up = strcmp(w, "both") == 0 || strcmp(w, "up") == 0;
    fc->o.down = strcmp(w, "both") == 0 || strcmp(w, "down") == 0;
    if (!fc->o.up && !fc->o.down)
        st = nd_arg_error(s, err, ND_EVALUE, "sweep must be both, up or down, not '%s'", w);
    free(w);
    return st;
}

/* The spiking state: var= when given, else V, else the first state. */
static nd_status read_var(nd_cmd_ctx *ctx, const nd_model *m, int *state, nd_error *err)
{
    char *w = NULL;
    nd_status st = nd_arg_opt_word(ctx, "var", NULL, &w, err);
    if (st != ND_OK) return st;
    int v = nd_model_index(m, ND_MODEL_STATE, w ? w : "V");
    if (w && v < 0)
        st = nd_arg_error(nd_arg_opt(ctx, "var"), err, ND_ENAME, "model %s has no state '%s'",
                          nd_model_name(m), w);
    *state = v >= 0 ? v : 0;
    free(w);
    return st;
}

static nd_status read_call(nd_cmd_ctx *ctx, const nd_model *m, fi_call *fc, nd_error *err)
{
    const nd_arg *pa = nd_arg_pos(ctx, 0), *ra = nd_arg_pos(ctx, 1);
    double a, b;
    nd_status st = nd_arg_name(ctx, pa, &fc->par, err);
    if (st != ND_OK) return st;
    int par = nd_model_index(m, ND_MODEL_PAR, fc->par);
    if (par < 0)
        return nd_arg_error(pa, err, ND_ENAME, "model %s has no parameter '%s'",
                            nd_model_name(m), fc->par);
    if ((st = nd_arg_range(ctx, ra, &a, &b, err)) != ND_OK) return st;
    if (!(a < b) || !isfinite(a) || !isfinite(b))
        return nd_arg_error(ra, err, ND_EVALUE,
                            "the range must be finite and increasing (a..b with a < b)");
    int state;
    if ((st = read_var(ctx, m, &state, err)) != ND_OK) return st;
    nd_fi_options_default(&fc->o, par, state, a, b);
    static const struct { const char *key; size_t off; const char *rule; } nums[] = {
        {"step", offsetof(nd_fi_options, step), "a positive step giving at most 100000 values"},
        {"transient", offsetof(nd_fi_options, transient), "a finite time >= 0"},
        {"window", offsetof(nd_fi_options, window), "a positive, finite time"},
        {"threshold", offsetof(nd_fi_options, threshold), "a finite value"},
    };
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        double *x = (double *)((char *)&fc->o + nums[i].off);
        if ((st = nd_arg_opt_number(ctx, nums[i].key, *x, x, err)) != ND_OK) return st;
        nd_error probe;
        if (nd_arg_opt(ctx, nums[i].key) && nd_fi_check(m, &fc->o, &probe) != ND_OK)
            return nd_arg_error(nd_arg_opt(ctx, nums[i].key), err, ND_EVALUE, "%s must be %s",
                                nums[i].key, nums[i].rule);
    }
    fc->o.rate_scale = nd_model_rate_scale(m);
    fc->o.interrupt = ctx->exec->interrupt;
    if ((st = read_sweep(ctx, fc, err)) != ND_OK) return st;
    return nd_arg_opt_bool(ctx, "plot", 1, &fc->plot, err);
}

static nd_status run_fi(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 2, 3, err);
    if (st != ND_OK) return st;
    nd_model_obj *mo;
    if ((st = nd_target_model(ctx, nd_arg_pos(ctx, 2), &mo, err)) != ND_OK) return st;
    const nd_model *m = mo->model;
    fi_call fc;
    if ((st = read_call(ctx, m, &fc, err)) != ND_OK) return st;
    progress pr = {.par = fc.par};
    nd_progress_init(&pr.pr, ctx, "fi-progress");
    fc.o.progress = on_progress;
    fc.o.progress_ctx = &pr;
    nd_fi_result r;
    nd_fi_findings f;
    st = nd_fi_sweep(m, &fc.o, &r, err);
    if (st == ND_OK) {
        f = nd_fi_find(&r);
        if ((st = nd_fi_classify(m, &fc.o, &r, &f, err)) != ND_OK) nd_fi_result_clear(&r);
    }
    if (st == ND_OK) {
        nd_progress_end(&pr.pr);
    } else if (pr.pr.shown) {
        char text[96];
        snprintf(text, sizeof text, "fi: stopped after %.1f s", nd_progress_now() - pr.pr.start);
        nd_progress_text(&pr.pr, text);
    }
    if (st == ND_EINTERRUPT) {
        nd_cmd_check_interrupt(ctx, err);   /* the usual located message, when still pending */
        return ND_EINTERRUPT;
    }
    if (st != ND_OK) {
        nd_learn_locate_call(ctx, err);
        return st;
    }
    st = nd_cmd_display(ctx, nd_fi_bundle(m, &fc.o, &r, &f), err);
    nd_bundle *fig = NULL;
    if (st == ND_OK && fc.plot && (st = nd_fig_render_take(nd_fi_figure(m, &fc.o, &r), &fig,
                                                           err)) == ND_OK)
        st = nd_cmd_display(ctx, fig, err);
    nd_dataset *ds = st == ND_OK ? nd_fi_dataset(m, &fc.o, &r, &f) : NULL;
    if (st == ND_OK && !ds) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (ds && !(*result = nd_value_dataset(ds))) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_fi_result_clear(&r);
    return st;
}

static const nd_option fi_options[] = {
    {"step", "(b - a)/50", "spacing of the parameter values"},
    {"transient", "200", "time simulated before measuring, at each value"},
    {"window", "1000",
     "longest measuring time per value (ends after 20 spikes); rates below 2/window read 0"},
    {"threshold", "automatic",
     "spikes cross it upwards; default: halfway up the trial runs' firing (-20 suits hh)"},
    {"var", "V, else the first state", "the state whose crossings are spikes"},
    {"sweep", "both", "up, down or both"},
    {"plot", "true", "show the rate against the parameter"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_fi = {
    "fi", "firing rate against a parameter (F-I curve), swept up and down",
    "[NAME =] fi PARAM a..b [MODEL] [step= transient= window= threshold= var= sweep= plot=]",
    "Simulates MODEL (default: the current model) at each value of PARAM from a to b with "
    "the parameter held constant (the stimulus protocol is not applied), and measures the "
    "steady firing rate: after `transient` time it counts spikes for up to `window` "
    "(stopping after 20) and takes one over the mean interval; fewer than two spikes, or "
    "a train that stopped, count as 0. The up sweep starts from the model's initial state "
    "at a and continues each value from the state the previous one left; the down sweep "
    "does the same from b back to a. Where the two differ the neuron is bistable: it "
    "rests going up and keeps firing coming down (hysteresis). Rates are per second for "
    "a millisecond time axis. The onset is then resolved below the grid, which alone "
    "cannot tell a steep class 1 rise from a class 2 jump: a slow up sweep in ever smaller "
    "steps to a thousandth of the step, and the rate just above it; class 1-like when that "
    "rate is below a third of the curve's highest. Returns a dataset with columns PARAM, "
    "rate_up, rate_down and, as metadata (also fields: `f.onset`), onset, onset_rate, "
    "offset, bistable_from, bistable_to, onset_resolved, onset_resolved_rate (nan when "
    "there is none) and onset_class (1, 2, or 0: not resolved).",
    fi_options, "use hh\nf = fi I 0..20 step=0.5\nuse ml set=snic\nfi I 35..60 step=1",
    0, run_fi
};

nd_status nd_cmd_register_fi(nd_cmd_registry *reg, nd_error *err)
{
    return nd_cmd_register(reg, &cmd_fi, err);
}
