/* The optimizer object: options, state allocation, the run loop (interrupt, progress,
   history, best point) shared by every kind. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "optim_impl.h"

void nd_optim_options_default(nd_optim_options *o)
{
    *o = (nd_optim_options){ .lr = 1e-3, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8,
                             .weight_decay = 0.0, .memory = 10, .c1 = 1e-4, .c2 = 0.9,
                             .max_ls = 25, .gtol = 1e-8, .ftol = 1e-12 };
}

const char *nd_optim_kind_name(nd_optim_kind kind)
{
    switch (kind) {
    case ND_OPTIM_ADAM: return "adam";
    case ND_OPTIM_ADAMW: return "adamw";
    case ND_OPTIM_LBFGS: return "lbfgs";
    }
    return "?";
}

const char *nd_optim_stop_text(nd_optim_stop s)
{
    switch (s) {
    case ND_OPTIM_ITERS: return "iteration limit";
    case ND_OPTIM_GTOL: return "gradient below gtol";
    case ND_OPTIM_FTOL: return "converged (no further decrease)";
    case ND_OPTIM_STALLED: return "stalled (no step decreases the loss)";
    case ND_OPTIM_INTERRUPTED: return "interrupted";
    default: return "failed (see the error)";
    }
}

nd_status nd_optim_check(nd_optim_kind kind, const nd_optim_options *o, nd_error *err)
{
    if (kind != ND_OPTIM_LBFGS) {
        if (!(o->lr > 0) || !isfinite(o->lr))
            return nd_error_fail(err, ND_EVALUE, "lr must be positive (got %g)", o->lr);
        if (!(o->beta1 >= 0 && o->beta1 < 1) || !(o->beta2 >= 0 && o->beta2 < 1))
            return nd_error_fail(err, ND_EVALUE, "beta1 and beta2 must be in [0, 1)");
        if (!(o->eps > 0))
            return nd_error_fail(err, ND_EVALUE, "eps must be positive (got %g)", o->eps);
        if (!(o->weight_decay >= 0) || !isfinite(o->weight_decay))
            return nd_error_fail(err, ND_EVALUE, "weight_decay must be ≥ 0 (got %g)",
                                 o->weight_decay);
    } else {
        if (o->memory < 1 || o->memory > 1000)
            return nd_error_fail(err, ND_EVALUE, "memory must be in 1..1000 (got %d)",
                                 o->memory);
        if (!(0 < o->c1 && o->c1 < o->c2 && o->c2 < 1))
            return nd_error_fail(err, ND_EVALUE, "the Wolfe constants need 0 < c1 < c2 < 1");
        if (o->max_ls < 2)
            return nd_error_fail(err, ND_EVALUE, "max_ls must be at least 2 (got %d)",
                                 o->max_ls);
        if (!(o->ftol >= 0))
            return nd_error_fail(err, ND_EVALUE, "ftol must be ≥ 0 (got %g)", o->ftol);
    }
    if (!(o->gtol >= 0) || !isfinite(o->gtol) || !isfinite(o->ftol))
        return nd_error_fail(err, ND_EVALUE, "gtol and ftol must be finite and ≥ 0");
    return ND_OK;
}

nd_optim *nd_optim_create(nd_optim_kind kind, size_t n, const nd_optim_options *o)
{
    nd_optim_options def;
    nd_optim_options_default(&def);
    if (!o) o = &def;
    if (n == 0 || n > ((size_t)1 << 40) || nd_optim_check(kind, o, NULL) != ND_OK)
        return NULL;
    nd_optim *opt = calloc(1, sizeof *opt);
    if (!opt) return NULL;
    opt->kind = kind;
    opt->n = n;
    opt->o = *o;
    opt->lr_scale = 1.0;
    size_t m = kind == ND_OPTIM_LBFGS ? (size_t)o->memory : 0;
    double **vec[] = { &opt->best, &opt->best_g, &opt->x, &opt->g, &opt->xt, &opt->gt,
                       &opt->d, &opt->xlo, &opt->glo };
    int ok = 1;
    for (size_t i = 0; i < sizeof vec / sizeof *vec; i++)
        ok &= (*vec[i] = calloc(n, sizeof(double))) != NULL;
    if (kind == ND_OPTIM_LBFGS) {
        ok &= (opt->S = calloc(m * n, sizeof(double))) != NULL;
        ok &= (opt->Y = calloc(m * n, sizeof(double))) != NULL;
        ok &= (opt->rho = calloc(m, sizeof(double))) != NULL;
        ok &= (opt->work = calloc(m, sizeof(double))) != NULL;
    } else {
        ok &= (opt->m = calloc(n, sizeof(double))) != NULL;
        ok &= (opt->v = calloc(n, sizeof(double))) != NULL;
    }
    if (!ok) {
        nd_optim_free(opt);
        return NULL;
    }
    return opt;
}

void nd_optim_free(nd_optim *opt)
{
    if (!opt) return;
    double *vec[] = { opt->best, opt->best_g, opt->hist, opt->m, opt->v, opt->S, opt->Y,
                      opt->rho, opt->x, opt->g, opt->xt, opt->gt, opt->d, opt->xlo,
                      opt->glo, opt->work };
    for (size_t i = 0; i < sizeof vec / sizeof *vec; i++) free(vec[i]);
    free(opt);
}

double nd_optim_dot(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

int nd_optim_eval(nd_optim *opt, const nd_optim_fn *r, const double *x, double *f, double *g)
{
    opt->evals++;
    int rc = r->fn(r->ctx, x, f, g);
    /* A NaN or infinite loss would poison the moments or the curvature pairs: reject it
       like an explicit failure. */
    if (rc == 0 && !isfinite(*f)) rc = 1;
    for (size_t i = 0; rc == 0 && i < opt->n; i++)
        if (!isfinite(g[i])) rc = 1;
    if (rc != 0) {
        opt->failures++;
        return 1;
    }
    if (!opt->has_best || *f < opt->best_f) {
        opt->has_best = 1;
        opt->best_f = *f;
        memcpy(opt->best, x, opt->n * sizeof *x);
        memcpy(opt->best_g, g, opt->n * sizeof *g);
    }
    return 0;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

int nd_optim_reserve_history(nd_optim *opt, long more)
{
    size_t need = opt->hist_len + (size_t)more;
    if (need <= opt->hist_cap) return 0;
    double *h = realloc(opt->hist, need * sizeof *h);
    if (!h) return -1;
    opt->hist = h;
    opt->hist_cap = need;
    return 0;
}

/* Ends a run: theta gets the best point seen. */
static void finish(nd_optim *opt, double *theta)
{
    if (opt->has_best) memcpy(theta, opt->best, opt->n * sizeof *theta);
}

nd_status nd_optim_run(nd_optim *opt, double *theta, nd_objective fn, void *ctx, long iters,
                       const nd_optim_callbacks *cb, nd_error *err)
{
    if (!opt || !theta || !fn || iters < 0)
        return nd_error_fail(err, ND_EVALUE, "optimizer run: bad arguments");
    if (nd_optim_reserve_history(opt, iters) != 0)
        return nd_error_fail(err, ND_ENOMEM, "out of memory for the loss history");
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    nd_optim_fn r = { fn, ctx };
    size_t n = opt->n;
    memcpy(opt->x, theta, n * sizeof *theta);
    if (nd_optim_eval(opt, &r, opt->x, &opt->f, opt->g) != 0) {
        opt->stop = ND_OPTIM_STALLED;
        return nd_error_fail(err, ND_ESOLVER,
                             "the loss cannot be evaluated at the starting parameters");
    }
    opt->stop = ND_OPTIM_RUNNING;
    for (long k = 0; k < iters && opt->stop == ND_OPTIM_RUNNING; k++) {
        if (cb && cb->interrupt && atomic_load(cb->interrupt)) {
            opt->stop = ND_OPTIM_INTERRUPTED;
            finish(opt, theta);
            return nd_error_fail(err, ND_EINTERRUPT, "interrupted by the user");
        }
        opt->stop = opt->kind == ND_OPTIM_LBFGS ? nd_optim_lbfgs_iter(opt, &r, cb)
                                                : nd_optim_adam_iter(opt, &r);
        if (opt->stop == ND_OPTIM_STALLED) break;   /* no step was taken */
        opt->iter++;
        opt->hist[opt->hist_len++] = opt->f;
        if (cb && cb->progress)
            cb->progress(cb->progress_ctx, opt->iter, opt->f,
                         sqrt(nd_optim_dot(opt->g, opt->g, n)), seconds_since(&t0));
    }
    if (opt->stop == ND_OPTIM_RUNNING) opt->stop = ND_OPTIM_ITERS;
    finish(opt, theta);
    return ND_OK;
}

const double *nd_optim_best(const nd_optim *opt, double *f)
{
    if (!opt->has_best) return NULL;
    if (f) *f = opt->best_f;
    return opt->best;
}

const double *nd_optim_history(const nd_optim *opt, size_t *len)
{
    *len = opt->hist_len;
    return opt->hist;
}

nd_optim_info nd_optim_get_info(const nd_optim *opt)
{
    return (nd_optim_info){ opt->kind, opt->n, opt->iter, opt->evals, opt->failures,
                            opt->stop };
}
