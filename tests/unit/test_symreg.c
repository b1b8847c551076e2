/* Symbolic regression: exact recovery of SRBench Feynman equations (Udrescu & Tegmark 2020;
   La Cava et al. 2021) and of Hodgkin–Huxley's mInf and Rinzel's INa from clean samples,
   the true structure on the front with 1 % noise, and the same front for 1 and 2 threads.
   The samples and the checks come from the formulas of symreg_fixture.c, never from the
   program: "recovered exactly" means an expression on the front no larger than the true
   formula (after simplification) that matches the formula to a relative RMS error below
   1e-6 on fresh points drawn from the same ranges. */
#include <stdatomic.h>
#include <stdlib.h>

#include "../../lib/expr/lexer.h"
#include "../../lib/expr/parse.h"
#include "../../lib/learn/symreg_impl.h"
#include "../../lib/models/model.h"
#include "symreg_fixture.h"
#include "test.h"

static nd_symreg_result *search(const sr_problem *p, const nd_model *m, double noise,
                                unsigned threads, uint64_t seed)
{
    nd_error err = {0};
    nd_symreg_result *r = sr_fx_search(p, m, noise, threads, seed, &err);
    if (!r) nd_test_fail(__FILE__, __LINE__, "%s: %s", p->name, err.msg);
    return r;
}

static nd_model *builtin(const char *name)
{
    nd_error err = {0};
    nd_model *m = nd_model_builtin(name, &err);
    if (!m) nd_test_fail(__FILE__, __LINE__, "%s: %s", name, err.msg);
    return m;
}

/* The search of the first of seeds 1..seeds that recovers p exactly (printing the form,
   and checking it names must_contain when given), with *e its exact entry; else NULL. The
   search is deterministic, but a seed is an arbitrary choice: a test asks for a recovery
   within a few seeds rather than pinning the one that happens to work. */
static nd_symreg_result *recover(const sr_problem *p, const nd_model *m, int seeds,
                                 const char *must_contain, const nd_symreg_entry **e)
{
    for (int seed = 1; seed <= seeds; seed++) {
        nd_symreg_result *r = search(p, m, 0, 2, (uint64_t)seed);
        *e = sr_fx_exact(p, r, m);
        printf("  %-8s seed %d: %s (%ld generations)\n", p->name, seed,
               *e ? (*e)->text : "missed", r ? r->generations : 0);
        if (*e && must_contain) CHECK_CONTAINS((*e)->text, must_contain);
        if (*e) return r;
        nd_symreg_result_free(r);
    }
    return NULL;
}

/* 1 when one of seeds 1..seeds recovers p exactly (recover). */
static int recovered_within(const sr_problem *p, const nd_model *m, int seeds,
                            const char *must_contain)
{
    const nd_symreg_entry *e;
    nd_symreg_result *r = recover(p, m, seeds, must_contain, &e);
    nd_symreg_result_free(r);
    return r != NULL;
}

/* Every Feynman problem of the fixture is recovered exactly within its budget by one of
   seeds 1–3 (bench/symreg.c gives the rate per seed). */
TEST(symreg_feynman_exact)
{
    size_t solved = 0;
    for (size_t i = 0; i < sr_fx_nfeynman; i++) {
        int ok = recovered_within(&sr_fx_feynman[i], NULL, 3, NULL);
        solved += ok;
        if (!ok) nd_test_fail(__FILE__, __LINE__, "%s not recovered", sr_fx_feynman[i].name);
    }
    printf("  Feynman: %zu of %zu recovered within 3 seeds\n", solved, sr_fx_nfeynman);
}

/* hh's mInf = αm/(αm + βm) with the rates as primitives. The hardest problem here: with
   the default 8 islands about half the seeds find it within 100 generations (4 of seeds
   1–8; the others end on am(c·V + d) curve fits or larger equivalent forms; bench/symreg.c
   reports the rate). The test asks that one of seeds 1–4 recovers it (all four missing
   would be a rate well below the measured one). */
TEST(symreg_minf_from_rates)
{
    nd_model *m = builtin(sr_fx_minf.model);
    CHECK(recovered_within(&sr_fx_minf, m, 4, "am(V)"));
    nd_model_free(m);
}

/* hh's mInf from samples of its closed form, searched with the default operators (+ − × ÷
   exp, square) and no rates as primitives: the closed form itself is about 21 nodes, out
   of reach, but a sigmoid of V must be on the front — an expression of at most 12 nodes
   with exp that, on a held-out grid (V = −99.875 … 39.875 mV every 0.25 mV, not the
   search's random samples, and clear of αm's removable 0/0 at −40 mV), is within 2 %
   relative RMS of HH's mInf (the fixture's formula from αm and βm), rises monotonically
   and saturates (below 0.05 at the grid's start, above 0.9 at its end: sr_fx_sigmoid). A logistic
   c/(c′ + e^{−aV}) (8 nodes) fits to 1.5 %. One of seeds 1–3 must find one. */
TEST(symreg_minf_sigmoid_from_closed_form)
{
    const sr_problem *p = &sr_fx_minf_exp;
    const nd_symreg_entry *e = NULL;
    for (int seed = 1; seed <= 3 && !e; seed++) {
        nd_symreg_result *r = search(p, NULL, 0, 2, (uint64_t)seed);
        double err = NAN;
        if ((e = sr_fx_sigmoid(p, r, &err)))
            printf("  mInf from exp, seed %d: %s (size %d, held-out error %.3g)\n", seed,
                   e->text, e->size, err);
        else
            printf("  mInf from exp, seed %d: no sigmoid within 2 %%\n", seed);
        nd_symreg_result_free(r);
    }
    CHECK(e != NULL);
}

/* The simplifier leaves a/a and a − a alone; symreg cancels them (identical subtrees,
   constants included) before simplifying, so am(V)/am(V)·x is x at once. */
/* Parses text and builds its tree in *t (the test fails when either step does); returns
   the parsed expression for the caller to free. */
static nd_expr *parse_tree(const char *text, const sr_ops *so, const char *const *vars,
                           size_t nvars, sr_tree *t)
{
    nd_tokens toks;
    size_t pos = 0;
    CHECK(nd_lex_all(text, strlen(text), 1, 1, &toks, NULL) == ND_OK);
    nd_expr *e = nd_expr_parse(&toks, &pos, NULL);
    nd_lex_free(&toks);
    CHECK(e && sr_from_expr(e, so, vars, nvars, ND_SYMREG_MAX_SIZE, t) == 0);
    return e;
}

TEST(symreg_cancels_identical_operands)
{
    static const char *const vars[2] = {"x", "y"};
    static const char *const ops[4] = {"+", "-", "*", "/"};
    struct { const char *in, *out; } cases[] = {
        {"x / x * y", "y"}, {"(x * y - x * y) + x", "x"}, {"(x + 2.5) / (x + 2.5) + y", "y + 1"},
        {"(x + 2.5) / (x + 2.25)", "(x + 2.5) / (x + 2.25)"},
    };
    nd_symreg_options o;
    nd_symreg_options_default(&o);
    o.ops = ops;
    o.nops = 4;
    sr_ops so;
    nd_error err = {0};
    CHECK(sr_ops_build(&so, &o, &err) == ND_OK);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        sr_tree t;
        nd_expr *e = parse_tree(cases[k].in, &so, vars, 2, &t);
        CHECK(sr_simplify(&t, &so, vars, 2, ND_SYMREG_MAX_SIZE) == 0);
        nd_expr *back = sr_to_expr(&t, &so, vars);
        nd_sb sb;
        nd_sb_init(&sb);
        nd_expr_text(back, &sb);
        CHECK_STR(nd_sb_str(&sb), cases[k].out);
        nd_sb_free(&sb);
        nd_expr_free(back);
        nd_expr_free(e);
    }
    sr_ops_free(&so);
}

/* Dimensions: with V in mV, n dimensionless and I in µA/cm², a sum of two known different
   dimensions or a function of a dimensional argument is refused; a fitted constant makes
   its term's dimension free (a conductance times V may be added to I); no units, no
   check. Each case written with its verdict. */
TEST(symreg_units_refuse_mixed_dimensions)
{
    static const char *const vars[3] = {"V", "n", "I"};
    static const char *const units[3] = {"mV", "1", "uA/cm^2"};
    static const char *const ops[8] = {"+", "-", "*", "/", "exp", "sqrt", "pow2", "tanh"};
    struct { const char *in; int ok; } cases[] = {
        {"V + n", 0},           {"I - V", 0},         {"exp(V)", 0},
        {"tanh(V * n)", 0},     {"(V + I) * 2.5", 0}, {"V - 50", 1},
        {"I + 2.5 * V", 1},     {"exp(V / 18)", 1},   {"n * V + V", 1},
        {"sqrt(V^2) - V", 1},   {"V^2 / V + V", 1},   {"n + n^2 - 1", 1},
        {"V / V + n", 1},       {"V * n / V - I / I", 1},
    };
    nd_symreg_options o;
    nd_symreg_options_default(&o);
    o.ops = ops;
    o.nops = 8;
    sr_ops so;
    nd_error err = {0};
    CHECK(sr_ops_build(&so, &o, &err) == ND_OK);
    sr_dim dims[3];
    sr_dims_from_units(units, 3, dims);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        sr_tree t;
        nd_expr *e = parse_tree(cases[k].in, &so, vars, 3, &t);
        if (sr_units_ok(&t, &so, dims) != cases[k].ok)
            nd_test_fail(__FILE__, __LINE__, "%s: %s expected", cases[k].in,
                         cases[k].ok ? "accepted" : "refused");
        CHECK(sr_units_ok(&t, &so, NULL));   /* no units: nothing refused */
        nd_expr_free(e);
    }
    /* A search with the units on data that are numerically V + n: the 3-node V + n would
       fit exactly but mixes mV with a pure number; the front must hold no such expression
       (each read back and checked) and reach the data exactly in a consistent form of at
       least 5 nodes (V + c·n, c fitted to 1). */
    enum { ROWS = 60 };
    double X[ROWS * 3], y[ROWS];
    for (int i = 0; i < ROWS; i++) {
        double V = -80 + 2 * i, n = 0.1 + 0.013 * i, I = 5 * sin(0.3 * i);
        X[3 * i] = V, X[3 * i + 1] = n, X[3 * i + 2] = I;
        y[i] = V + n;
    }
    o.units = units;
    o.iters = 20;
    o.islands = 2;
    o.population = 16;
    o.threads = 1;
    nd_symreg_result *r = nd_symreg_run(X, y, ROWS, vars, 3, &o, &err);
    CHECK(r && r->nfront > 1);
    if (r) {
        const nd_symreg_entry *last = &r->front[r->nfront - 1];
        printf("  with units, V + n is written %s (size %d)\n", last->text, last->size);
        CHECK(last->nrmse < 1e-9 && last->size >= 5);
    }
    for (size_t k = 0; r && k < r->nfront; k++) {
        sr_tree t;
        CHECK(sr_from_expr(r->front[k].expr, &so, vars, 3, ND_SYMREG_MAX_SIZE, &t) == 0);
        if (!sr_units_ok(&t, &so, dims))
            nd_test_fail(__FILE__, __LINE__, "on the front: %s", r->front[k].text);
    }
    nd_symreg_result_free(r);
    sr_ops_free(&so);
}

/* A model function's argument has its parameter's dimension: hh_rinzel's fn mInf(V) takes
   V, which the model gives in mV, so mInf(n) (a pure number) and mInf(V + n) are refused,
   mInf(V), mInf(V·n) (mV) and mInf(V/18) (a fitted scale: free) are not. */
TEST(symreg_units_check_a_model_functions_argument)
{
    static const char *const vars[2] = {"V", "n"};
    static const char *const units[2] = {"mV", "1"};
    static const char *const fns[1] = {"mInf"};
    struct { const char *in; int ok; } cases[] = {
        {"mInf(n)", 0}, {"mInf(V + n)", 0}, {"mInf(V)", 1}, {"mInf(V * n)", 1},
        {"mInf(V / 18)", 1}, {"mInf(V)^3 * (V - 50)", 1},
    };
    nd_error err = {0};
    nd_model *m = nd_model_builtin("hh_rinzel", &err);
    nd_symreg_options o;
    nd_symreg_options_default(&o);
    o.functions = fns;
    o.nfunctions = 1;
    o.fnmodel = m;
    sr_ops so;
    CHECK(m && sr_ops_build(&so, &o, &err) == ND_OK);
    sr_dim dims[2];
    sr_dims_from_units(units, 2, dims);
    for (size_t k = 0; m && k < sizeof cases / sizeof cases[0]; k++) {
        sr_tree t;
        nd_expr *e = parse_tree(cases[k].in, &so, vars, 2, &t);
        if (sr_units_ok(&t, &so, dims) != cases[k].ok)
            nd_test_fail(__FILE__, __LINE__, "%s: %s expected", cases[k].in,
                         cases[k].ok ? "accepted" : "refused");
        nd_expr_free(e);
    }
    if (m) sr_ops_free(&so);
    nd_model_free(m);
}

/* Rinzel's INa with mInf as a primitive: the 13-node form from one of seeds 1–3, and gNa
   read back from the recovered expression within 1 %: f(V, 0) − f(V, 1) =
   gNa·1.1·mInf(V)³·(V − ENa). */
TEST(symreg_rinzel_ina)
{
    const sr_problem *p = &sr_fx_ina;
    nd_model *m = builtin(p->model);
    const nd_symreg_entry *e = NULL;
    nd_symreg_result *r = recover(p, m, 3, NULL, &e);
    CHECK(r != NULL);
    if (r) {
        double V = -20, x0[2] = {V, 0}, x1[2] = {V, 1}, mi = sr_fx_minf_of(V);
        double d = sr_fx_eval(p, e->expr, m, x0) - sr_fx_eval(p, e->expr, m, x1);
        double gna = d / (1.1 * mi * mi * mi * (V - 50));
        printf("    gNa %.6g (true 120)\n", gna);
        CHECK(fabs(gna - 120) < 1.2);
    }
    nd_symreg_result_free(r);
    nd_model_free(m);
}

/* With 1 % noise (Gaussian, 1 % of the RMS of y) the true structure is still on the
   front: an expression no larger than the formula within 1 % of the clean formula on
   fresh points (the noise itself is 1 %; a wrong structure is far off). */
TEST(symreg_noise_keeps_structure)
{
    const sr_problem *pick[] = {&sr_fx_feynman[0], &sr_fx_feynman[5]};   /* I.6.2a, I.39.22 */
    for (size_t i = 0; i < 2; i++) {
        const sr_problem *p = pick[i];
        nd_symreg_result *r = search(p, NULL, 0.01, 2, 1);
        const nd_symreg_entry *e = NULL;
        for (size_t k = 0; r && k < r->nfront && !e; k++)
            if (r->front[k].size <= p->size && sr_fx_fresh_error(p, r->front[k].expr, NULL) < 0.01)
                e = &r->front[k];
        printf("  %-8s with 1%% noise: %s\n", p->name, e ? e->text : "not on the front");
        CHECK(e != NULL);
        nd_symreg_result_free(r);
    }
}

/* Islands evolve on their own random streams and migrate at fixed generations: one
   thread or two give the same front, bit for bit. */
TEST(symreg_same_front_any_threads)
{
    sr_problem p = sr_fx_feynman[1];
    p.iters = 30;   /* three migrations: enough for the exchanges to matter */
    nd_symreg_result *a = search(&p, NULL, 0.01, 1, 5), *b = search(&p, NULL, 0.01, 2, 5);
    CHECK(a && b);
    if (a && b) {
        CHECK_INT(a->nfront, b->nfront);
        for (size_t k = 0; k < a->nfront && k < b->nfront; k++) {
            CHECK_INT(a->front[k].size, b->front[k].size);
            CHECK(a->front[k].mse == b->front[k].mse);
            CHECK_STR(a->front[k].text, b->front[k].text);
        }
        CHECK_INT(a->evaluations, b->evaluations);
    }
    nd_symreg_result_free(a);
    nd_symreg_result_free(b);
}

/* Bad requests fail with a message naming the problem. */
TEST(symreg_rejects_bad_options)
{
    double X[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, y[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const char *vars[1] = {"x"}, *ops[1] = {"frob"};
    nd_symreg_options o;
    nd_symreg_options_default(&o);
    o.ops = ops;
    o.nops = 1;
    nd_error err = {0};
    CHECK(nd_symreg_run(X, y, 10, vars, 1, &o, &err) == NULL);
    CHECK_CONTAINS(err.msg, "unknown operator 'frob'");
    nd_symreg_options_default(&o);
    o.maxsize = 2;
    memset(&err, 0, sizeof err);
    CHECK(nd_symreg_run(X, y, 10, vars, 1, &o, &err) == NULL);
    CHECK_CONTAINS(err.msg, "maxsize");
    nd_symreg_options_default(&o);
    static const char *const fns[1] = {"mInf"};
    o.functions = fns;
    o.nfunctions = 1;
    memset(&err, 0, sizeof err);
    CHECK(nd_symreg_run(X, y, 10, vars, 1, &o, &err) == NULL);
    CHECK_CONTAINS(err.msg, "'mInf' is not a function");
    y[3] = NAN;
    nd_symreg_options_default(&o);
    memset(&err, 0, sizeof err);
    CHECK(nd_symreg_run(X, y, 10, vars, 1, &o, &err) == NULL);
    CHECK_CONTAINS(err.msg, "not finite at row 4");
}

static void stop_after_first(void *ctx, const nd_symreg_result *front, long gen, long total)
{
    (void)total;
    atomic_int *flag = ctx;
    if (front->nfront > 0 && gen >= 10) atomic_store(flag, 1);
}

/* An interrupt (here raised by the progress callback after the first exchange) stops the
   search at the next generation and keeps the front found so far. */
TEST(symreg_interrupt_keeps_the_front)
{
    const sr_problem *p = &sr_fx_feynman[1];
    double *X, *y;
    sr_fx_sample(p, 200, 7, 0.01, &X, &y);
    atomic_int flag = 0;
    nd_symreg_options o;
    nd_symreg_options_default(&o);
    o.ops = p->ops;
    o.nops = p->nops;
    o.iters = 1000;
    o.stop_error = 0;
    o.interrupt = &flag;
    o.progress = stop_after_first;
    o.progress_ctx = &flag;
    nd_error err = {0};
    nd_symreg_result *r = nd_symreg_run(X, y, 200, p->vars, p->nvars, &o, &err);
    CHECK(r != NULL);
    if (r) {
        CHECK(r->interrupted);
        CHECK_INT(r->generations, 10);
        CHECK(r->nfront > 0);
    }
    nd_symreg_result_free(r);
    free(X), free(y);
}
