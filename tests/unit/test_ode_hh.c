/* The solvers on Hodgkin–Huxley at I = 10 (docs/science.md): work, spike shape, agreement
   between methods, and the fixed-step stability story. */
#include "test.h"

#include <math.h>

#include "../../lib/ode/solve.h"
#include "ode_hh.h"

/* Spike times: V crossing 0 mV upward. */
static int spike_g(void *ctx, double t, const double *y, double *g)
{
    (void)ctx, (void)t;
    g[0] = y[0];
    return 0;
}

typedef struct {
    double spikes[64];
    size_t nspikes;
    double first_peak;     /* max V over the first 15 ms */
} hh_record;

static int record(void *ctx, double t, const double *y, int event, size_t which)
{
    (void)which;
    hh_record *r = ctx;
    if (event) {
        if (r->nspikes < 64) r->spikes[r->nspikes++] = t;
    } else if (t <= 15 && y[0] > r->first_peak) {
        r->first_peak = y[0];
    }
    return 0;
}

static double tout[10001];

/* Runs HH at I = 10 for 100 ms from rest with outputs every 0.01 ms. */
static nd_status run_hh(nd_ode_method m, double tol, double dt, int with_jac, hh_record *rec,
                        nd_ode_stats *st, nd_error *err, double y[4])
{
    static ode_hh hh = {10};
    nd_ode_problem p;
    ode_hh_problem(&p, &hh, with_jac);
    p.nevents = 1;
    p.events = spike_g;
    for (int i = 0; i <= 10000; i++) tout[i] = 0.01 * i;
    ode_hh_rest(y);
    nd_ode_options o;
    nd_ode_options_default(&o);
    o.method = m;
    o.rtol = o.atol = tol;
    o.dt = dt;
    rec->nspikes = 0;
    rec->first_peak = -1e300;
    return nd_ode_solve(&p, 0, 100, y, &o, tout, 10001, record, rec, st, err);
}

TEST(ode_hh_dp5_tsit5_work_and_spike)
{
    nd_ode_method ms[] = {ND_ODE_DP5, ND_ODE_TSIT5};
    for (int k = 0; k < 2; k++) {
        hh_record rec;
        nd_ode_stats st;
        nd_error err;
        double y[4];
        CHECK_INT(run_hh(ms[k], 1e-6, 0, 1, &rec, &st, &err, y), ND_OK);
        /* regression pin: the controller's work and rejections, not a property of HH. */
        if (st.rhs_evals < 3000 || st.rhs_evals > 9000)
            nd_test_fail(__FILE__, __LINE__, "%s used %ld f evaluations", nd_ode_method_name(ms[k]),
                         st.rhs_evals);
        CHECK_INT(st.steps, st.accepted + st.rejected);
        CHECK(st.rejected > 0 && st.rejected < st.accepted / 4);
        CHECK(rec.first_peak > 35 && rec.first_peak < 45);   /* near +40 mV */
        CHECK_INT(rec.nspikes, 7);
        CHECK_INT(st.events, 7);
        CHECK(!st.stability_warning);
        CHECK_NEAR(st.t_end, 100, 0);
    }
}

TEST(ode_hh_methods_agree)
{
    nd_ode_method ms[] = {ND_ODE_DP5, ND_ODE_TSIT5, ND_ODE_BDF, ND_ODE_ADAMS};
    hh_record ref, rec;
    nd_ode_stats st;
    nd_error err;
    double yref[4], y[4];
    CHECK_INT(run_hh(ND_ODE_DP5, 1e-11, 0, 1, &ref, &st, &err, yref), ND_OK);
    CHECK_INT(ref.nspikes, 7);
    for (int k = 0; k < 4; k++)
        for (int jac = 0; jac < 2; jac++) {
            double tol = ms[k] >= ND_ODE_BDF ? 1e-9 : 1e-8;
            CHECK_INT(run_hh(ms[k], tol, 0, jac, &rec, &st, &err, y), ND_OK);
            CHECK_INT(rec.nspikes, ref.nspikes);
            for (size_t i = 0; i < rec.nspikes && i < ref.nspikes; i++)
                if (fabs(rec.spikes[i] - ref.spikes[i]) > 1e-4)
                    nd_test_fail(__FILE__, __LINE__, "%s (jac %d) spike %zu at %.9g, reference %.9g",
                                 nd_ode_method_name(ms[k]), jac, i, rec.spikes[i], ref.spikes[i]);
            if (fabs(y[0] - yref[0]) > 1e-3)
                nd_test_fail(__FILE__, __LINE__, "%s V(100) = %.9g, reference %.9g",
                             nd_ode_method_name(ms[k]), y[0], yref[0]);
            if (ms[k] >= ND_ODE_BDF) CHECK(st.jac_evals > 0);
        }
}

TEST(ode_hh_rk4_stability)
{
    hh_record rec;
    nd_ode_stats st;
    nd_error err;
    double y[4];
    /* dt = 0.1 is beyond RK4's stability limit during the spike upstroke. */
    nd_status s = run_hh(ND_ODE_RK4, 0, 0.1, 1, &rec, &st, &err, y);
    CHECK(s == ND_ESOLVER || st.stability_warning);
    if (s == ND_ESOLVER) {
        CHECK_CONTAINS(err.msg, "V became");
        CHECK_CONTAINS(err.msg, "rk4, dt = 0.1");
        CHECK_CONTAINS(err.msg, "stability limit");
        CHECK_STR(nd_status_name(err.code), "SolverError");
        /* The spectrum at the last finite state backs the diagnosis. */
        CHECK(st.stability_warning);
        CHECK_CONTAINS(st.warning, "beyond rk4's stability limit");
    }
    /* dt = 0.05 works and sees the same spikes as an accurate solution. */
    CHECK_INT(run_hh(ND_ODE_RK4, 0, 0.05, 1, &rec, &st, &err, y), ND_OK);
    CHECK_INT(rec.nspikes, 7);
    CHECK(rec.first_peak > 35 && rec.first_peak < 45);
    CHECK_INT(st.accepted, 2000);
}

TEST(ode_hh_expeuler_stable_at_0_1)
{
    for (int jac = 0; jac < 2; jac++) {
        hh_record rec;
        nd_ode_stats st;
        nd_error err;
        double y[4];
        CHECK_INT(run_hh(ND_ODE_EXPEULER, 0, 0.1, jac, &rec, &st, &err, y), ND_OK);
        CHECK_INT(rec.nspikes, 7);
        CHECK(rec.first_peak > 20 && rec.first_peak < 50);
        CHECK(y[0] > -90 && y[0] < 60);
        for (int i = 1; i < 4; i++) CHECK(y[i] >= 0 && y[i] <= 1);   /* gates stay gates */
        CHECK_INT(st.accepted, 1000);
        CHECK(st.jac_evals >= 1000);
    }
}

/* y' = −λy: forward Euler is stable for λ·dt <= 2, RK4 for λ·dt <= 2.785. */
static int decay(void *ctx, double t, const double *y, double *f)
{
    (void)t;
    f[0] = -*(const double *)ctx * y[0];
    return 0;
}

TEST(ode_fixed_step_stability_warning)
{
    struct { nd_ode_method m; double lambda; int warn; } cases[] = {
        {ND_ODE_EULER, 30, 1}, {ND_ODE_EULER, 15, 0}, {ND_ODE_RK4, 30, 1},
        {ND_ODE_RK4, 25, 0}, {ND_ODE_EXPEULER, 300, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double lambda = cases[i].lambda, y = 1;
        nd_ode_problem p = {.n = 1, .ctx = &lambda, .rhs = decay};
        nd_ode_options o;
        nd_ode_options_default(&o);
        o.method = cases[i].m;
        o.dt = 0.1;
        nd_ode_stats st;
        nd_error err;
        CHECK_INT(nd_ode_solve(&p, 0, 1, &y, &o, NULL, 0, NULL, NULL, &st, &err), ND_OK);
        CHECK_INT(st.stability_warning, cases[i].warn);
        if (cases[i].warn) {
            CHECK_CONTAINS(st.warning, "dt = 0.1 is beyond");
            CHECK_CONTAINS(st.warning, nd_ode_method_name(cases[i].m));
            CHECK_CONTAINS(st.warning, "\u2248 3 >");
            CHECK(fabs(y) > 1);   /* it kept integrating (and the solution grew) */
        } else {
            CHECK_STR(st.warning, "");
            CHECK(fabs(y) < 1);
        }
    }
}
