/* A hand-written Hodgkin–Huxley model (modern −65 mV convention, docs/science.md) with its
   analytic Jacobian, as an nd_ode_problem for the solver tests. State: V, m, h, n. */
#ifndef ND_TEST_ODE_HH_H
#define ND_TEST_ODE_HH_H

#include "../../lib/ode/problem.h"

typedef struct { double I; } ode_hh;

/* Fills p for HH driven by the constant current hh->I (no events, no breaks). */
void ode_hh_problem(nd_ode_problem *p, ode_hh *hh, int with_jac);

/* Writes the opening rates alpha and closing rates beta (1/ms) of the gates m, h, n at V. */
void ode_hh_gate_rates(double V, double alpha[3], double beta[3]);

/* Writes the resting state at I = 0 (V = −65 and the gates at their steady states). */
void ode_hh_rest(double y[4]);

/* Returns the equilibrium voltage under the constant current I (gates at steady state),
   found by bisection on these hand-written equations. */
double ode_hh_equilibrium_voltage(double I);

#endif
