/* Expression trees: deep copy, substitution, the text and LaTeX renderers. */
#include "test.h"

#include <stdlib.h>

#include "expr_fixture.h"
#include "../../lib/base/strbuf.h"

static const char *latex(const char *text)
{
    static char buf[1024];
    nd_expr *e = fx_parse(text);
    nd_sb sb;
    nd_sb_init(&sb);
    if (e) nd_expr_latex(e, &sb);
    snprintf(buf, sizeof buf, "%s", nd_sb_str(&sb));
    nd_sb_free(&sb);
    nd_expr_free(e);
    return buf;
}

TEST(expr_copy_is_deep_and_located)
{
    nd_expr *e = fx_parse("1 + f(x, [2, \"s\"], 3..4) * -y");
    nd_expr *c = nd_expr_copy(e);
    nd_sb a, b;
    nd_sb_init(&a);
    nd_sb_init(&b);
    nd_expr_format(e, &a);
    nd_expr_format(c, &b);
    CHECK_STR(nd_sb_str(&b), nd_sb_str(&a));
    CHECK(c != e && c->b != e->b && c->b->a->str != e->b->a->str);
    CHECK_INT(c->b->b->col, e->b->b->col);
    CHECK_INT(c->b->a->span, e->b->a->span);
    nd_sb_free(&a);
    nd_sb_free(&b);
    nd_expr_free(e);
    nd_expr_free(c);
    CHECK(nd_expr_copy(NULL) == NULL);
}

TEST(expr_subst_replaces_names_not_calls)
{
    nd_expr *e = fx_parse("x * f(x) + y / x - z");
    nd_expr *r1 = fx_parse("a + 1"), *r2 = fx_parse("2");
    const char *names[] = {"x", "y"};
    const nd_expr *repl[] = {r1, r2};
    nd_expr *s = nd_expr_subst(e, names, repl, 2);
    CHECK_STR(fx_text(s), "(a + 1) * f(a + 1) + 2 / (a + 1) - z");
    CHECK_STR(fx_text(e), "x * f(x) + y / x - z");     /* the original is untouched */
    nd_expr_free(s);
    /* inlining a user function: fn f(u) = u^2 applied to (V + 1) */
    nd_expr *body = fx_parse("u^2 - u"), *arg = fx_parse("V + 1");
    const char *u[] = {"u"};
    const nd_expr *ua[] = {arg};
    s = nd_expr_subst(body, u, ua, 1);
    CHECK_STR(fx_text(s), "(V + 1)^2 - (V + 1)");
    nd_expr_free(s);
    nd_expr_free(body);
    nd_expr_free(arg);
    nd_expr_free(e);
    nd_expr_free(r1);
    nd_expr_free(r2);
}

TEST(expr_text_minimal_parentheses)
{
    CHECK_STR(fx_roundtrip("(1 + (2 * x))"), "1 + 2 * x");
    CHECK_STR(fx_roundtrip("(1 + 2) * x"), "(1 + 2) * x");
    CHECK_STR(fx_roundtrip("a - (b - c)"), "a - (b - c)");
    CHECK_STR(fx_roundtrip("(a - b) - c"), "a - b - c");
    CHECK_STR(fx_roundtrip("a / (b * c)"), "a / (b * c)");
    CHECK_STR(fx_roundtrip("(a / b) * c"), "a / b * c");
    CHECK_STR(fx_roundtrip("2^3^2"), "2^3^2");
    CHECK_STR(fx_roundtrip("(2^3)^2"), "(2^3)^2");
    CHECK_STR(fx_roundtrip("-x^2"), "-x^2");
    CHECK_STR(fx_roundtrip("(-x)^2"), "(-x)^2");
    CHECK_STR(fx_roundtrip("x^(a + b)"), "x^(a + b)");
    CHECK_STR(fx_roundtrip("2^-x"), "2^(-x)");
    CHECK_STR(fx_roundtrip("a * -b"), "a * (-b)");
    CHECK_STR(fx_roundtrip("-(a * b)"), "-(a * b)");
    CHECK_STR(fx_roundtrip("-a * b"), "-a * b");
    CHECK_STR(fx_roundtrip("- -x"), "-(-x)");
    CHECK_STR(fx_roundtrip("not (a < b) and c"), "not a < b and c");
    CHECK_STR(fx_roundtrip("(not a) < b"), "(not a) < b");
    CHECK_STR(fx_roundtrip("(a or b) and c"), "(a or b) and c");
    CHECK_STR(fx_roundtrip("(a < b) == c"), "(a < b) == c");
    CHECK_STR(fx_roundtrip("max(1, exp(-(V + 40) / 10))"), "max(1, exp(-(V + 40) / 10))");
    CHECK_STR(fx_roundtrip("[1, \"a\"]"), "[1, \"a\"]");
    CHECK_STR(fx_roundtrip("(0 - 1)..(2 + 3)"), "0 - 1..2 + 3");
}

/* Re-parsing the text gives the same tree (compared in the fully bracketed form). */
TEST(expr_text_roundtrips_the_tree)
{
    const char *cases[] = {
        "a - (b + c) * -d^-e / (f / g)", "-(-(x))^2^y", "not not a or b and not (c >= d)",
        "0.1 * (V + 40) / (1 - exp(-(V + 40) / 10))", "x - -1", "(a == b) != (c <= d)",
        "a^b^c * (a^b)^c", "-2^x", "(-2)^x", "1e-05 * x",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nd_expr *e = fx_parse(cases[i]);
        nd_expr *back = fx_parse(fx_text(e));
        nd_sb a, b;
        nd_sb_init(&a);
        nd_sb_init(&b);
        if (e && back) {
            nd_expr_format(e, &a);
            nd_expr_format(back, &b);
        }
        CHECK_STR(nd_sb_str(&b), nd_sb_str(&a));
        nd_sb_free(&a);
        nd_sb_free(&b);
        nd_expr_free(e);
        nd_expr_free(back);
    }
}

TEST(expr_latex_forms)
{
    CHECK_STR(latex("gNa * m^3 * h * (V - ENa)"),
              "g_{\\mathrm{Na}} \\cdot m^{3} \\cdot h \\cdot \\left(V - E_{\\mathrm{Na}}\\right)");
    CHECK_STR(latex("0.1 * (V + 40) / (1 - exp(-(V + 40) / 10))"),
              "\\frac{0.1 \\cdot \\left(V + 40\\right)}{1 - \\exp\\left(\\frac{-\\left(V + 40\\right)}{10}\\right)}");
    CHECK_STR(latex("eps * (v + a - b * w)"),
              "\\varepsilon \\cdot \\left(v + a - b \\cdot w\\right)");
    CHECK_STR(latex("alpha_m * tau_h + gK + EL + x1 + Iapp"),
              "\\alpha_{m} \\cdot \\tau_{h} + g_{\\mathrm{K}} + E_{\\mathrm{L}} + x_{1} + \\mathrm{Iapp}");
    CHECK_STR(latex("(a / b)^2 + x^(n + 1)"),
              "\\left(\\frac{a}{b}\\right)^{2} + x^{n + 1}");
    CHECK_STR(latex("sqrt(abs(x)) + log10(y) + log(z) + heaviside(x)"),
              "\\sqrt{\\left|x\\right|} + \\log_{10}\\left(y\\right) + \\ln\\left(z\\right) + \\operatorname{heaviside}\\left(x\\right)");
    CHECK_STR(latex("1e-05 * x + 2.5e+20 + inf"), "10^{-5} \\cdot x + 2.5 \\cdot 10^{20} + \\infty");
    CHECK_STR(latex("a <= b and not c != d"), "a \\le b \\land \\lnot c \\ne d");
    CHECK_STR(latex("m_inf + tau_Na"), "m_{\\mathrm{inf}} + \\tau_{\\mathrm{Na}}");
}
