/* `fit`: estimates parameters of a model from datasets (lib/learn/fit.h). This file reads
   the request, runs the search with live progress, and shows the library's views; the
   fitted model is bound with the fit as its fields. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../learn/fit.h"
#include "../learn/fit_view.h"
#include "../language/args.h"
#include "../language/exec.h"
#include "../language/fields_value.h"
#include "../language/progress.h"
#include "../language/target.h"
#include "learn_cmd.h"
#include "fit_cmaes_cmd.h"
#include "fit_ens_cmd.h"
#include "learn_plot.h"
#include "modules.h"

enum { MAX_NAMES = 64, MAX_DATA = 64, PROFILE_POINTS = 21 };

typedef struct fit_call {
    const char *params[MAX_NAMES], *observe[MAX_NAMES];
    double lower[MAX_NAMES], upper[MAX_NAMES];
    nd_fit_options o;
    nd_fit_method method;
    int cmaes;                  /* method=cmaes or objective=: the gradient-free path */
    long iters;
    const char *profile;
    nd_value *holders[MAX_DATA];
    const nd_dataset *data[MAX_DATA];
    size_t ndata;
} fit_call;

/* A list of bare names (params=[gNa, gK], observe=V) into out; *n gets the count. */
static nd_status read_names(const nd_cmd_ctx *ctx, const char *key, const char **out, size_t *n,
                            nd_error *err)
{
    const nd_arg *a = nd_arg_opt(ctx, key);
    *n = 0;
    if (!a) return ND_OK;
    const nd_expr *v = a->value;
    size_t k = v->kind == ND_EXPR_LIST ? v->nitems : 1;
    if (k > MAX_NAMES) return nd_arg_error(a, err, ND_EVALUE, "too many names");
    for (size_t i = 0; i < k; i++) {
        const nd_expr *item = v->kind == ND_EXPR_LIST ? v->items[i] : v;
        if (item->kind != ND_EXPR_NAME)
            return nd_error_set(err, ND_ESYNTAX, item->line, item->col, item->span,
                                "%s expects names (%s=[a, b])", key, key);
        out[i] = item->str;
    }
    *n = k;
    return ND_OK;
}

/* lower=[…] / upper=[…]: one number per parameter (nan: none). */
static nd_status read_bounds(const nd_cmd_ctx *ctx, const char *key, size_t np, double *out,
                             double none, nd_error *err)
{
    for (size_t i = 0; i < np; i++) out[i] = none;
    const nd_arg *a = nd_arg_opt(ctx, key);
    if (!a) return ND_OK;
    double *x;
    size_t n;
    nd_status st = nd_arg_numbers(ctx, a, &x, &n, err);
    if (st == ND_OK && n != np)
        st = nd_arg_error(a, err, ND_EVALUE, "%s expects %zu number%s, one per parameter "
                          "(nan: no bound)", key, np, np == 1 ? "" : "s");
    for (size_t i = 0; st == ND_OK && i < np; i++) out[i] = isnan(x[i]) ? none : x[i];
    free(x);
    return st;
}

static nd_status read_options(const nd_cmd_ctx *ctx, fit_call *fc, nd_error *err)
{
    nd_fit_options *o = &fc->o;
    nd_fit_options_default(o);
    nd_status st = read_names(ctx, "params", fc->params, &o->nparams, err);
    if (st != ND_OK) return st;
    if (!o->nparams)
        return nd_arg_error(nd_arg_opt(ctx, "params") ? nd_arg_opt(ctx, "params") : nd_arg_pos(ctx, 0),
                            err, ND_EVALUE, "fit needs the parameters to estimate: params=[gNa, gK]");
    o->params = fc->params;
    if ((st = read_names(ctx, "observe", fc->observe, &o->nobserve, err)) != ND_OK) return st;
    if (o->nobserve) o->observe = fc->observe;
    if ((st = read_bounds(ctx, "lower", o->nparams, fc->lower, -INFINITY, err)) ||
        (st = read_bounds(ctx, "upper", o->nparams, fc->upper, INFINITY, err)))
        return st;
    o->lower = fc->lower, o->upper = fc->upper;
    double iters = 200, shoot = 1;
    char *method = NULL;
    if ((st = nd_arg_opt_bool(ctx, "log", 1, &o->log, err)) ||
        (st = nd_arg_opt_number(ctx, "iters", iters, &iters, err)) ||
        (st = nd_arg_opt_number(ctx, "shoot", shoot, &shoot, err)) ||
        (st = nd_arg_opt_number(ctx, "continuity", o->continuity, &o->continuity, err)) ||
        (st = nd_arg_opt_number(ctx, "dt", 0, &o->dt, err)) ||
        (st = nd_arg_opt_word(ctx, "method", "lbfgs", &method, err)))
        return st;
    const nd_arg *objective = nd_arg_opt(ctx, "objective");
    fc->cmaes = strcmp(method, "cmaes") == 0 || (objective && !nd_arg_opt(ctx, "method"));
    if (!fc->cmaes && nd_fit_method_parse(method, &fc->method) != 0)
        st = nd_arg_error(nd_arg_opt(ctx, "method"), err, ND_EVALUE,
                          "unknown method '%s' (lbfgs, lm, cmaes)", method);
    else if (!fc->cmaes && objective)
        st = nd_arg_error(objective, err, ND_EVALUE, "objective= is for the gradient-free "
                          "search (method=cmaes); %s fits the samples by least squares", method);
    free(method);
    if (st != ND_OK) return st;
    if (!(iters >= 1 && iters <= 1e6 && iters == floor(iters)))
        return nd_arg_error(nd_arg_opt(ctx, "iters"), err, ND_EVALUE,
                            "iters must be a whole number from 1 to 1000000");
    if (!(shoot >= 1 && shoot <= 10000 && shoot == floor(shoot)))
        return nd_arg_error(nd_arg_opt(ctx, "shoot"), err, ND_EVALUE,
                            "shoot must be a whole number of segments from 1 to 10000");
    if (!(o->continuity >= 0 && isfinite(o->continuity)))
        return nd_arg_error(nd_arg_opt(ctx, "continuity"), err, ND_EVALUE,
                            "continuity must be a finite number >= 0");
    if (!(o->dt >= 0 && isfinite(o->dt)))
        return nd_arg_error(nd_arg_opt(ctx, "dt"), err, ND_EVALUE, "dt must be positive");
    fc->iters = (long)iters;
    o->segments = (size_t)shoot;
    const nd_arg *pa = nd_arg_opt(ctx, "profile");
    if (pa) {
        size_t n;
        const char *name[MAX_NAMES];
        if ((st = read_names(ctx, "profile", name, &n, err)) != ND_OK) return st;
        if (n != 1) return nd_arg_error(pa, err, ND_EVALUE, "profile names one parameter");
        fc->profile = name[0];
        size_t i = 0;
        while (i < o->nparams && strcmp(o->params[i], fc->profile) != 0) i++;
        if (i == o->nparams)
            return nd_arg_error(pa, err, ND_ENAME, "profile=%s is not among the fitted "
                                "parameters", fc->profile);
    }
    return ND_OK;
}

/* ---- live progress ---- */

typedef struct live {
    nd_progress pr;
    const char *what;
} live;

static void on_progress(void *ctx, long iter, double f, double gnorm, double elapsed)
{
    live *lv = ctx;
    if (!nd_progress_due(&lv->pr, 0.3, 0.25)) return;
    char text[160];
    snprintf(text, sizeof text, "%s: iteration %ld, loss %.6g, |gradient| %.3g, %.1f s",
             lv->what, iter, f, gnorm, elapsed);
    nd_progress_text(&lv->pr, text);
}

static void polishing(void *ctx)
{
    ((live *)ctx)->what = "polishing (single shooting)";
}

/* ---- the result ---- */

/* `fitted = fit …` binds the model with the estimates, the first dataset's stimulus and
   the fit as its fields. */
static nd_status bind_model(nd_fit *f, const nd_fit_stats *s, const nd_fit_profile *p,
                            nd_value **result, nd_error *err)
{
    nd_model *m = nd_fit_model(f, err);
    if (!m) return err->code;
    nd_value *v = nd_value_model(m);
    nd_model_obj *mo = v ? nd_value_as_model(v) : NULL;
    if (!mo) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    int par;
    const nd_stim *stim = nd_fit_stim(f, 0, &par);
    if (stim && par >= 0) {
        mo->stim = nd_stim_copy(stim);
        mo->stim_par = par;
    }
    *result = v;
    return (mo->fit = nd_record_of_fields(nd_fit_fields(f, s, p), NULL)) ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
}

/* The profile of fc->profile over its grid (nd_fit_profile_range). */
static nd_status profile(const nd_cmd_ctx *ctx, nd_fit *f, const fit_call *fc,
                         const nd_fit_stats *s, live *lv, nd_fit_profile *p, nd_error *err)
{
    size_t i = 0;
    while (strcmp(nd_fit_param_name(f, i), fc->profile) != 0) i++;
    double lo, hi;
    nd_fit_profile_range(f, i, s->se[i], fc->o.log, fc->lower[i], fc->upper[i], &lo, &hi);
    lv->what = "profiling";
    nd_optim_callbacks cb = {ctx->exec->interrupt, on_progress, lv, NULL, NULL};
    return nd_fit_profile_run(f, i, lo, hi, PROFILE_POINTS, s->sigma * s->sigma, fc->method,
                              fc->iters, &cb, p, err);
}

static nd_status show(const nd_cmd_ctx *ctx, const nd_fit_report *r, nd_error *err)
{
    nd_status st = nd_cmd_display(ctx, nd_fit_view(r), err);
    if (st != ND_OK) return st;
    char *title = NULL;
    if ((st = nd_learn_plot_title(ctx, "data and the fitted model", &title, err)) != ND_OK) return st;
    nd_figure *fig = nd_fit_view_figure(r->fit, title);
    free(title);
    if (!fig) return nd_error_fail(err, ND_ENOMEM, "the fitted model could not be drawn");
    return nd_learn_plot_show(ctx, fig, NULL, NULL, NULL, NULL, err);
}

static nd_status run_fit(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 2, 1 + MAX_DATA, err);
    if (st != ND_OK) return st;
    fit_call *fc = calloc(1, sizeof *fc);
    if (!fc) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_model_obj *mo = NULL;
    const nd_arg *a0 = nd_arg_pos(ctx, 0);
    st = nd_target_model(ctx, a0, &mo, err);
    if (st == ND_OK) st = read_options(ctx, fc, err);
    for (size_t i = 1; st == ND_OK && i < nd_arg_count(ctx); i++) {
        nd_dataset *ds;
        st = nd_target_dataset(ctx, nd_arg_pos(ctx, i), &fc->holders[fc->ndata], &ds, err);
        if (st == ND_OK) fc->data[fc->ndata++] = ds;
    }
    if (st == ND_OK && fc->cmaes && nd_arg_opt(ctx, "ensemble"))
        st = nd_arg_error(nd_arg_opt(ctx, "ensemble"), err, ND_EVALUE, "ensemble= is for the "
                          "least-squares fit (method=lbfgs or lm)");
    if (st == ND_OK && fc->cmaes) {
        st = nd_fit_cmaes_command(ctx, mo, fc->params, fc->o.nparams, fc->lower, fc->upper,
                                  fc->data, fc->ndata, result, err);
        for (size_t i = 0; i < fc->ndata; i++) nd_value_unref(fc->holders[i]);
        free(fc);
        if (st != ND_OK && err && err->line == 0) nd_learn_locate_call(ctx, err);
        return st;
    }
    nd_fit *f = NULL;
    if (st == ND_OK) {
        fc->o.stim = mo->stim;
        fc->o.stim_par = mo->stim ? mo->stim_par : -1;
        nd_stim *dflt = mo->stim ? NULL : nd_model_stim(mo->model);
        if (dflt) fc->o.stim = dflt, fc->o.stim_par = nd_model_stim_par(mo->model);
        f = nd_fit_create(mo->model, fc->data, fc->ndata, &fc->o, err);
        nd_stim_free(dflt);
        if (!f) {
            st = err->code ? err->code : ND_ENOMEM;
            nd_target_locate(err, a0);
        }
    }
    live lv = {.what = "fitting"};
    nd_fit_run_info info = {0};
    nd_fit_stats stats = {0};
    nd_fit_profile prof = {0};
    int interrupted = 0;
    if (st == ND_OK) {
        nd_progress_init(&lv.pr, ctx, "fit-progress");
        nd_optim_callbacks cb = {ctx->exec->interrupt, on_progress, &lv, NULL, NULL};
        st = nd_fit_run_polished(f, fc->method, fc->iters, &cb, polishing, &lv, &info, err);
        /* An interrupt ends the search, not the fit: the best parameters so far are
           shown and bound like a finished fit's (no profile is run after it). */
        if (st == ND_EINTERRUPT) {
            interrupted = 1;
            st = ND_OK;
            info.stop = "interrupted: the best parameters so far";
        }
        nd_progress_text(&lv.pr, interrupted ? "fit interrupted: the best parameters so far "
                                               "are kept" : "fit done");
        if (st != ND_OK) nd_learn_locate_call(ctx, err);
    }
    if (st == ND_OK) st = nd_fit_stats_compute(f, &stats, err);
    if (st == ND_OK && fc->profile && !interrupted) st = profile(ctx, f, fc, &stats, &lv, &prof, err);
    if (st == ND_OK) {
        nd_fit_report r = {f, ctx->bind ? ctx->bind : nd_model_name(mo->model), &info, &stats,
                           fc->profile && !interrupted ? &prof : NULL};
        st = show(ctx, &r, err);
    }
    if (st == ND_OK && ctx->bind) st = bind_model(f, &stats, fc->profile && !interrupted ? &prof : NULL,
                                                     result, err);
    if (st == ND_OK && !interrupted && nd_arg_opt(ctx, "ensemble"))
        st = nd_fit_ensemble_cmd(ctx, mo->model, fc->data, fc->ndata, &fc->o, fc->method,
                                 fc->iters, f, stats.se,
                                 ctx->bind && *result ? nd_value_as_model(*result)->fit : NULL,
                                 err);
    nd_fit_profile_free(&prof);
    nd_fit_stats_free(&stats);
    nd_fit_free(f);
    for (size_t i = 0; i < fc->ndata; i++) nd_value_unref(fc->holders[i]);
    free(fc);
    if (st != ND_OK && err && err->line == 0) nd_learn_locate_call(ctx, err);
    return st;
}

static const nd_option fit_options[] = {
    {"params", NULL, "the parameters to estimate: params=[gNa, gK]"},
    {"observe", "the columns named like states", "the observed state variables (observe=V)"},
    {"method", "lbfgs", "lbfgs (L-BFGS on the loss), lm (Levenberg–Marquardt on the "
                        "residuals) or cmaes (gradient-free, on objective=)"},
    {"objective", "features", "with method=cmaes: features (spike count, latency, ISI, peaks, "
                              "troughs, steady state) or fi (rates) of current-clamp sweeps"},
    {"capacitance", "0", "with method=cmaes: the cell's capacitance in pF, to turn the sweeps' "
                         "currents into µA/cm² (0: they are densities already)"},
    {"window", "found in the current", "with method=cmaes: the stimulus window START..END in ms"},
    {"seed", "1", "with method=cmaes: the search's seed (the same seed, the same result); "
                  "with ensemble=: the members' seeds derive from it"},
    {"threads", "1", "with method=cmaes: threads evaluating a generation; with ensemble=: "
                     "members fitted at once (one per core by default); the same result"},
    {"evals", "3000", "with method=cmaes: most objective evaluations"},
    {"restarts", "2", "with method=cmaes: most restarts (twice the population, from a random start) while a feature is not matched and evaluations are left"},
    {"iters", "200", "iterations of the search"},
    {"shoot", "1", "multiple shooting: segments per dataset, each starting state fitted too "
                   "(for spiking data)"},
    {"continuity", "1", "weight of the jumps between shooting segments"},
    {"dt", "min(sample spacing, 0.01)", "largest step of the fixed-step RK4 solve"},
    {"log", "true", "search positive parameters through their logarithm (they stay positive)"},
    {"lower", "none", "lower bounds, one number per parameter (nan: none)"},
    {"upper", "none", "upper bounds, one number per parameter (nan: none)"},
    {"profile", NULL, "a fitted parameter whose profile likelihood and 95 % interval to "
                      "compute (the others re-optimised on a grid of 21 values)"},
    ND_FIT_ENSEMBLE_OPTIONS,
    {NULL, NULL, NULL}
};

static const nd_command cmd_fit = {
    "fit", "estimate parameters of a model from data, with standard errors",
    "[FITTED =] fit MODEL DATA [DATA …] params=[P, …] [observe=V method=lbfgs|lm iters=200 "
    "shoot=1 continuity=1 dt= log=true lower=[…] upper=[…] profile=P ensemble=N "
    "bootstrap=false] | "
    "fit MODEL SWEEP … params=[…] method=cmaes [objective=features|fi capacitance= window= "
    "seed= threads= evals= restarts=]",
    "Estimates the parameters named in params= of MODEL (built-in or your own) by least "
    "squares on one or several datasets at once, which share the parameters: the sum of "
    "squared differences between each observed variable (observe=, default every column "
    "named like a state) and the model's solution at the data's sample times.\n\n"
    "Each dataset keeps its own stimulus: the one it was simulated with (`simulate` attaches "
    "it), else a column named like the stimulated parameter (I: its value over time, as "
    "`stim data` uses), else the model's current stimulus. The solution starts from the "
    "model's initial values.\n\n"
    "The model is solved by fixed-step RK4 with its sensitivities (from the symbolic ∂f/∂y "
    "and ∂f/∂p), so the gradient is exact for the discretised problem. method=lbfgs "
    "searches with L-BFGS, method=lm with Levenberg–Marquardt (usually fewer iterations). "
    "Positive parameters are searched through their logarithm (log=false turns that off); "
    "lower=/upper= bound them. shoot=K splits each dataset into K segments whose starting "
    "states are fitted too, with a continuity penalty: it keeps a spiking fit from locking "
    "onto the wrong spikes; a single-shooting run then polishes the result. A model with `when` "
    "resets (lif, izh) is fitted through them: the sensitivities jump by the saltation matrix "
    "at each located event and the traces are compared lifted over the resets, so the loss is "
    "smooth while the spike count matches the data's (start close, or from a CMA-ES fit). "
    "Progress shows while it runs; an interrupt ends the search and "
    "the best parameters so far are shown and bound as the result.\n\n"
    "Shows the estimates with standard errors from the Gauss–Newton matrix JᵀJ at the "
    "optimum (σ² from the residuals), 95 % intervals (±1.96 SE), the correlation matrix and, "
    "when the data cannot separate some parameters, a warning naming them (\"a and b trade "
    "off\"), from the smallest eigenvalue of the scaled Fisher matrix; then a figure of the "
    "data against the fitted model. profile=P adds the profile likelihood of P and its 95 % "
    "interval. FITTED is bound to the model with the estimates (for `use`, `simulate`, "
    "`compare`), with the fit as its fields: FITTED.estimates, .se, .parameters, "
    ".correlation, .warning, ….\n\n"
    "method=cmaes (or objective=) fits what is not differentiable: the electrophysiology "
    "features (objective=features, after BluePyOpt: spike count, first-spike latency, mean "
    "ISI, spike peaks and troughs, the steady state of silent sweeps, each scored against "
    "the data's value over a scale) or the firing rates (objective=fi) of current-clamp "
    "sweeps (datasets with t, V and I, e.g. `sweep rec 7`), each simulated under its own "
    "current (capacitance= converts pA to µA/cm²), searched by CMA-ES (Hansen 2016) inside "
    "lower=/upper= (default x/10 … 10x), seeded and identical on any number of threads. "
    "It reports the objective before and after, the work done, and each feature at the "
    "estimate against the data's, matched when within two of its scales (a rate: two "
    "spikes in the window or 20 %); a feature not matched is named, for the model may not "
    "do what the cell does or the search may have stopped in a local minimum. While one "
    "is not matched and evaluations are left, the search restarts (restarts=, 2 by "
    "default) from a random point of the bounds with twice the population (IPOP-CMA-ES, "
    "Auger & Hansen 2005), keeping the best of all runs. No standard errors.\n\n"
    "ensemble=N (least squares only) then fits N more times at once (threads=; under "
    "mpirun also over the ranks), each "
    "member from the estimates scattered by its seed (seed=) and, with bootstrap=true, on a "
    "resample: of the datasets when there are several, else of the fit's residuals added "
    "back to its trajectory. A table gives each parameter's mean ± SD across the members "
    "beside the single fit's standard error; a member whose loss ends above twice the "
    "fit's is left out and counted. FITTED gains .ensemble_mean, .ensemble_sd, "
    ".ensemble_values, .ensemble_size, .ensemble_kept.",
    fit_options,
    "sim = simulate hh t=50 observe=V noise=0.01 seed=1\n"
    "fitted = fit hh sim params=[gNa, gK] method=lm\n"
    "fit hh sim params=[gNa, gK] profile=gK\n"
    "fw = fit wb s2 s6 s10 params=[gNa, gK] objective=features capacitance=70 threads=2\n"
    "fe = fit hh sim params=[gNa, gK] method=lm ensemble=8 bootstrap=true",
    0, run_fit
};

nd_status nd_cmd_register_fit(nd_cmd_registry *reg, nd_error *err)
{
    static const nd_command *const all[] = {&cmd_fit};
    return nd_cmd_register_list(reg, all, 1, err);
}
