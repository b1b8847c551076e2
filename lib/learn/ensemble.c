/* The arithmetic of ensembles (ensemble.h). */
#include "ensemble.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/rng.h"

/* Sub-streams of the seed: members far from the retries' 1, 2, … (nd_ude_attempt_seed),
   resamples far from both. */
#define MEMBER_STREAM (UINT64_C(1) << 40)
#define RESAMPLE_STREAM (UINT64_C(2) << 40)

uint64_t nd_ens_member_seed(uint64_t seed, size_t k)
{
    return k == 0 ? seed : nd_rng_derive(seed, MEMBER_STREAM + (uint64_t)k);
}

void nd_ens_resample(uint64_t member_seed, size_t n, size_t *idx)
{
    nd_rng r;
    nd_rng_seed(&r, nd_rng_derive(member_seed, RESAMPLE_STREAM));
    for (size_t i = 0; i < n; i++) {
        size_t j = (size_t)(nd_rng_uniform(&r) * (double)n);
        idx[i] = j < n ? j : n - 1;
    }
}

void nd_ens_mean_sd_of(const double *x, size_t n, size_t stride, double *mean, double *sd)
{
    double s = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i * stride])) s += x[i * stride], k++;
    *mean = k ? s / (double)k : NAN;
    double q = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i * stride])) q += (x[i * stride] - *mean) * (x[i * stride] - *mean);
    *sd = k > 1 ? sqrt(q / (double)(k - 1)) : NAN;
}

/* Allocates b's arrays for m points. */
static nd_status band_alloc(nd_ens_band *b, size_t m, nd_error *err)
{
    memset(b, 0, sizeof *b);
    b->m = m;
    b->mean = malloc((m + 1) * sizeof *b->mean);
    b->sd = malloc((m + 1) * sizeof *b->sd);
    b->lo = malloc((m + 1) * sizeof *b->lo);
    b->hi = malloc((m + 1) * sizeof *b->hi);
    b->n = calloc(m + 1, sizeof *b->n);
    if (!b->mean || !b->sd || !b->lo || !b->hi || !b->n) {
        nd_ens_band_free(b);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    return ND_OK;
}

static void band_edges(nd_ens_band *b, size_t j)
{
    b->lo[j] = b->mean[j] - ND_ENS_BAND_K * b->sd[j];
    b->hi[j] = b->mean[j] + ND_ENS_BAND_K * b->sd[j];
}

nd_status nd_ens_band_compute(const double *v, size_t nmem, size_t m, nd_ens_band *b,
                              nd_error *err)
{
    nd_status st = band_alloc(b, m, err);
    for (size_t j = 0; st == ND_OK && j < m; j++) {
        size_t k = 0;
        for (size_t i = 0; i < nmem; i++) k += isfinite(v[i * m + j]) != 0;
        b->n[j] = k;
        nd_ens_mean_sd_of(v + j, nmem, m, &b->mean[j], &b->sd[j]);
        band_edges(b, j);
    }
    return st;
}

nd_status nd_ens_band_of(const double *mean, const double *sd, size_t m, nd_ens_band *b,
                         nd_error *err)
{
    nd_status st = band_alloc(b, m, err);
    for (size_t j = 0; st == ND_OK && j < m; j++) {
        b->mean[j] = mean[j];
        b->sd[j] = sd[j];
        band_edges(b, j);
    }
    return st;
}

void nd_ens_band_free(nd_ens_band *b)
{
    free(b->mean);
    free(b->sd);
    free(b->lo);
    free(b->hi);
    free(b->n);
    memset(b, 0, sizeof *b);
}

double nd_ens_coverage(const nd_ens_band *b, const double *x, double noise, size_t *counted)
{
    size_t k = 0, in = 0;
    double n2 = isfinite(noise) ? noise * noise : 0;
    for (size_t j = 0; j < b->m; j++) {
        if (!isfinite(x[j]) || !isfinite(b->sd[j])) continue;
        k++;
        in += fabs(x[j] - b->mean[j]) <= ND_ENS_BAND_K * sqrt(b->sd[j] * b->sd[j] + n2);
    }
    if (counted) *counted = k;
    return k ? (double)in / (double)k : NAN;
}

double nd_ens_mean_sd(const nd_ens_band *b)
{
    double s = 0;
    size_t k = 0;
    for (size_t j = 0; j < b->m; j++)
        if (isfinite(b->sd[j])) s += b->sd[j], k++;
    return k ? s / (double)k : NAN;
}
