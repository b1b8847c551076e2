/* L-BFGS (Nocedal & Wright, Algorithm 7.4/7.5): the two-loop recursion over the last m
   curvature pairs, scaled by γ = s·y / y·y, and a strong Wolfe line search so every
   stored pair has s·y > 0. When the search finds nothing the memory is dropped and a
   steepest-descent step is tried before the run is declared stalled. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "optim_impl.h"

/* d ← −H g by the two-loop recursion (d = −g with an empty memory). */
static void lbfgs_direction(nd_optim *opt)
{
    size_t n = opt->n;
    int m = opt->o.memory;
    for (size_t i = 0; i < n; i++) opt->d[i] = -opt->g[i];
    for (int k = opt->mem_len - 1; k >= 0; k--) {   /* newest to oldest */
        int j = (opt->mem_head + k) % m;
        double a = opt->rho[j] * nd_optim_dot(opt->S + (size_t)j * n, opt->d, n);
        opt->work[k] = a;
        const double *y = opt->Y + (size_t)j * n;
        for (size_t i = 0; i < n; i++) opt->d[i] -= a * y[i];
    }
    if (opt->mem_len > 0) {
        int j = (opt->mem_head + opt->mem_len - 1) % m;
        const double *y = opt->Y + (size_t)j * n;
        double gamma = 1.0 / (opt->rho[j] * nd_optim_dot(y, y, n));
        for (size_t i = 0; i < n; i++) opt->d[i] *= gamma;
    }
    for (int k = 0; k < opt->mem_len; k++) {         /* oldest to newest */
        int j = (opt->mem_head + k) % m;
        double b = opt->rho[j] * nd_optim_dot(opt->Y + (size_t)j * n, opt->d, n);
        const double *s = opt->S + (size_t)j * n;
        for (size_t i = 0; i < n; i++) opt->d[i] += (opt->work[k] - b) * s[i];
    }
}

/* Stores s = xt − x, y = gt − g when the curvature s·y is safely positive (a Wolfe
   fallback step may lack it); checked before writing so the oldest pair survives a skip. */
static void lbfgs_push(nd_optim *opt)
{
    size_t n = opt->n;
    int m = opt->o.memory;
    double sy = 0, yy = 0;
    for (size_t i = 0; i < n; i++) {
        double si = opt->xt[i] - opt->x[i], yi = opt->gt[i] - opt->g[i];
        sy += si * yi;
        yy += yi * yi;
    }
    if (!(sy > DBL_EPSILON * yy)) return;
    int j = opt->mem_len < m ? (opt->mem_head + opt->mem_len) % m : opt->mem_head;
    double *s = opt->S + (size_t)j * n, *y = opt->Y + (size_t)j * n;
    for (size_t i = 0; i < n; i++) {
        s[i] = opt->xt[i] - opt->x[i];
        y[i] = opt->gt[i] - opt->g[i];
    }
    opt->rho[j] = 1.0 / sy;
    if (opt->mem_len < m) opt->mem_len++;
    else opt->mem_head = (opt->mem_head + 1) % m;
}

nd_optim_stop nd_optim_lbfgs_iter(nd_optim *opt, const nd_optim_fn *r,
                                  const nd_optim_callbacks *cb)
{
    size_t n = opt->n;
    nd_optim_step st;
    int res = -1;
    for (;;) {
        lbfgs_direction(opt);
        double slope = nd_optim_dot(opt->g, opt->d, n);
        if (!(slope < 0)) {   /* not a descent direction: forget the memory */
            if (opt->mem_len == 0) return ND_OPTIM_GTOL;   /* ∇f is exactly zero */
            opt->mem_len = 0;
            continue;
        }
        /* Without memory the direction has no scale: start with a step of length ≤ 1. */
        double a0 = opt->mem_len ? 1.0 : fmin(1.0, 1.0 / sqrt(-slope));
        res = nd_optim_wolfe(opt, r, a0, slope, &st);
        if (res >= 0 || opt->mem_len == 0) break;
        opt->mem_len = 0;
    }
    if (res < 0) return ND_OPTIM_STALLED;
    if (cb && cb->step) cb->step(cb->step_ctx, &st);
    lbfgs_push(opt);
    double fprev = opt->f;
    memcpy(opt->x, opt->xt, n * sizeof *opt->x);
    memcpy(opt->g, opt->gt, n * sizeof *opt->g);
    opt->f = opt->ft;
    if (sqrt(nd_optim_dot(opt->g, opt->g, n)) <= opt->o.gtol) return ND_OPTIM_GTOL;
    double scale = fmax(fmax(fabs(fprev), fabs(opt->f)), 1.0);
    if (fprev - opt->f <= opt->o.ftol * scale) return ND_OPTIM_FTOL;
    return ND_OPTIM_RUNNING;
}
