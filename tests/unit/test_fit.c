/* Parameter fitting (lib/learn/fit*.c): the exact gradient against central differences,
   a one-parameter problem with a closed-form least-squares answer and standard error,
   and the warning for a pair of parameters only whose product matters. */
#include <stdlib.h>

#include "../../lib/learn/fit.h"
#include "../../lib/learn/simulate.h"
#include "fit_fixture.h"
#include "test.h"

static nd_model *model_text(const char *name, const char *src)
{
    nd_error e = {0};
    nd_model *m = nd_model_parse(name, src, strlen(src), 1, 1, &e);
    if (!m) fprintf(stderr, "%s\n", e.msg);
    return m;
}

TEST(fit_gradient_matches_central_differences_hh)
{
    nd_error e = {0};
    nd_model *truth = nd_model_builtin("hh", &e);
    nd_model_set_par(truth, "gNa", 100, &e);
    nd_model_set_par(truth, "gK", 30, &e);
    nd_stim *s = nd_stim_create();
    nd_stim_add_step(s, 2, 10, 10);
    int I = nd_model_index(truth, ND_MODEL_PAR, "I");
    nd_dataset *ds = fit_fx_synth(truth, 20, 0.1, s, I);
    nd_model *m = nd_model_builtin("hh", &e);
    const char *params[] = {"gNa", "gK", "gL"}, *obs[] = {"V"};
    for (size_t segments = 1; segments <= 3; segments += 2) {
        nd_fit_options o;
        nd_fit_options_default(&o);
        o.params = params, o.nparams = 3, o.observe = obs, o.nobserve = 1;
        o.segments = segments;
        o.continuity = 0.5;
        const nd_dataset *d[] = {ds};
        nd_fit *f = nd_fit_create(m, d, 1, &o, &e);
        CHECK(f != NULL);
        if (!f) continue;
        CHECK_INT(nd_fit_ntheta(f), 3 + (segments - 1) * 4);
        double th[16];
        nd_fit_theta(f, th);
        for (size_t i = 3; i < nd_fit_ntheta(f); i++) th[i] *= 1.02;   /* off the trajectory */
        double rel = fit_fx_grad_error(f, th, 1e-5);
        CHECK(rel < 1e-6);
        nd_fit_free(f);
    }
    nd_ds_free(ds);
    nd_stim_free(s);
    nd_model_free(m);
    nd_model_free(truth);
}

/* dx/dt = b − x from x(0) = 0: x(t) = b(1 − e^−t), linear in b, so least squares on data
   y_i gives b̂ = Σ g_i y_i / Σ g_i² with g_i = 1 − e^−t_i, and SE(b̂) = σ/√Σ g_i². */
TEST(fit_linear_decay_closed_form)
{
    nd_model *m = model_text("relax", "dx/dt = b - x\npar b = 1\ninit x = 0\n");
    CHECK(m != NULL);
    if (!m) return;
    const char *names[] = {"t", "x"};
    nd_dataset *ds = nd_ds_create(2, names, NULL);
    double sgg = 0, sgy = 0;
    for (int i = 0; i <= 50; i++) {
        double t = 0.1 * i, g = 1 - exp(-t);
        double y = 2.5 * g + 0.01 * sin(7.3 * i);   /* deterministic "noise" */
        double row[2] = {t, y};
        nd_ds_append(ds, row);
        sgg += g * g, sgy += g * y;
    }
    double bhat = sgy / sgg, ssr = 0;
    for (int i = 0; i <= 50; i++) {
        double t = 0.1 * i, g = 1 - exp(-t), r = 2.5 * g + 0.01 * sin(7.3 * i) - bhat * g;
        ssr += r * r;
    }
    double se = sqrt(ssr / (51 - 1)) / sqrt(sgg);
    const char *params[] = {"b"};
    for (int method = 0; method < 2; method++) {
        nd_error e = {0};
        nd_fit_options o;
        nd_fit_options_default(&o);
        o.params = params, o.nparams = 1, o.dt = 0.005;
        const nd_dataset *d[] = {ds};
        nd_fit *f = nd_fit_create(m, d, 1, &o, &e);
        CHECK(f != NULL);
        if (!f) continue;
        nd_fit_run_info info;
        CHECK(nd_fit_run(f, method ? ND_FIT_LM : ND_FIT_LBFGS, 200, NULL, &info, &e) == ND_OK);
        CHECK_NEAR(nd_fit_values(f)[0], bhat, 1e-7);
        nd_fit_stats st;
        CHECK(nd_fit_stats_compute(f, &st, &e) == ND_OK);
        CHECK_NEAR(st.se[0], se, 1e-5);
        CHECK_NEAR(st.ssr, ssr, 1e-6);
        CHECK(st.identifiable && st.warning == NULL);
        nd_fit_stats_free(&st);
        nd_fit_free(f);
    }
    nd_ds_free(ds);
    nd_model_free(m);
}

TEST(fit_product_pair_is_not_identifiable)
{
    nd_model *m = model_text("prod", "dV/dt = (a*b)*(1 - V)\npar a = 1\npar b = 1\ninit V = 0\n");
    CHECK(m != NULL);
    if (!m) return;
    nd_model *truth = nd_model_copy(m);
    nd_error e = {0};
    nd_model_set_par(truth, "a", 2, &e);
    nd_dataset *ds = fit_fx_synth(truth, 3, 0.05, NULL, -1);
    const char *params[] = {"a", "b"};
    nd_fit_options o;
    nd_fit_options_default(&o);
    o.params = params, o.nparams = 2;
    const nd_dataset *d[] = {ds};
    nd_fit *f = nd_fit_create(m, d, 1, &o, &e);
    CHECK(f != NULL);
    if (f) {
        CHECK(nd_fit_run(f, ND_FIT_LM, 100, NULL, NULL, &e) == ND_OK);
        CHECK_NEAR(nd_fit_values(f)[0] * nd_fit_values(f)[1], 2.0, 1e-5);
        nd_fit_stats st;
        CHECK(nd_fit_stats_compute(f, &st, &e) == ND_OK);
        CHECK(!st.identifiable);
        CHECK_CONTAINS(st.warning, "a and b trade off");
        nd_fit_stats_free(&st);
        nd_fit_free(f);
    }
    nd_ds_free(ds);
    nd_model_free(truth);
    nd_model_free(m);
}

TEST(fit_errors_name_the_problem)
{
    nd_error e = {0};
    nd_model *m = nd_model_builtin("hh", &e);
    const char *names[] = {"t", "n"};
    nd_dataset *ds = nd_ds_create(2, names, NULL);
    double row[2] = {0, 0.3};
    nd_ds_append(ds, row);
    row[0] = 1;
    nd_ds_append(ds, row);
    const nd_dataset *d[] = {ds};
    const char *bad[] = {"gNaa"}, *obs[] = {"V"};
    nd_fit_options o;
    nd_fit_options_default(&o);
    o.params = bad, o.nparams = 1;
    CHECK(nd_fit_create(m, d, 1, &o, &e) == NULL);
    CHECK_CONTAINS(e.msg, "no parameter 'gNaa' (did you mean 'gNa'?)");
    const char *good[] = {"gNa"};
    o.params = good, o.observe = obs, o.nobserve = 1;
    CHECK(nd_fit_create(m, d, 1, &o, &e) == NULL);
    CHECK_CONTAINS(e.msg, "no column 'V'");
    nd_ds_free(ds);
    nd_model_free(m);
}

/* Two sweeps of one cell under different currents share gNa and gK; the second spikes
   repeatedly, so it is fitted in shooting segments. Noise-free data from a tight dp5
   solve: both parameters come back to 1e-3 from the defaults, with either method. */
TEST(fit_two_sweeps_with_shooting_recover_the_truth)
{
    nd_error e = {0};
    nd_model *truth = nd_model_builtin("hh", &e);
    nd_model_set_par(truth, "gNa", 100, &e);
    nd_model_set_par(truth, "gK", 30, &e);
    int I = nd_model_index(truth, ND_MODEL_PAR, "I");
    nd_stim *s1 = nd_stim_create(), *s2 = nd_stim_create();
    nd_stim_add_step(s1, 2, 5, 8);
    nd_stim_add_step(s2, 2, 40, 12);
    nd_dataset *d1 = fit_fx_synth(truth, 20, 0.1, s1, I), *d2 = fit_fx_synth(truth, 50, 0.1, s2, I);
    nd_model *m = nd_model_builtin("hh", &e);
    const char *params[] = {"gNa", "gK"}, *obs[] = {"V"};
    for (int method = 0; method < 2; method++) {
        nd_fit_options o;
        nd_fit_options_default(&o);
        o.params = params, o.nparams = 2, o.observe = obs, o.nobserve = 1;
        o.segments = 4;
        const nd_dataset *d[] = {d1, d2};
        nd_fit *f = nd_fit_create(m, d, 2, &o, &e);
        CHECK(f != NULL);
        if (!f) continue;
        CHECK_INT(nd_fit_ntheta(f), 2 + 2 * 3 * 4);
        int par;
        CHECK(nd_fit_stim(f, 1, &par) != NULL && par == I);
        CHECK(nd_fit_run(f, method ? ND_FIT_LBFGS : ND_FIT_LM, 400, NULL, NULL, &e) == ND_OK);
        CHECK_NEAR(nd_fit_values(f)[0], 100, 1e-3);
        CHECK_NEAR(nd_fit_values(f)[1], 30, 1e-3);
        nd_fit_free(f);
    }
    nd_ds_free(d1), nd_ds_free(d2);
    nd_stim_free(s1), nd_stim_free(s2);
    nd_model_free(m);
    nd_model_free(truth);
}

/* An interrupt before the first iteration stops the search and keeps the starting point
   (the best seen); a later run continues from there. */
TEST(fit_interrupt_keeps_the_best)
{
    nd_model *m = model_text("relax", "dx/dt = b - x\npar b = 1\ninit x = 0\n");
    const char *names[] = {"t", "x"};
    nd_dataset *ds = nd_ds_create(2, names, NULL);
    for (int i = 0; i <= 20; i++) {
        double row[2] = {0.1 * i, 3 * (1 - exp(-0.1 * i))};
        nd_ds_append(ds, row);
    }
    const char *params[] = {"b"};
    nd_fit_options o;
    nd_fit_options_default(&o);
    o.params = params, o.nparams = 1;
    const nd_dataset *d[] = {ds};
    nd_error e = {0};
    nd_fit *f = nd_fit_create(m, d, 1, &o, &e);
    atomic_int stop = 1;
    nd_optim_callbacks cb = {&stop, NULL, NULL, NULL, NULL};
    CHECK(nd_fit_run(f, ND_FIT_LM, 50, &cb, NULL, &e) == ND_EINTERRUPT);
    CHECK_NEAR(nd_fit_values(f)[0], 1, 1e-12);
    CHECK(nd_fit_run(f, ND_FIT_LM, 50, NULL, NULL, &e) == ND_OK);
    CHECK_NEAR(nd_fit_values(f)[0], 3, 1e-6);
    nd_fit_free(f);
    nd_ds_free(ds);
    nd_model_free(m);
}
