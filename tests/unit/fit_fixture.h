/* Synthetic current-clamp "recordings" of the Wang–Buzsáki model (lib/models/wb.nd) at
   chosen conductances, for the gradient-free fitting tests and bench/cmaes.c. */
#ifndef ND_TEST_FIT_FIXTURE_H
#define ND_TEST_FIT_FIXTURE_H

#include <stddef.h>

#include "../../lib/data/dataset.h"
#include "../../lib/learn/fit.h"
#include "../../lib/models/model.h"

/* The sweeps' layout: 500 ms at 20 kHz, the step on [150, 450) ms, a cell of 100 pF
   (1e-4 cm², so 100 pA is 1 µA/cm²). */
#define FIT_FX_CAP_PF 100.0
#define FIT_FX_DT 0.05
#define FIT_FX_T 500.0
#define FIT_FX_ON 150.0
#define FIT_FX_OFF 450.0

/* Returns a sweep of wb (m, whose own parameters are kept apart from gNa and gK) under a
   step of amp_pa pA: columns t (ms), V (mV), I (pA), the cell having rested 200 ms at I = 0
   before t = 0; NULL when the simulation fails. */
nd_dataset *fit_fx_sweep(const nd_model *m, double gNa, double gK, double amp_pa);

/* A dataset with columns t and the states of m simulated at its values (dp5, tolerances
   1e-10, events located by the solver), sampled every dt up to T, under stim on parameter
   par (NULL, -1: none); NULL when the simulation fails. */
nd_dataset *fit_fx_synth(const nd_model *m, double T, double dt, const nd_stim *stim, int par);

/* Relative error ‖g − g_fd‖/‖g‖ of f's exact loss gradient at theta against central
   differences (step 1e-5·max(1, |θ_i|)); NAN when the loss cannot be evaluated. */
double fit_fx_grad_error(nd_fit *f, const double *theta, double step);

#endif
