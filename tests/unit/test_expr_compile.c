/* Compiled expressions: agreement with the tree evaluator, common subexpressions,
   every function, the removable singularities of HH, located errors. */
#include "test.h"

#include <stdint.h>
#include <stdlib.h>

#include "expr_fixture.h"
#include "../../lib/expr/compile.h"
#include "../../lib/expr/functions.h"
#include "../../lib/expr/treeval.h"

/* ---- a small deterministic generator of random trees over x, y, z ---- */

/* No integer constants: x^3 compiles to multiplications, which may differ from pow() in
   the last bit, and 1 - exp(z) is rewritten on purpose; both are tested apart. */
static const double consts[] = {0.3, 2.5, -1.7, 4.25, 0.5, 1.5, 0.1};
static const char *const names[] = {"x", "y", "z"};
static const fx_leaves leaves = {consts, 7, names, 3, 0};

static int same(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

static nd_code *compile1(const char *text)
{
    nd_expr *e = fx_parse(text);
    nd_error err;
    const nd_expr *list[] = {e};
    nd_code *c = e ? nd_code_compile(list, 1, fx_resolve, NULL, &err) : NULL;
    if (!c) nd_test_fail(__FILE__, __LINE__, "cannot compile '%s': %s", text, e ? err.msg : "");
    nd_expr_free(e);
    return c;
}

static double eval1(const nd_code *c, const double *slots)
{
    double out = NAN;
    if (c) nd_code_eval(c, slots, &out);
    return out;
}

/* ---- tests ---- */

TEST(expr_compile_matches_tree_evaluator_on_random_trees)
{
    fx_seed(42);
    int compared = 0, mismatches = 0;
    for (int t = 0; t < 3000; t++) {
        nd_expr *e = fx_random_tree(5, &leaves);
        nd_error err;
        const nd_expr *list[] = {e};
        nd_code *c = nd_code_compile(list, 1, fx_resolve, NULL, &err);
        CHECK(c != NULL);
        for (int p = 0; c && p < 8; p++) {
            double s[3] = {6 * fx_rnd_unit() - 3, 6 * fx_rnd_unit() - 3, 6 * fx_rnd_unit() - 3};
            double ref = nd_expr_eval_num(e, fx_resolve, NULL, s), got = eval1(c, s);
            compared++;
            /* a 0/0 gives nan in the tree but is repaired (to a limit) in compiled code */
            /* a constant exponent may fold to an integer: multiplications, last bits */
            int near = fabs(got - ref) <= 4e-15 * fabs(ref);
            if (!same(ref, got) && !near && !isnan(ref) && mismatches++ < 5)
                nd_test_fail(__FILE__, __LINE__, "%s at (%g, %g, %g): %.17g, tree %.17g",
                             fx_text(e), s[0], s[1], s[2], got, ref);
        }
        nd_code_free(c);
        nd_expr_free(e);
    }
    CHECK_INT(mismatches, 0);
    CHECK(compared == 24000);
}

TEST(expr_compile_shares_subexpressions_across_outputs)
{
    const char *texts[] = {
        "sin(x * y) + z", "sin(y * x) * 2", "exp(sin(x * y)) - z", "(x + y) * (y + x)",
    };
    nd_expr *e[4];
    size_t separate = 0;
    for (int i = 0; i < 4; i++) {
        e[i] = fx_parse(texts[i]);
        nd_code *c = compile1(texts[i]);
        separate += c ? nd_code_size(c) : 0;
        nd_code_free(c);
    }
    nd_error err;
    nd_code *all = nd_code_compile((const nd_expr *const *)e, 4, fx_resolve, NULL, &err);
    CHECK(all != NULL);
    /* sin(x*y) (and x*y) once instead of three times; (x+y) once within the product */
    CHECK_INT(nd_code_size(all), 8);
    CHECK_INT(separate, 12);
    double s[3] = {0.3, -1.2, 0.8}, out[4];
    nd_code_eval(all, s, out);
    for (int i = 0; i < 4; i++) {
        CHECK(same(out[i], nd_expr_eval_num(e[i], fx_resolve, NULL, s)));
        nd_expr_free(e[i]);
    }
    CHECK_INT(nd_code_nslots_used(all), 3);
    nd_code_free(all);
}

TEST(expr_compile_every_function)
{
    double s[3] = {0.37, -0.81, 2.2};
    for (size_t i = 0; i < nd_func_count(); i++) {
        const nd_func *f = nd_func_at(i);
        char text[96];
        if (f->min_args == 1) snprintf(text, sizeof text, "%s(x) + %s(y) + %s(z)", f->name, f->name, f->name);
        else if (f->max_args < 0) snprintf(text, sizeof text, "%s(x, y) + %s(z, x, y)", f->name, f->name);
        else snprintf(text, sizeof text, "%s(x, z) + %s(z, x)", f->name, f->name);
        nd_code *c = compile1(text);
        double ref = fx_eval(text, s), got = eval1(c, s);
        if (!same(ref, got))
            nd_test_fail(__FILE__, __LINE__, "%s: %.17g, tree %.17g", text, got, ref);
        nd_code_free(c);
    }
    /* a nan among min's arguments makes it nan, in any position */
    double n[3] = {NAN, 1, 2};
    nd_code *c = compile1("min(y, z, x) + max(x, y, z)");
    CHECK(isnan(eval1(c, n)));
    nd_code_free(c);
}

TEST(expr_compile_operators_and_constants)
{
    static const char *const cases[] = {
        "x^3", "x^-2", "x^16", "x^0", "x^1", "x^0.5", "x^y", "2^x", "y / 4", "y / 0.1",
        "-x * 3", "-(x / 3)", "-(3 / x)", "x - -y", "-x + y", "x * y + z", "z - x * y",
        "x * y - z", "x < y", "x <= x", "x > y", "x >= y", "x == x", "x != y",
        "x and 0", "x or 0", "0 or 0", "not x", "not 0", "pi * x", "inf + x", "nan * 0",
        "1 / (x - x)", "(x < y) + (y < x) * 2", "-(-x)",
        "0.5 * x * x + 0.25 * y", "x + 0", "x * 1", "1 * x + x / 1",
    };
    double pts[][3] = {{1.3, -0.7, 2}, {-2.1, 0.4, -1}, {0, 0, 0}, {1e-9, 3, -3}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nd_code *c = compile1(cases[i]);
        for (size_t p = 0; p < 4; p++) {
            double ref = fx_eval(cases[i], pts[p]), got = eval1(c, pts[p]);
            int ok = same(ref, got) || fabs(got - ref) <= 4e-15 * fabs(ref) ||
                     (isnan(ref) && p == 2);     /* 0/0 at the origin is repaired */
            if (!ok)
                nd_test_fail(__FILE__, __LINE__, "%s at point %zu: %.17g, tree %.17g",
                             cases[i], p, got, ref);
        }
        nd_code_free(c);
    }
}

/* With an integer exponent the program multiplies; the result stays within a few ulps. */
TEST(expr_compile_integer_powers)
{
    nd_code *c = compile1("x^5 + x^-3");
    for (double x = -3.1; x < 3; x += 0.173) {
        double s[1] = {x};
        double want = pow(x, 5) + pow(x, -3);   /* relative to |want| even below 1 */
        CHECK(fabs(eval1(c, s) - want) <= 4e-15 * fabs(want));
    }
    nd_code_free(c);
}

TEST(expr_compile_removable_singularities)
{
    nd_code *am = compile1("0.1 * (V + 40) / (1 - exp(-(V + 40) / 10))");
    nd_code *an = compile1("0.01 * (V + 55) / (1 - exp(-(V + 55) / 10))");
    double s[7] = {0, 0, 0, -40, 0, 0, 0};
    CHECK_NEAR(eval1(am, s), 1.0, 1e-10);
    s[3] = -55;
    CHECK_NEAR(eval1(an, s), 0.1, 1e-10);
    /* near the singularity expm1 keeps full accuracy: am = x / (1 - exp(-x)), x = (V+40)/10 */
    for (double dv = 1e-12; dv < 1e-3; dv *= 7) {
        s[3] = -40 + dv;
        double x = (s[3] + 40) / 10, exact = x / -expm1(-x);
        CHECK_NEAR(eval1(am, s), exact, 1e-15);
    }
    /* exp(z) - 1 in the other order, and a repaired 0/0 among ordinary outputs */
    nd_expr *e[2] = {fx_parse("x / (exp(x) - 1)"), fx_parse("x + 1")};
    nd_error err;
    nd_code *two = nd_code_compile((const nd_expr *const *)e, 2, fx_resolve, NULL, &err);
    double z[1] = {0}, out[2];
    nd_code_eval(two, z, out);
    CHECK_NEAR(out[0], 1.0, 1e-10);
    CHECK(out[1] == 1.0);
    nd_code_free(two);
    nd_expr_free(e[0]);
    nd_expr_free(e[1]);
    /* the cancellation is gone: these are expm1 exactly */
    nd_code *c1 = compile1("1 - exp(x)"), *c2 = compile1("exp(x) - 1"), *c3 = compile1("-1 + exp(x)");
    double tiny[1] = {1e-9};
    CHECK(eval1(c1, tiny) == -expm1(1e-9));
    CHECK(eval1(c2, tiny) == expm1(1e-9));
    CHECK(eval1(c3, tiny) == expm1(1e-9));
    nd_code_free(c1);
    nd_code_free(c2);
    nd_code_free(c3);
    /* a nan that is not a 0/0 stays nan */
    nd_code *lg = compile1("log(x) + x / x");
    double neg[1] = {-1};
    CHECK(isnan(eval1(lg, neg)));
    nd_code_free(lg);
    nd_code_free(am);
    nd_code_free(an);
}

static int resolve_with_pi(void *ctx, const char *name)
{
    (void)ctx;
    return strcmp(name, "pi") == 0 ? 2 : fx_resolve(NULL, name);
}

TEST(expr_compile_names_and_slots)
{
    nd_expr *e = fx_parse("pi * y");
    nd_error err;
    const nd_expr *list[] = {e};
    nd_code *c = nd_code_compile(list, 1, resolve_with_pi, NULL, &err);
    double s[3] = {0, 2, 10};
    CHECK_NEAR(eval1(c, s), 20, 0);          /* a slot named pi shadows the constant */
    CHECK_INT(nd_code_nslots_used(c), 3);
    nd_code_free(c);
    nd_expr_free(e);

    c = compile1("3 * 4");
    CHECK_INT(nd_code_nslots_used(c), 0);
    CHECK_NEAR(eval1(c, NULL), 12, 0);
    nd_code_free(c);

    c = nd_code_compile(NULL, 0, fx_resolve, NULL, &err);
    CHECK(c != NULL);
    nd_code_eval(c, NULL, NULL);
    nd_code_free(c);
    nd_code_free(NULL);
}

static void check_error(const char *text, nd_status code, int col, int span, const char *needle)
{
    nd_expr *e = fx_parse(text);
    nd_error err;
    const nd_expr *list[] = {e};
    nd_code *c = e ? nd_code_compile(list, 1, fx_resolve, NULL, &err) : NULL;
    CHECK(c == NULL);
    nd_code_free(c);
    if (!c && e) {
        CHECK_INT(err.code, code);
        CHECK_INT(err.line, 1);
        CHECK_INT(err.col, col);
        CHECK_INT(err.span, span);
        CHECK_CONTAINS(err.msg, needle);
    }
    nd_expr_free(e);
}

TEST(expr_compile_errors_are_located)
{
    check_error("x + 2 * gNa", ND_ENAME, 9, 3, "gNa");
    check_error("x + sinn(y)", ND_ENAME, 5, 4, "sinn");
    check_error("x + exp(x, y)", ND_ETYPE, 5, 9, "exp()");
    check_error("max(x)", ND_ETYPE, 1, 6, "max()");
    check_error("x * \"mV\"", ND_ETYPE, 5, 4, "string");
    check_error("x + [1, 2]", ND_ETYPE, 5, 6, "list");
    check_error("(1..2) + x", ND_ETYPE, 2, 4, "range");
}

/* Many live values at once: the register file outgrows the stack buffer. */
TEST(expr_compile_large_programs)
{
    enum { N = 700 };
    nd_expr *e[N];
    char text[64];
    for (int i = 0; i < N; i++) {
        snprintf(text, sizeof text, "x * %d.5 + y / %d", i, i + 1);
        e[i] = fx_parse(text);
    }
    nd_error err;
    nd_code *c = nd_code_compile((const nd_expr *const *)e, N, fx_resolve, NULL, &err);
    double s[2] = {0.3, -1.1}, out[N];
    CHECK(c != NULL);
    nd_code_eval(c, s, out);
    for (int i = 0; i < N; i++) {
        CHECK(same(out[i], nd_expr_eval_num(e[i], fx_resolve, NULL, s)));
        nd_expr_free(e[i]);
    }
    nd_code_free(c);
}

/* The whole HH right-hand side, terms inlined as the model compiler does, agrees with the
   tree (to a few ulps: powers by multiplication, expm1 near the singularities). */
TEST(expr_compile_hh_right_hand_side)
{
    const char *tn[] = {"am", "bm", "ah", "bh", "an", "bn"};
    const char *tt[] = {
        "0.1 * (V + 40) / (1 - exp(-(V + 40) / 10))", "4 * exp(-(V + 65) / 18)",
        "0.07 * exp(-(V + 65) / 20)", "1 / (1 + exp(-(V + 35) / 10))",
        "0.01 * (V + 55) / (1 - exp(-(V + 55) / 10))", "0.125 * exp(-(V + 65) / 80)",
    };
    const char *rt[] = {
        "10 - 120 * m^3 * h * (V - 50) - 36 * n^4 * (V + 77) - 0.3 * (V + 54.387)",
        "am * (1 - m) - bm * m", "ah * (1 - h) - bh * h", "an * (1 - n) - bn * n",
    };
    nd_expr *terms[6], *rhs[4];
    for (int i = 0; i < 6; i++) terms[i] = fx_parse(tt[i]);
    for (int i = 0; i < 4; i++) {
        nd_expr *raw = fx_parse(rt[i]);
        rhs[i] = nd_expr_subst(raw, tn, (const nd_expr *const *)terms, 6);
        nd_expr_free(raw);
    }
    nd_error err;
    nd_code *c = nd_code_compile((const nd_expr *const *)rhs, 4, fx_resolve, NULL, &err);
    CHECK(c != NULL);
    for (double V = -100.3; c && V < 60; V += 0.77) {
        double s[7] = {0, 0, 0, V, 0.05, 0.6, 0.32}, out[4];
        nd_code_eval(c, s, out);
        for (int k = 0; k < 4; k++) {
            double ref = nd_expr_eval_num(rhs[k], fx_resolve, NULL, s);
            CHECK_NEAR(out[k], ref, 1e-12);
        }
    }
    nd_code_free(c);
    for (int i = 0; i < 6; i++) nd_expr_free(terms[i]);
    for (int i = 0; i < 4; i++) nd_expr_free(rhs[i]);
}
