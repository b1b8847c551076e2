/* Measurement noise for synthetic data: "5 % noise" means Gaussian noise whose standard
   deviation is 5 % of the column's range (max - min), so the same setting gives the same
   visual noise on a voltage trace (~100 mV range) as on a gating variable (range < 1). */
#ifndef ND_DATA_NOISE_H
#define ND_DATA_NOISE_H

#include "../base/error.h"
#include "dataset.h"

/* Adds N(0, (rel_sigma × range)^2) to each finite value of col, the same for a seed on every
   machine, and notes it in the "noise" metadata; ND_ENAME, or ND_EVALUE for rel_sigma < 0. */
nd_status nd_ds_add_noise(nd_dataset *ds, const char *col, double rel_sigma,
                          unsigned long seed, nd_error *err);

/* Adds N(0, sd^2), sd in the column's own unit, to each finite value of col (the same
   draws as nd_ds_add_noise for a seed), noted in "noise"; ND_ENAME, or ND_EVALUE for sd < 0. */
nd_status nd_ds_add_noise_sd(nd_dataset *ds, const char *col, double sd, unsigned long seed,
                             nd_error *err);

/* The measurement noise of a synthetic dataset: relative to each column's range (rel), or
   absolute (sd, in each column's unit: one value for every column, or one per noisy
   column in order), not both. */
typedef struct nd_noise {
    double rel;
    const double *sd;
    size_t nsd;
    unsigned long seed;
} nd_noise;

/* Adds nz's noise to every column but time and the one called except (may be NULL: the
   input that was applied is not measured), column j seeded seed + j. ND_EVALUE when both
   kinds are given or nsd is neither 1 nor the number of noisy columns (the message names
   them). When relative noise is given to columns that vary by less than 0.01 % of their
   size (a resting trace: their noise is next to none) and warn is not NULL, warn (of cap
   bytes) names them; else warn is "". */
nd_status nd_ds_add_noise_all(nd_dataset *ds, const nd_noise *nz, const char *except,
                              char *warn, size_t cap, nd_error *err);

/* Estimates the standard deviation of white measurement noise on a sampled smooth signal
   y(t) (n samples, t increasing, NaNs skipped) from Gasser's pseudo-residuals (the
   deviation of each sample from the line through its neighbours, exact for uneven
   spacing) and their median absolute value, so that the few samples on fast events
   (spikes) do not inflate it. Biased upwards when the signal curves strongly from one
   sample to the next (a coarse grid). NAN with fewer than 3 finite samples or no memory. */
double nd_noise_sd_estimate(const double *t, const double *y, size_t n);

#endif
