/* Simplification: the rewrite rules as text, and values kept (to rounding). */
#include "test.h"

#include "expr_fixture.h"
#include "../../lib/expr/simplify.h"
#include "../../lib/expr/treeval.h"

/* fx_text keeps a static copy, so the tree can be freed right after rendering. */
static const char *simplified(const char *text)
{
    nd_expr *e = nd_expr_simplify(fx_parse(text));
    const char *s = fx_text(e);
    nd_expr_free(e);
    return s;
}

TEST(expr_simplify_rules)
{
    CHECK_STR(simplified("2 * 3 + 1"), "7");
    CHECK_STR(simplified("x + 0"), "x");
    CHECK_STR(simplified("0 + x"), "x");
    CHECK_STR(simplified("x - 0"), "x");
    CHECK_STR(simplified("0 - x"), "-x");
    CHECK_STR(simplified("x * 1"), "x");
    CHECK_STR(simplified("1 * x"), "x");
    CHECK_STR(simplified("x * 0 + y"), "y");
    CHECK_STR(simplified("0 * exp(x)"), "0");
    CHECK_STR(simplified("x / 1"), "x");
    CHECK_STR(simplified("0 / x"), "0");
    CHECK_STR(simplified("x^1"), "x");
    CHECK_STR(simplified("x^0"), "1");
    CHECK_STR(simplified("-(-x)"), "x");
    CHECK_STR(simplified("-(0)"), "0");
    CHECK_STR(simplified("-(3)"), "-3");
    CHECK_STR(simplified("x * 3"), "3 * x");
    CHECK_STR(simplified("2 * (3 * x)"), "6 * x");
    CHECK_STR(simplified("(x + 1) + 2"), "x + 3");
    CHECK_STR(simplified("(x - 1) - 2"), "x - 3");
    CHECK_STR(simplified("1 + x - 1"), "x");
    CHECK_STR(simplified("5 - (x + 2)"), "3 - x");
    CHECK_STR(simplified("x + -y"), "x - y");
    CHECK_STR(simplified("x - -y"), "x + y");
    CHECK_STR(simplified("-x + y"), "y - x");
    CHECK_STR(simplified("-x * -y"), "x * y");
    CHECK_STR(simplified("x * -y"), "-(x * y)");
    CHECK_STR(simplified("3 * -x"), "-3 * x");
    CHECK_STR(simplified("-(2 * x)"), "-2 * x");
    CHECK_STR(simplified("-1 * x"), "-x");
    CHECK_STR(simplified("-(a - b)"), "b - a");
    CHECK_STR(simplified("-x / y"), "-x / y");
    CHECK_STR(simplified("x / -y"), "-x / y");
    CHECK_STR(simplified("-x / -y"), "x / y");
    CHECK_STR(simplified("2 / -y"), "-2 / y");
    CHECK_STR(simplified("(4 * x) / 2"), "2 * x");
    CHECK_STR(simplified("exp(0) + sqrt(4) + max(1, 2, 3)"), "6");
    CHECK_STR(simplified("(not 0) + (1 < 2) + not 0 + 1"), "2");
    CHECK_STR(simplified("f(1 + 1, x * 1)"), "f(2, x)");
    CHECK_STR(simplified("x + 1 - 1 < y * 1"), "x < y");
    CHECK(nd_expr_simplify(NULL) == NULL);
}

/* Simplified and original trees agree (to rounding) at many points. */
TEST(expr_simplify_keeps_values)
{
    const char *cases[] = {
        "(x + 1) + 2 - (3 - y)", "2 * (3 * x) / 4 - -y * 5", "-(x - y) * -(z * 2)",
        "(x - 0.5) - 0.25 + 0 * z + 1 * y", "1 - (x + 0.5) + exp(-(-x))",
        "-(3 * x) / (y^1 + 2^0)", "x * -1 + 0 - y^0", "(2.5 * x) / -3",
    };
    double s[3];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nd_expr *e = fx_parse(cases[i]);
        nd_expr *k = nd_expr_simplify(nd_expr_copy(e));
        for (int j = 0; j < 20; j++) {
            s[0] = -2 + 0.37 * j;
            s[1] = 1.3 - 0.21 * j;
            s[2] = 0.5 + 0.11 * j;
            double a = nd_expr_eval_num(e, fx_resolve, NULL, s);
            double b = nd_expr_eval_num(k, fx_resolve, NULL, s);
            CHECK_NEAR(b, a, 1e-14);
        }
        nd_expr_free(e);
        nd_expr_free(k);
    }
}
