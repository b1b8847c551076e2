/* Internal to lib/ode: the three solver drivers nd_ode_solve dispatches to. Each
   integrates r's problem from r->t0 to r->t1 (or an event stop), leaving the final state
   in y and stats->t_end set. */
#ifndef ND_ODE_DRIVERS_H
#define ND_ODE_DRIVERS_H

#include "run.h"
#include "tableau.h"

/* Adaptive FSAL Runge–Kutta pair (dp5, tsit5). */
nd_status nd_ode_erk_solve(nd_ode_run *r, const nd_ode_tableau *tab, double *y);

/* Fixed-step euler, rk4, expeuler on the grid t0 + k·dt (opt->dt). */
nd_status nd_ode_fixed_solve(nd_ode_run *r, double *y);

/* CVODE's BDF or Adams methods. */
nd_status nd_ode_cvode_solve(nd_ode_run *r, double *y);

/* Forms the Jacobian df/dy at (t, y) into J (row-major n x n): p->jac when given, else
   forward differences from f0 = f(t, y) (n more f evaluations; scratch holds 2n values). */
nd_status nd_ode_run_jacobian(nd_ode_run *r, double t, const double *y, const double *f0,
                              double *J, double *scratch);

/* The largest state count the fixed-step stability check looks at (dgeev is O(n³)). */
#define ND_ODE_STAB_MAXN 100

/* Estimates max |λ|·dt of the Jacobian at (t, y) (f0 = f(t, y)) and, when it exceeds the
   method's real-axis stability limit, sets stats->stability_warning and its text.
   work holds 2n² + 4n values. */
nd_status nd_ode_stability_check(nd_ode_run *r, double t, const double *y, const double *f0,
                                 double dt, double limit, double *work);

#endif
