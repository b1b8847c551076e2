/* Differentiation by the textbook rules on the tree, producing a raw derivative that
   nd_expr_simplify then cleans up (so the rules can be written naively: 0 * u and 1 * u
   disappear afterwards). Subtrees that do not mention the variable are constants: their
   derivative is 0 without looking inside, which also keeps the raw tree small. The input
   is validated once up front, so the rules only deal with allocation failures; any NULL
   operand makes the constructors below return NULL, so failures need no checks at each
   step. */
#include "diff.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "functions.h"
#include "simplify.h"

static nd_expr *d(const nd_expr *e, const char *var);

/* ---- constructors: they take ownership of their operands and pass NULL through ---- */

static nd_expr *num(double x)
{
    nd_expr *e = nd_expr_new(ND_EXPR_NUMBER, 0, 0, 1);
    if (e) e->num = x;
    return e;
}

static nd_expr *bin(nd_binop op, nd_expr *a, nd_expr *b)
{
    nd_expr *e = a && b ? nd_expr_new(ND_EXPR_BINARY, a->line, a->col, a->span) : NULL;
    if (!e) {
        nd_expr_free(a);
        nd_expr_free(b);
        return NULL;
    }
    e->op = op;
    e->a = a;
    e->b = b;
    return e;
}

static nd_expr *neg(nd_expr *a)
{
    nd_expr *e = a ? nd_expr_new(ND_EXPR_NEG, a->line, a->col, a->span) : NULL;
    if (!e) {
        nd_expr_free(a);
        return NULL;
    }
    e->a = a;
    return e;
}

/* name(args[0..n)), taking ownership of the arguments. */
static nd_expr *call(const char *name, nd_expr **args, size_t n)
{
    nd_expr *e = NULL;
    int ok = 1;
    for (size_t i = 0; i < n; i++) ok = ok && args[i];
    if (ok && (e = nd_expr_new(ND_EXPR_CALL, args[0]->line, args[0]->col, 1)) &&
        (e->str = strdup(name)) && (e->items = calloc(n, sizeof *e->items))) {
        memcpy(e->items, args, n * sizeof *args);
        e->nitems = n;
        return e;
    }
    nd_expr_free(e);
    for (size_t i = 0; i < n; i++) nd_expr_free(args[i]);
    return NULL;
}

static nd_expr *call1(const char *name, nd_expr *a)
{
    return call(name, &a, 1);
}

static nd_expr *cp(const nd_expr *e) { return nd_expr_copy(e); }

static nd_expr *sq(nd_expr *a) { return bin(ND_OP_POW, a, num(2)); }

/* ---- rules ---- */

static int depends(const nd_expr *e, const char *var)
{
    if (e->kind == ND_EXPR_NAME) return strcmp(e->str, var) == 0;
    if ((e->a && depends(e->a, var)) || (e->b && depends(e->b, var))) return 1;
    for (size_t i = 0; i < e->nitems; i++)
        if (depends(e->items[i], var)) return 1;
    return 0;
}

/* (u^v)' for the three shapes: constant exponent, constant base, both varying. */
static nd_expr *d_pow(const nd_expr *u, const nd_expr *v, const char *var)
{
    if (!depends(v, var))
        return bin(ND_OP_MUL, bin(ND_OP_MUL, cp(v), bin(ND_OP_POW, cp(u), bin(ND_OP_SUB, cp(v), num(1)))),
                   d(u, var));
    nd_expr *uv = bin(ND_OP_POW, cp(u), cp(v));
    if (!depends(u, var))
        return bin(ND_OP_MUL, bin(ND_OP_MUL, uv, call1("log", cp(u))), d(v, var));
    return bin(ND_OP_MUL, uv,
               bin(ND_OP_ADD, bin(ND_OP_MUL, d(v, var), call1("log", cp(u))),
                   bin(ND_OP_DIV, bin(ND_OP_MUL, cp(v), d(u, var)), cp(u))));
}

static nd_expr *d_div(const nd_expr *u, const nd_expr *v, const char *var)
{
    if (!depends(v, var)) return bin(ND_OP_DIV, d(u, var), cp(v));
    nd_expr *num_part = depends(u, var)
        ? bin(ND_OP_SUB, bin(ND_OP_MUL, d(u, var), cp(v)), bin(ND_OP_MUL, cp(u), d(v, var)))
        : neg(bin(ND_OP_MUL, cp(u), d(v, var)));
    return bin(ND_OP_DIV, num_part, sq(cp(v)));
}

static nd_expr *d_binary(const nd_expr *e, const char *var)
{
    const nd_expr *u = e->a, *v = e->b;
    switch (e->op) {
    case ND_OP_ADD:
    case ND_OP_SUB:
        return bin(e->op, d(u, var), d(v, var));
    case ND_OP_MUL:
        return bin(ND_OP_ADD, bin(ND_OP_MUL, d(u, var), cp(v)), bin(ND_OP_MUL, cp(u), d(v, var)));
    case ND_OP_DIV:
        return d_div(u, v, var);
    case ND_OP_POW:
        return d_pow(u, v, var);
    default:                  /* comparisons and logic are piecewise constant */
        return num(0);
    }
}

/* d/dx min(a1..an) = H(m - ai) m' + H(ai - m) ai' folded from the left, m = min(a1..ai-1);
   max swaps the roles. H(0) = 1/2 shares the derivative at a tie. */
static nd_expr *d_minmax(const nd_expr *e, const char *var)
{
    int is_min = strcmp(e->str, "min") == 0;
    nd_expr *dm = d(e->items[0], var);
    nd_expr *m = cp(e->items[0]);            /* min(a1..ai-1), nested two by two */
    for (size_t i = 1; i < e->nitems; i++) {
        const nd_expr *a = e->items[i];
        nd_expr *m_wins = is_min ? bin(ND_OP_SUB, cp(a), cp(m)) : bin(ND_OP_SUB, cp(m), cp(a));
        nd_expr *a_wins = is_min ? bin(ND_OP_SUB, cp(m), cp(a)) : bin(ND_OP_SUB, cp(a), cp(m));
        dm = bin(ND_OP_ADD, bin(ND_OP_MUL, call1("heaviside", m_wins), dm),
                 bin(ND_OP_MUL, call1("heaviside", a_wins), d(a, var)));
        nd_expr *pair[2] = {m, cp(a)};
        m = call(e->str, pair, 2);
    }
    nd_expr_free(m);
    return dm;
}

/* f'(u) for the one-argument functions, as a tree over copies of u. */
static nd_expr *outer_derivative(const char *f, const nd_expr *u)
{
    if (!strcmp(f, "exp") || !strcmp(f, "expm1")) return call1("exp", cp(u));
    if (!strcmp(f, "log")) return bin(ND_OP_DIV, num(1), cp(u));
    if (!strcmp(f, "log10")) return bin(ND_OP_DIV, num(1), bin(ND_OP_MUL, cp(u), num(log(10.0))));
    if (!strcmp(f, "sqrt")) return bin(ND_OP_DIV, num(1), bin(ND_OP_MUL, num(2), call1("sqrt", cp(u))));
    if (!strcmp(f, "abs")) return call1("sign", cp(u));
    if (!strcmp(f, "sin")) return call1("cos", cp(u));
    if (!strcmp(f, "cos")) return neg(call1("sin", cp(u)));
    if (!strcmp(f, "tan")) return bin(ND_OP_DIV, num(1), sq(call1("cos", cp(u))));
    if (!strcmp(f, "asin") || !strcmp(f, "acos")) {
        nd_expr *r = bin(ND_OP_DIV, num(1), call1("sqrt", bin(ND_OP_SUB, num(1), sq(cp(u)))));
        return f[1] == 's' ? r : neg(r);
    }
    if (!strcmp(f, "atan")) return bin(ND_OP_DIV, num(1), bin(ND_OP_ADD, num(1), sq(cp(u))));
    if (!strcmp(f, "sinh")) return call1("cosh", cp(u));
    if (!strcmp(f, "cosh")) return call1("sinh", cp(u));
    if (!strcmp(f, "tanh")) return bin(ND_OP_SUB, num(1), sq(call1("tanh", cp(u))));
    return num(0);            /* floor, ceil, round, sign, heaviside: steps */
}

static nd_expr *d_call(const nd_expr *e, const char *var)
{
    const char *f = e->str;
    if (!strcmp(f, "pow")) return d_pow(e->items[0], e->items[1], var);
    if (!strcmp(f, "min") || !strcmp(f, "max")) return d_minmax(e, var);
    if (!strcmp(f, "atan2")) {   /* (x y' - y x') / (x^2 + y^2) for atan2(y, x) */
        const nd_expr *y = e->items[0], *x = e->items[1];
        return bin(ND_OP_DIV,
                   bin(ND_OP_SUB, bin(ND_OP_MUL, cp(x), d(y, var)), bin(ND_OP_MUL, cp(y), d(x, var))),
                   bin(ND_OP_ADD, sq(cp(x)), sq(cp(y))));
    }
    return bin(ND_OP_MUL, outer_derivative(f, e->items[0]), d(e->items[0], var));
}

/* The raw derivative of a validated tree. */
static nd_expr *d(const nd_expr *e, const char *var)
{
    if (!depends(e, var)) return num(0);
    switch (e->kind) {
    case ND_EXPR_NAME:   return num(1);
    case ND_EXPR_NEG:    return neg(d(e->a, var));
    case ND_EXPR_BINARY: return d_binary(e, var);
    case ND_EXPR_CALL:   return d_call(e, var);
    default:             return num(0);       /* not: piecewise constant */
    }
}

/* Checks what the rules take for granted: known functions with the right arity, numbers
   only. Returns ND_OK or a located error. */
static nd_status validate(const nd_expr *e, nd_error *err)
{
    switch (e->kind) {
    case ND_EXPR_STRING: case ND_EXPR_LIST: case ND_EXPR_RANGE: case ND_EXPR_INDEX:
    case ND_EXPR_FIELD:
        return nd_error_set(err, ND_ETYPE, e->line, e->col, e->span,
                            "cannot differentiate %s", nd_expr_kind_noun(e->kind));
    case ND_EXPR_CALL: {
        const nd_func *f = nd_func_find(e->str);
        if (!f)
            return nd_error_set(err, ND_ENAME, e->line, e->col, (int)strlen(e->str),
                                "unknown function '%s'", e->str);
        if (!nd_func_accepts(f, (int)e->nitems))
            return nd_error_set(err, ND_ETYPE, e->line, e->col, e->span,
                                "%s() does not take %zu argument%s", f->name, e->nitems,
                                e->nitems == 1 ? "" : "s");
        break;
    }
    default:
        break;
    }
    nd_status st = ND_OK;
    if (e->a) st = validate(e->a, err);
    if (st == ND_OK && e->b) st = validate(e->b, err);
    for (size_t i = 0; st == ND_OK && i < e->nitems; i++) st = validate(e->items[i], err);
    return st;
}

nd_expr *nd_expr_diff(const nd_expr *e, const char *var, nd_error *err)
{
    if (validate(e, err) != ND_OK) return NULL;
    nd_expr *r = nd_expr_simplify(d(e, var));
    if (!r) nd_error_fail(err, ND_ENOMEM, "out of memory while differentiating");
    return r;
}
