/* Events, resets, breakpoints, outputs, interrupts and failure messages of nd_ode_solve. */
#include "test.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/ode/solve.h"
#include "../../lib/ode/stim.h"

static const nd_ode_method all_methods[] = {ND_ODE_EULER, ND_ODE_RK4, ND_ODE_EXPEULER,
                                            ND_ODE_DP5, ND_ODE_TSIT5, ND_ODE_BDF, ND_ODE_ADAMS};

static void tight(nd_ode_options *o, nd_ode_method m)
{
    nd_ode_options_default(o);
    o->method = m;
    o->rtol = 1e-10;
    o->atol = 1e-12;
    if (nd_ode_method_is_fixed(m)) o->dt = 1e-3;
}

/* A log of every callback: time, kind, index. */
typedef struct {
    double t[8192];
    int event[8192];
    size_t which[8192];
    size_t n;
    int fail_at;           /* return nonzero at this call (0: never) */
    atomic_int *flag;      /* set at call 3 (interrupt test) */
} calls;

static int log_out(void *ctx, double t, const double *y, int event, size_t which)
{
    (void)y;
    calls *c = ctx;
    if (c->n < 8192) c->t[c->n] = t, c->event[c->n] = event, c->which[c->n] = which;
    c->n++;
    if (c->flag && c->n == 3) atomic_store(c->flag, 1);
    return c->fail_at && (int)c->n == c->fail_at;
}

/* y' = 1 from 0, events at y = 0.5 and y = 1.5 (both inside one dp5 step). */
static int one(void *ctx, double t, const double *y, double *f)
{
    (void)ctx, (void)t, (void)y;
    f[0] = 1;
    return 0;
}
static int two_levels(void *ctx, double t, const double *y, double *g)
{
    (void)ctx, (void)t;
    g[0] = y[0] - 1.5;
    g[1] = y[0] - 0.5;
    return 0;
}

TEST(ode_events_linear_crossings_in_time_order)
{
    for (size_t k = 0; k < 7; k++) {
        nd_ode_problem p = {.n = 1, .rhs = one, .nevents = 2, .events = two_levels};
        nd_ode_options o;
        tight(&o, all_methods[k]);
        if (nd_ode_method_is_fixed(o.method)) o.dt = 0.3;
        double y = 0, tout[] = {0, 1, 2};
        calls c = {0};
        nd_ode_stats st;
        nd_error err;
        CHECK_INT(nd_ode_solve(&p, 0, 2, &y, &o, tout, 3, log_out, &c, &st, &err), ND_OK);
        /* out(0), event 1 at 0.5, out(1), event 0 at 1.5, out(2) */
        CHECK_INT(c.n, 5);
        int want_ev[] = {0, 1, 0, 1, 0};
        double want_t[] = {0, 0.5, 1, 1.5, 2};
        size_t want_which[] = {0, 1, 1, 0, 2};
        for (size_t i = 0; i < 5 && i < c.n; i++) {
            CHECK_INT(c.event[i], want_ev[i]);
            CHECK_INT(c.which[i], want_which[i]);
            if (fabs(c.t[i] - want_t[i]) > 1e-10)
                nd_test_fail(__FILE__, __LINE__, "%s: call %zu at %.17g, expected %g",
                             nd_ode_method_name(o.method), i, c.t[i], want_t[i]);
        }
        CHECK_INT(st.events, 2);
        CHECK_NEAR(y, 2, 1e-12);
    }
}

/* LIF: v' = −v + I, spike and reset to 0 at v = 1. With I = 2 the spikes are at k·ln 2. */
static int lif_rhs(void *ctx, double t, const double *y, double *f)
{
    (void)ctx, (void)t;
    f[0] = -y[0] + 2;
    return 0;
}
static int lif_jac(void *ctx, double t, const double *y, double *J)
{
    (void)ctx, (void)t, (void)y;
    J[0] = -1;
    return 0;
}
static int lif_g(void *ctx, double t, const double *y, double *g)
{
    (void)ctx, (void)t;
    g[0] = y[0] - 1;
    return 0;
}
static int lif_reset(void *ctx, size_t k, double t, double *y)
{
    (void)ctx, (void)k, (void)t;
    y[0] = 0;
    return 0;
}

TEST(ode_events_lif_reset_spike_times)
{
    for (size_t k = 0; k < 7; k++) {
        nd_ode_problem p = {.n = 1, .rhs = lif_rhs, .jac = lif_jac, .nevents = 1,
                            .events = lif_g, .on_event = lif_reset};
        nd_ode_options o;
        tight(&o, all_methods[k]);
        double y = 0;
        calls c = {0};
        nd_ode_stats st;
        nd_error err;
        CHECK_INT(nd_ode_solve(&p, 0, 10, &y, &o, NULL, 0, NULL, NULL, &st, &err), ND_OK);
        CHECK_INT(st.events, 14);    /* 10 / ln 2 = 14.4 */
        /* Again, logging the spikes: each located to 1e-8. */
        y = 0;
        double tout[] = {10};
        CHECK_INT(nd_ode_solve(&p, 0, 10, &y, &o, tout, 1, log_out, &c, &st, &err), ND_OK);
        CHECK_INT(c.n, 15);
        /* Euler is first order: its threshold crossings are only O(dt) right. */
        double tol = o.method == ND_ODE_EULER ? 1e-3 : 1e-8;
        for (size_t i = 0; i < 14 && i < c.n; i++) {
            CHECK_INT(c.event[i], 1);
            double want = (double)(i + 1) * log(2.0);
            if (o.method == ND_ODE_EULER && i) want = c.t[i - 1] + log(2.0);
            if (fabs(c.t[i] - want) > tol)
                nd_test_fail(__FILE__, __LINE__, "%s: spike %zu at %.12g, expected %.12g",
                             nd_ode_method_name(o.method), i, c.t[i], want);
        }
        double last = c.n >= 14 ? c.t[13] : 0;
        CHECK_NEAR(y, 2 * (1 - exp(-(10 - last))), tol);
    }
}

/* The bouncing ball: x'' = −9.81, bounce (v → −0.9 v) when x crosses 0 downward. */
static int ball_rhs(void *ctx, double t, const double *y, double *f)
{
    (void)ctx, (void)t;
    f[0] = y[1];
    f[1] = -9.81;
    return 0;
}
static int ball_g(void *ctx, double t, const double *y, double *g)
{
    (void)ctx, (void)t;
    g[0] = -y[0];
    return 0;
}
static int ball_bounce(void *ctx, size_t k, double t, double *y)
{
    (void)k, (void)t;
    int *count = ctx;
    y[0] = 0;
    y[1] = -0.9 * y[1];
    return ++*count == 5;    /* stop after the fifth bounce */
}

TEST(ode_events_bouncing_ball_and_stop)
{
    nd_ode_method ms[] = {ND_ODE_DP5, ND_ODE_TSIT5, ND_ODE_BDF, ND_ODE_RK4};
    for (size_t k = 0; k < 4; k++) {
        int count = 0;
        nd_ode_problem p = {.n = 2, .ctx = &count, .rhs = ball_rhs, .nevents = 1,
                            .events = ball_g, .on_event = ball_bounce};
        nd_ode_options o;
        tight(&o, ms[k]);
        double y[2] = {1, 0};
        calls c = {0};
        nd_ode_stats st;
        nd_error err;
        CHECK_INT(nd_ode_solve(&p, 0, 100, y, &o, NULL, 0, log_out, &c, &st, &err), ND_OK);
        /* Bounce times: t1 = sqrt(2/g), then each flight lasts 2 v_k / g. */
        double g = 9.81, v = sqrt(2 * g), t = sqrt(2 / g);
        size_t seen = 0;
        for (size_t i = 0; i < c.n && i < 8192; i++) {
            if (!c.event[i]) continue;
            if (fabs(c.t[i] - t) > 1e-8)
                nd_test_fail(__FILE__, __LINE__, "%s: bounce %zu at %.12g, expected %.12g",
                             nd_ode_method_name(ms[k]), seen, c.t[i], t);
            v *= 0.9;
            t += 2 * v / g;
            seen++;
        }
        if (seen != 5) nd_test_fail(__FILE__, __LINE__, "%s: %zu bounces", nd_ode_method_name(ms[k]), seen);
        CHECK_INT(count, 5);
        /* Stopped at the fifth bounce with the reset state. */
        CHECK(st.t_end < 100 && st.t_end > 3);
        CHECK_NEAR(y[0], 0, 0);
        CHECK(y[1] > 0);
        /* Every-step outputs (tout NULL) are in time order. */
        for (size_t i = 1; i < c.n && i < 8192; i++) CHECK(c.t[i] >= c.t[i - 1]);
    }
}

/* y' = u(t) for a step + pulses stimulus: exact when the solver steps onto the edges. */
typedef struct { nd_stim *s; } stim_ctx;
static int stim_rhs(void *ctx, double t, const double *y, double *f)
{
    (void)y;
    f[0] = nd_stim_eval(((stim_ctx *)ctx)->s, t);
    return 0;
}

TEST(ode_breaks_step_stimulus_integrated_exactly)
{
    stim_ctx sc = {nd_stim_create()};
    CHECK_INT(nd_stim_add_step(sc.s, 1.234, 2.266, 2.0), ND_OK);       /* [1.234, 3.5) */
    CHECK_INT(nd_stim_add_pulses(sc.s, 5.05, 0.3, 1.0, 3, -1.0), ND_OK);
    double breaks[16];
    size_t nb = nd_stim_breaks(sc.s, 0, 10, breaks, 16);
    CHECK_INT(nb, 8);
    double exact = 2.0 * 2.266 - 3 * 0.3;
    for (size_t k = 0; k < 7; k++) {
        nd_ode_problem p = {.n = 1, .ctx = &sc, .rhs = stim_rhs, .breaks = breaks, .nbreaks = nb};
        nd_ode_options o;
        nd_ode_options_default(&o);
        tight(&o, all_methods[k]);
        o.dt = 0.1;
        double y = 0, tout[] = {1.234, 2, 3.5, 10};
        calls c = {0};
        nd_ode_stats st;
        nd_error err;
        CHECK_INT(nd_ode_solve(&p, 0, 10, &y, &o, tout, 4, log_out, &c, &st, &err), ND_OK);
        /* CVODE's restarts at the edges begin with small low-order steps: not exact. */
        double tol = all_methods[k] >= ND_ODE_BDF ? 1e-7 : 1e-12;
        if (fabs(y - exact) > tol)
            nd_test_fail(__FILE__, __LINE__, "%s: y(10) = %.17g, expected %.17g",
                         nd_ode_method_name(o.method), y, exact);
        CHECK_INT(c.n, 4);
        CHECK(fabs(c.t[1] - 2) < 1e-15);
        if (nd_ode_method_is_fixed(o.method)) CHECK(st.accepted >= 100 && st.accepted <= 100 + 8);
    }
    nd_stim_free(sc.s);
}

TEST(ode_interrupt_stops_within_a_step)
{
    for (size_t k = 0; k < 7; k++) {
        atomic_int flag = 0;
        nd_ode_problem p = {.n = 1, .rhs = one};
        nd_ode_options o;
        nd_ode_options_default(&o);
        o.method = all_methods[k];
        o.dt = 0.01;
        o.dt_max = 0.01;
        o.interrupt = &flag;
        double y = 0;
        calls c = {0};
        c.flag = &flag;
        nd_error err;
        CHECK_INT(nd_ode_solve(&p, 0, 100, &y, &o, NULL, 0, log_out, &c, NULL, &err), ND_EINTERRUPT);
        CHECK_CONTAINS(err.msg, "interrupted at t = ");
        CHECK(c.n <= 4);
        CHECK_STR(nd_status_name(err.code), "Interrupted");
    }
}

/* y' = y² from y = 1 blows up at t = 1. */
static int square(void *ctx, double t, const double *y, double *f)
{
    (void)ctx, (void)t;
    f[0] = y[0] * y[0];
    return 0;
}

TEST(ode_blowup_messages)
{
    static const char *const names[] = {"x"};
    for (size_t k = 0; k < 7; k++) {
        nd_ode_problem p = {.n = 1, .rhs = square, .names = names};
        nd_ode_options o;
        nd_ode_options_default(&o);
        o.method = all_methods[k];
        o.dt = 0.01;
        double y = 1;
        nd_error err;
        nd_status s = nd_ode_solve(&p, 0, 2, &y, &o, NULL, 0, NULL, NULL, NULL, &err);
        CHECK_INT(s, ND_ESOLVER);
        const char *m = nd_ode_method_name(o.method);
        CHECK_CONTAINS(err.msg, m);
        if (nd_ode_method_is_fixed(o.method)) {
            CHECK_CONTAINS(err.msg, "x");   /* x itself, or dx/dt, depending on the method */
            CHECK_CONTAINS(err.msg, " became infinite at t = 1.");
            CHECK_CONTAINS(err.msg, "dt = 0.01");
        } else if (o.method == ND_ODE_DP5 || o.method == ND_ODE_TSIT5) {
            CHECK_CONTAINS(err.msg, "step size underflow at t = 1 ");
            CHECK_CONTAINS(err.msg, "blow up");
        } else {
            CHECK_CONTAINS(err.msg, "CVODE");
        }
    }
}

static int nan_after_1(void *ctx, double t, const double *y, double *f)
{
    (void)ctx;
    f[0] = t < 1 ? 1 : sqrt(-1.0 - y[0] * y[0]);
    return 0;
}

TEST(ode_nonfinite_rhs_named)
{
    static const char *const names[] = {"V"};
    for (size_t k = 0; k < 7; k++) {
        nd_ode_problem p = {.n = 1, .rhs = nan_after_1, .names = names};
        nd_ode_options o;
        nd_ode_options_default(&o);
        o.method = all_methods[k];
        o.dt = 0.1;
        double y = 0;
        nd_error err;
        CHECK_INT(nd_ode_solve(&p, 0, 2, &y, &o, NULL, 0, NULL, NULL, NULL, &err), ND_ESOLVER);
        CHECK_CONTAINS(err.msg, "V");   /* V itself, or dV/dt, depending on the method */
        CHECK_CONTAINS(err.msg, " became NaN at t = 1 (");
    }
}

TEST(ode_max_steps_and_bad_arguments)
{
    nd_ode_problem p = {.n = 1, .rhs = one};
    nd_ode_options o;
    nd_ode_options_default(&o);
    o.max_steps = 10;
    o.dt_max = 0.01;
    double y = 0;
    nd_error err;
    CHECK_INT(nd_ode_solve(&p, 0, 1, &y, &o, NULL, 0, NULL, NULL, NULL, &err), ND_ESOLVER);
    CHECK_CONTAINS(err.msg, "max_steps");
    o.method = ND_ODE_BDF;
    CHECK_INT(nd_ode_solve(&p, 0, 1, &y, &o, NULL, 0, NULL, NULL, NULL, &err), ND_ESOLVER);
    CHECK_CONTAINS(err.msg, "more than 10 steps");

    nd_ode_options_default(&o);
    o.method = ND_ODE_RK4;
    CHECK_INT(nd_ode_solve(&p, 0, 1, &y, &o, NULL, 0, NULL, NULL, NULL, &err), ND_EVALUE);
    CHECK_CONTAINS(err.msg, "rk4 is a fixed-step method");
    nd_ode_options_default(&o);
    o.rtol = 0;
    CHECK_INT(nd_ode_solve(&p, 0, 1, &y, &o, NULL, 0, NULL, NULL, NULL, &err), ND_EVALUE);
    nd_ode_options_default(&o);
    CHECK_INT(nd_ode_solve(&p, 1, 0, &y, &o, NULL, 0, NULL, NULL, NULL, &err), ND_EVALUE);
    double tout[] = {0.5, 0.2};
    CHECK_INT(nd_ode_solve(&p, 0, 1, &y, &o, tout, 2, NULL, NULL, NULL, &err), ND_EVALUE);
    tout[1] = 2;
    CHECK_INT(nd_ode_solve(&p, 0, 1, &y, &o, tout, 2, NULL, NULL, NULL, &err), ND_EVALUE);
    y = NAN;
    CHECK_INT(nd_ode_solve(&p, 0, 1, &y, &o, NULL, 0, NULL, NULL, NULL, &err), ND_EVALUE);
    CHECK_CONTAINS(err.msg, "y[0]");
    /* An empty span is fine and reports t0. */
    y = 3;
    calls c = {0};
    double t0[] = {0};
    CHECK_INT(nd_ode_solve(&p, 0, 0, &y, &o, t0, 1, log_out, &c, NULL, &err), ND_OK);
    CHECK_INT(c.n, 1);
    CHECK_NEAR(y, 3, 0);
}

static int failing_rhs(void *ctx, double t, const double *y, double *f)
{
    (void)ctx, (void)y;
    f[0] = 1;
    return t > 0.5;
}

TEST(ode_callback_failures)
{
    for (size_t k = 0; k < 7; k++) {
        nd_ode_problem p = {.n = 1, .rhs = failing_rhs};
        nd_ode_options o;
        nd_ode_options_default(&o);
        o.method = all_methods[k];
        o.dt = 0.1;
        double y = 0;
        nd_error err;
        CHECK_INT(nd_ode_solve(&p, 0, 1, &y, &o, NULL, 0, NULL, NULL, NULL, &err), ND_ESOLVER);
        CHECK_CONTAINS(err.msg, "right-hand side could not be evaluated");
        /* An output callback that refuses stops the solve too. */
        p.rhs = one;
        calls c = {0};
        c.fail_at = 2;
        CHECK_INT(nd_ode_solve(&p, 0, 1, &y, &o, NULL, 0, log_out, &c, NULL, &err), ND_ESOLVER);
        CHECK_CONTAINS(err.msg, "output was stopped");
        CHECK_INT(c.n, 2);
    }
}

static int grow(void *ctx, double t, const double *y, double *f)
{
    (void)ctx, (void)t;
    f[0] = y[0];
    return 0;
}

/* x' = x from 1 crosses 1000 at t = ln 1000 = 6.91: with bound 1000 every method stops at
   the first step beyond it, naming the state; without a bound it reaches e^10. */
TEST(ode_bound_stops_a_diverging_solution_at_once)
{
    for (size_t k = 0; k < 7; k++) {
        nd_ode_problem p = {.n = 1, .rhs = grow};
        nd_ode_options o;
        tight(&o, all_methods[k]);
        o.bound = 1000;
        double y = 1;
        nd_error err;
        nd_ode_stats st;
        CHECK_INT(nd_ode_solve(&p, 0, 10, &y, &o, NULL, 0, NULL, NULL, &st, &err), ND_ESOLVER);
        CHECK_CONTAINS(err.msg, "left the bound");
        CHECK_CONTAINS(err.msg, "diverges");
        const char *at = strstr(err.msg, "at t = ");   /* the step that crossed */
        double t = at ? strtod(at + 7, NULL) : NAN;
        CHECK(t >= log(1000) && t < log(1000) + 0.05);
        o.bound = 0;
        y = 1;
        CHECK_INT(nd_ode_solve(&p, 0, 10, &y, &o, NULL, 0, NULL, NULL, &st, &err), ND_OK);
        CHECK_NEAR(y, exp(10), 1e-3 * exp(10));
        o.bound = -1;
        CHECK_INT(nd_ode_solve(&p, 0, 10, &y, &o, NULL, 0, NULL, NULL, &st, &err), ND_EVALUE);
    }
}
