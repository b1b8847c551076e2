/* Is a trained hybrid any good? A verdict measured against the data, never against the
   run's own earlier losses: the residual of the model's simulation against the noise
   level estimated from the data, and, where the data spikes, the spikes of the data
   against those of the simulation on the same stimulus. */
#ifndef ND_LEARN_UDE_VERDICT_H
#define ND_LEARN_UDE_VERDICT_H

#include <stdatomic.h>
#include <stddef.h>

#include "../analysis/compare.h"
#include "../base/error.h"
#include "../data/dataset.h"
#include "ude.h"

/* A fit is good when its residual RMS is at most this many noise SDs (a perfect model
   gives 1; 1.5 leaves a model error of at most 1.1 noise SDs). */
#define ND_UDE_RMS_LIMIT 1.5

/* Spikes of the data and the model count as the same spike within this window (ms),
   the coincidence window of Jolivet et al. (2008), or half the data's shortest ISI. */
#define ND_UDE_SPIKE_WINDOW 2.0

/* Integrates u from its initial state with its own stimulus (dp5, rtol = atol = 1e-6,
   like `simulate NET`) and writes the states at the m increasing times t into out
   (m × states); rows after a blow-up are NaN and the error says where. Errors:
   ND_ESOLVER, ND_EINTERRUPT, ND_ENOMEM. */
nd_status nd_ude_predict(const nd_ude *u, const double *t, size_t m, double *out,
                         const atomic_int *interrupt, nd_error *err);

/* nd_ude_predict under stim driving parameter par (stim NULL: u's own). */
nd_status nd_ude_predict_under(const nd_ude *u, const nd_stim *stim, int par, const double *t,
                               size_t m, double *out, const atomic_int *interrupt,
                               nd_error *err);

/* The comparison of one observed variable. */
typedef struct nd_ude_check {
    char name[64];            /* the variable */
    double noise;             /* SD of the data's noise, estimated (nd_noise_sd_estimate) */
    double scale;             /* what the residual is judged against: the noise, at least
                                 1 % of the data's range (nearly noise-free data) */
    double rms;               /* RMS of model − data at the samples (INFINITY: the model
                                 blew up) */
    size_t samples;
    int spiking;              /* the data spikes, so spikes were compared */
    double threshold, hysteresis;
    nd_compare spikes;        /* data (A) against model (B), paired within spikes.delta
                                 (nd_compare_trains: counts, missing and extra times,
                                 time errors, Γ); zero when not spiking */
    int ok;
} nd_ude_check;

/* The spike threshold and hysteresis for comparing y (n samples with noise SD noise) with
   a model: halfway between its extremes, hysteresis a quarter of the range, or less —
   half the way from the threshold down to y's median — when the range reaches far below
   the trace's typical level (a recorded sweep's test pulse), at least 3 noise SDs; 0 when
   y does not spike visibly (a range under 10 noise SDs), else 1. The one place the
   choice lives. */
int nd_ude_spike_threshold(const double *y, size_t n, double noise, double *threshold,
                           double *hysteresis);

/* Compares the model's values with the data's at the n samples t (NaN data skipped) and
   fills c (name empty; clear it with nd_ude_check_clear): noise, residual, spikes, ok.
   ND_ENOMEM. */
nd_status nd_ude_check_var(const double *t, const double *data, const double *model,
                           size_t n, nd_ude_check *c, nd_error *err);

/* Frees what nd_ude_check_var stored and zeroes c. */
void nd_ude_check_clear(nd_ude_check *c);

typedef struct nd_ude_verdict {
    int ok;                   /* every observed variable passed */
    size_t nvar;
    nd_ude_check *var;
} nd_ude_verdict;

/* Simulates u over the experiment's time column under its stimulus (ex->stim NULL: u's
   own) and checks each observed variable (observe NULL: every state with a column in the
   data). A model that blows up is a bad fit, not an error. Errors: ND_EVALUE (no time
   column or observed column), ND_EINTERRUPT, ND_ENOMEM. Clear v with
   nd_ude_verdict_clear. */
nd_status nd_ude_verdict_experiment(const nd_ude *u, const nd_ude_experiment *ex,
                                    const char *const *observe, size_t nobserve,
                                    const atomic_int *interrupt, nd_ude_verdict *v,
                                    nd_error *err);

/* Frees what nd_ude_verdict_experiment stored and zeroes v. */
void nd_ude_verdict_clear(nd_ude_verdict *v);

/* Returns the verdict in words ("good fit: …" or "NOT a good fit: … because …"),
   malloc'ed; NULL on ENOMEM. */
char *nd_ude_verdict_text(const nd_ude_verdict *v);

#endif
