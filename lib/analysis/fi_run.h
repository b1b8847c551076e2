/* Internal to the F-I analysis (fi.c, fi_run.c, fi_onset.c): one parameter value
   simulated with a spike counter, and the automatic threshold. */
#ifndef ND_ANALYSIS_FI_RUN_H
#define ND_ANALYSIS_FI_RUN_H

#include "fi.h"

/* Sets parameter o->par to value, integrates from y (left holding the final state) for
   o->transient then at most o->window, and sets *rate to the steady firing rate (0 below
   two spikes in the window, or when firing stopped). Adds the solver's work to *evals. */
nd_status nd_fi_run_value(const nd_model *m, double *pars, const nd_fi_options *o,
                          double thr, double hys, double value, double *y, double *rate,
                          long *evals, nd_error *err);

/* Sets *thr and *hys from o (given ones kept) or, when o->threshold is NAN, from pilot
   runs from m's initial state at b, (a+b)/2 and a: halfway between the lowest and highest
   V of the largest sustained oscillation, re-arming a tenth of its amplitude lower. *thr
   is NAN when no pilot oscillates. */
nd_status nd_fi_threshold(const nd_model *m, const nd_fi_options *o, double *thr,
                          double *hys, long *evals, nd_error *err);

#endif
