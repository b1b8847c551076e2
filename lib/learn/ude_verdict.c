/* The training verdict: the hybrid's simulation against the data, judged by the noise
   estimated from the data and by the data's spikes. A run's own earlier losses are no
   yardstick — a run that is bad throughout passes a check against itself. */
#include "ude_verdict.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/spikes.h"
#include "../base/strbuf.h"
#include "../data/noise.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of the finite values of y (NAN when none, or on ENOMEM). */
static double median(const double *y, size_t n)
{
    double *c = malloc((n ? n : 1) * sizeof *c), m = NAN;
    size_t k = 0;
    for (size_t i = 0; c && i < n; i++)
        if (isfinite(y[i])) c[k++] = y[i];
    if (k) {
        qsort(c, k, sizeof *c, cmp_double);
        m = k % 2 ? c[k / 2] : 0.5 * (c[k / 2 - 1] + c[k / 2]);
    }
    free(c);
    return m;
}

int nd_ude_spike_threshold(const double *y, size_t n, double noise, double *threshold,
                           double *hysteresis)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (isfinite(y[i])) {
            lo = fmin(lo, y[i]);
            hi = fmax(hi, y[i]);
        }
    /* Pure Gaussian noise spans about 2·sqrt(2 ln n) SDs: under 10 for any record shorter
       than ~500,000 samples. */
    if (!(hi - lo > 10 * noise)) return 0;
    *threshold = 0.5 * (lo + hi);
    *hysteresis = 0.25 * (hi - lo);
    /* A recorded sweep's range is stretched by a hyperpolarising test pulse (−100 mV),
       which is no spike's trough: a spike then need only fall halfway from the threshold
       to the trace's typical level, its median. Simulated spike trains, whose troughs lie
       further down, keep a quarter of the range (their threshold, and so their spike
       times, never change). */
    double med = median(y, n);
    if (med < *threshold) *hysteresis = fmin(*hysteresis, 0.5 * (*threshold - med));
    if (isfinite(noise)) *hysteresis = fmax(*hysteresis, 3 * noise);
    return 1;
}

void nd_ude_check_clear(nd_ude_check *c)
{
    nd_compare_clear(&c->spikes);
    memset(c, 0, sizeof *c);
}

/* The data's and the model's spikes, paired by nd_compare_trains (the one matching rule
   of `compare` and the verdict) within the coincidence window, narrowed to half the
   data's shortest interval so that no model spike can fall in two data spikes' windows. */
static nd_status compare_spikes(const double *t, const double *data, const double *model,
                                size_t n, nd_ude_check *c, nd_error *err)
{
    nd_spikes sd = {0}, sm = {0};
    nd_status st = nd_spikes_detect(t, data, n, c->threshold, c->hysteresis, &sd, err);
    if (st == ND_OK) st = nd_spikes_detect(t, model, n, c->threshold, c->hysteresis, &sm, err);
    if (st == ND_OK) {
        double window = ND_UDE_SPIKE_WINDOW;
        for (size_t i = 1; i < sd.n; i++)
            window = fmin(window, 0.5 * (sd.times[i] - sd.times[i - 1]));
        st = nd_compare_trains(sd.times, sd.n, sm.times, sm.n, t[0], t[n - 1], window,
                               &c->spikes, err);
    }
    nd_spikes_clear(&sd);
    nd_spikes_clear(&sm);
    return st;
}

nd_status nd_ude_check_var(const double *t, const double *data, const double *model,
                           size_t n, nd_ude_check *c, nd_error *err)
{
    memset(c, 0, sizeof *c);
    c->noise = nd_noise_sd_estimate(t, data, n);
    double lo = INFINITY, hi = -INFINITY, sum = 0;
    int blew_up = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(data[i])) continue;
        lo = fmin(lo, data[i]);
        hi = fmax(hi, data[i]);
        if (!isfinite(model[i])) blew_up = 1;
        else sum += (model[i] - data[i]) * (model[i] - data[i]);
        c->samples++;
    }
    c->rms = blew_up ? INFINITY : c->samples ? sqrt(sum / (double)c->samples) : NAN;
    c->scale = fmax(isfinite(c->noise) ? c->noise : 0, 0.01 * (hi - lo));
    c->ok = c->rms <= ND_UDE_RMS_LIMIT * c->scale;
    c->spiking = nd_ude_spike_threshold(data, n, c->noise, &c->threshold, &c->hysteresis);
    if (!c->spiking) return ND_OK;
    nd_status st = compare_spikes(t, data, model, n, c, err);
    if (st != ND_OK) {
        nd_ude_check_clear(c);
        return st;
    }
    c->ok = c->ok && c->spikes.missing == 0 && c->spikes.extra == 0;
    return ND_OK;
}

void nd_ude_verdict_clear(nd_ude_verdict *v)
{
    for (size_t i = 0; i < v->nvar; i++) nd_ude_check_clear(&v->var[i]);
    free(v->var);
    memset(v, 0, sizeof *v);
}

/* The observed state columns: (state index, data column) pairs; ND_EVALUE naming what is
   missing. */
static nd_status observed(const nd_model *mod, const nd_dataset *data,
                          const char *const *observe, size_t nobserve, int *state, int *col,
                          size_t *nv, nd_error *err)
{
    size_t n = nd_model_count(mod, ND_MODEL_STATE);
    *nv = 0;
    for (size_t s = 0; s < n; s++) {
        const char *name = nd_model_item_at(mod, ND_MODEL_STATE, s)->name;
        int c = nd_ds_find(data, name), wanted = !observe;
        for (size_t k = 0; observe && k < nobserve; k++) wanted |= strcmp(observe[k], name) == 0;
        if (!wanted || (!observe && c < 1)) continue;
        if (c < 1)
            return nd_error_fail(err, ND_EVALUE, "the data has no column '%s' to compare with",
                                 name);
        state[*nv] = (int)s;
        col[(*nv)++] = c;
    }
    if (!*nv) return nd_error_fail(err, ND_EVALUE, "the data has no observed state to compare with");
    return ND_OK;
}

nd_status nd_ude_verdict_experiment(const nd_ude *u, const nd_ude_experiment *ex,
                                    const char *const *observe, size_t nobserve,
                                    const atomic_int *interrupt, nd_ude_verdict *v,
                                    nd_error *err)
{
    const nd_dataset *data = ex->data;
    memset(v, 0, sizeof *v);
    const nd_model *mod = nd_ude_model(u);
    size_t n = nd_model_count(mod, ND_MODEL_STATE), m = nd_ds_rows(data), nv;
    if (nd_ds_cols(data) < 2 || strcmp(nd_ds_name(data, 0), "t") != 0 || m < 3)
        return nd_error_fail(err, ND_EVALUE, "the data needs a column t and at least 3 rows");
    int state[n + 1], col[n + 1];
    nd_status st = observed(mod, data, observe, nobserve, state, col, &nv, err);
    if (st != ND_OK) return st;
    const double *t = nd_ds_col(data, 0);
    double *pred = malloc(m * n * sizeof *pred), *series = malloc(m * sizeof *series);
    v->var = calloc(nv, sizeof *v->var);
    if (!pred || !series || !v->var) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) {
        nd_error e = {0};
        st = nd_ude_predict_under(u, ex->stim, ex->stim_par, t, m, pred, interrupt, &e);
        if (st == ND_ESOLVER) st = ND_OK;   /* the NaN rows make it a bad fit */
        else if (st != ND_OK) *err = e;
    }
    for (size_t k = 0; st == ND_OK && k < nv; k++) {
        for (size_t i = 0; i < m; i++) series[i] = pred[i * n + (size_t)state[k]];
        st = nd_ude_check_var(t, nd_ds_col(data, (size_t)col[k]), series, m, &v->var[k], err);
        snprintf(v->var[k].name, sizeof v->var[k].name, "%s",
                 nd_model_item_at(mod, ND_MODEL_STATE, (size_t)state[k])->name);
        v->nvar = k + 1;
    }
    free(pred);
    free(series);
    if (st != ND_OK) {
        nd_ude_verdict_clear(v);
        return st;
    }
    v->ok = 1;
    for (size_t k = 0; k < nv; k++) v->ok = v->ok && v->var[k].ok;
    return ND_OK;
}

/* "5.97, 17.5, 28.9" (at most 6, then "…"). */
static void times_list(nd_sb *sb, const double *x, size_t n)
{
    for (size_t i = 0; i < n && i < 6; i++) nd_sb_printf(sb, "%s%.4g", i ? ", " : "", x[i]);
    if (n > 6) nd_sb_puts(sb, ", …");
}

static void check_text(nd_sb *sb, const nd_ude_check *c)
{
    const char *name = c->name[0] ? c->name : "the variable";
    const nd_compare *sp = &c->spikes;
    int first = 1;
    if (c->spiking && sp->missing) {
        nd_sb_printf(sb, "the model misses %zu of the %zu spikes of %s (at ", sp->missing,
                     sp->n_a, name);
        times_list(sb, sp->missing_at, sp->missing);
        nd_sb_puts(sb, ")");
        first = 0;
    }
    if (c->spiking && sp->extra) {
        nd_sb_printf(sb, "%sthe model fires %zu spike%s that the data do not have (at ",
                     first ? "" : "; ", sp->extra, sp->extra == 1 ? "" : "s");
        times_list(sb, sp->extra_at, sp->extra);
        nd_sb_puts(sb, ")");
        first = 0;
    }
    if (!first) nd_sb_puts(sb, "; ");
    if (!isfinite(c->rms)) {
        nd_sb_printf(sb, "the model's simulation of %s blows up", name);
        return;
    }
    nd_sb_printf(sb, "%s residual RMS %.3g = %.2f × the %s (%.3g)", name, c->rms,
                 c->rms / c->scale, c->scale > c->noise ? "floor of 1 % of the data's range"
                                                       : "noise estimated from the data",
                 c->scale);
    if (c->spiking && sp->matched && !sp->missing && !sp->extra) {
        nd_sb_printf(sb, "; %zu of %zu spikes matched, within %.2g", sp->matched, sp->n_a,
                     sp->dt_max);
    } else if (c->spiking && !sp->n_a && !sp->n_b) {
        nd_sb_puts(sb, "; no spikes in the data or the model");
    }
}

char *nd_ude_verdict_text(const nd_ude_verdict *v)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_puts(&sb, v->ok ? "good fit: " : "NOT a good fit: ");
    int any = 0;
    /* A bad verdict names only what failed; a good one shows the numbers it rests on. */
    for (size_t k = 0; k < v->nvar; k++) {
        if (!v->ok && v->var[k].ok) continue;
        if (any++) nd_sb_puts(&sb, "; ");
        check_text(&sb, &v->var[k]);
    }
    if (!v->ok)
        nd_sb_printf(&sb, " (a good fit stays within %.3g × the noise and matches every spike)",
                     ND_UDE_RMS_LIMIT);
    return nd_sb_take(&sb);
}
