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

/* Adds sigma × N(0, 1) to column j and appends "V: sigma 0.05 × range = 5.83 mV, seed 42"
   (rel_sigma < 0: "V: sd 0.5 mV, seed 42") to the "noise" metadata, so a saved dataset
   says how it was made. */
static nd_status add(nd_dataset *ds, int j, double rel_sigma, double sigma, unsigned long seed,
                     nd_error *err)
{
    size_t n = nd_ds_rows(ds);
    double *x = nd_ds_col_mut(ds, (size_t)j);
    nd_rng rng;
    nd_rng_seed(&rng, (uint64_t)seed);
    for (size_t i = 0; i < n; i++) {
        /* drawn for every row, finite or not, so row i's noise does not depend on gaps */
        double z = nd_rng_normal(&rng);
        if (isfinite(x[i])) x[i] += sigma * z;
    }
    nd_sb sb;
    nd_sb_init(&sb);
    const char *old = nd_ds_meta(ds, "noise");
    if (old) nd_sb_printf(&sb, "%s; ", old);
    if (rel_sigma >= 0)
        nd_sb_printf(&sb, "%s: sigma %g × range = %g", nd_ds_name(ds, (size_t)j), rel_sigma, sigma);
    else
        nd_sb_printf(&sb, "%s: sd %g", nd_ds_name(ds, (size_t)j), sigma);
    if (nd_ds_unit(ds, (size_t)j)) nd_sb_printf(&sb, " %s", nd_ds_unit(ds, (size_t)j));
    nd_sb_printf(&sb, ", seed %lu", seed);
    char *text = nd_sb_take(&sb);
    nd_status st = text ? nd_ds_set_meta(ds, "noise", text) : ND_ENOMEM;
    free(text);
    return st == ND_OK ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory recording the noise");
}

nd_status nd_ds_add_noise(nd_dataset *ds, const char *col, double rel_sigma,
                          unsigned long seed, nd_error *err)
{
    int j = nd_ds_find(ds, col);
    if (j < 0) return nd_error_fail(err, ND_ENAME, "the dataset has no column '%s'", col);
    if (!isfinite(rel_sigma) || rel_sigma < 0)
        return nd_error_fail(err, ND_EVALUE, "noise must be a finite fraction >= 0, not %g",
                             rel_sigma);
    double lo, hi;
    double sigma = nd_finite_range(nd_ds_col(ds, (size_t)j), nd_ds_rows(ds), &lo, &hi)
                 ? rel_sigma * (hi - lo) : 0.0;
    return add(ds, j, rel_sigma, sigma, seed, err);
}

nd_status nd_ds_add_noise_sd(nd_dataset *ds, const char *col, double sd, unsigned long seed,
                             nd_error *err)
{
    int j = nd_ds_find(ds, col);
    if (j < 0) return nd_error_fail(err, ND_ENAME, "the dataset has no column '%s'", col);
    if (!isfinite(sd) || sd < 0)
        return nd_error_fail(err, ND_EVALUE, "noise_sd must be a finite number >= 0, not %g", sd);
    return add(ds, j, -1, sd, seed, err);
}

static int noisy(const nd_dataset *ds, size_t j, const char *except)
{
    return j > 0 && !(except && strcmp(nd_ds_name(ds, j), except) == 0);
}

/* A column that varies by less than 0.01 % of its size (a resting trace, a constant):
   noise relative to its range is none at all, or far below any recording's. */
static int flat(const double *x, size_t n)
{
    double lo, hi;
    if (!nd_finite_range(x, n, &lo, &hi)) return 1;
    return hi - lo <= 1e-4 * fmax(fabs(lo), fabs(hi));
}

/* "a, b and c": the noisy columns (flat_only: the flat ones) */
static void list_columns(const nd_dataset *ds, const char *except, int flat_only, nd_sb *sb,
                         size_t *count)
{
    size_t total = 0, k = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t j = 0; j < nd_ds_cols(ds); j++) {
            if (!noisy(ds, j, except)) continue;
            if (flat_only && !flat(nd_ds_col(ds, j), nd_ds_rows(ds))) continue;
            if (pass == 0) {
                total++;
                continue;
            }
            k++;
            nd_sb_printf(sb, "%s%s", k == 1 ? "" : k == total ? " and " : ", ", nd_ds_name(ds, j));
        }
    *count = total;
}

nd_status nd_ds_add_noise_all(nd_dataset *ds, const nd_noise *nz, const char *except,
                              char *warn, size_t cap, nd_error *err)
{
    if (warn && cap) warn[0] = '\0';
    size_t count = 0;
    nd_sb names;
    nd_sb_init(&names);
    nd_status st = ND_OK;
    if (nz->rel > 0 && nz->sd)
        st = nd_error_fail(err, ND_EVALUE, "noise= (a fraction of each variable's range) and "
                           "noise_sd= (in the variables' units) cannot both be given");
    list_columns(ds, except, 0, &names, &count);
    if (st == ND_OK && nz->sd && nz->nsd != 1 && nz->nsd != count)
        st = nd_error_fail(err, ND_EVALUE, "noise_sd gives %zu values for %zu noisy column%s "
                           "(%s): give one for all, or one each in that order", nz->nsd, count,
                           count == 1 ? "" : "s", names.len ? names.data : "none");
    nd_sb_free(&names);
    if (st == ND_OK && nz->rel > 0 && warn && cap) {
        nd_sb flats;
        nd_sb_init(&flats);
        list_columns(ds, except, 1, &flats, &count);
        if (count)
            snprintf(warn, cap, "noise=%g is a fraction of each variable's range, and %s "
                     "barely changed over the run (by less than 0.01 %%): %s almost no noise; "
                     "noise_sd= gives it in the variables' units", nz->rel,
                     flats.len ? flats.data : "some variables",
                     count == 1 ? "it has" : "they have");
        nd_sb_free(&flats);
    }
    for (size_t j = 1, k = 0; st == ND_OK && j < nd_ds_cols(ds); j++) {
        if (!noisy(ds, j, except)) continue;
        const char *name = nd_ds_name(ds, j);
        if (nz->sd)
            st = nd_ds_add_noise_sd(ds, name, nz->sd[nz->nsd == 1 ? 0 : k], nz->seed + j, err);
        else if (nz->rel > 0)
            st = nd_ds_add_noise(ds, name, nz->rel, nz->seed + j, err);
        k++;
    }
    return st;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Gasser, Sroka & Jennen-Steinmetz (1986): e_i = a y_{i-1} + b y_{i+1} - y_i with a, b the
   linear-interpolation weights has variance (a² + b² + 1) σ² when y is noise on a locally
   linear signal; the MAD of e / sqrt(a² + b² + 1), times 1.4826, estimates σ robustly. */
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
