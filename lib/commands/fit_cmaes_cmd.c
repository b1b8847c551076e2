/* The gradient-free fit reads its own options; the parameters, bounds and data are read
   once by cmd_fit.c for both paths. */
#include "fit_cmaes_cmd.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../learn/fit_cmaes.h"
#include "../learn/fit_cmaes_view.h"
#include "../language/fields_value.h"
#include "../language/args.h"
#include "../language/exec.h"
#include "../language/progress.h"
#include "learn_cmd.h"

enum { MAX_PARAMS = 64 };

static void on_generation(void *ctx, const nd_cmaes_state *s)
{
    nd_progress *pr = ctx;
    if (!nd_progress_due(pr, 0.5, 0.25)) return;
    char text[160];
    snprintf(text, sizeof text, "CMA-ES: generation %ld, %ld evaluations, best value %.6g",
             s->generation, s->evals, s->best);
    nd_progress_text(pr, text);
}

static nd_status read_cmaes_options(const nd_cmd_ctx *ctx, nd_fit_cmaes_options *o,
                                    nd_error *err)
{
    nd_fit_cmaes_options_default(o);
    char *kind = NULL;
    double seed = 1, threads = 1, evals = (double)o->cmaes.max_evals, lo = NAN, hi = NAN;
    double restarts = o->restarts;
    nd_status st = nd_arg_opt_word(ctx, "objective", "features", &kind, err);
    if (st == ND_OK) {
        if (strcmp(kind, "features") == 0) o->setup.kind = ND_FIT_FEATURES;
        else if (strcmp(kind, "fi") == 0) o->setup.kind = ND_FIT_FI;
        else st = nd_arg_error(nd_arg_opt(ctx, "objective"), err, ND_EVALUE,
                               "unknown objective '%s' (features, fi)", kind);
    }
    free(kind);
    if (st == ND_OK) st = nd_arg_opt_number(ctx, "capacitance", 0, &o->setup.capacitance_pf, err);
    if (st == ND_OK) st = nd_arg_opt_number(ctx, "seed", seed, &seed, err);
    if (st == ND_OK) st = nd_arg_opt_number(ctx, "threads", threads, &threads, err);
    if (st == ND_OK) st = nd_arg_opt_number(ctx, "evals", evals, &evals, err);
    if (st == ND_OK) st = nd_arg_opt_whole(ctx, "restarts", restarts, 0, 20, &restarts, err);
    if (st == ND_OK && nd_arg_opt(ctx, "window"))
        st = nd_arg_opt_range(ctx, "window", NAN, NAN, &lo, &hi, err);
    if (st != ND_OK) return st;
    if (!(o->setup.capacitance_pf >= 0 && isfinite(o->setup.capacitance_pf)))
        return nd_arg_error(nd_arg_opt(ctx, "capacitance"), err, ND_EVALUE,
                            "capacitance is in pF and positive");
    if (!(seed >= 0 && seed == floor(seed) && seed < 9007199254740992.0))
        return nd_arg_error(nd_arg_opt(ctx, "seed"), err, ND_EVALUE, "seed is a whole number >= 0");
    if (!(threads >= 1 && threads <= 64 && threads == floor(threads)))
        return nd_arg_error(nd_arg_opt(ctx, "threads"), err, ND_EVALUE, "threads is 1 … 64");
    if (!(evals >= 10 && evals <= 1e7 && evals == floor(evals)))
        return nd_arg_error(nd_arg_opt(ctx, "evals"), err, ND_EVALUE, "evals is 10 … 10000000");
    o->cmaes.seed = (uint64_t)seed;
    o->cmaes.threads = (int)threads;
    o->cmaes.max_evals = (long)evals;
    o->restarts = (int)restarts;
    o->setup.start = lo;
    o->setup.end = hi;
    o->setup.interrupt = ctx->exec->interrupt;
    o->cmaes.interrupt = ctx->exec->interrupt;
    return ND_OK;
}

/* The model with the estimates, bound as `fit`'s gradient path binds its own. */
static nd_status bind_fitted(const nd_model_obj *mo, const char *const *params, size_t np,
                             const nd_fit_cmaes_result *r, nd_bundle *view, nd_value **result,
                             nd_error *err)
{
    nd_model *m = nd_model_copy(mo->model);
    nd_status st = m ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t i = 0; st == ND_OK && i < np; i++) st = nd_model_set_par(m, params[i], r->best[i], err);
    nd_value *v = st == ND_OK ? nd_value_model(m) : NULL;
    if (st != ND_OK) nd_model_free(m);
    nd_model_obj *fitted = v ? nd_value_as_model(v) : NULL;
    nd_value *rec = fitted ? nd_record_of_fields(nd_fit_cmaes_fields(r, params, np), view) : NULL;
    if (!fitted) nd_bundle_free(view);
    if (st != ND_OK) return st;
    if (!rec) {
        nd_value_unref(v);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    fitted->fit = rec;
    *result = v;
    return ND_OK;
}

nd_status nd_fit_cmaes_command(nd_cmd_ctx *ctx, const nd_model_obj *mo,
                               const char *const *params, size_t np, const double *lower,
                               const double *upper, const nd_dataset *const *data, size_t nd,
                               nd_value **result, nd_error *err)
{
    nd_fit_cmaes_options o;
    nd_status st = read_cmaes_options(ctx, &o, err);
    if (st != ND_OK) return st;
    double lo[MAX_PARAMS], hi[MAX_PARAMS], x0[MAX_PARAMS];
    if (np > MAX_PARAMS) return nd_error_fail(err, ND_EVALUE, "at most %d parameters", MAX_PARAMS);
    for (size_t i = 0; i < np; i++) {
        lo[i] = isfinite(lower[i]) ? lower[i] : NAN;
        hi[i] = isfinite(upper[i]) ? upper[i] : NAN;
        int k = nd_model_index(mo->model, ND_MODEL_PAR, params[i]);
        x0[i] = k >= 0 ? nd_model_pars(mo->model)[k] : NAN;
    }
    nd_progress pr;
    nd_progress_init(&pr, ctx, "fit-progress");
    o.cmaes.progress = on_generation;
    o.cmaes.progress_ctx = &pr;
    nd_fit_cmaes_result r = {0};
    st = nd_fit_cmaes(mo->model, params, np, x0, lo, hi, data, nd, &o, &r, err);
    if (st != ND_OK) return st;
    nd_progress_text(&pr, r.stop == ND_CMAES_INTERRUPT ? "fit interrupted: the best "
                     "parameters so far are kept" : "fit done");
    const char *name = ctx->bind ? ctx->bind : nd_model_name(mo->model);
    const char *sweeps[nd ? nd : 1];   /* the data as the call names them (t2, t7 …) */
    for (size_t k = 0; k < nd; k++) {
        const nd_arg *a = nd_arg_pos(ctx, 1 + k);
        sweeps[k] = a && a->value->kind == ND_EXPR_NAME ? a->value->str : NULL;
    }
    nd_bundle *view = nd_fit_cmaes_bundle(name, params, np, x0, o.setup.kind, &r, sweeps);
    if (!view) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    else if (ctx->bind) {
        nd_bundle *shown = nd_bundle_copy(view);
        st = shown ? nd_cmd_display(ctx, shown, err) : nd_error_fail(err, ND_ENOMEM, "out of memory");
        if (st == ND_OK) st = bind_fitted(mo, params, np, &r, view, result, err);
        else nd_bundle_free(view);
    } else {
        st = nd_cmd_display(ctx, view, err);
    }
    nd_fit_cmaes_result_clear(&r);
    return st;
}
