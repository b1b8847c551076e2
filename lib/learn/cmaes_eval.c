/* A generation's points evaluated by a few threads that take the next index from a shared
   counter: expensive evaluations (simulations of different length) balance themselves,
   and each value is stored at its point's index, so the order of completion never shows. */
#include "cmaes_impl.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>

typedef struct job {
    nd_cmaes_fn f;
    void *ctx;
    size_t n, lambda;
    const double *pts;
    double *val;
    unsigned char *done;
    const atomic_int *interrupt;
    atomic_size_t next;
} job;

static void *work(void *arg)
{
    job *j = arg;
    for (;;) {
        size_t k = atomic_fetch_add(&j->next, 1);
        if (k >= j->lambda) break;
        if (j->interrupt && atomic_load(j->interrupt)) continue;   /* skipped: done[k] = 0 */
        double v = INFINITY;
        if (j->f(j->ctx, j->pts + k * j->n, j->n, &v) != 0 || isnan(v)) v = INFINITY;
        j->val[k] = v;
        j->done[k] = 1;
    }
    return NULL;
}

long cmaes_eval_population(nd_cmaes_fn f, void *ctx, size_t n, size_t lambda,
                              const double *pts, double *val, unsigned char *done,
                              int threads, const atomic_int *interrupt)
{
    job j = {f, ctx, n, lambda, pts, val, done, interrupt, 0};
    for (size_t k = 0; k < lambda; k++) val[k] = INFINITY, done[k] = 0;
    size_t extra = threads > 1 ? (size_t)threads - 1 : 0;
    if (extra > lambda - 1) extra = lambda - 1;
    pthread_t *tid = extra ? malloc(extra * sizeof *tid) : NULL;
    size_t started = 0;
    /* a thread that cannot start leaves its share to the others: same values, slower */
    while (tid && started < extra && pthread_create(&tid[started], NULL, work, &j) == 0) started++;
    work(&j);
    for (size_t t = 0; t < started; t++) pthread_join(tid[t], NULL);
    free(tid);
    long count = 0;
    for (size_t k = 0; k < lambda; k++) count += done[k];
    return count;
}
