/* The operators a search may use: the built-in arithmetic and functions, and a model's own
   functions (mInf, hInf …), each compiled once together with its partial derivatives
   (symbolic, from the expression engine) so the constant fit gets exact gradients. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../expr/diff.h"
#include "symreg_impl.h"

static const struct { int code, arity; const char *name; } builtin[] = {
    {SR_ADD, 2, "+"}, {SR_SUB, 2, "-"}, {SR_MUL, 2, "*"}, {SR_DIV, 2, "/"}, {SR_POW, 2, "pow"},
    {SR_NEG, 1, "neg"}, {SR_EXP, 1, "exp"}, {SR_LOG, 1, "log"}, {SR_SQRT, 1, "sqrt"},
    {SR_SIN, 1, "sin"}, {SR_COS, 1, "cos"}, {SR_TANH, 1, "tanh"}, {SR_ABS, 1, "abs"},
    {SR_INV, 1, "inv"}, {SR_POW2, 1, "pow2"}, {SR_POW3, 1, "pow3"},
};
enum { NBUILTIN = sizeof builtin / sizeof builtin[0] };

/* Spellings accepted besides the table's names. */
static const char *alias(const char *name)
{
    if (strcmp(name, "square") == 0) return "pow2";
    if (strcmp(name, "cube") == 0) return "pow3";
    if (strcmp(name, "^") == 0) return "pow";
    if (strcmp(name, "add") == 0) return "+";
    if (strcmp(name, "sub") == 0) return "-";
    if (strcmp(name, "mul") == 0) return "*";
    if (strcmp(name, "div") == 0) return "/";
    return name;
}

void nd_symreg_options_default(nd_symreg_options *o)
{
    memset(o, 0, sizeof *o);
    o->maxsize = 30;
    o->iters = 300;
    o->seed = 1;
    o->islands = 8;
    o->population = 48;
    o->migrate_every = 10;
    o->parsimony = 0.02;
    o->max_rows = 256;
    o->stop_error = 1e-9;
}

int sr_ops_find(const sr_ops *ops, const char *name, int arity)
{
    for (int i = 0; i < ops->nop; i++)
        if (ops->op[i].arity == arity && strcmp(ops->op[i].name, name) == 0) return i;
    return -1;
}

static int resolve_arg(void *ctx, const char *name)
{
    (void)ctx;
    if (strncmp(name, "__sr", 4) == 0) return atoi(name + 4);
    return -1;
}

/* f(__sr0[, __sr1]) with fn's body inlined, and its partial derivatives, as one program. */
static nd_status compile_fn(sr_op *op, const nd_model *m, const nd_model_item *it,
                            nd_error *err)
{
    nd_expr *call = nd_expr_new(ND_EXPR_CALL, 1, 1, 1);
    nd_expr *ex[3] = {NULL, NULL, NULL};
    nd_status st = ND_ENOMEM;
    if (!call || !(call->str = strdup(it->name)) ||
        !(call->items = calloc(it->nparams, sizeof *call->items)))
        goto done;
    call->nitems = it->nparams;
    for (size_t k = 0; k < it->nparams; k++) {
        char nm[32];
        snprintf(nm, sizeof nm, "__sr%zu", k);
        if (!(call->items[k] = nd_expr_new(ND_EXPR_NAME, 1, 1, 1)) ||
            !(call->items[k]->str = strdup(nm)))
            goto done;
    }
    if (!(ex[0] = nd_model_inline(m, call, NULL, 0, err))) {
        st = err && err->code ? err->code : ND_ENOMEM;
        goto done;
    }
    for (size_t k = 0; k < it->nparams; k++) {
        char nm[32];
        snprintf(nm, sizeof nm, "__sr%zu", k);
        if (!(ex[1 + k] = nd_expr_diff(ex[0], nm, err))) {
            st = err && err->code ? err->code : ND_ENOMEM;
            goto done;
        }
    }
    op->fn = nd_code_compile((const nd_expr *const *)ex, 1 + it->nparams, resolve_arg, NULL,
                             err);
    st = op->fn ? ND_OK : (err && err->code ? err->code : ND_ENOMEM);
done:
    nd_expr_free(call);
    for (int k = 0; k < 3; k++) nd_expr_free(ex[k]);
    if (st == ND_ENOMEM && err && !err->code) nd_error_fail(err, ND_ENOMEM, "out of memory");
    return st;
}

static int add_builtin(sr_ops *ops, const char *name)
{
    for (int i = 0; i < NBUILTIN; i++)
        if (strcmp(builtin[i].name, name) == 0) {
            int j = sr_ops_find(ops, name, builtin[i].arity);
            if (j >= 0) return j;
            sr_op *op = &ops->op[ops->nop];
            op->code = builtin[i].code;
            op->arity = builtin[i].arity;
            op->name = builtin[i].name;
            op->fn = NULL;
            return ops->nop++;
        }
    return -1;
}

static void allow(sr_ops *ops, int i)
{
    for (int k = 0; k < ops->nallowed; k++)
        if (ops->allowed[k] == i) return;
    ops->allowed[ops->nallowed++] = i;
}

nd_status sr_ops_build(sr_ops *ops, const nd_symreg_options *o, nd_error *err)
{
    static const char *const dflt[] = {"+", "-", "*", "/", "exp", "pow2"};
    const char *const *names = o->ops ? o->ops : dflt;
    size_t n = o->ops ? o->nops : sizeof dflt / sizeof dflt[0];
    memset(ops, 0, sizeof *ops);
    if (n + o->nfunctions + 1 > ND_SYMREG_MAX_OPS)
        return nd_error_fail(err, ND_EVALUE, "too many operators (at most %d)",
                             ND_SYMREG_MAX_OPS - 1);
    for (size_t i = 0; i < n; i++) {
        int j = add_builtin(ops, alias(names[i]));
        if (j < 0)
            return nd_error_fail(err, ND_EVALUE, "unknown operator '%s' (+, -, *, /, pow, neg, "
                                 "exp, log, sqrt, sin, cos, tanh, abs, inv, pow2, pow3)",
                                 names[i]);
        allow(ops, j);
    }
    /* What simplification may write, even when mutations may not draw it. */
    static const char *const always[] = {"+", "-", "*", "/", "pow2", "pow3"};
    for (size_t i = 0; i < sizeof always / sizeof always[0]; i++) add_builtin(ops, always[i]);
    add_builtin(ops, "neg");
    for (size_t i = 0; i < o->nfunctions; i++) {
        const nd_model_item *it = o->fnmodel ? nd_model_find(o->fnmodel, o->functions[i], NULL)
                                             : NULL;
        if (!it || it->kind != ND_MODEL_FN) {
            sr_ops_free(ops);
            return nd_error_fail(err, ND_EVALUE, "'%s' is not a function of %s",
                                 o->functions[i], o->fnmodel ? nd_model_name(o->fnmodel)
                                                             : "any model");
        }
        if (it->nparams < 1 || it->nparams > 2) {
            sr_ops_free(ops);
            return nd_error_fail(err, ND_EVALUE, "function '%s' takes %zu arguments; a "
                                 "primitive takes one or two", it->name, it->nparams);
        }
        if (sr_ops_find(ops, it->name, (int)it->nparams) >= 0) continue;
        sr_op *op = &ops->op[ops->nop];
        op->code = SR_FN;
        op->arity = (int)it->nparams;
        op->name = it->name;
        for (size_t k = 0; k < it->nparams; k++) {
            /* fn mInf(V): the argument is what the model's V is */
            const nd_model_item *p = nd_model_find(o->fnmodel, it->params[k], NULL);
            const char *unit = p && (p->kind == ND_MODEL_STATE || p->kind == ND_MODEL_PAR)
                             ? p->unit : NULL;
            sr_dims_from_units(&unit, 1, &op->arg[k]);
        }
        nd_status st = compile_fn(op, o->fnmodel, it, err);
        if (st != ND_OK) {
            sr_ops_free(ops);
            return st;
        }
        allow(ops, ops->nop++);
    }
    return ND_OK;
}

void sr_ops_free(sr_ops *ops)
{
    for (int i = 0; i < ops->nop; i++) {
        nd_code_free(ops->op[i].fn);
        ops->op[i].fn = NULL;
    }
    ops->nop = 0;
}
