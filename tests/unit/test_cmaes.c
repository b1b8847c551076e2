/* CMA-ES on the classic test functions, whose minima are known in closed form (0 at the
   origin, or at (1, …, 1) for Rosenbrock): each run must reach 1e-10 within a budget of
   about twice the mean evaluations over 20 seeds (docs/science.md §3.10), and the point
   found must be the known minimiser. Then the contract: the same
   seed gives the same bits with one and two threads, bounds hold, an interrupt keeps the
   best, a failed evaluation counts as +inf. */
#include "test.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "../../lib/learn/cmaes.h"

static int sphere(void *ctx, const double *x, size_t n, double *v)
{
    (void)ctx;
    double s = 0;
    for (size_t i = 0; i < n; i++) s += x[i] * x[i];
    *v = s;
    return 0;
}

/* Condition 1e6: axis i scaled by 1e3^(i/(n-1)). */
static int ellipsoid(void *ctx, const double *x, size_t n, double *v)
{
    (void)ctx;
    double s = 0;
    for (size_t i = 0; i < n; i++) s += pow(1e6, (double)i / (double)(n - 1)) * x[i] * x[i];
    *v = s;
    return 0;
}

static int rosenbrock(void *ctx, const double *x, size_t n, double *v)
{
    (void)ctx;
    double s = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        double a = x[i] * x[i] - x[i + 1], b = x[i] - 1;
        s += 100 * a * a + b * b;
    }
    *v = s;
    return 0;
}

static nd_cmaes_result run(nd_cmaes_fn f, size_t n, double start, double sigma0, uint64_t seed,
                           int threads, double *x)
{
    nd_cmaes_options o;
    nd_cmaes_options_default(&o);
    o.sigma0 = sigma0;
    o.seed = seed;
    o.threads = threads;
    o.ftarget = 1e-10;
    double x0[10];
    for (size_t i = 0; i < n; i++) x0[i] = start;
    nd_cmaes_result r;
    nd_error e;
    CHECK_INT(nd_cmaes_minimize(f, NULL, n, x0, &o, x, &r, &e), ND_OK);
    return r;
}

TEST(cmaes_default_population_is_4_plus_3_ln_n)
{
    double x[10];
    CHECK_INT(run(sphere, 2, 1, 1, 1, 1, x).lambda, 6);    /* 4 + floor(3 ln 2 = 2.08) */
    CHECK_INT(run(sphere, 10, 1, 1, 1, 1, x).lambda, 10);  /* 4 + floor(6.91) */
}

TEST(cmaes_sphere_10d_reaches_1e_10)
{
    double x[10];
    nd_cmaes_result r = run(sphere, 10, 3, 2, 7, 1, x);
    CHECK(r.fbest <= 1e-10);
    CHECK_INT(r.stop, ND_CMAES_TARGET);
    CHECK(r.evals <= 3000);
    for (int i = 0; i < 10; i++) CHECK(fabs(x[i]) < 1e-4);
}

TEST(cmaes_ellipsoid_condition_1e6_reaches_1e_10)
{
    double x[10];
    nd_cmaes_result r = run(ellipsoid, 10, 3, 2, 7, 1, x);
    CHECK(r.fbest <= 1e-10);
    CHECK(r.evals <= 12000);
    CHECK(fabs(x[9]) < 1e-7);        /* the stiffest axis: 1e6 x² <= 1e-10 */
}

TEST(cmaes_rosenbrock_2d_and_10d_reach_1e_10)
{
    double x[10];
    nd_cmaes_result r = run(rosenbrock, 2, 0, 0.5, 3, 1, x);
    CHECK(r.fbest <= 1e-10);
    CHECK(r.evals <= 2000);
    CHECK(fabs(x[0] - 1) < 1e-4 && fabs(x[1] - 1) < 1e-4);
    r = run(rosenbrock, 10, 0, 0.5, 3, 1, x);
    CHECK(r.fbest <= 1e-10);
    CHECK(r.evals <= 20000);
    for (int i = 0; i < 10; i++) CHECK(fabs(x[i] - 1) < 1e-3);
}

TEST(cmaes_same_seed_same_bits_with_one_and_two_threads)
{
    double x1[10], x2[10], x3[10];
    nd_cmaes_result a = run(rosenbrock, 10, 0, 0.5, 11, 1, x1);
    nd_cmaes_result b = run(rosenbrock, 10, 0, 0.5, 11, 2, x2);
    CHECK(memcmp(x1, x2, sizeof x1) == 0);
    CHECK(memcmp(&a.fbest, &b.fbest, sizeof a.fbest) == 0);
    CHECK_INT(a.evals, b.evals);
    CHECK_INT(a.generations, b.generations);
    nd_cmaes_result c = run(rosenbrock, 10, 0, 0.5, 12, 1, x3);   /* another seed differs */
    CHECK(memcmp(x1, x3, sizeof x1) != 0 || a.evals != c.evals);
}

/* A shifted sphere with its minimum at (-1, 2, 0.5), outside the box [0, 1]²×[0, 1]: the
   constrained minimum is the projection (0, 1, 0.5). */
static int shifted(void *ctx, const double *x, size_t n, double *v)
{
    const double c[3] = {-1, 2, 0.5};
    int *outside = ctx;
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        if (x[i] < 0 || x[i] > 1) (*outside)++;
        s += (x[i] - c[i]) * (x[i] - c[i]);
    }
    *v = s;
    return 0;
}

TEST(cmaes_bounds_hold_and_the_constrained_minimum_is_found)
{
    int outside = 0;
    double lo[3] = {0, 0, 0}, hi[3] = {1, 1, 1}, x0[3] = {0.5, 0.5, 0.9}, x[3];
    nd_cmaes_options o;
    nd_cmaes_options_default(&o);
    o.lower = lo, o.upper = hi, o.sigma0 = 0.5;
    nd_cmaes_result r;
    nd_error e;
    CHECK_INT(nd_cmaes_minimize(shifted, &outside, 3, x0, &o, x, &r, &e), ND_OK);
    CHECK_INT(outside, 0);
    CHECK_NEAR(x[0], 0, 1e-9);
    CHECK_NEAR(x[1], 1, 1e-9);
    CHECK_NEAR(x[2], 0.5, 1e-5);
    CHECK_NEAR(r.fbest, 2, 1e-9);     /* 1² + 1² + 0 */
}

typedef struct {
    atomic_int flag;
    atomic_long calls;
    long stop_after;
} interrupting;

static int sphere_then_interrupt(void *ctx, const double *x, size_t n, double *v)
{
    interrupting *it = ctx;
    if (atomic_fetch_add(&it->calls, 1) + 1 >= it->stop_after) atomic_store(&it->flag, 1);
    return sphere(NULL, x, n, v);
}

TEST(cmaes_interrupt_keeps_the_best)
{
    interrupting it = {0, 0, 200};
    double x0[4] = {3, 3, 3, 3}, x[4];
    nd_cmaes_options o;
    nd_cmaes_options_default(&o);
    o.interrupt = &it.flag;
    o.sigma0 = 1;
    nd_cmaes_result r;
    nd_error e;
    CHECK_INT(nd_cmaes_minimize(sphere_then_interrupt, &it, 4, x0, &o, x, &r, &e), ND_OK);
    CHECK_INT(r.stop, ND_CMAES_INTERRUPT);
    CHECK(r.evals >= 200 && r.evals < 200 + (long)r.lambda);
    double fx;
    sphere(NULL, x, 4, &fx);
    CHECK(fx == r.fbest);             /* the point kept is the one whose value is reported */
    CHECK(r.fbest < 36 * 0.01);       /* well below the start's 36 after ~25 generations */
}

/* Fails (returns nonzero) on the half-space x0 < 0: those points are +inf, never best. */
static int half_fails(void *ctx, const double *x, size_t n, double *v)
{
    (void)ctx;
    if (x[0] < 0) return -1;
    double s = 0;
    for (size_t i = 0; i < n; i++) s += (x[i] + 1) * (x[i] + 1);
    *v = s;
    return 0;
}

TEST(cmaes_failed_evaluations_count_as_infinity)
{
    double x0[2] = {2, 2}, x[2];
    nd_cmaes_options o;
    nd_cmaes_options_default(&o);
    o.sigma0 = 1;
    o.max_evals = 3000;
    nd_cmaes_result r;
    nd_error e;
    CHECK_INT(nd_cmaes_minimize(half_fails, NULL, 2, x0, &o, x, &r, &e), ND_OK);
    CHECK(x[0] >= 0);
    CHECK(x[0] < 1e-3);               /* the feasible minimum lies on x0 = 0, x1 = -1 */
    CHECK_NEAR(x[1], -1, 1e-3);
}

TEST(cmaes_rejects_bad_options)
{
    double x0[2] = {0, 0}, x[2], lo[2] = {1, 0}, hi[2] = {0, 1};
    nd_cmaes_options o;
    nd_cmaes_options_default(&o);
    nd_cmaes_result r;
    nd_error e;
    CHECK_INT(nd_cmaes_minimize(sphere, NULL, 0, x0, &o, x, &r, &e), ND_EVALUE);
    o.lower = lo, o.upper = hi;
    CHECK_INT(nd_cmaes_minimize(sphere, NULL, 2, x0, &o, x, &r, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "coordinate 1");
    o.lower = o.upper = NULL;
    o.threads = 0;
    CHECK_INT(nd_cmaes_minimize(sphere, NULL, 2, x0, &o, x, &r, &e), ND_EVALUE);
    o.threads = 1, o.sigma0 = 0;
    CHECK_INT(nd_cmaes_minimize(sphere, NULL, 2, x0, &o, x, &r, &e), ND_EVALUE);
}
