/* Inlining: a model expression becomes one tree over t, states and parameters, with user
   functions expanded (arguments substituted for their parameters), named terms replaced
   by their definitions and the constants pi/inf/nan by numbers. This is what the compiler
   and the symbolic differentiator see. */
#include <stdlib.h>
#include <string.h>

#include "../expr/functions.h"
#include "../expr/treeval.h"
#include "model_impl.h"

/* Inlining can grow a tree exponentially (a = b + b, b = c + c, ...): refuse past this. */
enum { NODE_BUDGET = 2000000 };

typedef struct inliner {
    const md_def *def;
    const char *const *keep;
    size_t nkeep;
    size_t budget;
    int depth;          /* expand frames on the stack: the height of the tree so far */
    nd_error *err;
} inliner;

static int kept(const inliner *x, const char *name)
{
    for (size_t i = 0; i < x->nkeep; i++)
        if (strcmp(x->keep[i], name) == 0) return 1;
    return 0;
}

static nd_expr *expand(inliner *x, const nd_expr *e, const md_item *fn, nd_expr *const *args);

/* A new node like e (kind, place, number, name, operator) without children. */
static nd_expr *shallow(inliner *x, const nd_expr *e)
{
    nd_expr *n = nd_expr_new(e->kind, e->line, e->col, e->span);
    if (n) {
        n->num = e->num;
        n->op = e->op;
        if (e->str && !(n->str = strdup(e->str))) {
            nd_expr_free(n);
            n = NULL;
        }
    }
    if (!n) nd_error_fail(x->err, ND_ENOMEM, "out of memory while inlining the model");
    return n;
}

static nd_expr *expand_name(inliner *x, const nd_expr *e, const md_item *fn, nd_expr *const *args)
{
    if (fn)
        for (size_t i = 0; i < fn->nparams; i++)
            if (strcmp(fn->params[i], e->str) == 0) {
                nd_expr *c = nd_expr_copy(args[i]);
                if (!c) nd_error_fail(x->err, ND_ENOMEM, "out of memory while inlining the model");
                return c;
            }
    double value;
    if (nd_const_find(e->str, &value)) {
        nd_expr *n = nd_expr_new(ND_EXPR_NUMBER, e->line, e->col, e->span);
        if (!n) nd_error_fail(x->err, ND_ENOMEM, "out of memory while inlining the model");
        else n->num = value;
        return n;
    }
    int term = fn ? -1 : md_index(x->def, ND_MODEL_TERM, e->str);
    if (term >= 0 && !kept(x, e->str))
        return expand(x, x->def->list[ND_MODEL_TERM].items[term].expr, NULL, NULL);
    return shallow(x, e);
}

static nd_expr *expand_call(inliner *x, const nd_expr *e, const md_item *fn, nd_expr *const *args)
{
    int idx = md_index(x->def, ND_MODEL_FN, e->str);
    const md_item *f = idx >= 0 ? &x->def->list[ND_MODEL_FN].items[idx] : NULL;
    if (!f && !nd_func_find(e->str)) {
        nd_error_set(x->err, ND_ENAME, e->line, e->col, (int)strlen(e->str), "unknown function '%s'",
                     e->str);
        return NULL;
    }
    if (f && f->nparams != e->nitems) {
        nd_error_set(x->err, ND_ESYNTAX, e->line, e->col, e->span, "'%s' takes %zu arguments, got %zu",
                     e->str, f->nparams, e->nitems);
        return NULL;
    }
    nd_expr **items = calloc(e->nitems ? e->nitems : 1, sizeof *items);
    nd_expr *out = NULL;
    size_t done = 0;
    if (!items) {
        nd_error_fail(x->err, ND_ENOMEM, "out of memory while inlining the model");
        return NULL;
    }
    for (; done < e->nitems; done++)
        if (!(items[done] = expand(x, e->items[done], fn, args))) break;
    if (done == e->nitems) {
        if (f) {
            out = expand(x, f->expr, f, items);
        } else if ((out = shallow(x, e))) {
            out->items = items;
            out->nitems = e->nitems;
            return out;
        }
    }
    for (size_t i = 0; i < done; i++) nd_expr_free(items[i]);
    free(items);
    return out;
}

static nd_expr *expand_node(inliner *x, const nd_expr *e, const md_item *fn,
                           nd_expr *const *args);

static nd_expr *expand(inliner *x, const nd_expr *e, const md_item *fn, nd_expr *const *args)
{
    if (x->budget == 0) {
        nd_error_fail(x->err, ND_ENOMEM, "the model is too large once its terms and functions "
                      "are inlined (over %d nodes)", NODE_BUDGET);
        return NULL;
    }
    if (x->depth >= MD_MAX_NESTING) {
        nd_error_set(x->err, ND_EVALUE, e->line, e->col, e->span, "the model nests more than "
                     "%d levels deep once its terms and functions are inlined", MD_MAX_NESTING);
        return NULL;
    }
    x->budget--;
    x->depth++;
    nd_expr *n = expand_node(x, e, fn, args);
    x->depth--;
    return n;
}

static nd_expr *expand_node(inliner *x, const nd_expr *e, const md_item *fn,
                            nd_expr *const *args)
{
    if (e->kind == ND_EXPR_NAME) return expand_name(x, e, fn, args);
    if (e->kind == ND_EXPR_CALL) return expand_call(x, e, fn, args);
    nd_expr *n = shallow(x, e);
    if (!n) return NULL;
    if ((e->a && !(n->a = expand(x, e->a, fn, args))) || (e->b && !(n->b = expand(x, e->b, fn, args)))) {
        nd_expr_free(n);
        return NULL;
    }
    if (e->nitems) {
        if (!(n->items = calloc(e->nitems, sizeof *n->items))) {
            nd_expr_free(n);
            nd_error_fail(x->err, ND_ENOMEM, "out of memory while inlining the model");
            return NULL;
        }
        for (; n->nitems < e->nitems; n->nitems++)
            if (!(n->items[n->nitems] = expand(x, e->items[n->nitems], fn, args))) {
                nd_expr_free(n);
                return NULL;
            }
    }
    return n;
}

nd_expr *md_inline(const md_def *def, const nd_expr *e, const char *const *keep, size_t nkeep,
                   nd_error *err)
{
    inliner x = {def, keep, nkeep, NODE_BUDGET, 0, err};
    return expand(&x, e, NULL, NULL);
}

/* Finds the first thing that keeps e from being a constant. */
static nd_status check_const(const nd_expr *e, const char *what, nd_error *err)
{
    double v;
    switch (e->kind) {
    case ND_EXPR_NUMBER:
        return ND_OK;
    case ND_EXPR_NAME:
        if (nd_const_find(e->str, &v)) return ND_OK;
        return nd_error_set(err, ND_ENAME, e->line, e->col, e->span,
                            "%s is a constant expression: '%s' cannot appear in it (values "
                            "cannot refer to parameters; use a term for a derived quantity)",
                            what, e->str);
    case ND_EXPR_CALL: {
        const nd_func *f = nd_func_find(e->str);
        if (!f)
            return nd_error_set(err, ND_ENAME, e->line, e->col, (int)strlen(e->str),
                                "%s is a constant expression: only math functions can be "
                                "called in it, not '%s'", what, e->str);
        if (!nd_func_accepts(f, (int)e->nitems))
            return nd_error_set(err, ND_ESYNTAX, e->line, e->col, e->span,
                                "wrong number of arguments (%zu) for %s", e->nitems, f->signature);
        for (size_t i = 0; i < e->nitems; i++) {
            nd_status st = check_const(e->items[i], what, err);
            if (st) return st;
        }
        return ND_OK;
    }
    case ND_EXPR_NEG:
    case ND_EXPR_BINARY: {
        nd_status st = check_const(e->a, what, err);
        return st || !e->b ? st : check_const(e->b, what, err);
    }
    default:
        return nd_error_set(err, ND_ETYPE, e->line, e->col, e->span, "%s must be a number", what);
    }
}

nd_status md_const_eval(const nd_expr *e, const char *what, double *out, nd_error *err)
{
    nd_status st = check_const(e, what, err);
    if (!st) *out = nd_expr_eval_num(e, NULL, NULL, NULL);
    return st;
}
