/* Compilation of a checked model: the right-hand side, its symbolic Jacobians with respect
   to the states and the parameters, the terms, and the events and resets of the whens.
   Everything is inlined first, so each piece is one nd_code over [t, states, parameters]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../expr/diff.h"
#include "model_impl.h"

int md_resolve(void *ctx, const char *name)
{
    const md_def *d = ctx;
    if (strcmp(name, "t") == 0) return 0;
    int i = md_index(d, ND_MODEL_STATE, name);
    if (i >= 0) return 1 + i;
    i = md_index(d, ND_MODEL_PAR, name);
    return i >= 0 ? 1 + (int)d->list[ND_MODEL_STATE].count + i : -1;
}

static void free_exprs(nd_expr **e, size_t n)
{
    if (!e) return;
    for (size_t i = 0; i < n; i++) nd_expr_free(e[i]);
    free(e);
}

/* Compiles exprs[0..n) into *code (left NULL when n is 0) and frees them. */
static nd_status compile(md_def *d, nd_expr **exprs, size_t n, nd_code **code, nd_error *err)
{
    nd_status st = ND_OK;
    if (n && !(*code = nd_code_compile((const nd_expr *const *)exprs, n, md_resolve, d, err)))
        st = err && err->code ? err->code : ND_EINTERNAL;
    free_exprs(exprs, n);
    return st;
}

/* Inlines the n trees src[i] (stride apart in memory) into a new array. */
static nd_expr **inline_all(md_def *d, nd_expr *const *src, size_t n, nd_error *err)
{
    nd_expr **out = calloc(n ? n : 1, sizeof *out);
    if (!out) {
        nd_error_fail(err, ND_ENOMEM, "out of memory while compiling the model");
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        if (!(out[i] = md_inline(d, src[i], NULL, 0, err))) {
            free_exprs(out, n);
            return NULL;
        }
    return out;
}

static nd_expr **item_exprs(const md_def *d, nd_model_kind kind, nd_error *err)
{
    size_t n = d->list[kind].count;
    nd_expr **e = calloc(n ? n : 1, sizeof *e);
    if (!e) nd_error_fail(err, ND_ENOMEM, "out of memory while compiling the model");
    else
        for (size_t i = 0; i < n; i++) e[i] = d->list[kind].items[i].expr;
    return e;
}

/* Differentiates every f[i] by every name of list kind, row-major; NULL with err filled
   when a function cannot be differentiated. */
static nd_expr **derivatives(const md_def *d, nd_expr *const *f, nd_model_kind kind, nd_error *err)
{
    size_t n = d->list[ND_MODEL_STATE].count, m = d->list[kind].count;
    nd_expr **J = calloc(n * m > 0 ? n * m : 1, sizeof *J);
    if (!J) {
        nd_error_fail(err, ND_ENOMEM, "out of memory while differentiating the model");
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++)
            if (!(J[i * m + j] = nd_expr_diff(f[i], d->list[kind].items[j].name, err))) {
                free_exprs(J, n * m);
                return NULL;
            }
    return J;
}

static nd_status add_note(md_def *d, const char *note, nd_error *err)
{
    size_t old = d->notes ? strlen(d->notes) : 0;
    char *s = realloc(d->notes, old + strlen(note) + 2);
    if (!s) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    strcpy(s + old, note);
    strcat(s + old, "\n");
    d->notes = s;
    return ND_OK;
}

/* Beyond this many nodes in the inlined right-hand sides the symbolic derivatives (whose
   size grows with the square of a product's length) are not attempted: a machine-made
   model of a few kB could otherwise need gigabytes. */
enum { JACOBIAN_MAX_NODES = 100000 };

/* Counts the nodes of e, stopping once the count passes limit. */
static size_t count_nodes(const nd_expr *e, size_t limit)
{
    if (!e) return 0;
    size_t n = 1;
    if (n <= limit) n += count_nodes(e->a, limit - n);
    if (n <= limit) n += count_nodes(e->b, limit - n);
    for (size_t i = 0; i < e->nitems && n <= limit; i++) n += count_nodes(e->items[i], limit - n);
    return n;
}

/* Jacobians are a convenience (solvers fall back to finite differences), so a model with a
   function the differentiator does not know, or too large to differentiate, still compiles,
   with a note. */
static nd_status build_jacobians(md_def *d, nd_expr *const *f, nd_error *err)
{
    size_t n = d->list[ND_MODEL_STATE].count, np = d->list[ND_MODEL_PAR].count, nodes = 0;
    for (size_t i = 0; i < n && nodes <= JACOBIAN_MAX_NODES; i++)
        nodes += count_nodes(f[i], JACOBIAN_MAX_NODES - nodes);
    if (nodes > JACOBIAN_MAX_NODES)
        return add_note(d, "no symbolic Jacobian (the right-hand sides, with terms and "
                           "functions expanded, exceed 100000 operations); solvers use "
                           "finite differences", err);
    nd_error derr;
    nd_error_clear(&derr);
    nd_expr **J = derivatives(d, f, ND_MODEL_STATE, &derr);
    nd_expr **Jp = J && np ? derivatives(d, f, ND_MODEL_PAR, &derr) : NULL;
    if (!J || (np && !Jp)) {
        free_exprs(J, n * n);
        if (derr.code == ND_ENOMEM) return nd_error_fail(err, ND_ENOMEM, "%s", derr.msg);
        char note[600];
        snprintf(note, sizeof note, "no symbolic Jacobian (%s); solvers use finite differences",
                 derr.msg);
        return add_note(d, note, err);
    }
    nd_status st = compile(d, J, n * n, &d->jac, err);
    if (!st) st = compile(d, Jp, n * np, &d->jacp, err);
    else free_exprs(Jp, n * np);
    return st;
}

nd_code *md_build_fused(md_def *d)
{
    if (!d->jac) return NULL;
    size_t n = d->list[ND_MODEL_STATE].count, np = d->list[ND_MODEL_PAR].count;
    size_t total = n + n * n + n * np;
    nd_error err;
    nd_error_clear(&err);
    nd_expr **src = item_exprs(d, ND_MODEL_STATE, &err);
    nd_expr **f = src ? inline_all(d, src, n, &err) : NULL;
    free(src);
    nd_expr **J = f ? derivatives(d, f, ND_MODEL_STATE, &err) : NULL;
    nd_expr **Jp = J && np ? derivatives(d, f, ND_MODEL_PAR, &err) : NULL;
    nd_expr **all = J && (Jp || !np) ? calloc(total, sizeof *all) : NULL;
    nd_code *code = NULL;
    if (all) {
        memcpy(all, f, n * sizeof *all);
        memcpy(all + n, J, n * n * sizeof *all);
        if (np) memcpy(all + n + n * n, Jp, n * np * sizeof *all);
        free(f), free(J), free(Jp);
        compile(d, all, total, &code, &err);   /* frees all */
        return code;
    }
    free_exprs(f, n);
    free_exprs(J, n * n);
    free_exprs(Jp, n * np);
    return NULL;
}

/* g_k = hi - lo for every when, so that the event is g_k crossing zero upward. */
static nd_status build_events(md_def *d, nd_error *err)
{
    size_t n = d->nwhens;
    nd_expr **g = calloc(n ? n : 1, sizeof *g);
    if (!g) return nd_error_fail(err, ND_ENOMEM, "out of memory while compiling the model");
    for (size_t k = 0; k < n; k++) {
        const nd_expr *c = d->whens[k].cond;
        nd_expr *diff = nd_expr_new(ND_EXPR_BINARY, c->line, c->col, c->span);
        if (diff) {
            diff->op = ND_OP_SUB;
            diff->a = d->whens[k].hi;
            diff->b = d->whens[k].lo;
            g[k] = md_inline(d, diff, NULL, 0, err);
            diff->a = diff->b = NULL;  /* borrowed from the condition */
            nd_expr_free(diff);
        }
        if (!g[k]) {
            free_exprs(g, n);
            return diff ? err->code : nd_error_fail(err, ND_ENOMEM, "out of memory");
        }
    }
    nd_status st = md_event_derivs(d, g, err);
    if (st) free_exprs(g, n);
    else st = compile(d, g, n, &d->events, err);
    for (size_t k = 0; k < n && !st; k++) {
        md_when *w = &d->whens[k];
        nd_expr **v = inline_all(d, w->value, w->nassign, err);
        if (v && (st = md_reset_derivs(d, w, v, err))) free_exprs(v, w->nassign);
        else st = v ? compile(d, v, w->nassign, &w->reset, err) : err->code;
    }
    return st;
}

nd_status md_build(md_def *d, nd_error *err)
{
    size_t n = d->list[ND_MODEL_STATE].count, nt = d->list[ND_MODEL_TERM].count;
    nd_expr **src = item_exprs(d, ND_MODEL_STATE, err);
    nd_expr **f = src ? inline_all(d, src, n, err) : NULL;
    free(src);
    if (!f) return err->code;
    nd_status st = build_jacobians(d, f, err);
    if (!st) st = compile(d, f, n, &d->rhs, err);
    else free_exprs(f, n);
    if (st) return st;
    if (!(src = item_exprs(d, ND_MODEL_TERM, err))) return err->code;
    nd_expr **terms = inline_all(d, src, nt, err);
    free(src);
    if (!terms) return err->code;
    if ((st = compile(d, terms, nt, &d->terms, err))) return st;
    return build_events(d, err);
}
