/* The initial-value problem every solver integrates: y' = f(t, y), optional Jacobian,
   optional events (threshold crossings, hybrid resets) and breakpoints (stimulus edges).
   Models, UDEs and test problems all present themselves to lib/ode through this. */
#ifndef ND_ODE_PROBLEM_H
#define ND_ODE_PROBLEM_H

#include <stddef.h>

typedef struct nd_ode_problem {
    size_t n;               /* number of state variables */
    void *ctx;              /* passed back to every callback */

    /* Writes f(t, y) into dydt; returns 0, or nonzero when f cannot be evaluated. */
    int (*rhs)(void *ctx, double t, const double *y, double *dydt);

    /* Optional (NULL: solvers that need it use finite differences): writes the Jacobian
       df/dy at (t, y) into J, row-major n x n (J[i*n + j] = dfi/dyj); returns 0 or nonzero. */
    int (*jac)(void *ctx, double t, const double *y, double *J);

    /* Optional events: nevents functions g_k(t, y); an event k happens where g_k crosses
       zero from below (g_k < 0 before, >= 0 after). */
    size_t nevents;
    int (*events)(void *ctx, double t, const double *y, double *g);

    /* Called at a located event (after the solution up to t has been reported). May
       change y in place (a reset). Returns 0 to continue, 1 to stop the integration
       successfully at t, or -1 on failure. NULL: events are only reported. */
    int (*on_event)(void *ctx, size_t k, double t, double *y);

    /* Optional breakpoints: times where f is discontinuous (stimulus edges), sorted.
       Adaptive solvers step exactly onto them and restart their step-size control. */
    const double *breaks;
    size_t nbreaks;

    /* Optional: names of the state variables, for messages ("V blew up at t = 3.2"). */
    const char *const *names;
} nd_ode_problem;

#endif
