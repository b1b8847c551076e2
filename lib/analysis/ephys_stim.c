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

nd_status nd_ephys_stimulus(const double *t, const double *i, size_t n, nd_ephys_window *w,
                            nd_error *err)
{
    *w = (nd_ephys_window){NAN, NAN, NAN, NAN};
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
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && fabs(i[b] - i[a]) <= tol) b++;
        if (fabs(i[a] - i[0]) > tol && b - a > best_len) best = a, best_len = b - a;
        a = b;
    }
    if (best_len == 0)
        return nd_error_fail(err, ND_EVALUE, "no stimulus step found: the current never "
                             "leaves its holding value %g", i[0]);
    double dt = (t[n - 1] - t[0]) / (double)(n - 1);
    size_t b = best + best_len;
    w->start = t[best];
    w->end = b < n ? t[b] : t[n - 1] + dt;
    w->holding = i[0];
    w->amplitude = ephys_mean(i, best, b) - i[0];
    return ND_OK;
}
