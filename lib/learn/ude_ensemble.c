/* Training an ensemble of hybrids on the thread pool and the ranks of a distributed run,
   and the bands of what they predict (ude_ensemble.h). Each point of the pool job is one
   member: a copy of the prototype reseeded and trained from scratch, so members share
   nothing mutable and the result does not depend on which thread trained which member.
   Across ranks a member's record is its verdict; the network itself, with its loss
   history, stages and shooting starts, travels as its JSON (nd_ude_to_json, exact to the
   bit) and every rank rebuilds every member from it, so that all hold the same objects. */
#include "ude_ensemble.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "pool_dist.h"
#include "ude_term.h"
#include "ude_verdict.h"

void nd_ude_ens_clear(nd_ude_ens *e)
{
    for (size_t i = 0; e->member && i < e->n; i++) nd_ude_free(e->member[i]);
    free(e->member);
    free(e->seed);
    free(e->kept_seed);
    free(e->loss);
    free(e->ok);
    free(e->rms_over_noise);
    free(e->draw);
    memset(e, 0, sizeof *e);
}

void nd_ude_ens_draw(uint64_t seed, size_t nex, int bootstrap, size_t *draw)
{
    if (bootstrap) {
        nd_ens_resample(seed, nex, draw);
        return;
    }
    for (size_t k = 0; k < nex; k++) draw[k] = k;
}

typedef struct job {
    const nd_ude_ens_request *rq;
    nd_ude_ens *e;
} job;

/* The verdict of u on each experiment it trained on: all passed, and the first one's
   first variable's residual over its noise. */
static nd_status judge(const nd_ude *u, const nd_ude_experiment *ex, size_t nex,
                       const nd_ude_ens_request *rq, int *ok, double *ratio, nd_error *err)
{
    *ok = 1;
    *ratio = NAN;
    nd_status st = ND_OK;
    for (size_t k = 0; st == ND_OK && k < nex; k++) {
        nd_ude_verdict v = {0};
        st = nd_ude_verdict_experiment(u, &ex[k], rq->fo.observe, rq->fo.nobserve,
                                       rq->interrupt, &v, err);
        if (st == ND_OK) {
            *ok &= v.ok;
            if (k == 0 && v.nvar) *ratio = v.var[0].rms / v.var[0].scale;
        }
        nd_ude_verdict_clear(&v);
    }
    return st;
}

/* Trains member i into e's slots i (its own: no other thread writes them); out gets its
   verdict (passed, then the ratio), which every rank needs. */
static nd_status train_member(void *w, size_t i, double *out, nd_error *err)
{
    const job *jb = w;
    const nd_ude_ens_request *rq = jb->rq;
    nd_ude_ens *e = jb->e;
    uint64_t seed = nd_ens_member_seed(rq->seed, i);
    size_t *draw = e->draw + i * rq->nex;
    nd_ude_ens_draw(seed, rq->nex, rq->bootstrap, draw);
    nd_ude_experiment *ex = malloc(rq->nex * sizeof *ex);
    nd_ude_train_stage st[ND_UDE_MAX_STAGES];
    nd_ude *u = nd_ude_copy(rq->proto);
    if (!ex || !u) {
        free(ex);
        nd_ude_free(u);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < rq->nex; k++) ex[k] = rq->ex[draw[k]];
    memcpy(st, rq->stages, rq->nstages * sizeof *st);
    nd_ude_reset(u, seed);
    nd_ude_run r = {.u = u, .ex = ex, .nex = rq->nex, .fo = rq->fo, .stages = st,
                    .nstages = rq->nstages, .cap = ND_UDE_MAX_STAGES};
    nd_ude_auto_result res = {0};
    nd_status s = nd_ude_run_begin(&r) == 0 ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (s == ND_OK)
        s = rq->nstages ? nd_ude_run_stages(&r, rq->interrupt, err)
                        : nd_ude_run_recipe(&r, rq->l2_given, rq->interrupt, &res, err);
    nd_ude_run_free(&r);
    if (s == ND_OK) s = judge(u, ex, rq->nex, rq, &e->ok[i], &e->rms_over_noise[i], err);
    free(ex);
    if (s != ND_OK) {
        nd_ude_free(u);
        return s;
    }
    size_t n;
    const double *h = nd_ude_history(u, &n);
    e->loss[i] = n ? h[n - 1] : NAN;
    e->seed[i] = seed;
    e->kept_seed[i] = nd_mlp_seed(nd_ude_net_const(u));
    e->member[i] = u;
    out[0] = e->ok[i];
    out[1] = e->rms_over_noise[i];
    return ND_OK;
}

static void *worker_new(void *ctx, nd_error *err)
{
    (void)err;
    return ctx;
}

static void member_label(void *ctx, size_t i, char *buf, size_t cap)
{
    (void)ctx;
    snprintf(buf, cap, "ensemble member %zu", i + 1);   /* counted from 1, as ens.members[k] */
}

/* After a distributed training: every member rebuilt on every rank from its trainer's
   JSON, with what follows from it (seeds, draws, last loss). */
static nd_status share_members(const nd_ude_ens_request *rq, nd_ude_ens *e, nd_dist *d,
                               nd_error *err)
{
    size_t n = e->n;
    char **text = calloc(n, sizeof *text);
    if (!text) d->abort(d->impl, "neurodyn: out of memory for the members of an ensemble");
    for (size_t i = 0; i < n; i++) {
        json_t *j = e->member[i] ? nd_ude_to_json(e->member[i]) : NULL;
        if (j) text[i] = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(17));
        json_decref(j);
    }
    nd_status st = nd_pool_share_texts(d, n, text, err);
    for (size_t i = 0; i < n; i++) {
        nd_ude_free(e->member[i]);
        e->member[i] = NULL;
    }
    for (size_t i = 0; st == ND_OK && i < n; i++) {
        json_t *j = json_loads(text[i], 0, NULL);
        if (!j || !(e->member[i] = nd_ude_from_json(j, err)))
            st = nd_error_fail(err, ND_EINTERNAL, "ensemble member %zu could not be passed "
                               "between ranks (a network that is not finite?)", i + 1);
        json_decref(j);
        if (st != ND_OK) break;
        size_t len;
        const double *h = nd_ude_history(e->member[i], &len);
        e->loss[i] = len ? h[len - 1] : NAN;
        e->seed[i] = nd_ens_member_seed(rq->seed, i);
        e->kept_seed[i] = nd_mlp_seed(nd_ude_net_const(e->member[i]));
        nd_ude_ens_draw(e->seed[i], rq->nex, rq->bootstrap, e->draw + i * rq->nex);
    }
    for (size_t i = 0; i < n; i++) free(text[i]);
    free(text);
    return st;
}

nd_status nd_ude_ens_train(const nd_ude_ens_request *rq, nd_ude_ens *e, nd_error *err)
{
    memset(e, 0, sizeof *e);
    size_t n = rq->members;
    if (n < 2 || n > ND_ENS_MAX_MEMBERS)
        return nd_error_fail(err, ND_EVALUE, "an ensemble needs 2 to %d members",
                             ND_ENS_MAX_MEMBERS);
    if (rq->bootstrap && rq->nex < 2)
        return nd_error_fail(err, ND_EVALUE, "bootstrap resamples the datasets: give at least "
                             "two (train NET DATA1 DATA2 … ensemble=N bootstrap=true)");
    e->n = n;
    e->nex = rq->nex;
    e->member = calloc(n, sizeof *e->member);
    e->seed = calloc(n, sizeof *e->seed);
    e->kept_seed = calloc(n, sizeof *e->kept_seed);
    e->loss = calloc(n, sizeof *e->loss);
    e->ok = calloc(n, sizeof *e->ok);
    e->rms_over_noise = calloc(n, sizeof *e->rms_over_noise);
    e->draw = calloc(n * rq->nex + 1, sizeof *e->draw);
    double *out = calloc(2 * n, sizeof *out);
    nd_status st = ND_OK;
    if (!e->member || !e->seed || !e->kept_seed || !e->loss || !e->ok || !e->rms_over_noise ||
        !e->draw || !out)
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    job jb = {rq, e};
    nd_pool_job pj = {.npoints = n, .nout = 2, .threads = rq->threads, .worker_new = worker_new,
                      .eval = train_member, .ctx = &jb, .interrupt = rq->interrupt,
                      .progress = rq->progress, .progress_ctx = rq->progress_ctx};
    nd_dist *d = rq->dist ? rq->dist : nd_dist_current();
    if (st == ND_OK) st = nd_pool_run_dist(&pj, d, member_label, NULL, out, NULL, NULL, err);
    for (size_t i = 0; st == ND_OK && i < n; i++) {
        e->ok[i] = out[2 * i] != 0;
        e->rms_over_noise[i] = out[2 * i + 1];
    }
    if (st == ND_OK && d->size > 1) st = share_members(rq, e, d, err);
    free(out);
    if (st != ND_OK) nd_ude_ens_clear(e);
    return st;
}

nd_status nd_ude_ens_predict_band(nd_ude *const *member, size_t n, const nd_ude_experiment *ex,
                                  size_t state, const atomic_int *interrupt, nd_ens_band *b,
                                  nd_error *err)
{
    memset(b, 0, sizeof *b);
    size_t m = nd_ds_rows(ex->data), ns = nd_model_count(nd_ude_model(member[0]), ND_MODEL_STATE);
    double *v = malloc((n * m + 1) * sizeof *v), *y = malloc((m * ns + 1) * sizeof *y);
    nd_status st = v && y ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t i = 0; st == ND_OK && i < n; i++) {
        nd_error e = {0};
        nd_status s = nd_ude_predict_under(member[i], ex->stim, ex->stim_par,
                                           nd_ds_col(ex->data, 0), m, y, interrupt, &e);
        /* A member that blows up has no prediction after it (NaN rows): not an error. */
        if (s != ND_OK && s != ND_ESOLVER) {
            if (err) *err = e;
            st = s;
        }
        for (size_t j = 0; j < m; j++) v[i * m + j] = s == ND_OK || s == ND_ESOLVER ? y[j * ns + state] : NAN;
    }
    if (st == ND_OK) st = nd_ens_band_compute(v, n, m, b, err);
    free(v);
    free(y);
    return st;
}

nd_status nd_ude_ens_term_band(nd_ude *const *member, size_t n, const char *term,
                               const char *true_name, const nd_dataset *ds, nd_ens_band *b,
                               double *truth, nd_error *err)
{
    memset(b, 0, sizeof *b);
    size_t m = nd_ds_rows(ds);
    double *v = malloc((n * m + 1) * sizeof *v);
    nd_status st = v ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t i = 0; st == ND_OK && i < n; i++) {
        nd_ude_term te;
        if ((st = nd_ude_term_find(member[i], term, true_name, &te, err)) == ND_OK)
            st = nd_ude_term_along(&te, ds, v + i * m, i == 0 ? truth : NULL, err);
    }
    if (st == ND_OK) st = nd_ens_band_compute(v, n, m, b, err);
    free(v);
    return st;
}
