/* Synthetic current-clamp "recordings" of the Wang–Buzsáki model (lib/models/wb.nd) at
   chosen conductances, for the gradient-free fitting tests and bench/cmaes.c. */
#ifndef ND_TEST_FIT_FIXTURE_H
#define ND_TEST_FIT_FIXTURE_H

#include <stddef.h>

#include "../../lib/data/dataset.h"
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

#endif
