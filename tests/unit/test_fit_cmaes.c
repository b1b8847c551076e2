/* Gradient-free fitting on synthetic recordings of the Wang–Buzsáki model whose true
   conductances are known (gNa = 30, gK = 14 mS/cm², not the model's 35 and 9): the
   features objective is zero at the truth and positive away from it, the F–I objective
   compares rates, and CMA-ES started at the model's own values recovers the truth. */
#include "test.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "../../lib/analysis/ephys.h"
#include "../../lib/learn/fit_cmaes.h"
#include "fit_fixture.h"

enum { NSWEEPS = 4 };
static const double amps_pa[NSWEEPS] = {-50, 100, 300, 600};
static const char *const names[2] = {"gNa", "gK"};

static nd_model *wb(void)
{
    nd_error e;
    return nd_model_builtin("wb", &e);
}

static int make_sweeps(const nd_model *m, nd_dataset **sw)
{
    for (int k = 0; k < NSWEEPS; k++)
        if (!(sw[k] = fit_fx_sweep(m, 30, 14, amps_pa[k]))) return -1;
    return 0;
}

static void free_sweeps(nd_dataset **sw)
{
    for (int k = 0; k < NSWEEPS; k++) nd_ds_free(sw[k]);
}

/* The features objective of gNa and gK over the fixture's sweeps (NULL on failure). */
static nd_fit_objective *features_objective(const nd_model *m, nd_dataset **sw, nd_error *e)
{
    nd_fit_setup s;
    nd_fit_setup_default(&s);
    s.capacitance_pf = FIT_FX_CAP_PF;
    return nd_fit_objective_create(m, names, 2, (const nd_dataset *const *)sw, NSWEEPS, &s, e);
}

TEST(fit_features_objective_is_zero_at_the_truth_only)
{
    nd_model *m = wb();
    nd_dataset *sw[NSWEEPS] = {0};
    CHECK(m && make_sweeps(m, sw) == 0);
    nd_error e;
    nd_fit_objective *f = features_objective(m, sw, &e);
    CHECK(f != NULL);
    if (f) {
        /* the recordings: silent at -50 pA, spiking at the others */
        CHECK_INT(nd_fit_sweep_spikes(f, 0), 0);
        for (int k = 1; k < NSWEEPS; k++) CHECK(nd_fit_sweep_spikes(f, k) > 3);
        double truth[2] = {30, 14}, start[2] = {35, 9}, near[2] = {30.6, 14}, v0, v1, v2;
        clock_t c0 = clock();
        CHECK_INT(nd_fit_objective_eval(f, truth, 2, &v0), 0);
        printf("    one evaluation (4 sweeps): %.1f ms CPU\n", 1e3 * (double)(clock() - c0) / CLOCKS_PER_SEC);
        CHECK_INT(nd_fit_objective_eval(f, start, 2, &v1), 0);
        CHECK_INT(nd_fit_objective_eval(f, near, 2, &v2), 0);
        /* replayed as samples, simulated at rtol 1e-6: not bit-exact, but every feature
           within a small fraction of its scale */
        CHECK(v0 < 0.5);
        CHECK(v1 > 5);
        CHECK(v2 > v0);
        printf("    features distance: truth %.3g, start %.3g, gNa +2%% %.3g\n", v0, v1, v2);
        /* gNa = 8: the model stays silent at 100 pA, where the recording fires: its latency,
           ISI, peak and trough are missing, 250 each on top of the count's score */
        double weak[2] = {8, 14}, vw = 0, *v = NULL;
        CHECK_INT(nd_fit_objective_eval(f, weak, 2, &vw), 0);
        CHECK_INT(nd_fit_objective_trace(f, 1, weak, &v, &e), ND_OK);
        size_t n = nd_fit_sweep_length(f, 1);
        double *t = malloc(n * sizeof *t);
        for (size_t k = 0; t && k < n; k++) t[k] = (double)k * FIT_FX_DT;
        nd_ephys_trace tr = {t, v, NULL, n, n, 0, FIT_FX_ON, FIT_FX_OFF, 100};
        nd_ephys_sweep ms;
        CHECK_INT(nd_ephys_sweep_analyze(&tr, NULL, &ms, &e), ND_OK);
        CHECK_INT(ms.n_spikes, 0);
        double nd = (double)nd_fit_sweep_spikes(f, 1);
        CHECK(vw >= 4 * ND_FIT_MISSING + nd / fmax(1, 0.1 * nd));
        nd_ephys_sweep_clear(&ms);
        free(t);
        free(v);
    }
    nd_fit_objective_free(f);
    free_sweeps(sw);
    nd_model_free(m);
}

/* The report lists what the objective sums: every feature the recording has, sweep by
   sweep (the silent sweep: its spike count and steady state; a spiking one: count,
   latency, ISI, peak, trough), each score |model − data| / scale, matched within two. */
TEST(fit_report_lists_the_features_the_objective_sums)
{
    nd_model *m = wb();
    nd_dataset *sw[NSWEEPS] = {0};
    CHECK(m && make_sweeps(m, sw) == 0);
    nd_error e;
    nd_fit_objective *f = features_objective(m, sw, &e);
    CHECK(f != NULL);
    double start[2] = {35, 9}, value = -1, sum = 0;
    nd_fit_feature *feat = NULL;
    size_t n = 0, per[NSWEEPS] = {0};
    if (f) {
        CHECK_INT(nd_fit_objective_eval(f, start, 2, &value), 0);
        CHECK_INT(nd_fit_objective_report(f, start, &feat, &n, &e), ND_OK);
    }
    for (size_t i = 0; i < n; i++) {
        const nd_fit_feature *x = &feat[i];
        sum += x->score;
        per[x->sweep]++;
        CHECK_NEAR(x->score, fabs(x->model - x->data) / x->scale, 1e-12);
        CHECK_INT(x->matched, x->score <= 2);
        if (strcmp(x->name, "spike count") == 0)
            CHECK_NEAR(x->data, (double)nd_fit_sweep_spikes(f, x->sweep), 0);
    }
    CHECK_INT(n, 2 + 3 * 5);
    CHECK_INT(per[0], 2);
    CHECK_STR(n ? feat[1].name : "", "steady state");
    CHECK_NEAR(sum, value, 1e-12 * value);
    size_t missed = 0;
    for (size_t i = 0; i < n; i++) missed += !feat[i].matched;
    CHECK(missed > 0);                   /* the start is another cell */
    free(feat);
    nd_fit_objective_free(f);
    free_sweeps(sw);
    nd_model_free(m);
}

/* Counts the generations reported, checking that each sees parameter values in bounds. */
static void count_progress(void *ctx, const nd_cmaes_state *s)
{
    long *calls = ctx;
    (*calls)++;
    if (!(s->xbest[0] >= 10 && s->xbest[0] <= 100 && s->xbest[1] >= 2 && s->xbest[1] <= 40))
        *calls = -1000000;
}

TEST(fit_cmaes_features_recovers_gna_and_gk)
{
    nd_model *m = wb();
    nd_dataset *sw[NSWEEPS] = {0};
    CHECK(m && make_sweeps(m, sw) == 0);
    nd_fit_cmaes_options o;
    nd_fit_cmaes_options_default(&o);
    o.setup.capacitance_pf = FIT_FX_CAP_PF;
    o.cmaes.seed = 5;
    o.cmaes.threads = 2;
    long calls = 0;
    o.cmaes.progress = count_progress, o.cmaes.progress_ctx = &calls;
    double lo[2] = {10, 2}, hi[2] = {100, 40};
    nd_fit_cmaes_result r;
    nd_error e;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    nd_status st = nd_fit_cmaes(m, names, 2, NULL, lo, hi, (const nd_dataset *const *)sw, NSWEEPS, &o, &r, &e);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK_INT(st, ND_OK);
    if (st == ND_OK) {
        printf("    recovered gNa %.4f gK %.4f (truth 30, 14), value %.3g from %.3g, %ld evals, "
               "%ld generations, stop %s, %.1f s\n", r.best[0], r.best[1], r.value, r.start_value,
               r.evals, r.generations, nd_cmaes_stop_name(r.stop),
               (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
        CHECK(fabs(r.best[0] - 30) <= 0.3);     /* within 1 % */
        CHECK(fabs(r.best[1] - 14) <= 0.14);
        CHECK(r.value < r.start_value);
        CHECK_INT(calls, r.generations);
        CHECK(r.evals <= 1500);
    }
    nd_fit_cmaes_result_clear(&r);
    free_sweeps(sw);
    nd_model_free(m);
}

/* The rate of a fixture sweep, measured independently of the objective's replay. */
static double fixture_rate(const nd_model *m, double gNa, double gK, double amp)
{
    nd_dataset *d = fit_fx_sweep(m, gNa, gK, amp);
    size_t n = nd_ds_rows(d);
    nd_ephys_trace tr = {nd_ds_col(d, 0), nd_ds_col(d, 1), NULL, n, n, 0, FIT_FX_ON, FIT_FX_OFF, amp};
    nd_ephys_sweep s;
    nd_error e;
    double rate = nd_ephys_sweep_analyze(&tr, NULL, &s, &e) == ND_OK ? s.rate : NAN;
    nd_ephys_sweep_clear(&s);
    nd_ds_free(d);
    return rate;
}

TEST(fit_fi_objective_is_the_squared_rate_difference)
{
    nd_model *m = wb();
    nd_dataset *sw[NSWEEPS] = {0};
    CHECK(m && make_sweeps(m, sw) == 0);
    nd_fit_setup s;
    nd_fit_setup_default(&s);
    s.kind = ND_FIT_FI;
    s.capacitance_pf = FIT_FX_CAP_PF;
    nd_error e;
    nd_fit_objective *f = nd_fit_objective_create(m, names, 2, (const nd_dataset *const *)sw, NSWEEPS, &s, &e);
    CHECK(f != NULL);
    double expected = 0, truth[2] = {30, 14}, start[2] = {35, 9}, v0 = -1, v1 = -1;
    for (int k = 0; k < NSWEEPS; k++) {
        double d = fixture_rate(m, 35, 9, amps_pa[k]) - fixture_rate(m, 30, 14, amps_pa[k]);
        expected += d * d;
    }
    if (f) {
        CHECK_INT(nd_fit_objective_eval(f, truth, 2, &v0), 0);
        CHECK_INT(nd_fit_objective_eval(f, start, 2, &v1), 0);
    }
    CHECK(v0 == 0);                      /* the same spike counts: rates equal */
    CHECK(expected > 100);               /* the start fires differently … */
    CHECK_NEAR(v1, expected, 1e-12);     /* … by exactly the rates an independent run gives */
    nd_fit_objective_free(f);
    free_sweeps(sw);
    nd_model_free(m);
}

TEST(fit_cmaes_rejects_bad_input_with_reasons)
{
    nd_model *m = wb();
    nd_dataset *sw[1] = {fit_fx_sweep(m, 30, 14, 100)};
    nd_fit_cmaes_options o;
    nd_fit_cmaes_options_default(&o);
    nd_fit_cmaes_result r;
    nd_error e;
    const nd_dataset *const *d = (const nd_dataset *const *)sw;
    /* pA without a capacitance */
    CHECK_INT(nd_fit_cmaes(m, names, 2, NULL, NULL, NULL, d, 1, &o, &r, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "capacitance");
    o.setup.capacitance_pf = FIT_FX_CAP_PF;
    const char *bad[1] = {"gCa"}, *input[1] = {"I"}, *el[1] = {"EL"};
    CHECK_INT(nd_fit_cmaes(m, bad, 1, NULL, NULL, NULL, d, 1, &o, &r, &e), ND_ENAME);
    CHECK_CONTAINS(e.msg, "gCa");
    double one = 1;
    CHECK_INT(nd_fit_cmaes(m, input, 1, &one, NULL, NULL, d, 1, &o, &r, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "injected current");
    CHECK_INT(nd_fit_cmaes(m, el, 1, NULL, NULL, NULL, d, 1, &o, &r, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "EL needs finite bounds");
    double lo = 40, hi = 50;             /* gNa = 35 outside */
    CHECK_INT(nd_fit_cmaes(m, names, 1, NULL, &lo, &hi, d, 1, &o, &r, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "outside its bounds");
    o.setup.v_column = "Vm";
    CHECK_INT(nd_fit_cmaes(m, names, 1, NULL, NULL, NULL, d, 1, &o, &r, &e), ND_ENAME);
    CHECK_CONTAINS(e.msg, "sweep 1");
    nd_ds_free(sw[0]);
    nd_model_free(m);
}

static void interrupt_at_3(void *ctx, const nd_cmaes_state *s)
{
    if (s->generation == 3) atomic_store((atomic_int *)ctx, 1);
}

TEST(fit_cmaes_interrupt_keeps_the_best_so_far)
{
    nd_model *m = wb();
    nd_dataset *sw[NSWEEPS] = {0};
    CHECK(m && make_sweeps(m, sw) == 0);
    atomic_int flag = 0;
    nd_fit_cmaes_options o;
    nd_fit_cmaes_options_default(&o);
    o.setup.capacitance_pf = FIT_FX_CAP_PF;
    o.cmaes.interrupt = &flag;
    o.cmaes.progress = interrupt_at_3, o.cmaes.progress_ctx = &flag;
    double lo[2] = {10, 2}, hi[2] = {100, 40};
    nd_fit_cmaes_result r;
    nd_error e;
    CHECK_INT(nd_fit_cmaes(m, names, 2, NULL, lo, hi, (const nd_dataset *const *)sw, NSWEEPS, &o, &r, &e), ND_OK);
    CHECK_INT(r.stop, ND_CMAES_INTERRUPT);
    CHECK_INT(r.generations, 3);
    CHECK(r.value <= r.start_value && isfinite(r.value));
    /* the value reported is the objective at the parameters kept */
    nd_fit_setup s = o.setup;
    s.interrupt = NULL;
    nd_fit_objective *f = nd_fit_objective_create(m, names, 2, (const nd_dataset *const *)sw, NSWEEPS, &s, &e);
    double v = -1;
    if (f && r.best) CHECK_INT(nd_fit_objective_eval(f, r.best, 2, &v), 0);
    CHECK(v == r.value);
    nd_fit_objective_free(f);
    nd_fit_cmaes_result_clear(&r);
    free_sweeps(sw);
    nd_model_free(m);
}
