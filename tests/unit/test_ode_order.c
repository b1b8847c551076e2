/* Convergence orders of every solver on problems with known solutions. */
#include "test.h"

#include <math.h>

#include "../../lib/ode/solve.h"

/* y' = −y + sin t, y(0) = 1: y = 1.5 e^{−t} + (sin t − cos t)/2. */
static int forced_rhs(void *c, double t, const double *y, double *f)
{
    (void)c;
    f[0] = -y[0] + sin(t);
    return 0;
}
static double forced_exact(double t) { return 1.5 * exp(-t) + (sin(t) - cos(t)) / 2; }

/* y1' = −y2, y2' = y1 from (1, 0): (cos t, sin t). */
static int rot_rhs(void *c, double t, const double *y, double *f)
{
    (void)c, (void)t;
    f[0] = -y[1];
    f[1] = y[0];
    return 0;
}

/* y' = y², y(0) = 1: y = 1/(1 − t), used on [0, 0.5]. */
static int sq_rhs(void *c, double t, const double *y, double *f)
{
    (void)c, (void)t;
    f[0] = y[0] * y[0];
    return 0;
}

/* y' = y, y(0) = 1: e^t on [0, 5] — errors grow without cancelling. */
static int exp_rhs(void *c, double t, const double *y, double *f)
{
    (void)c, (void)t;
    f[0] = y[0];
    return 0;
}

typedef struct { nd_ode_problem p; double t1; double y0[2]; } probdef;

static probdef problem(int which)
{
    probdef d = {{0}, 0, {0, 0}};
    static int (*const rhs[])(void *, double, const double *, double *) = {
        forced_rhs, rot_rhs, sq_rhs, exp_rhs};
    static const double t1[] = {2.0, 3.0, 0.5, 5.0};
    d.p.n = which == 1 ? 2 : 1;
    d.p.rhs = rhs[which];
    d.t1 = t1[which];
    d.y0[0] = 1;
    return d;
}

/* Max-norm error at t1. */
static double final_error(int which, const double *y)
{
    switch (which) {
    case 0: return fabs(y[0] - forced_exact(2.0));
    case 1: return fmax(fabs(y[0] - cos(3.0)), fabs(y[1] - sin(3.0)));
    case 2: return fabs(y[0] - 2.0);
    default: return fabs(y[0] / exp(5.0) - 1);
    }
}

/* Least-squares slope of log(e) against log(x). */
static double slope(const double *x, const double *e, int k)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < k; i++) {
        double a = log(x[i]), b = log(e[i]);
        sx += a, sy += b, sxx += a * a, sxy += a * b;
    }
    return (k * sxy - sx * sy) / (k * sxx - sx * sx);
}

/* Error at t1 of method m with the step pinned to dt (an adaptive pair gets dt_max = dt
   and tolerances it always meets). */
static double fixed_error(nd_ode_method m, int which, double dt)
{
    probdef d = problem(which);
    nd_ode_options o;
    nd_ode_options_default(&o);
    o.method = m;
    o.dt = o.dt_max = dt;
    o.rtol = o.atol = 1e6;
    nd_error err;
    CHECK_INT(nd_ode_solve(&d.p, 0, d.t1, d.y0, &o, NULL, 0, NULL, NULL, NULL, &err), ND_OK);
    return final_error(which, d.y0);
}

/* Observed order from errors at dt, dt/2, dt/4, dt/8. */
static double fixed_order(nd_ode_method m, int which, double dt0)
{
    double dts[4], errs[4];
    for (int i = 0; i < 4; i++) errs[i] = fixed_error(m, which, dts[i] = dt0 / (1 << i));
    return slope(dts, errs, 4);
}

#define EXPECT_ORDER(p, want, what, which) \
    do { if (fabs((p) - (want)) > 0.3) \
        nd_test_fail(__FILE__, __LINE__, "%s order %g on problem %d, expected %g", what, p, which, \
                     (double)(want)); } while (0)

TEST(ode_order_fixed_methods)
{
    for (int which = 0; which < 4; which++) {
        EXPECT_ORDER(fixed_order(ND_ODE_EULER, which, 0.02), 1, "euler", which);
        /* Exponential Euler is first order in general, but on a scalar autonomous problem
           the diagonal is the whole Jacobian and it becomes the second-order exponential
           Rosenbrock–Euler method. */
        if (which == 3) {   /* linear with constant J: exact */
            CHECK(fixed_error(ND_ODE_EXPEULER, which, 0.1) < 1e-13);
            continue;
        }
        EXPECT_ORDER(fixed_order(ND_ODE_EXPEULER, which, 0.02), which == 2 ? 2 : 1,
                     "expeuler", which);
    }
    for (int which = 0; which < 4; which++)
        /* The forced problem's error terms cancel at large steps: start smaller. */
        EXPECT_ORDER(fixed_order(ND_ODE_RK4, which, which == 0 ? 0.025 : 0.1), 4, "rk4", which);
}

/* The pairs' 5th-order solutions, with the step pinned by dt_max (problems whose
   principal error terms do not cancel: tsit5's are tuned to be tiny elsewhere). */
TEST(ode_order_rk_pairs_at_fixed_step)
{
    int probs[] = {1, 3};
    for (int i = 0; i < 2; i++) {
        EXPECT_ORDER(fixed_order(ND_ODE_DP5, probs[i], 0.1), 5, "dp5", probs[i]);
        EXPECT_ORDER(fixed_order(ND_ODE_TSIT5, probs[i], 0.1), 5, "tsit5", probs[i]);
    }
}

static int max_rot_error(void *ctx, double t, const double *y, int ev, size_t which)
{
    (void)ev, (void)which;
    double *e = ctx, d = fmax(fabs(y[0] - cos(t)), fabs(y[1] - sin(t)));
    if (d > *e) *e = d;
    return 0;
}

/* Adaptive: the error falls like (f evaluations)^−5 as the tolerance tightens — the max
   error over a rotation's trajectory, and the relative error of e^t at t = 5. */
static double adaptive_order(nd_ode_method m, int which, double *best_err)
{
    double work[5], errs[5], tout[301];
    for (int i = 0; i < 5; i++) {
        probdef d = problem(which);
        if (which == 1) d.t1 = 30;
        for (int j = 0; j <= 300; j++) tout[j] = d.t1 * j / 300;
        nd_ode_options o;
        nd_ode_options_default(&o);
        o.method = m;
        o.rtol = o.atol = pow(10, -7 - i);
        nd_ode_stats st;
        nd_error err;
        errs[i] = 0;
        CHECK_INT(nd_ode_solve(&d.p, 0, d.t1, d.y0, &o, which == 1 ? tout : NULL,
                               which == 1 ? 301 : 0, which == 1 ? max_rot_error : NULL,
                               &errs[i], &st, &err), ND_OK);
        if (which != 1) errs[i] = fabs(d.y0[0] / exp(d.t1) - 1);
        work[i] = (double)st.rhs_evals;
    }
    *best_err = errs[4];
    return -slope(work, errs, 5);
}

TEST(ode_order_adaptive_error_vs_work)
{
    int probs[] = {1, 3};
    for (int i = 0; i < 2; i++) {
        double best;
        EXPECT_ORDER(adaptive_order(ND_ODE_DP5, probs[i], &best), 5, "adaptive dp5", probs[i]);
        CHECK(best < 1e-9);
        if (probs[i] == 3) continue;   /* tsit5's tiny error constants: pre-asymptotic */
        EXPECT_ORDER(adaptive_order(ND_ODE_TSIT5, probs[i], &best), 5, "adaptive tsit5", probs[i]);
        CHECK(best < 1e-9);
    }
}

/* Dense output between steps: error at off-step times shrinks at least like h^4. */
static int rec_out(void *ctx, double t, const double *y, int ev, size_t which)
{
    (void)ev;
    double *e = ctx;
    double d = fmax(fabs(y[0] - cos(t)), fabs(y[1] - sin(t)));
    (void)which;
    if (d > *e) *e = d;
    return 0;
}

TEST(ode_order_dense_output)
{
    nd_ode_method ms[] = {ND_ODE_DP5, ND_ODE_TSIT5, ND_ODE_RK4};
    double tout[30];
    for (int i = 0; i < 30; i++) tout[i] = 0.0123 + 0.1 * i;
    for (int k = 0; k < 3; k++) {
        double dts[3], errs[3];
        /* Each step spans a few output times: the interpolant, not the steps, is tested. */
        for (int i = 0; i < 3; i++) {
            probdef d = problem(1);
            nd_ode_options o;
            nd_ode_options_default(&o);
            o.method = ms[k];
            o.dt = o.dt_max = dts[i] = 0.3 / (1 << i);
            o.rtol = o.atol = 1e6;
            errs[i] = 0;
            nd_error err;
            CHECK_INT(nd_ode_solve(&d.p, 0, d.t1, d.y0, &o, tout, 30, rec_out, &errs[i], NULL, &err), ND_OK);
        }
        double p = slope(dts, errs, 3);
        if (p < 3.7) nd_test_fail(__FILE__, __LINE__, "%s dense output order %g", nd_ode_method_name(ms[k]), p);
    }
}

TEST(ode_cvode_reaches_tolerance)
{
    nd_ode_method ms[] = {ND_ODE_BDF, ND_ODE_ADAMS};
    for (int k = 0; k < 2; k++)
        for (int which = 0; which < 3; which++) {
            probdef d = problem(which);
            nd_ode_options o;
            nd_ode_options_default(&o);
            o.method = ms[k];
            o.rtol = 1e-8, o.atol = 1e-10;
            nd_ode_stats st;
            nd_error err;
            CHECK_INT(nd_ode_solve(&d.p, 0, d.t1, d.y0, &o, NULL, 0, NULL, NULL, &st, &err), ND_OK);
            double e = final_error(which, d.y0) / fmax(1, fabs(d.y0[0]));
            if (e > 1e-6)
                nd_test_fail(__FILE__, __LINE__, "%s error %g on problem %d", nd_ode_method_name(ms[k]), e, which);
            CHECK(st.rhs_evals > 0 && st.accepted > 0);
        }
}

TEST(ode_method_names)
{
    nd_ode_method ms[] = {ND_ODE_DP5, ND_ODE_TSIT5};
    for (int k = 0; k < 2; k++) {
        CHECK(nd_ode_method_is_fixed(ms[k]) == 0);
        nd_ode_method back;
        CHECK_INT(nd_ode_method_parse(nd_ode_method_name(ms[k]), &back), 0);
        CHECK_INT(back, ms[k]);
    }
    nd_ode_method m;
    CHECK_INT(nd_ode_method_parse("RK4", &m), 0);
    CHECK_INT(m, ND_ODE_RK4);
    CHECK_INT(nd_ode_method_parse("rk45", &m), -1);
    CHECK_STR(nd_ode_method_name(ND_ODE_EXPEULER), "expeuler");
}

/* The forced problem of forced_rhs with a rider z' = 3z, z(0) = 1 (z = e^{3t}). */
static int rider_rhs(void *c, double t, const double *y, double *f)
{
    (void)c;
    f[0] = -y[0] + sin(t);
    f[1] = 3 * y[1];
    return 0;
}

/* err_n = 1: the rider takes the forced problem's own steps (the same count as solving it
   alone), fewer than when it enters the error test, and is still integrated accurately. */
TEST(ode_error_test_on_leading_components)
{
    const nd_ode_method ms[] = {ND_ODE_DP5, ND_ODE_TSIT5};
    for (size_t k = 0; k < 2; k++) {
        nd_ode_options o;
        nd_ode_options_default(&o);
        o.method = ms[k];
        o.rtol = 1e-9;
        o.atol = 1e-12;
        nd_ode_stats alone, full, lead;
        double y1[1] = {1}, y2[2] = {1, 1}, y3[2] = {1, 1};
        nd_ode_problem p1 = {.n = 1, .rhs = forced_rhs}, p2 = {.n = 2, .rhs = rider_rhs};
        CHECK(nd_ode_solve(&p1, 0, 2, y1, &o, NULL, 0, NULL, NULL, &alone, NULL) == ND_OK);
        CHECK(nd_ode_solve(&p2, 0, 2, y2, &o, NULL, 0, NULL, NULL, &full, NULL) == ND_OK);
        o.err_n = 1;
        CHECK(nd_ode_solve(&p2, 0, 2, y3, &o, NULL, 0, NULL, NULL, &lead, NULL) == ND_OK);
        CHECK(lead.steps == alone.steps);
        CHECK(lead.steps < full.steps);
        CHECK(fabs(y3[0] - y1[0]) == 0);
        CHECK(fabs(y3[0] - forced_exact(2)) < 1e-8);
        CHECK(fabs(y3[1] / exp(6) - 1) < 1e-6);
    }
}
