/* Internal to lib/ode: the bookkeeping every solver driver shares — counted right-hand
   side calls, output times, event location and firing, breakpoints, interrupt and
   step-count checks, and the wording of failures. A driver only makes steps. */
#ifndef ND_ODE_RUN_H
#define ND_ODE_RUN_H

#include "solve.h"

/* The solution inside the last step, for outputs and event location: writes y(t). */
typedef void (*nd_ode_interp_fn)(const void *ictx, double t, double *y);

typedef struct nd_ode_run {
    const nd_ode_problem *p;
    const nd_ode_options *opt;
    nd_ode_stats *st;
    nd_error *err;
    const char *method;      /* name for messages */
    size_t n;
    double t0, t1;

    const double *tout;      /* NULL: report every step */
    size_t ntout, iout;
    size_t nreported;        /* running count for tout == NULL */
    nd_ode_output_fn out;
    void *out_ctx;

    double *ga, *gb, *gt;    /* event functions at scan start, step end, trial point */
    double *yi, *ye;         /* scratch states: interpolated, event copy */
    size_t ibreak;           /* first break not yet passed */
} nd_ode_run;

/* What a driver does after nd_ode_run_step. */
enum { ND_ODE_GO, ND_ODE_RESTART, ND_ODE_STOP };

/* Prepares r (allocating its scratch) for integrating p over [t0, t1]. */
nd_status nd_ode_run_init(nd_ode_run *r, const nd_ode_problem *p, const nd_ode_options *opt,
                          double t0, double t1, const double *tout, size_t ntout,
                          nd_ode_output_fn out, void *out_ctx, nd_ode_stats *st,
                          nd_error *err);

/* Releases r's scratch. */
void nd_ode_run_free(nd_ode_run *r);

/* Evaluates f(t, y) into f, counting it; fails with a SolverError when rhs fails. */
nd_status nd_ode_run_rhs(nd_ode_run *r, double t, const double *y, double *f);

/* Returns the index of the first non-finite value of v[0..n), or -1. */
long nd_ode_nonfinite(const double *v, size_t n);

/* Returns the display name of variable i ("V", or "y[2]" written into buf of 32). */
const char *nd_ode_run_varname(const nd_ode_run *r, size_t i, char *buf);

/* Fails with "X became NaN at t = ... (method, dt = h): hint" for variable i whose
   value v is not finite; deriv names dX/dt instead. */
nd_status nd_ode_run_blowup(nd_ode_run *r, double t, double v, long i, int deriv,
                            double h, const char *hint);

/* Checks the interrupt flag and the step budget before a step at t. */
nd_status nd_ode_run_poll(nd_ode_run *r, double t);

/* Reports outputs at t0 and evaluates the event functions there. */
nd_status nd_ode_run_start(nd_ode_run *r, const double *y0);

/* Reports every pending output time <= t (y(t) = yt exactly; earlier ones from interp). */
nd_status nd_ode_run_outputs(nd_ode_run *r, double t, const double *yt,
                             nd_ode_interp_fn interp, const void *ictx);

/* After an accepted step [ta, tb] whose end state is y: locates the events inside it on
   interp, reports outputs and events in time order and applies resets. Sets *tnext and
   *action: GO (continue from tb, y unchanged), RESTART (a reset changed y at *tnext),
   STOP (on_event ended the solve at *tnext, y is the state there). */
nd_status nd_ode_run_step(nd_ode_run *r, double ta, double tb, double *y,
                          nd_ode_interp_fn interp, const void *ictx,
                          double *tnext, int *action);

/* Reports event k at t (y before the reset) and applies on_event to y. Sets *stop when
   on_event asked to end the solve. */
nd_status nd_ode_run_fire(nd_ode_run *r, size_t k, double t, double *y, int *stop);

/* Evaluates the event functions g(t, y) into g; fails when the callback does. */
nd_status nd_ode_run_events(nd_ode_run *r, double t, const double *y, double *g);

/* Returns the next step target after t: the first break in (t, t1), or t1. Advances past
   breaks at or before t. */
double nd_ode_run_next_stop(nd_ode_run *r, double t);

/* Fails when a state of y is beyond the options' bound; else hands the point (t, y) to
   the options' on_point (with f, the right-hand side there when the solver has it, else
   NULL), and reports it as an every-step output when tout is NULL. */
nd_status nd_ode_run_every_step(nd_ode_run *r, double t, const double *y, const double *f);

#endif
