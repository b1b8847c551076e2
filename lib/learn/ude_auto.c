/* The default training recipe, for `train NET DATA` without stages.

   Spike trains defeat single shooting (a spike a little early costs as much as no spike at
   all), and long segments from an untrained network diverge. So the recipe goes from what
   the data say most directly to what is hardest:
     1. derivative matching (collocation): the network fitted to the values of the replaced
        terms that the data imply — no solve;
     2. L-BFGS on the trajectory loss with many short segments (about 10 samples each),
        then fewer and longer ones (about 60 samples, then 2 segments), then single
        shooting, each stage starting where the last one ended.
   Short segments never see slow drifts (a resting state that is slightly unstable), so a
   later stage can still end in a poor minimum. The recipe therefore judges the result by
   the training verdict (ude_verdict.h: residual against the data's noise, spikes against
   the data's spikes); a bad fit starts again from freshly drawn weights, and the best
   attempt is kept. The weights of attempt k > 1 come from nd_rng_derive(seed, k - 1), a
   stream no user seed reaches, so that retries of seed 12 are not the weights of seed 13. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/rng.h"
#include "ude_impl.h"
#include "ude_params.h"
#include "ude_verdict.h"

void nd_ude_auto_options_default(nd_ude_auto_options *o)
{
    nd_ude_fit_options_default(&o->fit);
    o->fit.l2 = 1e-4;
    o->colloc_iters = 300;
    o->iters = 500;
    o->final_iters = 300;
    o->attempts = 3;
}

/* The segment counts of the stages: decreasing, within [1, intervals]. */
static size_t plan_segments(size_t rows, size_t *segs)
{
    size_t want[4] = {rows / 10, rows / 60, 2, 1}, n = 0;
    for (int i = 0; i < 4; i++) {
        size_t s = want[i] < 1 ? 1 : want[i] > rows - 1 ? rows - 1 : want[i];
        if (!n || s < segs[n - 1]) segs[n++] = s;
    }
    return n;
}

typedef struct attempt_ctx {
    nd_ude *u;
    const nd_ude_experiment *ex;
    size_t nex;
    const nd_ude_auto_options *o;
    const nd_optim_callbacks *cb;
    nd_ude_auto_stage_fn on_stage;
    void *stage_ctx;
    nd_optim_info ended;      /* the counters of the last stage run */
    int any;                  /* a stage has run */
} attempt_ctx;

/* Runs one stage on a fresh fit with S segments; *data_loss gets the data part at the end.
   ND_ESOLVER when the hybrid cannot be integrated from where the stage starts. */
static nd_status run_stage(attempt_ctx *a, int attempt, size_t S, int colloc, long iters,
                           double *data_loss, nd_error *err)
{
    nd_ude_fit_options fo = a->o->fit;
    fo.segments = S;
    nd_ude_fit *f = nd_ude_fit_create_multi(a->u, a->ex, a->nex, &fo, err);
    if (!f) return err->code;
    nd_status st = colloc ? nd_ude_fit_set_collocation(f, 1, err) : ND_OK;
    if (st == ND_EVALUE) {   /* no observed rate depends on the network: skip the stage */
        nd_ude_fit_free(f);
        nd_error_clear(err);
        *data_loss = NAN;
        return ND_OK;
    }
    if (a->on_stage)
        a->on_stage(a->stage_ctx, attempt, colloc ? "collocation" : "trajectory", S,
                    a->any ? &a->ended : NULL);
    nd_optim_options oo;
    nd_optim_options_default(&oo);
    if (!st) st = nd_ude_fit_run(f, ND_OPTIM_LBFGS, &oo, iters, a->cb, err);
    a->ended = nd_ude_fit_info(f);
    a->any = 1;
    *data_loss = nd_ude_fit_last(f).data;
    nd_ude_fit_free(f);
    return st;
}

/* The single-shooting data loss of the current network (INFINITY when it cannot be
   integrated). */
static double full_loss(const attempt_ctx *a, nd_error *err)
{
    nd_ude_fit_options fo = a->o->fit;
    fo.segments = 1;
    fo.collocation = 0;
    nd_ude_fit *f = nd_ude_fit_create_multi(a->u, a->ex, a->nex, &fo, err);
    if (!f) return NAN;
    size_t P = nd_ude_fit_nparams(f);
    double *th = malloc(P * sizeof *th), loss = INFINITY;
    if (th) {
        nd_ude_fit_theta(f, th);
        if (nd_ude_fit_loss(f, th, &loss, NULL) == 0) loss = nd_ude_fit_last(f).data;
        else loss = INFINITY;
    }
    free(th);
    nd_ude_fit_free(f);
    return loss;
}

/* Whether the current network fits every experiment (the training verdict); -1 on an
   error other than a bad fit (interrupt, memory). */
static int fits(const attempt_ctx *a, nd_error *err)
{
    const atomic_int *stop = a->cb ? a->cb->interrupt : NULL;
    int ok = 1;
    for (size_t k = 0; k < a->nex && ok; k++) {
        nd_ude_verdict v;
        if (nd_ude_verdict_experiment(a->u, &a->ex[k], a->o->fit.observe, a->o->fit.nobserve,
                                      stop, &v, err) != ND_OK)
            return -1;
        ok = v.ok;
        nd_ude_verdict_clear(&v);
    }
    return ok;
}

uint64_t nd_ude_attempt_seed(uint64_t seed, int attempt)
{
    return attempt <= 1 ? seed : nd_rng_derive(seed, (uint64_t)(attempt - 1));
}

nd_status nd_ude_train_auto(nd_ude *u, const nd_dataset *data, const nd_ude_auto_options *o,
                            const nd_optim_callbacks *cb, nd_ude_auto_stage_fn on_stage,
                            void *stage_ctx, nd_ude_auto_result *res, nd_error *err)
{
    nd_ude_experiment ex = {data, NULL, -1};
    return nd_ude_train_auto_multi(u, &ex, 1, o, cb, on_stage, stage_ctx, res, err);
}

nd_status nd_ude_train_auto_multi(nd_ude *u, const nd_ude_experiment *ex, size_t nex,
                                  const nd_ude_auto_options *o, const nd_optim_callbacks *cb,
                                  nd_ude_auto_stage_fn on_stage, void *stage_ctx,
                                  nd_ude_auto_result *res, nd_error *err)
{
    nd_ude_auto_options def;
    if (!o) {
        nd_ude_auto_options_default(&def);
        o = &def;
    }
    if (o->attempts < 1 || o->iters < 1 || o->final_iters < 1 || o->colloc_iters < 0)
        return nd_error_fail(err, ND_EVALUE, "the recipe needs at least one attempt and iteration");
    if (nex == 0) return nd_error_fail(err, ND_EVALUE, "training needs at least one dataset");
    attempt_ctx a = {u, ex, nex, o, cb, on_stage, stage_ctx, {0}, 0};
    size_t rows = nd_ds_rows(ex[0].data);
    size_t segs[4], nseg = plan_segments(rows < 2 ? 2 : rows, segs);
    uint64_t seed0 = nd_mlp_seed(u->net);
    size_t P = nd_mlp_nparams(u->net), np = o->fit.params ? o->fit.nparams : 0;
    /* Trained physical parameters: each attempt starts from their values now, and the
       best attempt's are kept with its weights (after the weights in best). */
    double *best = malloc((P + 2 * np) * sizeof *best), best_loss = INFINITY;
    double *phys0 = best ? best + P + np : NULL;
    if (phys0) nd_ude_params_get(u, o->fit.params, np, phys0);
    int best_ok = -1, best_attempt = 1;
    uint64_t best_seed = seed0;
    if (!best) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_ude_auto_result r = {0, 0, seed0, INFINITY, 0};
    nd_status st = ND_OK;
    for (int k = 0; k < o->attempts && !r.ok; k++) {
        if (k > 0) {
            nd_mlp_reinit(u->net, nd_ude_attempt_seed(seed0, k + 1));
            nd_ude_params_set(u, o->fit.params, np, phys0);
            free(u->starts.y);
            memset(&u->starts, 0, sizeof u->starts);
        }
        r.attempts = k + 1;
        double dl;
        st = o->colloc_iters ? run_stage(&a, k + 1, segs[0], 1, o->colloc_iters, &dl, err) : ND_OK;
        for (size_t i = 0; i < nseg && !st; i++)
            st = run_stage(&a, k + 1, segs[i], 0, i + 1 == nseg ? o->final_iters : o->iters,
                           &dl, err);
        if (st == ND_ESOLVER) {   /* this attempt diverged: the next one starts afresh */
            nd_error_clear(err);
            st = ND_OK;
        }
        if (st) break;
        double loss = full_loss(&a, err);
        int ok = fits(&a, err);
        if (ok < 0) {
            st = err->code;
            break;
        }
        /* A good fit beats any bad one; among equals the lower loss wins. */
        if (ok > best_ok || (ok == best_ok && loss < best_loss)) {
            best_ok = ok;
            best_loss = loss;
            best_attempt = k + 1;
            best_seed = nd_mlp_seed(u->net);
            memcpy(best, nd_mlp_params(u->net), P * sizeof *best);
            nd_ude_params_get(u, o->fit.params, np, best + P);
        }
        r.ok = ok;
    }
    /* An interrupted attempt keeps what it reached (the optimizer's best); otherwise the
       best attempt wins. */
    if (!st && best_ok >= 0) {
        if (best_attempt != r.attempts) {
            nd_mlp_reinit(u->net, best_seed);
            nd_mlp_set_params(u->net, best);
            nd_ude_params_set(u, o->fit.params, np, best + P);
            free(u->starts.y);   /* they belonged to the last attempt */
            memset(&u->starts, 0, sizeof u->starts);
        }
        r.kept = best_attempt;
        r.loss = best_loss;
        r.ok = best_ok;
    } else {
        r.kept = r.attempts;
    }
    r.seed = nd_mlp_seed(u->net);
    if (on_stage && a.any) on_stage(stage_ctx, r.attempts, NULL, 0, &a.ended);
    free(best);
    if (res) *res = r;
    return st;
}
