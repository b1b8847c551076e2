/* Solving an nd_ode_problem: the methods, their options and statistics, and one entry
   point that integrates from t0 to t1, reporting the solution at requested times and at
   located events. */
#ifndef ND_ODE_SOLVE_H
#define ND_ODE_SOLVE_H

#include <stdatomic.h>
#include <stddef.h>

#include "../base/error.h"
#include "problem.h"

typedef enum nd_ode_method {
    ND_ODE_EULER,     /* forward Euler, fixed step, order 1 */
    ND_ODE_RK4,       /* classic Runge–Kutta, fixed step, order 4 */
    ND_ODE_EXPEULER,  /* exponential Euler on the Jacobian diagonal, fixed step, order 1 */
    ND_ODE_DP5,       /* Dormand–Prince 5(4), adaptive */
    ND_ODE_TSIT5,     /* Tsitouras 5(4), adaptive */
    ND_ODE_BDF,       /* CVODE variable-order BDF (stiff) */
    ND_ODE_ADAMS      /* CVODE variable-order Adams–Moulton (non-stiff) */
} nd_ode_method;

#define ND_ODE_NMETHODS 7

/* Returns the method's lower-case name ("dp5"), or "?" for an invalid value. */
const char *nd_ode_method_name(nd_ode_method m);

/* Sets *out from a name (case-insensitive); returns 0, or -1 when the name is unknown. */
int nd_ode_method_parse(const char *name, nd_ode_method *out);

/* Returns 1 for the fixed-step methods (euler, rk4, expeuler), 0 for the adaptive ones. */
int nd_ode_method_is_fixed(nd_ode_method m);

typedef struct nd_ode_options {
    nd_ode_method method;
    double rtol, atol;      /* adaptive methods: per-component tolerance atol + rtol·|y| */
    double dt;              /* fixed methods: the step (required, > 0); adaptive: first
                               step (0 = automatic) */
    double dt_max;          /* adaptive methods: largest step (0 = unlimited) */
    long max_steps;         /* attempted steps before giving up with a SolverError */
    double bound;           /* > 0: a state whose magnitude exceeds it after a step ends the
                               solve with a SolverError (a diverging solution stops at once
                               instead of exhausting max_steps; XPPAUT's BOUNDS); 0: none */
    size_t err_n;           /* dp5, tsit5: only the first err_n components enter the error
                               estimate (0: all); the rest ride along on the same steps,
                               as CVODES does by default with forward sensitivities */
    const atomic_int *interrupt;  /* optional: nonzero stops the solve (Interrupted) */
    /* Optional: called with every point of the computed solution in time order — t0, each
       accepted step's end, each event before its reset and the state after it — so a
       caller can keep the continuous solution (nd_dense). f is the right-hand side at the
       point when the solver has it already (an FSAL pair's last stage), else NULL. Nonzero
       stops the solve with a SolverError. */
    int (*on_point)(void *ctx, double t, const double *y, const double *f);
    void *point_ctx;
} nd_ode_options;

/* Fills o with the defaults: dp5, rtol = atol = 1e-6, dt = 0 (automatic first step),
   no dt_max, max_steps = 10,000,000, no bound, no interrupt flag. */
void nd_ode_options_default(nd_ode_options *o);

typedef struct nd_ode_stats {
    long rhs_evals;         /* every evaluation of f, including finite-difference Jacobians */
    long jac_evals;         /* Jacobians formed (analytic or finite-difference) */
    long steps;             /* attempted steps = accepted + rejected */
    long accepted, rejected;
    long events;            /* events reported */
    double t_end;           /* where the solve ended: t1, or the time an on_event stopped it */
    int stability_warning;  /* fixed-step methods: 1 when dt looked beyond the stability limit */
    char warning[256];      /* the warning text ("" when none) */
} nd_ode_stats;

/* Called with the solution at each requested output time (event = 0, which = index into
   tout, or a running count when tout is NULL), and at each located event before its reset
   is applied (event = 1, which = event index k). Returns 0, or nonzero to stop the solve
   with an error (the callback's nonzero value becomes a SolverError unless it filled err
   through its own context). */
typedef int (*nd_ode_output_fn)(void *ctx, double t, const double *y, int event, size_t which);

/* Integrates p from t0 to t1 >= t0 starting from y (n values), leaving y(t_end) in y.
   tout: sorted output times inside [t0, t1] (each reported once, by dense output between
   steps); when tout is NULL, out is called at t0 and after every step (and after every
   reset, with the reset state). out may be NULL. stats may be NULL. Fixed-step methods
   keep the grid t0 + k·dt but also step exactly onto p->breaks and onto t1. Errors:
   ND_EVALUE (bad arguments), ND_ESOLVER (blow-up, step-size underflow, too many steps,
   CVODE failure), ND_EINTERRUPT, ND_ENOMEM. */
nd_status nd_ode_solve(const nd_ode_problem *p, double t0, double t1, double *y,
                       const nd_ode_options *opt, const double *tout, size_t ntout,
                       nd_ode_output_fn out, void *out_ctx, nd_ode_stats *stats,
                       nd_error *err);

#endif
