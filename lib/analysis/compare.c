/* The coincidence factor follows Jolivet et al. (2008), after Kistler et al. (1997): A is
   the reference (data), B the prediction (model); a Poisson train with B's rate ν would
   hit 2νΔ·N_A of A's spikes by chance, and 1 − 2νΔ normalises a perfect prediction to 1.
   Γ is computed as (N_coinc/N_A − 2νΔ) / ((N_A + N_B)/(2N_A) · (1 − 2νΔ)), the same
   quantity arranged so that identical trains give exactly 1 in floating point. */
#include "compare.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

void nd_compare_clear(nd_compare *c)
{
    free(c->dt);
    free(c->missing_at);
    free(c->extra_at);
    *c = (nd_compare){0};
}

/* The index of the first of the n sorted x that is >= v. */
static size_t lower_bound(const double *x, size_t n, double v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x[mid] < v) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

nd_status nd_compare_trains(const double *a, size_t na, const double *b, size_t nb,
                            double t0, double t1, double delta, nd_compare *out,
                            nd_error *err)
{
    *out = (nd_compare){0};
    out->dt_mean = out->dt_max = out->gamma = NAN;
    if (!(t1 > t0) || !isfinite(t0) || !isfinite(t1))
        return nd_error_fail(err, ND_EVALUE, "the two trains share no time window");
    if (!(delta > 0) || !isfinite(delta))
        return nd_error_fail(err, ND_EVALUE, "delta must be a positive time");
    out->delta = delta;
    out->window = t1 - t0;
    /* Only the spikes inside the common window take part. */
    size_t a0 = lower_bound(a, na, t0), a1 = lower_bound(a, na, nextafter(t1, INFINITY));
    size_t b0 = lower_bound(b, nb, t0), b1 = lower_bound(b, nb, nextafter(t1, INFINITY));
    out->n_a = a1 - a0;
    out->n_b = b1 - b0;
    unsigned char *taken = calloc(out->n_b ? out->n_b : 1, 1);
    out->dt = malloc((out->n_a ? out->n_a : 1) * sizeof *out->dt);
    out->missing_at = malloc((out->n_a ? out->n_a : 1) * sizeof *out->missing_at);
    out->extra_at = malloc((out->n_b ? out->n_b : 1) * sizeof *out->extra_at);
    if (!taken || !out->dt || !out->missing_at || !out->extra_at) {
        free(taken);
        nd_compare_clear(out);
        return nd_error_fail(err, ND_ENOMEM, "out of memory while comparing spike trains");
    }
    double sum = 0, worst = 0;
    for (size_t i = a0; i < a1; i++) {
        size_t best = SIZE_MAX;
        double bestd = INFINITY;
        for (size_t j = lower_bound(b + b0, out->n_b, a[i] - delta); j < out->n_b; j++) {
            double d = b[b0 + j] - a[i];
            if (d > delta) break;
            if (!taken[j] && fabs(d) <= delta && fabs(d) < bestd) best = j, bestd = fabs(d);
        }
        if (best == SIZE_MAX) {
            out->missing_at[out->missing++] = a[i];
            continue;
        }
        taken[best] = 1;
        double d = b[b0 + best] - a[i];
        out->dt[out->matched++] = d;
        sum += fabs(d);
        if (fabs(d) > worst) worst = fabs(d);
    }
    for (size_t j = 0; j < out->n_b; j++)
        if (!taken[j]) out->extra_at[out->extra++] = b[b0 + j];
    free(taken);
    if (out->matched) {
        out->dt_mean = sum / (double)out->matched;
        out->dt_max = worst;
    }
    double chance = 2 * ((double)out->n_b / out->window) * delta;   /* 2νΔ */
    if (chance < 1 && out->n_a > 0)
        out->gamma = ((double)out->matched / (double)out->n_a - chance) /
                     ((double)(out->n_a + out->n_b) / (2.0 * (double)out->n_a) * (1 - chance));
    else if (chance < 1 && out->n_b > 0)
        out->gamma = 0;   /* nothing to predict, and B fired: no coincidence, none expected */
    return ND_OK;
}

double nd_compare_rms(const double *ta, const double *va, size_t na, const double *tb,
                      const double *vb, size_t nb, double t0, double t1, size_t *used)
{
    size_t k = 0, j = 0;
    double ss = 0;
    if (nb > 0) {
        double lo = fmax(t0, tb[0]), hi = fmin(t1, tb[nb - 1]);
        for (size_t i = 0; i < na; i++) {
            if (ta[i] < lo || ta[i] > hi) continue;
            while (j + 1 < nb && tb[j + 1] <= ta[i]) j++;
            double v = vb[j];
            if (j + 1 < nb && tb[j + 1] > tb[j] && ta[i] > tb[j])
                v += (vb[j + 1] - vb[j]) * (ta[i] - tb[j]) / (tb[j + 1] - tb[j]);
            double d = va[i] - v;
            ss += d * d;
            k++;
        }
    }
    if (used) *used = k;
    return k ? sqrt(ss / (double)k) : NAN;
}
