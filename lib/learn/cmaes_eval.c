/* A generation's points evaluated through the pool of sweeps and ensembles
   (pool_dist.h): spread over the threads and, in a distributed run, the ranks, each value
   stored at its point's index, so neither the order of completion nor the number of
   workers ever shows. */
#include "cmaes_impl.h"

#include <math.h>
#include <stdio.h>

#include "pool_dist.h"

typedef struct job {
    nd_cmaes_fn f;
    void *ctx;
    size_t n;
    const double *pts;
} job;

/* A failed evaluation or a NaN is +inf: a point that loses, not an error of the run. */
static nd_status eval(void *w, size_t k, double *out, nd_error *err)
{
    (void)err;
    const job *j = w;
    double v = INFINITY;
    if (j->f(j->ctx, j->pts + k * j->n, j->n, &v) != 0 || isnan(v)) v = INFINITY;
    out[0] = v;
    return ND_OK;
}

static void label(void *ctx, size_t k, char *buf, size_t cap)
{
    (void)ctx;
    snprintf(buf, cap, "CMA-ES candidate %zu of a generation", k + 1);
}

nd_status cmaes_eval_population(nd_cmaes_fn f, void *ctx, size_t n, size_t lambda,
                                const double *pts, double *val, unsigned char *done,
                                int threads, const atomic_int *interrupt, nd_dist *d,
                                long *count, nd_error *err)
{
    job j = {f, ctx, n, pts};
    nd_pool_job pj = {.npoints = lambda, .nout = 1, .threads = threads > 1 ? (unsigned)threads : 1,
                      .eval = eval, .ctx = &j, .interrupt = interrupt};
    size_t nd = 0;
    nd_status st = nd_pool_run_dist(&pj, d ? d : nd_dist_current(), label, NULL, val, done, &nd, err);
    for (size_t k = 0; k < lambda; k++)
        if (!done[k]) val[k] = INFINITY;
    *count = (long)nd;
    return st == ND_EINTERRUPT ? ND_OK : st;
}
