/* Dimensional sanity of candidates: the inputs' units (when a dataset gives them) make each
   subtree a known dimension — exponents of time, potential, current and current density —
   or a free one: a fitted constant carries whatever unit makes its term fit (gNa·(V − ENa)
   is fine), and so does anything multiplied by one. What is refused is what no constant
   can mend: a sum or difference of two known, different dimensions (mV + µA/cm²) and a
   known dimensional argument of exp, log, sin, cos or tanh (exp(V), where exp(V/k) is
   fine), and a model function given an argument of a known dimension other than its
   parameter's (mInf(n) where the model's mInf takes V in mV; sr_op.arg). A model
   function's value is free. */
#include <string.h>

#include "../data/units.h"
#include "symreg_impl.h"

enum { FREE = 0, KNOWN = 1, BAD = 2 };

typedef struct dim {
    int kind;
    signed char e[SR_NDIMS];
} dim;

void sr_dims_from_units(const char *const *units, size_t nvars, sr_dim *dims)
{
    for (size_t j = 0; j < nvars; j++) {
        memset(&dims[j], 0, sizeof dims[j]);
        const char *u = units ? units[j] : NULL;
        if (!u || !*u) continue;
        if (strcmp(u, "1") == 0) {
            dims[j].known = 1;   /* dimensionless: gating variables */
            continue;
        }
        nd_quantity q = nd_unit_quantity(u, NULL);
        if (q == ND_Q_OTHER) continue;
        dims[j].known = 1;
        dims[j].e[q == ND_Q_TIME ? 0 : q == ND_Q_POTENTIAL ? 1 : q == ND_Q_CURRENT ? 2 : 3] = 1;
    }
}

static int same(const dim *a, const dim *b)
{
    return memcmp(a->e, b->e, sizeof a->e) == 0;
}

static int dimensionless(const dim *a)
{
    static const signed char zero[SR_NDIMS] = {0};
    return memcmp(a->e, zero, sizeof zero) == 0;
}

static dim known(const signed char *e, int scale_num, int scale_den)
{
    dim d = {.kind = KNOWN};
    for (int k = 0; k < SR_NDIMS; k++) {
        if ((e[k] * scale_num) % scale_den) return (dim){.kind = FREE};
        d.e[k] = (signed char)(e[k] * scale_num / scale_den);
    }
    return d;
}

/* The dimension of the subtree at *i, moving *i past it. */
static dim walk(const sr_tree *t, int *i, const sr_ops *ops, const sr_dim *dims)
{
    const sr_node *nd = &t->nodes[(*i)++];
    if (nd->kind == SR_CONST) return (dim){.kind = FREE};
    if (nd->kind == SR_VAR) {
        const sr_dim *v = &dims[nd->var];
        return v->known ? known(v->e, 1, 1) : (dim){.kind = FREE};
    }
    dim a = walk(t, i, ops, dims), b = {.kind = FREE};
    if (nd->arity == 2) b = walk(t, i, ops, dims);
    if (a.kind == BAD || b.kind == BAD) return (dim){.kind = BAD};
    switch (ops->op[nd->op].code) {
    case SR_ADD:
    case SR_SUB:
        if (a.kind == KNOWN && b.kind == KNOWN && !same(&a, &b)) return (dim){.kind = BAD};
        return a.kind == KNOWN ? a : b;
    case SR_MUL:
    case SR_DIV: {
        if (a.kind != KNOWN || b.kind != KNOWN) return (dim){.kind = FREE};
        dim d = {.kind = KNOWN};
        int s = ops->op[nd->op].code == SR_MUL ? 1 : -1;
        for (int k = 0; k < SR_NDIMS; k++) d.e[k] = (signed char)(a.e[k] + s * b.e[k]);
        return d;
    }
    case SR_POW:
        if (b.kind == KNOWN && !dimensionless(&b)) return (dim){.kind = BAD};
        return a.kind == KNOWN && dimensionless(&a) ? a : (dim){.kind = FREE};
    case SR_POW2: return a.kind == KNOWN ? known(a.e, 2, 1) : a;
    case SR_POW3: return a.kind == KNOWN ? known(a.e, 3, 1) : a;
    case SR_SQRT: return a.kind == KNOWN ? known(a.e, 1, 2) : a;
    case SR_INV: return a.kind == KNOWN ? known(a.e, -1, 1) : a;
    case SR_NEG:
    case SR_ABS: return a;
    case SR_EXP:
    case SR_LOG:
    case SR_SIN:
    case SR_COS:
    case SR_TANH:
        if (a.kind == KNOWN && !dimensionless(&a)) return (dim){.kind = BAD};
        return (dim){.kind = KNOWN};
    default: {   /* a model function: each known argument as its parameter */
        const sr_op *op = &ops->op[nd->op];
        const dim *args[2] = {&a, &b};
        for (int k = 0; k < nd->arity && k < 2; k++)
            if (op->arg[k].known && args[k]->kind == KNOWN &&
                memcmp(op->arg[k].e, args[k]->e, sizeof args[k]->e) != 0)
                return (dim){.kind = BAD};
        return (dim){.kind = FREE};
    }
    }
}

int sr_units_ok(const sr_tree *t, const sr_ops *ops, const sr_dim *dims)
{
    if (!dims || t->n < 1) return 1;
    int i = 0;
    return walk(t, &i, ops, dims).kind != BAD;
}
