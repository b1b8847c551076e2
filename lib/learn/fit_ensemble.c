/* Ensembles of parameter fits on the thread pool (fit_ensemble.h). The single fit's
   trajectories are computed once on the calling thread; each member then builds its own
   datasets, model and fit, so members share nothing mutable. */
#include "fit_ensemble.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/rng.h"
#include "pool_dist.h"

/* A stream for the starts, apart from the resamples' (nd_ens_resample). */
#define START_STREAM (UINT64_C(3) << 40)

void nd_fit_ens_residual_resample(uint64_t seed, const double *data, const double *fitted,
                                  size_t rows, double *y)
{
    size_t *ok = malloc((rows + 1) * sizeof *ok), n = 0, *draw = malloc((rows + 1) * sizeof *draw);
    for (size_t i = 0; ok && i < rows; i++)
        if (isfinite(data[i]) && isfinite(fitted[i])) ok[n++] = i;
    if (ok && draw && n) nd_ens_resample(seed, n, draw);
    for (size_t i = 0, k = 0; i < rows; i++) {
        if (!ok || !draw || !n || !isfinite(data[i]) || !isfinite(fitted[i])) {
            y[i] = ok && draw && n ? NAN : data[i];
            continue;
        }
        size_t j = ok[draw[k++ % n]];
        y[i] = fitted[i] + (data[j] - fitted[j]);
    }
    free(ok);
    free(draw);
}

typedef struct job {
    const nd_fit_ens_request *rq;
    size_t np, nobs;
    double **fitted;          /* ndata × nobs trajectories of the single fit (or NULL) */
    const char **obs_name;    /* nobs observed variables */
    const double *start;
} job;

/* Member i's datasets (owned copies into own[], borrowed pointers into use[]). */
static nd_status member_data(const job *jb, uint64_t seed, nd_dataset **own,
                             const nd_dataset **use, nd_error *err)
{
    const nd_fit_ens_request *rq = jb->rq;
    if (!rq->bootstrap) {
        for (size_t k = 0; k < rq->ndata; k++) use[k] = rq->data[k];
        return ND_OK;
    }
    if (rq->ndata > 1) {
        size_t *draw = malloc(rq->ndata * sizeof *draw);
        if (!draw) return nd_error_fail(err, ND_ENOMEM, "out of memory");
        nd_ens_resample(seed, rq->ndata, draw);
        for (size_t k = 0; k < rq->ndata; k++) use[k] = rq->data[draw[k]];
        free(draw);
        return ND_OK;
    }
    if (!(own[0] = nd_ds_copy(rq->data[0]))) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    size_t rows = nd_ds_rows(own[0]);
    for (size_t j = 0; j < jb->nobs; j++) {
        int c = nd_ds_find(own[0], jb->obs_name[j]);
        if (c <= 0) continue;
        double *y = nd_ds_col_mut(own[0], (size_t)c), *d = malloc((rows + 1) * sizeof *d);
        if (!d) return nd_error_fail(err, ND_ENOMEM, "out of memory");
        memcpy(d, y, rows * sizeof *d);
        nd_fit_ens_residual_resample(nd_rng_derive(seed, j), d, jb->fitted[j], rows, y);
        free(d);
    }
    use[0] = own[0];
    return ND_OK;
}

static nd_status fit_member(void *w, size_t i, double *out, nd_error *err)
{
    const job *jb = w;
    const nd_fit_ens_request *rq = jb->rq;
    uint64_t seed = nd_ens_member_seed(rq->seed, i);
    nd_dataset *own[1] = {NULL};
    const nd_dataset **use = malloc(rq->ndata * sizeof *use);
    nd_model *m = nd_model_copy(rq->model);
    nd_status st = use && m ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_rng r;
    nd_rng_seed(&r, nd_rng_derive(seed, START_STREAM));
    for (size_t p = 0; st == ND_OK && p < jb->np; p++) {
        double x = jb->start[p], z = ND_FIT_ENS_JITTER * nd_rng_normal(&r);
        double lo = rq->o->lower ? rq->o->lower[p] : -INFINITY;
        double hi = rq->o->upper ? rq->o->upper[p] : INFINITY;
        x = x > 0 ? x * exp(z) : x + z * fabs(x);
        /* inside the bounds, where the transforms can reach */
        if (x <= lo) x = lo + 0.5 * (jb->start[p] - lo);
        if (x >= hi) x = hi - 0.5 * (hi - jb->start[p]);
        st = nd_model_set_par(m, rq->o->params[p], x, err);
    }
    if (st == ND_OK) st = member_data(jb, seed, own, use, err);
    nd_fit *f = st == ND_OK ? nd_fit_create(m, use, rq->ndata, rq->o, err) : NULL;
    if (st == ND_OK && !f) st = err && err->code ? err->code : ND_ENOMEM;
    nd_optim_callbacks cb = {rq->interrupt, NULL, NULL, NULL, NULL};
    nd_fit_run_info info = {0};
    if (st == ND_OK)
        st = nd_fit_run_polished(f, rq->method, rq->iters, &cb, NULL, NULL, &info, err);
    if (st == ND_OK) {
        memcpy(out, nd_fit_values(f), jb->np * sizeof *out);
        out[jb->np] = info.loss;
    }
    nd_fit_free(f);
    nd_model_free(m);
    nd_ds_free(own[0]);
    free(use);
    return st;
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

nd_status nd_fit_ens_run(const nd_fit_ens_request *rq, double *values, double *loss,
                         size_t *kept, nd_error *err)
{
    size_t n = rq->members, np = nd_fit_nparams(rq->single);
    if (n < 2 || n > ND_ENS_MAX_MEMBERS)
        return nd_error_fail(err, ND_EVALUE, "an ensemble needs 2 to %d members",
                             ND_ENS_MAX_MEMBERS);
    job jb = {rq, np, nd_fit_nobserved(rq->single), NULL, NULL, NULL};
    double *start = malloc((np + 1) * sizeof *start);
    double *out = malloc((n * (np + 1) + 1) * sizeof *out);
    jb.fitted = calloc(jb.nobs + 1, sizeof *jb.fitted);
    jb.obs_name = calloc(jb.nobs + 1, sizeof *jb.obs_name);
    nd_status st = start && out && jb.fitted && jb.obs_name
                       ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) memcpy(start, nd_fit_values(rq->single), np * sizeof *start);
    jb.start = start;
    /* the residual bootstrap's trajectories, from the single fit (one dataset) */
    size_t rows = nd_ds_rows(rq->data[0]);
    for (size_t j = 0; st == ND_OK && rq->bootstrap && rq->ndata == 1 && j < jb.nobs; j++) {
        if (!(jb.fitted[j] = malloc((rows + 1) * sizeof **jb.fitted)))
            st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        else if (nd_fit_trajectory(rq->single, 0, j, jb.fitted[j], &jb.obs_name[j]) != rows)
            st = nd_error_fail(err, ND_ESOLVER, "the fitted model could not be solved for "
                               "the residual bootstrap");
    }
    nd_pool_job pj = {.npoints = n, .nout = np + 1, .threads = rq->threads,
                      .worker_new = worker_new, .eval = fit_member, .ctx = &jb,
                      .interrupt = rq->interrupt};
    double limit = rq->max_loss;
    if (st == ND_OK && !(limit > 0)) {
        double *theta = malloc((nd_fit_ntheta(rq->single) + 1) * sizeof *theta), l = NAN;
        nd_fit_theta(rq->single, theta);
        if (!theta || nd_fit_loss(rq->single, theta, &l, NULL) != 0) l = NAN;
        free(theta);
        limit = ND_FIT_MISFIT * l;
    }
    nd_dist *d = rq->dist ? rq->dist : nd_dist_current();
    if (st == ND_OK) st = nd_pool_run_dist(&pj, d, member_label, NULL, out, NULL, NULL, err);
    *kept = 0;
    for (size_t i = 0; st == ND_OK && i < n; i++) {
        loss[i] = out[i * (np + 1) + np];
        int keep = !(loss[i] > limit);   /* NaN limit: keep all */
        for (size_t p = 0; p < np; p++) values[i * np + p] = keep ? out[i * (np + 1) + p] : NAN;
        *kept += keep;
    }
    for (size_t j = 0; jb.fitted && j < jb.nobs; j++) free(jb.fitted[j]);
    free(jb.fitted);
    free(jb.obs_name);
    free(start);
    free(out);
    return st;
}
