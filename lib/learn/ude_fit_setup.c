/* Setting up a UDE fit: the sample grid and its substeps, the segments, the scale of every
   state, a first guess of the unobserved states (teacher forcing: the model integrated with
   its observed variables held to the data), the network's standardisation, and the runs
   of the optimizers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "ude_fit_impl.h"

static const rk_scheme schemes[] = {
    {"rk4", 4, {0, 0.5, 0.5, 1}, {{0}, {0.5}, {0, 0.5}, {0, 0, 1}},
     {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6}},
    {"midpoint", 2, {0, 0.5}, {{0}, {0.5}}, {0, 1}},
    {"euler", 1, {0}, {{0}}, {1}},
};

const char *nd_ude_method_name(size_t i)
{
    return i < sizeof schemes / sizeof *schemes ? schemes[i].name : NULL;
}

const rk_scheme *ude_scheme(const char *name)
{
    for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++)
        if (strcmp(schemes[i].name, name ? name : "rk4") == 0) return &schemes[i];
    return NULL;
}

void nd_ude_fit_options_default(nd_ude_fit_options *o)
{
    *o = (nd_ude_fit_options){NULL, 0, 1, 1.0, 0.0, 0.0, 0.0, "rk4", NULL, 0};
}

nd_optim_info nd_ude_fit_info(const nd_ude_fit *f) { return f->info; }

/* Lists the data's columns for a message. */
static void column_list(const nd_dataset *data, nd_sb *sb)
{
    for (size_t j = 0; j < nd_ds_cols(data); j++)
        nd_sb_printf(sb, "%s%s", j ? ", " : "", nd_ds_name(data, j));
}

static nd_status read_observed(nd_ude_fit *f, const nd_dataset *data,
                               const nd_ude_fit_options *o, nd_error *err)
{
    const nd_model *m = f->u->open;
    size_t n = f->n;
    for (size_t i = 0; i < n; i++) {
        const char *name = nd_model_item_at(m, ND_MODEL_STATE, i)->name;
        int col = nd_ds_find(data, name);
        int wanted = !o->observe;
        for (size_t k = 0; k < o->nobserve; k++) wanted |= strcmp(o->observe[k], name) == 0;
        if (!wanted || col < 0) continue;
        f->observed[i] = 1;
        const double *v = nd_ds_col(data, (size_t)col);
        for (size_t j = 0; j < f->rows; j++)
            if (isfinite(f->d[j * n + i] = v[j])) f->nobs++;
    }
    for (size_t k = 0; k < o->nobserve; k++) {
        const char *name = o->observe[k];
        if (nd_model_index(m, ND_MODEL_STATE, name) < 0)
            return nd_error_fail(err, ND_ENAME, "'%s' is not a state variable of '%s'", name,
                                 nd_model_name(m));
        if (nd_ds_find(data, name) < 0) {
            nd_sb sb;
            nd_sb_init(&sb);
            column_list(data, &sb);
            nd_status st = nd_error_fail(err, ND_EVALUE,
                                         "the data has no column '%s' (its columns: %s)", name,
                                         nd_sb_str(&sb));
            nd_sb_free(&sb);
            return st;
        }
    }
    if (!f->nobs)
        return nd_error_fail(err, ND_EVALUE,
                             "the data observes none of the state variables of '%s'",
                             nd_model_name(m));
    return ND_OK;
}

static nd_status read_grid(nd_ude_fit *f, const nd_dataset *data, const nd_ude_fit_options *o,
                           nd_error *err)
{
    int tc = nd_ds_find(data, "t");
    if (tc < 0) return nd_error_fail(err, ND_EVALUE, "the data has no time column 't'");
    f->rows = nd_ds_rows(data);
    if (f->rows < 2) return nd_error_fail(err, ND_EVALUE, "the data needs at least two samples");
    if (!(o->dt >= 0) || !isfinite(o->dt))
        return nd_error_fail(err, ND_EVALUE, "dt must be a positive step (or 0: the sample spacing)");
    if (o->segments < 1 || o->segments > f->rows - 1)
        return nd_error_fail(err, ND_EVALUE, "segments must be between 1 and %zu (the number "
                             "of sample intervals)", f->rows - 1);
    if (!(o->continuity >= 0) || !isfinite(o->continuity) || !(o->l2 >= 0) || !isfinite(o->l2) ||
        !(o->collocation >= 0) || !isfinite(o->collocation))
        return nd_error_fail(err, ND_EVALUE, "continuity, l2 and collocation must be finite and ≥ 0");
    f->t = malloc(f->rows * sizeof *f->t);
    f->sub = malloc((f->rows - 1) * sizeof *f->sub);
    if (!f->t || !f->sub) return nd_error_fail(err, ND_ENOMEM, "out of memory for the fit");
    memcpy(f->t, nd_ds_col(data, (size_t)tc), f->rows * sizeof *f->t);
    f->nstages = 0;
    for (size_t j = 0; j + 1 < f->rows; j++) {
        double dt = f->t[j + 1] - f->t[j];
        if (!isfinite(f->t[j]) || !(dt > 0))
            return nd_error_fail(err, ND_EVALUE, "the times must increase (row %zu: t = %g "
                                 "after %g)", j + 2, f->t[j + 1], f->t[j]);
        double k = o->dt > 0 ? ceil(dt / o->dt - 1e-9) : 1;
        if (k > 1e6) return nd_error_fail(err, ND_EVALUE, "dt = %g is too small for the "
                                          "sample spacing %g", o->dt, dt);
        f->sub[j] = k < 1 ? 1 : (size_t)k;
        f->nstages += f->sub[j] * (size_t)f->rk->s;
    }
    if (f->nstages > 50000000)
        return nd_error_fail(err, ND_EVALUE, "the fit would integrate %zu stages: use fewer "
                             "samples or a larger dt", f->nstages);
    f->S = o->segments;
    if (!(f->seg = malloc((f->S + 1) * sizeof *f->seg)))
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t k = 0; k <= f->S; k++)
        f->seg[k] = (size_t)llround((double)k * (double)(f->rows - 1) / (double)f->S);
    return ND_OK;
}

nd_status ude_tape_reserve(nd_ude_fit *f, size_t N, nd_error *err)
{
    size_t n = f->n, nin = f->nin, nout = f->nout;
    free(f->Fp), free(f->Jm), free(f->Fz), free(f->dzdx), free(f->DZ), free(f->E), free(f->DX);
    free(f->Kt);
    nd_mlp_work_free(f->wb);
    f->wb = NULL;
    f->cap = 0;
    f->Fp = malloc((N * n * f->nphys + 1) * sizeof *f->Fp);
    f->Jm = malloc(N * n * n * sizeof *f->Jm);
    f->Fz = malloc(N * n * nout * sizeof *f->Fz);
    f->dzdx = malloc(N * nout * nin * sizeof *f->dzdx);
    f->DZ = malloc(N * nout * sizeof *f->DZ);
    f->E = malloc(N * nout * sizeof *f->E);
    f->DX = malloc(N * nin * sizeof *f->DX);
    f->Kt = malloc(N * n * sizeof *f->Kt);
    if (!f->Fp || !f->Jm || !f->Fz || !f->dzdx || !f->DZ || !f->E || !f->DX || !f->Kt)
        return nd_error_fail(err, ND_ENOMEM, "out of memory for the training tape (%zu stages)",
                             N);
    if (!(f->wb = nd_mlp_work_create(f->u->net, N, err)))
        return err && err->code ? err->code : ND_ENOMEM;
    f->cap = N;
    return ND_OK;
}

static nd_status alloc_tape(nd_ude_fit *f, nd_error *err)
{
    size_t n = f->n, s = (size_t)f->rk->s;
    f->ntheta = f->npar_net + (f->S - 1) * n;
    f->ypred = malloc(f->rows * n * sizeof *f->ypred);
    f->yend = malloc(f->S * n * sizeof *f->yend);
    f->starts = malloc(f->S * n * sizeof *f->starts);
    f->c = malloc(n * sizeof *f->c);
    f->sc = malloc(n * sizeof *f->sc);
    f->K = malloc(s * n * sizeof *f->K);
    f->Kbar = malloc(s * n * sizeof *f->Kbar);
    f->Ys = malloc(n * sizeof *f->Ys);
    f->ybar = malloc(n * sizeof *f->ybar);
    f->Ybar = malloc(n * sizeof *f->Ybar);
    f->dy = malloc(n * sizeof *f->dy);
    if (!f->ypred || !f->yend || !f->starts || !f->c || !f->sc || !f->K || !f->Kbar ||
        !f->Ys || !f->ybar || !f->Ybar || !f->dy)
        return nd_error_fail(err, ND_ENOMEM, "out of memory for the fit");
    memcpy(f->starts, nd_model_inits(f->u->open), n * sizeof *f->starts);
    /* Each event adds a step: room for a few, more when the solve needs it. */
    return ude_tape_reserve(f, f->nstages + (f->nw ? 64 * s : 0), err);
}

static nd_ude_fit *fit_build(nd_ude *u, const nd_ude_experiment *ex,
                             const nd_ude_fit_options *o, nd_error *err)
{
    const nd_dataset *data = ex->data;
    const nd_stim *stim = ex->stim ? ex->stim : u->stim;
    nd_ude_fit_options def;
    if (!o) {
        nd_ude_fit_options_default(&def);
        o = &def;
    }
    const nd_model *m = u->open;
    nd_ude_fit *f = calloc(1, sizeof *f);
    if (!f) {
        nd_error_fail(err, ND_ENOMEM, "out of memory for the fit");
        return NULL;
    }
    f->u = u;
    f->n = nd_model_count(m, ND_MODEL_STATE);
    f->nin = u->nin;
    f->nout = u->nrep;
    f->nmlp = f->npar_net = nd_mlp_nparams(u->net);
    f->continuity = o->continuity;
    f->l2 = o->l2;
    f->colloc_weight = o->collocation;
    f->stim_par = ex->stim ? ex->stim_par : u->stim_par;
    nd_status st = ND_OK;
    if (!nd_model_has_jac(m))
        st = nd_error_fail(err, ND_EVALUE, "'%s' has a function that cannot be differentiated, "
                           "so its gradient is not available (see show's notes)",
                           nd_model_name(m));
    else if (!(f->rk = ude_scheme(o->method)))
        st = nd_error_fail(err, ND_EVALUE, "unknown training method '%s' (rk4, midpoint, euler)",
                           o->method);
    if (!st) st = ude_params_setup(f, o, err);
    if (!st) st = read_grid(f, data, o, err);
    if (!st && (!(f->d = malloc(f->rows * f->n * sizeof *f->d)) ||
                !(f->observed = calloc(f->n, sizeof *f->observed))))
        st = nd_error_fail(err, ND_ENOMEM, "out of memory for the fit");
    if (!st) {
        for (size_t i = 0; i < f->rows * f->n; i++) f->d[i] = NAN;
        st = read_observed(f, data, o, err);
    }
    if (!st && stim) {
        if (!(f->stim = nd_stim_copy(stim))) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        else st = nd_stim_prepare(f->stim, f->t[f->rows - 1], err);
    }
    if (!st) st = ude_eval_init(&f->ev, u, f->stim, f->stim_par, err);
    if (!st) st = ude_events_setup(f, err);
    if (!st) st = alloc_tape(f, err);
    if (st) {
        nd_ude_fit_free(f);
        return NULL;
    }
    return f;
}

/* Integrates with the observed variables held to the data, writing rows × n states. */
static int forced_run(nd_ude_fit *f, double *traj)
{
    size_t n = f->n;
    double *y = f->dy;
    memcpy(y, f->starts, n * sizeof *y);
    for (size_t i = 0; i < n; i++)
        if (f->observed[i] && isfinite(f->d[i])) y[i] = f->d[i];
    memcpy(traj, y, n * sizeof *y);
    for (size_t j = 0; j + 1 < f->rows; j++) {
        double h = (f->t[j + 1] - f->t[j]) / (double)f->sub[j];
        for (size_t m = 0; m < f->sub[j]; m++)
            if (ude_rk_step(f, j, f->t[j] + (double)m * h, h, y, 0, 0, 1)) return -1;
        ude_forced_reset(f, j + 1, f->t[j + 1], y);
        memcpy(traj + (j + 1) * n, y, n * sizeof *y);
    }
    return 0;
}

static void mean_std(const double *v, size_t count, size_t stride, double *mean, double *std)
{
    double s = 0, ss = 0;
    size_t k = 0;
    for (size_t j = 0; j < count; j++) {
        double x = v[j * stride];
        if (!isfinite(x)) continue;
        s += x;
        k++;
    }
    *mean = k ? s / (double)k : 0;
    for (size_t j = 0; j < count; j++) {
        double x = v[j * stride];
        if (isfinite(x)) ss += (x - *mean) * (x - *mean);
    }
    double sd = k > 1 ? sqrt(ss / (double)(k - 1)) : 0;
    *std = sd > 1e-12 * fmax(1, fabs(*mean)) ? sd : fabs(*mean) > 0 ? fabs(*mean) : 1;
}

/* The centre and scale of every state: the data where observed, the forced run elsewhere. */
static void state_scales(nd_ude_fit *f, const double *traj)
{
    for (size_t i = 0; i < f->n; i++)
        mean_std(f->observed[i] ? f->d + i : traj + i, f->rows, f->n, &f->c[i], &f->sc[i]);
}

/* Observed state i's rate of change at every sample (NaN at the ends): central
   differences of its 5-point moving average, so the noise does not dominate. */
static void data_rates(const nd_ude_fit *f, size_t i, double *avg, double *r)
{
    size_t n = f->n, R = f->rows;
    for (size_t j = 0; j < R; j++) {
        double s = 0;
        int k = 0;
        for (size_t m = j >= 2 ? j - 2 : 0; m <= j + 2 && m < R; m++)
            if (isfinite(f->d[m * n + i])) s += f->d[m * n + i], k++;
        avg[j] = k ? s / k : NAN;
    }
    r[0] = r[R - 1] = NAN;
    for (size_t j = 1; j + 1 < R; j++)
        r[j] = (avg[j + 1] - avg[j - 1]) / (f->t[j + 1] - f->t[j - 1]);
}

/* Estimates output k along the guessed trajectory from the data: the value z that makes
   the observed state i it moves most change as fast as the data do, f_i(y, z) = dy_i/dt,
   solved through the linearisation in z (exact when the term enters linearly, as
   currents do). Writes rows values (NaN where unknown); returns -1 when no observed state
   depends on the output. */
int ude_estimate_output(nd_ude_fit *f, size_t k, const double *traj, double *zk,
                           double *avg, double *rate)
{
    nd_ude *u = f->u;
    size_t n = f->n, np = f->ev.npar, pk = u->rep_par[k];
    ude_eval_point(&f->ev, f->t[0], traj);
    nd_model_jacp(u->open, f->t[0], traj, f->ev.p, f->ev.Jp);
    double best = 0;
    size_t bi = 0;
    for (size_t i = 0; i < n; i++) {
        double g = fabs(f->ev.Jp[i * np + pk]) / f->sc[i];
        if (f->observed[i] && g > best) best = g, bi = i;
    }
    if (best == 0) return -1;
    data_rates(f, bi, avg, rate);
    for (size_t j = 0; j < f->rows; j++) {
        const double *y = traj + j * n;
        ude_eval_point(&f->ev, f->t[j], y);
        for (size_t m = 0; m < u->nrep; m++) f->ev.p[u->rep_par[m]] = 0;
        zk[j] = NAN;
        if (nd_model_rhs(u->open, f->t[j], y, f->ev.p, f->K) ||
            nd_model_jacp(u->open, f->t[j], y, f->ev.p, f->ev.Jp))
            continue;
        double g = f->ev.Jp[bi * np + pk];
        if (g != 0 && isfinite(rate[j])) zk[j] = (rate[j] - f->K[bi]) / g;
        /* The smoothed rate is meaningless where its window holds a reset of the data. */
        size_t lo = j >= 3 ? j - 3 : 0, hi = j + 3 < f->rows ? j + 3 : f->rows - 1;
        if (f->dev && f->dev[hi] != f->dev[lo]) zk[j] = NAN;
    }
    return 0;
}

/* Standardises the network's inputs and outputs (see ude.h). */
static nd_status set_scaling(nd_ude_fit *f, const double *traj, nd_error *err)
{
    nd_ude *u = f->u;
    size_t nin = u->nin, nout = u->nrep, R = f->rows;
    double *im = malloc(nin * sizeof *im), *is = malloc(nin * sizeof *is);
    double *om = calloc(nout, sizeof *om), *os = malloc(nout * sizeof *os);
    double *pv = malloc(R * sizeof *pv), *zk = malloc(R * sizeof *zk);
    double *avg = malloc(R * sizeof *avg), *rate = malloc(R * sizeof *rate);
    nd_status st = ND_OK;
    if (!im || !is || !om || !os || !pv || !zk || !avg || !rate) {
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t m = 0; m < nin; m++) {
        size_t k = u->in_index[m];
        switch (u->in_kind[m]) {
        case UDE_IN_STATE: im[m] = f->c[k], is[m] = f->sc[k]; break;
        case UDE_IN_TIME: mean_std(f->t, f->rows, 1, &im[m], &is[m]); break;
        case UDE_IN_PAR:
            for (size_t j = 0; j < f->rows; j++)
                pv[j] = nd_model_pars(u->open)[k] +
                        ((int)k == f->stim_par && f->stim ? nd_stim_eval(f->stim, f->t[j]) : 0);
            mean_std(pv, f->rows, 1, &im[m], &is[m]);
            break;
        }
    }
    for (size_t k = 0; k < nout; k++) {
        if (ude_estimate_output(f, k, traj, zk, avg, rate)) om[k] = 0, os[k] = 1;
        else mean_std(zk, f->rows, 1, &om[k], &os[k]);
    }
    st = nd_mlp_set_scaling(u->net, im, is, om, os, err);
    if (!st) u->scaled = 1;
done:
    free(im), free(is), free(om), free(os), free(pv), free(zk), free(avg), free(rate);
    return st;
}

static nd_status guess(nd_ude_fit *f, double **traj, nd_error *err)
{
    if (!(*traj = malloc(f->rows * f->n * sizeof **traj)))
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (forced_run(f, *traj))
        return nd_error_fail(err, ND_ESOLVER, "the model cannot be integrated along the data "
                             "(non-finite values): try a smaller dt");
    state_scales(f, *traj);
    return ND_OK;
}

nd_status nd_ude_scale_from(nd_ude *u, const nd_dataset *data, nd_error *err)
{
    nd_ude_experiment ex = {data, NULL, -1};
    nd_ude_fit *f = fit_build(u, &ex, NULL, err);
    if (!f) return err->code;
    double *traj = NULL;
    nd_status st = guess(f, &traj, err);
    if (!st) st = set_scaling(f, traj, err);
    free(traj);
    nd_ude_fit_free(f);
    return st;
}

nd_ude_fit *nd_ude_fit_create(nd_ude *u, const nd_dataset *data, const nd_ude_fit_options *o,
                              nd_error *err)
{
    nd_ude_experiment ex = {data, NULL, -1};
    return ude_fit_create_one(u, &ex, o, 1, err);
}

nd_ude_fit *ude_fit_create_one(nd_ude *u, const nd_ude_experiment *ex,
                               const nd_ude_fit_options *o, int resume, nd_error *err)
{
    nd_ude_fit *f = fit_build(u, ex, o, err);
    if (!f) return NULL;
    double *traj = NULL;
    nd_status st = guess(f, &traj, err);
    if (!st && !u->scaled && !(st = set_scaling(f, traj, err))) {
        free(traj);
        st = guess(f, &traj, err);   /* the outputs changed with the scaling */
    }
    if (!st) st = ude_colloc_targets(f, traj, err);
    if (!st && f->colloc_weight > 0 && !f->ncol)
        st = nd_error_fail(err, ND_EVALUE, "collocation needs an observed state whose rate of "
                           "change depends on the network's output");
    if (!st) {
        size_t n = f->n;
        ude_starts *s = &u->starts;
        int keep = resume && s->y && s->segments == f->S && s->n == n && s->rows == f->rows &&
                   s->t0 == f->t[0] && s->t1 == f->t[f->rows - 1];
        for (size_t k = 1; k < f->S; k++)
            memcpy(f->starts + k * n, keep ? s->y + (k - 1) * n : traj + f->seg[k] * n,
                   n * sizeof *f->starts);
    }
    free(traj);
    if (st) {
        nd_ude_fit_free(f);
        return NULL;
    }
    return f;
}

/* Keeps the segment starts in u so that a later fit on the same data resumes from them. */
static nd_status keep_starts(nd_ude_fit *f, nd_error *err)
{
    ude_starts *s = &f->u->starts;
    size_t n = f->n, len = (f->S - 1) * n;
    double *y = len ? malloc(len * sizeof *y) : NULL;
    if (len && !y) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (len) memcpy(y, f->starts + n, len * sizeof *y);
    free(s->y);
    *s = (ude_starts){f->S, n, f->rows, f->t[0], f->t[f->rows - 1], y};
    return ND_OK;
}

nd_status nd_ude_fit_run(nd_ude_fit *f, nd_optim_kind kind, const nd_optim_options *o,
                         long iters, const nd_optim_callbacks *cb, nd_error *err)
{
    nd_status st = nd_optim_check(kind, o, err);
    if (st) return st;
    double *theta = malloc(f->ntheta * sizeof *theta);
    nd_optim *opt = theta ? nd_optim_create(kind, f->ntheta, o) : NULL;
    if (!opt || ude_stage_push(f->u, nd_optim_kind_name(kind))) {
        free(theta);
        nd_optim_free(opt);
        return nd_error_fail(err, ND_ENOMEM, "out of memory for the optimizer");
    }
    nd_ude_fit_theta(f, theta);
    st = nd_optim_run(opt, theta, nd_ude_fit_loss, f, iters, cb, err);
    if (st == ND_ESOLVER)
        nd_error_fail(err, ND_ESOLVER, "the hybrid cannot be integrated from the current "
                      "parameters (non-finite values): try a smaller dt");
    const double *best = nd_optim_best(opt, NULL);
    if (best) ude_fit_set_theta(f, best);
    size_t len;
    const double *h = nd_optim_history(opt, &len);
    for (size_t i = 0; i < len; i++)
        if (ude_history_push(f->u, h[i]) && !st)
            st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (best && !f->nparts) {
        nd_status ks = keep_starts(f, err);
        if (!st) st = ks;
    }
    f->info = nd_optim_get_info(opt);
    nd_optim_free(opt);
    free(theta);
    return st;
}
