/* Objectives for fitting a model's parameters to current-clamp sweeps that need no
   gradient (for CMA-ES, lib/learn/cmaes.h): each sweep's recorded current replayed into
   the model, the simulated potential measured with the same feature extraction as the
   recording (lib/analysis/ephys.h), and the two compared feature by feature (`features`,
   in the manner of BluePyOpt's feature-based objectives) or by firing rate (`fi`).

   It lives in lib/learn, not lib/analysis, because it simulates (lib/learn/simulate.h
   returns datasets and sits here); learn already uses analysis (ude_verdict.c counts
   spikes), so the features come from below without a cycle. */
#ifndef ND_LEARN_FIT_OBJECTIVE_H
#define ND_LEARN_FIT_OBJECTIVE_H

#include <stdatomic.h>
#include <stddef.h>

#include "../base/error.h"
#include "../data/dataset.h"
#include "../models/model.h"

typedef enum nd_fit_kind {
    ND_FIT_FEATURES,   /* Σ over sweeps and features of |model − data| / scale */
    ND_FIT_FI          /* Σ over sweeps of (rate_model − rate_data)², Hz² */
} nd_fit_kind;

/* The score of a feature the recording has and the model does not: BluePyOpt's default
   max_score. A feature the recording lacks is not compared. */
#define ND_FIT_MISSING 250.0

typedef struct nd_fit_setup {
    nd_fit_kind kind;
    const char *v_column;        /* the sweeps' potential column (NULL: "V") */
    const char *i_column;        /* the sweeps' current column (NULL: "I") */
    const char *state;           /* the model's state compared with it (NULL: "V") */
    const char *input;           /* the parameter the current drives (NULL: the model's
                                    stimulated parameter, else "I") */
    double capacitance_pf;       /* > 0: currents (pA, nA …) become µA/cm² over the area of
                                    this capacitance at 1 µF/cm²; 0: they are densities */
    double start, end;           /* the stimulus window in ms; NAN: found in each sweep */
    double settle_ms;            /* the model first rests this long under the holding
                                    current (default 200) */
    double rtol;                 /* dp5 at rtol = atol (default 1e-6) */
    const atomic_int *interrupt; /* stops a simulation under way (may be NULL) */
} nd_fit_setup;

/* Fills s with the defaults above (features, 200 ms settling, rtol 1e-6, window found). */
void nd_fit_setup_default(nd_fit_setup *s);

typedef struct nd_fit_objective nd_fit_objective;

/* Prepares the objective of m's np parameters names over ns >= 1 sweeps (datasets with a
   time column "t", the potential and the current): currents converted, the recording's
   features measured, a stimulus made of each sweep's current (nd_stim_add_samples). The
   data are copied. NULL with err naming the problem: an unknown parameter or column, a
   current in pA without a capacitance, a sweep without a stimulus step (by its index). */
nd_fit_objective *nd_fit_objective_create(const nd_model *m, const char *const *names,
                                          size_t np, const nd_dataset *const *sweeps,
                                          size_t ns, const nd_fit_setup *s, nd_error *err);

/* Frees f; NULL is allowed. */
void nd_fit_objective_free(nd_fit_objective *f);

/* The objective at parameter values p (np of them, in the order of names); an
   nd_cmaes_fn: obj is the nd_fit_objective. Returns nonzero (an evaluation that failed)
   when a simulation fails (blow-up, interrupt) or memory runs out. Safe to call from
   several threads at once. */
int nd_fit_objective_eval(void *obj, const double *p, size_t np, double *value);

/* Simulates sweep k at parameter values p into *v (its potential, nd_fit_sweep_length(f, k)
   samples on the sweep's times; the caller frees): what the objective compares, for plots
   and tests. */
nd_status nd_fit_objective_trace(const nd_fit_objective *f, size_t k, const double *p,
                                 double **v, nd_error *err);

/* One feature of one sweep as the objective compares it: the recording's and the
   model's value, the scale, and the score the objective adds (features: |model − data| /
   scale, ND_FIT_MISSING when only the model lacks it; fi: (rate_model − rate_data)²). */
typedef struct nd_fit_feature {
    size_t sweep;          /* from 0 */
    const char *name;      /* "spike count", "first-spike latency", "mean ISI", "mean spike
                              peak", "mean trough", "steady state", "firing rate" */
    const char *unit;      /* "", "ms", "mV", "Hz" */
    double data, model, scale, score;
    int matched;           /* within two scales (fi: the scale is one spike in the window
                              or 10 % of the rate, the larger) */
} nd_fit_feature;

/* The most features one sweep compares. */
#define ND_FIT_MAX_FEATURES 6

/* Every feature nd_fit_objective_eval compares at parameter values p (those the recording
   has), sweep by sweep, into *out (malloc'ed, *n of them; the caller frees); their scores
   sum to the objective. ND_ESOLVER (or the simulation's error) when a sweep cannot be
   simulated, ND_ENOMEM. */
nd_status nd_fit_objective_report(const nd_fit_objective *f, const double *p,
                                  nd_fit_feature **out, size_t *n, nd_error *err);

/* Returns the number of samples of sweep k. */
size_t nd_fit_sweep_length(const nd_fit_objective *f, size_t k);

/* Returns the recorded spike count of sweep k (its measured features' n_spikes). */
size_t nd_fit_sweep_spikes(const nd_fit_objective *f, size_t k);

#endif
