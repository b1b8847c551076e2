/* Several experiments in one training loss: its gradient against central differences, the
   loss and gradient as the sum of the single-experiment ones, each experiment under the
   stimulus its data records, and `train NET DATA1 DATA2` end to end with its errors. */
#include <stdlib.h>
#include <string.h>

#include "../../lib/data/noise.h"
#include "../../lib/language/objects.h"
#include "../../lib/language/workspace.h"
#include "../../lib/learn/ude.h"
#include "rec_sink.h"
#include "test.h"
#include "ude_fixture.h"

/* hh_rinzel simulated for t1 ms under stim, V kept with 5 % noise, the stimulus attached
   as `simulate` attaches it (on I, metadata "input"). */
static nd_dataset *recording(const nd_model *m, nd_stim *stim, double t1, unsigned long seed)
{
    int par = nd_model_index(m, ND_MODEL_PAR, "I");
    nd_dataset *full = ude_fx_simulate(m, stim, par, t1, 0.1);
    const char *cols[] = {"t", "V"};
    nd_dataset *d = ude_fx_select(full, cols, 2);
    nd_ds_add_noise(d, "V", 0.05, seed, NULL);
    nd_ds_set_meta(d, "input", "I");
    nd_ds_set_stim(d, stim);
    nd_ds_free(full);
    return d;
}

typedef struct two {
    nd_model *m;
    nd_ude *u;                /* its own stimulus: none */
    nd_dataset *d[2];         /* a step (8 ms) and a ramp (6 ms) */
    nd_ude_experiment ex[2];
} two;

static void two_setup(two *w)
{
    w->m = nd_model_builtin("hh_rinzel", NULL);
    nd_stim *step = nd_stim_create(), *ramp = nd_stim_create();
    nd_stim_add_step(step, 1, 20, 10);
    nd_stim_add_ramp(ramp, 0, 6, 0, 30);
    w->d[0] = recording(w->m, step, 8, 1);
    w->d[1] = recording(w->m, ramp, 6, 2);
    const char *rep[] = {"INa"}, *in[] = {"V", "n"};
    size_t hidden[] = {5, 4};
    nd_ude_spec s = {rep, 1, in, 2, hidden, 2, ND_ACT_TANH, 3};
    w->u = nd_ude_create(w->m, &s, NULL);
    for (int k = 0; k < 2; k++) CHECK_INT(nd_ude_experiment_of(w->u, w->d[k], &w->ex[k], NULL), ND_OK);
}

static void two_teardown(two *w)
{
    nd_ude_free(w->u);
    nd_ds_free(w->d[0]);
    nd_ds_free(w->d[1]);
    nd_model_free(w->m);
}

static void fit_options(nd_ude_fit_options *o, double l2)
{
    nd_ude_fit_options_default(o);
    o->segments = 3;
    o->dt = 0.05;
    o->l2 = l2;
    o->continuity = 2;
}

TEST(ude_multi_gradient_matches_finite_differences)
{
    two w;
    two_setup(&w);
    CHECK(w.ex[0].stim == nd_ds_stim(w.d[0]) && w.ex[1].stim == nd_ds_stim(w.d[1]));
    CHECK_INT(w.ex[0].stim_par, nd_model_index(w.m, ND_MODEL_PAR, "I"));
    nd_ude_fit_options o;
    fit_options(&o, 1e-3);
    nd_error err = {0};
    nd_ude_fit *f = nd_ude_fit_create_multi(w.u, w.ex, 2, &o, &err);
    CHECK(f != NULL);
    if (f) {
        /* the network's 2·5+5 + 5·4+4 + 4+1 = 44 parameters, then 2 segment starts × 2
           states per experiment */
        CHECK_INT(nd_ude_fit_nparams(f), 44 + 4 + 4);
        double e = ude_fx_gradient_error(f);
        if (!(e < 1e-6)) nd_test_fail(__FILE__, __LINE__, "gradient error %g", e);
        CHECK_INT(nd_ude_fit_set_collocation(f, 1, &err), ND_OK);
        e = ude_fx_gradient_error(f);
        if (!(e < 1e-6)) nd_test_fail(__FILE__, __LINE__, "collocation gradient error %g", e);
    }
    nd_ude_fit_free(f);
    two_teardown(&w);
}

TEST(ude_multi_loss_and_gradient_are_the_sums_of_the_experiments)
{
    two w;
    two_setup(&w);
    nd_ude_fit_options o;
    fit_options(&o, 0);
    nd_ude_fit *f = nd_ude_fit_create_multi(w.u, w.ex, 2, &o, NULL);
    nd_ude_fit *one[2] = {nd_ude_fit_create_multi(w.u, &w.ex[0], 1, &o, NULL),
                          nd_ude_fit_create_multi(w.u, &w.ex[1], 1, &o, NULL)};
    CHECK(f && one[0] && one[1]);
    if (f && one[0] && one[1]) {
        size_t N = nd_ude_fit_nparams(f), P = 44;
        double th[64], g[64], th1[64], g1[64], L, L1, sum = 0;
        nd_ude_fit_theta(f, th);
        for (size_t i = 0; i < N; i++) th[i] += 0.05 * sin(2.0 + (double)i);
        CHECK_INT(nd_ude_fit_loss(f, th, &L, g), 0);
        double gnet[64] = {0};
        size_t off = P;
        for (int k = 0; k < 2; k++) {
            size_t own = nd_ude_fit_nparams(one[k]) - P;
            memcpy(th1, th, P * sizeof *th1);
            memcpy(th1 + P, th + off, own * sizeof *th1);
            CHECK_INT(nd_ude_fit_loss(one[k], th1, &L1, g1), 0);
            sum += L1;
            for (size_t i = 0; i < P; i++) gnet[i] += g1[i];
            for (size_t i = 0; i < own; i++) CHECK_NEAR(g[off + i], g1[P + i], 1e-12);
            off += own;
        }
        CHECK_INT(off, N);
        CHECK_NEAR(L, sum, 1e-12 * sum);
        for (size_t i = 0; i < P; i++) CHECK_NEAR(g[i], gnet[i], 1e-12 * (1 + fabs(gnet[i])));
    }
    nd_ude_fit_free(f);
    nd_ude_fit_free(one[0]);
    nd_ude_fit_free(one[1]);
    two_teardown(&w);
}

TEST(ude_multi_each_experiment_runs_under_its_recorded_stimulus)
{
    /* The ramp experiment of a network without a stimulus must give the loss of the same
       network whose own stimulus is that ramp, fitted on the same data. */
    two w;
    two_setup(&w);
    nd_ude_fit_options o;
    fit_options(&o, 0);
    nd_ude *v = nd_ude_copy(w.u);
    CHECK_INT(nd_ude_set_stim(v, w.ex[1].stim, w.ex[1].stim_par, NULL), ND_OK);
    nd_ude_fit *a = nd_ude_fit_create_multi(w.u, &w.ex[1], 1, &o, NULL);
    nd_ude_fit *b = nd_ude_fit_create(v, w.d[1], &o, NULL);
    nd_ude_fit *none = nd_ude_fit_create(w.u, w.d[1], &o, NULL);   /* no stimulus at all */
    CHECK(a && b && none);
    if (a && b && none) {
        double th[64], La, Lb, Ln;
        nd_ude_fit_theta(a, th);
        CHECK_INT(nd_ude_fit_loss(a, th, &La, NULL), 0);
        CHECK_INT(nd_ude_fit_loss(b, th, &Lb, NULL), 0);
        CHECK_INT(nd_ude_fit_loss(none, th, &Ln, NULL), 0);
        CHECK_NEAR(La, Lb, 1e-12 * Lb);
        if (!(fabs(La - Ln) > 1e-6 * Ln))   /* far above rounding (1e-12) */
            nd_test_fail(__FILE__, __LINE__, "the stimulus changes nothing: %g, %g", La, Ln);
    }
    nd_ude_fit_free(a);
    nd_ude_fit_free(b);
    nd_ude_fit_free(none);
    nd_ude_free(v);
    two_teardown(&w);
}

TEST(ude_multi_experiments_must_observe_the_same_variables)
{
    two w;
    two_setup(&w);
    nd_model *m = w.m;
    nd_stim *step = nd_stim_create();
    nd_stim_add_step(step, 1, 20, 10);
    nd_dataset *both = ude_fx_simulate(m, step, nd_model_index(m, ND_MODEL_PAR, "I"), 5, 0.1);
    nd_stim_free(step);
    nd_ude_experiment ex[2] = {w.ex[0], {both, NULL, -1}};
    nd_error err = {0};
    CHECK_INT(nd_ude_experiments_differ(w.u, ex, 2, NULL, &err), 1);
    CHECK_CONTAINS(err.msg, "this one V, n, the first V");
    CHECK(nd_ude_fit_create_multi(w.u, ex, 2, NULL, &err) == NULL);
    /* observe=V makes them the same */
    const char *obs[] = {"V"};
    nd_ude_fit_options o;
    nd_ude_fit_options_default(&o);
    o.observe = obs;
    o.nobserve = 1;
    CHECK_INT(nd_ude_experiments_differ(w.u, ex, 2, &o, &err), 0);
    nd_ude_fit *f = nd_ude_fit_create_multi(w.u, ex, 2, &o, &err);
    CHECK(f != NULL);
    nd_ude_fit_free(f);
    nd_ds_free(both);
    two_teardown(&w);
}

/* ---- through the command ---- */

#define TWO_SETUP                                                                          \
    "use hh_rinzel\nstim step at=1 dur=20 amp=10\n"                                        \
    "d1 = simulate t=8 sample=0.1 observe=V noise=0.05 seed=1\n"                           \
    "stim ramp t0=0 t1=6 a0=0 a1=30\n"                                                     \
    "d2 = simulate t=6 sample=0.1 observe=V noise=0.05 seed=2\n"                           \
    "net = ude replace=INa inputs=V,n hidden=5,4 seed=3\n"

static const rec_event *last_json(const rec_fixture *f, const char *needle)
{
    for (int i = f->r.n - 1; i >= 0; i--)
        if (f->r.ev[i].json && strstr(f->r.ev[i].json, needle)) return &f->r.ev[i];
    return NULL;
}

TEST(cmd_train_two_datasets_gives_a_verdict_for_each)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, TWO_SETUP "t = train net d1 d2 observe=V lbfgs iters=5"),
              ND_OK);
    const rec_event *d = last_json(&f, "\"type\":\"training\"");
    CHECK(d != NULL);
    if (d) {
        CHECK_CONTAINS(d->text, "training net on d1, d2");
        CHECK_CONTAINS(d->text, "d1: NOT a good fit");
        CHECK_CONTAINS(d->text, "d2: NOT a good fit");
        CHECK_CONTAINS(d->text, "NOT a good fit on 2 of the 2 datasets (d1, d2)");
        CHECK_CONTAINS(d->json, "\"experiments\":[{\"data\":\"d1\",\"rows\":81,"
                                "\"stimulus\":\"step 10 on [1, 21)\"");
        CHECK_CONTAINS(d->json, "{\"data\":\"d2\",\"rows\":61,\"stimulus\":\"ramp");
    }
    nd_value *t = nd_ws_get(nd_interp_workspace(f.in), "t");
    nd_value *ex = t && t->kind == ND_VAL_RECORD ? nd_record_get(t, "experiments") : NULL;
    CHECK(ex && ex->kind == ND_VAL_LIST && ex->as.list.n == 2);
    if (ex && ex->kind == ND_VAL_LIST && ex->as.list.n == 2) {
        nd_value *e2 = ex->as.list.items[1];
        nd_value *name = nd_record_get(e2, "data"), *ok = nd_record_get(e2, "ok");
        CHECK(name && name->kind == ND_VAL_STRING && strcmp(name->as.str, "d2") == 0);
        CHECK(ok && ok->kind == ND_VAL_BOOL && !ok->as.truth);
        CHECK(nd_record_get(e2, "residual_rms") && nd_record_get(e2, "verdict"));
    }
    /* One dataset: one experiment, and the JSON verdict as before. */
    CHECK_INT(rec_fixture_run(&f, "train net d1 observe=V lbfgs iters=2"), ND_OK);
    d = last_json(&f, "\"type\":\"training\"");
    CHECK(d && strstr(d->json, "\"experiments\":[{\"data\":\"d1\"") &&
          !strstr(d->json, "\"data\":\"d2\""));
    rec_fixture_teardown(&f);
}

TEST(cmd_train_datasets_errors_are_located)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, TWO_SETUP "both = simulate t=5 sample=0.1\n"
                                            "nonly = simulate t=5 sample=0.1 observe=n"),
              ND_OK);
    /* different columns: d1 has V, both has V and n */
    CHECK_INT(rec_fixture_run(&f, "train net d1 both lbfgs iters=2"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "observe different state variables: this one V, n, the first V");
    CHECK_INT(f.e.col, 14);
    /* a dataset without the observed variable */
    CHECK_INT(rec_fixture_run(&f, "train net d1 nonly observe=V lbfgs iters=2"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "no column 'V'");
    CHECK_INT(f.e.col, 14);
    /* not a dataset */
    CHECK_INT(rec_fixture_run(&f, "train net d1 net lbfgs iters=2"), ND_ETYPE);
    CHECK_INT(f.e.col, 14);
    size_t n = 0;
    nd_ude_history(nd_value_as_ude(nd_ws_get(nd_interp_workspace(f.in), "net")), &n);
    CHECK_INT(n, 0);
    rec_fixture_teardown(&f);
}
