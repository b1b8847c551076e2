/* Fitting through `when` resets (lib/learn/fit_events.c, saltation.c): the loss gradient
   of lif and izh against central differences, with parameters in the threshold, the
   reset map and the flow (single shooting and in segments); and lif and izh parameters
   recovered from data simulated at other values by the adaptive solver (which locates
   its events independently), with the spike count the closed form (lif) or the data's
   resets (izh) give. */
#include <stdlib.h>

#include "../../lib/learn/fit.h"
#include "fit_fixture.h"
#include "test.h"

/* A built-in model with the named parameters set. */
static nd_model *builtin_with(const char *name, const char *const *par, const double *v, size_t n)
{
    nd_error e = {0};
    nd_model *m = nd_model_builtin(name, &e);
    for (size_t i = 0; m && i < n; i++) nd_model_set_par(m, par[i], v[i], &e);
    return m;
}

/* The resets in column col of ds: downward jumps of more than drop between samples. */
static size_t count_drops(const nd_dataset *ds, const char *col, double drop)
{
    const double *v = nd_ds_col(ds, (size_t)nd_ds_find(ds, col));
    size_t c = 0;
    for (size_t j = 1; j < nd_ds_rows(ds); j++) c += v[j - 1] - v[j] > drop;
    return c;
}

static nd_fit *fit_of(const nd_model *m, const nd_dataset *ds, const char *const *params,
                      size_t np, const char *obs, size_t segments)
{
    nd_fit_options o;
    nd_fit_options_default(&o);
    o.segments = segments;
    o.params = params, o.nparams = np;
    o.observe = &obs, o.nobserve = 1;
    const nd_dataset *d[] = {ds};
    nd_error e = {0};
    nd_fit *f = nd_fit_create(m, d, 1, &o, &e);
    if (!f) fprintf(stderr, "%s\n", e.msg);
    return f;
}

/* lif at tau 12, EL −63, Vth −52, Vreset −68, I 2: V∞ = EL + R I = −43 above threshold. */
static const char *LIF_PARS[] = {"tau", "EL", "Vth", "Vreset", "I"};
static const double LIF_TRUE[] = {12, -63, -52, -68, 2};
static const char *IZH_PARS[] = {"a", "b", "c", "d", "I"};
static const double IZH_TRUE[] = {0.03, 0.22, -60, 6, 10};

TEST(fit_events_gradient_matches_central_differences)
{
    for (int which = 0; which < 2; which++) {
        const char *name = which ? "izh" : "lif";
        const char *const *par = which ? IZH_PARS : LIF_PARS;
        nd_model *truth = builtin_with(name, par, which ? IZH_TRUE : LIF_TRUE, 5);
        nd_dataset *ds = fit_fx_synth(truth, which ? 100 : 60, 0.1, NULL, -1);
        CHECK(ds != NULL);
        /* Away from the truth, so every residual and its derivative count. */
        double off[5];
        for (int i = 0; i < 5; i++) off[i] = (which ? IZH_TRUE : LIF_TRUE)[i] * (i == 4 ? 1 : 1.03);
        nd_model *m = builtin_with(name, par, off, 5);
        /* Single shooting, and three segments whose starts (off the trajectory) are
           carried across the resets too. */
        for (size_t segments = 1; segments <= 3; segments += 2) {
            nd_fit *f = fit_of(m, ds, par, 4, which ? "v" : "V", segments);
            CHECK(f != NULL);
            if (!f) continue;
            CHECK(nd_fit_events(f) >= 3);
            double th[16];
            nd_fit_theta(f, th);
            for (size_t i = 4; i < nd_fit_ntheta(f); i++) th[i] *= 1.01;
            double rel = fit_fx_grad_error(f, th, 1e-7);
            fprintf(stderr, "    %s, %zu segment(s): gradient vs central differences %.2e\n",
                    name, segments, rel);
            CHECK(rel < 1e-6);
            nd_fit_free(f);
        }
        nd_ds_free(ds);
        nd_model_free(m);
        nd_model_free(truth);
    }
}

TEST(fit_events_recover_lif_and_izh)
{
    for (int which = 0; which < 2; which++) {
        const char *name = which ? "izh" : "lif";
        const char *const *par = which ? IZH_PARS : LIF_PARS;
        const double *truth_v = which ? IZH_TRUE : LIF_TRUE;
        nd_model *truth = builtin_with(name, par, truth_v, 5);
        double T = which ? 200 : 60;
        nd_dataset *ds = fit_fx_synth(truth, T, 0.1, NULL, -1);
        /* Every parameter 1 % (lif) or 5 % (izh) off, each way: the same spike count. */
        double start[5], off = which ? 0.05 : 0.01;
        for (int i = 0; i < 5; i++) start[i] = truth_v[i] * (i < 4 ? 1 + (i % 2 ? -off : off) : 1);
        nd_model *m = builtin_with(name, par, start, 5);
        nd_fit *f = fit_of(m, ds, par, 4, which ? "v" : "V", 1);
        CHECK(f != NULL);
        if (!f) continue;
        size_t spikes0 = nd_fit_events(f);
        CHECK_INT(spikes0, which ? count_drops(ds, "v", 50) : 5);
        nd_error e = {0};
        nd_fit_run_info info;
        CHECK(nd_fit_run(f, ND_FIT_LM, 200, NULL, &info, &e) == ND_OK);
        fprintf(stderr, "    %s: %zu → %zu events, %ld iterations, loss %.3g (%s):", name,
                spikes0, nd_fit_events(f), info.iterations, info.loss, info.stop);
        for (int i = 0; i < 4; i++) fprintf(stderr, " %s %.6g", par[i], nd_fit_values(f)[i]);
        fprintf(stderr, "\n");
        for (int i = 0; i < 4; i++)
            CHECK_NEAR(nd_fit_values(f)[i], truth_v[i], 0.02 * fabs(truth_v[i]));
        if (which == 0) {
            /* Closed form: V(t) = V∞ + (V0 − V∞)e^{−t/τ}; first spike, then every ISI. */
            double Vinf = truth_v[1] + 10 * truth_v[4], V0 = -65;
            double t1 = truth_v[0] * log((Vinf - V0) / (Vinf - truth_v[2]));
            double isi = truth_v[0] * log((Vinf - truth_v[3]) / (Vinf - truth_v[2]));
            CHECK_INT(nd_fit_events(f), (size_t)floor((T - t1) / isi) + 1);
        } else {
            CHECK_INT(nd_fit_events(f), count_drops(ds, "v", 50));
        }
        nd_fit_stats st;
        CHECK(nd_fit_stats_compute(f, &st, &e) == ND_OK);
        CHECK_INT(st.resets, (long)nd_fit_events(f));
        CHECK_INT(st.resets_data, (long)nd_fit_events(f));
        CHECK(st.warning == NULL || !strstr(st.warning, "resets"));
        nd_fit_stats_free(&st);
        nd_fit_free(f);
        nd_ds_free(ds);
        nd_model_free(m);
        nd_model_free(truth);
    }
}

/* A start that fires more often than the data: the result says so. lif at I = 3 fires
   faster than the data at I = 2 (closed form: 5 spikes in 60 ms at I = 2, more at 3). */
TEST(fit_events_count_mismatch_is_reported)
{
    nd_model *truth = builtin_with("lif", LIF_PARS, LIF_TRUE, 5);
    nd_dataset *ds = fit_fx_synth(truth, 60, 0.1, NULL, -1);
    const double fast[] = {12, -63, -52, -68, 3};
    nd_model *m = builtin_with("lif", LIF_PARS, fast, 5);
    nd_fit *f = fit_of(m, ds, LIF_PARS, 2, "V", 1);
    CHECK(f != NULL);
    if (f) {
        nd_fit_stats st;
        nd_error e = {0};
        CHECK(nd_fit_stats_compute(f, &st, &e) == ND_OK);
        CHECK_INT(st.resets_data, 5);
        CHECK(st.resets > 5);
        CHECK(st.warning && strstr(st.warning, "the data 5"));
        nd_fit_stats_free(&st);
    }
    nd_fit_free(f);
    nd_ds_free(ds);
    nd_model_free(m);
    nd_model_free(truth);
}

/* Two datasets of one cell, the longer first: each keeps its own resets and the gradient
   of the summed loss is still the central differences'. */
TEST(fit_events_two_datasets)
{
    nd_model *truth = builtin_with("lif", LIF_PARS, LIF_TRUE, 5);
    nd_dataset *d1 = fit_fx_synth(truth, 60, 0.1, NULL, -1), *d2 = fit_fx_synth(truth, 30, 0.1, NULL, -1);
    double off[5];
    for (int i = 0; i < 5; i++) off[i] = LIF_TRUE[i] * (i == 4 ? 1 : 1.03);
    nd_model *m = builtin_with("lif", LIF_PARS, off, 5);
    nd_fit_options o;
    nd_fit_options_default(&o);
    o.params = LIF_PARS, o.nparams = 4;
    const nd_dataset *d[] = {d1, d2};
    nd_error e = {0};
    nd_fit *f = nd_fit_create(m, d, 2, &o, &e);
    CHECK(f != NULL);
    if (f) {
        double th[4];
        nd_fit_theta(f, th);
        CHECK(fit_fx_grad_error(f, th, 1e-7) < 1e-6);
        nd_fit_stats st;
        CHECK(nd_fit_stats_compute(f, &st, &e) == ND_OK);
        CHECK_INT(st.resets_data, 5 + 2);   /* closed form: spikes at 10.7 + k·12.3 ms */
        nd_fit_stats_free(&st);
    }
    nd_fit_free(f);
    nd_ds_free(d1), nd_ds_free(d2);
    nd_model_free(m);
    nd_model_free(truth);
}
