/* The options' defaults, the stimulus window of a current trace, and the sample arithmetic
   the feature files share. */
#include "ephys_impl.h"

#include <math.h>

#include "../base/range.h"

void nd_ephys_options_default(nd_ephys_options *o)
{
    *o = (nd_ephys_options){
        .dv_cutoff = 20, .thresh_frac = 0.05, .min_height = 2, .min_peak = -30,
        .max_interval = 5, .clip_tol = 1, .baseline_ms = 100, .steady_ms = 30,
        .peak_ms = 5, .tau_frac = 0.1,
    };
}

size_t ephys_index(const ephys_grid *g, double x)
{
    double k = ceil((x - g->t[0]) / g->dt - 0.5);
    if (!(k > 0)) return 0;
    if (k >= (double)(g->n - 1)) return g->n - 1;
    return (size_t)k;
}

double ephys_mean(const double *v, size_t a, size_t b)
{
    if (b <= a) return NAN;
    double s = 0;
    for (size_t k = a; k < b; k++) s += v[k];
    return s / (double)(b - a);
}

nd_status ephys_step(const double *i, size_t n, size_t *a, size_t *b, nd_error *err)
{
    double lo, hi;
    if (n < 2 || nd_finite_range(i, n, &lo, &hi) != n)
        return nd_error_fail(err, ND_EVALUE, "the current needs at least 2 finite samples");
    /* A command waveform is exactly piecewise constant; the tolerance only forgives the
       rounding of a stored or scaled one. */
    double tol = 1e-3 * (hi - lo);
    if (!(hi > lo))
        return nd_error_fail(err, ND_EVALUE, "no stimulus step found: the current is "
                             "constant (%g)", lo);
    size_t best = 0, best_len = 0;
    for (size_t k = 0; k < n;) {
        size_t e = k + 1;
        while (e < n && fabs(i[e] - i[k]) <= tol) e++;
        if (fabs(i[k] - i[0]) > tol && e - k > best_len) best = k, best_len = e - k;
        k = e;
    }
    if (best_len == 0)
        return nd_error_fail(err, ND_EVALUE, "no stimulus step found: the current never "
                             "leaves its holding value %g", i[0]);
    *a = best;
    *b = best + best_len;
    return ND_OK;
}

nd_status nd_ephys_stimulus(const double *t, const double *i, size_t n, nd_ephys_window *w,
                            nd_error *err)
{
    *w = (nd_ephys_window){NAN, NAN, NAN, NAN};
    size_t a, b;
    nd_status st = ephys_step(i, n, &a, &b, err);
    if (st != ND_OK) return st;
    double dt = (t[n - 1] - t[0]) / (double)(n - 1);
    w->start = t[a];
    w->end = b < n ? t[b] : t[n - 1] + dt;
    w->holding = i[0];
    w->amplitude = ephys_mean(i, a, b) - i[0];
    return ND_OK;
}
