/* Noise relative to the signal's range rather than to each value: relative-to-value noise
   would vanish near zero crossings and explode on spikes, which no recording does. */
#include "noise.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/range.h"
#include "../base/rng.h"
#include "../base/strbuf.h"

/* Appends "V: sigma 0.05 × range = 5.83 mV, seed 42" to the "noise" metadata, so a saved
   dataset says how it was made. */
static nd_status note(nd_dataset *ds, int j, double rel_sigma, double sigma, unsigned long seed)
{
    nd_sb sb;
    nd_sb_init(&sb);
    const char *old = nd_ds_meta(ds, "noise");
    if (old) nd_sb_printf(&sb, "%s; ", old);
    nd_sb_printf(&sb, "%s: sigma %g × range = %g", nd_ds_name(ds, (size_t)j), rel_sigma, sigma);
    if (nd_ds_unit(ds, (size_t)j)) nd_sb_printf(&sb, " %s", nd_ds_unit(ds, (size_t)j));
    nd_sb_printf(&sb, ", seed %lu", seed);
    char *text = nd_sb_take(&sb);
    nd_status st = text ? nd_ds_set_meta(ds, "noise", text) : ND_ENOMEM;
    free(text);
    return st;
}

nd_status nd_ds_add_noise(nd_dataset *ds, const char *col, double rel_sigma,
                          unsigned long seed, nd_error *err)
{
    int j = nd_ds_find(ds, col);
    if (j < 0) return nd_error_fail(err, ND_ENAME, "the dataset has no column '%s'", col);
    if (!isfinite(rel_sigma) || rel_sigma < 0)
        return nd_error_fail(err, ND_EVALUE, "noise must be a finite fraction >= 0, not %g",
                             rel_sigma);
    size_t n = nd_ds_rows(ds);
    double *x = nd_ds_col_mut(ds, (size_t)j);
    double lo, hi;
    double sigma = nd_finite_range(x, n, &lo, &hi) ? rel_sigma * (hi - lo) : 0.0;
    nd_rng rng;
    nd_rng_seed(&rng, (uint64_t)seed);
    for (size_t i = 0; i < n; i++) {
        /* drawn for every row, finite or not, so row i's noise does not depend on gaps */
        double z = nd_rng_normal(&rng);
        if (isfinite(x[i])) x[i] += sigma * z;
    }
    if (note(ds, j, rel_sigma, sigma, seed) != ND_OK)
        return nd_error_fail(err, ND_ENOMEM, "out of memory recording the noise");
    return ND_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Gasser, Sroka & Jennen-Steinmetz (1986): e_i = a y_{i-1} + b y_{i+1} - y_i with a, b the
   linear-interpolation weights has variance (a² + b² + 1) σ² when y is noise on a locally
   linear signal; the MAD of e / sqrt(a² + b² + 1), times 1.4826, estimates σ robustly. */
nd_status nd_ds_add_noise_all(nd_dataset *ds, double rel_sigma, unsigned long seed,
                              const char *except, nd_error *err)
{
    for (size_t j = 1; j < nd_ds_cols(ds); j++) {
        if (except && strcmp(nd_ds_name(ds, j), except) == 0) continue;
        nd_status st = nd_ds_add_noise(ds, nd_ds_name(ds, j), rel_sigma, seed + j, err);
        if (st != ND_OK) return st;
    }
    return ND_OK;
}

double nd_noise_sd_estimate(const double *t, const double *y, size_t n)
{
    double *e = n >= 3 ? malloc((n - 2) * sizeof *e) : NULL;
    if (!e) return NAN;
    size_t m = 0, prev = n, cur = n;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(y[i]) || !isfinite(t[i])) continue;
        if (prev < n) {
            double h = t[i] - t[prev];
            if (h > 0) {
                double a = (t[i] - t[cur]) / h, b = (t[cur] - t[prev]) / h;
                e[m++] = fabs(a * y[prev] + b * y[i] - y[cur]) / sqrt(a * a + b * b + 1);
            }
        }
        prev = cur;
        cur = i;
    }
    double sd = NAN;
    if (m) {
        qsort(e, m, sizeof *e, cmp_double);
        double med = m % 2 ? e[m / 2] : 0.5 * (e[m / 2 - 1] + e[m / 2]);
        sd = 1.482602218505602 * med;
    }
    free(e);
    return sd;
}
