/* Checks that run once the whole model text is read: every name resolves, terms and
   functions do not depend on themselves, and the statements that name things defined
   elsewhere (init, doc, when, set, stim) find them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/suggest.h"
#include "../expr/functions.h"
#include "model_impl.h"

static const char *const kind_names[] = {"state variable", "parameter", "term", "function"};

/* What an expression may refer to. */
typedef struct scope {
    const md_def *def;
    const md_item *fn;     /* inside a function body: its parameters, parameters, t */
} scope;

static nd_status at_expr(nd_error *err, nd_status code, const nd_expr *e, const char *msg)
{
    return nd_error_set(err, code, e->line, e->col, e->span, "%s", msg);
}

/* NameError for an unknown name, with the closest known name as a suggestion. */
static nd_status unknown(const scope *s, const nd_expr *e, const char *what, nd_error *err)
{
    nd_suggest sg;
    nd_suggest_init(&sg, e->str);
    for (int k = 0; k < 4; k++)
        for (size_t i = 0; i < s->def->list[k].count; i++)
            nd_suggest_offer(&sg, s->def->list[k].items[i].name);
    if (s->fn)
        for (size_t i = 0; i < s->fn->nparams; i++) nd_suggest_offer(&sg, s->fn->params[i]);
    if (strcmp(what, "function") == 0)
        for (size_t i = 0; i < nd_func_count(); i++) nd_suggest_offer(&sg, nd_func_at(i)->name);
    const char *best = nd_suggest_best(&sg);
    if (best)
        return nd_error_set(err, ND_ENAME, e->line, e->col, (int)strlen(e->str),
                            "unknown %s '%s'; did you mean '%s'?", what, e->str, best);
    return nd_error_set(err, ND_ENAME, e->line, e->col, (int)strlen(e->str), "unknown %s '%s'",
                        what, e->str);
}

static nd_status check_name(const scope *s, const nd_expr *e, nd_error *err)
{
    double c;
    if (strcmp(e->str, "t") == 0 || nd_const_find(e->str, &c)) return ND_OK;
    if (s->fn)
        for (size_t i = 0; i < s->fn->nparams; i++)
            if (strcmp(s->fn->params[i], e->str) == 0) return ND_OK;
    nd_model_kind kind;
    if (!md_lookup(s->def, e->str, &kind)) return unknown(s, e, "name", err);
    if (kind == ND_MODEL_FN)
        return nd_error_set(err, ND_ETYPE, e->line, e->col, e->span,
                            "'%s' is a function: call it as %s(...)", e->str, e->str);
    if (s->fn && (kind == ND_MODEL_STATE || kind == ND_MODEL_TERM))
        return nd_error_set(err, ND_ENAME, e->line, e->col, e->span,
                            "a function sees only its arguments, the parameters and t: "
                            "'%s' is a %s; pass it as an argument", e->str, kind_names[kind]);
    return ND_OK;
}

static nd_status check_call(const scope *s, const nd_expr *e, nd_error *err)
{
    int idx = md_index(s->def, ND_MODEL_FN, e->str);
    if (idx >= 0) {
        const md_item *f = &s->def->list[ND_MODEL_FN].items[idx];
        if (f->nparams != e->nitems)
            return nd_error_set(err, ND_ESYNTAX, e->line, e->col, e->span,
                                "'%s' takes %zu argument%s, got %zu", e->str, f->nparams,
                                f->nparams == 1 ? "" : "s", e->nitems);
        return ND_OK;
    }
    const nd_func *f = nd_func_find(e->str);
    if (!f) return unknown(s, e, "function", err);
    if (!nd_func_accepts(f, (int)e->nitems))
        return nd_error_set(err, ND_ESYNTAX, e->line, e->col, e->span,
                            "wrong number of arguments (%zu) for %s", e->nitems, f->signature);
    return ND_OK;
}

static nd_status check_expr(const scope *s, const nd_expr *e, nd_error *err)
{
    nd_status st = ND_OK;
    switch (e->kind) {
    case ND_EXPR_NUMBER: return ND_OK;
    case ND_EXPR_STRING: return at_expr(err, ND_ETYPE, e, "a model equation holds numbers, not strings");
    case ND_EXPR_LIST:   return at_expr(err, ND_ETYPE, e, "a model equation holds numbers, not lists");
    case ND_EXPR_RANGE:  return at_expr(err, ND_ETYPE, e, "a model equation holds numbers, not ranges");
    case ND_EXPR_INDEX:
    case ND_EXPR_FIELD: {
        char msg[160];
        snprintf(msg, sizeof msg, "a model equation holds numbers, not %s",
                 nd_expr_kind_noun(e->kind));
        return at_expr(err, ND_ETYPE, e, msg);
    }
    case ND_EXPR_NAME:   return check_name(s, e, err);
    case ND_EXPR_CALL:
        if ((st = check_call(s, e, err))) return st;
        for (size_t i = 0; i < e->nitems && !st; i++) st = check_expr(s, e->items[i], err);
        return st;
    default:
        if (e->a && (st = check_expr(s, e->a, err))) return st;
        return e->b ? check_expr(s, e->b, err) : ND_OK;
    }
}

/* Depth-first search for a cycle among terms (via names) or functions (via calls). */
typedef struct dfs {
    const md_def *def;
    nd_model_kind kind;
    char *color;          /* 0 unvisited, 1 on the path, 2 done */
    size_t *path;
    size_t depth;
    size_t nesting;       /* visit and visit_refs frames on the stack */
    nd_error *err;
} dfs;

static nd_status visit(dfs *g, size_t i);

static nd_status visit_refs(dfs *g, const nd_expr *e)
{
    if (!e) return ND_OK;
    if (g->nesting >= MD_MAX_NESTING) {
        const md_item *it = &g->def->list[g->kind].items[g->path[0]];
        return nd_error_set(g->err, ND_EVALUE, it->pub.line, it->pub.col, (int)strlen(it->name),
                            "'%s' nests more than %d levels deep once its %s are expanded",
                            it->name, MD_MAX_NESTING,
                            g->kind == ND_MODEL_TERM ? "terms" : "functions");
    }
    g->nesting++;
    int match = g->kind == ND_MODEL_TERM ? e->kind == ND_EXPR_NAME : e->kind == ND_EXPR_CALL;
    int j = match ? md_index(g->def, g->kind, e->str) : -1;
    nd_status st = j >= 0 ? visit(g, (size_t)j) : ND_OK;
    if (!st) st = visit_refs(g, e->a);
    if (!st) st = visit_refs(g, e->b);
    for (size_t i = 0; i < e->nitems && !st; i++) st = visit_refs(g, e->items[i]);
    g->nesting--;
    return st;
}

static nd_status report_cycle(dfs *g, size_t i)
{
    const md_list *l = &g->def->list[g->kind];
    size_t from = 0;
    while (g->path[from] != i) from++;
    nd_sb sb;
    nd_sb_init(&sb);
    for (size_t k = from; k < g->depth; k++) nd_sb_printf(&sb, "%s -> ", l->items[g->path[k]].name);
    nd_sb_puts(&sb, l->items[i].name);
    const md_item *it = &l->items[i];
    nd_status st = nd_error_set(g->err, ND_EVALUE, it->pub.line, it->pub.col, (int)strlen(it->name),
                                g->kind == ND_MODEL_TERM ? "terms defined in a cycle: %s"
                                                         : "functions calling themselves: %s",
                                nd_sb_str(&sb));
    nd_sb_free(&sb);
    return st;
}

static nd_status visit(dfs *g, size_t i)
{
    if (g->color[i] == 2) return ND_OK;
    if (g->color[i] == 1) return report_cycle(g, i);
    g->color[i] = 1;
    g->path[g->depth++] = i;
    nd_status st = visit_refs(g, g->def->list[g->kind].items[i].expr);
    g->depth--;
    g->color[i] = 2;
    return st;
}

static nd_status check_acyclic(const md_def *def, nd_model_kind kind, nd_error *err)
{
    size_t n = def->list[kind].count;
    if (!n) return ND_OK;
    dfs g = {def, kind, calloc(n, 1), malloc(n * sizeof(size_t)), 0, 0, err};
    nd_status st = g.color && g.path ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t i = 0; i < n && !st; i++) st = visit(&g, i);
    free(g.color);
    free(g.path);
    return st;
}

/* Finds a parameter for a statement that names one (set, stim), or explains why not. */
static nd_status find_par(const md_def *def, const char *name, int line, int col, int span,
                          const char *what, size_t *out, nd_error *err)
{
    nd_model_kind kind;
    if (!md_lookup(def, name, &kind))
        return nd_error_set(err, ND_ENAME, line, col, span, "unknown parameter '%s' in %s", name, what);
    if (kind != ND_MODEL_PAR)
        return nd_error_set(err, ND_EVALUE, line, col, span, "'%s' is a %s, not a parameter (%s)",
                            name, kind_names[kind], what);
    *out = (size_t)md_index(def, ND_MODEL_PAR, name);
    return ND_OK;
}

static nd_status resolve_inits(md_def *def, nd_error *err)
{
    nd_sb notes;
    nd_sb_init(&notes);
    for (size_t i = 0; i < def->inits.count; i++) {
        md_ref *r = &def->inits.items[i];
        nd_model_kind kind;
        md_item *it = md_lookup(def, r->name, &kind);
        if (!it || kind != ND_MODEL_STATE) {
            nd_sb_free(&notes);
            return nd_error_set(err, it ? ND_EVALUE : ND_ENAME, r->line, r->col, r->span,
                                "init of '%s', which is not a state variable (a state needs "
                                "an equation d%s/dt = ... or %s' = ...)", r->name, r->name, r->name);
        }
        if (it->has_init) {
            nd_sb_free(&notes);
            return nd_error_set(err, ND_EVALUE, r->line, r->col, r->span,
                                "'%s' is given an initial value twice", r->name);
        }
        it->has_init = 1;
        it->value = r->value;
        if (r->unit && *r->unit) it->unit = r->unit, r->unit = NULL;
        if (r->summary && !it->summary) it->summary = r->summary, r->summary = NULL;
    }
    for (size_t i = 0; i < def->list[ND_MODEL_STATE].count; i++) {
        md_item *it = &def->list[ND_MODEL_STATE].items[i];
        if (!it->has_init) nd_sb_printf(&notes, "init of %s defaults to 0\n", it->name);
    }
    nd_sb_puts(&notes, "");
    def->notes = nd_sb_take(&notes);
    return def->notes ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
}

/* Appends a paragraph to a doc text. */
static int add_paragraph(char **doc, const char *text)
{
    size_t old = *doc ? strlen(*doc) : 0;
    char *s = realloc(*doc, old + strlen(text) + 3);
    if (!s) return -1;
    if (old) strcpy(s + old, "\n\n"), old += 2;
    strcpy(s + old, text);
    *doc = s;
    return 0;
}

static nd_status resolve_docs(md_def *def, nd_error *err)
{
    for (size_t i = 0; i < def->docs.count; i++) {
        md_ref *r = &def->docs.items[i];
        char **target = &def->doc;
        if (r->name) {
            nd_model_kind kind;
            md_item *it = md_lookup(def, r->name, &kind);
            if (!it)
                return nd_error_set(err, ND_ENAME, r->line, r->col, r->span,
                                    "doc for unknown name '%s'", r->name);
            target = &it->doc;
        }
        if (add_paragraph(target, r->text)) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    return ND_OK;
}

static nd_status resolve_whens(md_def *def, nd_error *err)
{
    scope s = {def, NULL};
    for (size_t k = 0; k < def->nwhens; k++) {
        md_when *w = &def->whens[k];
        nd_status st = check_expr(&s, w->cond, err);
        if (st) return st;
        if (!(w->state = malloc(w->nassign * sizeof *w->state)))
            return nd_error_fail(err, ND_ENOMEM, "out of memory");
        for (size_t i = 0; i < w->nassign; i++) {
            nd_model_kind kind;
            if (!md_lookup(def, w->target[i], &kind))
                return nd_error_set(err, ND_ENAME, w->line[i], w->col[i], w->span[i],
                                    "unknown state variable '%s' in when", w->target[i]);
            if (kind != ND_MODEL_STATE)
                return nd_error_set(err, ND_EVALUE, w->line[i], w->col[i], w->span[i],
                                    "cannot assign to the %s '%s' in when: a reset changes "
                                    "state variables only", kind_names[kind], w->target[i]);
            w->state[i] = (size_t)md_index(def, ND_MODEL_STATE, w->target[i]);
            if ((st = check_expr(&s, w->value[i], err))) return st;
        }
    }
    return ND_OK;
}

static nd_status resolve_sets(md_def *def, nd_error *err)
{
    for (size_t k = 0; k < def->nsets; k++) {
        md_set *set = &def->sets[k];
        if (!(set->index = malloc((set->n ? set->n : 1) * sizeof *set->index)))
            return nd_error_fail(err, ND_ENOMEM, "out of memory");
        for (size_t i = 0; i < set->n; i++) {
            nd_status st = find_par(def, set->par[i], set->line[i], set->col[i], set->span[i],
                                    "a parameter set", &set->index[i], err);
            if (st) return st;
        }
    }
    return ND_OK;
}

static nd_status check_definitions(const md_def *def, nd_error *err)
{
    for (int k = 0; k < 4; k++) {
        if (k == ND_MODEL_PAR) continue;
        for (size_t i = 0; i < def->list[k].count; i++) {
            const md_item *it = &def->list[k].items[i];
            scope s = {def, k == ND_MODEL_FN ? it : NULL};
            nd_status st = check_expr(&s, it->expr, err);
            if (st) return st;
        }
    }
    return ND_OK;
}

nd_status md_check(md_def *def, nd_error *err)
{
    nd_status st;
    if (!def->list[ND_MODEL_STATE].count)
        return nd_error_set(err, ND_EVALUE, def->line, def->col, 1,
                            "the model '%s' has no equation: write dX/dt = ... or X' = ... for "
                            "each state variable X", def->name);
    if ((st = resolve_inits(def, err)) || (st = resolve_docs(def, err)) ||
        (st = check_definitions(def, err)) || (st = check_acyclic(def, ND_MODEL_TERM, err)) ||
        (st = check_acyclic(def, ND_MODEL_FN, err)) || (st = resolve_whens(def, err)) ||
        (st = resolve_sets(def, err)))
        return st;
    if (def->stim_target) {
        size_t idx;
        if ((st = find_par(def, def->stim_target, def->stim_line, def->stim_col, def->stim_span,
                           "stim drives a parameter", &idx, err)))
            return st;
        def->stim_par = (int)idx;
    }
    return md_infer_units(def, err);
}
