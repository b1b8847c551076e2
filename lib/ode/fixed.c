/* The fixed-step driver for euler, rk4 and expeuler. Steps follow the grid t0 + k·dt,
   but are cut short to land exactly on breakpoints and on t1 (then the grid resumes), and
   an event reset restarts from the located event time. Between steps the solution is the
   cubic Hermite interpolant of (y, f) at both ends — the end slope is the next step's
   first stage, so dense output costs nothing; it is third-order accurate, which is
   better than euler and expeuler themselves and good enough for plotting rk4.
   Blow-ups stop the solve; a step beyond the stability limit gives a warning (checked
   every STAB_EVERY steps, and at a blow-up on the last finite state, so that the caller
   can show the spectral evidence next to the error). */
#include "drivers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Steps between stability checks: a Jacobian (n f calls) and an n x n eigenproblem. */
#define STAB_EVERY 50

typedef struct {
    size_t n;
    double ta, tb;
    const double *ya, *fa, *yb, *fb;
} hermite;

static void hermite_interp(const void *ctx, double t, double *y)
{
    const hermite *c = ctx;
    double h = c->tb - c->ta, s = (t - c->ta) / h, s2 = s * s, s3 = s2 * s;
    double h00 = 2 * s3 - 3 * s2 + 1, h10 = s3 - 2 * s2 + s;
    double h01 = -2 * s3 + 3 * s2, h11 = s3 - s2;
    for (size_t i = 0; i < c->n; i++)
        y[i] = h00 * c->ya[i] + h10 * h * c->fa[i] + h01 * c->yb[i] + h11 * h * c->fb[i];
}

/* φ1(x) = (e^x − 1)/x, continuous at 0. */
static double phi1(double x) { return x == 0 ? 1.0 : expm1(x) / x; }

typedef struct {
    nd_ode_run *r;
    double *k2, *k3, *k4, *tmp;   /* rk4 stages */
    double *J, *scratch;          /* expeuler's Jacobian */
} stepper;

/* One step of the chosen method from (t, y, f = f(t, y)) to y1 = y(t + h); tend is t + h
   or, when the step ends at a break, just before it (f's left limit). */
static nd_status step(stepper *w, double t, double h, double tend, const double *y,
                      const double *f, double *y1)
{
    nd_ode_run *r = w->r;
    size_t n = r->n;
    nd_status s;
    switch (r->opt->method) {
    case ND_ODE_EULER:
        for (size_t i = 0; i < n; i++) y1[i] = y[i] + h * f[i];
        return ND_OK;
    case ND_ODE_EXPEULER:
        /* y_i += f_i·(e^{J_ii h} − 1)/J_ii: exact for linear decay toward a moving target,
           i.e. for HH gates with V frozen over the step. */
        if ((s = nd_ode_run_jacobian(r, t, y, f, w->J, w->scratch))) return s;
        for (size_t i = 0; i < n; i++) y1[i] = y[i] + h * f[i] * phi1(w->J[i * n + i] * h);
        return ND_OK;
    default: {   /* rk4 */
        double *tmp = w->tmp;
        for (size_t i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * h * f[i];
        if ((s = nd_ode_run_rhs(r, t + 0.5 * h, tmp, w->k2))) return s;
        for (size_t i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * h * w->k2[i];
        if ((s = nd_ode_run_rhs(r, t + 0.5 * h, tmp, w->k3))) return s;
        for (size_t i = 0; i < n; i++) tmp[i] = y[i] + h * w->k3[i];
        if ((s = nd_ode_run_rhs(r, tend, tmp, w->k4))) return s;
        for (size_t i = 0; i < n; i++)
            y1[i] = y[i] + h / 6 * (f[i] + 2 * (w->k2[i] + w->k3[i]) + w->k4[i]);
        return ND_OK;
    }
    }
}

static const char blowup_hint[] =
    "the step is beyond the method's stability limit; use a smaller dt or an adaptive "
    "method";
static const char undefined_hint[] =
    "the model is undefined in this state, or the step is beyond the method's stability "
    "limit (then use a smaller dt or an adaptive method)";

nd_status nd_ode_fixed_solve(nd_ode_run *r, double *y)
{
    const size_t n = r->n;
    const double dt = r->opt->dt, t0 = r->t0;
    const nd_ode_method m = r->opt->method;
    const double limit = m == ND_ODE_EULER ? 2.0 : m == ND_ODE_RK4 ? 2.785 : 0;
    int need_j = m == ND_ODE_EXPEULER || (limit > 0 && n <= ND_ODE_STAB_MAXN);
    size_t nmem = 8 * n + (need_j ? 2 * n * n + 4 * n : 0);
    double *mem = malloc(nmem * sizeof(double));
    if (!mem) return nd_error_fail(r->err, ND_ENOMEM, "out of memory for the solver");
    double *ya = mem, *fa = ya + n, *yb = fa + n, *fb = yb + n;
    stepper w = {r, fb + n, fb + 2 * n, fb + 3 * n, fb + 4 * n, NULL, NULL};
    if (need_j) {
        w.J = fb + 5 * n;
        w.scratch = w.J + n * n;   /* 2n for differences; the stability check uses more */
    }
    memcpy(ya, y, n * sizeof(double));

    double t = t0;
    long k = 0;              /* grid index of the last grid point reached */
    nd_status rc = nd_ode_run_start(r, ya);
    double tstop = nd_ode_run_next_stop(r, t);
    int fresh = 1;
    while (!rc && t < r->t1) {
        if (fresh) {
            if ((rc = nd_ode_run_rhs(r, t, ya, fa))) break;
            long bad = nd_ode_nonfinite(fa, n);
            if (bad >= 0) {
                rc = nd_ode_run_blowup(r, t, fa[bad], bad, 1, dt, undefined_hint);
                break;
            }
            fresh = 0;
        }
        if ((rc = nd_ode_run_poll(r, t))) break;
        if (limit > 0 && r->st->steps % STAB_EVERY == 0 && w.J &&
            (rc = nd_ode_stability_check(r, t, ya, fa, dt, limit, w.J)))
            break;

        /* Next target: the next grid point, unless a break or t1 comes first; a target
           within a millionth of dt of the grid point is the grid point. */
        double tgrid = t0 + (double)(k + 1) * dt, tb;
        int on_grid = 1;
        if (tstop < tgrid - 1e-6 * dt) tb = tstop, on_grid = 0;
        else tb = fabs(tstop - tgrid) <= 1e-6 * dt ? tstop : tgrid;
        int at_break = tb == tstop && tstop < r->t1;
        double h = tb - t;

        double tend = at_break ? nextafter(tb, -INFINITY) : tb;
        if ((rc = step(&w, t, h, tend, ya, fa, yb))) break;
        r->st->steps++;
        r->st->accepted++;
        long bad = nd_ode_nonfinite(yb, n);
        if (bad >= 0) {
            if (limit > 0 && w.J) nd_ode_stability_check(r, t, ya, fa, dt, limit, w.J);
            rc = nd_ode_run_blowup(r, tb, yb[bad], bad, 0, dt, blowup_hint);
            break;
        }
        /* The end slope; at a break, its left limit (the interpolant lives before it). */
        if ((rc = nd_ode_run_rhs(r, tend, yb, fb))) break;
        if ((bad = nd_ode_nonfinite(fb, n)) >= 0) {
            if (limit > 0 && w.J) nd_ode_stability_check(r, t, ya, fa, dt, limit, w.J);
            rc = nd_ode_run_blowup(r, tb, fb[bad], bad, 1, dt, undefined_hint);
            break;
        }
        hermite hc = {n, t, tb, ya, fa, yb, fb};
        double tnext;
        int action;
        if ((rc = nd_ode_run_step(r, t, tb, yb, hermite_interp, &hc, &tnext, &action)))
            break;
        double *sw = ya;
        ya = yb, yb = sw;
        sw = fa, fa = fb, fb = sw;
        t = tnext;
        if (action == ND_ODE_STOP) break;
        if ((rc = nd_ode_run_every_step(r, t, ya, NULL))) break;
        if (action == ND_ODE_RESTART) {
            /* Resume the grid at the first grid point after the event. */
            k = (long)floor((t - t0) / dt);
            if (t0 + (double)(k + 1) * dt <= t + 1e-6 * dt) k++;
            fresh = 1;
        } else if (on_grid) {
            k++;
        }
        if (at_break || action == ND_ODE_RESTART) {
            fresh = fresh || at_break;
            tstop = nd_ode_run_next_stop(r, t);
        }
    }
    if (!rc) {
        memcpy(y, ya, n * sizeof(double));
        r->st->t_end = t;
    }
    free(mem);
    return rc;
}
