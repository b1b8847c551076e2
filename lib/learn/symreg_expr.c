/* Trees to and from the expression engine's nd_expr: the bridge that lets every candidate
   go through the engine's simplifier, and the front be rendered and bound to a model. */
#include <stdlib.h>
#include <string.h>

#include "../expr/simplify.h"
#include "symreg_impl.h"

static nd_expr *number(double x)
{
    nd_expr *e = nd_expr_new(ND_EXPR_NUMBER, 1, 1, 1);
    if (e) e->num = x;
    return e;
}

static nd_expr *binary(nd_binop op, nd_expr *a, nd_expr *b)
{
    nd_expr *e = a && b ? nd_expr_new(ND_EXPR_BINARY, 1, 1, 1) : NULL;
    if (!e) {
        nd_expr_free(a), nd_expr_free(b);
        return NULL;
    }
    e->op = op;
    e->a = a;
    e->b = b;
    return e;
}

static nd_expr *call(const char *name, nd_expr **args, int n)
{
    nd_expr *e = nd_expr_new(ND_EXPR_CALL, 1, 1, 1);
    if (e && (e->str = strdup(name)) && (e->items = calloc((size_t)n, sizeof *e->items))) {
        for (int k = 0; k < n; k++) e->items[k] = args[k];
        e->nitems = (size_t)n;
        for (int k = 0; k < n; k++)
            if (!args[k]) {
                nd_expr_free(e);
                return NULL;
            }
        return e;
    }
    nd_expr_free(e);
    for (int k = 0; k < n; k++) nd_expr_free(args[k]);
    return NULL;
}

/* The subtree at *i, moving *i past it. */
static nd_expr *build(const sr_tree *t, int *i, const sr_ops *ops, const char *const *vars)
{
    const sr_node *nd = &t->nodes[(*i)++];
    if (nd->kind == SR_CONST) return number(nd->c);
    if (nd->kind == SR_VAR) {
        nd_expr *e = nd_expr_new(ND_EXPR_NAME, 1, 1, 1);
        if (e && !(e->str = strdup(vars[nd->var]))) {
            nd_expr_free(e);
            return NULL;
        }
        return e;
    }
    const sr_op *op = &ops->op[nd->op];
    nd_expr *args[2] = {NULL, NULL};
    for (int k = 0; k < op->arity; k++) args[k] = build(t, i, ops, vars);
    switch (op->code) {
    case SR_ADD: return binary(ND_OP_ADD, args[0], args[1]);
    case SR_SUB: return binary(ND_OP_SUB, args[0], args[1]);
    case SR_MUL: return binary(ND_OP_MUL, args[0], args[1]);
    case SR_DIV: return binary(ND_OP_DIV, args[0], args[1]);
    case SR_POW: return binary(ND_OP_POW, args[0], args[1]);
    case SR_POW2: return binary(ND_OP_POW, args[0], number(2));
    case SR_POW3: return binary(ND_OP_POW, args[0], number(3));
    case SR_INV: return binary(ND_OP_DIV, number(1), args[0]);
    case SR_NEG: {
        nd_expr *e = args[0] ? nd_expr_new(ND_EXPR_NEG, 1, 1, 1) : NULL;
        if (e) e->a = args[0];
        else nd_expr_free(args[0]);
        return e;
    }
    default:
        return call(op->name, args, op->arity);
    }
}

nd_expr *sr_to_expr(const sr_tree *t, const sr_ops *ops, const char *const *vars)
{
    int i = 0;
    return build(t, &i, ops, vars);
}

typedef struct reader {
    const sr_ops *ops;
    const char *const *vars;
    size_t nvars;
    int max;
    sr_tree *t;
} reader;

static int put(reader *r, sr_node nd)
{
    if (r->t->n >= r->max) return -1;
    r->t->nodes[r->t->n++] = nd;
    return 0;
}

static int put_op(reader *r, const char *name, int arity)
{
    int j = sr_ops_find(r->ops, name, arity);
    if (j < 0) return -1;
    return put(r, (sr_node){.kind = SR_OP, .op = (uint8_t)j, .arity = (uint8_t)arity});
}

static int read_expr(reader *r, const nd_expr *e)
{
    static const char *const binname[] = {"+", "-", "*", "/"};
    switch (e->kind) {
    case ND_EXPR_NUMBER:
        return put(r, (sr_node){.kind = SR_CONST, .c = e->num});
    case ND_EXPR_NAME:
        for (size_t v = 0; v < r->nvars; v++)
            if (strcmp(r->vars[v], e->str) == 0)
                return put(r, (sr_node){.kind = SR_VAR, .var = (uint16_t)v});
        return -1;
    case ND_EXPR_NEG:
        return put_op(r, "neg", 1) || read_expr(r, e->a) ? -1 : 0;
    case ND_EXPR_BINARY:
        if (e->op <= ND_OP_DIV)
            return put_op(r, binname[e->op], 2) || read_expr(r, e->a) || read_expr(r, e->b) ? -1 : 0;
        if (e->op != ND_OP_POW) return -1;
        if (e->b->kind == ND_EXPR_NUMBER && (e->b->num == 2 || e->b->num == 3))
            return put_op(r, e->b->num == 2 ? "pow2" : "pow3", 1) || read_expr(r, e->a) ? -1 : 0;
        return put_op(r, "pow", 2) || read_expr(r, e->a) || read_expr(r, e->b) ? -1 : 0;
    case ND_EXPR_CALL:
        if (e->nitems < 1 || e->nitems > 2 || put_op(r, e->str, (int)e->nitems)) return -1;
        for (size_t k = 0; k < e->nitems; k++)
            if (read_expr(r, e->items[k])) return -1;
        return 0;
    default:
        return -1;
    }
}

int sr_from_expr(const nd_expr *e, const sr_ops *ops, const char *const *vars, size_t nvars,
                 int max, sr_tree *t)
{
    reader r = {ops, vars, nvars, max, t};
    t->n = 0;
    return read_expr(&r, e);
}

int sr_simplify(sr_tree *t, const sr_ops *ops, const char *const *vars, size_t nvars,
                int max)
{
    sr_cancel(t, ops);
    nd_expr *e = nd_expr_simplify(sr_to_expr(t, ops, vars));
    if (!e) return -1;
    sr_tree out = *t;
    int rc = sr_from_expr(e, ops, vars, nvars, max, &out);
    nd_expr_free(e);
    if (rc == 0) *t = out;
    return rc;
}
