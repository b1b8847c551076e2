/* Morris–Lecar pinned from outside the model file: its right-hand side against the
   equations of Morris & Lecar (1981) with Rinzel & Ermentrout's (1989) parameters written
   out here, its Hopf onset against an independent trace-zero search on those equations,
   and its class 1 firing rate against an independent RK4 integration in this file. A
   change to ml.nd (a time constant, a sign, a parameter) fails one of these. */
#include "test.h"

#include <math.h>

#include "../../lib/analysis/continuation.h"
#include "../../lib/analysis/fi.h"
#include "../../lib/models/model.h"

/* The two parameter sets of Rinzel & Ermentrout (1989), table 1 (docs/science.md §1.5). */
typedef struct ml_pars {
    double C, gCa, gK, gL, VCa, VK, VL, V1, V2, V3, V4, phi;
} ml_pars;

static const ml_pars HOPF = {20, 4.4, 8, 2, 120, -84, -60, -1.2, 18, 2, 30, 0.04};
static const ml_pars SNIC = {20, 4.0, 8, 2, 120, -84, -60, -1.2, 18, 12, 17.4, 1.0 / 15};

static double m_inf(const ml_pars *p, double V) { return 0.5 * (1 + tanh((V - p->V1) / p->V2)); }
static double w_inf(const ml_pars *p, double V) { return 0.5 * (1 + tanh((V - p->V3) / p->V4)); }
static double tau_w(const ml_pars *p, double V) { return 1 / cosh((V - p->V3) / (2 * p->V4)); }

static void ml_rhs(const ml_pars *p, double I, const double y[2], double dy[2])
{
    double V = y[0], w = y[1];
    dy[0] = (I - p->gCa * m_inf(p, V) * (V - p->VCa) - p->gK * w * (V - p->VK) -
             p->gL * (V - p->VL)) / p->C;
    dy[1] = p->phi * (w_inf(p, V) - w) / tau_w(p, V);
}

static nd_model *ml(const char *set, double I)
{
    nd_error e;
    nd_model *m = nd_model_builtin("ml", &e);
    if (m && set) nd_model_apply_set(m, set, &e);
    if (m) nd_model_set_par(m, "I", I, &e);
    return m;
}

TEST(model_ml_rhs_matches_the_equations_of_the_papers)
{
    const char *sets[] = {"hopf", "snic"};
    const ml_pars *pars[] = {&HOPF, &SNIC};
    const double states[][2] = {{-60, 0.01}, {-20, 0.2}, {10, 0.5}, {35, 0.9}};
    for (int s = 0; s < 2; s++) {
        nd_model *m = ml(sets[s], 37.5);
        CHECK(m != NULL);
        if (!m) continue;
        for (int k = 0; k < 4; k++) {
            double got[2], want[2];
            CHECK_INT(nd_model_rhs(m, 0, states[k], nd_model_pars(m), got), 0);
            ml_rhs(pars[s], 37.5, states[k], want);
            CHECK_NEAR(got[0], want[0], 1e-12);
            CHECK_NEAR(got[1], want[1], 1e-12);
        }
        nd_model_free(m);
    }
}

/* The equilibrium voltage at current I: w = w∞(V) and the net current is zero (the
   steady-state I–V curve is increasing for the hopf set, so bisection finds the one root). */
static double rest_voltage(const ml_pars *p, double I)
{
    double lo = -100, hi = 100;
    for (int it = 0; it < 200; it++) {
        double V = 0.5 * (lo + hi), y[2] = {V, w_inf(p, V)}, dy[2];
        ml_rhs(p, I, y, dy);
        if (dy[0] > 0) lo = V; else hi = V;
    }
    return 0.5 * (lo + hi);
}

/* The trace of the Jacobian at the equilibrium of current I (differentiated by hand; the
   w equation's derivative in V vanishes there with w∞ − w). */
static double rest_trace(const ml_pars *p, double I)
{
    double V = rest_voltage(p, I), w = w_inf(p, V);
    double sech2 = 1 - pow(tanh((V - p->V1) / p->V2), 2);
    double dminf = 0.5 * sech2 / p->V2;
    double a11 = -(p->gCa * (dminf * (V - p->VCa) + m_inf(p, V)) + p->gK * w + p->gL) / p->C;
    double a22 = -p->phi / tau_w(p, V);
    return a11 + a22;
}

TEST(model_ml_hopf_onset_against_an_independent_trace_search)
{
    /* Rest is stable at I = 60 and unstable at 120; the trace changes sign once between. */
    double lo = 60, hi = 120;
    CHECK(rest_trace(&HOPF, lo) < 0 && rest_trace(&HOPF, hi) > 0);
    for (int it = 0; it < 100; it++) {
        double mid = 0.5 * (lo + hi);
        if (rest_trace(&HOPF, mid) < 0) lo = mid; else hi = mid;
    }
    double I_hopf = 0.5 * (lo + hi);
    CHECK(I_hopf > 93 && I_hopf < 95);   /* Rinzel & Ermentrout (1989): onset near 94 */
    nd_model *m = ml("hopf", 0);
    if (!m) return;
    nd_bif_result *r = NULL;
    nd_error e = {0};
    CHECK_INT(nd_bif_continue(m, nd_model_index(m, ND_MODEL_PAR, "I"), 0, 150, NULL, &r, &e),
              ND_OK);
    const nd_bif_point *h = NULL;
    for (size_t i = 0; r && i < r->npoints && !h; i++)
        if (r->points[i].kind == ND_BIF_HOPF) h = &r->points[i];
    CHECK(h != NULL);
    if (h) CHECK_NEAR(h->param, I_hopf, 1e-6);
    nd_bif_free(r);
    nd_model_free(m);
}

/* The mean interval between upward crossings of V = −10 mV after a transient, by RK4 with
   a fixed step: an integration that shares nothing with the library's solvers. */
static double rk4_rate_hz(const ml_pars *p, double I, double transient, double window)
{
    const double dt = 0.01;
    double y[2] = {-60, 0.01}, first = NAN, last = NAN;
    long crossings = 0;
    int below = 1;
    for (long k = 0; k * dt < transient + window; k++) {
        double k1[2], k2[2], k3[2], k4[2], t2[2], prev = y[0];
        ml_rhs(p, I, y, k1);
        for (int i = 0; i < 2; i++) t2[i] = y[i] + 0.5 * dt * k1[i];
        ml_rhs(p, I, t2, k2);
        for (int i = 0; i < 2; i++) t2[i] = y[i] + 0.5 * dt * k2[i];
        ml_rhs(p, I, t2, k3);
        for (int i = 0; i < 2; i++) t2[i] = y[i] + dt * k3[i];
        ml_rhs(p, I, t2, k4);
        for (int i = 0; i < 2; i++) y[i] += dt / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        double t = (k + 1) * dt;
        if (below && prev < -10 && y[0] >= -10) {
            double tc = t - dt + dt * (-10 - prev) / (y[0] - prev);
            if (tc > transient) {
                if (crossings == 0) first = tc;
                last = tc;
                crossings++;
            }
            below = 0;
        }
        if (y[0] < -30) below = 1;
    }
    return crossings >= 2 ? 1000 * (double)(crossings - 1) / (last - first) : 0;
}

TEST(model_ml_snic_rate_against_an_independent_integration)
{
    double want = rk4_rate_hz(&SNIC, 41, 1000, 6000);
    CHECK(want > 3 && want < 8);   /* class 1: a few Hz just past the fold near I = 40 */
    nd_model *m = ml("snic", 41);
    if (!m) return;
    nd_fi_options o;
    nd_fi_options_default(&o, nd_model_index(m, ND_MODEL_PAR, "I"),
                          nd_model_index(m, ND_MODEL_STATE, "V"), 41, 41.05);
    o.step = 0.1;
    o.window = 2000;
    o.rate_scale = 1000;
    o.down = 0;
    nd_fi_result r;
    nd_error e;
    CHECK_INT(nd_fi_sweep(m, &o, &r, &e), ND_OK);
    CHECK(r.n >= 1);
    if (r.n >= 1) CHECK_NEAR(r.rate_up[0], want, 0.01);   /* 1 % */
    nd_fi_result_clear(&r);
    nd_model_free(m);
}
