/* Recorded sweeps as experiments, and held-out experiments: a dataset whose stimulus is
   one of its columns (a sweep's injected current I), and the verdict's numbers on
   experiments the training never sees (validation) — residual RMS and the spike
   comparison of nd_compare_trains, on the network simulated under each one's stimulus. */
#ifndef ND_LEARN_UDE_VALIDATE_H
#define ND_LEARN_UDE_VALIDATE_H

#include <stdatomic.h>
#include <stddef.h>

#include "../base/error.h"
#include "../data/dataset.h"
#include "../ode/stim.h"
#include "ude.h"
#include "ude_verdict.h"

/* The most held-out experiments a training reports on. */
enum { ND_UDE_MAX_VALIDATE = 8 };

/* The experiment of data as nd_ude_experiment_of finds it; when the data records no
   stimulus, a column named like the stimulated parameter (the network's stimulus's, else
   the model's, else the first column named like a parameter: a sweep's I) is taken as
   that parameter's whole value over time (linearly interpolated, as `stim data` and `fit`
   take it): the stimulus, created in *held (free it with nd_stim_free; NULL when none was
   made), is the column minus the parameter's current value. Errors as
   nd_ude_experiment_of, ND_EVALUE for an unreadable column, ND_ENOMEM. */
nd_status nd_ude_experiment_from(const nd_ude *u, const nd_dataset *data,
                                 nd_ude_experiment *ex, nd_stim **held, nd_error *err);

/* The verdict (nd_ude_verdict_experiment) on each of the nex experiments into v[0..nex);
   on an error every v is cleared. */
nd_status nd_ude_verdicts(const nd_ude *u, const nd_ude_experiment *ex, size_t nex,
                          const char *const *observe, size_t nobserve,
                          const atomic_int *interrupt, nd_ude_verdict *v, nd_error *err);

/* A held-out experiment's numbers (its first observed variable): what a training reports
   after each stage. */
typedef struct nd_ude_val_score {
    double rms;               /* RMS of model − data (INFINITY: the model blew up) */
    int spiking;              /* the data spikes: the counts and Γ below are meaningful */
    size_t data_spikes, model_spikes, matched;
    double window;            /* the coincidence window the spikes were paired in */
    double gamma;             /* the coincidence factor (NAN when undefined) */
    int ok;                   /* it would pass the training verdict */
} nd_ude_val_score;

/* The score of verdict v (all NAN/0 without an observed variable). */
nd_ude_val_score nd_ude_val_score_of(const nd_ude_verdict *v);

/* Scores the current network on the nex held-out experiments into s[0..nex). Errors as
   nd_ude_verdicts. */
nd_status nd_ude_val_scores(const nd_ude *u, const nd_ude_experiment *ex, size_t nex,
                            const char *const *observe, size_t nobserve,
                            const atomic_int *interrupt, nd_ude_val_score *s, nd_error *err);

/* "s11 (held out): V RMS 3.1, 76 spikes in the data, 80 in the model, 60 matched within
   2, Γ 0.71" for held-out experiment name with verdict v, malloc'ed (NULL on ENOMEM). */
char *nd_ude_val_text(const nd_ude_verdict *v, const char *name);

#endif
