/* An ensemble of hybrids: copies of one network trained from independent weight seeds
   (nd_ens_member_seed), each on the datasets or — bootstrap — on a resample of them drawn
   with replacement, in parallel on the thread pool (pool.h) with the same members for any
   number of threads; then what the members say together: the band of a prediction or of
   a learned term across them, and how often observations or the truth lie inside it.
   Under a distributed run (lib/base/dist.h) the members are spread over the ranks too
   (pool_dist.h), and every rank ends with all of them, the same to the bit. */
#ifndef ND_LEARN_UDE_ENSEMBLE_H
#define ND_LEARN_UDE_ENSEMBLE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/dist.h"
#include "ensemble.h"
#include "ude.h"
#include "ude_stages.h"

typedef struct nd_ude_ens_request {
    const nd_ude *proto;            /* the network: copied, reseeded, trained per member */
    const nd_ude_experiment *ex;    /* the experiments of one training */
    size_t nex;
    nd_ude_fit_options fo;
    const nd_ude_train_stage *stages;   /* the stages as asked (each member runs its own
                                           copy); nstages 0: the default recipe */
    size_t nstages;
    int l2_given;                   /* the recipe keeps fo.l2 (else its own) */
    size_t members;                 /* 2 … ND_ENS_MAX_MEMBERS */
    uint64_t seed;                  /* member k: nd_ens_member_seed(seed, k) */
    int bootstrap;                  /* resample the experiments (needs nex ≥ 2) */
    unsigned threads;               /* 0: one per core */
    const atomic_int *interrupt;
    void (*progress)(void *ctx, size_t done, size_t total);   /* calling thread only */
    void *progress_ctx;
    nd_dist *dist;                  /* the ranks sharing the members (NULL: the process's,
                                       nd_dist_current) */
} nd_ude_ens_request;

typedef struct nd_ude_ens {
    size_t n, nex;
    nd_ude **member;          /* n trained hybrids */
    uint64_t *seed;           /* the seed each member was started from */
    uint64_t *kept_seed;      /* the weights seed kept (a recipe retry may replace it) */
    double *loss;             /* the last training loss */
    int *ok;                  /* the member passed the training verdict on its data */
    double *rms_over_noise;   /* first experiment's first observed variable */
    size_t *draw;             /* n × nex: the experiments each member trained on */
} nd_ude_ens;

/* Trains rq->members members into e (cleared first). ValueError for a member count out
   of range or bootstrap with one experiment; errors of the training (the lowest failing
   member's, "ensemble member 3: …", nd_pool_run_dist); ND_EINTERRUPT (e is cleared: an
   ensemble is all or nothing). Collective under a distributed run. */
nd_status nd_ude_ens_train(const nd_ude_ens_request *rq, nd_ude_ens *e, nd_error *err);

/* Frees what e holds and zeroes it. */
void nd_ude_ens_clear(nd_ude_ens *e);

/* Writes into draw the experiments member seed trains on: 0 … nex−1 in order, or with
   bootstrap a resample (nd_ens_resample). */
void nd_ude_ens_draw(uint64_t seed, size_t nex, int bootstrap, size_t *draw);

/* The band of state `state` of n members predicted (nd_ude_predict_under, from their
   initial states) under ex's stimulus at ex's data times: b over the data's rows. Errors
   of the prediction (a member that blows up has NaN there instead); ND_ENOMEM. */
nd_status nd_ude_ens_predict_band(nd_ude *const *member, size_t n, const nd_ude_experiment *ex,
                                  size_t state, const atomic_int *interrupt, nd_ens_band *b,
                                  nd_error *err);

/* The band of the learned term `term` of n members along ds's rows (nd_ude_term_along)
   and, when truth is not NULL, the true true_name (NULL: term) there, from the first
   member's model as written. Errors of nd_ude_term_find / nd_ude_term_along. */
nd_status nd_ude_ens_term_band(nd_ude *const *member, size_t n, const char *term,
                               const char *true_name, const nd_dataset *ds, nd_ens_band *b,
                               double *truth, nd_error *err);

#endif
