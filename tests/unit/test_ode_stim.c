/* Stimulus protocols (lib/ode/stim.h) and the shared generator (lib/base/rng.h). */
#include "test.h"

#include <math.h>
#include <stdlib.h>

#include "../../lib/base/rng.h"
#include "../../lib/ode/stim.h"

TEST(rng_reference_sequence)
{
    /* xoshiro256** seeded by splitmix64(42): values from an independent implementation,
       so a change of generator (and of every seeded notebook) cannot go unnoticed. */
    nd_rng r;
    nd_rng_seed(&r, 42);
    CHECK(nd_rng_next(&r) == 0x15780b2e0c2ec716ULL);
    CHECK(nd_rng_next(&r) == 0x6104d9866d113a7eULL);
    CHECK(nd_rng_next(&r) == 0xae17533239e499a1ULL);
    nd_rng_seed(&r, 0);
    double sum = 0, sum2 = 0, umin = 1, umax = 0;
    for (int i = 0; i < 200000; i++) {
        double u = nd_rng_uniform(&r);
        umin = fmin(umin, u), umax = fmax(umax, u);
        double z = nd_rng_normal(&r);
        sum += z, sum2 += z * z;
    }
    CHECK(umin >= 0 && umax < 1);
    CHECK(fabs(sum / 200000) < 0.01);
    CHECK(fabs(sum2 / 200000 - 1) < 0.01);
}

TEST(stim_step_pulses_ramp_values)
{
    nd_stim *s = nd_stim_create();
    CHECK_INT(nd_stim_add_step(s, 10, 5, 2), ND_OK);
    CHECK_NEAR(nd_stim_eval(s, 9.999), 0, 0);
    CHECK_NEAR(nd_stim_eval(s, 10), 2, 0);        /* [at, at + dur) */
    CHECK_NEAR(nd_stim_eval(s, 14.999), 2, 0);
    CHECK_NEAR(nd_stim_eval(s, 15), 0, 0);
    nd_stim_free(s);

    s = nd_stim_create();
    CHECK_INT(nd_stim_add_pulses(s, 1, 0.5, 2, 3, -3), ND_OK);   /* [1,1.5) [3,3.5) [5,5.5) */
    double on[] = {1, 1.25, 3, 3.4999, 5, 5.25}, off[] = {0.99, 1.5, 2.9, 3.5, 5.5, 7, 7.2};
    for (size_t i = 0; i < 6; i++) CHECK_NEAR(nd_stim_eval(s, on[i]), -3, 0);
    for (size_t i = 0; i < 7; i++) CHECK_NEAR(nd_stim_eval(s, off[i]), 0, 0);
    /* Pulse edges at periods that are not exact in binary. */
    nd_stim *q = nd_stim_create();
    CHECK_INT(nd_stim_add_pulses(q, 0.1, 0.1, 0.3, 100, 1), ND_OK);
    for (int k = 0; k < 100; k++) {
        double t = 0.1 + k * 0.3;
        CHECK_NEAR(nd_stim_eval(q, t), 1, 0);
        CHECK_NEAR(nd_stim_eval(q, t + 0.1), 0, 0);
    }
    nd_stim_free(q);

    CHECK_INT(nd_stim_add_ramp(s, 10, 20, 0, 5), ND_OK);
    CHECK_NEAR(nd_stim_eval(s, 15), 2.5, 1e-15);
    CHECK_NEAR(nd_stim_eval(s, 10), 0, 0);
    CHECK_NEAR(nd_stim_eval(s, 20), 0, 0);       /* 0 outside [t0, t1) */
    CHECK_NEAR(nd_stim_eval(s, 5.25), -3, 0);     /* components add */
    CHECK_INT(nd_stim_count(s), 2);

    /* Invalid parameters. */
    CHECK_INT(nd_stim_add_step(s, 0, 0, 1), ND_EVALUE);
    CHECK_INT(nd_stim_add_step(s, 0, -1, 1), ND_EVALUE);
    CHECK_INT(nd_stim_add_step(s, NAN, 1, 1), ND_EVALUE);
    CHECK_INT(nd_stim_add_pulses(s, 0, 2, 1, 3, 1), ND_EVALUE);
    CHECK_INT(nd_stim_add_pulses(s, 0, 1, 2, 0, 1), ND_EVALUE);
    CHECK_INT(nd_stim_add_ramp(s, 5, 5, 0, 1), ND_EVALUE);
    CHECK_INT(nd_stim_add_ou(s, 0, 1, 0, 1, 0.1), ND_EVALUE);
    CHECK_INT(nd_stim_add_ou(s, 0, -1, 1, 1, 0.1), ND_EVALUE);
    CHECK_INT(nd_stim_count(s), 2);
    nd_stim_free(s);
}

TEST(stim_step_infinite_duration)
{
    nd_stim *s = nd_stim_create();
    CHECK_INT(nd_stim_add_step(s, 5, INFINITY, 10), ND_OK);
    CHECK_NEAR(nd_stim_eval(s, 1e9), 10, 0);
    double b[4];
    CHECK_INT(nd_stim_breaks(s, 0, 100, b, 4), 1);
    CHECK_NEAR(b[0], 5, 0);
    char *d = nd_stim_describe(s);
    CHECK_STR(d, "step 10 from t = 5 on");
    free(d);
    nd_stim_free(s);
}

TEST(stim_breaks_sorted_unique_in_range)
{
    nd_stim *s = nd_stim_create();
    CHECK_INT(nd_stim_add_step(s, 10, 5, 2), ND_OK);              /* 10, 15 */
    CHECK_INT(nd_stim_add_pulses(s, 5, 1, 5, 3, 1), ND_OK);        /* 5,6 10,11 15,16 */
    CHECK_INT(nd_stim_add_ramp(s, 0, 20, 1, 2), ND_OK);            /* 0 (outside), 20 */
    double b[16];
    size_t n = nd_stim_breaks(s, 0, 30, b, 16);
    double want[] = {5, 6, 10, 11, 15, 16, 20};
    CHECK_INT(n, 7);
    for (size_t i = 0; i < 7 && i < n; i++) CHECK_NEAR(b[i], want[i], 0);
    /* Open interval, and a small cap still counts all. */
    CHECK_INT(nd_stim_breaks(s, 5, 16, b, 2), 4);
    CHECK_NEAR(b[0], 6, 0);
    CHECK_NEAR(b[1], 10, 0);
    CHECK_INT(nd_stim_breaks(s, 100, 200, b, 16), 0);
    CHECK_INT(nd_stim_breaks(NULL, 0, 1, b, 16), 0);
    nd_stim_free(s);
}

TEST(stim_samples_interpolate_and_hold)
{
    double t[] = {0, 1, 2, 2, 4}, u[] = {0, 10, 20, -5, 5};
    nd_stim *s = nd_stim_create();
    CHECK_INT(nd_stim_add_samples(s, t, u, 5), ND_OK);
    CHECK_NEAR(nd_stim_eval(s, -3), 0, 0);
    CHECK_NEAR(nd_stim_eval(s, 0.5), 5, 1e-15);
    CHECK_NEAR(nd_stim_eval(s, 1.99), 19.9, 1e-12);
    CHECK_NEAR(nd_stim_eval(s, 2), -5, 0);        /* a repeated time is a jump */
    CHECK_NEAR(nd_stim_eval(s, 3), 0, 1e-15);
    CHECK_NEAR(nd_stim_eval(s, 99), 5, 0);
    double b[4];
    CHECK_INT(nd_stim_breaks(s, 0, 10, b, 4), 1);
    CHECK_NEAR(b[0], 2, 0);
    double bad_t[] = {0, 2, 1};
    CHECK_INT(nd_stim_add_samples(s, bad_t, u, 3), ND_EVALUE);
    CHECK_INT(nd_stim_add_samples(s, t, u, 0), ND_EVALUE);
    char *d = nd_stim_describe(s);
    CHECK_STR(d, "samples: 5 points on [0, 4], values in [-5, 20]");
    free(d);
    nd_stim_free(s);
}

/* OU statistics over a long run: mean, variance σ², autocorrelation e^{−lag/τ}. */
TEST(stim_ou_statistics_and_determinism)
{
    const double mean = 2, sigma = 1.5, tau = 5, dt = 0.1, T = 100000;
    nd_stim *s = nd_stim_create();
    CHECK_INT(nd_stim_add_ou(s, mean, sigma, tau, 7, dt), ND_OK);
    CHECK_NEAR(nd_stim_eval(s, 3), mean, 0);   /* before prepare: the mean */
    nd_error err;
    CHECK_INT(nd_stim_prepare(s, T, &err), ND_OK);
    size_t n = (size_t)(T / dt);
    double m = 0, v = 0, c = 0;
    size_t lag = (size_t)(tau / dt);
    for (size_t k = 0; k < n; k++) m += nd_stim_eval(s, k * dt);
    m /= (double)n;
    for (size_t k = 0; k < n; k++) {
        double x = nd_stim_eval(s, k * dt) - m;
        v += x * x;
        if (k + lag < n) c += x * (nd_stim_eval(s, (k + lag) * dt) - m);
    }
    v /= (double)n;
    c /= (double)(n - lag) * v;
    /* About T/(2τ) = 10,000 independent samples: loose bounds, fixed by the seed. */
    CHECK(fabs(m - mean) < 0.1 * sigma);
    CHECK(fabs(v / (sigma * sigma) - 1) < 0.1);
    CHECK(fabs(c - exp(-1.0)) < 0.05);
    /* Linear between grid points. */
    double a = nd_stim_eval(s, 10 * dt), b = nd_stim_eval(s, 11 * dt);
    CHECK_NEAR(nd_stim_eval(s, 10.5 * dt), 0.5 * (a + b), 1e-12);

    /* Same seed, same numbers — also for a copy, a shorter preparation, and re-preparing. */
    nd_stim *s2 = nd_stim_create();
    CHECK_INT(nd_stim_add_ou(s2, mean, sigma, tau, 7, dt), ND_OK);
    CHECK_INT(nd_stim_prepare(s2, 50, &err), ND_OK);
    nd_stim *cp = nd_stim_copy(s);
    int same = 1, differs = 0;
    for (int k = 0; k < 500; k++) {
        double t = k * 0.1 + 0.03;
        same &= nd_stim_eval(s, t) == nd_stim_eval(s2, t);
        same &= nd_stim_eval(s, t) == nd_stim_eval(cp, t);
    }
    CHECK(same);
    nd_stim *s3 = nd_stim_create();
    CHECK_INT(nd_stim_add_ou(s3, mean, sigma, tau, 8, dt), ND_OK);
    CHECK_INT(nd_stim_prepare(s3, 50, &err), ND_OK);
    for (int k = 0; k < 500; k++) differs |= nd_stim_eval(s, k * 0.1) != nd_stim_eval(s3, k * 0.1);
    CHECK(differs);
    /* No breaks from noise (it is continuous). */
    double br[2];
    CHECK_INT(nd_stim_breaks(s, 0, 100, br, 2), 0);
    char *d = nd_stim_describe(s3);
    CHECK_CONTAINS(d, "Ornstein-Uhlenbeck");
    CHECK_CONTAINS(d, "seed 8");
    free(d);
    nd_stim_free(s);
    nd_stim_free(s2);
    nd_stim_free(s3);
    nd_stim_free(cp);
}

TEST(stim_ou_bounded_memory)
{
    nd_stim *s = nd_stim_create();
    CHECK_INT(nd_stim_add_ou(s, 0, 1, 1, 1, 1e-6), ND_OK);
    nd_error err;
    CHECK_INT(nd_stim_prepare(s, 1e6, &err), ND_ENOMEM);
    CHECK_CONTAINS(err.msg, "grid points");
    CHECK_CONTAINS(err.msg, "use a larger dt");
    CHECK_NEAR(nd_stim_eval(s, 1), 0, 0);    /* still usable: the mean */
    nd_stim_free(s);
}

TEST(stim_describe_and_copy)
{
    nd_stim *s = nd_stim_create();
    char *d = nd_stim_describe(s);
    CHECK_STR(d, "none");
    free(d);
    CHECK_INT(nd_stim_add_step(s, 10, 100, 10), ND_OK);
    CHECK_INT(nd_stim_add_pulses(s, 0, 1, 10, 5, 20), ND_OK);
    CHECK_INT(nd_stim_add_ramp(s, 0, 50, 0, 15), ND_OK);
    d = nd_stim_describe(s);
    CHECK_STR(d, "step 10 on [10, 110); 5 pulses of 20, width 1, every 10 from t = 0; "
                 "ramp from 0 to 15 on [0, 50)");
    free(d);
    nd_stim *c = nd_stim_copy(s);
    nd_stim_free(s);
    CHECK_NEAR(nd_stim_eval(c, 20.5), 10 + 20 + 15 * 20.5 / 50, 1e-12);
    nd_stim_free(c);
    nd_stim_free(NULL);
}

/* An endless step (dur = inf, the `stim step` default) survives a save: JSON has no
   infinity, so it is written as "inf" and read back as one. */
TEST(stim_json_round_trip_keeps_an_endless_step)
{
    nd_stim *s = nd_stim_create();
    CHECK_INT(nd_stim_add_step(s, 10, INFINITY, 0.5), 0);
    json_t *j = nd_stim_to_json(s);
    CHECK(j != NULL);
    nd_error e = {0};
    nd_stim *back = j ? nd_stim_from_json(j, &e) : NULL;
    CHECK(back != NULL);
    if (back) {
        CHECK_NEAR(nd_stim_eval(back, 5), 0, 0);
        CHECK_NEAR(nd_stim_eval(back, 1e9), 0.5, 0);
    }
    json_decref(j);
    nd_stim_free(back);
    nd_stim_free(s);
}

/* The forms the model language and `stim` share: pulses(start, width, period, count, amp)
   = (0, 1, 3, 2, 1) is on during [0, 1) and [3, 4) only. */
TEST(stim_forms_name_their_arguments_in_order)
{
    const nd_stim_form *p = nd_stim_form_find("pulses"), *ou = nd_stim_form_find("ou");
    CHECK(p && ou && !nd_stim_form_find("noise") && !nd_stim_form_at(4));
    if (!p || !ou) return;
    CHECK_INT((int)ou->nargs, 5);
    CHECK_STR(ou->args[3], "seed");
    nd_stim *s = nd_stim_create();
    CHECK_INT(nd_stim_add_form(s, p, (double[]){0, 1, 3, 2, 1}), 0);
    CHECK_NEAR(nd_stim_eval(s, 0.5), 1, 0);
    CHECK_NEAR(nd_stim_eval(s, 1.5), 0, 0);
    CHECK_NEAR(nd_stim_eval(s, 3.5), 1, 0);
    CHECK_NEAR(nd_stim_eval(s, 6.5), 0, 0);
    CHECK(nd_stim_add_form(s, nd_stim_form_find("step"), (double[]){0, 0, 1}) != 0);   /* dur 0 */
    nd_stim_free(s);
}
