/* Regula falsi converges from one side only; halving the value kept at the stale end
   (Illinois) restores superlinear convergence, and a secant point outside the bracket
   falls back to bisection. */
#include "root.h"

#include <math.h>

int nd_root_illinois(nd_root_fn g, void *ctx, double s0, double g0, double s1, double g1,
                     double tol, int maxit, double *s)
{
    int side = 0;
    *s = 0.5 * (s0 + s1);
    for (int it = 0; it < maxit; it++) {
        double x = g1 != g0 ? s1 - g1 * (s1 - s0) / (g1 - g0) : 0.5 * (s0 + s1);
        if (!(x > fmin(s0, s1) && x < fmax(s0, s1))) x = 0.5 * (s0 + s1);
        *s = x;
        double gx = g(ctx, x);
        if (isnan(gx)) return -1;
        if (gx == 0) break;
        if ((gx > 0) == (g1 > 0)) {
            s1 = x, g1 = gx;
            if (side == -1) g0 /= 2;
            side = -1;
        } else {
            s0 = x, g0 = gx;
            if (side == 1) g1 /= 2;
            side = 1;
        }
        if (fabs(s1 - s0) < tol) break;
    }
    return 0;
}
