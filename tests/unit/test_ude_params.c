/* Physical parameters trained with a network (`train NET DATA params=[…]`): the gradient
   of their log-values against central differences (one experiment and two), their names
   checked, and joint training moving gK of hh toward the value the data were made with. */
#include <stdlib.h>
#include <string.h>

#include "../../lib/learn/ude.h"
#include "../../lib/learn/ude_params.h"
#include "test.h"
#include "ude_fixture.h"

/* hh (gK as given) under a step of amp µA/cm² from 1 ms (ramp: a ramp 0 → amp over
   [0, t1] instead), V only, sampled every dt; the stimulus attached as `simulate` does. */
static nd_dataset *hh_data_of(double gK, double t1, double dt, double amp, int ramp)
{
    nd_model *m = nd_model_builtin("hh", NULL);
    nd_model_set_par(m, "gK", gK, NULL);
    nd_stim *s = nd_stim_create();
    if (ramp) nd_stim_add_ramp(s, 0, t1, 0, amp);
    else nd_stim_add_step(s, 1, t1, amp);
    nd_dataset *full = ude_fx_simulate(m, s, nd_model_index(m, ND_MODEL_PAR, "I"), t1, dt);
    const char *cols[] = {"t", "V"};
    nd_dataset *d = full ? ude_fx_select(full, cols, 2) : NULL;
    if (d) {
        nd_ds_set_meta(d, "input", "I");
        nd_ds_set_stim(d, s);   /* taken over */
    } else {
        nd_stim_free(s);
    }
    nd_ds_free(full);
    nd_model_free(m);
    return d;
}

static nd_dataset *hh_data(double gK, double t1, double dt, double amp)
{
    return hh_data_of(gK, t1, dt, amp, 0);
}

/* A UDE of hh (default gK = 36) whose INa is a network of V, m, h. */
static nd_ude *hh_net(size_t width, uint64_t seed)
{
    nd_model *m = nd_model_builtin("hh", NULL);
    const char *rep[] = {"INa"}, *in[] = {"V", "m", "h"};
    size_t hidden[] = {width};
    nd_ude_spec s = {rep, 1, in, 3, hidden, 1, ND_ACT_TANH, seed};
    nd_ude *u = nd_ude_create(m, &s, NULL);
    nd_model_free(m);
    return u;
}

/* ∂L/∂θ against central differences, component by component for the parameters'
   log-values θ[P..P+np): their worst relative error. */
static double param_grad_error(nd_ude_fit *f, size_t P, size_t np)
{
    size_t N = nd_ude_fit_nparams(f);
    double *th = malloc(N * sizeof *th), *g = malloc(N * sizeof *g), L, worst = 0;
    nd_ude_fit_theta(f, th);
    for (size_t i = 0; i < N; i++) th[i] += 0.02 * sin(1.0 + (double)i);
    if (nd_ude_fit_loss(f, th, &L, g)) worst = INFINITY;
    for (size_t i = P; i < P + np && worst < INFINITY; i++) {
        double h = 1e-6, lp, lm, x = th[i];
        th[i] = x + h;
        nd_ude_fit_loss(f, th, &lp, NULL);
        th[i] = x - h;
        nd_ude_fit_loss(f, th, &lm, NULL);
        th[i] = x;
        double fd = (lp - lm) / (2 * h);
        worst = fmax(worst, fabs(g[i] - fd) / fmax(fabs(fd), 1e-12));
    }
    free(th);
    free(g);
    return worst;
}

TEST(ude_params_gradient_matches_finite_differences)
{
    nd_dataset *d[2] = {hh_data(30, 8, 0.05, 10), hh_data(30, 6, 0.05, 4)};
    nd_ude *u = hh_net(5, 2);
    CHECK(d[0] && d[1] && u);
    if (!d[0] || !d[1] || !u) goto out;
    const char *names[] = {"gK", "gL"};
    nd_ude_fit_options o;
    nd_ude_fit_options_default(&o);
    o.segments = 3;
    o.l2 = 1e-3;
    o.params = names;
    o.nparams = 2;
    nd_ude_experiment ex[2];
    for (int k = 0; k < 2; k++) CHECK_INT(nd_ude_experiment_of(u, d[k], &ex[k], NULL), ND_OK);
    size_t P = nd_mlp_nparams(nd_ude_net(u));   /* 3·5+5 + 5+1 = 26 */
    CHECK_INT(P, 26);
    for (size_t nex = 1; nex <= 2; nex++) {
        const double start[] = {36, 0.3};   /* a loss evaluation leaves θ in the model */
        nd_ude_params_set(u, names, 2, start);
        nd_error err = {0};
        nd_ude_fit *f = nd_ude_fit_create_multi(u, ex, nex, &o, &err);
        CHECK(f != NULL);
        if (!f) continue;
        /* θ: the weights, log gK and log gL, then 2 segment starts × 4 states each */
        CHECK_INT(nd_ude_fit_nparams(f), P + 2 + 8 * nex);
        double th[64];
        nd_ude_fit_theta(f, th);
        CHECK_NEAR(th[P], log(36.0), 1e-12);
        CHECK_NEAR(th[P + 1], log(0.3), 1e-12);
        double e = param_grad_error(f, P, 2);
        if (!(e < 1e-6)) nd_test_fail(__FILE__, __LINE__, "parameter gradient error %g", e);
        e = ude_fx_gradient_error(f);
        if (!(e < 1e-6)) nd_test_fail(__FILE__, __LINE__, "gradient error %g", e);
        nd_ude_fit_free(f);
    }
out:
    nd_ude_free(u);
    nd_ds_free(d[0]);
    nd_ds_free(d[1]);
}

TEST(ude_params_names_are_checked)
{
    nd_ude *u = hh_net(4, 1);
    CHECK(u != NULL);
    if (!u) return;
    nd_error err = {0};
    CHECK_INT(nd_ude_param_check(u, "gK", &err), ND_OK);
    CHECK_INT(nd_ude_param_check(u, "gk", &err), ND_ENAME);
    CHECK_CONTAINS(err.msg, "did you mean 'gK'");
    CHECK_INT(nd_ude_param_check(u, "INa", &err), ND_EVALUE);
    CHECK_CONTAINS(err.msg, "network's output");
    CHECK_INT(nd_ude_param_check(u, "EK", &err), ND_EVALUE);   /* −77 mV: not positive */
    CHECK_CONTAINS(err.msg, "positive");
    nd_ude_free(u);
}

/* Runs iters L-BFGS iterations on a fresh fit of the experiments with S segments. */
static void run_lbfgs(nd_ude *u, const nd_ude_experiment *ex, size_t nex,
                      const nd_ude_fit_options *base, size_t S, long iters)
{
    nd_ude_fit_options o = *base;
    o.segments = S;
    nd_error err = {0};
    nd_ude_fit *f = nd_ude_fit_create_multi(u, ex, nex, &o, &err);
    CHECK(f != NULL);
    if (!f) return;
    nd_optim_options oo;
    nd_optim_options_default(&oo);
    CHECK_INT(nd_ude_fit_run(f, ND_OPTIM_LBFGS, &oo, iters, NULL, &err), ND_OK);
    nd_ude_fit_free(f);
}

TEST(ude_params_joint_training_moves_gK_toward_the_truth)
{
    /* The truth is this test's own: hh with gK = 30 under a step and a ramp, V observed;
       the hybrid starts from hh's gK = 36 with INa a network of (V, m, h). The network can
       absorb part of an IK error (m, h and n all follow V), so gK is only weakly
       identified from V: in this budget (~3 s) joint training ends near 28.6 (29.3 after
       three times as many iterations, with a good fit on both). Asserted: the error of
       gK at least halved. */
    nd_dataset *d[2] = {hh_data_of(30, 30, 0.05, 10, 0), hh_data_of(30, 30, 0.05, 20, 1)};
    nd_ude *u = hh_net(8, 1);
    CHECK(d[0] && d[1] && u);
    if (d[0] && d[1] && u) {
        const char *names[] = {"gK"};
        nd_ude_fit_options o;
        nd_ude_fit_options_default(&o);
        o.params = names;
        o.nparams = 1;
        o.observe = (const char *const[]){"V"};
        o.nobserve = 1;
        nd_ude_experiment ex[2];
        for (int k = 0; k < 2; k++) CHECK_INT(nd_ude_experiment_of(u, d[k], &ex[k], NULL), ND_OK);
        run_lbfgs(u, ex, 2, &o, 30, 600);
        run_lbfgs(u, ex, 2, &o, 5, 300);
        run_lbfgs(u, ex, 2, &o, 1, 300);
        double gK;
        nd_ude_params_get(u, names, 1, &gK);
        if (!(fabs(gK - 30) < 3))
            nd_test_fail(__FILE__, __LINE__, "gK = %g after joint training (truth 30, start 36)", gK);
    }
    nd_ude_free(u);
    nd_ds_free(d[0]);
    nd_ds_free(d[1]);
}
