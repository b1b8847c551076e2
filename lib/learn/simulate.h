/* A model or a trained network integrated over a time grid into a dataset: what
   `simulate` binds, what `plot NET DATA` and the training verdict compare with the data,
   the phase plane's trajectories, sindy's samples of a network, and bench/ude.c's runs,
   all through one function so that a C program gets the notebook's numbers.

   It lives in lib/learn because it returns an nd_dataset (lib/data, above models) and runs
   a network (nd_ude_ivp, lib/learn); learn already sits above analysis (the verdict counts
   spikes), so lib/analysis could not hold it without a cycle. */
#ifndef ND_LEARN_SIMULATE_H
#define ND_LEARN_SIMULATE_H

#include <stddef.h>

#include "../base/error.h"
#include "../data/dataset.h"
#include "../data/noise.h"
#include "../models/model.h"
#include "../ode/solve.h"
#include "../ode/stim.h"
#include "ude.h"

typedef struct nd_sim_options {
    nd_ode_options ode;    /* method, tolerances, fixed step, step limit, interrupt */
    const nd_stim *stim;   /* added to parameter `input`; NULL: none for a model, the
                              network's own for a network; an empty one drives nothing */
    int input;             /* parameter index the stimulus drives (-1 with stim NULL) */
    const double *pars;    /* a model's parameter values (NULL: its current ones) */
    const double *y0;      /* the state at the first time (NULL: the model's initial values) */
    int terms;             /* also store the model's terms (currents) at each sample */
    int dense;             /* keep the solver's continuous solution in the dataset */
    unsigned char *jumps;  /* NULL, or one flag per time: set to 1 where an event (a `when`
                              reset) falls after that sample, so a drawn line breaks there */
} nd_sim_options;

/* Sets o to dp5 at rtol = atol = 1e-6, no stimulus, the model's values, no terms. */
void nd_sim_options_default(nd_sim_options *o);

/* Returns a round sample interval giving about 4000 samples over t_end (1, 2 or 5 times a
   power of ten): `simulate`'s default. */
double nd_sim_default_sample(double t_end);

/* Returns the n = floor(t_end / sample) + 1 times 0, sample, 2·sample … (each the decimal it
   stands for, nd_grid_snap; none above t_end) that `simulate` stores; NULL on ENOMEM. */
double *nd_sim_times(double t_end, double sample, size_t *n);

/* The most numbers a simulation stores, so that a mistyped t= or sample= is refused
   before anything is allocated. */
#define ND_SIM_MAX_VALUES 50000000.0

/* ND_ENOMEM (saying how many values and gigabytes, and what to change) when the samples
   of [0, t_end] every sample, cols numbers each, exceed ND_SIM_MAX_VALUES. */
nd_status nd_sim_check_size(double t_end, double sample, double cols, nd_error *err);

/* What `simulate` keeps of its run *ds: with names (n > 0), t, the columns called names
   in that order and the driven input's column (input, NULL: none) when not among them;
   then the measurement noise nz (NULL: none; nd_ds_add_noise_all, its warning in warn)
   on all but the input. NameError for a name that is not a column, ValueError for one
   named twice (its index in *bad, else (size_t)-1); ND_ENOMEM. *ds is replaced. */
nd_status nd_sim_observe(nd_dataset **ds, const char *const *names, size_t n,
                         const char *input, const nd_noise *nz, char *warn, size_t cap,
                         size_t *bad, nd_error *err);

/* Integrates m from times[0] to t_end (>= times[n-1]) and returns in *out a dataset with
   a row per time: t, the states, the driven parameter (when a non-empty stimulus is
   given), the terms (o->terms); its metadata the run (model, changed parameters unless
   o->pars is given, method,
   tolerances or dt, stimulus, input, solver counts), the stimulus and, with o->dense, the
   continuous solution. *stats (may be NULL) gets the solver's counts and warning. When
   the solve fails (blow-up, interrupt, step limit) *out still holds the rows before the
   failure; *out is NULL only when no dataset could be made. The caller frees *out. */
nd_status nd_sim_model(const nd_model *m, const double *times, size_t n, double t_end,
                       const nd_sim_options *o, nd_dataset **out, nd_ode_stats *stats,
                       nd_error *err);

/* Integrates m at parameters p (dp5, rtol = atol = 1e-8, without stimulus) from y0 over
   [0, t1] into npts equally spaced samples (n values each, starting with y0) in out, and,
   when breaks (npts flags) is not NULL, sets breaks[i] = 1 where a `when` reset falls
   between samples i and i + 1; interrupt is a const atomic_int * (or NULL) that stops the
   run. The phase plane's integrator (nd_phase_path_fn, lib/analysis/phase_view.h).
   ND_ESOLVER etc. when the solve fails (out then holds NaN after the failure point). */
nd_status nd_sim_path(void *interrupt, const nd_model *m, const double *p, const double *y0,
                      double t1, size_t npts, double *out, unsigned char *breaks,
                      nd_error *err);

/* nd_sim_model for the hybrid of network u (its model with the network in the loop;
   o->pars is ignored), its terms including the learned ones. */
nd_status nd_sim_network(const nd_ude *u, const double *times, size_t n, double t_end,
                         const nd_sim_options *o, nd_dataset **out, nd_ode_stats *stats,
                         nd_error *err);

#endif
