/* The model object: parsing a text into a shared compiled definition, copies with their
   own values, introspection, parameter sets, and the compiled evaluations. */
#include <stdlib.h>
#include <string.h>

#include "../base/numfmt.h"
#include "../base/strbuf.h"
#include "../base/suggest.h"
#include "../expr/functions.h"
#include "../expr/lexer.h"
#include "model_impl.h"

/* ---- the definition ---- */

int md_is_reserved(const char *name)
{
    static const char *const words[] = {
        "t", "par", "init", "fn", "when", "stim", "doc", "set", "time", "and", "or", "not", "pi", "inf", "nan",
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(words[i], name) == 0) return 1;
    return 0;
}

int md_index(const md_def *def, nd_model_kind kind, const char *name)
{
    const md_list *l = &def->list[kind];
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].name, name) == 0) return (int)i;
    return -1;
}

md_item *md_lookup(const md_def *def, const char *name, nd_model_kind *kind)
{
    for (int k = 0; k < 4; k++) {
        int i = md_index(def, (nd_model_kind)k, name);
        if (i >= 0) {
            if (kind) *kind = (nd_model_kind)k;
            return &def->list[k].items[i];
        }
    }
    return NULL;
}

md_item *md_add_item(md_def *def, nd_model_kind kind)
{
    md_list *l = &def->list[kind];
    if (l->count == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        md_item *items = realloc(l->items, cap * sizeof *items);
        if (!items) return NULL;
        l->items = items;
        l->cap = cap;
    }
    md_item *it = &l->items[l->count++];
    memset(it, 0, sizeof *it);
    it->pub.kind = kind;
    return it;
}

md_ref *md_add_ref(md_refs *refs)
{
    if (refs->count == refs->cap) {
        size_t cap = refs->cap ? 2 * refs->cap : 8;
        md_ref *items = realloc(refs->items, cap * sizeof *items);
        if (!items) return NULL;
        refs->items = items;
        refs->cap = cap;
    }
    md_ref *r = &refs->items[refs->count++];
    memset(r, 0, sizeof *r);
    return r;
}

static void free_refs(md_refs *refs)
{
    for (size_t i = 0; i < refs->count; i++) {
        md_ref *r = &refs->items[i];
        free(r->name), free(r->unit), free(r->summary), free(r->text);
    }
    free(refs->items);
}

static void free_item(md_item *it)
{
    free(it->name), free(it->unit), free(it->summary), free(it->doc), free(it->text);
    free(it->latex);
    nd_expr_free(it->expr);
    for (size_t i = 0; i < it->nparams; i++) free(it->params[i]);
    free(it->params);
}

static void free_when(md_when *w)
{
    nd_expr_free(w->cond);
    for (size_t i = 0; i < w->nassign; i++) free(w->target[i]), nd_expr_free(w->value[i]);
    free(w->target), free(w->state), free(w->value), free(w->line), free(w->col), free(w->span);
    free(w->text);
    nd_code_free(w->reset);
    nd_code_free(w->dg);
    nd_code_free(w->dreset);
}

static void free_set(md_set *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->par[i]);
    free(s->name), free(s->summary), free(s->text), free(s->par), free(s->index);
    free(s->value), free(s->line), free(s->col), free(s->span);
}

void md_def_free(md_def *def)
{
    if (!def) return;
    for (int k = 0; k < 4; k++) {
        for (size_t i = 0; i < def->list[k].count; i++) free_item(&def->list[k].items[i]);
        free(def->list[k].items);
    }
    for (size_t k = 0; k < def->nwhens; k++) free_when(&def->whens[k]);
    free(def->whens);
    for (size_t k = 0; k < def->nsets; k++) free_set(&def->sets[k]);
    free(def->sets);
    free_refs(&def->inits);
    free_refs(&def->docs);
    free(def->name), free(def->doc), free(def->notes), free(def->stim_target);
    free(def->stim_text), free(def->stim), free(def->time_unit), free(def->source);
    nd_code_free(def->rhs), nd_code_free(def->jac), nd_code_free(def->jacp);
    nd_code_free(def->terms), nd_code_free(def->events);
    nd_code_free(atomic_load(&def->fused));
    free(def);
}

/* Points every item's public view at its strings ("" for the missing ones). */
static void publish(md_def *def)
{
    for (int k = 0; k < 4; k++)
        for (size_t i = 0; i < def->list[k].count; i++) {
            md_item *it = &def->list[k].items[i];
            nd_model_item *p = &it->pub;
            p->name = it->name;
            p->unit = it->unit ? it->unit : "";
            p->summary = it->summary ? it->summary : "";
            p->doc = it->doc ? it->doc : "";
            p->text = it->text ? it->text : "";
            p->latex = it->latex ? it->latex : "";
            p->expr = it->expr;
            p->params = (const char *const *)it->params;
            p->nparams = it->nparams;
        }
}

/* The parsed definition must build its default stimulus: checks its arguments once. */
static nd_status check_stim(const nd_model *m, nd_error *err)
{
    const md_def *d = m->def;
    if (!d->nstim) return ND_OK;
    nd_stim *s = nd_model_stim(m);
    if (s) {
        nd_stim_free(s);
        return ND_OK;
    }
    return nd_error_set(err, ND_EVALUE, d->stim_line, d->stim_col, d->stim_span,
                        "the stimulus of '%s' has invalid arguments (durations, periods and "
                        "time constants must be positive, counts whole numbers)", d->stim_target);
}

static nd_model *wrap(md_def *def)
{
    nd_model *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->def = def;
    atomic_fetch_add(&def->refs, 1);
    nd_model_reset_values(m);
    if ((def->list[ND_MODEL_PAR].count && !m->pars) || !m->inits) {
        nd_model_free(m);
        return NULL;
    }
    return m;
}

nd_model *md_parse_with(const char *name, const char *text, size_t len, int line, int col,
                        md_edit edit, void *edit_ctx, nd_error *err)
{
    nd_error local;
    if (!err) err = &local;
    nd_error_clear(err);
    nd_tokens toks;
    if (nd_lex_all(text, len, line, col, &toks, err)) return NULL;
    md_def *def = calloc(1, sizeof *def);
    nd_status st = def && (def->name = strdup(name ? name : "model")) &&
                   (def->source = strndup(text, len)) ? ND_OK
                 : nd_error_fail(err, ND_ENOMEM, "out of memory while reading the model");
    if (!st) {
        atomic_init(&def->refs, 0);
        def->source_len = len;
        def->stim_par = -1;
        def->line = line;
        def->col = col;
        if (!(st = md_parse(def, &toks, err)) && !(st = edit ? edit(def, edit_ctx, err) : ND_OK) &&
            !(st = md_check(def, err)) && !(st = md_build(def, err)))
            st = md_render_items(def, err);
    }
    nd_lex_free(&toks);
    nd_model *m = NULL;
    if (!st) {
        publish(def);
        if (!(m = wrap(def))) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        else if ((st = check_stim(m, err))) {
            nd_model_free(m);
            return NULL;
        }
    }
    if (!m) md_def_free(def);
    return m;
}

nd_model *nd_model_parse(const char *name, const char *text, size_t len, int line, int col,
                         nd_error *err)
{
    return md_parse_with(name, text, len, line, col, NULL, NULL, err);
}

nd_model *nd_model_copy(const nd_model *m)
{
    nd_model *c = wrap(m->def);
    if (!c) return NULL;
    size_t n = m->def->list[ND_MODEL_STATE].count, np = m->def->list[ND_MODEL_PAR].count;
    memcpy(c->inits, m->inits, n * sizeof *c->inits);
    if (np) memcpy(c->pars, m->pars, np * sizeof *c->pars);
    return c;
}

void nd_model_free(nd_model *m)
{
    if (!m) return;
    if (atomic_fetch_sub(&m->def->refs, 1) == 1) md_def_free(m->def);
    free(m->pars);
    free(m->inits);
    free(m);
}

/* ---- introspection ---- */

const char *nd_model_name(const nd_model *m) { return m->def->name; }
const char *nd_model_doc(const nd_model *m) { return m->def->doc ? m->def->doc : ""; }
const char *nd_model_notes(const nd_model *m) { return m->def->notes ? m->def->notes : ""; }
const char *nd_model_source(const nd_model *m, size_t *len, int *line, int *col)
{
    if (len) *len = m->def->source_len;
    if (line) *line = m->def->line;
    if (col) *col = m->def->col;
    return m->def->source;
}

const char *nd_model_time_unit(const nd_model *m)
{
    return m->def->time_unit ? m->def->time_unit : "";
}

double nd_model_rate_scale(const nd_model *m)
{
    return strcmp(nd_model_time_unit(m), "ms") == 0 ? 1000 : 1;
}

size_t nd_model_count(const nd_model *m, nd_model_kind kind)
{
    return (unsigned)kind < 4 ? m->def->list[kind].count : 0;
}

const nd_model_item *nd_model_item_at(const nd_model *m, nd_model_kind kind, size_t i)
{
    return i < nd_model_count(m, kind) ? &m->def->list[kind].items[i].pub : NULL;
}

const nd_model_item *nd_model_find(const nd_model *m, const char *name, size_t *index)
{
    nd_model_kind kind;
    md_item *it = md_lookup(m->def, name, &kind);
    if (it && index) *index = (size_t)(it - m->def->list[kind].items);
    return it ? &it->pub : NULL;
}

int nd_model_index(const nd_model *m, nd_model_kind kind, const char *name)
{
    return (unsigned)kind < 4 ? md_index(m->def, kind, name) : -1;
}

const double *nd_model_pars(const nd_model *m) { return m->pars; }
const double *nd_model_inits(const nd_model *m) { return m->inits; }

/* NameError for a name that is not of the kind, suggesting the closest one that is. */
static nd_status not_found(const nd_model *m, nd_model_kind kind, const char *name,
                           const char *what, nd_error *err)
{
    nd_suggest sg;
    nd_suggest_init(&sg, name);
    for (size_t i = 0; i < m->def->list[kind].count; i++)
        nd_suggest_offer(&sg, m->def->list[kind].items[i].name);
    const char *best = nd_suggest_best(&sg);
    if (best)
        return nd_error_fail(err, ND_ENAME, "'%s' has no %s '%s'; did you mean '%s'?",
                             m->def->name, what, name, best);
    return nd_error_fail(err, ND_ENAME, "'%s' has no %s '%s'", m->def->name, what, name);
}

nd_status nd_model_set_par(nd_model *m, const char *name, double value, nd_error *err)
{
    int i = md_index(m->def, ND_MODEL_PAR, name);
    if (i < 0) return not_found(m, ND_MODEL_PAR, name, "parameter", err);
    m->pars[i] = value;
    return ND_OK;
}

nd_status nd_model_set_init(nd_model *m, const char *name, double value, nd_error *err)
{
    int i = md_index(m->def, ND_MODEL_STATE, name);
    if (i < 0) return not_found(m, ND_MODEL_STATE, name, "state variable", err);
    m->inits[i] = value;
    return ND_OK;
}

void nd_model_reset_values(nd_model *m)
{
    const md_def *d = m->def;
    size_t n = d->list[ND_MODEL_STATE].count, np = d->list[ND_MODEL_PAR].count;
    if (!m->inits) m->inits = calloc(n ? n : 1, sizeof *m->inits);
    if (!m->pars && np) m->pars = calloc(np, sizeof *m->pars);
    for (size_t i = 0; m->inits && i < n; i++) m->inits[i] = d->list[ND_MODEL_STATE].items[i].value;
    for (size_t i = 0; m->pars && i < np; i++) m->pars[i] = d->list[ND_MODEL_PAR].items[i].value;
}

char *nd_model_changed_pars(const nd_model *m)
{
    const md_list *l = &m->def->list[ND_MODEL_PAR];
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_puts(&sb, "");
    char num[ND_NUMFMT_CAP];
    for (size_t i = 0, k = 0; i < l->count; i++) {
        double v = m->pars[i], text = l->items[i].value;
        if (v == text || (v != v && text != text)) continue;
        nd_sb_printf(&sb, "%s%s = %s", k++ ? ", " : "", l->items[i].name, nd_numfmt(v, num));
    }
    return nd_sb_take(&sb);
}

size_t nd_model_nsets(const nd_model *m) { return m->def->nsets; }

const char *nd_model_set_name(const nd_model *m, size_t i)
{
    return i < m->def->nsets ? m->def->sets[i].name : NULL;
}

const char *nd_model_set_summary(const nd_model *m, size_t i)
{
    return i < m->def->nsets ? (m->def->sets[i].summary ? m->def->sets[i].summary : "") : NULL;
}

const char *nd_model_set_text(const nd_model *m, size_t i)
{
    return i < m->def->nsets ? m->def->sets[i].text : NULL;
}

nd_status nd_model_apply_set(nd_model *m, const char *name, nd_error *err)
{
    const md_def *d = m->def;
    for (size_t k = 0; k < d->nsets; k++) {
        if (strcmp(d->sets[k].name, name) != 0) continue;
        for (size_t i = 0; i < d->sets[k].n; i++) m->pars[d->sets[k].index[i]] = d->sets[k].value[i];
        return ND_OK;
    }
    nd_sb sb;
    nd_sb_init(&sb);
    for (size_t k = 0; k < d->nsets; k++) nd_sb_printf(&sb, "%s%s", k ? ", " : "", d->sets[k].name);
    nd_status st = d->nsets
        ? nd_error_fail(err, ND_ENAME, "'%s' has no parameter set '%s' (sets: %s)", d->name, name,
                        nd_sb_str(&sb))
        : nd_error_fail(err, ND_ENAME, "'%s' has no parameter sets", d->name);
    nd_sb_free(&sb);
    return st;
}

size_t nd_model_nwhens(const nd_model *m) { return m->def->nwhens; }

const char *nd_model_when_text(const nd_model *m, size_t k)
{
    return k < m->def->nwhens ? m->def->whens[k].text : NULL;
}

int nd_model_stim_par(const nd_model *m) { return m->def->nstim ? m->def->stim_par : -1; }

const char *nd_model_stim_text(const nd_model *m) { return m->def->stim_text; }

nd_expr *nd_model_inline(const nd_model *m, const nd_expr *e, const char *const *keep,
                         size_t nkeep, nd_error *err)
{
    nd_error local;
    return md_inline(m->def, e, keep, nkeep, err ? err : &local);
}

/* ---- evaluation ---- */

/* Slots [t, y, p] live on the stack for models of ordinary size. */
enum { STACK_SLOTS = 256 };

int md_run(const nd_model *m, const nd_code *code, double t, const double *y,
           const double *p, double *out)
{
    if (!code) return -1;
    const md_def *d = m->def;
    size_t n = d->list[ND_MODEL_STATE].count, np = d->list[ND_MODEL_PAR].count;
    double stack[STACK_SLOTS], *slots = 1 + n + np <= STACK_SLOTS ? stack
                                        : malloc((1 + n + np) * sizeof *slots);
    if (!slots) return -1;
    slots[0] = t;
    memcpy(slots + 1, y, n * sizeof *y);
    if (np) memcpy(slots + 1 + n, p, np * sizeof *p);
    nd_code_eval(code, slots, out);
    if (slots != stack) free(slots);
    return 0;
}

int nd_model_rhs(const nd_model *m, double t, const double *y, const double *p, double *dydt)
{
    return md_run(m, m->def->rhs, t, y, p, dydt);
}

int nd_model_jac(const nd_model *m, double t, const double *y, const double *p, double *J)
{
    return md_run(m, m->def->jac, t, y, p, J);
}

int nd_model_jacp(const nd_model *m, double t, const double *y, const double *p, double *Jp)
{
    if (!m->def->list[ND_MODEL_PAR].count) return m->def->jac ? 0 : -1;
    return md_run(m, m->def->jacp, t, y, p, Jp);
}

int nd_model_has_jac(const nd_model *m) { return m->def->jac != NULL; }

int nd_model_rhs_jac(const nd_model *m, double t, const double *y, const double *p, double *out)
{
    md_def *d = m->def;
    nd_code *c = atomic_load(&d->fused);
    if (!c && d->jac) {
        /* built once; two threads may race to build it, and the loser frees its copy */
        nd_code *mine = md_build_fused(d), *none = NULL;
        if (!mine) return -1;
        if (atomic_compare_exchange_strong(&d->fused, &none, mine)) c = mine;
        else nd_code_free(mine), c = none;
    }
    return md_run(m, c, t, y, p, out);
}

int nd_model_terms(const nd_model *m, double t, const double *y, const double *p, double *terms)
{
    if (!m->def->list[ND_MODEL_TERM].count) return 0;
    return md_run(m, m->def->terms, t, y, p, terms);
}

int nd_model_events(const nd_model *m, double t, const double *y, const double *p, double *g)
{
    if (!m->def->nwhens) return 0;
    return md_run(m, m->def->events, t, y, p, g);
}

int nd_model_apply_reset(const nd_model *m, size_t k, double t, double *y, const double *p)
{
    if (k >= m->def->nwhens) return -1;
    const md_when *w = &m->def->whens[k];
    double stack[32], *v = w->nassign <= 32 ? stack : malloc(w->nassign * sizeof *v);
    if (!v) return -1;
    int rc = md_run(m, w->reset, t, y, p, v);  /* all values from the pre-reset state */
    for (size_t i = 0; rc == 0 && i < w->nassign; i++) y[w->state[i]] = v[i];
    if (v != stack) free(v);
    return rc;
}
