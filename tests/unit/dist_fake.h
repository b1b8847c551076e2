/* Distributed runs without MPI for the unit tests: "ranks" that are threads of this
   process, exchanging through a barrier with the collective contract of the MPI plugin
   (every rank makes the same exchanges in the same order). */
#ifndef ND_TEST_DIST_FAKE_H
#define ND_TEST_DIST_FAKE_H

#include <pthread.h>

#include "../../lib/base/dist.h"

enum { DIST_FAKE_MAXR = 4 };

typedef struct dist_fake_world {
    int size;
    pthread_barrier_t bar;
    const void *from[DIST_FAKE_MAXR];
} dist_fake_world;

typedef struct dist_fake_rank {
    dist_fake_world *w;
    int rank;
} dist_fake_rank;

/* Runs body(args[k]) on size (<= DIST_FAKE_MAXR) threads, rank k's distribution being
   *dists[k] (filled here before any thread starts: rank k of size, exchanging with the
   others); returns once all ended. */
void dist_fake_run(int size, nd_dist *const *dists, void *(*body)(void *), void *const *args);

#endif
