/* Spike-train comparison: matching, the coincidence factor against hand-computed values
   of its formula, the RMS of two traces, and the compare command. */
#include "test.h"

#include <stdlib.h>

#include "../../lib/analysis/compare.h"
#include "../../lib/language/value.h"
#include "../../lib/language/workspace.h"
#include "rec_sink.h"

/* Ten spikes at 50, 150, ..., 950 ms in a 1000 ms window. */
static void train(double *x, double shift)
{
    for (int i = 0; i < 10; i++) x[i] = 50 + 100 * i + shift;
}

TEST(compare_identical_trains_gamma_is_one)
{
    double a[10];
    train(a, 0);
    nd_compare c;
    CHECK_INT(nd_compare_trains(a, 10, a, 10, 0, 1000, 2, &c, NULL), ND_OK);
    CHECK(c.gamma == 1.0);
    CHECK_INT(c.matched, 10);
    CHECK_INT(c.missing, 0);
    CHECK_INT(c.extra, 0);
    CHECK(c.dt_mean == 0 && c.dt_max == 0);
    nd_compare_clear(&c);
}

TEST(compare_shift_beyond_delta_gamma_below_zero)
{
    /* Shifted by 3 ms > Δ = 2: no coincidence. ν = 10/1000 per ms, 2νΔ = 0.04, so
       Γ = (0 − 0.04·10) / (½(10 + 10)(1 − 0.04)) = −0.4/9.6 = −1/24. */
    double a[10], b[10];
    train(a, 0);
    train(b, 3);
    nd_compare c;
    CHECK_INT(nd_compare_trains(a, 10, b, 10, 0, 1000, 2, &c, NULL), ND_OK);
    CHECK_INT(c.matched, 0);
    CHECK_INT(c.missing, 10);
    CHECK_INT(c.extra, 10);
    CHECK_NEAR(c.gamma, -1.0 / 24, 1e-14);
    CHECK(c.gamma <= 0);
    CHECK(isnan(c.dt_mean));
    nd_compare_clear(&c);
    /* Shifted by 1.5 ms < Δ: all coincide, Γ = 1, each error 1.5. */
    train(b, 1.5);
    CHECK_INT(nd_compare_trains(a, 10, b, 10, 0, 1000, 2, &c, NULL), ND_OK);
    CHECK_NEAR(c.gamma, 1, 1e-14);
    CHECK_NEAR(c.dt_mean, 1.5, 1e-12);
    nd_compare_clear(&c);
}

TEST(compare_one_missing_spike)
{
    /* B lacks A's 4th spike: 9 matched, 1 missing. ν = 9/1000, 2νΔ = 0.036,
       Γ = (9 − 0.036·10) / (½·19·0.964) = 8.64 / 9.158. */
    double a[10], b[9];
    train(a, 0);
    for (int i = 0, k = 0; i < 10; i++)
        if (i != 3) b[k++] = a[i];
    nd_compare c;
    CHECK_INT(nd_compare_trains(a, 10, b, 9, 0, 1000, 2, &c, NULL), ND_OK);
    CHECK_INT(c.matched, 9);
    CHECK_INT(c.missing, 1);
    CHECK_INT(c.extra, 0);
    CHECK_NEAR(c.gamma, 8.64 / 9.158, 1e-12);
    nd_compare_clear(&c);
}

TEST(compare_matched_errors_small_example)
{
    /* A = 10, 20, 30; B = 10.5, 19, 33.5, 35 with Δ = 2: 10 ↔ 10.5 (+0.5), 20 ↔ 19 (−1),
       30 has nothing within 2 (missing); 33.5 and 35 are extra. Mean |error| 0.75, max 1. */
    const double a[] = {10, 20, 30}, b[] = {10.5, 19, 33.5, 35};
    nd_compare c;
    CHECK_INT(nd_compare_trains(a, 3, b, 4, 0, 100, 2, &c, NULL), ND_OK);
    CHECK_INT(c.matched, 2);
    CHECK_INT(c.missing, 1);
    CHECK_INT(c.extra, 2);
    if (c.matched == 2) {
        CHECK_NEAR(c.dt[0], 0.5, 1e-15);
        CHECK_NEAR(c.dt[1], -1, 1e-15);
    }
    CHECK_NEAR(c.dt_mean, 0.75, 1e-15);
    CHECK_NEAR(c.dt_max, 1, 1e-15);
    nd_compare_clear(&c);
    /* Each of A's spikes takes the nearest free one: 10 takes 10.4 (not 9), then 11 has
       only 9 left, 2 away: still within Δ. */
    const double a2[] = {10, 11}, b2[] = {9, 10.4};
    CHECK_INT(nd_compare_trains(a2, 2, b2, 2, 0, 100, 2, &c, NULL), ND_OK);
    CHECK_INT(c.matched, 2);
    if (c.matched == 2) {
        CHECK_NEAR(c.dt[0], 0.4, 1e-12);
        CHECK_NEAR(c.dt[1], -2, 1e-12);
    }
    nd_compare_clear(&c);
    /* Spikes outside the common window take no part. */
    CHECK_INT(nd_compare_trains(a, 3, b, 4, 15, 100, 2, &c, NULL), ND_OK);
    CHECK_INT(c.n_a, 2);
    CHECK_INT(c.n_b, 3);
    nd_compare_clear(&c);
    CHECK_INT(nd_compare_trains(a, 3, b, 4, 0, 100, 0, &c, NULL), ND_EVALUE);
    CHECK_INT(nd_compare_trains(a, 3, b, 4, 5, 5, 2, &c, NULL), ND_EVALUE);
}

TEST(compare_rms_interpolates_b)
{
    /* A: v = t on 0..10 by 0.5; B: v = t + 1 on 0..12 by 2 (linear, so interpolation is
       exact): RMS 1 over A's 21 samples. */
    double ta[21], va[21], tb[7], vb[7];
    for (int i = 0; i < 21; i++) ta[i] = 0.5 * i, va[i] = ta[i];
    for (int i = 0; i < 7; i++) tb[i] = 2.0 * i, vb[i] = tb[i] + 1;
    size_t used;
    CHECK_NEAR(nd_compare_rms(ta, va, 21, tb, vb, 7, 0, 10, &used), 1, 1e-14);
    CHECK_INT(used, 21);
    /* Only [4, 6]: samples 4, 4.5, ..., 6. */
    CHECK_NEAR(nd_compare_rms(ta, va, 21, tb, vb, 7, 4, 6, &used), 1, 1e-14);
    CHECK_INT(used, 5);
}

static nd_value *bound(rec_fixture *f, const char *name)
{
    return nd_ws_get(nd_interp_workspace(f->in), name);
}

static double field(rec_fixture *f, const char *name, const char *key)
{
    const nd_value *v = nd_record_get(bound(f, name), key);
    return v && v->kind == ND_VAL_NUMBER ? v->as.num : NAN;
}

TEST(cmd_compare_datasets_and_records)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    /* The same simulation twice: identical trains and traces. */
    CHECK_INT(rec_fixture_run(&f, "use hh\nset I = 10\na = simulate t=100\nb = simulate t=100\n"
                                  "c = compare a b"), ND_OK);
    CHECK(field(&f, "c", "gamma") == 1.0);
    CHECK_NEAR(field(&f, "c", "matched"), 7, 0);
    CHECK_NEAR(field(&f, "c", "rms"), 0, 0);
    CHECK_NEAR(field(&f, "c", "delta"), 2, 0);
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].json, "\"type\":\"compare\"");
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].text, "Γ = 1");
    /* Records: the second train 30 ms shorter loses its last spikes, not its first. */
    CHECK_INT(rec_fixture_run(&f, "sa = spikes a\nd = simulate t=70\nsd = spikes d\n"
                                  "e = compare sa sd delta=1"), ND_OK);
    CHECK_NEAR(field(&f, "e", "delta"), 1, 0);
    CHECK(isnan(field(&f, "e", "rms")));
    CHECK_NEAR(field(&f, "e", "extra"), 0, 0);
    CHECK_NEAR(field(&f, "e", "missing"), 0, 0);   /* only the common window [0, 70] counts */
    CHECK_INT(rec_fixture_run(&f, "compare a b delta=0"), ND_EVALUE);
    CHECK_INT(rec_fixture_run(&f, "compare a"), ND_ESYNTAX);
    CHECK_INT(rec_fixture_run(&f, "compare a b Q"), ND_ENAME);
    rec_fixture_teardown(&f);
}

TEST(cmd_compare_wrong_kinds_are_type_errors)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh\na = simulate t=10\nlet x = 3"), ND_OK);
    CHECK_INT(rec_fixture_run(&f, "compare a x"), ND_ETYPE);
    CHECK_CONTAINS(f.e.msg, "datasets or spike records");
    CHECK_INT(f.e.col, 11);
    rec_fixture_teardown(&f);
}
