/* A model as an ODE problem: parameters and stimulus in force at t, events and resets of
   the whens, breakpoints, and whole solves through lib/ode. */
#include "test.h"

#include <stdlib.h>

#include "../../lib/models/model_ivp.h"
#include "../../lib/ode/solve.h"

typedef struct spikes {
    size_t n;
    double t[64];
} spikes;

static int record_events(void *ctx, double t, const double *y, int event, size_t which)
{
    (void)y, (void)which;
    spikes *s = ctx;
    if (event && s->n < 64) s->t[s->n++] = t;
    return 0;
}

TEST(model_ivp_izh_spikes_and_resets)
{
    nd_model *m = nd_model_builtin("izh", NULL);
    if (!m) return;
    nd_model_set_par(m, "I", 10, NULL);
    nd_error err;
    nd_model_ivp *v = nd_model_ivp_create(m, NULL, NULL, -1, 0, 200, &err);
    CHECK(v != NULL);
    if (!v) goto out;
    const nd_ode_problem *p = nd_model_ivp_problem(v);
    CHECK_INT(p->n, 2);
    CHECK_INT(p->nevents, 1);
    CHECK(p->jac && p->events && p->on_event);
    CHECK_STR(p->names[0], "v");
    double y[2] = {-70, -14}, dy[2];
    CHECK_INT(p->rhs(p->ctx, 0, y, dy), 0);
    CHECK_NEAR(dy[0], 10, 1e-12);      /* the rest state of I = 0, pushed by I = 10 */
    nd_ode_options opt;
    nd_ode_options_default(&opt);
    opt.rtol = opt.atol = 1e-8;
    spikes s = {0};
    CHECK_INT(nd_ode_solve(p, 0, 200, y, &opt, NULL, 0, record_events, &s, NULL, &err), ND_OK);
    /* Regular spiking with adaptation: several spikes, intervals growing. */
    CHECK(s.n >= 4 && s.n < 30);
    if (s.n >= 4) CHECK(s.t[3] - s.t[2] > s.t[1] - s.t[0]);
    CHECK(y[0] < 30);
    nd_model_ivp_free(v);
out:
    nd_model_free(m);
}

TEST(model_ivp_stimulus_is_added_to_its_parameter)
{
    const char *src = "dV/dt = (-(V - EL) + R*I)/tau\n"
                      "when V >= Vth { V = Vr }\n"
                      "par tau = 10, EL = -65, R = 10, Vth = -50, Vr = -65, I = 0.5\n"
                      "init V = -65\n"
                      "stim I = step(at=10, dur=50, amp=2)\n";
    nd_error err;
    nd_model *m = nd_model_parse("lifs", src, strlen(src), 1, 1, &err);
    CHECK(m != NULL);
    if (!m) return;
    nd_stim *stim = nd_model_stim(m);
    nd_model_ivp *v = nd_model_ivp_create(m, NULL, stim, nd_model_stim_par(m), 0, 100, &err);
    nd_stim_free(stim);
    CHECK(v != NULL);
    if (!v) goto out;
    const nd_ode_problem *p = nd_model_ivp_problem(v);
    CHECK_INT(p->nbreaks, 2);
    if (p->nbreaks == 2) {
        CHECK_NEAR(p->breaks[0], 10, 0);
        CHECK_NEAR(p->breaks[1], 60, 0);
    }
    double par[6];
    nd_model_ivp_pars_at(v, 20, par);
    CHECK_NEAR(par[5], 2.5, 1e-15);
    nd_model_ivp_pars_at(v, 5, par);
    CHECK_NEAR(par[5], 0.5, 1e-15);
    double y = -65, dy;
    p->rhs(p->ctx, 20, &y, &dy);
    CHECK_NEAR(dy, 2.5, 1e-12);
    nd_ode_options opt;
    nd_ode_options_default(&opt);
    spikes s = {0};
    CHECK_INT(nd_ode_solve(p, 0, 100, &y, &opt, NULL, 0, record_events, &s, NULL, &err), ND_OK);
    /* Before the step V relaxes towards EL + R*0.5 = -60: V(10) = -65 + 5(1 - 1/e). Then
       R I = 25 mV: V reaches Vth after tau ln((25 - 5(1 - 1/e))/10), and every interval
       after a reset is tau ln(25/10) = 9.163 ms. */
    CHECK(s.n == 5);
    if (s.n >= 2) {
        CHECK_NEAR(s.t[0], 10 + 10 * log((25 - 5 * (1 - exp(-1))) / 10), 1e-4);
        CHECK_NEAR(s.t[1] - s.t[0], 10 * log(2.5), 1e-4);
    }
    nd_model_ivp_free(v);
out:
    nd_model_free(m);
}

TEST(model_ivp_rejects_a_stimulus_without_parameter)
{
    nd_model *m = nd_model_builtin("fhn", NULL);
    if (!m) return;
    nd_stim *s = nd_stim_create();
    nd_error err;
    CHECK(nd_model_ivp_create(m, NULL, s, -1, 0, 10, &err) == NULL);
    CHECK_INT(err.code, ND_EVALUE);
    CHECK(nd_model_ivp_create(m, NULL, s, 4, 0, 10, &err) == NULL);
    nd_stim_free(s);
    double p[4] = {0.7, 0.8, 0.08, 0.5};
    nd_model_ivp *v = nd_model_ivp_create(m, p, NULL, -1, 0, 10, &err);
    CHECK(v && nd_model_ivp_problem(v)->nevents == 0 && !nd_model_ivp_problem(v)->events);
    double par[4];
    if (v) nd_model_ivp_pars_at(v, 3, par);
    CHECK_NEAR(par[3], 0.5, 0);
    nd_model_ivp_free(v);
    nd_model_free(m);
}

typedef struct peak {
    double vmax, vmin_after;
    double t_peak;
} peak;

static int record_peak(void *ctx, double t, const double *y, int event, size_t which)
{
    (void)event, (void)which;
    peak *p = ctx;
    if (y[0] > p->vmax) p->vmax = y[0], p->t_peak = t, p->vmin_after = y[0];
    if (y[0] < p->vmin_after) p->vmin_after = y[0];
    return 0;
}

/* Simulates a built-in from rest with a step of amp on [at, at + dur) into I. */
static peak run_step(const char *name, double at, double dur, double amp, double t1)
{
    peak pk = {-1e9, 1e9, 0};
    nd_model *m = nd_model_builtin(name, NULL);
    nd_stim *s = nd_stim_create();
    nd_error err;
    if (!m || !s || nd_stim_add_step(s, at, dur, amp)) goto out;
    nd_model_ivp *v = nd_model_ivp_create(m, NULL, s, nd_model_index(m, ND_MODEL_PAR, "I"), 0, t1, &err);
    if (!v) goto out;
    double y[4];
    memcpy(y, nd_model_inits(m), nd_model_count(m, ND_MODEL_STATE) * sizeof *y);
    nd_ode_options opt;
    nd_ode_options_default(&opt);
    opt.rtol = opt.atol = 1e-8;
    if (nd_ode_solve(nd_model_ivp_problem(v), 0, t1, y, &opt, NULL, 0, record_peak, &pk, NULL, &err))
        nd_test_fail(__FILE__, __LINE__, "%s: %s", name, err.msg);
    nd_model_ivp_free(v);
out:
    nd_stim_free(s);
    nd_model_free(m);
    return pk;
}

TEST(model_ivp_hh_family_science)
{
    /* docs/science.md: a step to I = 10 from rest peaks near +40 mV, AHP near -75 mV. */
    peak hh = run_step("hh", 0, 30, 10, 30);
    CHECK(hh.vmax > 30 && hh.vmax < 50);
    CHECK(hh.vmin_after < -70 && hh.vmin_after > -80);
    /* Instant inactivation: a 1 ms pulse of 20 gives only an abortive spike. */
    peak q = run_step("hh_minf_hinf", 1, 1, 20, 30);
    CHECK(q.vmax < 0);
    CHECK(q.vmax > -60);
    /* Rinzel's reduction keeps the full spike. */
    peak r = run_step("hh_rinzel", 1, 1, 20, 30);
    CHECK(r.vmax > 20);
}

TEST(model_ivp_refractory_lif_from_the_docs)
{
    const char *src = "dV/dt = heaviside(t - tlast - tref) * (-(V - EL) + R*I)/tau\n"
                      "dtlast/dt = 0\n"
                      "when V >= Vth { V = Vreset; tlast = t }\n"
                      "par tau = 10, EL = -65, R = 10, Vth = -50, Vreset = -65, I = 2.5, tref = 2\n"
                      "init V = -65, tlast = -1e9\n";
    nd_error err;
    nd_model *m = nd_model_parse("lifr", src, strlen(src), 1, 1, &err);
    CHECK(m != NULL);
    if (!m) return;
    CHECK(nd_model_has_jac(m));
    nd_model_ivp *v = nd_model_ivp_create(m, NULL, NULL, -1, 0, 60, &err);
    double y[2] = {-65, -1e9};
    nd_ode_options opt;
    nd_ode_options_default(&opt);
    opt.rtol = opt.atol = 1e-9;
    spikes s = {0};
    CHECK_INT(nd_ode_solve(nd_model_ivp_problem(v), 0, 60, y, &opt, NULL, 0, record_events, &s, NULL, &err), ND_OK);
    /* Interval = tref + tau ln(25/10). */
    CHECK(s.n >= 3);
    if (s.n >= 3) CHECK_NEAR(s.t[2] - s.t[1], 2 + 10 * log(2.5), 1e-3);
    nd_model_ivp_free(v);
    nd_model_free(m);
}
