/* Event location on a step's dense output: every g_k that went from < 0 at the scan start
   to >= 0 at the step end is bracketed and refined by the Illinois variant of regula
   falsi (superlinear, never leaves the bracket), and the earliest crossing is handled
   first. A reset that changes y ends the step (the driver restarts from the reset
   state); an event that leaves y alone lets the scan go on in the same step, so a spike
   counter does not cost the adaptive solver its step size. */
#include "run.h"

#include <float.h>
#include <math.h>
#include <string.h>

typedef struct {
    nd_ode_run *r;
    nd_ode_interp_fn interp;
    const void *ictx;
    nd_status status;
} probe;

/* g_k at t on the interpolant (all g are computed; k is picked). */
static double g_at(probe *pr, size_t k, double t)
{
    nd_ode_run *r = pr->r;
    pr->interp(pr->ictx, t, r->yi);
    nd_status s = nd_ode_run_events(r, t, r->yi, r->gt);
    if (s && !pr->status) pr->status = s;
    return r->gt[k];
}

/* Returns the smallest t in (a, b] found with g_k(t) >= 0, to ~1e-13 relative. */
static double locate(probe *pr, size_t k, double a, double fa, double b, double fb)
{
    double tol = 4 * DBL_EPSILON * fmax(fabs(a), fabs(b)) + 1e-13 * (b - a);
    int side = 0;
    for (int it = 0; it < 200 && b - a > tol && !pr->status; it++) {
        double c = (a * fb - b * fa) / (fb - fa);
        /* Regula falsi can stall at an end: then bisect. */
        if (!(c > a && c < b) || it % 8 == 7) c = 0.5 * (a + b);
        double fc = g_at(pr, k, c);
        if (fc >= 0) {
            b = c, fb = fc;
            if (side == -1) fa *= 0.5;
            side = -1;
        } else {
            a = c, fa = fc;
            if (side == 1) fb *= 0.5;
            side = 1;
        }
    }
    return b;
}

nd_status nd_ode_run_step(nd_ode_run *r, double ta, double tb, double *y,
                          nd_ode_interp_fn interp, const void *ictx,
                          double *tnext, int *action)
{
    const size_t ne = r->p->nevents, n = r->n;
    nd_status s;
    *tnext = tb;
    *action = ND_ODE_GO;
    if (ne == 0) return nd_ode_run_outputs(r, tb, y, interp, ictx);

    if ((s = nd_ode_run_events(r, tb, y, r->gb))) return s;
    probe pr = {r, interp, ictx, ND_OK};
    double ts = ta;
    for (;;) {
        double te = INFINITY;
        for (size_t k = 0; k < ne; k++) {
            if (!(r->ga[k] < 0 && r->gb[k] >= 0)) continue;
            double tk = locate(&pr, k, ts, r->ga[k], tb, r->gb[k]);
            if (pr.status) return pr.status;
            if (tk < te) te = tk;
        }
        if (te == INFINITY) {
            memcpy(r->ga, r->gb, ne * sizeof(double));
            return nd_ode_run_outputs(r, tb, y, interp, ictx);
        }
        /* The state at the event, with its g (re-evaluated: locate's last probe may have
           been another point). */
        if (te >= tb) memcpy(r->ye, y, n * sizeof(double));
        else interp(ictx, te, r->ye);
        if ((s = nd_ode_run_outputs(r, te, r->ye, interp, ictx))) return s;
        if ((s = nd_ode_run_events(r, te, r->ye, r->gt))) return s;
        memcpy(r->yi, r->ye, n * sizeof(double));
        /* Fire, in index order, every event that crossed by te: simultaneous crossings
           are one moment. The g evaluated before any reset decides. */
        int stop = 0;
        size_t fired = 0;
        for (size_t k = 0; k < ne && !stop; k++) {
            if (!(r->ga[k] < 0 && r->gt[k] >= 0)) continue;
            if ((s = nd_ode_run_fire(r, k, te, r->ye, &stop))) return s;
            fired++;
        }
        /* locate() returns a point where some g_k >= 0 was seen, and the events are
           deterministic, so something fires; anything else would loop forever. */
        if (!fired)
            return nd_error_fail(r->err, ND_EINTERNAL, "event location lost its crossing "
                                 "at t = %g", te);
        int changed = memcmp(r->ye, r->yi, n * sizeof(double)) != 0;
        if (stop || changed || te >= tb) {
            memcpy(y, r->ye, n * sizeof(double));
            *tnext = te;
            if (stop) {
                *action = ND_ODE_STOP;
                return ND_OK;
            }
            if (changed) {
                *action = ND_ODE_RESTART;
                return nd_ode_run_events(r, te, y, r->ga);
            }
            memcpy(r->ga, r->gb, ne * sizeof(double));
            return ND_OK;
        }
        memcpy(r->ga, r->gt, ne * sizeof(double));
        ts = te;
    }
}
