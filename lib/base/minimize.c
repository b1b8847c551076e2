/* Brent (1973), "Algorithms for minimization without derivatives", ch. 5: a parabola
   through the three best points when it falls well inside the bracket and shrinks the
   step, a golden section otherwise, so it converges superlinearly on a smooth minimum
   and never slower than golden sections. */
#include "minimize.h"

#include <math.h>

/* The parabolic step from x through (x, fx), (w, fw), (v, fv); sets *ok when it is
   usable: inside (a, b) and less than half the step before last (e). */
static double parabola(double x, double fx, double w, double fw, double v, double fv,
                       double a, double b, double e, int *ok)
{
    double r = (x - w) * (fx - fv), q = (x - v) * (fx - fw), p = (x - v) * q - (x - w) * r;
    q = 2 * (q - r);
    if (q > 0) p = -p;
    else q = -q;
    *ok = q != 0 && fabs(p) < fabs(0.5 * q * e) && p > q * (a - x) && p < q * (b - x);
    return *ok ? p / q : 0;
}

double nd_min_brent(nd_min_fn f, void *ctx, double a, double b, double x0, double f0,
                    double tol, int maxit, double *fx)
{
    const double golden = 0.5 * (3 - sqrt(5.0));
    double x = x0, w = x0, v = x0, fw = f0, fv = f0, d = 0, e = 0;
    *fx = f0;
    for (int it = 0; it < maxit; it++) {
        double m = 0.5 * (a + b);
        if (fabs(x - m) <= 2 * tol - 0.5 * (b - a)) break;
        int ok = 0;
        if (fabs(e) > tol) {
            double step = parabola(x, *fx, w, fw, v, fv, a, b, e, &ok);
            if (ok) {
                e = d;
                d = step;
                /* not closer than tol to an end: the minimum is not there */
                if (x + d - a < 2 * tol || b - x - d < 2 * tol) d = x < m ? tol : -tol;
            }
        }
        if (!ok) {
            e = (x < m ? b : a) - x;
            d = golden * e;
        }
        double u = x + (fabs(d) >= tol ? d : d > 0 ? tol : -tol), fu = f(ctx, u);
        if (fu <= *fx) {
            if (u < x) b = x;
            else a = x;
            v = w, fv = fw, w = x, fw = *fx, x = u, *fx = fu;
        } else {
            if (u < x) a = u;
            else b = u;
            if (fu <= fw || w == x) v = w, fv = fw, w = u, fw = fu;
            else if (fu <= fv || v == x || v == w) v = u, fv = fu;
        }
    }
    return x;
}
