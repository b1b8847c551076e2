/* F-I sweeps in the library: HH's class 2 onset and bistable window, Morris–Lecar's
   class 1 onset from zero, the brute-force onset search, and a model that never fires. */
#include "test.h"

#include <math.h>

#include "../../lib/analysis/fi.h"

static nd_model *builtin(const char *name, const char *set)
{
    nd_error e;
    nd_model *m = nd_model_builtin(name, &e);
    if (m && set) nd_model_apply_set(m, set, &e);
    return m;
}

static void options(nd_fi_options *o, const nd_model *m, double a, double b, double step)
{
    nd_fi_options_default(o, nd_model_index(m, ND_MODEL_PAR, "I"),
                          nd_model_index(m, ND_MODEL_STATE, "V"), a, b);
    o->step = step;
    o->rate_scale = 1000;   /* ms → Hz */
}

/* Index of the first value where rate > 0 going up (dir 1), or the lowest value of the
   firing run that starts at the top (dir -1); -1 when none. */
static long first_firing(const nd_fi_result *r, const double *rate, int dir)
{
    long n = (long)r->n, found = -1;
    if (dir > 0) {
        for (long i = 0; i < n; i++)
            if (rate[i] > 0) return i;
        return -1;
    }
    for (long i = n - 1; i >= 0 && rate[i] > 0; i--) found = i;
    return found;
}

TEST(fi_hh_fires_at_a_nonzero_rate_with_a_bistable_window)
{
    nd_model *m = builtin("hh", NULL);
    nd_fi_options o;
    options(&o, m, 0, 15, 0.25);
    nd_fi_result r;
    nd_error e;
    CHECK_INT(nd_fi_sweep(m, &o, &r, &e), ND_OK);
    CHECK_INT(r.n, 61);
    CHECK_NEAR(r.value[60], 15, 1e-12);
    CHECK(r.threshold > -40 && r.threshold < 0);       /* halfway up a spike */
    long on = first_firing(&r, r.rate_up, 1), off = first_firing(&r, r.rate_down, -1);
    CHECK(on >= 0 && r.value[on] > 9.5 && r.value[on] <= 10.0);   /* Hopf at 9.78 */
    CHECK(on >= 0 && r.rate_up[on] > 40);                         /* class 2 */
    /* The down sweep keeps firing to the fold of cycles near 6.26. */
    CHECK(off >= 0 && r.value[off] < 9.5 && r.value[off] > 6.0 && r.value[off] <= 6.5);
    CHECK(off >= 0 && r.rate_down[off] > 40);
    for (size_t i = (size_t)(on > 0 ? on : 0); i < r.n; i++)   /* one branch above onset */
        CHECK_NEAR(r.rate_up[i], r.rate_down[i], 0.01);
    nd_fi_result_clear(&r);
    nd_model_free(m);
}

TEST(fi_ml_snic_rates_rise_from_zero)
{
    /* Rinzel & Ermentrout's snic set: the saddle-node on the invariant circle lies between
       I = 40.0 and 40.1 (silent at 40.0, 2.0 Hz at 40.1 with a 2 s window). */
    nd_model *m = builtin("ml", "snic");
    nd_fi_options o;
    options(&o, m, 39.6, 41, 0.1);
    o.window = 2000;
    nd_fi_result r;
    nd_error e;
    CHECK_INT(nd_fi_sweep(m, &o, &r, &e), ND_OK);
    long on = first_firing(&r, r.rate_up, 1);
    CHECK(on >= 0 && r.value[on] > 39.9 && r.value[on] < 40.3);
    CHECK(on >= 0 && r.rate_up[on] > 0 && r.rate_up[on] < 5);
    for (size_t i = (size_t)(on > 0 ? on : 0) + 1; i < r.n; i++) {
        CHECK(r.rate_up[i] > r.rate_up[i - 1]);          /* grows continuously */
        CHECK(r.rate_up[i] - r.rate_up[i - 1] < 1);
        CHECK_NEAR(r.rate_up[i], r.rate_down[i], 0.01);  /* no hysteresis */
    }
    /* bounds only: the rate at I = 41 itself is pinned to 1 % against an independent RK4
       integration in test_model_ml.c */
    CHECK(r.rate_up[r.n - 1] > 4.5 && r.rate_up[r.n - 1] < 6);
    nd_fi_result_clear(&r);
    nd_model_free(m);
}

TEST(fi_silent_range_gives_zeros)
{
    nd_model *m = builtin("hh", NULL);
    nd_fi_options o;
    options(&o, m, 0, 4, 1);
    nd_fi_result r;
    nd_error e;
    CHECK_INT(nd_fi_sweep(m, &o, &r, &e), ND_OK);
    CHECK(isnan(r.threshold));          /* no trial run oscillated */
    CHECK_INT(r.n, 5);
    for (size_t i = 0; i < r.n; i++) CHECK(r.rate_up[i] == 0 && r.rate_down[i] == 0);
    nd_fi_result_clear(&r);
    /* A given threshold is used as it is; only one sweep leaves the other NAN. */
    o.threshold = -20;
    o.down = 0;
    CHECK_INT(nd_fi_sweep(m, &o, &r, &e), ND_OK);
    CHECK_NEAR(r.threshold, -20, 0);
    CHECK(r.rate_up[4] == 0 && isnan(r.rate_down[4]));
    nd_fi_result_clear(&r);
    nd_model_free(m);
}

TEST(fi_bad_options_are_refused)
{
    nd_model *m = builtin("hh", NULL);
    nd_fi_options o;
    nd_fi_result r;
    nd_error e;
    options(&o, m, 5, 1, 0.5);
    CHECK_INT(nd_fi_sweep(m, &o, &r, &e), ND_EVALUE);
    options(&o, m, 0, 1, 0);
    CHECK_INT(nd_fi_sweep(m, &o, &r, &e), ND_EVALUE);
    options(&o, m, 0, 1, 0.5);
    o.window = 0;
    CHECK_INT(nd_fi_sweep(m, &o, &r, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "window");
    options(&o, m, 0, 1, 0.5);
    o.par = 99;
    CHECK_INT(nd_fi_sweep(m, &o, &r, &e), ND_EVALUE);
    CHECK(r.value == NULL);
    nd_model_free(m);
}

TEST(fi_onset_by_brute_force_finds_the_hopf_point)
{
    nd_model *m = builtin("hh", NULL);
    nd_fi_options o;
    options(&o, m, 5, 15, 0);
    o.window = 2000;   /* just above the Hopf point the oscillation grows slowly */
    double onset, rate;
    nd_error e;
    CHECK_INT(nd_fi_onset(m, &o, 0.01, &onset, &rate, &e), ND_OK);
    CHECK(onset > 9.77 && onset < 9.85);     /* Hopf at 9.78; the probes see it late */
    CHECK(rate > 60 && rate < 70);
    options(&o, m, 0, 4, 0);                  /* nothing fires: no onset */
    CHECK_INT(nd_fi_onset(m, &o, 0.01, &onset, &rate, &e), ND_EVALUE);
    options(&o, m, 12, 15, 0);                /* fires everywhere */
    CHECK_INT(nd_fi_onset(m, &o, 0.01, &onset, &rate, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "lower end");
    nd_model_free(m);
}

/* A grid too coarse to see lif's logarithmic rise: from 0 to 3 nA in steps of 0.5 the
   first rate is 72 Hz, half the top one, which read as a class 2 jump on the grid. Below
   the grid the onset is the rheobase (Vth − EL)/R = 1.5 nA and the rate there the closed
   form 1/(τ ln((RI + EL − Vreset)/(RI + EL − Vth))), near zero: class 1. hh's onset is a
   jump at its Hopf point (9.78) to ~68 Hz: class 2, with a fine grid or a coarse one. */
TEST(fi_classify_resolves_the_onset_below_the_grid)
{
    nd_model *m = builtin("lif", NULL);
    nd_fi_options o;
    options(&o, m, 0, 3, 0.5);
    nd_fi_result r;
    nd_error e;
    CHECK_INT(nd_fi_sweep(m, &o, &r, &e), ND_OK);
    nd_fi_findings f = nd_fi_find(&r);
    CHECK_INT(f.onset, 4);                                  /* I = 2 */
    CHECK(r.rate_up[f.onset] > 0.35 * f.max_rate);          /* the grid alone says class 2 */
    CHECK_INT(nd_fi_classify(m, &o, &r, &f, &e), ND_OK);
    CHECK_INT(f.onset_class, 1);
    CHECK(f.onset_value > 1.5 && f.onset_value <= 1.5 + 1e-3 * 0.5 + 1e-12);
    double I = f.onset_value, rate = 1000 / (10 * log((10 * I - 65 + 65) / (10 * I - 65 + 50)));
    CHECK_NEAR(f.onset_rate, rate, 0.01 * rate);
    nd_fi_result_clear(&r);
    nd_model_free(m);

    m = builtin("hh", NULL);
    options(&o, m, 0, 20, 2);
    CHECK_INT(nd_fi_sweep(m, &o, &r, &e), ND_OK);
    f = nd_fi_find(&r);
    CHECK_INT(nd_fi_classify(m, &o, &r, &f, &e), ND_OK);
    CHECK_INT(f.onset_class, 2);
    CHECK(f.onset_value > 9.77 && f.onset_value < 9.85);
    CHECK(f.onset_rate > 60);
    nd_fi_result_clear(&r);
    nd_model_free(m);
}
