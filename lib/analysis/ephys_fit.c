/* A single exponential fitted by least squares, as variable projection: for a given tau
   the model y0 + a e^{-x/tau} is linear in (y0, a), solved exactly, so the residual is a
   function of tau alone. A coarse logarithmic grid brackets its minimum (no starting
   guess to get wrong, as ipfx's curve_fit starting at tau = 20 ms can, and no local
   minimum but the one the grid brackets), Brent's method narrows it on a one-pass form of
   the residual, and a parabola through three residuals computed sample by sample places
   it to about 1e-10 of tau: the one-pass form subtracts large sums and blurs the minimum
   to ~1e-6, while the flat bottom of any residual computed in double blurs it to ~1e-8
   for a search that compares values, but not for a parabola fitted 1e-5 apart. */
#include "ephys.h"

#include <math.h>

#include "../base/minimize.h"
#include "../base/vec2.h"

typedef struct expdata {
    const double *t, *v;
    size_t n;
    int uniform;       /* t equally spaced: e^{-(t_k - t_0)/tau} = q^k */
    double step;       /* (t[n-1] - t[0]) / (n - 1) */
    double vmean;      /* the residual is the same for v - vmean, which keeps sums small */
    double sw, sww;    /* sum of w = v - vmean and of w^2 */
} expdata;

/* Exact exponentials this often along a recurrence, so that its rounding (one ulp per
   step) never grows past 64 ulps. */
enum { REFRESH = 64 };

/* e^{-(t_k - t_0)/tau}: by the recurrence x_k = q x_{k-1} on a uniform grid (a thousand
   times fewer exp calls). */
static double decay(const expdata *e, size_t k, double tau, double q, double *x)
{
    if (!e->uniform || k % REFRESH == 0) *x = exp(-(e->t[k] - e->t[0]) / tau);
    else *x *= q;
    return *x;
}

/* The best (a, y0) for tau and the residual sum of squares they leave, sample by sample:
   accurate to rounding, for the final parabola and the fitted amplitude. */
static double rss(const expdata *e, double tau, double *a, double *y0)
{
    double se = 0, sy = 0, see = 0, sey = 0, x = 1;
    double q = e->n > 1 ? exp(-(e->t[1] - e->t[0]) / tau) : 1;
    for (size_t k = 0; k < e->n; k++) {
        decay(e, k, tau, q, &x);
        se += x;
        sy += e->v[k];
        see += x * x;
        sey += x * e->v[k];
    }
    double n = (double)e->n, var = see - se * se / n;
    *a = var > 0 ? (sey - se * sy / n) / var : 0;
    *y0 = (sy - *a * se) / n;
    /* A second pass: the residuals themselves, not a difference of large sums. */
    double r = 0;
    for (size_t k = 0; k < e->n; k++) {
        double d = e->v[k] - *y0 - *a * decay(e, k, tau, q, &x);
        r += d * d;
    }
    return r;
}

/* sum_k q^k w_k on a uniform grid, in four interleaved chains (q^k for k = j mod 4, held
   as two pairs) so that the multiplications overlap, each restarted from an exact power
   every REFRESH steps. The grid's 64 evaluations of this sum are most of the fit's cost. */
static double weighted_sum(const expdata *e, double tau)
{
    const double *v = e->v, h = e->step / tau, q4 = exp(-4 * h);
    const nd_v2 m = nd_v2_splat(e->vmean), q = nd_v2_splat(q4);
    nd_v2 s01 = nd_v2_splat(0), s23 = s01;
    size_t n = e->n, k = 0;
    while (k < n) {
        nd_v2 x01 = {exp(-(double)k * h), exp(-(double)(k + 1) * h)},
           x23 = {exp(-(double)(k + 2) * h), exp(-(double)(k + 3) * h)};
        if (x01[0] == 0) break;   /* underflowed: the rest adds exact zeros (short taus) */
        size_t end = n - k > 4 * REFRESH ? k + 4 * REFRESH : n;
        for (; k + 4 <= end; k += 4) {
            nd_v2 w01 = nd_v2_load(v + k), w23 = nd_v2_load(v + k + 2);
            s01 += x01 * (w01 - m);
            s23 += x23 * (w23 - m);
            x01 *= q;
            x23 *= q;
        }
        /* the last 1..3 samples, in lanes 0..2 */
        for (int j = 0; k < end; k++, j++) {
            if (j < 2) s01[j] += x01[j] * (v[k] - m[0]);
            else s23[j - 2] += x23[j - 2] * (v[k] - m[0]);
        }
    }
    return (s01[0] + s01[1]) + (s23[0] + s23[1]);
}

/* The residual sum of squares for tau in one pass: sum w^2 less what the exponential
   explains, cov(x, w)^2 / var(x), with sum x and sum x^2 geometric series on a uniform
   grid. Good to ~1e-12 of sum w^2: enough to bracket and narrow the minimum. */
static double projected_rss(const expdata *e, double tau)
{
    double n = (double)e->n, sx = 0, sxx = 0, sxw = 0;
    if (e->uniform) {
        /* (1 - q^n) / (1 - q) with expm1 for a q near 1 */
        sx = expm1(-n * e->step / tau) / expm1(-e->step / tau);
        sxx = expm1(-2 * n * e->step / tau) / expm1(-2 * e->step / tau);
        sxw = weighted_sum(e, tau);
    } else {
        for (size_t k = 0; k < e->n; k++) {
            double x = exp(-(e->t[k] - e->t[0]) / tau);
            sx += x;
            sxx += x * x;
            sxw += x * (e->v[k] - e->vmean);
        }
    }
    double var = sxx - sx * sx / n, cov = sxw - sx * e->sw / n;
    return var > 0 ? e->sww - cov * cov / var : e->sww;
}

/* projected_rss at tau = e^x, for the minimiser. */
static double objective(void *ctx, double x)
{
    return projected_rss(ctx, exp(x));
}

/* 1 when the n times are equally spaced to within rounding. */
static int equally_spaced(const double *t, size_t n)
{
    double dt = (t[n - 1] - t[0]) / (double)(n - 1);
    for (size_t k = 1; k < n; k++)
        if (fabs(t[k] - t[0] - (double)k * dt) > 1e-9 * fabs(t[n - 1] - t[0])) return 0;
    return 1;
}

/* The samples of a fit with what does not depend on tau. */
static expdata expdata_make(const double *t, const double *v, size_t n)
{
    expdata e = {t, v, n, equally_spaced(t, n), (t[n - 1] - t[0]) / (double)(n - 1), 0, 0, 0};
    for (size_t k = 0; k < n; k++) e.vmean += v[k];
    e.vmean /= (double)n;
    for (size_t k = 0; k < n; k++) {
        e.sw += v[k] - e.vmean;
        e.sww += (v[k] - e.vmean) * (v[k] - e.vmean);
    }
    return e;
}

/* The vertex of the parabola through the accurate residuals at x - h, x, x + h (log tau),
   moved at most h: where the minimum of a smooth residual is, to O(h^2). */
static double parabola_vertex(const expdata *e, double x, double h)
{
    double a, y0, fm = rss(e, exp(x - h), &a, &y0), f0 = rss(e, exp(x), &a, &y0),
           fp = rss(e, exp(x + h), &a, &y0), curv = fm - 2 * f0 + fp;
    if (!(curv > 0)) return x;
    double off = 0.5 * h * (fm - fp) / curv;
    return x + (off > h ? h : off < -h ? -h : off);
}

enum { GRID = 64, BRENT_STEPS = 100 };

/* Brent stops within BRENT_TOL (relative in tau), well inside the parabola's +-PARABOLA_H. */
#define BRENT_TOL 1e-7
#define PARABOLA_H 1e-5

nd_status nd_ephys_fit_exp(const double *t, const double *v, size_t n, double *tau,
                           double *a, double *y0, nd_error *err)
{
    *tau = *a = *y0 = NAN;
    if (n < 3 || !(t[n - 1] > t[0]))
        return nd_error_fail(err, ND_EVALUE, "an exponential fit needs at least 3 samples "
                             "over a positive time span");
    expdata e = expdata_make(t, v, n);
    double span = t[n - 1] - t[0];
    /* From a tenth of a sample interval to a hundred spans: beyond either end the
       exponential is a step or a straight line, not a decay the samples can show. */
    double lo = log(0.1 * e.step), hi = log(100 * span), best = INFINITY;
    int jb = 0;
    for (int j = 0; j < GRID; j++) {
        double r = projected_rss(&e, exp(lo + (hi - lo) * j / (GRID - 1)));
        if (r < best) best = r, jb = j;
    }
    if (jb == 0 || jb == GRID - 1)
        return nd_error_fail(err, ND_ESOLVER, "no exponential decay in the samples (the best "
                             "time constant is at the edge of %.3g..%.3g)", exp(lo), exp(hi));
    double x0 = lo + (hi - lo) * (jb - 1) / (GRID - 1), x3 = lo + (hi - lo) * (jb + 1) / (GRID - 1);
    double fx, x = nd_min_brent(objective, &e, x0, x3, lo + (hi - lo) * jb / (GRID - 1), best,
                                BRENT_TOL, BRENT_STEPS, &fx);
    *tau = exp(parabola_vertex(&e, x, PARABOLA_H));
    rss(&e, *tau, a, y0);
    return ND_OK;
}
