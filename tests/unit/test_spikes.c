/* Spike detection on synthetic traces with known spike times. */
#include "test.h"

#include <stdlib.h>

#include "../../lib/analysis/spikes.h"

enum { N = 20001 };   /* 0..200 ms at 0.01 ms */

/* A resting trace at -65 with narrow Gaussian spikes of height 100 at the given times. */
static void spike_train(double *t, double *v, const double *at, size_t k)
{
    for (size_t i = 0; i < N; i++) {
        t[i] = 0.01 * (double)i;
        v[i] = -65;
        for (size_t j = 0; j < k; j++) v[i] += 105 * exp(-pow((t[i] - at[j]) / 0.4, 2));
    }
}

TEST(spikes_found_at_their_times)
{
    static double t[N], v[N];
    const double at[] = {20, 45.5, 71, 96.5, 122};
    spike_train(t, v, at, 5);
    nd_spikes s;
    CHECK_INT(nd_spikes_detect(t, v, N, -20, 10, &s, NULL), ND_OK);
    CHECK_INT(s.n, 5);
    /* The crossing of -20 mV comes before the peak: 105 exp(-(d/0.4)^2) = 45 at d = 0.368. */
    for (size_t i = 0; i < s.n && i < 5; i++) {
        CHECK_NEAR(s.times[i], at[i] - 0.4 * sqrt(log(105.0 / 45.0)), 2e-4);
        CHECK_NEAR(s.peak_times[i], at[i], 1e-9);
        CHECK_NEAR(s.peaks[i], 40, 1e-9);
    }
    CHECK(isnan(s.block_start));
    CHECK_NEAR(nd_spikes_isi_mean(&s), 25.5, 1e-9);
    CHECK_NEAR(nd_spikes_isi_cv(&s), 0, 1e-9);
    CHECK_NEAR(nd_spikes_rate(&s, 0, 200), 25, 1e-12);
    nd_spikes_clear(&s);
}

TEST(spikes_noise_near_threshold_counts_once)
{
    static double t[N], v[N];
    const double at[] = {50};
    spike_train(t, v, at, 1);
    /* Chatter around the threshold on the way down must not start a second spike. */
    for (size_t i = 0; i < N; i++)
        if (t[i] > 50.3 && t[i] < 50.8) v[i] = -20 + ((i % 2) ? 3 : -3);
    nd_spikes s;
    CHECK_INT(nd_spikes_detect(t, v, N, -20, 10, &s, NULL), ND_OK);
    CHECK_INT(s.n, 1);
    nd_spikes_clear(&s);
}

TEST(spikes_depolarisation_block_is_not_spiking)
{
    static double t[N], v[N];
    const double at[] = {20, 45};
    spike_train(t, v, at, 2);
    /* From 80 ms on, v sits at -10 mV with small oscillations: a block, not spikes. */
    for (size_t i = 0; i < N; i++)
        if (t[i] >= 80) v[i] = -10 + 4 * sin(t[i]);
    nd_spikes s;
    CHECK_INT(nd_spikes_detect(t, v, N, -20, 10, &s, NULL), ND_OK);
    CHECK_INT(s.n, 2);
    CHECK_NEAR(s.block_start, 80, 0.01);
    nd_spikes_clear(&s);
}

TEST(spikes_bad_arguments)
{
    double t[2] = {0, 1}, v[2] = {0, 1};
    nd_spikes s;
    nd_error e;
    CHECK_INT(nd_spikes_detect(t, v, 2, NAN, 10, &s, &e), ND_EVALUE);
    CHECK_INT(nd_spikes_detect(t, v, 2, 0, -1, &s, &e), ND_EVALUE);
    CHECK_INT(nd_spikes_detect(t, v, 0, 0, 1, &s, &e), ND_OK);
    CHECK_INT(s.n, 0);
    CHECK(isnan(nd_spikes_isi_mean(&s)));
    nd_spikes_clear(&s);
}
