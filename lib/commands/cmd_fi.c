/* fi: the F-I curve, firing rate against a parameter by simulation, swept up and down so
   that a bistable window shows as hysteresis. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/fi.h"
#include "../base/numfmt.h"
#include "../base/strbuf.h"
#include "../base/textfmt.h"
#include "../plot/figure.h"
#include "../language/args.h"
#include "../language/exec.h"
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
    char text[160], v[ND_NUMFMT_CAP];
    snprintf(text, sizeof text, "fi: %s sweep at %s = %s (%zu of %zu runs, %.1f s)",
             up ? "up" : "down", p->par, nd_numfmt(value, v), done + 1, total,
             p->pr.last - p->pr.start);
    nd_progress_text(&p->pr, text);
}

/* ---- reading the call ---- */

typedef struct fi_call {
    const char *par;
    nd_fi_options o;
    int plot;
    const char *rate_unit;
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
    const char *tu = nd_model_time_unit(m);
    fc->o.rate_scale = strcmp(tu, "ms") == 0 ? 1000 : 1;
    fc->rate_unit = strcmp(tu, "ms") == 0 || strcmp(tu, "s") == 0 ? "Hz" : "1/time unit";
    fc->o.interrupt = ctx->exec->interrupt;
    if ((st = read_sweep(ctx, fc, err)) != ND_OK) return st;
    return nd_arg_opt_bool(ctx, "plot", 1, &fc->plot, err);
}

/* ---- what the sweep found ---- */

typedef struct fi_findings {
    long onset, offset;       /* indices: first firing value going up, last going down */
    long bist_lo, bist_hi;    /* the values silent going up but firing going down */
    double max_rate;
} fi_findings;

static fi_findings find(const nd_fi_result *r)
{
    fi_findings f = {-1, -1, -1, -1, 0};
    long n = (long)r->n;
    for (long i = 0; i < n && f.onset < 0; i++)
        if (r->rate_up[i] > 0) f.onset = i;
    long top = n - 1;
    while (top >= 0 && !(r->rate_down[top] > 0)) top--;
    for (long i = top; i >= 0 && r->rate_down[i] > 0; i--) f.offset = i;
    for (long i = 0; i < n; i++) {
        f.max_rate = fmax(f.max_rate, fmax(isnan(r->rate_up[i]) ? 0 : r->rate_up[i],
                                           isnan(r->rate_down[i]) ? 0 : r->rate_down[i]));
        if (r->rate_up[i] == 0 && r->rate_down[i] > 0) {
            if (f.bist_lo < 0) f.bist_lo = i;
            f.bist_hi = i;
        }
    }
    return f;
}

static void summarize(nd_sb *sb, const nd_model *m, const fi_call *fc, const nd_fi_result *r,
                      const fi_findings *f)
{
    char a[ND_NUMFMT_CAP], b[ND_NUMFMT_CAP];
    const char *u = fc->rate_unit, *p = fc->par;
    nd_sb_printf(sb, "F-I curve of %s: %s = %s … %s, %zu values", nd_model_name(m), p,
                 nd_numfmt(r->value[0], a), nd_numfmt(r->value[r->n - 1], b), r->n);
    if (isnan(r->threshold)) {
        nd_sb_puts(sb, ". No firing anywhere in the range (no trial run oscillated).\n");
        return;
    }
    nd_sb_printf(sb, ", spikes counted at %s = %.4g.\n",
                 nd_model_item_at(m, ND_MODEL_STATE, (size_t)fc->o.state)->name, r->threshold);
    if (fc->o.up && f->onset < 0) nd_sb_puts(sb, "Up sweep: no firing.\n");
    if (f->onset >= 0) {
        double rate = r->rate_up[f->onset];
        nd_sb_printf(sb, "Up sweep: starts firing at %s = %s at %.4g %s", p,
                     nd_numfmt(r->value[f->onset], a), rate, u);
        /* Class by the jump at onset, relative to the rates further up the curve. */
        if (f->onset > 0)
            nd_sb_puts(sb, rate < 0.35 * f->max_rate
                               ? " (rising from near zero: class 1-like onset).\n"
                               : " (a nonzero onset frequency: class 2-like onset).\n");
        else
            nd_sb_puts(sb, " (already at the start of the range).\n");
    }
    if (fc->o.down && f->offset < 0) nd_sb_puts(sb, "Down sweep: no firing.\n");
    if (f->offset >= 0)
        nd_sb_printf(sb, "Down sweep: keeps firing down to %s = %s (%.4g %s).\n", p,
                     nd_numfmt(r->value[f->offset], a), r->rate_down[f->offset], u);
    if (f->bist_lo >= 0)
        nd_sb_printf(sb, "Bistable window: %s = %s … %s rests going up and fires coming down "
                     "(hysteresis).\n", p, nd_numfmt(r->value[f->bist_lo], a),
                     nd_numfmt(r->value[f->bist_hi], b));
    else if (fc->o.up && fc->o.down)
        nd_sb_puts(sb, "No bistable window: both sweeps agree.\n");
}

static void json_index(nd_sb *sb, const char *key, const nd_fi_result *r, long i)
{
    nd_sb_printf(sb, ",\"%s\":", key);
    nd_json_number(sb, i >= 0 ? r->value[i] : NAN);
}

static nd_bundle *summary_bundle(const nd_model *m, const fi_call *fc, const nd_fi_result *r,
                                 const fi_findings *f)
{
    nd_sb plain, html, json;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_init(&json);
    summarize(&plain, m, fc, r, f);
    nd_sb_puts(&html, "<pre>");
    nd_html_escape(&html, plain.data ? plain.data : "");
    nd_sb_puts(&html, "</pre>");
    nd_sb_puts(&json, "{\"type\":\"fi\",\"parameter\":");
    nd_json_string(&json, fc->par);
    nd_sb_puts(&json, ",\"threshold\":");
    nd_json_number(&json, r->threshold);
    json_index(&json, "onset", r, f->onset);
    nd_sb_puts(&json, ",\"onset_rate\":");
    nd_json_number(&json, f->onset >= 0 ? r->rate_up[f->onset] : NAN);
    json_index(&json, "offset", r, f->offset);
    json_index(&json, "bistable_from", r, f->bist_lo);
    json_index(&json, "bistable_to", r, f->bist_hi);
    nd_sb_putc(&json, '}');
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), nd_sb_take(&json));
}

static nd_status figure(const nd_cmd_ctx *ctx, const nd_model *m, const fi_call *fc,
                        const nd_fi_result *r, nd_error *err)
{
    char title[160], yl[64];
    const nd_model_item *it = nd_model_item_at(m, ND_MODEL_PAR, (size_t)fc->o.par);
    snprintf(title, sizeof title, "%s: firing rate against %s (F-I curve)", nd_model_name(m),
             fc->par);
    char *xl = nd_fig_label(fc->par, it->unit);
    snprintf(yl, sizeof yl, "firing rate [%s]", fc->rate_unit);
    nd_figure *fig = xl ? nd_fig_create(title) : NULL;
    int panel = fig ? nd_fig_add_panel(fig, xl, yl) : -1, ok = panel >= 0;
    free(xl);
    if (ok && fc->o.up)
        ok = nd_fig_add_series(fig, panel, "up sweep", r->value, r->rate_up, r->n,
                               (nd_fig_style){ND_FIG_SOLID, ND_FIG_CIRCLE, ND_FIG_BLUE, 0}) >= 0;
    if (ok && fc->o.down)
        ok = nd_fig_add_series(fig, panel, "down sweep", r->value, r->rate_down, r->n,
                               (nd_fig_style){ND_FIG_DASHED, ND_FIG_OPEN_CIRCLE,
                                              ND_FIG_VERMILLION, 0}) >= 0;
    nd_bundle *b = NULL;
    nd_status st = ok ? nd_fig_render(fig, &b, err) : nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_fig_free(fig);
    return st == ND_OK ? nd_cmd_display(ctx, b, err) : st;
}

/* The dataset `r = fi …` binds: the sweep as columns, and what was found as metadata,
   which are fields too (r.onset, r.I, r.rate_up). */
static nd_dataset *to_dataset(const nd_model *m, const fi_call *fc, const nd_fi_result *r,
                              const fi_findings *f)
{
    const nd_model_item *it = nd_model_item_at(m, ND_MODEL_PAR, (size_t)fc->o.par);
    const char *names[] = {fc->par, "rate_up", "rate_down"};
    const char *units[] = {it->unit, fc->rate_unit, fc->rate_unit};
    nd_dataset *ds = nd_ds_create(3, names, units);
    if (!ds || nd_ds_reserve(ds, r->n) != 0) {
        nd_ds_free(ds);
        return NULL;
    }
    for (size_t i = 0; i < r->n; i++)
        nd_ds_append(ds, (double[]){r->value[i], r->rate_up[i], r->rate_down[i]});
    char buf[64];
    nd_ds_set_meta(ds, "model", nd_model_name(m));
    nd_ds_set_meta(ds, "threshold", nd_numfmt(r->threshold, buf));
    snprintf(buf, sizeof buf, "%ld", r->rhs_evals);
    nd_ds_set_meta(ds, "rhs_evals", buf);
    const struct { const char *key; long i; const double *x; } found[] = {
        {"onset", f->onset, r->value}, {"onset_rate", f->onset, r->rate_up},
        {"offset", f->offset, r->value}, {"bistable_from", f->bist_lo, r->value},
        {"bistable_to", f->bist_hi, r->value},
    };
    for (size_t k = 0; k < sizeof found / sizeof found[0]; k++)
        nd_ds_set_meta(ds, found[k].key, nd_numfmt(found[k].i >= 0 ? found[k].x[found[k].i]
                                                                   : NAN, buf));
    return ds;
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
    st = nd_fi_sweep(m, &fc.o, &r, err);
    if (pr.pr.shown) {
        char text[96];
        snprintf(text, sizeof text, st == ND_OK ? "fi: done in %.1f s" : "fi: stopped after %.1f s",
                 nd_progress_now() - pr.pr.start);
        nd_progress_text(&pr.pr, text);
    }
    if (st == ND_EINTERRUPT) {
        nd_cmd_check_interrupt(ctx, err);   /* the usual located message, when still pending */
        return ND_EINTERRUPT;
    }
    if (st != ND_OK) {
        if (err && err->line == 0)
            nd_target_locate(err, &(nd_arg){.line = ctx->call->line, .col = ctx->call->col,
                                            .span = (int)strlen(ctx->call->name)});
        return st;
    }
    fi_findings f = find(&r);
    st = nd_cmd_display(ctx, summary_bundle(m, &fc, &r, &f), err);
    if (st == ND_OK && fc.plot) st = figure(ctx, m, &fc, &r, err);
    nd_dataset *ds = st == ND_OK ? to_dataset(m, &fc, &r, &f) : NULL;
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
    "a millisecond time axis. Returns a dataset with columns PARAM, rate_up, rate_down "
    "and, as metadata (also fields: `f.onset`), onset, onset_rate, offset, bistable_from "
    "and bistable_to (nan when there is none).",
    fi_options, "use hh\nf = fi I 0..20 step=0.5\nuse ml set=snic\nfi I 35..60 step=1",
    0, run_fi
};

nd_status nd_cmd_register_fi(nd_cmd_registry *reg, nd_error *err)
{
    return nd_cmd_register(reg, &cmd_fi, err);
}
