/* One integration over a time grid for a model and for a network: the problem (a model's
   or a hybrid's), the row written at each output time, the run described in metadata. */
#include "simulate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/grid.h"
#include "../base/numfmt.h"
#include "../data/noise.h"
#include "../data/select.h"
#include "../models/model_ivp.h"
#include "../ode/dense.h"

void nd_sim_options_default(nd_sim_options *o)
{
    memset(o, 0, sizeof *o);
    nd_ode_options_default(&o->ode);
    o->input = -1;
}

double nd_sim_default_sample(double t_end)
{
    return nd_nice_ceil(t_end / 4000);
}

nd_status nd_sim_check_size(double t_end, double sample, double cols, nd_error *err)
{
    double values = (floor(t_end / sample) + 1) * cols;
    if (values <= ND_SIM_MAX_VALUES) return ND_OK;
    return nd_error_fail(err, ND_ENOMEM, "this simulation would store %.3g values (%.3g GB): "
                         "use a larger sample= or a shorter t= (at most %.0f values)", values,
                         values * 8e-9, ND_SIM_MAX_VALUES);
}

nd_status nd_sim_observe(nd_dataset **ds, const char *const *names, size_t n,
                         const char *input, const nd_noise *nz, char *warn, size_t cap,
                         size_t *bad, nd_error *err)
{
    *bad = (size_t)-1;
    if (warn && cap) warn[0] = '\0';
    if (n) {
        int idx[n + 2];
        size_t k = 0;
        idx[k++] = 0;
        for (size_t i = 0; i < n; i++) {
            int j = nd_ds_find(*ds, names[i]), twice = 0;
            for (size_t c = 0; c < k; c++) twice |= idx[c] == j;
            if (j < 1 || twice) {
                *bad = i;
                return j < 1 ? nd_error_fail(err, ND_ENAME, "observe: the simulation has no "
                                             "variable '%s'", names[i])
                             : nd_error_fail(err, ND_EVALUE, "observe: '%s' is named twice",
                                             names[i]);
            }
            idx[k++] = j;
        }
        int in = input ? nd_ds_find(*ds, input) : -1;
        int listed = 0;
        for (size_t c = 0; c < k; c++) listed |= idx[c] == in;
        if (in > 0 && !listed) idx[k++] = in;
        nd_dataset *kept = nd_ds_select(*ds, idx, k);
        if (!kept) return nd_error_fail(err, ND_ENOMEM, "out of memory");
        nd_ds_free(*ds);
        *ds = kept;
    }
    return nz ? nd_ds_add_noise_all(*ds, nz, input, warn, cap, err) : ND_OK;
}

double *nd_sim_times(double t_end, double sample, size_t *n)
{
    size_t rows = (size_t)(floor(t_end / sample) + 1);
    double *t = malloc((rows ? rows : 1) * sizeof *t);
    if (!t) return NULL;
    /* grid points as the decimals they stand for (0.3, not 3 * 0.1) */
    nd_grid grid = nd_grid_of(0, sample);
    for (size_t i = 0; i < rows; i++) t[i] = fmin(nd_grid_snap(&grid, (double)i * sample), t_end);
    *n = rows;
    return t;
}

/* What the output callback needs to fill one dataset row per output time. */
typedef struct recorder {
    nd_dataset *ds;
    const nd_model *m;
    const nd_model_ivp *ivp;  /* a model's problem, or NULL for a network's: */
    nd_ude_ivp *uivp;         /* a network's problem, its terms ... */
    const nd_stim *stim;      /* ... and its prepared stimulus */
    size_t n, nterms;
    int input;                /* parameter index of the driven input, or -1 */
    double *row, *p, *terms;
    unsigned char *jumps;
    size_t last;              /* the last output time written */
} recorder;

static int record(void *ctx, double t, const double *y, int event, size_t which)
{
    recorder *r = ctx;
    if (event) {
        if (r->jumps) r->jumps[r->last] = 1;
        return 0;
    }
    r->last = which;
    size_t k = 0;
    r->row[k++] = t;
    memcpy(r->row + k, y, r->n * sizeof *y);
    k += r->n;
    if (r->ivp && (r->input >= 0 || r->nterms)) nd_model_ivp_pars_at(r->ivp, t, r->p);
    if (!r->ivp && r->input >= 0)
        r->p[r->input] = nd_model_pars(r->m)[r->input] + nd_stim_eval(r->stim, t);
    if (r->input >= 0) r->row[k++] = r->p[r->input];
    if (r->nterms) {
        if (r->ivp) nd_model_terms(r->m, t, y, r->p, r->terms);
        else nd_ude_ivp_terms(r->uivp, t, y, r->terms);
        memcpy(r->row + k, r->terms, r->nterms * sizeof *y);
    }
    return nd_ds_append(r->ds, r->row);
}

/* The dataset's columns: t, the states, the driven input, the terms when asked. */
static nd_dataset *new_dataset(const nd_model *m, int input, int terms)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE), nt = terms ? nd_model_count(m, ND_MODEL_TERM) : 0;
    size_t ncols = 1 + n + (input >= 0) + nt, k = 0;
    const char **names = malloc(ncols * sizeof *names), **units = malloc(ncols * sizeof *units);
    nd_dataset *ds = NULL;
    if (names && units) {
        names[k] = "t";
        units[k++] = nd_model_time_unit(m);
        for (size_t i = 0; i < n; i++, k++) {
            names[k] = nd_model_item_at(m, ND_MODEL_STATE, i)->name;
            units[k] = nd_model_item_at(m, ND_MODEL_STATE, i)->unit;
        }
        if (input >= 0) {
            names[k] = nd_model_item_at(m, ND_MODEL_PAR, (size_t)input)->name;
            units[k++] = nd_model_item_at(m, ND_MODEL_PAR, (size_t)input)->unit;
        }
        for (size_t i = 0; i < nt; i++, k++) {
            names[k] = nd_model_item_at(m, ND_MODEL_TERM, i)->name;
            units[k] = nd_model_item_at(m, ND_MODEL_TERM, i)->unit;
        }
        ds = nd_ds_create(ncols, names, units);
    }
    free(names);
    free(units);
    return ds;
}

/* An empty continuous solution for m's states, or NULL on ENOMEM. */
static nd_dense *new_dense(const nd_model *m)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    const char **names = malloc((n ? n : 1) * sizeof *names);
    if (!names) return NULL;
    for (size_t i = 0; i < n; i++) names[i] = nd_model_item_at(m, ND_MODEL_STATE, i)->name;
    nd_dense *d = nd_dense_create(n, names);
    free(names);
    return d;
}

/* Writes the run's settings and solver counts into the dataset's metadata. */
static void describe_run(nd_dataset *ds, const nd_model *m, const nd_sim_options *o,
                         const nd_stim *stim, int input, const nd_ode_stats *stats)
{
    char buf[64];
    const nd_ode_options *opt = &o->ode;
    nd_ds_set_meta(ds, "model", nd_model_name(m));
    /* values given apart from the model's are the caller's to describe */
    char *changed = o->pars ? NULL : nd_model_changed_pars(m);
    if (changed && *changed) nd_ds_set_meta(ds, "parameters", changed);
    free(changed);
    nd_ds_set_meta(ds, "method", nd_ode_method_name(opt->method));
    if (nd_ode_method_is_fixed(opt->method)) {
        nd_numfmt(opt->dt, buf);
        nd_ds_set_meta(ds, "dt", buf);
    } else {
        nd_numfmt(opt->rtol, buf);
        nd_ds_set_meta(ds, "rtol", buf);
        nd_numfmt(opt->atol, buf);
        nd_ds_set_meta(ds, "atol", buf);
    }
    if (stim) {
        char *d = nd_stim_describe(stim);
        nd_ds_set_meta(ds, "stimulus", d);
        free(d);
        /* the column holding the driven parameter: an input, not a state (sindy) */
        if (input >= 0)
            nd_ds_set_meta(ds, "input", nd_model_item_at(m, ND_MODEL_PAR, (size_t)input)->name);
    }
    snprintf(buf, sizeof buf, "%ld", stats->rhs_evals);
    nd_ds_set_meta(ds, "rhs_evals", buf);
    snprintf(buf, sizeof buf, "%ld", stats->accepted);
    nd_ds_set_meta(ds, "steps_accepted", buf);
    snprintf(buf, sizeof buf, "%ld", stats->rejected);
    nd_ds_set_meta(ds, "steps_rejected", buf);
}

/* The one loop behind nd_sim_model (net NULL) and nd_sim_network (m is net's model). */
static nd_status run(const nd_model *m, const nd_ude *net, const double *times, size_t nt,
                     double t_end, const nd_sim_options *o, nd_dataset **out,
                     nd_ode_stats *stats_out, nd_error *err)
{
    *out = NULL;
    if (o->jumps) memset(o->jumps, 0, nt);
    if (nt == 0) return nd_error_fail(err, ND_EVALUE, "a simulation needs at least one time");
    int par = o->input;
    const nd_stim *given = o->stim;
    if (net && !given) given = nd_ude_stim(net, &par);
    nd_stim *stim = given ? nd_stim_copy(given) : NULL;
    if (given && !stim) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    /* An empty stimulus (`stim none`) drives nothing: no input column, no stimulus kept;
       a network still gets it, so that it does not fall back to its own. */
    nd_stim *drive = stim;
    if (stim && nd_stim_count(stim) == 0) {
        if (!net) nd_stim_free(stim), drive = NULL;
        stim = NULL;
    }
    int input = stim ? par : -1;

    nd_status st = ND_OK;
    nd_model_ivp *ivp = NULL;
    nd_ude_ivp *uivp = NULL;
    if (net) {
        if ((uivp = nd_ude_ivp_create(net, drive, drive ? par : -1, times[0], t_end, err)) &&
            stim && nd_stim_prepare(stim, t_end, err) != ND_OK) {
            nd_ude_ivp_free(uivp);
            uivp = NULL;
        }
    } else {
        ivp = nd_model_ivp_create(m, o->pars, stim, input, times[0], t_end, err);
    }
    const nd_ode_problem *prob = ivp    ? nd_model_ivp_problem(ivp)
                                 : uivp ? nd_ude_ivp_problem(uivp)
                                        : NULL;
    size_t n = nd_model_count(m, ND_MODEL_STATE), npar = nd_model_count(m, ND_MODEL_PAR);
    size_t nterms = o->terms ? nd_model_count(m, ND_MODEL_TERM) : 0;
    size_t cols = 1 + n + (input >= 0) + nterms;
    nd_dataset *ds = prob ? new_dataset(m, input, o->terms) : NULL;
    double *y = malloc((n ? n : 1) * sizeof *y), *row = malloc(cols * sizeof *row);
    double *p = malloc((npar + 1) * sizeof *p), *terms = malloc((nterms + 1) * sizeof *terms);
    if (prob && (!ds || !y || !row || !p || !terms || nd_ds_reserve(ds, nt) != 0))
        st = nd_error_fail(err, ND_ENOMEM, "out of memory for the simulation");
    else if (!prob)
        st = err ? err->code : ND_ENOMEM;
    nd_ode_stats stats = {0};
    if (st == ND_OK) {
        nd_ode_options opt = o->ode;
        memcpy(y, o->y0 ? o->y0 : nd_model_inits(m), n * sizeof *y);
        recorder rec = {ds, m, ivp, uivp, stim, n, nterms, input, row, p, terms, o->jumps, 0};
        nd_dense *dense = o->dense ? new_dense(m) : NULL;
        if (dense) nd_dense_attach(dense, prob, &opt);
        st = nd_ode_solve(prob, times[0], t_end, y, &opt, times, nt, record, &rec, &stats, err);
        /* Without its continuous solution (too long a run) the dataset is still whole. */
        if (dense && nd_dense_detach(dense, &opt) == 0 && st == ND_OK)
            nd_ds_set_dense(ds, dense);
        else
            nd_dense_free(dense);
        describe_run(ds, m, o, stim, input, &stats);
        /* The stimulus itself, for training to replay it exactly (a lost copy only costs
           training the record: it then uses the network's own stimulus). */
        if (stim && input >= 0) nd_ds_set_stim(ds, nd_stim_copy(stim));
        *out = ds;
        ds = NULL;
    }
    if (stats_out) *stats_out = stats;
    nd_ds_free(ds);
    nd_model_ivp_free(ivp);
    nd_ude_ivp_free(uivp);
    nd_stim_free(drive);
    free(y);
    free(row);
    free(p);
    free(terms);
    return st;
}

nd_status nd_sim_model(const nd_model *m, const double *times, size_t n, double t_end,
                       const nd_sim_options *o, nd_dataset **out, nd_ode_stats *stats,
                       nd_error *err)
{
    return run(m, NULL, times, n, t_end, o, out, stats, err);
}

nd_status nd_sim_network(const nd_ude *u, const double *times, size_t n, double t_end,
                         const nd_sim_options *o, nd_dataset **out, nd_ode_stats *stats,
                         nd_error *err)
{
    return run(nd_ude_model(u), u, times, n, t_end, o, out, stats, err);
}

nd_status nd_sim_path(void *interrupt, const nd_model *m, const double *p, const double *y0,
                      double t1, size_t npts, double *out, unsigned char *breaks,
                      nd_error *err)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    double *tout = malloc((npts ? npts : 1) * sizeof *tout);
    if (!tout) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t k = 0; k < npts; k++)
        tout[k] = npts > 1 ? t1 * (double)k / (double)(npts - 1) : 0;
    nd_sim_options o;
    nd_sim_options_default(&o);
    o.ode.rtol = o.ode.atol = 1e-8;
    o.ode.max_steps = 1000000;
    o.ode.interrupt = interrupt;
    o.pars = p;
    o.y0 = y0;
    o.jumps = breaks;
    nd_dataset *ds = NULL;
    nd_status st = nd_sim_model(m, tout, npts, t1, &o, &ds, NULL, err);
    size_t rows = ds ? nd_ds_rows(ds) : 0;
    for (size_t i = 0; i < n; i++) {
        const double *c = rows ? nd_ds_col(ds, 1 + i) : NULL;
        for (size_t k = 0; k < npts; k++) out[k * n + i] = k < rows ? c[k] : NAN;
    }
    nd_ds_free(ds);
    free(tout);
    return st;
}
