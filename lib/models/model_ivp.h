/* A model bound to parameter values and an input stimulus, presented to the solvers as an
   nd_ode_problem: the right-hand side and Jacobian from the compiled model, one event per
   `when` (its reset applied by on_event), the stimulus edges as breakpoints, and the
   state names. */
#ifndef ND_MODELS_MODEL_IVP_H
#define ND_MODELS_MODEL_IVP_H

#include "../base/error.h"
#include "../ode/problem.h"
#include "../ode/stim.h"
#include "model.h"

typedef struct nd_model_ivp nd_model_ivp;

/* Returns a problem for integrating m over [t0, t1] with parameter values p (npar values
   copied; NULL: the model's current ones). When stim is not NULL it is copied, its noise
   prepared up to t1, and its value u(t) ADDED to parameter stim_par (so p[stim_par] acts
   as a constant bias). m is copied too. NULL with ValueError (bad stim_par) or ENOMEM. */
nd_model_ivp *nd_model_ivp_create(const nd_model *m, const double *p, const nd_stim *stim,
                                  int stim_par, double t0, double t1, nd_error *err);

/* Frees the problem; NULL is allowed. */
void nd_model_ivp_free(nd_model_ivp *v);

/* Returns the problem to pass to nd_ode_solve (valid while v lives). */
const nd_ode_problem *nd_model_ivp_problem(const nd_model_ivp *v);

/* Writes the parameter vector in force at time t (the stimulus added) into p. */
void nd_model_ivp_pars_at(const nd_model_ivp *v, double t, double *p);

#endif
