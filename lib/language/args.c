/* Every helper evaluates, checks one kind, and words its error after where the
   argument sits ("argument 1 of 'sleep'", "option 't'"). */
#include "args.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"

size_t nd_arg_count(const nd_cmd_ctx *ctx)
{
    size_t n = 0;
    for (size_t i = 0; i < ctx->call->nargs; i++) n += ctx->call->args[i].key == NULL;
    return n;
}

const nd_arg *nd_arg_pos(const nd_cmd_ctx *ctx, size_t i)
{
    for (size_t k = 0; k < ctx->call->nargs; k++) {
        const nd_arg *a = &ctx->call->args[k];
        if (!a->key && i-- == 0) return a;
    }
    return NULL;
}

const nd_arg *nd_arg_opt(const nd_cmd_ctx *ctx, const char *key)
{
    for (size_t k = 0; k < ctx->call->nargs; k++) {
        const nd_arg *a = &ctx->call->args[k];
        if (a->key && strcmp(a->key, key) == 0) return a;
    }
    return NULL;
}

/* The binary + or − written "a -b" (one space before the operator, none after it) at the
   top of e or of its range's lower end: the expression rule reads it as a − b, while the
   writer of `fi I -1.5..4.5` meant two arguments. NULL when there is none. */
static const nd_expr *spaced_sign(const nd_expr *e)
{
    if (e->kind == ND_EXPR_RANGE) e = e->a;
    if (e->kind != ND_EXPR_BINARY || (e->op != ND_OP_ADD && e->op != ND_OP_SUB)) return NULL;
    const nd_expr *l = e->a, *r = e->b;
    return l->line == r->line && r->col - (l->col + l->span) == 2 ? e : NULL;
}

nd_status nd_arg_expect(const nd_cmd_ctx *ctx, size_t min, long max, nd_error *err)
{
    size_t n = nd_arg_count(ctx);
    if (n >= min && (max < 0 || n <= (size_t)max)) return ND_OK;
    const nd_call *c = ctx->call;
    const nd_arg *extra = n > min ? nd_arg_pos(ctx, (size_t)max) : NULL;
    int line = extra ? extra->line : c->line, col = extra ? extra->col : c->col;
    int span = extra ? extra->span : (int)strlen(c->name);
    const nd_expr *sign = NULL;
    for (size_t i = 0; n < min && !sign && i < n; i++) sign = spaced_sign(nd_arg_pos(ctx, i)->value);
    char hint[160] = "";
    if (sign)
        snprintf(hint, sizeof hint, "; the '%s' at column %d was read as %s inside one "
                 "argument: to pass two, put a comma before it", nd_expr_op_name(sign->op),
                 sign->b->col - 1, sign->op == ND_OP_SUB ? "a subtraction" : "an addition");
    return nd_error_set(err, ND_ESYNTAX, line, col, span, "%s arguments for '%s' (usage: %s)%s",
                        n < min ? "too few" : "too many", c->name, ctx->cmd->usage, hint);
}

nd_status nd_arg_error(const nd_arg *arg, nd_error *err, nd_status code, const char *fmt, ...)
{
    char msg[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const nd_expr *v = arg->value;
    return nd_error_set(err, code, v->line, v->col, v->span, "%s", msg);
}

/* "option 't'" or "argument 2 of 'plot'": how messages name an argument. */
static const char *describe(const nd_cmd_ctx *ctx, const nd_arg *arg, char *buf, size_t cap)
{
    if (arg->key) {
        snprintf(buf, cap, "option '%s'", arg->key);
        return buf;
    }
    size_t index = 1;
    for (size_t k = 0; k < ctx->call->nargs && &ctx->call->args[k] != arg; k++)
        index += ctx->call->args[k].key == NULL;
    snprintf(buf, cap, "argument %zu of '%s'", index, ctx->call->name);
    return buf;
}

nd_status nd_arg_value(const nd_cmd_ctx *ctx, const nd_arg *arg, nd_value **out, nd_error *err)
{
    return nd_eval(arg->value, ctx->ws, out, err);
}

/* Evaluates arg and checks its kind; *out is a new reference on success. */
static nd_status eval_kind(const nd_cmd_ctx *ctx, const nd_arg *arg, nd_value_kind kind,
                           const char *expected, nd_value **out, nd_error *err)
{
    nd_status st = nd_arg_value(ctx, arg, out, err);
    if (st != ND_OK) return st;
    if ((*out)->kind == kind) return ND_OK;
    char who[96], got[64];
    st = nd_arg_error(arg, err, ND_ETYPE, "%s expects %s, not %s",
                      describe(ctx, arg, who, sizeof who), expected,
                      nd_value_a_type(*out, got, sizeof got));
    nd_value_unref(*out);
    *out = NULL;
    return st;
}

nd_status nd_arg_number(const nd_cmd_ctx *ctx, const nd_arg *arg, double *out, nd_error *err)
{
    nd_value *v;
    nd_status st = eval_kind(ctx, arg, ND_VAL_NUMBER, "a number", &v, err);
    if (st == ND_OK) *out = v->as.num;
    nd_value_unref(v);
    return st;
}

nd_status nd_arg_numbers(const nd_cmd_ctx *ctx, const nd_arg *arg, double **x, size_t *n,
                         nd_error *err)
{
    nd_value *v;
    nd_status st = nd_arg_value(ctx, arg, &v, err);
    if (st != ND_OK) return st;
    size_t k = v->kind == ND_VAL_VECTOR ? v->as.vec.n : v->kind == ND_VAL_NUMBER ? 1
             : v->kind == ND_VAL_LIST ? v->as.list.n : 0;
    for (size_t i = 0; v->kind == ND_VAL_LIST && i < k; i++)
        if (v->as.list.items[i]->kind != ND_VAL_NUMBER) k = 0;
    *x = NULL;
    *n = 0;
    if (!k) {
        char who[96], got[64];
        st = nd_arg_error(arg, err, ND_ETYPE, "%s expects a number or a list of numbers, not %s",
                          describe(ctx, arg, who, sizeof who), nd_value_a_type(v, got, sizeof got));
    } else if (!(*x = malloc(k * sizeof **x))) {
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    } else {
        for (size_t i = 0; i < k; i++)
            (*x)[i] = v->kind == ND_VAL_VECTOR ? v->as.vec.x[i]
                    : v->kind == ND_VAL_LIST   ? v->as.list.items[i]->as.num : v->as.num;
        *n = k;
    }
    nd_value_unref(v);
    return st;
}

nd_status nd_arg_bool(const nd_cmd_ctx *ctx, const nd_arg *arg, int *out, nd_error *err)
{
    nd_value *v;
    nd_status st = eval_kind(ctx, arg, ND_VAL_BOOL, "true or false", &v, err);
    if (st == ND_OK) *out = v->as.truth;
    nd_value_unref(v);
    return st;
}

nd_status nd_arg_string(const nd_cmd_ctx *ctx, const nd_arg *arg, char **out, nd_error *err)
{
    nd_value *v;
    nd_status st = eval_kind(ctx, arg, ND_VAL_STRING, "a string", &v, err);
    if (st == ND_OK && !(*out = strdup(v->as.str)))
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_value_unref(v);
    return st;
}

nd_status nd_arg_range(const nd_cmd_ctx *ctx, const nd_arg *arg, double *lo, double *hi,
                       nd_error *err)
{
    nd_value *v;
    nd_status st = eval_kind(ctx, arg, ND_VAL_RANGE, "a range lo..hi", &v, err);
    if (st == ND_OK) {
        *lo = v->as.range.lo;
        *hi = v->as.range.hi;
    }
    nd_value_unref(v);
    return st;
}

nd_status nd_arg_name(const nd_cmd_ctx *ctx, const nd_arg *arg, const char **out, nd_error *err)
{
    if (arg->value->kind != ND_EXPR_NAME) {
        char who[96];
        return nd_arg_error(arg, err, ND_ESYNTAX, "%s expects a name",
                            describe(ctx, arg, who, sizeof who));
    }
    *out = arg->value->str;
    return ND_OK;
}

nd_status nd_arg_opt_number(const nd_cmd_ctx *ctx, const char *key, double dflt, double *out,
                            nd_error *err)
{
    const nd_arg *a = nd_arg_opt(ctx, key);
    *out = dflt;
    return a ? nd_arg_number(ctx, a, out, err) : ND_OK;
}

nd_status nd_arg_opt_whole(const nd_cmd_ctx *ctx, const char *key, double dflt, double lo,
                           double hi, double *out, nd_error *err)
{
    nd_status st = nd_arg_opt_number(ctx, key, dflt, out, err);
    if (st == ND_OK && !(*out >= lo && *out <= hi && *out == floor(*out)))
        st = nd_arg_error(nd_arg_opt(ctx, key), err, ND_EVALUE,
                          "%s must be a whole number from %g to %g", key, lo, hi);
    return st;
}

nd_status nd_arg_opt_bool(const nd_cmd_ctx *ctx, const char *key, int dflt, int *out,
                          nd_error *err)
{
    const nd_arg *a = nd_arg_opt(ctx, key);
    *out = dflt;
    return a ? nd_arg_bool(ctx, a, out, err) : ND_OK;
}

nd_status nd_arg_opt_string(const nd_cmd_ctx *ctx, const char *key, const char *dflt,
                            char **out, nd_error *err)
{
    const nd_arg *a = nd_arg_opt(ctx, key);
    if (a) return nd_arg_string(ctx, a, out, err);
    *out = NULL;
    if (dflt && !(*out = strdup(dflt))) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    return ND_OK;
}

nd_status nd_arg_opt_range(const nd_cmd_ctx *ctx, const char *key, double dflt_lo,
                           double dflt_hi, double *lo, double *hi, nd_error *err)
{
    const nd_arg *a = nd_arg_opt(ctx, key);
    *lo = dflt_lo;
    *hi = dflt_hi;
    return a ? nd_arg_range(ctx, a, lo, hi, err) : ND_OK;
}

nd_status nd_arg_opt_word(const nd_cmd_ctx *ctx, const char *key, const char *dflt,
                          char **out, nd_error *err)
{
    const nd_arg *a = nd_arg_opt(ctx, key);
    if (a && a->value->kind != ND_EXPR_NAME) return nd_arg_string(ctx, a, out, err);
    const char *word = a ? a->value->str : dflt;
    *out = word ? strdup(word) : NULL;
    return word && !*out ? nd_error_fail(err, ND_ENOMEM, "out of memory") : ND_OK;
}
