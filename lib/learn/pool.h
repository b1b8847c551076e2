/* The parallel engine of sweeps and ensembles: a function evaluated at each of n points
   on worker threads, each with its own state (a copy of the model), results stored by
   point index so that any number of threads gives the output of a serial run.

   It lives in lib/learn because its users (parameter sweeps through nd_sim_model,
   ensembles of fits) are here, and it pins OpenBLAS as lib/learn/mlp.c does. */
#ifndef ND_LEARN_POOL_H
#define ND_LEARN_POOL_H

#include <stdatomic.h>
#include <stddef.h>

#include "../base/error.h"

typedef struct nd_pool_job {
    size_t npoints;           /* points 0 … npoints-1 */
    size_t nout;              /* values each point writes */
    unsigned threads;         /* workers (0: one per online core); at most npoints */
    /* Makes one worker's state from ctx (NULL with err filled on failure); called on the
       calling thread before any work starts, so it need not be thread-safe. */
    void *(*worker_new)(void *ctx, nd_error *err);
    void (*worker_free)(void *w);
    /* Evaluates point i into out[0 … nout) with worker w; runs on any thread, so it may
       touch only w, read-only shared data and its own out. */
    nd_status (*eval)(void *w, size_t i, double *out, nd_error *err);
    void *ctx;
    const atomic_int *interrupt;   /* optional: nonzero stops claiming points */
    /* Optional: called on the calling thread only (never from a worker) with the points
       finished so far, at most once per point finished by the calling thread. */
    void (*progress)(void *pctx, size_t done, size_t total);
    void *progress_ctx;
} nd_pool_job;

/* Returns the number of online cores (at least 1). */
unsigned nd_pool_cores(void);

/* Runs job: out gets npoints * nout values (point i at out + i * nout; NAN where a point
   was not finished), done (npoints flags, may be NULL) 1 for each finished point, *ndone
   (may be NULL) their count. With more than one worker OpenBLAS is set to one thread, so
   that workers do not oversubscribe the cores. On the first failing point the others stop
   and the error of the lowest failing point index is returned (so the message does not
   depend on the thread count); ND_EINTERRUPT when interrupted, finished points kept. */
nd_status nd_pool_run(const nd_pool_job *job, double *out, unsigned char *done, size_t *ndone,
                      nd_error *err);

#endif
