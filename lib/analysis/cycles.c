/* One periodic orbit at fixed parameters: multiple shooting from segment starts spread
   along the trajectory of the guess, Newton with the phase pinned to that trajectory,
   then the Floquet multipliers of the converged orbit. */
#include "cycles.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cycles_shoot.h"

void nd_cycle_options_default(nd_cycle_options *o)
{
    memset(o, 0, sizeof *o);
    o->from_hopf = 1;
    o->start = NAN;
}

void nd_cycle_free(nd_cycle *c)
{
    free(c->x0);
    c->x0 = c->xmin = c->xmax = c->mult_re = c->mult_im = NULL;
}

/* An orbit whose extent is below this (relative to the state's size) is an equilibrium. */
static const double MIN_EXTENT = 1e-6;

nd_status nd_cycle_find(const nd_model *m, const double *p, const double *x0, double T,
                        nd_cycle *out, nd_error *err)
{
    memset(out, 0, sizeof *out);
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    if (n == 0 || !(T > 0 && isfinite(T)))
        return nd_error_fail(err, ND_EVALUE, "a cycle needs states and a positive period");
    nd_shoot s;
    size_t L = ND_CYCLE_SEGMENTS * n;
    double *u = malloc((3 * L + 1) * sizeof *u);
    if (!u || nd_shoot_init(&s, m, p, -1, ND_CYCLE_SEGMENTS)) {
        free(u);
        nd_shoot_free(&s);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    double *fref = u + L + 1, *xref = fref + L;
    u[L] = T;
    int ok = nd_shoot_spread(&s, x0, T, 0, u) == 0;
    memcpy(xref, u, L * sizeof *u);
    for (size_t k = 0; k < L; k += n) nd_model_rhs(m, 0, xref + k, p, fref + k);
    nd_status st = ND_OK;
    if (!ok || nd_shoot_newton(&s, u, L + 1, xref, fref, NULL, 0) < 0) {
        st = nd_error_fail(err, ND_ESOLVER, "no periodic orbit found near the guess (Newton "
                           "on the shooting map did not converge)");
    } else {
        int flat = 1;
        for (size_t i = 0; i < n; i++)
            if (s.xmax[i] - s.xmin[i] > MIN_EXTENT * (1 + fabs(u[i]))) flat = 0;
        if (flat) st = nd_error_fail(err, ND_ESOLVER, "the guess converged to an equilibrium");
    }
    if (st == ND_OK) {
        double period = u[L];
        /* one allocation: x0, xmin, xmax, mult_re, mult_im (u, whose first n values are
           x_0, is reused) */
        double *buf = realloc(u, 5 * n * sizeof *buf);
        if (!buf) {
            st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        } else {
            u = NULL;
            *out = (nd_cycle){.n = n, .x0 = buf, .period = period, .xmin = buf + n,
                              .xmax = buf + 2 * n, .mult_re = buf + 3 * n,
                              .mult_im = buf + 4 * n};
            memcpy(out->xmin, s.xmin, n * sizeof *buf);
            memcpy(out->xmax, s.xmax, n * sizeof *buf);
            if (nd_shoot_floquet(&s, out->mult_re, out->mult_im, &out->trivial, &out->stable,
                                 &out->mult_max)) {
                nd_cycle_free(out);
                st = nd_error_fail(err, ND_ESOLVER, "the Floquet multipliers failed");
            }
        }
    }
    free(u);
    nd_shoot_free(&s);
    return st;
}
