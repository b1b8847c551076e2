/* Threshold-crossing spike detection. The hysteresis band keeps noise around the
   threshold from counting one spike twice, requiring the way back down keeps a
   depolarisation block (v stuck above threshold) from being counted as spikes, and the
   minimum amplitude keeps a wobble that just grazes the threshold from counting at all.
   One scan finds where each spike crosses and peaks (as sample indices); the callers
   then place them: linearly, by a parabola, or on the solver's continuous solution. */
#include "spikes.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

void nd_spikes_clear(nd_spikes *s)
{
    free(s->times);
    free(s->peak_times);
    free(s->peaks);
    *s = (nd_spikes){0};
    s->block_start = NAN;
}

/* A spike as the scan saw it: v[up-1] < threshold <= v[up], highest sample at peak. */
typedef struct mark {
    size_t up, peak;
} mark;

typedef struct marks {
    mark *m;
    size_t n, cap;
    size_t block_up;        /* the crossing that never came back down, or SIZE_MAX */
} marks;

static int push_mark(marks *ms, size_t up, size_t peak)
{
    if (ms->n == ms->cap) {
        size_t c = ms->cap ? 2 * ms->cap : 16;
        mark *a = realloc(ms->m, c * sizeof *a);
        if (!a) return -1;
        ms->m = a;
        ms->cap = c;
    }
    ms->m[ms->n++] = (mark){up, peak};
    return 0;
}

/* Scans v for spikes of the given threshold, hysteresis and minimum amplitude. */
static nd_status scan(const double *v, size_t n, double threshold, double hysteresis,
                      double min_amplitude, marks *ms, nd_error *err)
{
    *ms = (marks){.block_up = SIZE_MAX};
    if (!isfinite(threshold) || !(hysteresis >= 0) || !isfinite(hysteresis) ||
        !(min_amplitude >= 0))
        return nd_error_fail(err, ND_EVALUE, "the threshold and hysteresis must be finite "
                             "(hysteresis >= 0)");
    /* A trace that starts above threshold is not in a spike we saw begin. */
    int above = n > 0 && v[0] >= threshold, in_spike = 0;
    size_t up = 0, peak = 0;
    double low = n > 0 ? v[0] : 0;   /* lowest value since the previous spike ended */
    for (size_t i = 1; i < n; i++) {
        if (!above && v[i - 1] < threshold && v[i] >= threshold) {
            up = peak = i;
            above = in_spike = 1;
        }
        if (in_spike && v[i] > v[peak]) peak = i;
        if (!in_spike && v[i] < low) low = v[i];
        if (above && v[i] < threshold - hysteresis) {
            if (in_spike && v[peak] - low >= min_amplitude && push_mark(ms, up, peak) != 0) {
                free(ms->m);
                *ms = (marks){.block_up = SIZE_MAX};
                return nd_error_fail(err, ND_ENOMEM, "out of memory while collecting spikes");
            }
            above = in_spike = 0;
            low = v[i];
        }
    }
    if (in_spike && v[peak] - low >= min_amplitude) ms->block_up = up;
    return ND_OK;
}

/* Where v crosses level between samples i-1 and i, linearly. */
static double linear_crossing(const double *t, const double *v, size_t i, double level)
{
    double f = (level - v[i - 1]) / (v[i] - v[i - 1]);
    return t[i - 1] + f * (t[i] - t[i - 1]);
}

/* Allocates out's arrays for ms->n spikes and sets the block. */
static nd_status prepare(nd_spikes *out, const marks *ms, const double *t, const double *v,
                         double threshold, nd_error *err)
{
    *out = (nd_spikes){0};
    out->threshold = threshold;
    out->block_start = ms->block_up == SIZE_MAX ? NAN : linear_crossing(t, v, ms->block_up,
                                                                         threshold);
    size_t k = ms->n ? ms->n : 1;
    out->times = malloc(k * sizeof(double));
    out->peak_times = malloc(k * sizeof(double));
    out->peaks = malloc(k * sizeof(double));
    if (!out->times || !out->peak_times || !out->peaks) {
        nd_spikes_clear(out);
        return nd_error_fail(err, ND_ENOMEM, "out of memory while collecting spikes");
    }
    out->n = ms->n;
    return ND_OK;
}

nd_status nd_spikes_detect(const double *t, const double *v, size_t n, double threshold,
                           double hysteresis, nd_spikes *out, nd_error *err)
{
    marks ms;
    *out = (nd_spikes){0};
    out->block_start = NAN;
    out->threshold = threshold;
    nd_status st = scan(v, n, threshold, hysteresis, 0, &ms, err);
    if (st == ND_OK) st = prepare(out, &ms, t, v, threshold, err);
    for (size_t j = 0; st == ND_OK && j < ms.n; j++) {
        out->times[j] = linear_crossing(t, v, ms.m[j].up, threshold);
        out->peak_times[j] = t[ms.m[j].peak];
        out->peaks[j] = v[ms.m[j].peak];
    }
    free(ms.m);
    return st;
}

/* The vertex of the parabola through the highest sample i and its neighbours: the peak
   between samples, to O(h^3) for a smooth maximum. Stays on the sample when the three
   points do not bracket a maximum (an edge, a plateau). */
static void parabola_peak(const double *t, const double *v, size_t n, size_t i,
                          double *tp, double *vp)
{
    *tp = t[i];
    *vp = v[i];
    if (i == 0 || i + 1 >= n) return;
    double x0 = t[i - 1] - t[i], x2 = t[i + 1] - t[i];
    double d0 = v[i - 1] - v[i], d2 = v[i + 1] - v[i];
    /* v - v[i] = a x^2 + b x through (x0, d0), (x2, d2). */
    double den = x0 * x2 * (x0 - x2);
    if (!(x0 < 0 && x2 > 0) || den == 0) return;
    double a = (d0 * x2 - d2 * x0) / den, b = (d2 * x0 * x0 - d0 * x2 * x2) / den;
    if (!(a < 0)) return;
    double x = -b / (2 * a);
    if (!(x > x0 && x < x2)) return;
    *tp = t[i] + x;
    *vp = v[i] + a * x * x + b * x;
}

/* Is point k+1 a reset of the variable: the same instant, a lower value? */
static int is_reset(const double *tk, const double *vk, size_t k)
{
    return tk[k + 1] == tk[k] && vk[k + 1] < vk[k];
}

/* A spike at each reset of the variable, peaking at the value before it. */
static nd_status find_resets(const double *tk, const double *vk, size_t m, nd_spikes *out,
                             nd_error *err)
{
    marks ms = {.block_up = SIZE_MAX};
    nd_status st = ND_OK;
    for (size_t k = 0; k + 1 < m && st == ND_OK; k++)
        if (is_reset(tk, vk, k) && push_mark(&ms, k, k) != 0)
            st = nd_error_fail(err, ND_ENOMEM, "out of memory while collecting spikes");
    if (st == ND_OK) st = prepare(out, &ms, tk, vk, NAN, err);
    for (size_t j = 0; st == ND_OK && j < ms.n; j++) {
        out->times[j] = out->peak_times[j] = tk[ms.m[j].peak];
        out->peaks[j] = vk[ms.m[j].peak];
    }
    free(ms.m);
    return st;
}

/* Detection on the solver's points, crossings and peaks on its continuous solution. */
static nd_status find_dense(const nd_dense *d, size_t var, const nd_spikes_rule *rule,
                            nd_spikes *out, nd_error *err)
{
    size_t m = nd_dense_count(d);
    const double *tk = nd_dense_times(d);
    double *vk = malloc((m ? m : 1) * sizeof *vk);
    if (!vk) return nd_error_fail(err, ND_ENOMEM, "out of memory while collecting spikes");
    nd_dense_values(d, var, vk);
    if (rule->kind == ND_SPIKES_RESET) {
        nd_status st = find_resets(tk, vk, m, out, err);
        if (st == ND_OK) out->dense = 1;
        free(vk);
        return st;
    }
    marks ms;
    nd_status st = scan(vk, m, rule->threshold, rule->hysteresis, rule->min_amplitude, &ms,
                        err);
    if (st == ND_OK) st = prepare(out, &ms, tk, vk, rule->threshold, err);
    if (st == ND_OK && ms.block_up != SIZE_MAX)
        out->block_start = nd_dense_cross(d, var, ms.block_up - 1, rule->threshold);
    for (size_t j = 0; st == ND_OK && j < ms.n; j++) {
        size_t up = ms.m[j].up, pk = ms.m[j].peak;
        out->times[j] = nd_dense_cross(d, var, up - 1, rule->threshold);
        /* The true maximum lies on a segment next to the highest point. */
        double best = vk[pk], tbest = tk[pk];
        for (size_t k = pk > 0 ? pk - 1 : 0; k <= pk && k + 1 < m; k++) {
            if (!(tk[k + 1] > tk[k])) continue;
            double tm, vm = nd_dense_max(d, var, k, &tm);
            if (vm > best) best = vm, tbest = tm;
        }
        out->peak_times[j] = tbest;
        out->peaks[j] = best;
    }
    if (st == ND_OK) out->dense = 1;
    free(ms.m);
    free(vk);
    return st;
}

nd_status nd_spikes_find(const double *t, const double *v, size_t n, const nd_dense *dense,
                         const char *name, const nd_spikes_rule *rule, nd_spikes *out,
                         nd_error *err)
{
    *out = (nd_spikes){0};
    out->block_start = NAN;
    out->threshold = rule->threshold;
    int var = dense && name ? nd_dense_find(dense, name) : -1;
    if (var >= 0 && nd_dense_count(dense) >= 2) return find_dense(dense, (size_t)var, rule, out, err);
    if (rule->kind == ND_SPIKES_RESET)
        return nd_error_fail(err, ND_EVALUE, "spikes at resets need the solver's continuous "
                             "solution (a simulation); give a threshold instead");
    marks ms;
    nd_status st = scan(v, n, rule->threshold, rule->hysteresis, rule->min_amplitude, &ms, err);
    if (st == ND_OK) st = prepare(out, &ms, t, v, rule->threshold, err);
    for (size_t j = 0; st == ND_OK && j < ms.n; j++) {
        out->times[j] = linear_crossing(t, v, ms.m[j].up, rule->threshold);
        parabola_peak(t, v, n, ms.m[j].peak, &out->peak_times[j], &out->peaks[j]);
    }
    free(ms.m);
    return st;
}

nd_status nd_spikes_dataset(const nd_dataset *ds, size_t col, const nd_spikes_rule *rule,
                            nd_spikes *out, nd_spikes_rule *used, nd_error *err)
{
    const double *t = nd_ds_col(ds, 0), *v = nd_ds_col(ds, col);
    size_t n = nd_ds_rows(ds);
    nd_spikes_rule def;
    if (!rule) {
        nd_spikes_rule_for(ds, col, &def);
        rule = &def;
    }
    if (used) *used = *rule;
    return nd_spikes_find(t, v, n, nd_ds_dense(ds), nd_ds_name(ds, col), rule, out, err);
}

void nd_spikes_rule_for(const nd_dataset *ds, size_t col, nd_spikes_rule *out)
{
    const nd_dense *d = nd_ds_dense(ds);
    int var = d ? nd_dense_find(d, nd_ds_name(ds, col)) : -1;
    size_t m = d ? nd_dense_count(d) : 0;
    double *vk = var >= 0 && m >= 2 ? malloc(m * sizeof *vk) : NULL;
    int resets = 0;
    if (vk) {
        nd_dense_values(d, (size_t)var, vk);
        for (size_t k = 0; k + 1 < m && !resets; k++) resets = is_reset(nd_dense_times(d), vk, k);
        free(vk);
    }
    if (resets) *out = (nd_spikes_rule){ND_SPIKES_RESET, NAN, 0, 0};
    else nd_spikes_rule_default(nd_ds_name(ds, col), nd_ds_unit(ds, col), nd_ds_col(ds, col),
                                nd_ds_rows(ds), out);
}

void nd_spikes_isi(const nd_spikes *s, double *isi)
{
    for (size_t i = 1; i < s->n; i++) isi[i - 1] = s->times[i] - s->times[i - 1];
}

double nd_spikes_rate(const nd_spikes *s, double t0, double t1)
{
    if (!(t1 > t0)) return NAN;
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) k += s->times[i] >= t0 && s->times[i] <= t1;
    return 1000.0 * (double)k / (t1 - t0);
}

double nd_spikes_isi_rate(const nd_spikes *s)
{
    if (s->n == 0) return 0;   /* a silent trace fires at 0 Hz, not at an unknown rate */
    return 1000.0 / nd_spikes_isi_mean(s);
}

double nd_spikes_isi_mean(const nd_spikes *s)
{
    if (s->n < 2) return NAN;
    return (s->times[s->n - 1] - s->times[0]) / (double)(s->n - 1);
}

double nd_spikes_isi_cv(const nd_spikes *s)
{
    if (s->n < 3) return NAN;
    double mean = nd_spikes_isi_mean(s), ss = 0;
    for (size_t i = 1; i < s->n; i++) {
        double d = s->times[i] - s->times[i - 1] - mean;
        ss += d * d;
    }
    double cv = sqrt(ss / (double)(s->n - 2)) / mean;
    return cv < 1e-12 ? 0 : cv;
}
