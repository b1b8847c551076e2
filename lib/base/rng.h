/* A small deterministic pseudo-random generator shared by noise stimuli and learning:
   xoshiro256** seeded through splitmix64, normals by Marsaglia's polar method. The same
   seed gives the same sequence on every machine (integer arithmetic, plus only sqrt and
   log for normals), independent of the C library's rand(). */
#ifndef ND_BASE_RNG_H
#define ND_BASE_RNG_H

#include <stdint.h>

typedef struct nd_rng {
    uint64_t s[4];
    int has_spare;     /* the polar method makes normals in pairs; the second waits here */
    double spare;
} nd_rng;

/* Seeds r from one 64-bit number (any value, 0 included). */
void nd_rng_seed(nd_rng *r, uint64_t seed);

/* Returns the next 64 random bits. */
uint64_t nd_rng_next(nd_rng *r);

/* Returns a uniform double in [0, 1) with 53 random bits. */
double nd_rng_uniform(nd_rng *r);

/* Returns a standard normal deviate (mean 0, variance 1). */
double nd_rng_normal(nd_rng *r);

/* Returns the seed of sub-stream k of seed (a retry, an ensemble member): a splitmix64
   hash of (seed, k) with the top bit set, so it never equals a seed below 2^63 (every
   seed a user can type) nor seed + j, and differs from stream to stream. */
uint64_t nd_rng_derive(uint64_t seed, uint64_t k);

#endif
