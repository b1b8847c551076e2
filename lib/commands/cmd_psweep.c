/* sweep NAME=values …: a parameter grid measured on every core. This file reads the call
   (each range takes its resolution from the step= or n= right after it, so that
   `I=0..20 step=0.5 gK=20..50 n=31` reads as written), runs the library's nd_psweep_run
   and shows what it returns. */
#include "psweep_cmd.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../learn/psweep.h"
#include "../language/args.h"
#include "../language/exec.h"
#include "../language/figure_value.h"
#include "../language/objects.h"
#include "../language/progress.h"
#include "../language/target.h"

#define PROGRESS_DELAY 0.5
#define PROGRESS_EVERY 0.25
#define DEFAULT_N 21

static const char *const own_options[] = {"step", "n", "model", "measure", "var", "t",
                                          "transient", "threads", "plot", "bound"};

static int is_own(const char *key)
{
    for (size_t k = 0; k < sizeof own_options / sizeof *own_options; k++)
        if (strcmp(key, own_options[k]) == 0) return 1;
    return 0;
}

int nd_psweep_cmd_is_grid(const nd_cmd_ctx *ctx)
{
    return ctx->call->nargs > 0 && ctx->call->args[0].key != NULL;
}

typedef struct axes {
    nd_psweep_axis ax[ND_PSWEEP_MAX_AXES];
    double *values[ND_PSWEEP_MAX_AXES];
    size_t n;
} axes;

static void axes_free(axes *a)
{
    for (size_t k = 0; k < a->n; k++) free(a->values[k]);
}

/* The values of one NAME=… option: a number, a list of numbers, or a range resolved by
   the step= or n= option that follows it (res, may be NULL: n = 21). */
static nd_status axis_values(const nd_cmd_ctx *ctx, const nd_arg *a, const nd_arg *res,
                             double **out, size_t *count, nd_error *err)
{
    nd_value *v = NULL;
    nd_status st = nd_arg_value(ctx, a, &v, err);
    if (st != ND_OK) return st;
    if (v->kind == ND_VAL_RANGE) {
        double step = NAN, n = DEFAULT_N;
        if (res && (st = nd_arg_number(ctx, res, strcmp(res->key, "step") == 0 ? &step : &n,
                                       err)) != ND_OK) {
            nd_value_unref(v);
            return st;
        }
        if (!(n >= 1 && n == floor(n) && n <= ND_PSWEEP_MAX_POINTS))
            st = nd_arg_error(res, err, ND_EVALUE, "n must be a whole number from 1 to %d",
                              ND_PSWEEP_MAX_POINTS);
        else if ((st = nd_psweep_range(v->as.range.lo, v->as.range.hi, step, (size_t)n, out,
                                       count, err)) != ND_OK)
            st = nd_arg_error(res && !isnan(step) && !(step > 0) ? res : a, err, st, "%s: %s",
                              a->key, err->msg);
        nd_value_unref(v);
        return st;
    }
    if (res) {
        nd_value_unref(v);
        return nd_arg_error(res, err, ND_EVALUE, "%s= resolves a range (a..b); %s is given "
                            "its values", res->key, a->key);
    }
    size_t n = v->kind == ND_VAL_NUMBER ? 1 : v->kind == ND_VAL_LIST ? v->as.list.n
                                            : v->kind == ND_VAL_VECTOR ? v->as.vec.n : 0;
    double *x = n ? malloc(n * sizeof *x) : NULL;
    int ok = n > 0;
    for (size_t i = 0; ok && i < n; i++) {
        if (v->kind == ND_VAL_NUMBER) x[i] = v->as.num;
        else if (v->kind == ND_VAL_VECTOR) x[i] = v->as.vec.x[i];
        else if (v->as.list.items[i]->kind == ND_VAL_NUMBER) x[i] = v->as.list.items[i]->as.num;
        else ok = 0;
        if (ok && !isfinite(x[i])) ok = 0;
    }
    nd_value_unref(v);
    if (!ok) {
        free(x);
        return nd_arg_error(a, err, ND_EVALUE, "%s takes a range a..b, a number or a list of "
                            "finite numbers", a->key);
    }
    *out = x;
    *count = n;
    return ND_OK;
}

/* Walks the options in order: each NAME=… is an axis, each step=/n= resolves the range
   just before it. */
static nd_status read_axes(const nd_cmd_ctx *ctx, const nd_model *m, axes *ax, nd_error *err)
{
    const nd_call *c = ctx->call;
    for (size_t i = 0; i < c->nargs; i++) {
        const nd_arg *a = &c->args[i];
        if (!a->key)
            return nd_arg_error(a, err, ND_ESYNTAX, "a parameter sweep takes NAME=values "
                                "options only (sweep I=0..20 step=0.5); the model goes in "
                                "model=");
        if (strcmp(a->key, "step") == 0 || strcmp(a->key, "n") == 0) {
            const nd_arg *prev = i ? &c->args[i - 1] : NULL;
            if (!prev || !prev->key || is_own(prev->key))
                return nd_arg_error(a, err, ND_ESYNTAX, "%s= goes right after the range it "
                                    "resolves (I=0..20 %s=…)", a->key, a->key);
            continue;
        }
        if (is_own(a->key)) {
            /* the groups of ND_CMD_GROUPS are for step= and n=; the rest is given once */
            for (size_t j = 0; j < i; j++)
                if (c->args[j].key && strcmp(c->args[j].key, a->key) == 0)
                    return nd_arg_error(a, err, ND_ESYNTAX, "option '%s' is given twice",
                                        a->key);
            continue;
        }
        if (nd_model_index(m, ND_MODEL_PAR, a->key) < 0 &&
            nd_model_index(m, ND_MODEL_STATE, a->key) < 0)
            return nd_arg_error(a, err, ND_ENAME, "model %s has no parameter or state '%s' "
                                "(and sweep has no option of that name)", nd_model_name(m),
                                a->key);
        if (ax->n == ND_PSWEEP_MAX_AXES)
            return nd_arg_error(a, err, ND_EVALUE, "at most %d swept names",
                                ND_PSWEEP_MAX_AXES);
        const nd_arg *next = i + 1 < c->nargs ? &c->args[i + 1] : NULL;
        const nd_arg *res = next && next->key && (strcmp(next->key, "step") == 0 ||
                                                  strcmp(next->key, "n") == 0) ? next : NULL;
        size_t k = ax->n;
        nd_status st = axis_values(ctx, a, res, &ax->values[k], &ax->ax[k].n, err);
        if (st != ND_OK) return st;
        ax->ax[k].name = a->key;
        ax->ax[k].values = ax->values[k];
        ax->n++;
    }
    return ND_OK;
}

static nd_status read_options(const nd_cmd_ctx *ctx, const nd_model *m, nd_psweep_options *o,
                              nd_error *err)
{
    char *w = NULL;
    nd_status st = nd_arg_opt_word(ctx, "measure", "rate", &w, err);
    if (st == ND_OK && nd_psweep_measure_parse(w, &o->measure) != 0)
        st = nd_arg_error(nd_arg_opt(ctx, "measure"), err, ND_EVALUE, "measure must be rate, "
                          "spikes, features, fixed, max or min, not '%s'", w);
    free(w);
    w = NULL;
    if (st == ND_OK) st = nd_arg_opt_word(ctx, "var", NULL, &w, err);
    if (st == ND_OK && w) {
        o->var = nd_model_index(m, ND_MODEL_STATE, w);
        if (o->var < 0)
            st = nd_arg_error(nd_arg_opt(ctx, "var"), err, ND_ENAME, "model %s has no state "
                              "'%s'", nd_model_name(m), w);
    }
    free(w);
    double threads = 0;
    if (st == ND_OK) st = nd_arg_opt_number(ctx, "t", o->t, &o->t, err);
    if (st == ND_OK) st = nd_arg_opt_number(ctx, "transient", o->transient, &o->transient, err);
    if (st == ND_OK) st = nd_arg_opt_number(ctx, "threads", 0, &threads, err);
    if (st == ND_OK && !(threads >= 0 && threads <= 256 && threads == floor(threads)))
        st = nd_arg_error(nd_arg_opt(ctx, "threads"), err, ND_EVALUE,
                          "threads must be a whole number from 1 to 256");
    o->threads = (unsigned)threads;
    if (st == ND_OK && !(o->t > 0 && isfinite(o->t)))
        st = nd_arg_error(nd_arg_opt(ctx, "t"), err, ND_EVALUE, "t must be positive and finite");
    if (st == ND_OK && !(o->transient >= 0 && isfinite(o->transient)))
        st = nd_arg_error(nd_arg_opt(ctx, "transient"), err, ND_EVALUE,
                          "transient must be finite and >= 0");
    if (st == ND_OK) st = nd_arg_opt_number(ctx, "bound", o->bound, &o->bound, err);
    if (st == ND_OK && !(o->bound >= 0 && isfinite(o->bound)))
        st = nd_arg_error(nd_arg_opt(ctx, "bound"), err, ND_EVALUE,
                          "bound must be finite and >= 0 (0: no bound)");
    return st;
}

typedef struct progress {
    nd_progress pr;
} progress;

static void on_progress(void *ctx, size_t done, size_t total)
{
    progress *p = ctx;
    if (!nd_progress_due(&p->pr, PROGRESS_DELAY, PROGRESS_EVERY)) return;
    char text[128];
    snprintf(text, sizeof text, "sweep: %zu of %zu points (%.1f s)", done, total,
             p->pr.last - p->pr.start);
    nd_progress_text(&p->pr, text);
}

static nd_status show(nd_cmd_ctx *ctx, nd_dataset *ds, int plot,
                      nd_value **result, nd_error *err)
{
    nd_status st = nd_cmd_display(ctx, nd_psweep_bundle(ds), err);
    nd_figure *fig = st == ND_OK && plot ? nd_psweep_figure(ds) : NULL;
    if (fig && (st = nd_cmd_figure_size(ctx, fig, err)) == ND_OK) {
        nd_bundle *b = NULL;
        if ((st = nd_fig_render(fig, &b, err)) == ND_OK) st = nd_cmd_display(ctx, b, err);
    }
    nd_fig_free(fig);
    if (st != ND_OK) {
        nd_ds_free(ds);
        return st;
    }
    *result = nd_value_dataset(ds);
    return *result ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
}

nd_status nd_psweep_cmd_run(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_model_obj *mo;
    nd_status st = nd_target_model(ctx, nd_arg_opt(ctx, "model"), &mo, err);
    if (st != ND_OK) return st;
    const nd_model *m = mo->model;
    axes ax = {0};
    nd_psweep_options o;
    int v = nd_model_index(m, ND_MODEL_STATE, "V"), plot = 1;
    if ((st = read_axes(ctx, m, &ax, err)) == ND_OK && ax.n == 0)
        st = nd_error_set(err, ND_ESYNTAX, ctx->call->line, ctx->call->col,
                          (int)strlen(ctx->call->name), "sweep needs at least one parameter "
                          "and its values: sweep I=0..20 step=0.5");
    nd_psweep_options_default(&o, ax.ax, ax.n, v >= 0 ? v : 0);
    if (st == ND_OK) st = read_options(ctx, m, &o, err);
    if (st == ND_OK) st = nd_arg_opt_bool(ctx, "plot", 1, &plot, err);
    nd_arg where = {.line = ctx->call->line, .col = ctx->call->col,
                    .span = (int)strlen(ctx->call->name)};
    if (st == ND_OK && (st = nd_psweep_check(m, &o, err)) != ND_OK) nd_target_locate(err, &where);
    if (st != ND_OK) {
        axes_free(&ax);
        return st;
    }
    progress pr;
    nd_progress_init(&pr.pr, ctx, "sweep-progress");
    o.interrupt = ctx->exec->interrupt;
    o.progress = on_progress;
    o.progress_ctx = &pr;
    nd_dataset *ds = NULL;
    st = nd_psweep_run(m, &o, &ds, NULL, err);
    if (st == ND_OK) {
        nd_progress_end(&pr.pr);
    } else if (pr.pr.shown) {
        char text[96];
        snprintf(text, sizeof text, "sweep: stopped after %.1f s", nd_progress_now() - pr.pr.start);
        nd_progress_text(&pr.pr, text);
    }
    axes_free(&ax);
    /* Interrupted: the points finished are shown and bound; the interrupt stays pending,
       so the rest of the cell stops as usual. */
    if (st == ND_EINTERRUPT && ds) st = ND_OK;
    if (st != ND_OK) {
        if (err && err->line == 0) nd_target_locate(err, &where);
        nd_ds_free(ds);
        return st;
    }
    return show(ctx, ds, plot, result, err);
}
