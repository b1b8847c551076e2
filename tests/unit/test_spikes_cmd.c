/* The spikes command on simulations: silence has no spikes, peaks and times come from the
   solver's continuous solution whatever the sampling, and the record carries the fields. */
#include "test.h"

#include <stdlib.h>

#include "../../lib/language/objects.h"
#include "../../lib/language/value.h"
#include "../../lib/language/workspace.h"
#include "rec_sink.h"

static nd_value *bound(rec_fixture *f, const char *name)
{
    return nd_ws_get(nd_interp_workspace(f->in), name);
}

/* Field of the record bound to name: a number (NAN when missing). */
static double field(rec_fixture *f, const char *name, const char *key)
{
    const nd_value *v = nd_record_get(bound(f, name), key);
    return v && v->kind == ND_VAL_NUMBER ? v->as.num : NAN;
}

/* Field of the record bound to name: a vector, its length in *n. */
static const double *vec(rec_fixture *f, const char *name, const char *key, size_t *n)
{
    const nd_value *v = nd_record_get(bound(f, name), key);
    *n = v && v->kind == ND_VAL_VECTOR ? v->as.vec.n : 0;
    return v && v->kind == ND_VAL_VECTOR ? v->as.vec.x : NULL;
}

/* The largest sample of column var of dataset name. */
static double column_max(rec_fixture *f, const char *name, const char *var)
{
    const nd_dataset *ds = nd_value_as_dataset(bound(f, name));
    int j = ds ? nd_ds_find(ds, var) : -1;
    double m = -INFINITY;
    for (size_t i = 0; j > 0 && i < nd_ds_rows(ds); i++) m = fmax(m, nd_ds_col(ds, (size_t)j)[i]);
    return m;
}

TEST(cmd_spikes_hh_at_rest_has_none)
{
    /* HH at I = 0 sits at its resting potential: the old halfway rule found 58 spikes in
       50 ms of rounding noise. */
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh\nsim = simulate t=50\ns = spikes sim"), ND_OK);
    CHECK_NEAR(field(&f, "s", "count"), 0, 0);
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].text, "0 spikes of V");
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].text, "-20 mV");
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].json, "\"kind\":\"voltage\"");
    CHECK_INT(rec_fixture_run(&f, "sim = simulate t=100\ns = spikes sim"), ND_OK);
    CHECK_NEAR(field(&f, "s", "count"), 0, 0);
    rec_fixture_teardown(&f);
}

TEST(cmd_spikes_abortive_event_is_not_a_spike)
{
    /* The same 1 ms pulse of 20 uA/cm^2: full HH fires once; hh_minf_hinf makes only an
       abortive event, which peaks between -40 and -20 mV (checked, so the test means
       something) and must not count. */
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh_minf_hinf\nstim pulses start=5 width=1 count=1 amp=20\n"
                                  "a = simulate t=30\nsa = spikes a\nuse hh\n"
                                  "stim pulses start=5 width=1 count=1 amp=20\n"
                                  "b = simulate t=30\nsb = spikes b"), ND_OK);
    double top = column_max(&f, "a", "V");
    CHECK(top > -40 && top < -20);
    CHECK_NEAR(field(&f, "sa", "count"), 0, 0);
    CHECK_NEAR(field(&f, "sb", "count"), 1, 0);
    rec_fixture_teardown(&f);
}

TEST(cmd_spikes_peaks_do_not_depend_on_sampling)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh\nset I = 10\na = simulate t=500 sample=0.2\n"
                                  "b = simulate t=500 sample=1\nfine = simulate t=5 sample=0.0005\n"
                                  "sa = spikes a\nsb = spikes b\nsf = spikes fine"), ND_OK);
    size_t na, nb, nt;
    const double *pa = vec(&f, "sa", "peaks", &na), *pb = vec(&f, "sb", "peaks", &nb);
    const double *ta = vec(&f, "sa", "times", &nt), *tb = vec(&f, "sb", "times", &nb);
    CHECK(na > 30 && na == nb && nt == na);
    for (size_t i = 0; pa && pb && ta && tb && i < na && i < nb; i++) {
        CHECK_NEAR(pa[i], pb[i], 1e-9);
        CHECK_NEAR(ta[i], tb[i], 1e-9);
    }
    /* The first peak against the maximum of a 0.0005 ms sampling (the solver's own
       interpolant; V'' ~ -2000 mV/ms^2 at the peak makes that grid err by < 1e-4 mV). */
    if (pa && na) CHECK_NEAR(pa[0], column_max(&f, "fine", "V"), 2e-3);
    /* The train settles on a periodic orbit: its peaks are one value. */
    for (size_t i = 5; pa && i < na; i++) CHECK(fabs(pa[i] - pa[na - 1]) < 0.01);
    /* The 0.2 ms samples themselves miss the peaks by up to ~2 mV. */
    CHECK(column_max(&f, "a", "V") < pa[0]);
    for (int i = 0; i < f.r.n; i++)
        if (f.r.ev[i].json && strstr(f.r.ev[i].json, "\"type\":\"spikes\""))
            CHECK_CONTAINS(f.r.ev[i].json, "\"source\":\"dense\"");
    /* Rates: the ISI rate is 1000/mean ISI; the count rate is count per window. */
    double isi = field(&f, "sa", "isi_mean");
    CHECK_NEAR(field(&f, "sa", "rate"), 1000 / isi, 1e-12);
    CHECK_NEAR(field(&f, "sa", "count_rate"), 1000 * (double)na / 500, 1e-12);
    size_t ni;
    const double *iv = vec(&f, "sa", "isi", &ni);
    CHECK_INT(ni, na - 1);
    if (iv && ta && ni) CHECK_NEAR(iv[0], ta[1] - ta[0], 1e-12);
    CHECK(field(&f, "sa", "isi_cv") < 0.01);
    CHECK_NEAR(field(&f, "sa", "threshold"), -20, 0);
    CHECK_NEAR(field(&f, "sa", "t_end"), 500, 0);
    const nd_value *var = nd_record_get(bound(&f, "sa"), "variable");
    CHECK(var && var->kind == ND_VAL_STRING && strcmp(var->as.str, "V") == 0);
    rec_fixture_teardown(&f);
}

TEST(cmd_spikes_noisy_data_uses_the_samples)
{
    /* Noise drops the continuous solution (the values are no longer the solver's); the
       7 spikes of 100 ms at I = 10 are still found, through 1 % noise. */
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh\nset I = 10\nd = simulate t=100 sample=0.1 "
                                  "observe=V noise=0.01 seed=3\ns = spikes d"), ND_OK);
    CHECK_NEAR(field(&f, "s", "count"), 7, 0);
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].json, "\"source\":\"samples\"");
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].text, "by a parabola");
    /* observe= alone keeps it. */
    CHECK_INT(rec_fixture_run(&f, "d = simulate t=100 observe=V\ns = spikes d"), ND_OK);
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].json, "\"source\":\"dense\"");
    rec_fixture_teardown(&f);
}

TEST(cmd_spikes_fhn_rest_and_spiking)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use fhn\nr = simulate t=300\nsr = spikes r"), ND_OK);
    CHECK_NEAR(field(&f, "sr", "count"), 0, 0);
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].json, "\"kind\":\"scaled\"");
    CHECK_INT(rec_fixture_run(&f, "set I = 0.5\ns = simulate t=300\nss = spikes s"), ND_OK);
    CHECK(field(&f, "ss", "count") >= 7);   /* the exact count: tests/python/test_spikes.py */
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].text, "per 1000 time units");   /* no ms axis */
    rec_fixture_teardown(&f);
}

TEST(cmd_spikes_explicit_threshold_overrides)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh\nset I = 10\nsim = simulate t=100\n"
                                  "s = spikes sim threshold=0 hysteresis=5"), ND_OK);
    CHECK_NEAR(field(&f, "s", "threshold"), 0, 0);
    CHECK_NEAR(field(&f, "s", "count"), 7, 0);
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].json, "\"kind\":\"given\"");
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].json, "\"hysteresis\":5");
    CHECK_INT(rec_fixture_run(&f, "spikes sim threshold=\"high\""), ND_ETYPE);
    rec_fixture_teardown(&f);
}

TEST(cmd_spikes_resets_are_spikes)
{
    /* LIF with R I = 20 mV: V relaxes from -65 towards -45 with tau = 10 ms and resets at
       -50, so it fires every 10 ln(20/5) = 13.863 ms: 7 resets in 100 ms, none of them
       reaching -20 mV (the rule for a model that resets: each reset is a spike). */
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use lif\nset I = 2\nsim = simulate t=100\ns = spikes sim"),
              ND_OK);
    CHECK_NEAR(field(&f, "s", "count"), 7, 0);
    size_t n;
    const double *t = vec(&f, "s", "times", &n), *p = vec(&f, "s", "peaks", &n);
    for (size_t i = 0; t && p && i < n; i++) {
        CHECK_NEAR(t[i], 10 * log(4) * (double)(i + 1), 1e-3);
        CHECK_NEAR(p[i], -50, 1e-6);
    }
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].json, "\"kind\":\"reset\"");
    /* A given threshold still works as a plain crossing (hysteresis: a tenth of the range). */
    CHECK_INT(rec_fixture_run(&f, "s = spikes sim threshold=-55"), ND_OK);
    CHECK_NEAR(field(&f, "s", "count"), 7, 0);
    CHECK_INT(rec_fixture_run(&f, "spikes sim hysteresis=2"), ND_EVALUE);
    rec_fixture_teardown(&f);
}
