/* Symbolic derivatives: every rule against central differences, readable results,
   located errors. */
#include "test.h"

#include <stdlib.h>

#include "expr_fixture.h"
#include "../../lib/expr/diff.h"
#include "../../lib/expr/functions.h"
#include "../../lib/expr/treeval.h"

static const char *dtext(const char *text, const char *var)
{
    nd_expr *e = fx_parse(text);
    static nd_error err;
    nd_expr *d = e ? nd_expr_diff(e, var, &err) : NULL;
    const char *s = d ? fx_text(d) : err.msg;
    nd_expr_free(d);
    nd_expr_free(e);
    return s;
}

typedef struct { const char *f; double lo, hi; } dcase;

/* Checks d/dx f at 25 points of [lo, hi] (y = 0.7 or y = 1.9 alternately) against a
   central difference with step 1e-5 max(1, |x|). */
static void check_rule(const dcase *c)
{
    nd_expr *e = fx_parse(c->f);
    nd_error err;
    nd_expr *d = e ? nd_expr_diff(e, "x", &err) : NULL;
    if (!d) {
        nd_test_fail(__FILE__, __LINE__, "d/dx %s failed: %s", c->f, e ? err.msg : "parse");
        nd_expr_free(e);
        return;
    }
    for (int i = 0; i < 25; i++) {
        double x = c->lo + (c->hi - c->lo) * (i + 0.5) / 25, h = 1e-5 * fmax(1, fabs(x));
        double s[3] = {x, i % 2 ? 0.7 : 1.9, 0}, sp[3] = {x + h, s[1], 0}, sm[3] = {x - h, s[1], 0};
        double fd = (nd_expr_eval_num(e, fx_resolve, NULL, sp) -
                     nd_expr_eval_num(e, fx_resolve, NULL, sm)) / (2 * h);
        double an = nd_expr_eval_num(d, fx_resolve, NULL, s);
        if (!(fabs(an - fd) <= 1e-6 * fmax(1, fabs(fd))))
            nd_test_fail(__FILE__, __LINE__, "d/dx %s at x=%g: %.12g (%s), differences %.12g",
                         c->f, x, an, fx_text(d), fd);
    }
    nd_expr_free(e);
    nd_expr_free(d);
}

TEST(expr_diff_every_rule_matches_finite_differences)
{
    static const dcase cases[] = {
        {"x", -2, 2}, {"3.5", -2, 2}, {"y", -2, 2}, {"-x", -2, 2}, {"x + y * x", -2, 2},
        {"x - 2 * y", -2, 2}, {"x * x * y", -2, 2}, {"x / y", -2, 2}, {"y / x", 0.3, 3},
        {"(x^2 + 1) / (x - 5)", -2, 2}, {"x^3", -2, 2}, {"x^-2", 0.3, 3}, {"x^2.5", 0.1, 3},
        {"2^x", -2, 2}, {"x^y", 0.1, 3}, {"x^x", 0.1, 3}, {"pow(x, 3)", -2, 2},
        {"pow(y, x)", -2, 2}, {"pow(x, x * y)", 0.2, 2}, {"exp(-x / 10)", -2, 2},
        {"expm1(2 * x)", -2, 2}, {"log(x)", 0.1, 3}, {"log(x^2 + 1)", -2, 2},
        {"log10(x)", 0.1, 3}, {"sqrt(x)", 0.1, 3}, {"sqrt(1 + x^2)", -2, 2},
        {"abs(x)", 0.04, 2}, {"abs(x)", -2, -0.04}, {"abs(x^3 - y)", -2, 2},
        {"sin(x)", -2, 2}, {"cos(2 * x)", -2, 2}, {"tan(x)", -1.2, 1.2}, {"asin(x)", -0.9, 0.9},
        {"acos(x / 2)", -1.8, 1.8}, {"atan(3 * x)", -2, 2}, {"atan2(x, y)", -2, 2},
        {"atan2(y, x)", -2, 2}, {"atan2(x^2, x - 3)", -2, 2}, {"sinh(x)", -2, 2},
        {"cosh(x)", -2, 2}, {"tanh(x / 2)", -2, 2}, {"min(x, y)", -2, 2},
        {"max(x, y)", -2, 2}, {"min(x, y, 0.3 * x)", -2, 2}, {"max(x^2, y, 1, -x)", -2, 2},
        {"floor(x) * x", 0.05, 0.95}, {"ceil(x)", 0.05, 0.95}, {"round(x) + x", 0.05, 0.45},
        {"sign(x) * x^2", 0.05, 2}, {"heaviside(x - 1) * x", -2, 0.9},
        {"(x < y) * x", -2, 2}, {"(x >= 1) + (x == y) + (x != 1)", -2, 2},
        {"(not x) + (x and y) + (x or y)", 0.1, 2}, {"-(x * y - x) / (x^2 + 2)", -2, 2},
        {"sin(x)^2 + cos(x)^2", -2, 2}, {"exp(x * log(y + 1))", -2, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_rule(&cases[i]);
}

/* The table's every function has a rule (a new function must bring one). */
TEST(expr_diff_covers_the_function_table)
{
    for (size_t i = 0; i < nd_func_count(); i++) {
        const nd_func *f = nd_func_at(i);
        char text[64];
        snprintf(text, sizeof text, "%s(%s)", f->name,
                 f->min_args == 1 ? "x / 3 + 0.2" : "x / 3 + 0.2, x * 0.1 + 0.4");
        dcase c = {text, 0.05, 0.9};
        check_rule(&c);
    }
}

TEST(expr_diff_hh_rates)
{
    static const char *const rates[] = {
        "0.1 * (V + 40) / (1 - exp(-(V + 40) / 10))", "4 * exp(-(V + 65) / 18)",
        "0.07 * exp(-(V + 65) / 20)", "1 / (1 + exp(-(V + 35) / 10))",
        "0.01 * (V + 55) / (1 - exp(-(V + 55) / 10))", "0.125 * exp(-(V + 65) / 80)",
        "(0.1 * (V + 40) / (1 - exp(-(V + 40) / 10))) * (1 - m) - 4 * exp(-(V + 65) / 18) * m",
    };
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++) {
        nd_expr *e = fx_parse(rates[i]);
        nd_error err;
        nd_expr *d = nd_expr_diff(e, "V", &err);
        CHECK(d != NULL);
        for (double V = -99.7; d && V < 50; V += 7.3) {
            double s[7] = {0, 0, 0, V, 0.3, 0, 0}, h = 1e-5 * fabs(V);
            double sp[7] = {0, 0, 0, V + h, 0.3, 0, 0}, sm[7] = {0, 0, 0, V - h, 0.3, 0, 0};
            double fd = (nd_expr_eval_num(e, fx_resolve, NULL, sp) -
                         nd_expr_eval_num(e, fx_resolve, NULL, sm)) / (2 * h);
            CHECK_NEAR(nd_expr_eval_num(d, fx_resolve, NULL, s), fd, 1e-6);
        }
        nd_expr_free(e);
        nd_expr_free(d);
    }
    /* the gate equation differentiated by its own variable */
    CHECK_STR(dtext("a * (1 - m) - b * m", "m"), "-a - b");
}

TEST(expr_diff_results_read_well)
{
    CHECK_STR(dtext("x^3", "x"), "3 * x^2");
    CHECK_STR(dtext("x^2", "x"), "2 * x");
    CHECK_STR(dtext("5 * x + y", "x"), "5");
    CHECK_STR(dtext("y^2", "x"), "0");
    CHECK_STR(dtext("exp(-x / 10)", "x"), "-0.1 * exp(-x / 10)");
    CHECK_STR(dtext("sin(x)", "x"), "cos(x)");
    CHECK_STR(dtext("cos(x)", "x"), "-sin(x)");
    CHECK_STR(dtext("log(x)", "x"), "1 / x");
    CHECK_STR(dtext("a * x^2 + b * x + c", "x"), "a * (2 * x) + b");
    CHECK_STR(dtext("gNa * m^3 * h * (V - ENa)", "m"), "gNa * (3 * m^2) * h * (V - ENa)");
    CHECK_STR(dtext("1 / x", "x"), "-1 / x^2");
    CHECK_STR(dtext("2^x", "x"), "0.6931471805599453 * 2^x");
    CHECK_STR(dtext("abs(x)", "x"), "sign(x)");
    CHECK_STR(dtext("x < 1", "x"), "0");
    CHECK_STR(dtext("floor(x)", "x"), "0");
    CHECK_STR(dtext("max(x, y)", "x"), "heaviside(x - y)");
}

TEST(expr_diff_min_max_share_at_a_tie)
{
    nd_expr *e = fx_parse("min(x, y)");
    nd_error err;
    nd_expr *d = nd_expr_diff(e, "x", &err);
    double s[3] = {1, 1, 0};
    CHECK_NEAR(nd_expr_eval_num(d, fx_resolve, NULL, s), 0.5, 0);
    s[1] = 2;
    CHECK_NEAR(nd_expr_eval_num(d, fx_resolve, NULL, s), 1, 0);
    s[1] = 0;
    CHECK_NEAR(nd_expr_eval_num(d, fx_resolve, NULL, s), 0, 0);
    nd_expr_free(e);
    nd_expr_free(d);
}

TEST(expr_diff_errors_are_located)
{
    nd_expr *e = fx_parse("x + 2 * foo(x)");
    nd_error err;
    CHECK(nd_expr_diff(e, "x", &err) == NULL);
    CHECK_INT(err.code, ND_ENAME);
    CHECK_INT(err.col, 9);
    CHECK_INT(err.span, 3);
    CHECK_CONTAINS(err.msg, "foo");
    nd_expr_free(e);

    e = fx_parse("x + exp(x, 2)");
    CHECK(nd_expr_diff(e, "x", &err) == NULL);
    CHECK_INT(err.code, ND_ETYPE);
    CHECK_INT(err.col, 5);
    nd_expr_free(e);

    e = fx_parse("x * \"volts\"");
    CHECK(nd_expr_diff(e, "x", &err) == NULL);
    CHECK_INT(err.code, ND_ETYPE);
    CHECK_INT(err.col, 5);
    nd_expr_free(e);

    /* a name that is not the variable is simply a constant */
    CHECK_STR(dtext("unknown_par * x", "x"), "unknown_par");
}
