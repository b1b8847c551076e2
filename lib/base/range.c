/* One pass over the data; NaN compares false, so it is filtered explicitly with isfinite.
   Ties keep the earlier value (-0 before 0 or the reverse, as the data has them). */
#include "range.h"

#include <float.h>
#include <math.h>

#include "vec2.h"

/* Takes v into the extremes when it is finite. */
static void take(double v, double *lo, double *hi, size_t *count)
{
    if (!isfinite(v)) return;
    if (v < *lo) *lo = v;
    if (v > *hi) *hi = v;
    ++*count;
}

/* 1 when x[0..4) are all finite: tested together, without a branch per sample, which
   kept the loops from overlapping their loads. */
static int finite4(const double *x)
{
    return (fabs(x[0]) <= DBL_MAX) & (fabs(x[1]) <= DBL_MAX) & (fabs(x[2]) <= DBL_MAX) &
           (fabs(x[3]) <= DBL_MAX);
}

/* The first smallest and first largest of x[0..4), as a scan would find them, but as two
   trees instead of one chain of comparisons per sample: a running minimum updated sample
   by sample waits on each comparison before the next, which made this loop the slowest
   part of finding a stimulus. */
static void extremes4(const double *x, double *lo, double *hi)
{
    double l01 = x[1] < x[0] ? x[1] : x[0], l23 = x[3] < x[2] ? x[3] : x[2];
    double h01 = x[1] > x[0] ? x[1] : x[0], h23 = x[3] > x[2] ? x[3] : x[2];
    *lo = l23 < l01 ? l23 : l01;
    *hi = h23 > h01 ? h23 : h01;
}

size_t nd_finite_range(const double *x, size_t n, double *lo, double *hi)
{
    /* In locals, not through lo and hi, which may alias x. */
    double l = INFINITY, h = -INFINITY;
    size_t count = 0, i = 0;
    for (; i + 4 <= n; i += 4) {
        if (!finite4(x + i)) {
            for (size_t k = i; k < i + 4; k++) take(x[k], &l, &h, &count);
            continue;
        }
        double bl, bh;
        extremes4(x + i, &bl, &bh);
        if (bl < l) l = bl;
        if (bh > h) h = bh;
        count += 4;
    }
    for (; i < n; i++) take(x[i], &l, &h, &count);
    *lo = count ? l : NAN;
    *hi = count ? h : NAN;
    return count;
}

int nd_all_finite(const double *x, size_t n)
{
    /* x - x is 0 for a finite x and NaN otherwise, and a NaN stays in a sum: four sums of
       pairs run at the speed of the loads, where a test per sample took three times as
       long (sweeps are checked whole, 60,000 samples each). */
    nd_v2 s0 = nd_v2_splat(0), s1 = s0, s2 = s0, s3 = s0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        nd_v2 a = nd_v2_load(x + i), b = nd_v2_load(x + i + 2), c = nd_v2_load(x + i + 4),
              d = nd_v2_load(x + i + 6);
        s0 += a - a;
        s1 += b - b;
        s2 += c - c;
        s3 += d - d;
    }
    nd_v2 s = (s0 + s1) + (s2 + s3);
    if (!(s[0] == 0 && s[1] == 0)) return 0;
    for (; i < n; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}
