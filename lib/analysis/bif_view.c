/* The summary table and JSON of a bifurcation result. Sub- and supercritical are spelled
   out next to l1 because the sign convention is what students get wrong. */
#include "bif_view.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../base/json.h"
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
    /* branches and their points, not "27 equilibria": hh has one equilibrium at each I */
    nd_sb_printf(&sb, "bifurcation diagram of %s in %s over [%s, %s]: %zu equilibrium "
                 "branch%s (%zu points), %zu Hopf, %zu fold", r->model, r->param,
                 nd_numfmt(r->lo, a), nd_numfmt(r->hi, b), r->nbranches,
                 r->nbranches == 1 ? "" : "es", neq, count_kind(r, ND_BIF_HOPF),
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

/* {NAME: x[i]} for one state (n == 0), or {NAME: [x[k*stride + i] for k < n]}. */
static json_t *state_json(const nd_bif_result *r, const double *x, size_t stride, size_t n)
{
    json_t *o = json_object();
    int rc = o ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < r->dim; i++) {
        json_t *v = n ? json_array() : nd_json_real(x[i]);
        for (size_t k = 0; n && v && k < n && rc == 0; k++)
            rc |= nd_json_push(v, nd_json_real(x[k * stride + i]));
        rc |= nd_json_put(o, r->names[i], v);
    }
    return nd_json_ok(o, rc);
}

static json_t *ints_json(const int *x, size_t n)
{
    json_t *a = json_array();
    int rc = a ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++) rc = nd_json_push(a, json_integer(x[i]));
    return nd_json_ok(a, rc);
}

static json_t *branch_json(const nd_bif_result *r, const nd_eq_branch *br)
{
    json_t *o = json_object();
    return nd_json_ok(o, nd_json_put(o, "kind", json_string("equilibria")) |
                      nd_json_put(o, "param", nd_json_reals(br->param, br->n)) |
                      nd_json_put(o, "state", state_json(r, br->state, r->dim, br->n)) |
                      nd_json_put(o, "n_unstable", ints_json(br->n_unstable, br->n)));
}

static json_t *point_json(const nd_bif_result *r, const nd_bif_point *p)
{
    json_t *o = json_object();
    return nd_json_ok(o, nd_json_put(o, "kind", json_string(nd_bif_kind_name(p->kind))) |
                      nd_json_put(o, "param", nd_json_real(p->param)) |
                      nd_json_put(o, "state", state_json(r, p->state, 0, 0)) |
                      nd_json_put(o, "omega", nd_json_real(p->omega)) |
                      nd_json_put(o, "l1", nd_json_real(p->l1)) |
                      nd_json_put(o, "period", nd_json_real(p->period)) |
                      nd_json_put(o, "criticality", json_string(nd_bif_criticality(p))) |
                      nd_json_put(o, "branch", json_integer((json_int_t)p->branch)) |
                      nd_json_put(o, "on_cycle", json_boolean(p->on_cycle)));
}

static json_t *cycle_json(const nd_bif_result *r, const nd_cycle_branch *cb)
{
    json_t *o = json_object();
    /* from_point: -1 for a branch not born at a special point */
    json_int_t from = cb->from_point == SIZE_MAX ? -1 : (json_int_t)cb->from_point;
    return nd_json_ok(o, nd_json_put(o, "from_point", json_integer(from)) |
                      nd_json_put(o, "param_start", nd_json_real(cb->param_start)) |
                      nd_json_put(o, "method", json_string(cb->simulated ? "simulation"
                                                                          : "shooting")) |
                      nd_json_put(o, "param", nd_json_reals(cb->param, cb->n)) |
                      nd_json_put(o, "period", nd_json_reals(cb->period, cb->n)) |
                      nd_json_put(o, "min", state_json(r, cb->xmin, r->dim, cb->n)) |
                      nd_json_put(o, "max", state_json(r, cb->xmax, r->dim, cb->n)) |
                      nd_json_put(o, "stable", ints_json(cb->stable, cb->n)));
}

static char *result_json(const nd_bif_result *r)
{
    json_t *j = json_object(), *br = json_array(), *pts = json_array(), *cyc = json_array();
    double interval[2] = {r->lo, r->hi};
    int rc = nd_json_put(j, "type", json_string("bifurcation")) |
             nd_json_put(j, "model", nd_json_utf8(r->model)) |
             nd_json_put(j, "parameter", nd_json_utf8(r->param)) |
             nd_json_put(j, "interval", nd_json_reals(interval, 2)) |
             nd_json_put(j, "branches", br) | nd_json_put(j, "points", pts) |
             nd_json_put(j, "cycles", cyc) | nd_json_put(j, "notes", nd_json_utf8(r->notes));
    for (size_t b = 0; rc == 0 && b < r->nbranches; b++)
        rc |= nd_json_push(br, branch_json(r, &r->branches[b]));
    for (size_t i = 0; rc == 0 && i < r->npoints; i++)
        rc |= nd_json_push(pts, point_json(r, &r->points[i]));
    for (size_t c = 0; rc == 0 && c < r->ncycles; c++)
        rc |= nd_json_push(cyc, cycle_json(r, &r->cycles[c]));
    return nd_json_dump(nd_json_ok(j, rc));
}

nd_bundle *nd_bif_bundle(const nd_bif_result *r)
{
    nd_sb plain, html;
    nd_sb_init(&plain);
    nd_sb_init(&html);
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
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), result_json(r));
}
