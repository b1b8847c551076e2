/* k / 10^d with both exact in binary (k below 2^53, d <= 9) is correctly rounded, so the
   quotient is the double nearest to the decimal value.

   Any double lies within an ulp of some 17-digit decimal, so "on a decimal grid" only
   means something for short decimals: at most MAX_DECIMALS digits after the point, with a
   tolerance of a few ulps (the rounding of t0 + i*dt). A step that is no short decimal
   (1/3) then misses every grid by far more than the tolerance. */
#include "grid.h"

#include <float.h>
#include <math.h>

enum { MAX_DECIMALS = 9 };

nd_grid nd_grid_of(double start, double step)
{
    nd_grid g = {0, 0};
    if (!(step > 0) || !isfinite(step) || !isfinite(start)) return g;
    double scale = 1, tol = 4 * DBL_EPSILON * (fabs(start) + 2 * step);
    for (int d = 0; d <= MAX_DECIMALS; d++, scale *= 10) {
        if (fabs(round(step * scale) / scale - step) <= tol &&
            fabs(round(start * scale) / scale - start) <= tol) {
            g.scale = scale;
            g.tol = tol;
            return g;
        }
    }
    return g;
}

double nd_grid_snap(const nd_grid *g, double x)
{
    if (g->scale == 0 || !isfinite(x)) return x;
    double k = round(x * g->scale);
    if (fabs(k) > 9007199254740992.0) return x;   /* 2^53: k would not be exact */
    double r = k / g->scale;
    return fabs(r - x) <= g->tol + 4 * DBL_EPSILON * fabs(x) ? r : x;
}
