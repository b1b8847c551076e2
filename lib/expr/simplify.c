/* Bottom-up rewriting: children are simplified first, then one node at a time is matched
   against a few local rules. Canonical shapes keep the rules few: a constant factor
   stands first (3 * x), a constant term last (x + 3, x - 3), and a negation is pulled
   outward (-(x * y)) where the next rule can absorb it into a constant or a subtraction.
   Every rule either shrinks the tree or moves a negation up, so rewriting terminates. */
#include "simplify.h"

#include <math.h>
#include <stdlib.h>

#include "functions.h"
#include "treeval.h"

static nd_expr *node(nd_expr *e);

static int is_num(const nd_expr *e) { return e->kind == ND_EXPR_NUMBER; }

static int is_val(const nd_expr *e, double v) { return is_num(e) && e->num == v; }

static int is_bin(const nd_expr *e, nd_binop op)
{
    return e->kind == ND_EXPR_BINARY && e->op == op;
}

/* Frees e but keeps and returns its child *slot. */
static nd_expr *keep(nd_expr *e, nd_expr **slot)
{
    nd_expr *c = *slot;
    *slot = NULL;
    nd_expr_free(e);
    return c;
}

/* Turns e into the number x in place (its children are freed). */
static nd_expr *become_number(nd_expr *e, double x)
{
    nd_expr_free(e->a);
    nd_expr_free(e->b);
    for (size_t i = 0; i < e->nitems; i++) nd_expr_free(e->items[i]);
    free(e->items);
    free(e->str);
    e->a = e->b = NULL;
    e->items = NULL;
    e->nitems = 0;
    e->str = NULL;
    e->kind = ND_EXPR_NUMBER;
    e->num = x;
    return e;
}

/* -x as a simplified node located at x; NULL (x freed) on ENOMEM, NULL when x is NULL. */
static nd_expr *negate(nd_expr *x)
{
    if (!x) return NULL;
    nd_expr *e = nd_expr_new(ND_EXPR_NEG, x->line, x->col, x->span);
    if (!e) {
        nd_expr_free(x);
        return NULL;
    }
    e->a = x;
    return node(e);
}

/* Turns e into -x in place and simplifies it. */
static nd_expr *become_neg(nd_expr *e, nd_expr *x)
{
    e->kind = ND_EXPR_NEG;
    e->a = x;
    e->b = NULL;
    return node(e);
}

/* Rebuilds e as the binary a op b and simplifies that node again. */
static nd_expr *rebuild(nd_expr *e, nd_binop op, nd_expr *a, nd_expr *b)
{
    e->kind = ND_EXPR_BINARY;
    e->op = op;
    e->a = a;
    e->b = b;
    return node(e);
}

/* x + c with any constant term of x merged in; e is a BINARY shell to reuse (its
   children already detached). */
static nd_expr *add_const(nd_expr *e, nd_expr *x, double c)
{
    if ((is_bin(x, ND_OP_ADD) || is_bin(x, ND_OP_SUB)) && is_num(x->b)) {
        c += x->op == ND_OP_ADD ? x->b->num : -x->b->num;
        x = keep(x, &x->a);
    }
    if (c == 0) {
        nd_expr_free(e);
        return x;
    }
    nd_expr *k = nd_expr_new(ND_EXPR_NUMBER, e->line, e->col, e->span);
    if (!k) {
        nd_expr_free(x);
        nd_expr_free(e);
        return NULL;
    }
    k->num = fabs(c);
    e->kind = ND_EXPR_BINARY;
    e->op = c < 0 ? ND_OP_SUB : ND_OP_ADD;
    e->a = x;
    e->b = k;
    return e;
}

static nd_expr *simplify_add(nd_expr *e)
{
    nd_expr *a = e->a, *b = e->b;
    if (is_val(a, 0)) return keep(e, &e->b);
    if (is_val(b, 0)) return keep(e, &e->a);
    e->a = e->b = NULL;
    if (is_num(a)) {          /* constant term last */
        nd_expr *t = a;
        a = b;
        b = t;
    }
    if (is_num(b)) {
        double c = b->num;
        nd_expr_free(b);
        return add_const(e, a, c);
    }
    if (b->kind == ND_EXPR_NEG) return rebuild(e, ND_OP_SUB, a, keep(b, &b->a));
    if (a->kind == ND_EXPR_NEG) return rebuild(e, ND_OP_SUB, b, keep(a, &a->a));
    e->a = a;
    e->b = b;
    return e;
}

static nd_expr *simplify_sub(nd_expr *e)
{
    nd_expr *a = e->a, *b = e->b;
    if (is_val(b, 0)) return keep(e, &e->a);
    if (is_val(a, 0)) {
        nd_expr_free(a);
        return become_neg(e, b);
    }
    if (is_num(b)) {
        double c = b->num;
        e->a = NULL;
        nd_expr_free(b);
        e->b = NULL;
        return add_const(e, a, -c);
    }
    if (b->kind == ND_EXPR_NEG) {
        e->a = e->b = NULL;
        return rebuild(e, ND_OP_ADD, a, keep(b, &b->a));
    }
    /* c - (x + k) -> (c - k) - x */
    if (is_num(a) && (is_bin(b, ND_OP_ADD) || is_bin(b, ND_OP_SUB)) && is_num(b->b)) {
        a->num -= b->op == ND_OP_ADD ? b->b->num : -b->b->num;
        e->b = keep(b, &b->a);
        return node(e);
    }
    return e;
}

static nd_expr *simplify_mul(nd_expr *e)
{
    nd_expr *a = e->a, *b = e->b;
    if (is_val(a, 0) || is_val(b, 0)) return become_number(e, 0);
    if (is_val(a, 1)) return keep(e, &e->b);
    if (is_val(b, 1)) return keep(e, &e->a);
    e->a = e->b = NULL;
    if (is_num(b)) {          /* constant factor first */
        nd_expr *t = a;
        a = b;
        b = t;
    }
    if (a->kind == ND_EXPR_NEG && b->kind == ND_EXPR_NEG)
        return rebuild(e, ND_OP_MUL, keep(a, &a->a), keep(b, &b->a));
    if (a->kind == ND_EXPR_NEG || b->kind == ND_EXPR_NEG) {
        nd_expr *x = a->kind == ND_EXPR_NEG ? keep(a, &a->a) : a;
        nd_expr *y = b->kind == ND_EXPR_NEG ? keep(b, &b->a) : b;
        return negate(rebuild(e, ND_OP_MUL, x, y));
    }
    if (is_num(a)) {
        if (a->num == -1) {
            nd_expr_free(a);
            return become_neg(e, b);
        }
        /* c * (k * y) -> (c k) * y;  c * (k / y) -> (c k) / y */
        if ((is_bin(b, ND_OP_MUL) || is_bin(b, ND_OP_DIV)) && is_num(b->a)) {
            b->a->num *= a->num;
            nd_expr_free(a);
            nd_expr_free(e);
            return node(b);
        }
    }
    e->a = a;
    e->b = b;
    return e;
}

static nd_expr *simplify_div(nd_expr *e)
{
    nd_expr *a = e->a, *b = e->b;
    if (is_val(b, 1)) return keep(e, &e->a);
    if (is_val(a, 0)) return become_number(e, 0);
    /* -a / -b -> a / b;  a / -b -> -a / b (the sign goes where the eye expects it) */
    if (b->kind == ND_EXPR_NEG) {
        e->b = keep(b, &b->a);
        e->a = a->kind == ND_EXPR_NEG ? keep(a, &a->a) : negate(a);
        return e->a ? node(e) : (nd_expr_free(e), NULL);
    }
    /* (k * x) / c -> (k / c) * x */
    if (is_num(b) && is_bin(a, ND_OP_MUL) && is_num(a->a)) {
        a->a->num /= b->num;
        return node(keep(e, &e->a));
    }
    return e;
}

static nd_expr *simplify_pow(nd_expr *e)
{
    if (is_val(e->b, 1)) return keep(e, &e->a);
    if (is_val(e->b, 0) || is_val(e->a, 1)) return become_number(e, 1);
    return e;
}

static nd_expr *simplify_neg(nd_expr *e)
{
    nd_expr *x = e->a;
    if (is_num(x)) return become_number(e, x->num == 0 ? 0.0 : -x->num);   /* no -0 shown */
    if (x->kind == ND_EXPR_NEG) return keep(e, &x->a);
    if ((is_bin(x, ND_OP_MUL) || is_bin(x, ND_OP_DIV)) && is_num(x->a)) {
        x->a->num = -x->a->num;
        return keep(e, &e->a);
    }
    if (is_bin(x, ND_OP_SUB)) {       /* -(a - b) -> b - a */
        nd_expr *t = x->a;
        x->a = x->b;
        x->b = t;
        return node(keep(e, &e->a));
    }
    return e;
}

static nd_expr *fold_call(nd_expr *e)
{
    const nd_func *f = nd_func_find(e->str);
    double args[16];
    if (!f || !nd_func_accepts(f, (int)e->nitems) || e->nitems > 16) return e;
    for (size_t i = 0; i < e->nitems; i++) {
        if (!is_num(e->items[i])) return e;
        args[i] = e->items[i]->num;
    }
    return become_number(e, f->eval(args, (int)e->nitems));
}

/* Simplifies the node e whose children are already simplified. */
static nd_expr *node(nd_expr *e)
{
    switch (e->kind) {
    case ND_EXPR_NEG:
        return simplify_neg(e);
    case ND_EXPR_NOT:
        return is_num(e->a) ? become_number(e, nd_num_not(e->a->num)) : e;
    case ND_EXPR_CALL:
        return fold_call(e);
    case ND_EXPR_BINARY:
        if (is_num(e->a) && is_num(e->b))
            return become_number(e, nd_num_binop(e->op, e->a->num, e->b->num));
        switch (e->op) {
        case ND_OP_ADD: return simplify_add(e);
        case ND_OP_SUB: return simplify_sub(e);
        case ND_OP_MUL: return simplify_mul(e);
        case ND_OP_DIV: return simplify_div(e);
        case ND_OP_POW: return simplify_pow(e);
        default:        return e;
        }
    default:
        return e;
    }
}

nd_expr *nd_expr_simplify(nd_expr *e)
{
    if (!e) return NULL;
    int failed = 0;
    if (e->a && !(e->a = nd_expr_simplify(e->a))) failed = 1;
    if (e->b && !(e->b = nd_expr_simplify(e->b))) failed = 1;
    for (size_t i = 0; i < e->nitems; i++)
        if (!(e->items[i] = nd_expr_simplify(e->items[i]))) failed = 1;
    if (failed) {
        nd_expr_free(e);
        return NULL;
    }
    return node(e);
}
