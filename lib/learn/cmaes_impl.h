/* What cmaes.c shares with the population's evaluation (cmaes_eval.c). */
#ifndef ND_LEARN_CMAES_IMPL_H
#define ND_LEARN_CMAES_IMPL_H

#include "cmaes.h"

/* One generation's evaluations: f at the λ points pts (λ·n values, row k the k-th point)
   into val[k] (+inf for a failure or NaN), done[k] = 1 for each point evaluated (0 for
   those skipped once *interrupt became nonzero). Each value lands at its own index, so
   the outcome does not depend on how many threads or ranks share the work
   (nd_pool_run_dist on d, NULL: nd_dist_current(); collective in a distributed run). *count gets the number of
   evaluations. ND_OK (an interrupt included), ND_ENOMEM, or the error of ranks out of
   step. */
nd_status cmaes_eval_population(nd_cmaes_fn f, void *ctx, size_t n, size_t lambda,
                                const double *pts, double *val, unsigned char *done,
                                int threads, const atomic_int *interrupt, nd_dist *d,
                                long *count, nd_error *err);

#endif
