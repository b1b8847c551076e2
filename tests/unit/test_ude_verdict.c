/* lib/learn/ude_verdict.h and what it rests on: the noise estimator (lib/data/noise.h),
   retry seeds (lib/base/rng.h) and the verdict's rules on synthetic traces whose answer
   is known by construction. */
#include "test.h"

#include <stdlib.h>

#include "../../lib/base/rng.h"
#include "../../lib/data/noise.h"
#include "../../lib/learn/ude.h"
#include "../../lib/learn/ude_verdict.h"

enum { N = 20000 };

/* A smooth signal plus Gaussian noise of SD sd (seeded): y[i], on t[i]. */
static void noisy_sine(double *t, double *y, size_t n, double sd, uint64_t seed, int uneven)
{
    nd_rng r;
    nd_rng_seed(&r, seed);
    double tt = 0;
    for (size_t i = 0; i < n; i++) {
        t[i] = tt;
        y[i] = 10 * sin(0.05 * tt) + sd * nd_rng_normal(&r);
        tt += uneven ? 0.05 + 0.1 * nd_rng_uniform(&r) : 0.1;
    }
}

TEST(noise_estimate_recovers_a_known_sd)
{
    double *t = malloc(N * sizeof *t), *y = malloc(N * sizeof *y);
    /* MAD of 20,000 pseudo-residuals: its standard error is about 1 %. */
    noisy_sine(t, y, N, 0.3, 11, 0);
    CHECK(fabs(nd_noise_sd_estimate(t, y, N) / 0.3 - 1) < 0.03);
    noisy_sine(t, y, N, 2.0, 12, 1);   /* uneven spacing: Gasser's weights */
    CHECK(fabs(nd_noise_sd_estimate(t, y, N) / 2.0 - 1) < 0.03);
    /* Spikes on 3 % of the samples: the median ignores them. */
    noisy_sine(t, y, N, 0.3, 13, 0);
    for (size_t i = 0; i < N; i += 100)
        for (size_t k = 0; k < 3; k++) y[i + k] += 100;
    CHECK(fabs(nd_noise_sd_estimate(t, y, N) / 0.3 - 1) < 0.05);
    /* NaN samples are skipped; too few samples give NAN. */
    y[5] = NAN;
    CHECK(isfinite(nd_noise_sd_estimate(t, y, N)));
    CHECK(isnan(nd_noise_sd_estimate(t, y, 2)));
    free(t);
    free(y);
}

TEST(retry_seeds_never_meet_user_seeds)
{
    for (uint64_t seed = 0; seed < 50; seed++) {
        CHECK(nd_ude_attempt_seed(seed, 1) == seed);
        for (int attempt = 2; attempt <= 4; attempt++) {
            uint64_t s = nd_ude_attempt_seed(seed, attempt);
            CHECK(s == nd_ude_attempt_seed(seed, attempt));   /* deterministic */
            CHECK(s >= (1ULL << 63));                          /* beyond typed seeds */
            for (uint64_t k = 1; k <= 1000; k++) CHECK(s != seed + k);
            /* the old scheme's collision: seed 12 retried was seed 13 */
            CHECK(s != nd_ude_attempt_seed(seed + 1, attempt - 1));
            CHECK(s != nd_ude_attempt_seed(seed + 1, attempt));
        }
        CHECK(nd_ude_attempt_seed(seed, 2) != nd_ude_attempt_seed(seed, 3));
    }
}

/* A train of spikes: Gaussian bumps of height 100 mV from -65 mV, 0.5 ms wide. */
static double bump_train(double t, const double *at, size_t n)
{
    double v = -65;
    for (size_t k = 0; k < n; k++) v += 100 * exp(-0.5 * pow((t - at[k]) / 0.5, 2));
    return v;
}

enum { M = 1001 };   /* 0..100 ms every 0.1 ms */

static void spike_case(const double *data_at, size_t nd, const double *model_at, size_t nm,
                       nd_ude_check *c)
{
    static double t[M], data[M], model[M];
    nd_rng r;
    nd_rng_seed(&r, 5);
    for (size_t i = 0; i < M; i++) {
        t[i] = 0.1 * (double)i;
        data[i] = bump_train(t[i], data_at, nd) + 2.0 * nd_rng_normal(&r);
        model[i] = bump_train(t[i], model_at, nm);
    }
    CHECK_INT(nd_ude_check_var(t, data, model, M, c, NULL), ND_OK);
}

TEST(verdict_passes_a_model_equal_to_the_noise_free_data)
{
    const double at[] = {10, 30, 50, 70};
    nd_ude_check c;
    spike_case(at, 4, at, 4, &c);
    CHECK(c.ok);
    CHECK(c.spiking);
    CHECK_INT((int)c.spikes.n_a, 4);
    CHECK_INT((int)c.spikes.matched, 4);
    CHECK(fabs(c.noise / 2.0 - 1) < 0.15);             /* 1000 samples: ~4 % error */
    CHECK(fabs(c.rms / 2.0 - 1) < 0.1);                /* the residual is the noise */
    for (size_t i = 0; i < c.spikes.matched; i++) CHECK(fabs(c.spikes.dt[i]) < 0.1);
    nd_ude_check_clear(&c);
}

TEST(verdict_fails_a_missed_spike_and_says_when)
{
    const double data_at[] = {10, 30, 50, 70}, model_at[] = {10, 30, 70};
    nd_ude_check c;
    spike_case(data_at, 4, model_at, 3, &c);
    CHECK(!c.ok);
    CHECK_INT((int)c.spikes.missing, 1);
    CHECK_INT((int)c.spikes.extra, 0);
    /* the threshold is halfway up, crossed 0.5·sqrt(2 ln 2) = 0.59 ms before the peak */
    CHECK(c.spikes.missing == 1 && fabs(c.spikes.missing_at[0] - 49.41) < 0.1);
    nd_ude_verdict v = {0, 1, &c};
    snprintf(c.name, sizeof c.name, "V");
    char *text = nd_ude_verdict_text(&v);
    CHECK_CONTAINS(text, "NOT a good fit: the model misses 1 of the 4 spikes of V (at 49.");
    free(text);
    nd_ude_check_clear(&c);
}

TEST(verdict_fails_an_extra_spike_and_a_shifted_one)
{
    const double data_at[] = {10, 30, 50}, extra[] = {10, 30, 40, 50};
    nd_ude_check c;
    spike_case(data_at, 3, extra, 4, &c);
    CHECK(!c.ok);
    CHECK_INT((int)c.spikes.extra, 1);
    CHECK(c.spikes.extra == 1 && fabs(c.spikes.extra_at[0] - 39.41) < 0.05);
    nd_ude_check_clear(&c);
    /* 1 ms late: every spike matched within the window, but the residual is far above
       the noise */
    const double late[] = {11, 31, 51};
    spike_case(data_at, 3, late, 3, &c);
    CHECK(!c.ok);
    CHECK_INT((int)c.spikes.matched, 3);
    CHECK(c.rms > 3 * c.noise);
    nd_ude_check_clear(&c);
}

TEST(verdict_on_silent_data_compares_no_spikes)
{
    nd_ude_check c;
    spike_case(NULL, 0, NULL, 0, &c);
    CHECK(c.ok);
    CHECK(!c.spiking);   /* noise alone spans under 10 SDs */
    nd_ude_check_clear(&c);
    /* a model that fires where the data are silent fails on its residual */
    const double at[] = {40};
    spike_case(NULL, 0, at, 1, &c);
    CHECK(!c.ok);
    nd_ude_check_clear(&c);
}
