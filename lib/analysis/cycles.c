/* One periodic orbit at fixed parameters: Newton on (x0, T) with the phase condition
   ⟨f(x_guess), x0 − x_guess⟩ = 0 (x0 stays on the plane through the guess across the
   flow), then the Floquet multipliers of the converged orbit. */
#include "cycles.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cycles_shoot.h"

void nd_cycle_options_default(nd_cycle_options *o)
{
    memset(o, 0, sizeof *o);
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
    double *u = malloc((7 * n + 1) * sizeof *u);
    if (!u || nd_shoot_init(&s, m, p, -1)) {
        free(u);
        nd_shoot_free(&s);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    double *fref = u + n + 1;
    memcpy(u, x0, n * sizeof *u);
    u[n] = T;
    nd_model_rhs(m, 0, x0, p, fref);
    nd_status st = ND_OK;
    if (nd_shoot_newton(&s, u, n + 1, x0, fref, NULL, 0) < 0) {
        st = nd_error_fail(err, ND_ESOLVER, "no periodic orbit found near the guess (Newton "
                           "on the shooting map did not converge)");
    } else {
        int flat = 1;
        for (size_t i = 0; i < n; i++)
            if (s.xmax[i] - s.xmin[i] > MIN_EXTENT * (1 + fabs(u[i]))) flat = 0;
        if (flat) st = nd_error_fail(err, ND_ESOLVER, "the guess converged to an equilibrium");
    }
    if (st == ND_OK) {
        double period = u[n];
        /* one allocation: x0, xmin, xmax, mult_re, mult_im (u is reused for x0) */
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
