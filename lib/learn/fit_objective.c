/* The sweeps made ready once (units, stimulus, the recording's features), then per
   evaluation: each sweep simulated from rest, its features measured in the recording's
   window, and the distance summed. Nothing shared is written during an evaluation, so a
   population can be evaluated by several threads. */
#include "fit_objective.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/ephys.h"
#include "../data/ds_adapt.h"
#include "../data/units.h"
#include "simulate.h"

typedef struct fsweep {
    nd_dataset *ds;        /* t (ms), V (mV), I (µA/cm² or the model's unit) */
    nd_stim *stim;         /* I as samples */
    nd_ephys_sweep data;   /* the recording's features */
} fsweep;

struct nd_fit_objective {
    nd_model *m;
    size_t np, ns;
    int *idx;              /* parameter indices of the fitted names */
    int input, state;
    nd_fit_setup setup;
    fsweep *sw;
};

void nd_fit_setup_default(nd_fit_setup *s)
{
    memset(s, 0, sizeof *s);
    s->kind = ND_FIT_FEATURES;
    s->start = s->end = NAN;
    s->settle_ms = 200;
    s->rtol = 1e-6;
}

void nd_fit_objective_free(nd_fit_objective *f)
{
    if (!f) return;
    for (size_t k = 0; f->sw && k < f->ns; k++) {
        nd_ds_free(f->sw[k].ds);
        nd_stim_free(f->sw[k].stim);
        nd_ephys_sweep_clear(&f->sw[k].data);
    }
    free(f->sw);
    free(f->idx);
    nd_model_free(f->m);
    free(f);
}

/* Sweep k in model units, its stimulus and its features. */
static nd_status prepare_sweep(nd_fit_objective *f, size_t k, const nd_dataset *raw, nd_error *err)
{
    const nd_fit_setup *s = &f->setup;
    const char *old[3] = {"t", s->v_column ? s->v_column : "V", s->i_column ? s->i_column : "I"};
    const char *new[3] = {"t", "V", "I"};
    int ic = nd_ds_find(raw, old[2]);
    if (ic >= 0 && !(s->capacitance_pf > 0) &&
        nd_unit_quantity(nd_ds_unit(raw, (size_t)ic), NULL) == ND_Q_CURRENT)
        return nd_error_fail(err, ND_EVALUE, "sweep %zu: the current is in %s: give the cell's "
                             "capacitance (pF) to make it a density", k + 1, nd_ds_unit(raw, (size_t)ic));
    nd_ds_adapt a = {.npick = 3, .pick_old = old, .pick_new = new,
                     .area_cm2 = s->capacitance_pf > 0 ? nd_area_from_capacitance(s->capacitance_pf) : 0};
    nd_error sub;
    fsweep *w = &f->sw[k];
    if (!(w->ds = nd_ds_adapted(raw, &a, &sub)))
        return nd_error_fail(err, sub.code, "sweep %zu: %s", k + 1, sub.msg);
    size_t n = nd_ds_rows(w->ds);
    const double *t = nd_ds_col(w->ds, 0), *v = nd_ds_col(w->ds, 1), *i = nd_ds_col(w->ds, 2);
    if (n < 3) return nd_error_fail(err, ND_EVALUE, "sweep %zu has %zu samples", k + 1, n);
    if (!(w->stim = nd_stim_create()) || nd_stim_add_samples(w->stim, t, i, n) != ND_OK)
        return nd_error_fail(err, ND_EVALUE, "sweep %zu: its current is not finite, or its "
                             "times do not increase", k + 1);
    nd_ephys_trace tr = {t, v, i, n, n, n, s->start, s->end, NAN};
    if (nd_ephys_sweep_analyze(&tr, NULL, &w->data, &sub) != ND_OK)
        return nd_error_fail(err, sub.code, "sweep %zu: %s", k + 1, sub.msg);
    return ND_OK;
}

nd_fit_objective *nd_fit_objective_create(const nd_model *m, const char *const *names,
                                          size_t np, const nd_dataset *const *sweeps,
                                          size_t ns, const nd_fit_setup *s, nd_error *err)
{
    if (np == 0 || ns == 0) {
        nd_error_fail(err, ND_EVALUE, "a fit needs at least one parameter and one sweep");
        return NULL;
    }
    nd_fit_objective *f = calloc(1, sizeof *f);
    if (!f || !(f->idx = malloc(np * sizeof *f->idx)) || !(f->sw = calloc(ns, sizeof *f->sw)) ||
        !(f->m = nd_model_copy(m))) {
        nd_fit_objective_free(f);
        nd_error_fail(err, ND_ENOMEM, "out of memory");
        return NULL;
    }
    f->np = np, f->ns = ns, f->setup = *s;
    nd_status st = ND_OK;
    for (size_t j = 0; j < np && !st; j++)
        if ((f->idx[j] = nd_model_index(m, ND_MODEL_PAR, names[j])) < 0)
            st = nd_error_fail(err, ND_ENAME, "%s has no parameter '%s'", nd_model_name(m), names[j]);
    const char *state = s->state ? s->state : "V";
    if (!st && (f->state = nd_model_index(m, ND_MODEL_STATE, state)) < 0)
        st = nd_error_fail(err, ND_ENAME, "%s has no state '%s'", nd_model_name(m), state);
    f->input = s->input ? nd_model_index(m, ND_MODEL_PAR, s->input) : nd_model_stim_par(m);
    if (!s->input && f->input < 0) f->input = nd_model_index(m, ND_MODEL_PAR, "I");
    if (!st && f->input < 0)
        st = nd_error_fail(err, ND_ENAME, "%s has no parameter '%s' for the current to drive",
                           nd_model_name(m), s->input ? s->input : "I");
    for (size_t j = 0; j < np && !st; j++)
        if (f->idx[j] == f->input)
            st = nd_error_fail(err, ND_EVALUE, "'%s' is the injected current: the sweeps give "
                               "it, it cannot be fitted", names[j]);
    for (size_t k = 0; k < ns && !st; k++) st = prepare_sweep(f, k, sweeps[k], err);
    if (st) {
        nd_fit_objective_free(f);
        return NULL;
    }
    return f;
}

size_t nd_fit_sweep_length(const nd_fit_objective *f, size_t k) { return nd_ds_rows(f->sw[k].ds); }

size_t nd_fit_sweep_spikes(const nd_fit_objective *f, size_t k) { return f->sw[k].data.n_spikes; }

/* Sweep w simulated at the full parameter vector pars: rests settle_ms under the holding
   current (the samples hold their first value before the first time), then follows the
   sweep; v gets the compared state on the sweep's times. */
static nd_status simulate(const nd_fit_objective *f, const fsweep *w, const double *pars,
                          double *v, nd_error *err)
{
    const nd_fit_setup *s = &f->setup;
    size_t n = nd_ds_rows(w->ds), ns = nd_model_count(f->m, ND_MODEL_STATE);
    const double *t = nd_ds_col(w->ds, 0);
    nd_sim_options o;
    nd_sim_options_default(&o);
    o.ode.rtol = o.ode.atol = s->rtol;
    o.ode.interrupt = s->interrupt;
    o.stim = w->stim;
    o.input = f->input;
    o.pars = pars;
    double settle[2] = {t[0] - s->settle_ms, t[0]}, *y0 = malloc((ns ? ns : 1) * sizeof *y0);
    if (!y0) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_dataset *rest = NULL, *run = NULL;
    nd_status st = ND_OK;
    if (s->settle_ms > 0) {
        st = nd_sim_model(f->m, settle, 2, t[0], &o, &rest, NULL, err);
        if (!st && nd_ds_rows(rest) != 2) st = nd_error_fail(err, ND_ESOLVER, "the rest did not complete");
        for (size_t i = 0; !st && i < ns; i++) y0[i] = nd_ds_col(rest, 1 + i)[1];
        if (!st) o.y0 = y0;
    }
    if (!st) st = nd_sim_model(f->m, t, n, t[n - 1], &o, &run, NULL, err);
    if (!st && nd_ds_rows(run) != n) st = nd_error_fail(err, ND_ESOLVER, "the run did not complete");
    if (!st) memcpy(v, nd_ds_col(run, 1 + (size_t)f->state), n * sizeof *v);
    nd_ds_free(rest);
    nd_ds_free(run);
    free(y0);
    return st;
}

/* The model's parameter vector with the fitted values p put in, the current's own value
   zero (the sweep's current is the whole drive). */
static double *full_pars(const nd_fit_objective *f, const double *p)
{
    size_t np = nd_model_count(f->m, ND_MODEL_PAR);
    double *pars = malloc((np ? np : 1) * sizeof *pars);
    if (!pars) return NULL;
    memcpy(pars, nd_model_pars(f->m), np * sizeof *pars);
    pars[f->input] = 0;
    for (size_t j = 0; j < f->np; j++) pars[f->idx[j]] = p[j];
    return pars;
}

nd_status nd_fit_objective_trace(const nd_fit_objective *f, size_t k, const double *p,
                                 double **v, nd_error *err)
{
    *v = malloc(nd_ds_rows(f->sw[k].ds) * sizeof **v);
    double *pars = full_pars(f, p);
    nd_status st = *v && pars ? simulate(f, &f->sw[k], pars, *v, err)
                              : nd_error_fail(err, ND_ENOMEM, "out of memory");
    free(pars);
    if (st) free(*v), *v = NULL;
    return st;
}

/* Appends a feature the recording has (the recording says which features there are, as
   an experiment's feature set does in BluePyOpt: the fast-spiking cell's strongest step has
   spikes but no measurable latency): |model − data| / scale, ND_FIT_MISSING when only the
   model lacks it. */
static void compare(nd_fit_feature *out, size_t *n, const char *name, const char *unit,
                    double model, double data, double scale)
{
    if (isnan(data)) return;
    double score = isnan(model) ? ND_FIT_MISSING : fabs(model - data) / scale;
    out[(*n)++] = (nd_fit_feature){0, name, unit, data, model, scale, score, score <= 2};
}

/* The mean peak and the mean trough (after-hyperpolarisation) of a sweep's spikes; NAN
   without spikes (or troughs). */
static void spike_means(const nd_ephys_sweep *s, double *peak, double *trough)
{
    double sp = 0, st = 0;
    size_t np = 0, nt = 0;
    for (size_t i = 0; i < s->n_spikes; i++) {
        sp += s->spikes[i].peak_v, np++;
        if (isfinite(s->spikes[i].trough_v)) st += s->spikes[i].trough_v, nt++;
    }
    *peak = np ? sp / (double)np : NAN;
    *trough = nt ? st / (double)nt : NAN;
}

/* The features of one sweep compared (docs/learning.md lists the scales) into out
   (ND_FIT_MAX_FEATURES); returns how many. */
static size_t compare_sweep(nd_fit_kind kind, const nd_ephys_sweep *mod,
                            const nd_ephys_sweep *dat, nd_fit_feature *out)
{
    size_t n = 0;
    if (kind == ND_FIT_FI) {
        /* one spike more or less in the window, or 10 % of the rate */
        double scale = fmax(1000.0 / (dat->end - dat->start), 0.1 * dat->rate), d = mod->rate - dat->rate;
        out[n++] = (nd_fit_feature){0, "firing rate", "Hz", dat->rate, mod->rate, scale, d * d,
                                    fabs(d) <= 2 * scale};
        return n;
    }
    double nd = (double)dat->n_spikes;
    compare(out, &n, "spike count", "", (double)mod->n_spikes, nd, fmax(1, 0.1 * nd));
    compare(out, &n, "first-spike latency", "ms", mod->latency, dat->latency,
            fmax(0.5, 0.1 * dat->latency));
    compare(out, &n, "mean ISI", "ms", mod->isi_mean, dat->isi_mean, fmax(0.5, 0.1 * dat->isi_mean));
    double pm, tm, pd, td;
    spike_means(mod, &pm, &tm);
    spike_means(dat, &pd, &td);
    compare(out, &n, "mean spike peak", "mV", pm, pd, 2);
    compare(out, &n, "mean trough", "mV", tm, td, 2);
    if (dat->n_spikes == 0) compare(out, &n, "steady state", "mV", mod->steady, dat->steady, 1);
    return n;
}

/* Sweep k simulated at pars and compared: its features into out; nonzero when the
   simulation or the measurement failed. */
static int sweep_features(const nd_fit_objective *f, size_t k, const double *pars,
                          nd_fit_feature *out, size_t *n, nd_error *err)
{
    const fsweep *w = &f->sw[k];
    size_t rows = nd_ds_rows(w->ds);
    double *v = malloc(rows * sizeof *v);
    nd_ephys_sweep mod;
    int rc = !v ? (nd_error_fail(err, ND_ENOMEM, "out of memory"), 1)
                : simulate(f, w, pars, v, err) != ND_OK;
    /* the recording's window and amplitude: both traces measured alike */
    nd_ephys_trace tr = {nd_ds_col(w->ds, 0), v, NULL, rows, rows, 0, w->data.start,
                         w->data.end, w->data.amplitude};
    if (!rc) rc = nd_ephys_sweep_analyze(&tr, NULL, &mod, err) != ND_OK;
    if (!rc) {
        *n = compare_sweep(f->setup.kind, &mod, &w->data, out);
        for (size_t j = 0; j < *n; j++) out[j].sweep = k;
        nd_ephys_sweep_clear(&mod);
    }
    free(v);
    return rc;
}

int nd_fit_objective_eval(void *obj, const double *p, size_t np, double *value)
{
    const nd_fit_objective *f = obj;
    if (np != f->np) return -1;
    double *pars = full_pars(f, p), total = 0;
    int rc = pars ? 0 : -1;
    for (size_t k = 0; k < f->ns && !rc; k++) {
        nd_fit_feature feat[ND_FIT_MAX_FEATURES];
        size_t n = 0;
        nd_error err;
        rc = sweep_features(f, k, pars, feat, &n, &err);
        for (size_t j = 0; !rc && j < n; j++) total += feat[j].score;
    }
    free(pars);
    if (!rc) *value = total;
    return rc;
}

nd_status nd_fit_objective_report(const nd_fit_objective *f, const double *p,
                                  nd_fit_feature **out, size_t *n, nd_error *err)
{
    *n = 0;
    double *pars = full_pars(f, p);
    *out = malloc(f->ns * ND_FIT_MAX_FEATURES * sizeof **out);
    nd_status st = pars && *out ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t k = 0; k < f->ns && st == ND_OK; k++) {
        size_t m = 0;
        if (sweep_features(f, k, pars, *out + *n, &m, err)) st = err->code ? err->code : ND_ESOLVER;
        *n += m;
    }
    free(pars);
    if (st != ND_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return st;
}
