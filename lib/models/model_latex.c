/* How a model shows itself: its equations in LaTeX, tables of parameters and states, and
   the plain-text explanation of one name. */
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/numfmt.h"
#include "../base/table.h"
#include "../base/textfmt.h"
#include "model_impl.h"

static const char *const kind_names[] = {"state variable", "parameter", "term", "function"};

void md_latex_name(const char *name, nd_sb *sb)
{
    nd_expr e = {.kind = ND_EXPR_NAME, .line = 1, .col = 1, .span = 1, .str = (char *)name};
    nd_expr_latex(&e, sb);
}

/* The left-hand side of a definition: dV/dt, a term's name, f(a, b). */
static void latex_lhs(const md_item *it, nd_sb *sb)
{
    if (it->pub.kind == ND_MODEL_STATE) {
        nd_sb_puts(sb, "\\frac{d");
        md_latex_name(it->name, sb);
        nd_sb_puts(sb, "}{dt}");
    } else if (it->pub.kind == ND_MODEL_FN) {
        nd_expr *args = calloc(it->nparams + 1, sizeof *args);
        nd_expr **ptrs = calloc(it->nparams + 1, sizeof *ptrs);
        for (size_t i = 0; args && ptrs && i < it->nparams; i++) {
            args[i] = (nd_expr){.kind = ND_EXPR_NAME, .line = 1, .col = 1, .span = 1, .str = it->params[i]};
            ptrs[i] = &args[i];
        }
        nd_expr call = {.kind = ND_EXPR_CALL, .line = 1, .col = 1, .span = 1, .str = it->name,
                        .items = ptrs, .nitems = args && ptrs ? it->nparams : 0};
        nd_expr_latex(&call, sb);
        free(args);
        free(ptrs);
    } else {
        md_latex_name(it->name, sb);
    }
}

nd_status md_render_items(md_def *def, nd_error *err)
{
    for (int k = 0; k < 4; k++)
        for (size_t i = 0; i < def->list[k].count; i++) {
            md_item *it = &def->list[k].items[i];
            if (!it->expr) continue;
            nd_sb sb;
            nd_sb_init(&sb);
            latex_lhs(it, &sb);
            nd_sb_puts(&sb, " = ");
            nd_expr_latex(it->expr, &sb);
            if (!(it->latex = nd_sb_take(&sb)))
                return nd_error_fail(err, ND_ENOMEM, "out of memory while rendering the model");
        }
    return ND_OK;
}

static void aligned_rows(const md_def *d, nd_model_kind kind, nd_sb *sb)
{
    for (size_t i = 0; i < d->list[kind].count; i++) {
        const md_item *it = &d->list[kind].items[i];
        latex_lhs(it, sb);
        nd_sb_puts(sb, " &= ");
        nd_expr_latex(it->expr, sb);
        nd_sb_puts(sb, " \\\\\n");
    }
}

static void aligned_whens(const md_def *d, nd_sb *sb)
{
    for (size_t k = 0; k < d->nwhens; k++) {
        const md_when *w = &d->whens[k];
        nd_sb_puts(sb, "&\\text{when } ");
        nd_expr_latex(w->cond, sb);
        nd_sb_puts(sb, ":\\quad ");
        for (size_t i = 0; i < w->nassign; i++) {
            if (i) nd_sb_puts(sb, ",\\; ");
            md_latex_name(w->target[i], sb);
            nd_sb_puts(sb, " \\leftarrow ");
            nd_expr_latex(w->value[i], sb);
        }
        nd_sb_puts(sb, " \\\\\n");
    }
}

char *nd_model_latex(const nd_model *m)
{
    const md_def *d = m->def;
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_puts(&sb, "\\begin{aligned}\n");
    aligned_rows(d, ND_MODEL_STATE, &sb);
    aligned_rows(d, ND_MODEL_TERM, &sb);
    aligned_rows(d, ND_MODEL_FN, &sb);
    aligned_whens(d, &sb);
    /* The last row needs no line break. */
    if (sb.len >= 4 && strcmp(sb.data + sb.len - 4, " \\\\\n") == 0) {
        sb.len -= 4;
        sb.data[sb.len] = '\0';
        nd_sb_putc(&sb, '\n');
    }
    nd_sb_puts(&sb, "\\end{aligned}");
    return nd_sb_take(&sb);
}

nd_bundle *nd_model_table(const nd_model *m, nd_model_kind kind)
{
    if (kind != ND_MODEL_PAR && kind != ND_MODEL_STATE) return NULL;
    const md_def *d = m->def;
    int par = kind == ND_MODEL_PAR;
    const char *headers[] = {par ? "parameter" : "state", par ? "value" : "initial value",
                             "unit", "description"};
    nd_table *t = nd_table_create(4, headers);
    if (!t) return NULL;
    const double *values = par ? m->pars : m->inits;
    json_t *j = json_object(), *items = json_array();
    int fail = nd_json_put(j, "type", json_string(par ? "model_parameters" : "model_states")) |
               nd_json_put(j, "model", json_string(d->name)) |
               nd_json_put(j, par ? "parameters" : "states", items);
    for (size_t i = 0; !fail && i < d->list[kind].count; i++) {
        const nd_model_item *it = &d->list[kind].items[i].pub;
        char num[ND_NUMFMT_CAP];
        const char *row[] = {it->name, nd_numfmt(values[i], num), it->unit, it->summary};
        json_t *o = json_object();
        fail |= nd_table_add_row(t, row) | nd_json_put(o, "name", json_string(it->name)) |
                nd_json_put(o, par ? "value" : "init", nd_json_real(values[i])) |
                nd_json_put(o, "unit", nd_json_utf8(it->unit)) |
                nd_json_put(o, "description", nd_json_utf8(it->summary)) |
                nd_json_push(items, o);
    }
    nd_sb text, html;
    nd_sb_init(&text);
    nd_sb_init(&html);
    nd_table_text(t, &text);
    nd_table_html(t, &html);
    nd_table_free(t);
    return nd_bundle_take3(nd_sb_take(&text), nd_sb_take(&html),
                           nd_json_dump(nd_json_ok(j, fail)));
}

char *nd_model_explain(const nd_model *m, const char *name)
{
    nd_model_kind kind;
    const md_item *it = md_lookup(m->def, name, &kind);
    if (!it) return NULL;
    size_t i = (size_t)(it - m->def->list[kind].items);
    char num[ND_NUMFMT_CAP];
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_printf(&sb, "%s: %s of %s", it->name, kind_names[kind], m->def->name);
    const char *unit = it->unit && *it->unit ? it->unit : NULL;
    switch (kind) {
    case ND_MODEL_PAR:
        nd_sb_printf(&sb, " = %s%s%s", nd_numfmt(m->pars[i], num), unit ? " " : "", unit ? unit : "");
        break;
    case ND_MODEL_STATE:
        nd_sb_printf(&sb, "\n  d%s/dt = %s\n  initial value %s%s%s", it->name, it->text,
                     nd_numfmt(m->inits[i], num), unit ? " " : "", unit ? unit : "");
        break;
    case ND_MODEL_TERM:
        nd_sb_printf(&sb, "\n  %s = %s", it->name, it->text);
        if (unit) nd_sb_printf(&sb, "\n  in %s (from the sums it appears in)", unit);
        break;
    case ND_MODEL_FN:
        nd_sb_printf(&sb, "\n  %s", it->text);
        break;
    }
    if (it->summary && *it->summary) nd_sb_printf(&sb, "\n%s", it->summary);
    if (it->doc && *it->doc) nd_sb_printf(&sb, "\n\n%s", it->doc);
    return nd_sb_take(&sb);
}
