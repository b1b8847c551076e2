/* One pass over the data; NaN compares false, so it is filtered explicitly with isfinite. */
#include "range.h"

#include <math.h>

size_t nd_finite_range(const double *x, size_t n, double *lo, double *hi)
{
    size_t count = 0;
    *lo = *hi = NAN;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) continue;
        if (count == 0 || x[i] < *lo) *lo = x[i];
        if (count == 0 || x[i] > *hi) *hi = x[i];
        count++;
    }
    return count;
}
