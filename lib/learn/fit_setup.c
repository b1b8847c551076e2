/* Setting up a parameter fit: the parameters and their transforms, the observed
   variables, each dataset's grid, stimulus and segments, the scale of every state and the
   segments' first starting states (from a solve at the initial values). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/suggest.h"
#include "fit_impl.h"

void nd_fit_options_default(nd_fit_options *o)
{
    *o = (nd_fit_options){.log = 1, .segments = 1, .continuity = 1.0, .stim_par = -1};
}

static void exp_free(fit_exp *e)
{
    free(e->t), free(e->d), free(e->sub), free(e->seg), free(e->starts), free(e->dev);
    nd_stim_free(e->stim);
}

void nd_fit_free(nd_fit *f)
{
    if (!f) return;
    for (size_t k = 0; f->ex && k < f->ndata; k++) exp_free(&f->ex[k]);
    free(f->ex);
    nd_model_free(f->m);
    free(f->pidx), free(f->fixed), free(f->tf), free(f->lo), free(f->hi), free(f->value), free(f->initial);
    free(f->obs), free(f->sc);
    free(f->p), free(f->y), free(f->Y), free(f->K), free(f->Sy), free(f->SY), free(f->SK);
    free(f->Jy), free(f->Jp);
    fit_events_free(f);
    free(f);
}

static nd_status unknown(const nd_model *m, nd_model_kind kind, const char *name, const char *what,
                         nd_error *err)
{
    nd_suggest s;
    nd_suggest_init(&s, name);
    for (size_t i = 0; i < nd_model_count(m, kind); i++)
        nd_suggest_offer(&s, nd_model_item_at(m, kind, i)->name);
    const char *best = nd_suggest_best(&s);
    return nd_error_fail(err, ND_ENAME, "model %s has no %s '%s'%s%s%s", nd_model_name(m), what,
                         name, best ? " (did you mean '" : "", best ? best : "", best ? "'?)" : "");
}

/* The parameters, their bounds and transforms. */
static nd_status read_params(nd_fit *f, const nd_fit_options *o, nd_error *err)
{
    if (o->nparams == 0) return nd_error_fail(err, ND_EVALUE, "no parameters to fit (params=[…])");
    f->np = o->nparams;
    const double *pv = nd_model_pars(f->m);
    for (size_t i = 0; i < f->np; i++) {
        int j = nd_model_index(f->m, ND_MODEL_PAR, o->params[i]);
        if (j < 0) return unknown(f->m, ND_MODEL_PAR, o->params[i], "parameter", err);
        for (size_t q = 0; q < i; q++)
            if (f->pidx[q] == j)
                return nd_error_fail(err, ND_EVALUE, "parameter '%s' is named twice", o->params[i]);
        f->pidx[i] = j;
        double v = pv[j];
        double lo = o->lower ? o->lower[i] : -INFINITY, hi = o->upper ? o->upper[i] : INFINITY;
        if (isnan(lo)) lo = -INFINITY;
        if (isnan(hi)) hi = INFINITY;
        if (o->log && lo == -INFINITY && v > 0 && !(hi <= 0)) lo = 0;
        if (!(lo < hi) || !(v > lo || lo == -INFINITY) || !(v < hi || hi == INFINITY))
            return nd_error_fail(err, ND_EVALUE, "%s = %g is not strictly inside its bounds "
                                 "[%g, %g]", o->params[i], v, lo, hi);
        f->lo[i] = lo, f->hi[i] = hi;
        f->tf[i] = isfinite(lo) && isfinite(hi) ? FIT_TF_BOTH
                 : isfinite(lo)                 ? FIT_TF_LOWER
                 : isfinite(hi)                 ? FIT_TF_UPPER : FIT_TF_NONE;
        f->value[i] = f->initial[i] = v;
    }
    return ND_OK;
}

/* The observed states: those named, else every state with a column in the first dataset. */
static nd_status read_observe(nd_fit *f, const nd_dataset *d0, const nd_fit_options *o,
                              nd_error *err)
{
    if (o->observe) {
        for (size_t i = 0; i < o->nobserve; i++) {
            int j = nd_model_index(f->m, ND_MODEL_STATE, o->observe[i]);
            if (j < 0) return unknown(f->m, ND_MODEL_STATE, o->observe[i], "state variable", err);
            for (size_t q = 0; q < f->nobsv; q++)
                if (f->obs[q] == j)
                    return nd_error_fail(err, ND_EVALUE, "'%s' is observed twice", o->observe[i]);
            f->obs[f->nobsv++] = j;
        }
        return ND_OK;
    }
    for (size_t i = 0; i < f->n; i++)
        if (nd_ds_find(d0, nd_model_item_at(f->m, ND_MODEL_STATE, i)->name) >= 1)
            f->obs[f->nobsv++] = (int)i;
    return f->nobsv ? ND_OK : nd_error_fail(err, ND_EVALUE, "the data has no column named like "
                                            "a state of %s (observe= names them)",
                                            nd_model_name(f->m));
}

/* Dataset e's stimulus (see nd_fit_create). */
static nd_status read_stim(nd_fit *f, fit_exp *e, const nd_fit_options *o, nd_error *err)
{
    const nd_stim *s = nd_ds_stim(e->data);
    const char *input = nd_ds_meta(e->data, "input");
    if (s && input) {
        e->stim_par = nd_model_index(f->m, ND_MODEL_PAR, input);
        if (e->stim_par < 0)
            return nd_error_fail(err, ND_ENAME, "the data was recorded with a stimulus on '%s', "
                                 "which is no parameter of %s", input, nd_model_name(f->m));
        e->stim = nd_stim_copy(s);
    } else {
        int par = o->stim_par >= 0 ? o->stim_par : nd_model_stim_par(f->m);
        /* Without a stimulated parameter, a column named like a parameter is its input. */
        for (size_t c = 1; par < 0 && c < nd_ds_cols(e->data); c++)
            par = nd_model_index(f->m, ND_MODEL_PAR, nd_ds_name(e->data, c));
        const char *name = par >= 0 ? nd_model_item_at(f->m, ND_MODEL_PAR, (size_t)par)->name : NULL;
        int col = name ? nd_ds_find(e->data, name) : -1;
        if (col >= 1) {
            /* The column is the parameter's whole value: its own value is not added. */
            e->stim = nd_stim_create();
            e->stim_par = par;
            e->whole = 1;
            if (e->stim && nd_stim_add_samples(e->stim, e->t, nd_ds_col(e->data, (size_t)col),
                                               e->rows) != ND_OK)
                return nd_error_fail(err, ND_EVALUE, "the stimulus column '%s' cannot be read", name);
            for (size_t i = 0; i < f->np; i++)
                if (f->pidx[i] == par)
                    return nd_error_fail(err, ND_EVALUE, "'%s' is the data's stimulus column: "
                                         "it cannot be fitted", name);
        } else if (o->stim) {
            e->stim = nd_stim_copy(o->stim);
            e->stim_par = o->stim_par;
        } else {
            return ND_OK;
        }
    }
    if (!e->stim) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    return nd_stim_prepare(e->stim, e->t[e->rows - 1], err);
}

/* Dataset e's times, substeps, observed values and segments. */
static nd_status read_data(nd_fit *f, fit_exp *e, size_t k, const nd_fit_options *o,
                           nd_error *err)
{
    int tc = nd_ds_find(e->data, "t");
    if (tc < 0) return nd_error_fail(err, ND_EVALUE, "dataset %zu has no time column 't'", k + 1);
    e->rows = nd_ds_rows(e->data);
    if (e->rows < 2) return nd_error_fail(err, ND_EVALUE, "dataset %zu has fewer than two samples", k + 1);
    e->t = malloc(e->rows * sizeof *e->t);
    e->sub = malloc((e->rows - 1) * sizeof *e->sub);
    e->d = malloc(e->rows * f->nobsv * sizeof *e->d);
    if (!e->t || !e->sub || !e->d) return nd_error_fail(err, ND_ENOMEM, "out of memory for the fit");
    memcpy(e->t, nd_ds_col(e->data, (size_t)tc), e->rows * sizeof *e->t);
    for (size_t j = 0; j + 1 < e->rows; j++) {
        double dt = e->t[j + 1] - e->t[j];
        if (!isfinite(e->t[j]) || !(dt > 0))
            return nd_error_fail(err, ND_EVALUE, "dataset %zu: the times must increase (row %zu: "
                                 "t = %g after %g)", k + 1, j + 2, e->t[j + 1], e->t[j]);
        double h = o->dt > 0 ? o->dt : fmin(dt, 0.01);
        double q = ceil(dt / h - 1e-9);
        if (q > 1e6) return nd_error_fail(err, ND_EVALUE, "dt = %g is too small for the sample "
                                          "spacing %g", h, dt);
        e->sub[j] = q < 1 ? 1 : (size_t)q;
    }
    for (size_t q = 0; q < f->nobsv; q++) {
        const char *name = nd_model_item_at(f->m, ND_MODEL_STATE, (size_t)f->obs[q])->name;
        int c = nd_ds_find(e->data, name);
        if (c < 1) return nd_error_fail(err, ND_EVALUE, "dataset %zu has no column '%s' (the "
                                        "observed variable)", k + 1, name);
        const double *col = nd_ds_col(e->data, (size_t)c);
        for (size_t j = 0; j < e->rows; j++) {
            e->d[j * f->nobsv + q] = col[j];
            e->nobs += isfinite(col[j]) != 0;
        }
    }
    if (!e->nobs) return nd_error_fail(err, ND_EVALUE, "dataset %zu has no finite observed value", k + 1);
    e->S = o->segments < e->rows - 1 ? o->segments : e->rows - 1;
    e->seg = malloc((e->S + 1) * sizeof *e->seg);
    e->starts = malloc(e->S * f->n * sizeof *e->starts);
    if (!e->seg || !e->starts) return nd_error_fail(err, ND_ENOMEM, "out of memory for the fit");
    for (size_t s = 0; s <= e->S; s++)
        e->seg[s] = (size_t)llround((double)s * (double)(e->rows - 1) / (double)e->S);
    for (size_t s = 0; s < e->S; s++) memcpy(e->starts + s * f->n, nd_model_inits(f->m), f->n * sizeof *e->starts);
    return read_stim(f, e, o, err);
}

static nd_status alloc_work(nd_fit *f)
{
    size_t n = f->n, ms = f->m_sens = f->np + n;
    f->p = malloc(f->npar * sizeof *f->p);
    f->y = malloc(n * sizeof *f->y);
    f->Y = malloc(n * sizeof *f->Y);
    f->K = malloc(4 * n * sizeof *f->K);
    f->Sy = malloc(n * ms * sizeof *f->Sy);
    f->SY = malloc(n * ms * sizeof *f->SY);
    f->SK = malloc(4 * n * ms * sizeof *f->SK);
    f->Jy = malloc(n * n * sizeof *f->Jy);
    f->Jp = malloc(n * (f->npar ? f->npar : 1) * sizeof *f->Jp);
    f->sc = malloc(n * sizeof *f->sc);
    f->nw = nd_model_nwhens(f->m);
    return f->p && f->y && f->Y && f->K && f->Sy && f->SY && f->SK && f->Jy && f->Jp && f->sc
               ? fit_events_alloc(f) : ND_ENOMEM;
}

/* Scales from a solve at the initial values; later segments start on it, with the
   observed components from the data. */
static nd_status first_guess(nd_fit *f, nd_error *err)
{
    size_t n = f->n;
    double *lo = malloc(n * sizeof *lo), *hi = malloc(n * sizeof *hi);
    if (!lo || !hi) {
        free(lo), free(hi);
        return nd_error_fail(err, ND_ENOMEM, "out of memory for the fit");
    }
    for (size_t i = 0; i < n; i++) lo[i] = INFINITY, hi[i] = -INFINITY;
    nd_status st = ND_OK;
    for (size_t k = 0; k < f->ndata && st == ND_OK; k++) {
        fit_exp *e = &f->ex[k];
        double *r = malloc(fit_exp_nres(f, k, 1) * sizeof *r);
        f->traj = malloc(e->rows * n * sizeof *f->traj);
        if (!r || !f->traj) st = nd_error_fail(err, ND_ENOMEM, "out of memory for the fit");
        else if (fit_solve(f, k, 1, r, NULL, 0))
            st = nd_error_fail(err, ND_ESOLVER, "the model cannot be solved at the starting "
                               "values on dataset %zu (non-finite values)", k + 1);
        for (size_t j = 0; st == ND_OK && j < e->rows; j++)
            for (size_t i = 0; i < n; i++) {
                double v = f->traj[j * n + i];
                lo[i] = fmin(lo[i], v), hi[i] = fmax(hi[i], v);
            }
        for (size_t s = 1; st == ND_OK && s < e->S; s++) {
            double *y0 = e->starts + s * n;
            memcpy(y0, f->traj + e->seg[s] * n, n * sizeof *y0);
            for (size_t q = 0; q < f->nobsv; q++) {
                double d = e->d[e->seg[s] * f->nobsv + q];
                if (isfinite(d)) y0[f->obs[q]] = d;
            }
        }
        free(r);
        free(f->traj);
        f->traj = NULL;
    }
    f->dscale = 0;
    for (size_t i = 0; i < n; i++) {
        double w = hi[i] - lo[i];
        f->sc[i] = w > 1e-9 ? w : fmax(fabs(hi[i]), 1.0);
    }
    for (size_t q = 0; q < f->nobsv; q++) f->dscale += f->sc[f->obs[q]] / (double)f->nobsv;
    free(lo), free(hi);
    return st;
}

nd_fit *nd_fit_create(const nd_model *m, const nd_dataset *const *data, size_t ndata,
                      const nd_fit_options *o, nd_error *err)
{
    nd_fit_options def;
    if (!o) nd_fit_options_default(&def), o = &def;
    if (ndata == 0) {
        nd_error_fail(err, ND_EVALUE, "fitting needs at least one dataset");
        return NULL;
    }
    if (nd_model_nwhens(m) && !nd_model_has_event_derivs(m)) {
        nd_error_fail(err, ND_EVALUE, "model %s has a `when` whose condition or reset cannot be "
                      "differentiated: the fit needs exact gradients through its events",
                      nd_model_name(m));
        return NULL;
    }
    if (!nd_model_has_jac(m)) {
        nd_error_fail(err, ND_EVALUE, "model %s has no symbolic Jacobian (%s): the fit needs "
                      "exact gradients", nd_model_name(m), nd_model_notes(m));
        return NULL;
    }
    if (o->segments < 1 || !(o->continuity >= 0) || !isfinite(o->continuity) ||
        !(o->dt >= 0) || !isfinite(o->dt)) {
        nd_error_fail(err, ND_EVALUE, "segments must be ≥ 1, continuity and dt finite and ≥ 0");
        return NULL;
    }
    nd_fit *f = calloc(1, sizeof *f);
    if (!f) {
        nd_error_fail(err, ND_ENOMEM, "out of memory for the fit");
        return NULL;
    }
    f->m = nd_model_copy(m);
    f->rk = ude_scheme("rk4");
    f->ndata = ndata;
    f->continuity = o->continuity;
    f->shoots = o->segments > 1;
    nd_status st = ND_OK;
    size_t np = o->nparams ? o->nparams : 1;
    if (f->m) {
        f->n = nd_model_count(f->m, ND_MODEL_STATE);
        f->npar = nd_model_count(f->m, ND_MODEL_PAR);
    }
    if (!f->m || !(f->pidx = calloc(np, sizeof *f->pidx)) || !(f->tf = calloc(np, sizeof *f->tf)) ||
        !(f->fixed = calloc(np, sizeof *f->fixed)) ||
        !(f->lo = calloc(np, sizeof *f->lo)) || !(f->hi = calloc(np, sizeof *f->hi)) ||
        !(f->value = calloc(np, sizeof *f->value)) || !(f->initial = calloc(np, sizeof *f->initial)) ||
        !(f->obs = calloc(f->n + 1, sizeof *f->obs)) || !(f->ex = calloc(ndata, sizeof *f->ex)))
        st = nd_error_fail(err, ND_ENOMEM, "out of memory for the fit");
    if (!st) st = read_params(f, o, err);
    if (!st && o->observe && o->nobserve > f->n)
        st = nd_error_fail(err, ND_EVALUE, "more observed names than states");
    if (!st) st = read_observe(f, data[0], o, err);
    if (!st && alloc_work(f)) st = nd_error_fail(err, ND_ENOMEM, "out of memory for the fit");
    for (size_t k = 0; !st && k < ndata; k++) {
        fit_exp *e = &f->ex[k];
        e->data = data[k];
        e->stim_par = -1;
        if ((st = read_data(f, e, k, o, err))) break;
        if (f->nw && fit_data_events(f, e)) {
            st = nd_error_fail(err, ND_ENOMEM, "out of memory for the fit");
            break;
        }
        f->nobs += e->nobs;
    }
    if (!st) fit_layout(f);
    if (!st) st = first_guess(f, err);
    for (size_t k = 0; !st && k < ndata; k++) {
        fit_exp *e = &f->ex[k];
        e->cw = e->S > 1 ? sqrt(f->continuity * (double)e->nobs / (double)((e->S - 1) * f->n)) : 0;
    }
    if (st) {
        nd_fit_free(f);
        return NULL;
    }
    return f;
}

void fit_layout(nd_fit *f)
{
    f->ntheta = f->np;
    f->nres = 0;
    for (size_t k = 0; k < f->ndata; k++) {
        fit_exp *e = &f->ex[k];
        e->theta_off = f->ntheta;
        e->res_off = f->nres;
        if (!f->single) f->ntheta += (e->S - 1) * f->n;
        f->nres += fit_exp_nres(f, k, f->single);
    }
}

void nd_fit_set_single(nd_fit *f, int on)
{
    f->single = on != 0;
    fit_layout(f);
}

size_t nd_fit_nparams(const nd_fit *f) { return f->np; }
size_t nd_fit_ntheta(const nd_fit *f) { return f->ntheta; }
size_t nd_fit_nresiduals(const nd_fit *f) { return f->nres; }
size_t nd_fit_nobs(const nd_fit *f) { return f->nobs; }
size_t nd_fit_ndata(const nd_fit *f) { return f->ndata; }
size_t nd_fit_nobserved(const nd_fit *f) { return f->nobsv; }
const nd_dataset *nd_fit_data(const nd_fit *f, size_t k) { return f->ex[k].data; }
const double *nd_fit_values(const nd_fit *f) { return f->value; }
const double *nd_fit_initial(const nd_fit *f) { return f->initial; }

const char *nd_fit_param_name(const nd_fit *f, size_t i)
{
    return nd_model_item_at(f->m, ND_MODEL_PAR, (size_t)f->pidx[i])->name;
}

const nd_stim *nd_fit_stim(const nd_fit *f, size_t k, int *par)
{
    *par = f->ex[k].stim_par;
    return f->ex[k].stim;
}

nd_model *nd_fit_model(const nd_fit *f, nd_error *err)
{
    nd_model *m = nd_model_copy(f->m);
    if (!m) nd_error_fail(err, ND_ENOMEM, "out of memory");
    return m;
}
