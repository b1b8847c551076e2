/* A direct tree walk: command-language expressions are small and run once, so there is
   nothing to gain from compiling them. Arithmetic is IEEE (1/0 is inf). */
#include "eval.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "../base/suggest.h"
#include "../expr/functions.h"
#include "../expr/parse.h"
#include "fields.h"
#include "vecops.h"

static const char *const literal_names[] = {"true", "false", "none"};

int nd_eval_is_reserved(const char *name)
{
    for (size_t i = 0; i < 3; i++)
        if (strcmp(name, literal_names[i]) == 0) return 1;
    return nd_expr_is_keyword(name);
}

static nd_status at(const nd_expr *e, nd_error *err, nd_status code, const char *msg)
{
    return nd_error_set(err, code, e->line, e->col, e->span, "%s", msg);
}

static nd_status oom(nd_error *err)
{
    return nd_error_fail(err, ND_ENOMEM, "out of memory while evaluating");
}

/* Wraps a freshly made value: NULL means the allocation failed. */
static nd_status made(nd_value *v, nd_value **out, nd_error *err)
{
    *out = v;
    return v ? ND_OK : oom(err);
}

/* NameError for e's name, with the closest candidate offered to s when there is one. */
static nd_status unknown(const nd_expr *e, int span, const char *what, const nd_suggest *s,
                         nd_error *err)
{
    char msg[256];
    snprintf(msg, sizeof msg, what, e->str);
    const char *best = nd_suggest_best(s);
    if (best)
        return nd_error_set(err, ND_ENAME, e->line, e->col, span, "%s; did you mean '%s'?", msg, best);
    return nd_error_set(err, ND_ENAME, e->line, e->col, span, "%s", msg);
}

/* A failure of vecops (code and message) located at e. */
static nd_status vec_error(const nd_expr *e, nd_status st, const char *msg, nd_error *err)
{
    return st == ND_ENOMEM ? oom(err) : at(e, err, st, msg);
}

static nd_status eval_name(const nd_expr *e, const nd_ws *ws, nd_value **out, nd_error *err)
{
    nd_value *v = nd_ws_get(ws, e->str);
    if (v) return made(nd_value_ref(v), out, err);
    const char *dot = strchr(e->str, '.');
    if (dot) {
        nd_status st = nd_fields_resolve(ws, e->str, e->line, e->col, out, err);
        if (st != ND_OK || *out) return st;
        /* Nothing before the dot is bound: report that first part. */
        nd_expr head = *e;
        char *name = strndup(e->str, (size_t)(dot - e->str));
        if (!name) return oom(err);
        head.str = name;
        st = eval_name(&head, ws, out, err);
        free(name);
        return st;
    }
    double x;
    if (nd_const_find(e->str, &x)) return made(nd_value_number(x), out, err);
    if (strcmp(e->str, "true") == 0) return made(nd_value_bool(1), out, err);
    if (strcmp(e->str, "false") == 0) return made(nd_value_bool(0), out, err);
    if (strcmp(e->str, "none") == 0) return made(nd_value_none(), out, err);

    nd_suggest s;
    nd_suggest_init(&s, e->str);
    for (size_t i = 0; i < nd_ws_count(ws); i++) nd_suggest_offer(&s, nd_ws_name(ws, i));
    for (size_t i = 0; nd_const_name(i); i++) nd_suggest_offer(&s, nd_const_name(i));
    for (size_t i = 0; i < 3; i++) nd_suggest_offer(&s, literal_names[i]);
    return unknown(e, (int)strlen(e->str), "name '%s' is not defined", &s, err);
}

/* min max mean std sum len of one vector or list. */
static nd_status eval_reduce(const nd_expr *e, const nd_ws *ws, nd_value **out, nd_error *err)
{
    if (e->nitems != 1)
        return nd_error_set(err, ND_ETYPE, e->line, e->col, e->span,
                            "%s() takes 1 argument (%zu given)", e->str, e->nitems);
    nd_value *v;
    nd_status st = nd_eval(e->items[0], ws, &v, err);
    if (st != ND_OK) return st;
    char msg[256];
    st = nd_reduce(e->str, v, out, msg, sizeof msg);
    nd_value_unref(v);
    return st == ND_OK ? ND_OK : vec_error(e->items[0], st, msg, err);
}

/* Evaluates the arguments of a call into vals (all of them, or none on failure). */
static nd_status eval_args(const nd_expr *e, const nd_ws *ws, nd_value **vals, nd_error *err)
{
    for (size_t i = 0; i < e->nitems; i++) {
        nd_status st = nd_eval(e->items[i], ws, &vals[i], err);
        if (st != ND_OK) {
            while (i-- > 0) {
                nd_value_unref(vals[i]);
                vals[i] = NULL;
            }
            return st;
        }
    }
    return ND_OK;
}

static nd_status eval_call(const nd_expr *e, const nd_ws *ws, nd_value **out, nd_error *err)
{
    if (nd_reduce_applies(e->str, e->nitems)) return eval_reduce(e, ws, out, err);
    const nd_func *f = nd_func_find(e->str);
    if (!f) {
        nd_suggest s;
        nd_suggest_init(&s, e->str);
        for (size_t i = 0; i < nd_func_count(); i++) nd_suggest_offer(&s, nd_func_at(i)->name);
        return unknown(e, (int)strlen(e->str), "unknown function '%s'", &s, err);
    }
    if (!nd_func_accepts(f, (int)e->nitems)) {
        const char *count = f->max_args < 0 ? "at least " : "";
        return nd_error_set(err, ND_ETYPE, e->line, e->col, e->span,
                            "%s() takes %s%d argument%s (%zu given)", f->name, count,
                            f->min_args, f->min_args == 1 ? "" : "s", e->nitems);
    }
    size_t n = e->nitems;
    double args[16], *a = n <= 16 ? args : malloc(n * sizeof *a);
    nd_value *vstack[16] = {0}, **vals = n <= 16 ? vstack : calloc(n, sizeof *vals);
    nd_status st = a && vals ? eval_args(e, ws, vals, err) : oom(err);
    int mapped = 0;
    for (size_t i = 0; st == ND_OK && i < n; i++) {
        if (vals[i]->kind == ND_VAL_NUMBER) a[i] = vals[i]->as.num;
        else if (nd_vec_like(vals[i])) mapped = 1;   /* the function maps over its numbers */
        else {
            char t[64];
            const nd_expr *x = e->items[i];
            st = nd_error_set(err, ND_ETYPE, x->line, x->col, x->span,
                              "argument %zu of %s() must be a number or a vector, not %s", i + 1,
                              f->name, nd_value_a_type(vals[i], t, sizeof t));
        }
    }
    if (st == ND_OK && mapped) {
        char msg[256];
        st = nd_vec_map(f->eval, (const nd_value *const *)vals, n, out, msg, sizeof msg);
        if (st != ND_OK) st = vec_error(e, st, msg, err);
    } else if (st == ND_OK) {
        st = made(nd_value_number(f->eval(a, (int)n)), out, err);
    }
    for (size_t i = 0; vals && i < n; i++) nd_value_unref(vals[i]);
    if (a != args) free(a);
    if (vals != vstack) free(vals);
    return st;
}

static nd_status eval_list(const nd_expr *e, const nd_ws *ws, nd_value **out, nd_error *err)
{
    nd_value **items = e->nitems ? calloc(e->nitems, sizeof *items) : NULL;
    if (e->nitems && !items) return oom(err);
    for (size_t i = 0; i < e->nitems; i++) {
        nd_status st = nd_eval(e->items[i], ws, &items[i], err);
        if (st != ND_OK) {
            while (i-- > 0) nd_value_unref(items[i]);
            free(items);
            return st;
        }
    }
    nd_status st = made(nd_value_list(items, e->nitems), out, err);
    free(items);
    return st;
}

/* TypeError "<what> a number and a string <tail>" located at e. */
static nd_status type_error2(const nd_expr *e, const char *what, const nd_value *a,
                             const nd_value *b, const char *tail, nd_error *err)
{
    char ta[64], tb[64];
    return nd_error_set(err, ND_ETYPE, e->line, e->col, e->span, "%s %s and %s%s", what,
                        nd_value_a_type(a, ta, sizeof ta), nd_value_a_type(b, tb, sizeof tb), tail);
}

/* Applies an ordering operator to the sign c of a three-way comparison. */
static int ordered(nd_binop op, int c)
{
    switch (op) {
    case ND_OP_LT: return c < 0;
    case ND_OP_LE: return c <= 0;
    case ND_OP_GT: return c > 0;
    default:       return c >= 0;
    }
}

static nd_status compare(const nd_expr *e, const nd_value *a, const nd_value *b,
                         nd_value **out, nd_error *err)
{
    if (e->op == ND_OP_EQ || e->op == ND_OP_NE) {
        int eq = nd_value_equal(a, b);
        return made(nd_value_bool(e->op == ND_OP_EQ ? eq : !eq), out, err);
    }
    if (a->kind == ND_VAL_NUMBER && b->kind == ND_VAL_NUMBER) {
        double x = a->as.num, y = b->as.num;
        /* With nan every ordering is false, as IEEE says. */
        int r = !isnan(x) && !isnan(y) && ordered(e->op, (x > y) - (x < y));
        return made(nd_value_bool(r), out, err);
    }
    if (a->kind == ND_VAL_STRING && b->kind == ND_VAL_STRING)
        return made(nd_value_bool(ordered(e->op, strcmp(a->as.str, b->as.str))), out, err);
    char tail[32];
    snprintf(tail, sizeof tail, " with '%s'", nd_expr_op_name(e->op));
    return type_error2(e, "cannot compare", a, b, tail, err);
}

static nd_status concat(const nd_value *a, const nd_value *b, nd_value **out, nd_error *err)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_puts(&sb, a->as.str);
    nd_sb_puts(&sb, b->as.str);
    char *s = nd_sb_take(&sb);
    nd_status st = s ? made(nd_value_string(s), out, err) : oom(err);
    free(s);
    return st;
}

static nd_status arithmetic(const nd_expr *e, const nd_value *a, const nd_value *b,
                            nd_value **out, nd_error *err)
{
    if (e->op == ND_OP_ADD && a->kind == ND_VAL_STRING && b->kind == ND_VAL_STRING)
        return concat(a, b, out, err);
    if (nd_vec_like(a) || nd_vec_like(b)) {
        char msg[256];
        nd_status st = nd_vec_binop(e->op, a, b, out, msg, sizeof msg);
        return st == ND_OK ? ND_OK : vec_error(e, st, msg, err);
    }
    if (a->kind != ND_VAL_NUMBER || b->kind != ND_VAL_NUMBER) {
        char what[32];
        snprintf(what, sizeof what, "cannot apply '%s' to", nd_expr_op_name(e->op));
        return type_error2(e, what, a, b, "", err);
    }
    double x = a->as.num, y = b->as.num, r;
    switch (e->op) {
    case ND_OP_ADD: r = x + y; break;
    case ND_OP_SUB: r = x - y; break;
    case ND_OP_MUL: r = x * y; break;
    case ND_OP_DIV: r = x / y; break;
    default:        r = pow(x, y); break;
    }
    return made(nd_value_number(r), out, err);
}

/* and / or look at their right side only when the left does not decide. */
static nd_status logic(const nd_expr *e, const nd_ws *ws, nd_value **out, nd_error *err)
{
    const char *op = nd_expr_op_name(e->op);
    for (int side = 0; side < 2; side++) {
        const nd_expr *x = side ? e->b : e->a;
        nd_value *v;
        nd_status st = nd_eval(x, ws, &v, err);
        if (st != ND_OK) return st;
        if (v->kind != ND_VAL_BOOL) {
            char t[64];
            nd_error_set(err, ND_ETYPE, x->line, x->col, x->span,
                         "'%s' expects true or false, not %s", op, nd_value_a_type(v, t, sizeof t));
            nd_value_unref(v);
            return ND_ETYPE;
        }
        int decided = e->op == ND_OP_AND ? !v->as.truth : v->as.truth;
        if (decided || side == 1) {
            *out = v;
            return ND_OK;
        }
        nd_value_unref(v);
    }
    return ND_OK;
}

/* Evaluates both operands of a binary node; on failure nothing is left to free. */
static nd_status eval_operands(const nd_expr *e, const nd_ws *ws, nd_value **a, nd_value **b,
                               nd_error *err)
{
    nd_status st = nd_eval(e->a, ws, a, err);
    if (st != ND_OK) return st;
    st = nd_eval(e->b, ws, b, err);
    if (st != ND_OK) nd_value_unref(*a);
    return st;
}

static nd_status eval_binary(const nd_expr *e, const nd_ws *ws, nd_value **out, nd_error *err)
{
    if (e->op == ND_OP_AND || e->op == ND_OP_OR) return logic(e, ws, out, err);
    nd_value *a, *b;
    nd_status st = eval_operands(e, ws, &a, &b, err);
    if (st != ND_OK) return st;
    if (e->op >= ND_OP_LT) st = compare(e, a, b, out, err);
    else st = arithmetic(e, a, b, out, err);
    nd_value_unref(a);
    nd_value_unref(b);
    return st;
}

static nd_status eval_unary(const nd_expr *e, const nd_ws *ws, nd_value **out, nd_error *err)
{
    nd_value *v;
    nd_status st = nd_eval(e->a, ws, &v, err);
    if (st != ND_OK) return st;
    int neg = e->kind == ND_EXPR_NEG;
    if (neg && v->kind == ND_VAL_NUMBER) st = made(nd_value_number(-v->as.num), out, err);
    else if (neg && nd_vec_like(v)) {
        char msg[256];
        if ((st = nd_vec_neg(v, out, msg, sizeof msg)) != ND_OK) st = vec_error(e, st, msg, err);
    }
    else if (!neg && v->kind == ND_VAL_BOOL) st = made(nd_value_bool(!v->as.truth), out, err);
    else {
        char t[64];
        st = nd_error_set(err, ND_ETYPE, e->line, e->col, e->span, "cannot apply '%s' to %s",
                          neg ? "-" : "not", nd_value_a_type(v, t, sizeof t));
    }
    nd_value_unref(v);
    return st;
}

static nd_status eval_range(const nd_expr *e, const nd_ws *ws, nd_value **out, nd_error *err)
{
    nd_value *a, *b;
    nd_status st = eval_operands(e, ws, &a, &b, err);
    if (st != ND_OK) return st;
    if (a->kind == ND_VAL_NUMBER && b->kind == ND_VAL_NUMBER)
        st = made(nd_value_range(a->as.num, b->as.num), out, err);
    else
        st = type_error2(e, "the bounds of a range must be numbers, not", a, b, "", err);
    nd_value_unref(a);
    nd_value_unref(b);
    return st;
}

/* x[i]: 1-based, negative from the end. */
static nd_status eval_index(const nd_expr *e, const nd_ws *ws, nd_value **out, nd_error *err)
{
    nd_value *a, *b;
    nd_status st = eval_operands(e, ws, &a, &b, err);
    if (st != ND_OK) return st;
    char msg[256];
    if (b->kind != ND_VAL_NUMBER) {
        char t[64];
        st = nd_error_set(err, ND_ETYPE, e->b->line, e->b->col, e->b->span,
                          "an index must be a number, not %s", nd_value_a_type(b, t, sizeof t));
    } else if ((st = nd_value_index(a, b->as.num, out, msg, sizeof msg)) != ND_OK) {
        st = vec_error(st == ND_ETYPE ? e->a : e->b, st, msg, err);
    }
    nd_value_unref(a);
    nd_value_unref(b);
    return st;
}

/* (x).name after an index or bracket: the field name closes the node. */
static nd_status eval_field(const nd_expr *e, const nd_ws *ws, nd_value **out, nd_error *err)
{
    nd_value *v;
    nd_status st = nd_eval(e->a, ws, &v, err);
    if (st != ND_OK) return st;
    nd_sb what;
    nd_sb_init(&what);
    nd_expr_text(e->a, &what);
    int len = (int)strlen(e->str);
    int col = e->span > len ? e->col + e->span - len : e->col;
    st = what.oom ? oom(err)
                  : nd_fields_get(v, nd_sb_str(&what), e->str, e->line, col, len, out, err);
    nd_sb_free(&what);
    nd_value_unref(v);
    return st;
}

nd_status nd_eval(const nd_expr *e, const nd_ws *ws, nd_value **out, nd_error *err)
{
    *out = NULL;
    switch (e->kind) {
    case ND_EXPR_NUMBER: return made(nd_value_number(e->num), out, err);
    case ND_EXPR_STRING: return made(nd_value_string(e->str), out, err);
    case ND_EXPR_NAME:   return eval_name(e, ws, out, err);
    case ND_EXPR_NEG:
    case ND_EXPR_NOT:    return eval_unary(e, ws, out, err);
    case ND_EXPR_BINARY: return eval_binary(e, ws, out, err);
    case ND_EXPR_CALL:   return eval_call(e, ws, out, err);
    case ND_EXPR_LIST:   return eval_list(e, ws, out, err);
    case ND_EXPR_RANGE:  return eval_range(e, ws, out, err);
    case ND_EXPR_INDEX:  return eval_index(e, ws, out, err);
    case ND_EXPR_FIELD:  return eval_field(e, ws, out, err);
    }
    return at(e, err, ND_EINTERNAL, "unknown expression kind");
}
