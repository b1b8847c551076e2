/* An ensemble of parameter fits (fit.h): the same least-squares fit repeated from
   independent seeds, each member started from the estimates scattered by its seed and,
   with bootstrap, fitted to a resample — of the datasets when there are several, else of
   the single fit's residuals added back to its trajectory (Efron's residual bootstrap) —
   on the thread pool and over the ranks of a distributed run (pool_dist.h) with the same
   members for any number of threads or ranks. The spread of each
   parameter across the members sits beside the single fit's standard errors. */
#ifndef ND_LEARN_FIT_ENSEMBLE_H
#define ND_LEARN_FIT_ENSEMBLE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/dist.h"
#include "ensemble.h"
#include "fit.h"

/* How far a member's start is scattered from the estimates: each parameter multiplied by
   exp(ND_FIT_ENS_JITTER · N(0, 1)) (positive ones), else shifted by that share of its
   size. */
#define ND_FIT_ENS_JITTER 0.1

typedef struct nd_fit_ens_request {
    const nd_model *model;          /* the model (its other values stay) */
    const nd_dataset *const *data;  /* the datasets of the single fit */
    size_t ndata;
    const nd_fit_options *o;        /* its options (params, observe, bounds …) */
    nd_fit_method method;
    long iters;                     /* per member (and again for the polish of a shooting
                                       fit, as the single fit) */
    nd_fit *single;                 /* the finished single fit: the start and, for the
                                       residual bootstrap, the trajectory and residuals */
    size_t members;                 /* 2 … ND_ENS_MAX_MEMBERS */
    uint64_t seed;
    int bootstrap;
    unsigned threads;               /* 0: one per core */
    const atomic_int *interrupt;
    double max_loss;                /* a member whose loss ends above it is left out (NaN
                                       estimates): it stopped in another basin, far from
                                       the data; 0: ND_FIT_MISFIT × the single fit's loss
                                       at its estimates */
    nd_dist *dist;                  /* the ranks sharing the members (NULL: the process's,
                                       nd_dist_current) */
} nd_fit_ens_request;

/* Fits rq->members members: values gets members × nparams estimates (member-major; NaN
   for a member left out), loss the members' final losses, *kept the members kept.
   ValueError for a member count out of range; the lowest failing member's error
   ("ensemble member 3: …", nd_pool_run_dist); ND_EINTERRUPT. Collective under a
   distributed run: every rank calls it with the same request. */
nd_status nd_fit_ens_run(const nd_fit_ens_request *rq, double *values, double *loss,
                         size_t *kept, nd_error *err);

/* Writes into y the residual bootstrap of one observed column: fitted[i] plus a residual
   data[j] − fitted[j] drawn with replacement (rows with finite data only; NaN rows stay
   NaN), from a stream of seed. */
void nd_fit_ens_residual_resample(uint64_t seed, const double *data, const double *fitted,
                                  size_t rows, double *y);

#endif
