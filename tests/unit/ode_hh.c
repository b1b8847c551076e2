/* Hodgkin–Huxley by hand for the solver tests (lib/models builds the real one). */
#include "ode_hh.h"

#include <math.h>

/* x/(1 − e^{−x}) with its removable singularity at 0, and its derivative. */
static double vtrap(double x) { return fabs(x) < 1e-6 ? 1 + x / 2 : x / -expm1(-x); }
static double dvtrap(double x)
{
    if (fabs(x) < 1e-6) return 0.5 + x / 6;
    double e = exp(-x), d = 1 - e;
    return (d - x * e) / (d * d);
}

typedef struct { double am, bm, ah, bh, an, bn, dam, dbm, dah, dbh, dan, dbn; } rates;

static rates hh_rates(double V)
{
    rates r;
    r.am = vtrap((V + 40) / 10);            r.dam = dvtrap((V + 40) / 10) / 10;
    r.bm = 4 * exp(-(V + 65) / 18);         r.dbm = -r.bm / 18;
    r.ah = 0.07 * exp(-(V + 65) / 20);      r.dah = -r.ah / 20;
    double eh = exp(-(V + 35) / 10);
    r.bh = 1 / (1 + eh);                    r.dbh = r.bh * r.bh * eh / 10;
    r.an = 0.1 * vtrap((V + 55) / 10);      r.dan = 0.1 * dvtrap((V + 55) / 10) / 10;
    r.bn = 0.125 * exp(-(V + 65) / 80);     r.dbn = -r.bn / 80;
    return r;
}

enum { GNA = 120, GK = 36 };
static const double GL = 0.3, ENA = 50, EK = -77, EL = -54.387;

static int hh_rhs(void *ctx, double t, const double *y, double *f)
{
    (void)t;
    const ode_hh *hh = ctx;
    double V = y[0], m = y[1], h = y[2], n = y[3];
    rates r = hh_rates(V);
    f[0] = hh->I - GNA * m * m * m * h * (V - ENA) - GK * n * n * n * n * (V - EK) - GL * (V - EL);
    f[1] = r.am * (1 - m) - r.bm * m;
    f[2] = r.ah * (1 - h) - r.bh * h;
    f[3] = r.an * (1 - n) - r.bn * n;
    return 0;
}

static int hh_jac(void *ctx, double t, const double *y, double *J)
{
    (void)ctx, (void)t;
    double V = y[0], m = y[1], h = y[2], n = y[3];
    rates r = hh_rates(V);
    J[0] = -GNA * m * m * m * h - GK * n * n * n * n - GL;
    J[1] = -3 * GNA * m * m * h * (V - ENA);
    J[2] = -GNA * m * m * m * (V - ENA);
    J[3] = -4 * GK * n * n * n * (V - EK);
    J[4] = r.dam * (1 - m) - r.dbm * m;   J[5] = -(r.am + r.bm);  J[6] = 0;  J[7] = 0;
    J[8] = r.dah * (1 - h) - r.dbh * h;   J[9] = 0;  J[10] = -(r.ah + r.bh);  J[11] = 0;
    J[12] = r.dan * (1 - n) - r.dbn * n;  J[13] = 0;  J[14] = 0;  J[15] = -(r.an + r.bn);
    return 0;
}

static const char *const hh_names[] = {"V", "m", "h", "n"};

void ode_hh_problem(nd_ode_problem *p, ode_hh *hh, int with_jac)
{
    *p = (nd_ode_problem){.n = 4, .ctx = hh, .rhs = hh_rhs, .jac = with_jac ? hh_jac : 0,
                          .names = hh_names};
}

void ode_hh_gate_rates(double V, double alpha[3], double beta[3])
{
    rates r = hh_rates(V);
    alpha[0] = r.am, alpha[1] = r.ah, alpha[2] = r.an;
    beta[0] = r.bm, beta[1] = r.bh, beta[2] = r.bn;
}

void ode_hh_rest(double y[4])
{
    rates r = hh_rates(-65);
    y[0] = -65;
    y[1] = r.am / (r.am + r.bm);
    y[2] = r.ah / (r.ah + r.bh);
    y[3] = r.an / (r.an + r.bn);
}

double ode_hh_equilibrium_voltage(double I)
{
    /* With every gate at its steady state the net current falls with V on [-100, 50]
       (one equilibrium for every I in the tests), so bisection finds it. */
    double lo = -100, hi = 50;
    ode_hh hh = {I};
    for (int it = 0; it < 200; it++) {
        double V = 0.5 * (lo + hi), y[4], f[4];
        rates r = hh_rates(V);
        y[0] = V;
        y[1] = r.am / (r.am + r.bm);
        y[2] = r.ah / (r.ah + r.bh);
        y[3] = r.an / (r.an + r.bn);
        hh_rhs(&hh, 0, y, f);
        if (f[0] > 0) lo = V; else hi = V;
    }
    return 0.5 * (lo + hi);
}
