/* Parameters live on different scales (gNa ~ 100 mS/cm², EL ~ −65 mV), and CMA-ES starts
   isotropic: so the search runs in the unit box, each parameter mapped from its bounds,
   logarithmically for positive ones so that a step is a relative change. */
#include "fit_cmaes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/rng.h"

void nd_fit_cmaes_options_default(nd_fit_cmaes_options *o)
{
    nd_fit_setup_default(&o->setup);
    nd_cmaes_options_default(&o->cmaes);
    o->cmaes.tolfun = 1e-6;
    o->cmaes.tolx = 1e-4;        /* in the unit box: 0.02 % of a 10-fold range */
    o->cmaes.max_evals = 3000;
    o->restarts = 2;
}

void nd_fit_cmaes_result_clear(nd_fit_cmaes_result *r)
{
    free(r->best), free(r->lower), free(r->upper), free(r->features);
    memset(r, 0, sizeof *r);
}

/* The map between parameter values and search coordinates, and the objective behind. */
typedef struct mapped {
    size_t np;
    const double *lo, *hi;
    double *p;                     /* the progress callback's parameter values (one thread) */
    nd_fit_objective *obj;
    const nd_cmaes_options *user;  /* the caller's progress callback */
} mapped;

static double to_u(const mapped *m, size_t j, double p)
{
    if (m->lo[j] > 0) return log(p / m->lo[j]) / log(m->hi[j] / m->lo[j]);
    return (p - m->lo[j]) / (m->hi[j] - m->lo[j]);
}

static double to_p(const mapped *m, size_t j, double u)
{
    if (m->lo[j] > 0) return m->lo[j] * exp(u * log(m->hi[j] / m->lo[j]));
    return m->lo[j] + u * (m->hi[j] - m->lo[j]);
}

static void to_pars(const mapped *m, const double *u, double *p)
{
    for (size_t j = 0; j < m->np; j++) p[j] = to_p(m, j, u[j]);
}

/* The objective in search coordinates (called by several threads: its own p on the stack
   for small fits, else allocated). */
static int eval_u(void *ctx, const double *u, size_t n, double *value)
{
    const mapped *m = ctx;
    double stack[16], *p = n <= 16 ? stack : malloc(n * sizeof *p);
    if (!p) return -1;
    to_pars(m, u, p);
    int rc = nd_fit_objective_eval(m->obj, p, n, value);
    if (p != stack) free(p);
    return rc;
}

static void progress_u(void *ctx, const nd_cmaes_state *s)
{
    mapped *m = ctx;
    nd_cmaes_state ps = *s;
    to_pars(m, s->xbest, m->p);
    ps.xbest = m->p;
    m->user->progress(m->user->progress_ctx, &ps);
}

/* Bounds filled in (x0/10 … 10·x0 for a positive x0 without them) and checked. */
static nd_status bounds(const char *const *names, size_t np, const double *x0, const double *lower,
                        const double *upper, double *lo, double *hi, nd_error *err)
{
    for (size_t j = 0; j < np; j++) {
        lo[j] = lower ? lower[j] : NAN;
        hi[j] = upper ? upper[j] : NAN;
        if (isnan(lo[j]) && x0[j] > 0) lo[j] = x0[j] / 10;
        if (isnan(hi[j]) && x0[j] > 0) hi[j] = x0[j] * 10;
        if (!isfinite(lo[j]) || !isfinite(hi[j]))
            return nd_error_fail(err, ND_EVALUE, "%s needs finite bounds (only a positive "
                                 "value gets x/10 … 10x by default)", names[j]);
        if (!(lo[j] < hi[j]))
            return nd_error_fail(err, ND_EVALUE, "%s: the bounds %g … %g are empty", names[j], lo[j], hi[j]);
        if (!(x0[j] >= lo[j] && x0[j] <= hi[j]))
            return nd_error_fail(err, ND_EVALUE, "%s = %g lies outside its bounds %g … %g",
                                 names[j], x0[j], lo[j], hi[j]);
    }
    return ND_OK;
}

/* The features at r->best into r (replacing those of an earlier best); one evaluation.
   Returns 0, or -1 when they could not be compared (an interrupt during the simulation):
   the fit stands without them. */
static int report(const nd_fit_objective *obj, nd_fit_cmaes_result *r)
{
    free(r->features);
    nd_error sub;
    nd_status st = nd_fit_objective_report(obj, r->best, &r->features, &r->nfeatures, &sub);
    r->unmatched = 0;
    for (size_t i = 0; i < r->nfeatures; i++) r->unmatched += !r->features[i].matched;
    r->evals++;
    return st == ND_OK ? 0 : -1;
}

/* A run that converged somewhere may restart; one cut short by the budget, the target or
   an interrupt may not. */
static int converged(nd_cmaes_stop s)
{
    return s == ND_CMAES_TOLFUN || s == ND_CMAES_TOLX || s == ND_CMAES_STAGNATION ||
           s == ND_CMAES_CONDITION;
}

nd_status nd_fit_cmaes(const nd_model *m, const char *const *names, size_t np,
                       const double *x0, const double *lower, const double *upper,
                       const nd_dataset *const *sweeps, size_t ns,
                       const nd_fit_cmaes_options *o, nd_fit_cmaes_result *r, nd_error *err)
{
    memset(r, 0, sizeof *r);
    nd_fit_cmaes_options def;
    if (!o) nd_fit_cmaes_options_default(&def), o = &def;
    if (np == 0) return nd_error_fail(err, ND_EVALUE, "name at least one parameter to fit");
    double *start = malloc(np * sizeof *start), *lo = malloc(np * sizeof *lo);
    double *hi = malloc(np * sizeof *hi), *u0 = malloc(np * sizeof *u0), *ub = malloc(np * sizeof *ub);
    double *scratch = malloc(np * sizeof *scratch);
    double *zeros = calloc(np, sizeof *zeros), *ones = malloc(np * sizeof *ones);
    r->best = malloc(np * sizeof *r->best);
    r->np = np;
    nd_status st = ND_OK;
    if (!start || !lo || !hi || !u0 || !ub || !scratch || !zeros || !ones || !r->best)
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t j = 0; !st && j < np; j++) {
        int k = nd_model_index(m, ND_MODEL_PAR, names[j]);
        if (k < 0) st = nd_error_fail(err, ND_ENAME, "%s has no parameter '%s'", nd_model_name(m), names[j]);
        else start[j] = x0 ? x0[j] : nd_model_pars(m)[k];
        ones[j] = 1;
    }
    if (!st) st = bounds(names, np, start, lower, upper, lo, hi, err);
    nd_fit_setup setup = o->setup;
    if (!setup.interrupt) setup.interrupt = o->cmaes.interrupt;
    nd_fit_objective *obj = st ? NULL : nd_fit_objective_create(m, names, np, sweeps, ns, &setup, err);
    if (!st && !obj) st = err ? err->code : ND_EVALUE;
    mapped map = {np, lo, hi, scratch, obj, &o->cmaes};
    if (!st) {
        for (size_t j = 0; j < np; j++) u0[j] = to_u(&map, j, start[j]);
        /* the start is evaluated on its own: the result is never worse than it */
        r->start_value = INFINITY;
        if (nd_fit_objective_eval(obj, start, np, &r->start_value) != 0) r->start_value = INFINITY;
        nd_cmaes_options co = o->cmaes;
        co.lower = zeros, co.upper = ones;
        if (o->cmaes.progress) co.progress = progress_u, co.progress_ctx = &map;
        memcpy(r->best, start, np * sizeof *start);
        r->value = r->start_value;
        r->evals = 1;
        nd_rng rng;
        nd_rng_seed(&rng, nd_rng_derive(o->cmaes.seed, 0x1905));
        for (int run = 0; !st; run++) {
            nd_cmaes_result cr;
            st = nd_cmaes_minimize(eval_u, &map, np, u0, &co, ub, &cr, err);
            if (st) break;
            r->evals += cr.evals;
            r->generations += cr.generations;
            r->stop = cr.stop;
            r->lambda = cr.lambda;
            int better = cr.fbest < r->value;
            if (better) {
                to_pars(&map, ub, r->best);
                r->value = cr.fbest;
                r->best_run = run;
            }
            if (cr.stop == ND_CMAES_INTERRUPT) {   /* no simulation runs after an interrupt */
                if (better) free(r->features), r->features = NULL, r->nfeatures = r->unmatched = 0;
                break;
            }
            if ((better || run == 0) && report(obj, r) != 0) break;
            long left = co.max_evals - cr.evals;
            /* IPOP: twice the population, a fresh start anywhere in the box */
            if (!r->unmatched || run >= o->restarts || !converged(cr.stop) ||
                left < (long)(20 * 2 * cr.lambda))
                break;
            co.lambda = 2 * cr.lambda;
            co.max_evals = left;
            co.seed = nd_rng_derive(o->cmaes.seed, (uint64_t)run + 1);
            for (size_t j = 0; j < np; j++) u0[j] = nd_rng_uniform(&rng);
            r->restarts++;
        }
    }
    nd_fit_objective_free(obj);
    r->lower = lo, r->upper = hi;   /* the result keeps the bounds it was searched in */
    free(start), free(u0), free(ub), free(scratch), free(zeros), free(ones);
    if (st) nd_fit_cmaes_result_clear(r);
    return st;
}
