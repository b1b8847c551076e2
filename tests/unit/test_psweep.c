/* Parameter sweeps on every core: the pool gives a serial run's numbers whatever the
   thread count, HH is silent below its fold of cycles (6.26) and fires above its Hopf
   point (9.78), an interrupt keeps the points finished, and bad grids are refused with
   clear messages. */
#include "test.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "../../lib/learn/pool.h"
#include "../../lib/learn/psweep.h"

/* ---- the pool alone ---- */

static nd_status square(void *w, size_t i, double *out, nd_error *err)
{
    (void)w;
    if (i == 7 || i == 11) return nd_error_fail(err, ND_EVALUE, "point %zu fails", i);
    out[0] = (double)(i * i);
    out[1] = -(double)i;
    return ND_OK;
}

static nd_status ok_square(void *w, size_t i, double *out, nd_error *err)
{
    (void)w, (void)err;
    out[0] = (double)(i * i);
    out[1] = -(double)i;
    return ND_OK;
}

TEST(pool_stores_by_index_and_reports_the_lowest_failure)
{
    double out[2 * 40];
    unsigned char done[40];
    size_t n = 0;
    nd_pool_job j = {40, 2, 3, NULL, NULL, ok_square, NULL, NULL, NULL, NULL};
    nd_error e = {0};
    CHECK_INT(nd_pool_run(&j, out, done, &n, &e), ND_OK);
    CHECK_INT(n, 40);
    for (size_t i = 0; i < 40; i++) {
        CHECK(out[2 * i] == (double)(i * i) && out[2 * i + 1] == -(double)i);
        CHECK_INT(done[i], 1);
    }
    /* with failures at 7 and 11 the message names 7, with any number of threads */
    for (unsigned t = 1; t <= 3; t++) {
        j.eval = square;
        j.threads = t;
        CHECK_INT(nd_pool_run(&j, out, done, &n, &e), ND_EVALUE);
        CHECK_STR(e.msg, "point 7 fails");
    }
}

/* ---- HH sweeps ---- */

static nd_model *hh(void)
{
    nd_error e;
    return nd_model_builtin("hh", &e);
}

static nd_dataset *sweep(const nd_model *m, const nd_psweep_axis *ax, size_t nax,
                         nd_psweep_measure meas, unsigned threads, double t, nd_status *st)
{
    nd_psweep_options o;
    nd_psweep_options_default(&o, ax, nax, nd_model_index(m, ND_MODEL_STATE, "V"));
    o.measure = meas;
    o.threads = threads;
    o.t = t;
    nd_dataset *ds = NULL;
    nd_error e = {0};
    *st = nd_psweep_run(m, &o, &ds, NULL, &e);
    return ds;
}

TEST(psweep_one_and_two_threads_give_identical_tables)
{
    nd_model *m = hh();
    double I[] = {0, 5, 8, 10, 14, 20}, gK[] = {30, 36, 45};
    nd_psweep_axis ax[] = {{"I", I, 6}, {"gK", gK, 3}};
    nd_status s1, s2;
    nd_dataset *a = sweep(m, ax, 2, ND_PSWEEP_SPIKES, 1, 300, &s1);
    nd_dataset *b = sweep(m, ax, 2, ND_PSWEEP_SPIKES, 2, 300, &s2);
    CHECK_INT(s1, ND_OK);
    CHECK_INT(s2, ND_OK);
    CHECK(a && b);
    if (a && b) {
        CHECK_INT(nd_ds_rows(a), 18);
        CHECK_INT(nd_ds_cols(a), 7);
        for (size_t c = 0; c < nd_ds_cols(a); c++)
            CHECK(memcmp(nd_ds_col(a, c), nd_ds_col(b, c), 18 * sizeof(double)) == 0);
        CHECK_STR(nd_ds_meta(a, "grid_shape"), "6 3");
        /* axis 0 fastest: row 7 is I = 5, gK = 36 */
        CHECK(nd_ds_col(a, 0)[7] == 5 && nd_ds_col(a, 1)[7] == 36);
        int fired = 0;
        for (size_t i = 0; i < 18; i++) fired += nd_ds_col(a, 3)[i] > 0;
        CHECK(fired > 0 && fired < 18);   /* a test of identity needs both kinds */
    }
    nd_ds_free(a);
    nd_ds_free(b);
    nd_model_free(m);
}

TEST(psweep_hh_is_silent_below_the_fold_and_fires_above_the_hopf_point)
{
    nd_model *m = hh();
    double I[] = {0, 2, 4, 6, 10, 12, 15, 20};
    nd_psweep_axis ax[] = {{"I", I, 8}};
    nd_status st;
    nd_dataset *ds = sweep(m, ax, 1, ND_PSWEEP_RATE, 2, 500, &st);
    CHECK_INT(st, ND_OK);
    if (ds) {
        const double *r = nd_ds_col(ds, 1);
        CHECK_STR(nd_ds_name(ds, 1), "rate");
        CHECK_STR(nd_ds_unit(ds, 1), "Hz");
        for (size_t i = 0; i < 4; i++) CHECK(r[i] == 0);         /* I <= 6 < 6.26 */
        for (size_t i = 4; i < 8; i++) CHECK(r[i] > 40 && r[i] < 200);  /* class 2 */
        for (size_t i = 5; i < 8; i++) CHECK(r[i] > r[i - 1]);   /* rising with I */
        CHECK(nd_ds_meta(ds, "grid_shape") == NULL);
    }
    nd_ds_free(ds);
    nd_model_free(m);
}

TEST(psweep_fixed_counts_hh_rest_and_its_loss_of_stability)
{
    nd_model *m = hh();
    double I[] = {0, 20};
    nd_psweep_axis ax[] = {{"I", I, 2}};
    nd_status st;
    nd_dataset *ds = sweep(m, ax, 1, ND_PSWEEP_FIXED, 2, 100, &st);
    CHECK_INT(st, ND_OK);
    if (ds) {
        CHECK_STR(nd_ds_name(ds, 3), "V_stable");
        CHECK(nd_ds_col(ds, 1)[0] == 1 && nd_ds_col(ds, 2)[0] == 1);
        CHECK_NEAR(nd_ds_col(ds, 3)[0], -65.0, 0.002);   /* HH 1952 rest, shifted */
        CHECK(nd_ds_col(ds, 1)[1] == 1 && nd_ds_col(ds, 2)[1] == 0);  /* past the Hopf */
        CHECK(isnan(nd_ds_col(ds, 3)[1]));
    }
    nd_ds_free(ds);
    nd_model_free(m);
}

typedef struct stopper {
    atomic_int flag;
    size_t at;
} stopper;

static void stop_at(void *ctx, size_t done, size_t total)
{
    (void)total;
    stopper *s = ctx;
    if (done >= s->at) atomic_store(&s->flag, 1);
}

TEST(psweep_interrupt_keeps_the_finished_points)
{
    nd_model *m = hh();
    double I[] = {0, 4, 8, 12, 16, 20};
    nd_psweep_axis ax[] = {{"I", I, 6}};
    stopper s = {0, 3};
    nd_psweep_options o;
    nd_psweep_options_default(&o, ax, 1, 0);
    o.threads = 1;
    o.t = 200;
    o.interrupt = &s.flag;
    o.progress = stop_at;
    o.progress_ctx = &s;
    nd_dataset *ds = NULL;
    size_t done = 0;
    nd_error e = {0};
    CHECK_INT(nd_psweep_run(m, &o, &ds, &done, &e), ND_EINTERRUPT);
    CHECK_INT(done, 3);
    CHECK(ds != NULL);
    if (ds) {
        CHECK_INT(nd_ds_rows(ds), 6);
        for (size_t i = 0; i < 6; i++) CHECK(nd_ds_col(ds, 0)[i] == I[i]);
        for (size_t i = 0; i < 3; i++) CHECK(isfinite(nd_ds_col(ds, 1)[i]));
        for (size_t i = 3; i < 6; i++) CHECK(isnan(nd_ds_col(ds, 1)[i]));
        CHECK_STR(nd_ds_meta(ds, "done"), "3");
        CHECK_STR(nd_ds_meta(ds, "points"), "6");
    }
    nd_ds_free(ds);
    nd_model_free(m);
}

TEST(psweep_refuses_bad_grids_with_clear_messages)
{
    nd_model *m = hh();
    double v[] = {1, 2};
    nd_psweep_axis bad[] = {{"Ix", v, 2}};
    nd_psweep_options o;
    nd_psweep_options_default(&o, bad, 1, 0);
    nd_dataset *ds = NULL;
    nd_error e = {0};
    CHECK_INT(nd_psweep_run(m, &o, &ds, NULL, &e), ND_ENAME);
    CHECK_CONTAINS(e.msg, "model hh has no parameter or state 'Ix'");
    CHECK(ds == NULL);
    double *vals = NULL;
    size_t n = 0;
    CHECK_INT(nd_psweep_range(5, 1, NAN, 10, &vals, &n, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "empty");
    CHECK_INT(nd_psweep_range(0, 1e6, 1, 0, &vals, &n, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "too many values");
    /* 400 × 400 points: each axis is fine, the grid is not */
    CHECK_INT(nd_psweep_range(0, 399, 1, 0, &vals, &n, &e), ND_OK);
    nd_psweep_axis big[] = {{"I", vals, n}, {"gK", vals, n}};
    nd_psweep_options_default(&o, big, 2, 0);
    CHECK_INT(nd_psweep_check(m, &o, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "too many points: 160000");
    free(vals);
    nd_model_free(m);
}

TEST(psweep_range_snaps_decimal_steps_and_keeps_the_end)
{
    double *v = NULL;
    size_t n = 0;
    nd_error e = {0};
    CHECK_INT(nd_psweep_range(0, 1, 0.1, 0, &v, &n, &e), ND_OK);
    CHECK_INT(n, 11);
    if (n == 11) CHECK(v[3] == 0.3 && v[10] == 1.0);
    free(v);
    CHECK_INT(nd_psweep_range(20, 50, NAN, 4, &v, &n, &e), ND_OK);
    CHECK_INT(n, 4);
    if (n == 4) CHECK(v[0] == 20 && v[1] == 30 && v[3] == 50);
    free(v);
}

TEST(psweep_features_of_hh_agree_with_its_steady_rate)
{
    nd_model *m = hh();
    double I[] = {0, 10};
    nd_psweep_axis ax[] = {{"I", I, 2}};
    nd_status st;
    nd_dataset *ds = sweep(m, ax, 1, ND_PSWEEP_FEATURES, 2, 500, &st);
    CHECK_INT(st, ND_OK);
    if (ds) {
        CHECK_INT(nd_ds_cols(ds), 11);
        CHECK_STR(nd_ds_name(ds, 7), "threshold");
        CHECK(nd_ds_col(ds, 1)[0] == 0 && isnan(nd_ds_col(ds, 7)[0]));   /* rest: silent */
        double spikes = nd_ds_col(ds, 1)[1], rate = nd_ds_col(ds, 2)[1];
        double isi = nd_ds_col(ds, 4)[1];
        /* the count over the 500 ms window and the mean interval tell one rate: HH's
           cycle at I = 10 (period 14.6 ms, test_cycles.c) */
        CHECK_NEAR(rate, spikes / 0.5, 1e-9);
        CHECK_NEAR(1000 / isi, rate, 0.03);
        CHECK(isi > 14 && isi < 15);
        CHECK(nd_ds_col(ds, 7)[1] > -60 && nd_ds_col(ds, 7)[1] < -40);   /* threshold */
        CHECK(nd_ds_col(ds, 8)[1] > 20);                                 /* overshoot */
    }
    nd_ds_free(ds);
    nd_model_free(m);
}

/* FitzHugh–Nagumo with b < 0: w grows like exp(eps·|b|·t) and the solution diverges (the
   explicit solver would take ten million ever smaller steps first); with b > 0 it stays on
   its cycle. The diverging point is a hole, counted and named in the metadata. */
TEST(psweep_a_diverging_point_stops_at_the_bound_and_is_named)
{
    static const char text[] = "dv/dt = v - v^3/3 - w + I\ndw/dt = eps*(v + a - b*w)\n"
                               "par a = 0.7, b = 0.8, eps = 0.08, I = 0.5\n"
                               "init v = -1.2, w = -0.6\n";
    nd_error e = {0};
    nd_model *m = nd_model_parse("fhnb", text, sizeof text - 1, 1, 1, &e);
    CHECK(m != NULL);
    if (!m) return;
    double b[] = {-3, 0.8};
    nd_psweep_axis ax[] = {{"b", b, 2}};
    nd_psweep_options o;
    nd_psweep_options_default(&o, ax, 1, 0);
    o.measure = ND_PSWEEP_MAX;
    CHECK(o.bound == 1e6);
    nd_dataset *ds = NULL;
    CHECK_INT(nd_psweep_run(m, &o, &ds, NULL, &e), ND_OK);
    if (ds) {
        CHECK(isnan(nd_ds_col(ds, 1)[0]));
        CHECK(nd_ds_col(ds, 1)[1] > 1.5 && nd_ds_col(ds, 1)[1] < 2.5);  /* the cycle's top */
        CHECK_STR(nd_ds_meta(ds, "failed"), "1");
        CHECK_CONTAINS(nd_ds_meta(ds, "failure"), "sweep point b=-3: w = ");
        CHECK_CONTAINS(nd_ds_meta(ds, "failure"), "left the bound");
    }
    nd_ds_free(ds);
    nd_model_free(m);
}
