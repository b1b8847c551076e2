/* lib/learn: dense networks — exact reverse mode, seeded deterministic init, batching,
   bit-exact JSON, and clear errors. */
#include "test.h"

#include <stdint.h>
#include <stdlib.h>

#include "../../lib/base/rng.h"
#include "../../lib/learn/mlp.h"

static const size_t HIDDEN[2] = {5, 4};

static void fill_normal(nd_rng *r, double *v, size_t n, double scale)
{
    for (size_t i = 0; i < n; i++) v[i] = scale * nd_rng_normal(r);
}

/* A network with random (not freshly initialised) biases and non-trivial scaling, so
   every path of forward/backward carries a non-zero sensitivity. */
static nd_mlp *perturbed(nd_act act, size_t nhidden, uint64_t seed)
{
    nd_mlp *m = nd_mlp_create(3, HIDDEN, nhidden, 2, act, seed, NULL);
    nd_rng r;
    nd_rng_seed(&r, seed + 1);
    double *p = nd_mlp_params(m);
    for (size_t i = 0; i < nd_mlp_nparams(m); i++) p[i] += 0.2 * nd_rng_normal(&r);
    const double im[3] = {1.0, -2.0, 0.5}, is[3] = {2.0, 0.5, 3.0};
    const double om[2] = {-1.0, 4.0}, os[2] = {0.7, 2.5};
    CHECK_INT(nd_mlp_set_scaling(m, im, is, om, os, NULL), ND_OK);
    return m;
}

/* L = Σ c ⊙ y over the batch, the scalar whose gradient reverse mode must reproduce. */
static double loss(const nd_mlp *m, nd_mlp_work *w, const double *x, size_t batch,
                   const double *c)
{
    double y[16], s = 0;
    nd_mlp_forward(m, x, batch, y, w);
    for (size_t i = 0; i < batch * nd_mlp_nout(m); i++) s += c[i] * y[i];
    return s;
}

/* Central differences, error O(h²) ≈ 1e-10, well inside the 1e-6 relative tolerance. */
static double central(double *v, nd_mlp *m, nd_mlp_work *w, const double *x, size_t batch,
                      const double *c)
{
    const double h = 1e-5, v0 = *v;
    *v = v0 + h;
    double lp = loss(m, w, x, batch, c);
    *v = v0 - h;
    double lm = loss(m, w, x, batch, c);
    *v = v0;
    return (lp - lm) / (2 * h);
}

static void check_close(double fd, double exact, double scale, const char *what, size_t i,
                        nd_act act)
{
    if (!(fabs(fd - exact) <= 1e-6 * (fabs(exact) + 1e-3 * scale)))
        nd_test_fail(__FILE__, __LINE__, "%s: %s gradient %zu = %.12g, finite difference %.12g",
                     nd_act_name(act), what, i, exact, fd);
}

static double max_abs(const double *v, size_t n)
{
    double a = 0;
    for (size_t i = 0; i < n; i++) a = fmax(a, fabs(v[i]));
    return a;
}

static void gradient_check(nd_act act, size_t nhidden)
{
    enum { B = 4 };
    nd_mlp *m = perturbed(act, nhidden, 7 + (uint64_t)act);
    nd_mlp_work *w = nd_mlp_work_create(m, B, NULL);
    nd_rng r;
    nd_rng_seed(&r, 99);
    double x[B * 3], c[B * 2], y[B * 2], dx[B * 3];
    fill_normal(&r, x, B * 3, 2.0);
    fill_normal(&r, c, B * 2, 1.0);
    size_t np = nd_mlp_nparams(m);
    double *g = malloc(np * sizeof *g);
    for (size_t i = 0; i < np; i++) g[i] = 1.0;   /* backward accumulates onto this */
    CHECK_INT(nd_mlp_forward(m, x, B, y, w), ND_OK);
    CHECK_INT(nd_mlp_backward(m, w, B, c, g, dx), ND_OK);
    for (size_t i = 0; i < np; i++) g[i] -= 1.0;
    double gs = max_abs(g, np), xs = max_abs(dx, B * 3);
    CHECK(gs > 0 && xs > 0);
    for (size_t i = 0; i < np; i++)
        check_close(central(&nd_mlp_params(m)[i], m, w, x, B, c), g[i], gs, "parameter", i, act);
    for (size_t i = 0; i < B * 3; i++)
        check_close(central(&x[i], m, w, x, B, c), dx[i], xs, "input", i, act);
    free(g);
    nd_mlp_work_free(w);
    nd_mlp_free(m);
}

TEST(mlp_gradients_match_finite_differences_for_every_activation)
{
    for (int a = 0; a < ND_ACT_IDENTITY; a++) gradient_check((nd_act)a, 2);
    gradient_check(ND_ACT_TANH, 1);
    gradient_check(ND_ACT_TANH, 0);   /* no hidden layer: an affine map */
}

TEST(mlp_activation_names_parse_both_ways)
{
    for (int a = 0; a < ND_ACT_COUNT; a++) CHECK_INT(nd_act_parse(nd_act_name((nd_act)a)), a);
    CHECK_INT(nd_act_parse("rbf"), ND_ACT_GAUSSIAN);
    CHECK_INT(nd_act_parse("elu"), ND_ACT_COUNT);
    CHECK_INT(nd_act_parse(NULL), ND_ACT_COUNT);
    CHECK_STR(nd_act_name(ND_ACT_COUNT), "unknown");
}

TEST(mlp_activations_stay_finite_far_out)
{
    double z[4] = {-800, -40, 40, 800};
    for (int a = 0; a < ND_ACT_IDENTITY; a++) {
        double v[4], d[4] = {1, 1, 1, 1};
        memcpy(v, z, sizeof z);
        nd_act_apply((nd_act)a, v, 4);
        nd_act_backprop((nd_act)a, z, v, d, 4);
        for (int i = 0; i < 4; i++) CHECK(isfinite(v[i]) && isfinite(d[i]));
    }
}

TEST(mlp_same_seed_same_bits_and_pinned_values)
{
    nd_mlp *a = nd_mlp_create(2, HIDDEN, 2, 1, ND_ACT_TANH, 42, NULL);
    nd_mlp *b = nd_mlp_create(2, HIDDEN, 2, 1, ND_ACT_TANH, 42, NULL);
    nd_mlp *c = nd_mlp_create(2, HIDDEN, 2, 1, ND_ACT_TANH, 43, NULL);
    CHECK_INT(nd_mlp_nparams(a), 5 * 3 + 4 * 6 + 1 * 5);
    CHECK(memcmp(nd_mlp_params(a), nd_mlp_params(b), nd_mlp_nparams(a) * sizeof(double)) == 0);
    CHECK(memcmp(nd_mlp_params(a), nd_mlp_params(c), nd_mlp_nparams(a) * sizeof(double)) != 0);
    /* regression pin: a change of the PRNG, the init rule or the layout must show here. */
    const double *p = nd_mlp_params(a);
    CHECK(p[0] == -0x1.8a83b3897c6efp-1);
    CHECK(p[17] == 0x1.f75e49d847a8dp-2);
    CHECK(p[nd_mlp_nparams(a) - 2] == 0x1.f2e6f5c296d72p-1);
    CHECK(p[10] == 0.0);   /* first bias of the first layer */
    nd_mlp_free(a);
    nd_mlp_free(b);
    nd_mlp_free(c);
}

TEST(mlp_init_scale_is_glorot_or_he)
{
    const size_t h[1] = {200};
    nd_mlp *t = nd_mlp_create(100, h, 1, 50, ND_ACT_TANH, 1, NULL);
    nd_mlp *r = nd_mlp_create(100, h, 1, 50, ND_ACT_RELU, 1, NULL);
    double gl = sqrt(6.0 / 300.0), he = sqrt(6.0 / 100.0);
    double mt = max_abs(nd_mlp_params(t), 200 * 100), mr = max_abs(nd_mlp_params(r), 200 * 100);
    CHECK(mt <= gl && mt > 0.99 * gl);
    CHECK(mr <= he && mr > 0.99 * he);
    /* the output layer of a relu network is Glorot */
    CHECK(max_abs(nd_mlp_params(r) + 200 * 101, 50 * 200) <= sqrt(6.0 / 250.0));
    nd_mlp_free(t);
    nd_mlp_free(r);
}

TEST(mlp_batch_equals_per_sample_forward_and_backward)
{
    enum { B = 7 };
    nd_mlp *m = perturbed(ND_ACT_SWISH, 2, 5);
    nd_mlp_work *wb = nd_mlp_work_create(m, B, NULL), *w1 = nd_mlp_work_create(m, 1, NULL);
    nd_rng r;
    nd_rng_seed(&r, 3);
    double x[B * 3], dy[B * 2], y[B * 2], dx[B * 3];
    fill_normal(&r, x, B * 3, 1.5);
    fill_normal(&r, dy, B * 2, 1.0);
    size_t np = nd_mlp_nparams(m);
    double *gb = calloc(np, sizeof *gb), *g1 = calloc(np, sizeof *g1);
    nd_mlp_forward(m, x, B, y, wb);
    nd_mlp_backward(m, wb, B, dy, gb, dx);
    for (size_t s = 0; s < B; s++) {
        double ys[2], dxs[3], dxo[3];
        CHECK_INT(nd_mlp_forward(m, x + 3 * s, 1, ys, w1), ND_OK);
        CHECK_INT(nd_mlp_backward(m, w1, 1, dy + 2 * s, g1, dxs), ND_OK);
        CHECK_INT(nd_mlp_backward(m, w1, 1, dy + 2 * s, NULL, dxo), ND_OK);   /* cheap path */
        for (int k = 0; k < 2; k++) CHECK_NEAR(ys[k], y[2 * s + k], 1e-13);
        for (int i = 0; i < 3; i++) {
            CHECK_NEAR(dxs[i], dx[3 * s + i], 1e-13);
            CHECK(dxo[i] == dxs[i]);
        }
    }
    for (size_t i = 0; i < np; i++) CHECK_NEAR(g1[i], gb[i], 1e-12);
    free(gb);
    free(g1);
    nd_mlp_work_free(wb);
    nd_mlp_work_free(w1);
    nd_mlp_free(m);
}

TEST(mlp_repeated_runs_are_bit_identical)
{
    enum { B = 300 };
    const size_t h[2] = {64, 64};
    double *x = malloc(B * 4 * sizeof *x), *y1 = malloc(B * 3 * sizeof *y1);
    double *y2 = malloc(B * 3 * sizeof *y2), *dy = malloc(B * 3 * sizeof *dy);
    nd_rng r;
    nd_rng_seed(&r, 11);
    fill_normal(&r, x, B * 4, 1.0);
    fill_normal(&r, dy, B * 3, 1.0);
    double *g[2];
    for (int run = 0; run < 2; run++) {
        nd_mlp *m = nd_mlp_create(4, h, 2, 3, ND_ACT_SOFTPLUS, 8, NULL);
        nd_mlp_work *w = nd_mlp_work_create(m, B, NULL);
        g[run] = calloc(nd_mlp_nparams(m), sizeof(double));
        nd_mlp_forward(m, x, B, run ? y2 : y1, w);
        nd_mlp_backward(m, w, B, dy, g[run], NULL);
        if (run) CHECK(memcmp(g[0], g[1], nd_mlp_nparams(m) * sizeof(double)) == 0);
        nd_mlp_work_free(w);
        nd_mlp_free(m);
    }
    CHECK(memcmp(y1, y2, B * 3 * sizeof *y1) == 0);
    free(g[0]);
    free(g[1]);
    free(x);
    free(y1);
    free(y2);
    free(dy);
}

TEST(mlp_json_round_trip_is_bit_identical)
{
    nd_mlp *m = perturbed(ND_ACT_GAUSSIAN, 2, 21);
    json_t *j = nd_mlp_to_json(m);
    char *text = json_dumps(j, 0);
    json_t *back = json_loads(text, 0, NULL);
    nd_error err;
    nd_mlp *n = nd_mlp_from_json(back, &err);
    CHECK(n != NULL);
    if (n) {
        CHECK_INT(nd_mlp_nparams(n), nd_mlp_nparams(m));
        CHECK(memcmp(nd_mlp_params(n), nd_mlp_params(m), nd_mlp_nparams(m) * sizeof(double)) == 0);
        CHECK_INT(nd_mlp_act(n), ND_ACT_GAUSSIAN);
        CHECK(nd_mlp_seed(n) == 21);
        CHECK_INT(nd_mlp_nhidden(n), 2);
        CHECK_INT(nd_mlp_hidden(n, 1), 4);
        CHECK(nd_mlp_has_scaling(n));
        const double *a[4], *b[4];
        nd_mlp_scaling(m, &a[0], &a[1], &a[2], &a[3]);
        nd_mlp_scaling(n, &b[0], &b[1], &b[2], &b[3]);
        for (int k = 0; k < 4; k++)
            CHECK(memcmp(a[k], b[k], (k < 2 ? 3 : 2) * sizeof(double)) == 0);
        double x[3] = {0.3, -1.0, 2.0}, y1[2], y2[2];
        nd_mlp_work *w = nd_mlp_work_create(m, 1, NULL);
        nd_mlp_forward(m, x, 1, y1, w);
        nd_mlp_forward(n, x, 1, y2, w);
        CHECK(memcmp(y1, y2, sizeof y1) == 0);
        nd_mlp_work_free(w);
    }
    free(text);
    json_decref(j);
    json_decref(back);
    nd_mlp_free(n);
    nd_mlp_free(m);
}

TEST(mlp_json_keeps_full_seed_and_omits_identity_scaling)
{
    nd_mlp *m = nd_mlp_create(1, NULL, 0, 1, ND_ACT_RELU, UINT64_MAX, NULL);
    json_t *j = nd_mlp_to_json(m);
    CHECK(json_object_get(j, "scaling") == NULL);
    CHECK_STR(json_string_value(json_object_get(j, "seed")), "18446744073709551615");
    nd_mlp *n = nd_mlp_from_json(j, NULL);
    CHECK(n && nd_mlp_seed(n) == UINT64_MAX && !nd_mlp_has_scaling(n));
    nd_mlp_params(m)[0] = NAN;
    CHECK(nd_mlp_to_json(m) == NULL);   /* JSON has no NaN: refused, not corrupted */
    json_decref(j);
    nd_mlp_free(n);
    nd_mlp_free(m);
}

static void check_bad_json(const char *text, const char *needle)
{
    json_t *j = json_loads(text, 0, NULL);
    nd_error err;
    nd_error_clear(&err);
    CHECK(j != NULL);
    CHECK(nd_mlp_from_json(j, &err) == NULL);
    CHECK_INT(err.code, ND_EVALUE);
    CHECK_CONTAINS(err.msg, needle);
    json_decref(j);
}

TEST(mlp_bad_arguments_give_clear_errors)
{
    nd_error err;
    const size_t zero[1] = {0};
    CHECK(nd_mlp_create(0, HIDDEN, 2, 1, ND_ACT_TANH, 1, &err) == NULL);
    CHECK_INT(err.code, ND_EVALUE);
    CHECK_CONTAINS(err.msg, "at least 1 input");
    CHECK(nd_mlp_create(2, zero, 1, 1, ND_ACT_TANH, 1, &err) == NULL);
    CHECK_CONTAINS(err.msg, "hidden layer");
    CHECK(nd_mlp_create(2, HIDDEN, 2, 0, ND_ACT_TANH, 1, &err) == NULL);
    CHECK_CONTAINS(err.msg, "output");
    CHECK(nd_mlp_create(2, HIDDEN, 2, 1, nd_act_parse("elu"), 1, &err) == NULL);
    CHECK_CONTAINS(err.msg, "unknown activation");
    CHECK_CONTAINS(err.msg, "swish");
    CHECK(nd_mlp_create(2, NULL, 2, 1, ND_ACT_TANH, 1, &err) == NULL);
    const size_t huge[1] = {(size_t)1 << 30};
    CHECK(nd_mlp_create(2, huge, 1, 1, ND_ACT_TANH, 1, &err) == NULL);
    CHECK_CONTAINS(err.msg, "too large");

    nd_mlp *m = nd_mlp_create(3, HIDDEN, 2, 2, ND_ACT_TANH, 1, NULL);
    const double sd[3] = {1, 0, 1};
    CHECK_INT(nd_mlp_set_scaling(m, NULL, sd, NULL, NULL, &err), ND_EVALUE);
    CHECK_CONTAINS(err.msg, "input standard deviation 2");
    CHECK(!nd_mlp_has_scaling(m));
    CHECK(nd_mlp_work_create(m, 0, &err) == NULL);
    nd_mlp_work *w = nd_mlp_work_create(m, 2, NULL);
    double x[9] = {0}, y[6], dy[6] = {0};
    CHECK_INT(nd_mlp_backward(m, w, 1, dy, NULL, x), ND_EVALUE);   /* no forward yet */
    CHECK_INT(nd_mlp_forward(m, x, 3, y, w), ND_EVALUE);           /* over capacity */
    nd_mlp *other = nd_mlp_create(3, HIDDEN, 1, 2, ND_ACT_TANH, 1, NULL);
    CHECK_INT(nd_mlp_forward(other, x, 1, y, w), ND_EVALUE);       /* another shape */
    nd_mlp_free(other);
    nd_mlp_work_free(w);
    nd_mlp_free(m);

    check_bad_json("{\"format\": \"other\"}", "not a neurodyn network");
    check_bad_json("{\"format\": \"neurodyn-mlp\", \"inputs\": 1, \"hidden\": [2], "
                   "\"outputs\": 1, \"activation\": \"elu\", \"seed\": \"1\", \"params\": []}",
                   "unknown activation");
    check_bad_json("{\"format\": \"neurodyn-mlp\", \"inputs\": 1, \"hidden\": [], "
                   "\"outputs\": 1, \"activation\": \"tanh\", \"seed\": \"1\", \"params\": [1]}",
                   "\"params\" must be an array of 2 numbers");
    check_bad_json("{\"format\": \"neurodyn-mlp\", \"inputs\": 1, \"hidden\": [], "
                   "\"outputs\": 1, \"activation\": \"tanh\", \"seed\": \"x\", \"params\": [1, 2]}",
                   "seed");
    check_bad_json("{\"format\": \"neurodyn-mlp\", \"inputs\": 1, \"hidden\": [], "
                   "\"outputs\": 1, \"activation\": \"tanh\", \"seed\": \"1\", \"params\": [1, 2], "
                   "\"scaling\": {\"in_std\": [-1]}}",
                   "standard deviation");
}

TEST(mlp_reinit_is_a_fresh_network_biases_included)
{
    /* A retry of the default recipe reinitialises a trained network: it must start where
       nd_mlp_create with that seed starts, not from the trained biases. */
    static const size_t hidden[] = {8};
    nd_mlp *a = nd_mlp_create(2, hidden, 1, 1, ND_ACT_TANH, 7, NULL);
    nd_mlp *b = nd_mlp_create(2, hidden, 1, 1, ND_ACT_TANH, 3, NULL);
    CHECK(a && b);
    if (a && b) {
        double *p = nd_mlp_params(b);
        for (size_t i = 0; i < nd_mlp_nparams(b); i++) p[i] += 0.5;   /* "trained" */
        nd_mlp_reinit(b, 7);
        CHECK(memcmp(nd_mlp_params(a), nd_mlp_params(b),
                     nd_mlp_nparams(a) * sizeof(double)) == 0);
    }
    nd_mlp_free(a);
    nd_mlp_free(b);
}
