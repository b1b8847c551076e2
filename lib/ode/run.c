/* The per-solve bookkeeping shared by all drivers: counted callbacks, outputs,
   breakpoints, interrupt and step budget, failure messages. Event location is in
   events.c. */
#include "run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

nd_status nd_ode_run_init(nd_ode_run *r, const nd_ode_problem *p, const nd_ode_options *opt,
                          double t0, double t1, const double *tout, size_t ntout,
                          nd_ode_output_fn out, void *out_ctx, nd_ode_stats *st,
                          nd_error *err)
{
    memset(r, 0, sizeof *r);
    r->p = p;
    r->opt = opt;
    r->st = st;
    r->err = err;
    r->method = nd_ode_method_name(opt->method);
    r->n = p->n;
    r->t0 = t0;
    r->t1 = t1;
    r->tout = tout;
    r->ntout = tout ? ntout : 0;
    r->out = out;
    r->out_ctx = out_ctx;
    /* One block: three event vectors and two states. */
    size_t ne = p->nevents;
    r->ga = malloc((3 * ne + 2 * p->n) * sizeof(double));
    if (!r->ga) return nd_error_fail(err, ND_ENOMEM, "out of memory for the solver");
    r->gb = r->ga + ne;
    r->gt = r->gb + ne;
    r->yi = r->gt + ne;
    r->ye = r->yi + p->n;
    return ND_OK;
}

void nd_ode_run_free(nd_ode_run *r)
{
    free(r->ga);
    r->ga = NULL;
}

/* Keeps a message the callback wrote through its own context into the shared err. */
static nd_status callback_failed(nd_ode_run *r, const char *fmt, double t)
{
    if (r->err && r->err->code != ND_OK) return r->err->code;
    return nd_error_fail(r->err, ND_ESOLVER, fmt, t);
}

nd_status nd_ode_run_rhs(nd_ode_run *r, double t, const double *y, double *f)
{
    r->st->rhs_evals++;
    if (r->p->rhs(r->p->ctx, t, y, f) != 0)
        return callback_failed(r, "the right-hand side could not be evaluated at t = %g", t);
    return ND_OK;
}

nd_status nd_ode_run_events(nd_ode_run *r, double t, const double *y, double *g)
{
    if (r->p->events(r->p->ctx, t, y, g) != 0)
        return callback_failed(r, "the event conditions could not be evaluated at t = %g", t);
    return ND_OK;
}

long nd_ode_nonfinite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i])) return (long)i;
    return -1;
}

const char *nd_ode_run_varname(const nd_ode_run *r, size_t i, char *buf)
{
    if (r->p->names && r->p->names[i]) return r->p->names[i];
    snprintf(buf, 32, "y[%zu]", i);
    return buf;
}

nd_status nd_ode_run_blowup(nd_ode_run *r, double t, double v, long i, int deriv,
                            double h, const char *hint)
{
    char buf[32], step[48] = "";
    const char *name = nd_ode_run_varname(r, (size_t)i, buf);
    if (h > 0) snprintf(step, sizeof step, ", dt = %g", h);
    return nd_error_fail(r->err, ND_ESOLVER, "%s%s%s became %s at t = %g (%s%s): %s",
                         deriv ? "d" : "", name, deriv ? "/dt" : "", isnan(v) ? "NaN" : "infinite",
                         t, r->method, step, hint);
}

nd_status nd_ode_run_poll(nd_ode_run *r, double t)
{
    if (r->opt->interrupt && atomic_load(r->opt->interrupt))
        return nd_error_fail(r->err, ND_EINTERRUPT, "interrupted at t = %g", t);
    if (r->st->steps >= r->opt->max_steps) {
        /* bdf is already the remedy for stiffness: then the tolerances are the suspect. */
        int implicit = r->opt->method == ND_ODE_BDF;
        return nd_error_fail(r->err, ND_ESOLVER,
                             "more than %ld steps before t = %g (%s): %s; raise max_steps to "
                             "go on", r->opt->max_steps, t, r->method,
                             implicit ? "the tolerances may be too tight, or the solution "
                                        "very fast (an unbounded growth?)"
                                      : "the problem may be stiff (try method=bdf) or the "
                                        "tolerances too tight");
    }
    return ND_OK;
}

static nd_status report(nd_ode_run *r, double t, const double *y, int event, size_t which)
{
    if (!r->out || r->out(r->out_ctx, t, y, event, which) == 0) return ND_OK;
    return callback_failed(r, "the output was stopped at t = %g", t);
}

/* Hands a solution point to the caller's on_point, when there is one. */
static nd_status point(nd_ode_run *r, double t, const double *y, const double *f)
{
    if (!r->opt->on_point || r->opt->on_point(r->opt->point_ctx, t, y, f) == 0) return ND_OK;
    return callback_failed(r, "keeping the solution failed at t = %g", t);
}

/* Fails when a state has left [-bound, bound]. */
static nd_status check_bound(nd_ode_run *r, double t, const double *y)
{
    double b = r->opt->bound;
    for (size_t i = 0; b > 0 && i < r->n; i++)
        if (fabs(y[i]) > b) {
            char buf[32];
            return nd_error_fail(r->err, ND_ESOLVER, "%s = %g left the bound ±%g at t = %g "
                                 "(%s): the solution diverges",
                                 nd_ode_run_varname(r, i, buf), y[i], b, t, r->method);
        }
    return ND_OK;
}

nd_status nd_ode_run_every_step(nd_ode_run *r, double t, const double *y, const double *f)
{
    nd_status s = check_bound(r, t, y);
    if (s == ND_OK) s = point(r, t, y, f);
    if (s || r->tout) return s;
    return report(r, t, y, 0, r->nreported++);
}

nd_status nd_ode_run_start(nd_ode_run *r, const double *y0)
{
    nd_status s;
    if ((s = nd_ode_run_every_step(r, r->t0, y0, NULL))) return s;
    while (r->iout < r->ntout && r->tout[r->iout] <= r->t0)
        if ((s = report(r, r->t0, y0, 0, r->iout++))) return s;
    if (r->p->nevents) return nd_ode_run_events(r, r->t0, y0, r->ga);
    return ND_OK;
}

nd_status nd_ode_run_outputs(nd_ode_run *r, double t, const double *yt,
                             nd_ode_interp_fn interp, const void *ictx)
{
    nd_status s;
    while (r->iout < r->ntout && r->tout[r->iout] <= t) {
        double to = r->tout[r->iout];
        const double *y = yt;
        if (to < t) {
            interp(ictx, to, r->yi);
            y = r->yi;
        }
        if ((s = report(r, to, y, 0, r->iout++))) return s;
    }
    return ND_OK;
}

nd_status nd_ode_run_fire(nd_ode_run *r, size_t k, double t, double *y, int *stop)
{
    nd_status s = report(r, t, y, 1, k);
    if (!s) s = point(r, t, y, NULL);
    if (s) return s;
    r->st->events++;
    *stop = 0;
    if (!r->p->on_event) return ND_OK;
    int rc = r->p->on_event(r->p->ctx, k, t, y);
    if (rc < 0) return callback_failed(r, "the event reset failed at t = %g", t);
    *stop = rc == 1;
    return ND_OK;
}

double nd_ode_run_next_stop(nd_ode_run *r, double t)
{
    const nd_ode_problem *p = r->p;
    /* Breaks closer than this to t count as reached: stepping onto them again would
       make a step of a few ulps. */
    double eps = 8 * 2.220446049250313e-16 * fmax(fabs(t), fabs(r->t1 - r->t0));
    while (r->ibreak < p->nbreaks && p->breaks[r->ibreak] <= t + eps) r->ibreak++;
    if (r->ibreak < p->nbreaks && p->breaks[r->ibreak] < r->t1 - eps)
        return p->breaks[r->ibreak];
    return r->t1;
}
