/* Each exchange: every rank posts its buffer, all wait, each copies what it needs, all
   wait again so that no buffer is reused while another rank still reads it. */
#include "dist_fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fake_allgather(void *impl, const void *mine, size_t bytes, void *all)
{
    dist_fake_rank *ri = impl;
    dist_fake_world *w = ri->w;
    w->from[ri->rank] = mine;
    pthread_barrier_wait(&w->bar);
    for (int r = 0; r < w->size; r++) memcpy((char *)all + (size_t)r * bytes, w->from[r], bytes);
    pthread_barrier_wait(&w->bar);
    return 0;
}

static int fake_allgatherv(void *impl, const double *mine, const size_t *counts, double *all)
{
    dist_fake_rank *ri = impl;
    dist_fake_world *w = ri->w;
    w->from[ri->rank] = mine;
    pthread_barrier_wait(&w->bar);
    for (int r = 0; r < w->size; r++) {
        memcpy(all, w->from[r], counts[r] * sizeof *all);
        all += counts[r];
    }
    pthread_barrier_wait(&w->bar);
    return 0;
}

static int fake_broadcast(void *impl, double *x, size_t n, int root)
{
    dist_fake_rank *ri = impl;
    dist_fake_world *w = ri->w;
    w->from[ri->rank] = x;
    pthread_barrier_wait(&w->bar);
    if (ri->rank != root) memcpy(x, w->from[root], n * sizeof *x);
    pthread_barrier_wait(&w->bar);
    return 0;
}

static void fake_abort(void *impl, const char *msg)
{
    (void)impl;
    fprintf(stderr, "%s\n", msg);
    abort();
}

void dist_fake_run(int size, nd_dist *const *dists, void *(*body)(void *), void *const *args)
{
    dist_fake_world w = {.size = size};
    dist_fake_rank ri[DIST_FAKE_MAXR];
    pthread_t t[DIST_FAKE_MAXR];
    pthread_barrier_init(&w.bar, NULL, (unsigned)size);
    for (int k = 0; k < size; k++) {
        ri[k] = (dist_fake_rank){&w, k};
        *dists[k] = (nd_dist){.abi = ND_DIST_ABI, .rank = k, .size = size, .impl = &ri[k],
                              .allgather = fake_allgather, .allgatherv = fake_allgatherv,
                              .broadcast = fake_broadcast, .abort = fake_abort};
    }
    for (int k = 0; k < size; k++) pthread_create(&t[k], NULL, body, args[k]);
    for (int k = 0; k < size; k++) pthread_join(t[k], NULL);
    pthread_barrier_destroy(&w.bar);
}
