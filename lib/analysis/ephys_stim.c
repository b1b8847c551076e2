/* The options' defaults, the stimulus window of a current trace, and the sample arithmetic
   the feature files share. */
#include "ephys_impl.h"

#include <math.h>

#include "../base/range.h"
#include "../base/vec2.h"

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

/* A command waveform is a few levels held for thousands of samples: its runs of equal
   samples are found in one pass, then the range, the tolerance and the steps work on the
   runs instead of passing over the samples twice more. */
enum { FEW_RUNS = 64 };

/* 1 when x[0..8) all equal p (not when p is NaN). */
static int same8(const double *x, double p)
{
    nd_v2 q = nd_v2_splat(p);
    nd_m2 differ = (nd_v2_load(x) != q) | (nd_v2_load(x + 2) != q) |
                   (nd_v2_load(x + 4) != q) | (nd_v2_load(x + 6) != q);
    return !(differ[0] | differ[1]);
}

/* The runs of equal samples of i (n >= 1) when there are at most FEW_RUNS: their starts
   in start[0..m] (start[m] = n) and values in val[0..m); returns m, or 0 when there are
   more (a recorded current, a pulse train). */
static size_t exact_runs(const double *i, size_t n, size_t *start, double *val)
{
    size_t m = 1;
    start[0] = 0;
    val[0] = i[0];
    for (size_t k = 1; k < n; k++) {
        /* eight samples equal to the one before are skipped together */
        while (k + 8 <= n && same8(i + k, i[k - 1])) k += 8;
        if (k == n) break;
        if (i[k] == i[k - 1]) continue;   /* a NaN differs from everything: its own run */
        if (m == FEW_RUNS) return 0;
        start[m] = k;
        val[m++] = i[k];
    }
    start[m] = n;
    return m;
}

/* The sample run j starts at: start[j], or j when every sample is a run (start NULL). */
static size_t run_at(const size_t *start, size_t j)
{
    return start ? start[j] : j;
}

nd_status ephys_step(const double *i, size_t n, size_t *a, size_t *b, nd_error *err)
{
    size_t starts[FEW_RUNS + 1];
    double vals[FEW_RUNS], lo, hi;
    size_t m = n >= 2 ? exact_runs(i, n, starts, vals) : 0;
    /* without few runs, every sample is one: the same scans over the samples */
    const size_t *start = m ? starts : NULL;
    const double *val = m ? vals : i;
    if (!m) m = n;
    if (n < 2 || nd_finite_range(val, m, &lo, &hi) != m)
        return nd_error_fail(err, ND_EVALUE, "the current needs at least 2 finite samples");
    /* A command waveform is exactly piecewise constant; the tolerance only forgives the
       rounding of a stored or scaled one. */
    double tol = 1e-3 * (hi - lo);
    if (!(hi > lo))
        return nd_error_fail(err, ND_EVALUE, "no stimulus step found: the current is "
                             "constant (%g)", lo);
    size_t best = 0, best_len = 0;
    for (size_t j = 0; j < m;) {
        size_t e = j + 1;
        while (e < m && fabs(val[e] - val[j]) <= tol) e++;
        size_t from = run_at(start, j), to = e < m ? run_at(start, e) : n;
        if (fabs(val[j] - i[0]) > tol && to - from > best_len) best = from, best_len = to - from;
        j = e;
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
