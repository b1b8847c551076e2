/* Ensembles of independently trained models — deep ensembles (Lakshminarayanan, Pritzel
   and Blundell 2017) and the bootstrap (Efron 1979): the seed of each member, bootstrap
   resamples, the band of a quantity across the members and how often observations fall
   inside it (the calibration check). Plain arithmetic shared by network ensembles
   (ude_ensemble.h) and parameter fits (fit_ensemble.h). */
#ifndef ND_LEARN_ENSEMBLE_H
#define ND_LEARN_ENSEMBLE_H

#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"

/* The band drawn and checked: mean ± ND_ENS_BAND_K sample SDs across the members (about
   95 % of a normal spread). */
#define ND_ENS_BAND_K 2.0

/* Most members an ensemble may have. */
enum { ND_ENS_MAX_MEMBERS = 256 };

/* Returns member k's seed for an ensemble seeded with seed: seed itself for k = 0 (member
   1 is the network `train` alone would give), else a derived stream (nd_rng_derive) that
   no typed seed, no other member and no retry (nd_ude_attempt_seed) of these seeds uses. */
uint64_t nd_ens_member_seed(uint64_t seed, size_t k);

/* Writes n draws with replacement from 0 … n−1 into idx, from a stream derived from
   member_seed (the same seed, the same resample). */
void nd_ens_resample(uint64_t member_seed, size_t n, size_t *idx);

/* A quantity at m points across the members. */
typedef struct nd_ens_band {
    size_t m;
    double *mean, *sd;     /* over the members with a finite value (sd: n − 1 divisor) */
    double *lo, *hi;       /* mean ∓ ND_ENS_BAND_K sd */
    size_t *n;             /* members with a finite value at each point */
} nd_ens_band;

/* Computes b from v (nmem rows of m values, member-major; NaN: that member has none
   there). A point with fewer than two values gets NaN sd and band. ND_ENOMEM. */
nd_status nd_ens_band_compute(const double *v, size_t nmem, size_t m, nd_ens_band *b,
                              nd_error *err);

/* Fills b from a mean and an SD given at each of m points (a posterior's, not members':
   n stays 0); the band mean ∓ ND_ENS_BAND_K sd as nd_ens_band_compute's. ND_ENOMEM. */
nd_status nd_ens_band_of(const double *mean, const double *sd, size_t m, nd_ens_band *b,
                         nd_error *err);

/* Frees what b holds and zeroes it. */
void nd_ens_band_free(nd_ens_band *b);

/* Returns the share of the points with a finite x and band where x lies within
   mean ± ND_ENS_BAND_K·√(sd² + noise²) (noise 0: the band itself; the data's noise SD: the
   band of a new observation); *counted (may be NULL) gets the number of such points. NaN
   when there is none. */
double nd_ens_coverage(const nd_ens_band *b, const double *x, double noise, size_t *counted);

/* Returns the mean of the band's finite SDs (the spread in one number), NaN when none. */
double nd_ens_mean_sd(const nd_ens_band *b);

/* Writes the mean and the sample SD (n − 1) of the finite values among x[0], x[stride],
   … (n of them) into *mean and *sd (NaN when fewer than two). */
void nd_ens_mean_sd_of(const double *x, size_t n, size_t stride, double *mean, double *sd);

#endif
