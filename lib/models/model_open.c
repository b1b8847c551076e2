/* Variants of a model in which chosen terms or state derivatives become inputs. Each
   replaced definition is rewritten to read a new parameter, so the rest of the model and
   its symbolic Jacobians stay as written while something outside (a neural network)
   supplies the replaced values through that parameter. The variant is re-read from the
   model's own text, so it is compiled exactly like the original. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/suggest.h"
#include "model_impl.h"

typedef struct open_req {
    const char *const *names;
    size_t n;
    const char *model;
} open_req;

/* Returns "NAME_net" made unique in def by appending underscores, or NULL on ENOMEM. */
static char *fresh_par_name(const md_def *def, const char *name)
{
    size_t len = strlen(name);
    char *s = malloc(len + 64);
    if (!s) return NULL;
    snprintf(s, len + 64, "%s_net", name);
    nd_model_kind k;
    while (md_lookup(def, s, &k) && strlen(s) < len + 60) strcat(s, "_");
    return s;
}

static nd_status open_edit(md_def *def, void *ctx, nd_error *err)
{
    const open_req *r = ctx;
    for (size_t i = 0; i < r->n; i++) {
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->names[i], r->names[j]) == 0)
                return nd_error_fail(err, ND_EVALUE, "'%s' is named twice", r->names[i]);
        nd_model_kind kind;
        md_item *it = md_lookup(def, r->names[i], &kind);
        if (!it || (kind != ND_MODEL_TERM && kind != ND_MODEL_STATE))
            return nd_error_fail(err, ND_ENAME,
                                 "'%s' is not a term or state variable of model '%s'%s",
                                 r->names[i], r->model,
                                 it ? " (only terms and state derivatives can be learned)" : "");
        size_t index = (size_t)md_index(def, kind, r->names[i]);
        char *par = fresh_par_name(def, r->names[i]);
        nd_expr *ref = par ? nd_expr_new(ND_EXPR_NAME, it->pub.line, it->pub.col, 1) : NULL;
        char *ref_name = ref ? strdup(par) : NULL;
        md_item *p = ref_name ? md_add_item(def, ND_MODEL_PAR) : NULL;
        if (!p) {
            free(par), free(ref_name), nd_expr_free(ref);
            return nd_error_fail(err, ND_ENOMEM, "out of memory while opening the model");
        }
        ref->str = ref_name;
        p->name = par;
        p->value = 0;
        p->summary = strdup("supplied by the network");
        it = &def->list[kind].items[index];   /* md_add_item may have moved the list */
        nd_expr_free(it->expr);
        it->expr = ref;
        char *text = strdup(par);
        if (!text) return nd_error_fail(err, ND_ENOMEM, "out of memory while opening the model");
        free(it->text);
        it->text = text;
    }
    return ND_OK;
}

nd_model *nd_model_open(const nd_model *m, const char *const *names, size_t n, nd_error *err)
{
    const md_def *d = m->def;
    open_req r = {names, n, d->name};
    nd_model *v = md_parse_with(d->name, d->source, d->source_len, d->line, d->col, open_edit,
                                &r, err);
    if (!v) return NULL;
    /* The variant keeps the caller's values: parameters keep their order, the new ones
       follow at 0. */
    size_t np = d->list[ND_MODEL_PAR].count, ns = d->list[ND_MODEL_STATE].count;
    if (np) memcpy(v->pars, m->pars, np * sizeof *v->pars);
    memcpy(v->inits, m->inits, ns * sizeof *v->inits);
    return v;
}
