/* One pass over the data; NaN compares false, so it is filtered explicitly with isfinite. */
#include "range.h"

#include <math.h>

size_t nd_finite_range(const double *x, size_t n, double *lo, double *hi)
{
    /* In locals, not through lo and hi, which may alias x: the loop then stays in
       registers. The first finite value starts both, later ones replace them only when
       strictly beyond, so that among equal extremes (-0 and 0) the first one is kept. */
    size_t i = 0, count = 0;
    while (i < n && !isfinite(x[i])) i++;
    double l = NAN, h = NAN;
    if (i < n) l = h = x[i++], count = 1;
    for (; i < n; i++) {
        double v = x[i];
        if (!isfinite(v)) continue;
        count++;
        if (v < l) l = v;
        if (v > h) h = v;
    }
    *lo = l;
    *hi = h;
    return count;
}
