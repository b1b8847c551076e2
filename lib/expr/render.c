/* Human-facing renderings of expression trees: infix text and LaTeX. Both print only the
   parentheses the tree needs, so that re-parsing the text gives the same tree. */
#include "ast.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

#include "../base/numfmt.h"
#include "../base/textfmt.h"

/* Binding strengths, as in the parser (parse.c); ATOM binds tighter than anything. */
enum { P_RANGE = 1, P_OR, P_AND, P_NOT, P_CMP, P_ADD, P_MUL, P_NEG, P_POW, P_ATOM };

typedef struct style {
    int latex;
} style;

static void render(const nd_expr *e, nd_sb *sb, const style *st);

static int is_cmp(nd_binop op) { return op >= ND_OP_LT && op <= ND_OP_NE; }

static int binop_prec(nd_binop op)
{
    switch (op) {
    case ND_OP_ADD: case ND_OP_SUB: return P_ADD;
    case ND_OP_MUL: case ND_OP_DIV: return P_MUL;
    case ND_OP_POW: return P_POW;
    case ND_OP_AND: return P_AND;
    case ND_OP_OR:  return P_OR;
    default:        return P_CMP;
    }
}

/* A negative literal reads like a negation, so it is bracketed like one. */
static int is_negative(const nd_expr *e)
{
    return e->kind == ND_EXPR_NEG || (e->kind == ND_EXPR_NUMBER && signbit(e->num) && e->num == e->num);
}

static int prec(const nd_expr *e, const style *st)
{
    switch (e->kind) {
    case ND_EXPR_NUMBER: return is_negative(e) ? P_NEG : P_ATOM;
    case ND_EXPR_NEG:    return P_NEG;
    case ND_EXPR_NOT:    return P_NOT;
    case ND_EXPR_RANGE:  return P_RANGE;
    case ND_EXPR_BINARY:
        /* \frac{}{} is a box of its own: it never needs brackets, except as a base. */
        if (st->latex && e->op == ND_OP_DIV) return P_ATOM;
        return binop_prec(e->op);
    default:             return P_ATOM;
    }
}

/* Does child c of parent p (on the right side when right) need brackets? */
static int needs_parens(const nd_expr *p, const nd_expr *c, int right, const style *st)
{
    int pp = prec(p, st), cp = prec(c, st);
    if (p->kind == ND_EXPR_NEG) return cp < P_NEG || is_negative(c);
    if (p->kind == ND_EXPR_NOT) return cp < P_NOT;
    if (p->kind == ND_EXPR_RANGE) return cp <= P_RANGE;
    if (p->kind == ND_EXPR_INDEX || p->kind == ND_EXPR_FIELD) return !right && cp < P_ATOM;
    if (p->kind != ND_EXPR_BINARY) return 0;
    if (st->latex && p->op == ND_OP_DIV) return 0;           /* inside \frac */
    if (p->op == ND_OP_POW) {
        if (right) return !st->latex && (cp < P_POW || is_negative(c));  /* LaTeX: 2^{-x} */
        return cp <= P_POW || (st->latex && c->kind == ND_EXPR_BINARY && c->op == ND_OP_DIV);
    }
    if (is_cmp(p->op) && c->kind == ND_EXPR_BINARY && is_cmp(c->op)) return 1;
    if (right) return cp <= pp || is_negative(c);            /* a - (b + c), a * (-b) */
    return cp < pp;
}

static void render_child(const nd_expr *p, const nd_expr *c, int right, nd_sb *sb,
                         const style *st)
{
    int par = needs_parens(p, c, right, st);
    if (par) nd_sb_puts(sb, st->latex ? "\\left(" : "(");
    render(c, sb, st);
    if (par) nd_sb_puts(sb, st->latex ? "\\right)" : ")");
}

static void render_items(const nd_expr *e, nd_sb *sb, const style *st)
{
    for (size_t i = 0; i < e->nitems; i++) {
        if (i) nd_sb_puts(sb, ", ");
        render(e->items[i], sb, st);
    }
}

/* ---- LaTeX pieces ---- */

static const char *const greek[] = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi",
    "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi",
    "Psi", "Omega",
};

/* Appends the Greek letter spelled by s[0..n) and returns 1, or returns 0. */
static int put_greek(const char *s, size_t n, nd_sb *sb)
{
    if (n == 3 && strncmp(s, "eps", 3) == 0) {
        nd_sb_puts(sb, "\\varepsilon");
        return 1;
    }
    for (size_t i = 0; i < sizeof greek / sizeof greek[0]; i++)
        if (strlen(greek[i]) == n && strncmp(greek[i], s, n) == 0) {
            nd_sb_printf(sb, "\\%s", greek[i]);
            return 1;
        }
    return 0;
}

/* One piece of a name: a Greek letter, upright text (when upright, or longer than one
   character), or the character itself. */
static void put_name_part(const char *s, size_t n, int upright, nd_sb *sb)
{
    if (put_greek(s, n, sb)) return;
    if (n == 1 && !upright) {
        nd_sb_putn(sb, s, n);
        return;
    }
    nd_sb_puts(sb, "\\mathrm{");
    nd_sb_putn(sb, s, n);
    nd_sb_putc(sb, '}');
}

static int all_digits(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return 0;
    return 1;
}

/* tau_m -> \tau_{m}, gNa -> g_{\mathrm{Na}}, EL -> E_{\mathrm{L}}, x1 -> x_{1},
   Iapp -> \mathrm{Iapp}, inf -> \infty. */
static void latex_name(const char *name, nd_sb *sb)
{
    size_t n = strlen(name), base = n;
    const char *us = strchr(name, '_');
    if (!strcmp(name, "inf") || !strcmp(name, "nan")) {
        nd_sb_puts(sb, name[0] == 'i' ? "\\infty" : "\\mathrm{NaN}");
        return;
    }
    if (us && us != name && us[1]) base = (size_t)(us - name);
    else if (n > 1 && isalpha((unsigned char)name[0]) &&
             (isupper((unsigned char)name[1]) || all_digits(name + 1)))
        base = 1;
    put_name_part(name, base, 0, sb);
    if (base == n) return;
    /* a label after an uppercase letter (Na, K, L) is upright; x_i and tau_m stay italic */
    int label = name[base] != '_';
    const char *sub = label ? name + base : name + base + 1;
    nd_sb_puts(sb, "_{");
    if (all_digits(sub)) nd_sb_puts(sb, sub);
    else put_name_part(sub, strlen(sub), label, sb);
    nd_sb_putc(sb, '}');
}

/* 1e-05 -> 1 \cdot 10^{-5}; inf -> \infty. */
static void latex_number(double x, nd_sb *sb)
{
    char buf[ND_NUMFMT_CAP];
    nd_numfmt(x, buf);
    if (x != x) {
        nd_sb_puts(sb, "\\mathrm{NaN}");
        return;
    }
    if (isinf(x)) {
        nd_sb_puts(sb, x < 0 ? "-\\infty" : "\\infty");
        return;
    }
    char *e = strchr(buf, 'e');
    if (!e) {
        nd_sb_puts(sb, buf);
        return;
    }
    *e = '\0';
    const char *exp = e + 1;
    if (*exp == '+') exp++;
    int neg = *exp == '-';
    if (neg) exp++;
    while (exp[0] == '0' && exp[1]) exp++;
    if (strcmp(buf, "1") == 0 || strcmp(buf, "-1") == 0) nd_sb_puts(sb, buf[0] == '-' ? "-" : "");
    else nd_sb_printf(sb, "%s \\cdot ", buf);
    nd_sb_printf(sb, "10^{%s%s}", neg ? "-" : "", exp);
}

static void latex_call(const nd_expr *e, nd_sb *sb, const style *st)
{
    static const struct { const char *name, *tex; } ops[] = {
        {"exp", "\\exp"}, {"log", "\\ln"}, {"log10", "\\log_{10}"}, {"sin", "\\sin"},
        {"cos", "\\cos"}, {"tan", "\\tan"}, {"asin", "\\arcsin"}, {"acos", "\\arccos"},
        {"atan", "\\arctan"}, {"sinh", "\\sinh"}, {"cosh", "\\cosh"}, {"tanh", "\\tanh"},
        {"min", "\\min"}, {"max", "\\max"},
    };
    if (strcmp(e->str, "sqrt") == 0 && e->nitems == 1) {
        nd_sb_puts(sb, "\\sqrt{");
        render(e->items[0], sb, st);
        nd_sb_putc(sb, '}');
        return;
    }
    if (strcmp(e->str, "abs") == 0 && e->nitems == 1) {
        nd_sb_puts(sb, "\\left|");
        render(e->items[0], sb, st);
        nd_sb_puts(sb, "\\right|");
        return;
    }
    const char *tex = NULL;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0] && !tex; i++)
        if (strcmp(ops[i].name, e->str) == 0) tex = ops[i].tex;
    if (tex) nd_sb_puts(sb, tex);
    else nd_sb_printf(sb, "\\operatorname{%s}", e->str);
    nd_sb_puts(sb, "\\left(");
    render_items(e, sb, st);
    nd_sb_puts(sb, "\\right)");
}

static const char *latex_op(nd_binop op)
{
    static const char *const names[] = {
        " + ", " - ", " \\cdot ", "/", "^", " < ", " \\le ", " > ", " \\ge ", " = ",
        " \\ne ", " \\land ", " \\lor "
    };
    return names[op];
}

static void render_binary(const nd_expr *e, nd_sb *sb, const style *st)
{
    if (st->latex && e->op == ND_OP_DIV) {
        nd_sb_puts(sb, "\\frac{");
        render(e->a, sb, st);
        nd_sb_puts(sb, "}{");
        render(e->b, sb, st);
        nd_sb_putc(sb, '}');
        return;
    }
    render_child(e, e->a, 0, sb, st);
    if (st->latex) nd_sb_puts(sb, latex_op(e->op));
    else if (e->op == ND_OP_POW) nd_sb_putc(sb, '^');
    else nd_sb_printf(sb, " %s ", nd_expr_op_name(e->op));
    if (st->latex && e->op == ND_OP_POW) {
        nd_sb_putc(sb, '{');
        render(e->b, sb, st);
        nd_sb_putc(sb, '}');
        return;
    }
    render_child(e, e->b, 1, sb, st);
}

static void render(const nd_expr *e, nd_sb *sb, const style *st)
{
    char num[ND_NUMFMT_CAP];
    switch (e->kind) {
    case ND_EXPR_NUMBER:
        if (st->latex) latex_number(e->num, sb);
        else nd_sb_puts(sb, nd_numfmt(e->num, num));
        break;
    case ND_EXPR_STRING:
        if (st->latex) nd_sb_puts(sb, "\\text{");
        nd_json_string(sb, e->str);
        if (st->latex) nd_sb_putc(sb, '}');
        break;
    case ND_EXPR_NAME:
        if (st->latex) latex_name(e->str, sb);
        else nd_sb_puts(sb, e->str);
        break;
    case ND_EXPR_NEG:
    case ND_EXPR_NOT:
        if (e->kind == ND_EXPR_NEG) nd_sb_putc(sb, '-');
        else nd_sb_puts(sb, st->latex ? "\\lnot " : "not ");
        render_child(e, e->a, 0, sb, st);
        break;
    case ND_EXPR_BINARY:
        render_binary(e, sb, st);
        break;
    case ND_EXPR_RANGE:
        render_child(e, e->a, 0, sb, st);
        nd_sb_puts(sb, st->latex ? " \\ldots " : "..");
        render_child(e, e->b, 1, sb, st);
        break;
    case ND_EXPR_CALL:
        if (st->latex) {
            latex_call(e, sb, st);
            break;
        }
        nd_sb_printf(sb, "%s(", e->str);
        render_items(e, sb, st);
        nd_sb_putc(sb, ')');
        break;
    case ND_EXPR_LIST:
        nd_sb_puts(sb, st->latex ? "\\left[" : "[");
        render_items(e, sb, st);
        nd_sb_puts(sb, st->latex ? "\\right]" : "]");
        break;
    case ND_EXPR_INDEX:
        render_child(e, e->a, 0, sb, st);
        nd_sb_puts(sb, st->latex ? "_{" : "[");
        render(e->b, sb, st);
        nd_sb_puts(sb, st->latex ? "}" : "]");
        break;
    case ND_EXPR_FIELD:
        render_child(e, e->a, 0, sb, st);
        nd_sb_printf(sb, st->latex ? ".\\mathrm{%s}" : ".%s", e->str);
        break;
    }
}

void nd_expr_text(const nd_expr *e, nd_sb *sb)
{
    style st = {0};
    render(e, sb, &st);
}

void nd_expr_latex(const nd_expr *e, nd_sb *sb)
{
    style st = {1};
    render(e, sb, &st);
}
