/* The summary table and JSON of a bifurcation result. Sub- and supercritical are spelled
   out next to l1 because the sign convention is what students get wrong. */
#include "bif_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../base/numfmt.h"
#include "../base/strbuf.h"
#include "../base/table.h"
#include "../base/textfmt.h"

static size_t count_kind(const nd_bif_result *r, nd_bif_kind kind)
{
    size_t c = 0;
    for (size_t i = 0; i < r->npoints; i++) c += r->points[i].kind == kind;
    return c;
}

char *nd_bif_summary(const nd_bif_result *r)
{
    size_t neq = 0;
    for (size_t i = 0; i < r->nbranches; i++) neq += r->branches[i].n;
    char a[ND_NUMFMT_CAP], b[ND_NUMFMT_CAP];
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_printf(&sb, "bifurcation diagram of %s in %s over [%s, %s]: %zu equilibria, "
                 "%zu Hopf, %zu fold", r->model, r->param, nd_numfmt(r->lo, a),
                 nd_numfmt(r->hi, b), neq, count_kind(r, ND_BIF_HOPF),
                 count_kind(r, ND_BIF_FOLD));
    if (r->ncycles) nd_sb_printf(&sb, ", %zu cycle branch%s", r->ncycles,
                                 r->ncycles == 1 ? "" : "es");
    return nd_sb_take(&sb);
}

/* "V = -59.65, m = 0.08" */
static void state_text(nd_sb *sb, const nd_bif_result *r, const double *x)
{
    for (size_t i = 0; i < r->dim; i++)
        nd_sb_printf(sb, "%s%s = %.6g", i ? ", " : "", r->names[i], x[i]);
}

static void point_table(const nd_bif_result *r, nd_sb *plain, nd_sb *html)
{
    static const char *const headers[] = {"type", "parameter", "state", "ω", "l1",
                                          "criticality"};
    nd_table *t = nd_table_create(6, headers);
    for (size_t i = 0; t && i < r->npoints; i++) {
        const nd_bif_point *p = &r->points[i];
        char par[48], om[32], l1[32];
        nd_sb st;
        nd_sb_init(&st);
        state_text(&st, r, p->state);
        snprintf(par, sizeof par, "%s = %.10g", r->param, p->param);
        if (isfinite(p->omega)) snprintf(om, sizeof om, "%.6g", p->omega);
        else snprintf(om, sizeof om, "-");
        if (isfinite(p->l1)) snprintf(l1, sizeof l1, "%.4g", p->l1);
        else snprintf(l1, sizeof l1, "-");
        const char *crit = nd_bif_criticality(p);
        const char *row[] = {nd_bif_kind_name(p->kind), par, st.data ? st.data : "", om, l1,
                             crit[0] ? crit : "-"};
        nd_table_add_row(t, row);
        nd_sb_free(&st);
    }
    if (t && r->npoints) {
        nd_table_text(t, plain);
        nd_table_html(t, html);
    }
    nd_table_free(t);
}

static void json_state(nd_sb *sb, const nd_bif_result *r, const double *x, size_t stride,
                       size_t n)
{
    nd_sb_putc(sb, '{');
    for (size_t i = 0; i < r->dim; i++) {
        if (i) nd_sb_putc(sb, ',');
        nd_json_string(sb, r->names[i]);
        nd_sb_putc(sb, ':');
        if (n == 0) {
            nd_json_number(sb, x[i]);
            continue;
        }
        nd_sb_putc(sb, '[');
        for (size_t k = 0; k < n; k++) {
            if (k) nd_sb_putc(sb, ',');
            nd_json_number(sb, x[k * stride + i]);
        }
        nd_sb_putc(sb, ']');
    }
    nd_sb_putc(sb, '}');
}

static void json_numbers(nd_sb *sb, const char *key, const double *x, size_t n)
{
    nd_sb_printf(sb, ",\"%s\":", key);
    nd_json_numbers(sb, x, n);
}

static void json_ints(nd_sb *sb, const char *key, const int *x, size_t n)
{
    nd_sb_printf(sb, ",\"%s\":[", key);
    for (size_t i = 0; i < n; i++) nd_sb_printf(sb, i ? ",%d" : "%d", x[i]);
    nd_sb_putc(sb, ']');
}

static void json_result(nd_sb *sb, const nd_bif_result *r)
{
    nd_sb_puts(sb, "{\"type\":\"bifurcation\",\"model\":");
    nd_json_string(sb, r->model);
    nd_sb_puts(sb, ",\"parameter\":");
    nd_json_string(sb, r->param);
    nd_sb_puts(sb, ",\"interval\":[");
    nd_json_number(sb, r->lo);
    nd_sb_putc(sb, ',');
    nd_json_number(sb, r->hi);
    nd_sb_puts(sb, "],\"branches\":[");
    for (size_t b = 0; b < r->nbranches; b++) {
        const nd_eq_branch *br = &r->branches[b];
        nd_sb_puts(sb, b ? ",{\"kind\":\"equilibria\"" : "{\"kind\":\"equilibria\"");
        json_numbers(sb, "param", br->param, br->n);
        nd_sb_puts(sb, ",\"state\":");
        json_state(sb, r, br->state, r->dim, br->n);
        json_ints(sb, "n_unstable", br->n_unstable, br->n);
        nd_sb_putc(sb, '}');
    }
    nd_sb_puts(sb, "],\"points\":[");
    for (size_t i = 0; i < r->npoints; i++) {
        const nd_bif_point *p = &r->points[i];
        nd_sb_puts(sb, i ? ",{\"kind\":" : "{\"kind\":");
        nd_json_string(sb, nd_bif_kind_name(p->kind));
        nd_sb_puts(sb, ",\"param\":");
        nd_json_number(sb, p->param);
        nd_sb_puts(sb, ",\"state\":");
        json_state(sb, r, p->state, 0, 0);
        nd_sb_puts(sb, ",\"omega\":");
        nd_json_number(sb, p->omega);
        nd_sb_puts(sb, ",\"l1\":");
        nd_json_number(sb, p->l1);
        nd_sb_puts(sb, ",\"period\":");
        nd_json_number(sb, p->period);
        nd_sb_puts(sb, ",\"criticality\":");
        nd_json_string(sb, nd_bif_criticality(p));
        nd_sb_printf(sb, ",\"branch\":%zu,\"on_cycle\":%s}", p->branch,
                     p->on_cycle ? "true" : "false");
    }
    nd_sb_puts(sb, "],\"cycles\":[");
    for (size_t c = 0; c < r->ncycles; c++) {
        const nd_cycle_branch *cb = &r->cycles[c];
        nd_sb_printf(sb, "%s{\"from_point\":%zu", c ? "," : "", cb->from_point);
        json_numbers(sb, "param", cb->param, cb->n);
        json_numbers(sb, "period", cb->period, cb->n);
        nd_sb_puts(sb, ",\"min\":");
        json_state(sb, r, cb->xmin, r->dim, cb->n);
        nd_sb_puts(sb, ",\"max\":");
        json_state(sb, r, cb->xmax, r->dim, cb->n);
        json_ints(sb, "stable", cb->stable, cb->n);
        nd_sb_putc(sb, '}');
    }
    nd_sb_puts(sb, "],\"notes\":");
    nd_json_string(sb, r->notes);
    nd_sb_putc(sb, '}');
}

nd_bundle *nd_bif_bundle(const nd_bif_result *r)
{
    nd_sb plain, html, json;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_init(&json);
    char *sum = nd_bif_summary(r);
    nd_sb_printf(&plain, "%s\n", sum ? sum : "");
    nd_sb_puts(&html, "<p>");
    nd_html_escape(&html, sum ? sum : "");
    nd_sb_puts(&html, "</p>");
    free(sum);
    if (r->npoints) nd_sb_putc(&plain, '\n');
    point_table(r, &plain, &html);
    if (r->notes[0]) {
        nd_sb_printf(&plain, "\n%s", r->notes);
        nd_sb_puts(&html, "<p>");
        nd_html_escape(&html, r->notes);
        nd_sb_puts(&html, "</p>");
    }
    json_result(&json, r);
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), nd_sb_take(&json));
}
