/* The features of one sweep: its stimulus window, its spikes and the train they make, and
   its subthreshold response (baseline, steady state, sag, membrane time constant). */
#include "ephys_impl.h"

#include <math.h>
#include <stdlib.h>

#include "../base/range.h"
#include "spikes.h"

void nd_ephys_sweep_clear(nd_ephys_sweep *s)
{
    free(s->spikes);
    *s = (nd_ephys_sweep){0};
}

/* Checks the arrays and places the sweep on its sample grid; t only when check_t (a
   caller that built t as k dt knows it finite and equally spaced: the two passes over it
   are a fifth of a long sweep's cost). */
static nd_status check_trace(const nd_ephys_trace *tr, int check_t, ephys_grid *g,
                             nd_error *err)
{
    if (!tr->t || !tr->v)
        return nd_error_fail(err, ND_EVALUE, "a sweep needs its times and voltages");
    if (tr->n_t != tr->n_v)
        return nd_error_fail(err, ND_EVALUE, "t has %zu samples but v has %zu: they must "
                             "have the same length", tr->n_t, tr->n_v);
    if (tr->i && tr->n_i != tr->n_t)
        return nd_error_fail(err, ND_EVALUE, "t has %zu samples but i has %zu: they must "
                             "have the same length", tr->n_t, tr->n_i);
    size_t n = tr->n_t;
    if (n < 3) return nd_error_fail(err, ND_EVALUE, "a sweep needs at least 3 samples");
    if ((check_t && !nd_all_finite(tr->t, n)) || !nd_all_finite(tr->v, n) ||
        (tr->i && !nd_all_finite(tr->i, n)))
        return nd_error_fail(err, ND_EVALUE, "t, v and i must be finite (no NaN or gaps)");
    double dt = (tr->t[n - 1] - tr->t[0]) / (double)(n - 1);
    for (size_t k = 1; check_t && k < n; k++)
        if (!(dt > 0) || fabs(tr->t[k] - tr->t[k - 1] - dt) > 1e-6 * dt)
            return nd_error_fail(err, ND_EVALUE, "t must increase in equal steps (sample %zu "
                                 "is %g ms after the one before; the mean step is %g ms)", k,
                                 tr->t[k] - tr->t[k - 1], dt);
    *g = (ephys_grid){tr->t, tr->v, n, dt};
    return ND_OK;
}

/* The stimulus window and amplitude: given, or found from i. */
static nd_status find_window(const nd_ephys_trace *tr, const ephys_grid *g,
                             nd_ephys_sweep *out, nd_error *err)
{
    int given_start = !isnan(tr->start), given_end = !isnan(tr->end);
    if (given_start != given_end)
        return nd_error_fail(err, ND_EVALUE, "give both ends of the stimulus window or "
                             "neither");
    if (!given_start) {
        if (!tr->i)
            return nd_error_fail(err, ND_EVALUE, "no stimulus window: give its start and end "
                                 "or the current i to find it in");
        nd_ephys_window w;
        nd_status st = nd_ephys_stimulus(g->t, tr->i, g->n, &w, err);
        if (st != ND_OK) return st;
        out->start = w.start;
        out->end = w.end;
        out->amplitude = isnan(tr->amplitude) ? w.amplitude : tr->amplitude;
        return ND_OK;
    }
    double last = g->t[g->n - 1] + g->dt;
    if (!(tr->start >= g->t[0] && tr->end > tr->start && tr->end <= last + 1e-9 * g->dt))
        return nd_error_fail(err, ND_EVALUE, "the stimulus window %g..%g ms is not inside "
                             "the sweep (%g..%g ms)", tr->start, tr->end, g->t[0], last);
    out->start = tr->start;
    out->end = tr->end;
    out->amplitude = tr->amplitude;
    if (isnan(out->amplitude) && tr->i)
        out->amplitude = ephys_mean(tr->i, ephys_index(g, tr->start),
                                    ephys_index(g, tr->end)) - tr->i[0];
    return ND_OK;
}

/* Count, rate, latency and the intervals, between thresholds (as ipfx). The nd_spikes
   view lends the interval statistics of the spikes command. */
static nd_status train(nd_ephys_sweep *s, nd_error *err)
{
    s->rate = 0;
    s->latency = s->isi_mean = s->isi_cv = s->adaptation = NAN;
    if (s->n_spikes == 0) return ND_OK;
    double *times = malloc(s->n_spikes * sizeof *times);
    if (!times) return nd_error_fail(err, ND_ENOMEM, "out of memory while measuring spikes");
    for (size_t k = 0; k < s->n_spikes; k++) times[k] = s->spikes[k].threshold_t;
    nd_spikes view = {.n = s->n_spikes, .times = times};
    s->rate = nd_spikes_rate(&view, s->start, s->end);
    /* a first spike riding the onset has no threshold to time it from */
    s->latency = s->spikes[0].threshold_lost ? NAN : times[0] - s->start;
    s->isi_mean = nd_spikes_isi_mean(&view);
    s->isi_cv = nd_spikes_isi_cv(&view);
    if (s->n_spikes >= 3) {
        double sum = 0;
        for (size_t k = 2; k < s->n_spikes; k++) {
            double a = times[k - 1] - times[k - 2], b = times[k] - times[k - 1];
            sum += (b - a) / (b + a);
        }
        s->adaptation = sum / (double)(s->n_spikes - 2);
    }
    free(times);
    return ND_OK;
}

/* Baseline, minimum, steady state, and for a hyperpolarising step the sag and, when it
   is silent, tau. */
static void subthreshold(const ephys_grid *g, size_t s0, size_t s1,
                         const nd_ephys_options *o, nd_ephys_sweep *s)
{
    const double *v = g->v;
    s->baseline = ephys_mean(v, ephys_index(g, s->start - o->baseline_ms), s0);
    size_t km = s0;
    for (size_t k = s0 + 1; k < s1; k++)
        if (v[k] < v[km]) km = k;
    s->v_min = v[km];
    s->t_min = g->t[km];
    s->steady = ephys_mean(v, ephys_index(g, s->end - o->steady_ms), s1);
    s->sag = s->tau = NAN;
    if (!(s->amplitude < 0)) return;
    double trough = ephys_mean(v, ephys_index(g, s->t_min - 0.5 * o->peak_ms),
                               ephys_index(g, s->t_min + 0.5 * o->peak_ms));
    double base = ephys_mean(v, ephys_index(g, s->start - o->steady_ms), s0);
    s->sag = (trough - s->steady) / (trough - base);
    if (s->n_spikes > 0 || isnan(s->baseline)) return;
    double level = s->baseline + o->tau_frac * (s->v_min - s->baseline);
    size_t a = s0;
    while (a < g->n && !(v[a] <= level)) a++;
    double tau, amp, y0;
    if (a < km && km - a >= 3 &&
        nd_ephys_fit_exp(g->t + a, v + a, km - a, &tau, &amp, &y0, NULL) == ND_OK)
        s->tau = tau;
}

/* nd_ephys_sweep_analyze, checking t when check_t. */
static nd_status analyze(const nd_ephys_trace *tr, int check_t, const nd_ephys_options *o,
                         nd_ephys_sweep *out, nd_error *err)
{
    *out = (nd_ephys_sweep){0};
    nd_ephys_options def;
    if (!o) {
        nd_ephys_options_default(&def);
        o = &def;
    }
    ephys_grid g;
    nd_status st = check_trace(tr, check_t, &g, err);
    if (st == ND_OK) st = find_window(tr, &g, out, err);
    if (st != ND_OK) return st;
    size_t s0 = ephys_index(&g, out->start), s1 = ephys_index(&g, out->end);
    if (s1 <= s0 + 1) {
        return nd_error_fail(err, ND_EVALUE, "the stimulus window %g..%g ms holds fewer than "
                             "2 samples", out->start, out->end);
    }
    st = ephys_spikes(&g, s0, s1, o, &out->spikes, &out->n_spikes, err);
    if (st == ND_OK) st = train(out, err);
    if (st != ND_OK) {
        nd_ephys_sweep_clear(out);
        return st;
    }
    subthreshold(&g, s0, s1, o, out);
    return ND_OK;
}

nd_status nd_ephys_sweep_analyze(const nd_ephys_trace *tr, const nd_ephys_options *o,
                                 nd_ephys_sweep *out, nd_error *err)
{
    return analyze(tr, 1, o, out, err);
}

nd_status ephys_sweep_analyze_uniform(const nd_ephys_trace *tr, const nd_ephys_options *o,
                                      nd_ephys_sweep *out, nd_error *err)
{
    return analyze(tr, 0, o, out, err);
}
