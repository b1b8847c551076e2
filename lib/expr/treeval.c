/* A direct recursive walk; model code never runs through here in a hot loop (it is
   compiled), so clarity wins over speed. */
#include "treeval.h"

#include <math.h>

#include "functions.h"

double nd_num_binop(nd_binop op, double x, double y)
{
    switch (op) {
    case ND_OP_ADD: return x + y;
    case ND_OP_SUB: return x - y;
    case ND_OP_MUL: return x * y;
    case ND_OP_DIV: return x / y;
    case ND_OP_POW: return pow(x, y);
    case ND_OP_LT:  return x < y;
    case ND_OP_LE:  return x <= y;
    case ND_OP_GT:  return x > y;
    case ND_OP_GE:  return x >= y;
    case ND_OP_EQ:  return x == y;
    case ND_OP_NE:  return x != y;
    case ND_OP_AND: return x != 0 && y != 0;
    case ND_OP_OR:  return x != 0 || y != 0;
    }
    return NAN;
}

double nd_num_not(double x)
{
    return x == 0;
}

/* Calls are rare and short: up to 16 arguments live on the stack, more make it nan. */
static double eval_call(const nd_expr *e, nd_resolve_fn resolve, void *ctx, const double *slots)
{
    const nd_func *f = nd_func_find(e->str);
    double args[16];
    if (!f || !nd_func_accepts(f, (int)e->nitems) || e->nitems > 16) return NAN;
    for (size_t i = 0; i < e->nitems; i++)
        args[i] = nd_expr_eval_num(e->items[i], resolve, ctx, slots);
    return f->eval(args, (int)e->nitems);
}

double nd_expr_eval_num(const nd_expr *e, nd_resolve_fn resolve, void *ctx,
                        const double *slots)
{
    double x;
    int slot;
    switch (e->kind) {
    case ND_EXPR_NUMBER:
        return e->num;
    case ND_EXPR_NAME:
        if (resolve && (slot = resolve(ctx, e->str)) >= 0) return slots[slot];
        return nd_const_find(e->str, &x) ? x : NAN;
    case ND_EXPR_NEG:
        return -nd_expr_eval_num(e->a, resolve, ctx, slots);
    case ND_EXPR_NOT:
        return nd_num_not(nd_expr_eval_num(e->a, resolve, ctx, slots));
    case ND_EXPR_BINARY:
        return nd_num_binop(e->op, nd_expr_eval_num(e->a, resolve, ctx, slots),
                            nd_expr_eval_num(e->b, resolve, ctx, slots));
    case ND_EXPR_CALL:
        return eval_call(e, resolve, ctx, slots);
    default:
        return NAN;
    }
}
