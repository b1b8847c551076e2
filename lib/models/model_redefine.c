/* Variants of a model in which chosen terms or state derivatives get new definitions
   (the equations SINDy recovered, for instance). Like nd_model_open, the variant is re-read
   from the model's own text with the definitions swapped in before checking, so it is
   compiled — Jacobians included — exactly like a model written that way. */
#include <stdlib.h>
#include <string.h>

#include "model_impl.h"

typedef struct redefine_req {
    const char *const *names;
    const nd_expr *const *exprs;
    size_t n;
    const char *model;
    const char *doc;
} redefine_req;

static nd_status redefine_edit(md_def *def, void *ctx, nd_error *err)
{
    const redefine_req *r = ctx;
    if (r->doc) {
        char *doc = strdup(r->doc);
        if (!doc) return nd_error_fail(err, ND_ENOMEM, "out of memory while redefining the model");
        free(def->doc);
        def->doc = doc;
    }
    for (size_t i = 0; i < r->n; i++) {
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->names[i], r->names[j]) == 0)
                return nd_error_fail(err, ND_EVALUE, "'%s' is named twice", r->names[i]);
        if (!r->exprs[i])
            return nd_error_fail(err, ND_EVALUE, "no definition given for '%s'", r->names[i]);
        nd_model_kind kind;
        md_item *it = md_lookup(def, r->names[i], &kind);
        if (!it || (kind != ND_MODEL_TERM && kind != ND_MODEL_STATE))
            return nd_error_fail(err, ND_ENAME,
                                 "'%s' is not a term or state variable of model '%s'%s",
                                 r->names[i], r->model,
                                 it ? " (only terms and state derivatives can be redefined)"
                                    : "");
        nd_expr *e = nd_expr_copy(r->exprs[i]);
        nd_sb sb;
        nd_sb_init(&sb);
        if (e) nd_expr_text(e, &sb);
        char *text = e ? nd_sb_take(&sb) : NULL;
        nd_sb_free(&sb);
        if (!e || !text) {
            nd_expr_free(e);
            free(text);
            return nd_error_fail(err, ND_ENOMEM, "out of memory while redefining the model");
        }
        nd_expr_free(it->expr);
        it->expr = e;
        free(it->text);
        it->text = text;
    }
    return ND_OK;
}

nd_model *nd_model_redefine_named(const nd_model *m, const char *name, const char *doc,
                                  const char *const *names, const nd_expr *const *exprs,
                                  size_t n, nd_error *err)
{
    const md_def *d = m->def;
    redefine_req r = {names, exprs, n, d->name, doc};
    nd_model *v = md_parse_with(name ? name : d->name, d->source, d->source_len, d->line, d->col,
                                redefine_edit, &r, err);
    if (!v) return NULL;
    /* Same parameters and states in the same order: the caller's values carry over. */
    size_t np = d->list[ND_MODEL_PAR].count, ns = d->list[ND_MODEL_STATE].count;
    if (np) memcpy(v->pars, m->pars, np * sizeof *v->pars);
    memcpy(v->inits, m->inits, ns * sizeof *v->inits);
    return v;
}

nd_model *nd_model_redefine(const nd_model *m, const char *const *names,
                            const nd_expr *const *exprs, size_t n, nd_error *err)
{
    return nd_model_redefine_named(m, NULL, NULL, names, exprs, n, err);
}
