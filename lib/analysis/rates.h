/* Gating kinetics of HH-type models: for every gate x with dx/dt = α(V)(1 − x) − β(V)x,
   the rates α, β, the steady state x∞ = α/(α+β) and the time constant τx = 1/(α+β),
   read off the compiled model itself (so user models work too). */
#ifndef ND_ANALYSIS_RATES_H
#define ND_ANALYSIS_RATES_H

#include <stddef.h>
#include "../base/error.h"
#include "../data/dataset.h"
#include "../models/model.h"
#include "../plot/figure.h"

/* Returns a dataset with column V (named after the swept state) over n points of
   [lo, hi], then for each gate x of m: alpha_x, beta_x, x_inf, tau_x. A gate is a state
   other than the swept one whose equation is affine in itself at every V; other states
   sit at their initial values. ND_EVALUE when the model has no gate or the arguments are
   bad, ND_ENOMEM. */
nd_status nd_rates_compute(const nd_model *m, int vstate, double lo, double hi, size_t n,
                           nd_dataset **out, nd_error *err);

/* Returns the figure of a dataset from nd_rates_compute: the gates' steady states x_inf
   in one panel and their time constants tau_x in a second, against the swept state;
   NULL on ENOMEM. */
nd_figure *nd_rates_figure(const nd_dataset *ds);

#endif
