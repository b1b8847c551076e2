/* FitzHugh–Nagumo by hand for the analysis tests (lib/models builds the real one). */
#include "fhn_ref.h"

#include <math.h>

static const double A = 0.7, B = 0.8, EPS = 0.08;

double fhn_ref_vstar(double current)
{
    double lo = -3, hi = 3;
    for (int k = 0; k < 200; k++) {
        double mid = 0.5 * (lo + hi);
        double g = mid - mid * mid * mid / 3 - (mid + A) / B + current;
        if (g > 0) lo = mid; else hi = mid;   /* g decreases through its single root */
    }
    return 0.5 * (lo + hi);
}

double fhn_ref_wstar(double v) { return (v + A) / B; }

double fhn_ref_hopf_v(double sign) { return sign * sqrt(1 - B * EPS); }

double fhn_ref_hopf_I(double sign)
{
    double v = fhn_ref_hopf_v(sign);
    return fhn_ref_wstar(v) - v + v * v * v / 3;
}
