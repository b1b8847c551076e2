/* Spike detection on synthetic traces with known spike times. */
#include "test.h"

#include <stdlib.h>
#include <string.h>

#include "../../lib/analysis/spikes.h"
#include "../../lib/ode/dense.h"
#include "../../lib/ode/solve.h"

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
    CHECK(nd_spikes_isi_cv(&s) == 0);   /* equal intervals: rounding is not variation */
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

/* ---- the default rule: silence is silence ---- */

/* Standard normal numbers from a fixed generator (Box–Muller on a 64-bit LCG). */
static double gauss(unsigned long long *state)
{
    double u[2];
    for (int k = 0; k < 2; k++) {
        *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
        u[k] = ((double)(*state >> 11) + 0.5) / 9007199254740992.0;
    }
    return sqrt(-2 * log(u[0])) * cos(2 * M_PI * u[1]);
}

/* Spikes of v by the default rule for a variable called name with unit. */
static size_t default_count(const char *name, const char *unit, const double *t,
                            const double *v, nd_spikes_kind expect)
{
    nd_spikes_rule r;
    nd_spikes_rule_default(name, unit, v, N, &r);
    CHECK_INT(r.kind, expect);
    nd_spikes s;
    CHECK_INT(nd_spikes_find(t, v, N, NULL, name, &r, &s, NULL), ND_OK);
    size_t n = s.n;
    nd_spikes_clear(&s);
    return n;
}

TEST(spikes_default_silent_traces_have_none)
{
    static double t[N], v[N];
    unsigned long long seed = 7;
    /* HH at rest, with the last-digit wobble of a solver: the old mid-range rule found
       dozens of spikes in it. */
    for (size_t i = 0; i < N; i++) t[i] = 0.01 * (double)i, v[i] = -64.9964 + 1e-6 * sin(t[i]);
    CHECK_INT(default_count("V", "mV", t, v, ND_SPIKES_VOLTAGE), 0);
    /* A slow drift of 10 mV. */
    for (size_t i = 0; i < N; i++) v[i] = -65 + 0.05 * t[i];
    CHECK_INT(default_count("V", "mV", t, v, ND_SPIKES_VOLTAGE), 0);
    /* Rest with 1 mV Gaussian noise; also with no unit (a plain CSV called V). */
    for (size_t i = 0; i < N; i++) v[i] = -65 + gauss(&seed);
    CHECK_INT(default_count("V", "mV", t, v, ND_SPIKES_VOLTAGE), 0);
    CHECK_INT(default_count("V", NULL, t, v, ND_SPIKES_VOLTAGE), 0);
    /* A subthreshold oscillation of ±5 mV. */
    for (size_t i = 0; i < N; i++) v[i] = -65 + 5 * sin(2 * M_PI * t[i] / 20);
    CHECK_INT(default_count("V", "mV", t, v, ND_SPIKES_VOLTAGE), 0);
    /* An abortive event peaking at -25 mV (hh_minf_hinf's) is below -20 mV. */
    for (size_t i = 0; i < N; i++) v[i] = -65 + 40 * exp(-pow((t[i] - 50) / 1.5, 2));
    CHECK_INT(default_count("V", "mV", t, v, ND_SPIKES_VOLTAGE), 0);
}

TEST(spikes_default_dimensionless_silence_and_drift)
{
    static double t[N], v[N];
    /* FHN at rest (v = -1.1994) with rounding wobble. */
    for (size_t i = 0; i < N; i++) t[i] = 0.01 * (double)i, v[i] = -1.1994 + 1e-7 * sin(t[i]);
    CHECK_INT(default_count("v", "1", t, v, ND_SPIKES_SCALED), 0);
    /* A drift from -1.2 to 0.8 crosses its mid-range once and never comes back. */
    for (size_t i = 0; i < N; i++) v[i] = -1.2 + 2 * t[i] / 200;
    CHECK_INT(default_count("v", NULL, t, v, ND_SPIKES_SCALED), 0);
    /* A slow swing of ±0.3 around rest: smaller than an order-one excursion. */
    for (size_t i = 0; i < N; i++) v[i] = -1.2 + 0.3 * sin(2 * M_PI * t[i] / 50);
    CHECK_INT(default_count("v", NULL, t, v, ND_SPIKES_SCALED), 0);
    /* Wiggles of 0.4 riding a drift of 3: half the range is 1.6, the wiggles are not spikes. */
    for (size_t i = 0; i < N; i++) v[i] = -1.5 + 3 * t[i] / 200 + 0.2 * sin(2 * M_PI * t[i] / 5);
    CHECK_INT(default_count("v", NULL, t, v, ND_SPIKES_SCALED), 0);
    /* Relaxation spikes from -2 to 2 (FHN-like shape): each counts. */
    const double at[] = {30, 70, 110, 150};
    for (size_t i = 0; i < N; i++) {
        v[i] = -2;
        for (size_t j = 0; j < 4; j++) v[i] += 4 * exp(-pow((t[i] - at[j]) / 4, 2));
    }
    CHECK_INT(default_count("v", NULL, t, v, ND_SPIKES_SCALED), 4);
}

TEST(spikes_default_rule_finds_real_spikes)
{
    static double t[N], v[N];
    const double at[] = {20, 45.5, 71, 96.5, 122};
    spike_train(t, v, at, 5);
    CHECK_INT(default_count("V", "mV", t, v, ND_SPIKES_VOLTAGE), 5);
    nd_spikes_rule r;
    nd_spikes_rule_default("V", "mV", v, N, &r);
    CHECK_NEAR(r.threshold, -20, 0);
    char text[256];
    nd_spikes_rule_describe(&r, "mV", text, sizeof text);
    CHECK(strstr(text, "-20 mV") != NULL && strstr(text, "-30 mV") != NULL);
}

TEST(spikes_peaks_between_samples_by_parabola)
{
    /* Samples every 0.1 ms, the peak (40 mV, Gaussian of width 0.4) 0.04 ms after a
       sample: the highest sample reads 105 exp(-(0.04/0.4)^2) - 65 = 38.96 mV. The
       parabola neglects the quartic term 105 h^4/(2 w^4) = 0.2 mV at the outer samples,
       so its vertex is within 0.2 mV of 40. */
    enum { M = 2001 };
    static double t[M], v[M];
    for (size_t i = 0; i < M; i++) {
        t[i] = 0.1 * (double)i;
        v[i] = -65 + 105 * exp(-pow((t[i] - 100.04) / 0.4, 2));
    }
    nd_spikes_rule r;
    nd_spikes_rule_default("V", "mV", v, M, &r);
    nd_spikes s;
    CHECK_INT(nd_spikes_find(t, v, M, NULL, "V", &r, &s, NULL), ND_OK);
    CHECK_INT(s.n, 1);
    if (s.n == 1) {
        CHECK(fabs(s.peaks[0] - 40) < 0.2);
        CHECK(fabs(s.peak_times[0] - 100.04) < 0.01);
        CHECK(!s.dense);
    }
    nd_spikes_clear(&s);
}

TEST(spikes_rates_isi_and_count)
{
    static double t[N], v[N];
    /* Three spikes 30 ms apart in 200 ms: 1000/30 = 33.3 Hz by the ISI, 15 Hz by count. */
    const double at[] = {40, 70, 100};
    spike_train(t, v, at, 3);
    nd_spikes s;
    CHECK_INT(nd_spikes_detect(t, v, N, -20, 10, &s, NULL), ND_OK);
    CHECK_NEAR(nd_spikes_isi_rate(&s), 1000.0 / 30, 1e-9);
    CHECK_NEAR(nd_spikes_rate(&s, 0, 200), 15, 1e-12);
    nd_spikes_clear(&s);
}

/* ---- the solver's continuous solution ---- */

static int rhs_cos(void *ctx, double t, const double *y, double *dy)
{
    (void)ctx, (void)y;
    dy[0] = cos(t);
    return 0;
}

static int rhs_tent(void *ctx, double t, const double *y, double *dy)
{
    (void)ctx, (void)y;
    dy[0] = t < 1 ? 1 : -1;
    return 0;
}

/* Solves y' = f from y(0) = 0 to t1 with outputs only every 1.0, recording into a dense. */
static nd_dense *solve_dense(int (*f)(void *, double, const double *, double *),
                             const double *breaks, size_t nbreaks, double t1)
{
    static const char *const names[] = {"y"};
    nd_ode_problem p = {.n = 1, .rhs = f, .breaks = breaks, .nbreaks = nbreaks};
    nd_ode_options o;
    nd_ode_options_default(&o);
    o.rtol = o.atol = 1e-9;
    double tout[64], y = 0;
    size_t nt = 0;
    for (double x = 0; x <= t1 && nt < 64; x += 1) tout[nt++] = x;
    nd_dense *d = nd_dense_create(1, names);
    nd_dense_attach(d, &p, &o);
    CHECK_INT(nd_ode_solve(&p, 0, t1, &y, &o, tout, nt, NULL, NULL, NULL, NULL), ND_OK);
    CHECK_INT(nd_dense_detach(d, &o), 0);
    return d;
}

/* The largest value over all segments, and where. */
static double dense_max(const nd_dense *d, double *where)
{
    double best = -INFINITY;
    const double *t = nd_dense_times(d);
    for (size_t k = 0; k + 1 < nd_dense_count(d); k++) {
        if (!(t[k + 1] > t[k])) continue;
        double tm, v = nd_dense_max(d, 0, k, &tm);
        if (v > best) best = v, *where = tm;
    }
    return best;
}

TEST(dense_locates_max_and_crossing_between_outputs)
{
    /* y = sin t sampled every 1.0: the samples miss the maximum (sin 2 = 0.909); the
       continuous solution finds 1 at pi/2, and sin t = 0.5 at pi/6. */
    nd_dense *d = solve_dense(rhs_cos, NULL, 0, 3);
    CHECK(nd_dense_count(d) > 4);
    /* Cubic Hermite error bound on a step h: h^4/384 max|y^(4)| = h^4/384 for sin, plus
       the solver's own error (tolerance 1e-9). */
    const double *t = nd_dense_times(d);
    double h = 0;
    for (size_t k = 0; k + 1 < nd_dense_count(d); k++) h = fmax(h, t[k + 1] - t[k]);
    double bound = pow(h, 4) / 384 + 1e-8;
    CHECK(h < 1);   /* the steps are finer than the outputs */
    double tm = 0;
    CHECK(fabs(dense_max(d, &tm) - 1) <= bound);
    CHECK(fabs(tm - M_PI / 2) < 2 * sqrt(bound));   /* a flat maximum: time to sqrt(error) */
    double *y = malloc(nd_dense_count(d) * sizeof *y);
    nd_dense_values(d, 0, y);
    size_t k = 0;
    while (k + 1 < nd_dense_count(d) && !(y[k] < 0.5 && y[k + 1] >= 0.5)) k++;
    CHECK(k + 1 < nd_dense_count(d));
    CHECK(fabs(nd_dense_cross(d, 0, k, 0.5) - M_PI / 6) <= bound / cos(M_PI / 6));
    CHECK(fabs(nd_dense_eval(d, 0, 2.5) - sin(2.5)) <= bound);
    CHECK(t[0] == 0);
    free(y);
    nd_dense *c = nd_dense_copy(d);
    CHECK(c && nd_dense_count(c) == nd_dense_count(d) && nd_dense_find(c, "y") == 0);
    nd_dense_free(c);
    nd_dense_free(d);
}

TEST(dense_keeps_both_slopes_at_a_break)
{
    /* y' = +1 before t = 1 and -1 after: a tent peaking at exactly 1. With the slope of
       the wrong side at the break, the cubic before it would overshoot above 1. */
    const double br[] = {1};
    nd_dense *d = solve_dense(rhs_tent, br, 1, 2);
    double tm = 0;
    CHECK_NEAR(dense_max(d, &tm), 1, 1e-12);
    CHECK_NEAR(tm, 1, 1e-12);
    nd_dense_free(d);
}

/* The column `spikes` counts (V, else the first after time) and the rule its options
   make: a given threshold is a plain crossing with a tenth of the range as hysteresis. */
TEST(spikes_column_and_rule_from_options)
{
    const char *names[] = {"t", "n", "V"};
    nd_dataset *ds = nd_ds_create(3, names, NULL);
    for (int i = 0; ds && i < 11; i++) {
        double row[3] = {i, 0.1 * i, -70 + 10 * i};   /* V spans -70 … 30: range 100 */
        nd_ds_append(ds, row);
    }
    CHECK_INT(nd_spikes_column(ds, NULL), 2);
    CHECK_INT(nd_spikes_column(ds, "n"), 1);
    CHECK_INT(nd_spikes_column(ds, "t"), -1);
    CHECK_INT(nd_spikes_column(ds, "h"), -1);
    nd_spikes_rule r;
    nd_error err;
    double thr = -10, hys = 4;
    CHECK_INT(nd_spikes_rule_with(ds, 2, &thr, NULL, &r, &err), ND_OK);
    CHECK(r.kind == ND_SPIKES_GIVEN && r.threshold == -10);
    CHECK_NEAR(r.hysteresis, 10, 1e-12);
    CHECK_INT(nd_spikes_rule_with(ds, 2, &thr, &hys, &r, &err), ND_OK);
    CHECK_NEAR(r.hysteresis, 4, 0);
    CHECK_INT(nd_spikes_rule_with(ds, 2, NULL, NULL, &r, &err), ND_OK);
    CHECK(r.kind == ND_SPIKES_VOLTAGE);   /* mV-like V without a unit: the physiological rule */
    nd_ds_free(ds);
    const char *one[] = {"t"};
    ds = nd_ds_create(1, one, NULL);
    CHECK_INT(nd_spikes_column(ds, NULL), -1);
    nd_ds_free(ds);
}
