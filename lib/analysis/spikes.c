/* Threshold-crossing spike detection. The hysteresis band keeps noise around the
   threshold from counting one spike twice, and requiring the way back down keeps a
   depolarisation block (v stuck above threshold) from being counted as spikes. */
#include "spikes.h"

#include <math.h>
#include <stdlib.h>

void nd_spikes_clear(nd_spikes *s)
{
    free(s->times);
    free(s->peak_times);
    free(s->peaks);
    *s = (nd_spikes){0};
    s->block_start = NAN;
}

static int push(nd_spikes *s, size_t *cap, double t, double tp, double vp)
{
    if (s->n == *cap) {
        size_t c = *cap ? 2 * *cap : 16;
        double *a = realloc(s->times, c * sizeof *a);
        if (!a) return -1;
        s->times = a;
        double *b = realloc(s->peak_times, c * sizeof *b);
        if (!b) return -1;
        s->peak_times = b;
        double *d = realloc(s->peaks, c * sizeof *d);
        if (!d) return -1;
        s->peaks = d;
        *cap = c;
    }
    s->times[s->n] = t;
    s->peak_times[s->n] = tp;
    s->peaks[s->n] = vp;
    s->n++;
    return 0;
}

nd_status nd_spikes_detect(const double *t, const double *v, size_t n, double threshold,
                           double hysteresis, nd_spikes *out, nd_error *err)
{
    *out = (nd_spikes){0};
    out->block_start = NAN;
    out->threshold = threshold;
    if (!isfinite(threshold) || !(hysteresis >= 0) || !isfinite(hysteresis))
        return nd_error_fail(err, ND_EVALUE, "the threshold and hysteresis must be finite "
                             "(hysteresis >= 0)");
    size_t cap = 0;
    /* A trace that starts above threshold is not in a spike we saw begin. */
    int above = n > 0 && v[0] >= threshold, in_spike = 0;
    double t_up = 0, t_peak = 0, v_peak = -INFINITY;
    for (size_t i = 1; i < n; i++) {
        if (!above && v[i - 1] < threshold && v[i] >= threshold) {
            double f = (threshold - v[i - 1]) / (v[i] - v[i - 1]);
            t_up = t[i - 1] + f * (t[i] - t[i - 1]);
            above = in_spike = 1;
            v_peak = -INFINITY;
        }
        if (in_spike && v[i] > v_peak) {
            v_peak = v[i];
            t_peak = t[i];
        }
        if (above && v[i] < threshold - hysteresis) {
            if (in_spike && push(out, &cap, t_up, t_peak, v_peak) != 0) {
                nd_spikes_clear(out);
                return nd_error_fail(err, ND_ENOMEM, "out of memory while collecting spikes");
            }
            above = in_spike = 0;
        }
    }
    if (in_spike) out->block_start = t_up;
    return ND_OK;
}

double nd_spikes_rate(const nd_spikes *s, double t0, double t1)
{
    if (!(t1 > t0)) return NAN;
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) k += s->times[i] >= t0 && s->times[i] <= t1;
    return 1000.0 * (double)k / (t1 - t0);
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
    return sqrt(ss / (double)(s->n - 2)) / mean;
}
