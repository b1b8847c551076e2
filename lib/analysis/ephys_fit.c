/* A single exponential fitted by least squares, as variable projection: for a given tau
   the model y0 + a e^{-x/tau} is linear in (y0, a), solved exactly, so the residual is a
   function of tau alone, minimised by a coarse logarithmic grid and golden sections. No
   starting guess to get wrong (ipfx's curve_fit starts at tau = 20 ms), and no local
   minimum but the one the grid brackets. */
#include "ephys.h"

#include <math.h>

typedef struct expdata {
    const double *t, *v;
    size_t n;
    int uniform;    /* t equally spaced: e^{-(t_k - t_0)/tau} = q^k */
} expdata;

/* Exact exponentials this often along a recurrence, so that its rounding (one ulp per
   step) never grows past 64 ulps. */
enum { REFRESH = 64 };

/* e^{-(t_k - t_0)/tau}: by the recurrence x_k = q x_{k-1} on a uniform grid (a thousand
   times fewer exp calls: the fit evaluates the residual for ~130 values of tau). */
static double decay(const expdata *e, size_t k, double tau, double q, double *x)
{
    if (!e->uniform || k % REFRESH == 0) *x = exp(-(e->t[k] - e->t[0]) / tau);
    else *x *= q;
    return *x;
}

/* The best (a, y0) for tau and the residual sum of squares they leave. */
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

/* 1 when the n times are equally spaced to within rounding. */
static int equally_spaced(const double *t, size_t n)
{
    double dt = (t[n - 1] - t[0]) / (double)(n - 1);
    for (size_t k = 1; k < n; k++)
        if (fabs(t[k] - t[0] - (double)k * dt) > 1e-9 * fabs(t[n - 1] - t[0])) return 0;
    return 1;
}

enum { GRID = 64, GOLDEN_STEPS = 100 };

nd_status nd_ephys_fit_exp(const double *t, const double *v, size_t n, double *tau,
                           double *a, double *y0, nd_error *err)
{
    *tau = *a = *y0 = NAN;
    if (n < 3 || !(t[n - 1] > t[0]))
        return nd_error_fail(err, ND_EVALUE, "an exponential fit needs at least 3 samples "
                             "over a positive time span");
    expdata e = {t, v, n, equally_spaced(t, n)};
    double span = t[n - 1] - t[0], step = span / (double)(n - 1);
    /* From a tenth of a sample interval to a hundred spans: beyond either end the
       exponential is a step or a straight line, not a decay the samples can show. */
    double lo = log(0.1 * step), hi = log(100 * span), best = INFINITY, pa, py;
    int jb = 0;
    for (int j = 0; j < GRID; j++) {
        double r = rss(&e, exp(lo + (hi - lo) * j / (GRID - 1)), &pa, &py);
        if (r < best) best = r, jb = j;
    }
    if (jb == 0 || jb == GRID - 1)
        return nd_error_fail(err, ND_ESOLVER, "no exponential decay in the samples (the best "
                             "time constant is at the edge of %.3g..%.3g)", exp(lo), exp(hi));
    double x0 = lo + (hi - lo) * (jb - 1) / (GRID - 1), x3 = lo + (hi - lo) * (jb + 1) / (GRID - 1);
    const double g = 0.5 * (sqrt(5.0) - 1);
    double x1 = x3 - g * (x3 - x0), x2 = x0 + g * (x3 - x0);
    double f1 = rss(&e, exp(x1), &pa, &py), f2 = rss(&e, exp(x2), &pa, &py);
    for (int it = 0; it < GOLDEN_STEPS && x3 - x0 > 1e-13; it++) {
        if (f1 < f2) {
            x3 = x2, x2 = x1, f2 = f1;
            x1 = x3 - g * (x3 - x0);
            f1 = rss(&e, exp(x1), &pa, &py);
        } else {
            x0 = x1, x1 = x2, f1 = f2;
            x2 = x0 + g * (x3 - x0);
            f2 = rss(&e, exp(x2), &pa, &py);
        }
    }
    *tau = exp(0.5 * (x0 + x3));
    rss(&e, *tau, a, y0);
    return ND_OK;
}
