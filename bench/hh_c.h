/* The Hodgkin–Huxley right-hand side written by hand in C (modern −65 mV convention of
   REFERENCE.md): the baseline the benchmarks compare solvers and the compiled model
   language against. State y = (V, m, h, n); I is the injected current. */
#ifndef ND_BENCH_HH_C_H
#define ND_BENCH_HH_C_H

#include <math.h>

enum { HH_N = 4 };

/* x / (1 - exp(-x / k)) without cancellation near x = 0 (limit k). */
static inline double hh_vtrap(double x, double k)
{
    return fabs(x) < 1e-9 ? k : -x / expm1(-x / k);
}

/* Writes dy/dt of HH at (V, m, h, n) driven by I, with vtrap for x / (1 - exp(-x/k))
   (inlined: the benchmarks compare its cost, not a call through a pointer). */
static inline void hh_rhs_with(double (*vtrap)(double, double), double I, const double *y,
                               double *dy)
{
    const double V = y[0], m = y[1], h = y[2], n = y[3];
    const double am = 0.1 * vtrap(V + 40, 10), bm = 4 * exp(-(V + 65) / 18);
    const double ah = 0.07 * exp(-(V + 65) / 20), bh = 1 / (1 + exp(-(V + 35) / 10));
    const double an = 0.01 * vtrap(V + 55, 10), bn = 0.125 * exp(-(V + 65) / 80);
    const double m3h = m * m * m * h, n4 = (n * n) * (n * n);
    dy[0] = I - 120 * m3h * (V - 50) - 36 * n4 * (V + 77) - 0.3 * (V + 54.387);
    dy[1] = am * (1 - m) - bm * m;
    dy[2] = ah * (1 - h) - bh * h;
    dy[3] = an * (1 - n) - bn * n;
}

/* Writes dy/dt of HH at (V, m, h, n) driven by I. */
static inline void hh_rhs(double I, const double *y, double *dy)
{
    hh_rhs_with(hh_vtrap, I, y, dy);
}

#endif
