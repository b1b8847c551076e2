/* How a two-parameter result is shown: the summary, the table of codimension-2 points,
   a line per curve (text, HTML, JSON), and the figure in the parameter plane. */
#include "codim2.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/numfmt.h"
#include "../base/strbuf.h"
#include "../base/table.h"
#include "../base/textfmt.h"
#include "../plot/ds_figure.h"

static size_t count_curves(const nd_c2_result *r, int kind)
{
    size_t c = 0;
    for (size_t i = 0; i < r->ncurves; i++) c += r->curves[i].kind == kind;
    return c;
}

static void summary(nd_sb *sb, const nd_c2_result *r)
{
    char a[ND_NUMFMT_CAP], b[ND_NUMFMT_CAP], c[ND_NUMFMT_CAP], d[ND_NUMFMT_CAP];
    size_t nh = count_curves(r, ND_C2_HOPF), nf = count_curves(r, ND_C2_FOLD);
    size_t nl = count_curves(r, ND_C2_LPC);
    nd_sb_printf(sb, "two-parameter bifurcation diagram of %s in %s over [%s, %s] × %s over "
                 "[%s, %s]: %zu Hopf curve%s, %zu fold curve%s, ",
                 r->model, r->par[0], nd_numfmt(r->lo[0], a), nd_numfmt(r->hi[0], b),
                 r->par[1], nd_numfmt(r->lo[1], c), nd_numfmt(r->hi[1], d), nh,
                 nh == 1 ? "" : "s", nf, nf == 1 ? "" : "s");
    if (nl) nd_sb_printf(sb, "%zu fold-of-cycles (LPC) curve%s, ", nl, nl == 1 ? "" : "s");
    nd_sb_printf(sb, "%zu codimension-2 point%s", r->npoints, r->npoints == 1 ? "" : "s");
}

static void state_text(nd_sb *sb, const nd_c2_result *r, const double *x)
{
    for (size_t i = 0; i < r->dim; i++)
        nd_sb_printf(sb, "%s%s = %.6g", i ? ", " : "", r->names[i], x[i]);
}

/* "l1: 0.0012 → -0.0008" for a Bautin point, "ω = 0.53" for a zero-Hopf, "" otherwise. */
static void point_detail(nd_sb *sb, const nd_c2_point *p)
{
    if (p->kind == ND_C2_BAUTIN)
        nd_sb_printf(sb, "l1 %.4g → %.4g along the curve", p->l1_before, p->l1_after);
    else if (isfinite(p->omega) && p->kind != ND_C2_BT)
        nd_sb_printf(sb, "ω = %.6g", p->omega);
}

static void point_table(const nd_c2_result *r, nd_sb *plain, nd_sb *html)
{
    const char *headers[] = {"point", r->par[0], r->par[1], "state", "on", "detail"};
    nd_table *t = nd_table_create(6, headers);
    size_t seen[5] = {0};
    for (size_t i = 0; t && i < r->npoints; i++) {
        const nd_c2_point *p = &r->points[i];
        char tag[32], p1[32], p2[32], on[32];
        snprintf(tag, sizeof tag, "%s%zu %s", nd_c2_kind_tag(p->kind), ++seen[p->kind],
                 nd_c2_kind_name(p->kind));
        snprintf(p1, sizeof p1, "%.8g", p->p1);
        snprintf(p2, sizeof p2, "%.8g", p->p2);
        snprintf(on, sizeof on, "%s curve %zu", nd_c2_curve_name(r->curves[p->curve].kind),
                 p->curve + 1);
        nd_sb st, det;
        nd_sb_init(&st);
        nd_sb_init(&det);
        state_text(&st, r, p->state);
        point_detail(&det, p);
        const char *row[] = {tag, p1, p2, nd_sb_str(&st), on, nd_sb_str(&det)};
        nd_table_add_row(t, row);
        nd_sb_free(&st);
        nd_sb_free(&det);
    }
    if (t && r->npoints) {
        nd_table_text(t, plain);
        nd_table_html(t, html);
    }
    nd_table_free(t);
}

/* The points of an LPC curve, at most 12 spread along it: the parameters, the period and
   the state where the cycle's first shooting segment starts. */
static void lpc_table(const nd_c2_result *r, const nd_c2_curve *cv, nd_sb *plain)
{
    size_t nh = 3 + r->dim;
    const char **headers = malloc(nh * sizeof *headers);
    if (!headers) return;
    headers[0] = r->par[0];
    headers[1] = r->par[1];
    headers[2] = "period";
    for (size_t i = 0; i < r->dim; i++) headers[3 + i] = r->names[i];
    nd_table *t = nd_table_create(nh, headers);
    char (*cells)[32] = malloc(nh * sizeof *cells);
    const char **row = malloc(nh * sizeof *row);
    size_t shown = cv->n < 12 ? cv->n : 12;
    for (size_t k = 0; t && cells && row && k < shown; k++) {
        size_t i = shown > 1 ? k * (cv->n - 1) / (shown - 1) : 0;
        double v[3] = {cv->p1[i], cv->p2[i], cv->period[i]};
        for (size_t j = 0; j < nh; j++) {
            snprintf(cells[j], sizeof cells[j], "%.7g", j < 3 ? v[j] : cv->state[i * r->dim + j - 3]);
            row[j] = cells[j];
        }
        nd_table_add_row(t, row);
    }
    if (t && cells && row && shown) {
        nd_table_text(t, plain);
        nd_sb_putc(plain, '\n');
    }
    nd_table_free(t);
    free(cells);
    free(row);
    free(headers);
}

static void curve_lines(const nd_c2_result *r, nd_sb *plain)
{
    for (size_t c = 0; c < r->ncurves; c++) {
        const nd_c2_curve *cv = &r->curves[c];
        double lo1 = INFINITY, hi1 = -INFINITY, lo2 = INFINITY, hi2 = -INFINITY;
        for (size_t i = 0; i < cv->n; i++) {
            lo1 = fmin(lo1, cv->p1[i]), hi1 = fmax(hi1, cv->p1[i]);
            lo2 = fmin(lo2, cv->p2[i]), hi2 = fmax(hi2, cv->p2[i]);
        }
        nd_sb_printf(plain, "%s curve %zu: %zu points, %s %.6g … %.6g, %s %.6g … %.6g; ends: "
                     "%s\n", nd_c2_curve_name(cv->kind), c + 1, cv->n, r->par[0], lo1, hi1,
                     r->par[1], lo2, hi2, cv->end ? cv->end : "-");
        if (cv->kind == ND_C2_LPC) lpc_table(r, cv, plain);
    }
}

/* {NAME: [x[k*dim + i] for k < n]} */
static json_t *states_json(const nd_c2_result *r, const double *x, size_t n)
{
    json_t *o = json_object();
    int rc = o ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < r->dim; i++) {
        json_t *v = json_array();
        for (size_t k = 0; v && k < n && rc == 0; k++)
            rc |= nd_json_push(v, nd_json_real(x[k * r->dim + i]));
        rc |= nd_json_put(o, r->names[i], v);
    }
    return nd_json_ok(o, rc);
}

static json_t *state_json(const nd_c2_result *r, const double *x)
{
    json_t *o = json_object();
    int rc = o ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < r->dim; i++)
        rc |= nd_json_put(o, r->names[i], nd_json_real(x[i]));
    return nd_json_ok(o, rc);
}

static json_t *curve_json(const nd_c2_result *r, const nd_c2_curve *cv)
{
    json_t *o = json_object(), *nu = json_array();
    int rc = nu ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < cv->n; i++)
        rc |= nd_json_push(nu, json_integer(cv->n_unstable[i]));
    return nd_json_ok(o, rc | nd_json_put(o, "kind", json_string(nd_c2_curve_name(cv->kind))) |
                         nd_json_put(o, "p1", nd_json_reals(cv->p1, cv->n)) |
                         nd_json_put(o, "p2", nd_json_reals(cv->p2, cv->n)) |
                         nd_json_put(o, "state", states_json(r, cv->state, cv->n)) |
                         nd_json_put(o, "omega", nd_json_reals(cv->omega, cv->n)) |
                         nd_json_put(o, "l1", nd_json_reals(cv->l1, cv->n)) |
                         nd_json_put(o, "a", nd_json_reals(cv->a, cv->n)) |
                         nd_json_put(o, "period", nd_json_reals(cv->period, cv->n)) |
                         nd_json_put(o, "n_unstable", nu) |
                         nd_json_put(o, "end", nd_json_utf8(cv->end ? cv->end : "")));
}

static json_t *point_json(const nd_c2_result *r, const nd_c2_point *p)
{
    json_t *o = json_object();
    return nd_json_ok(o, nd_json_put(o, "kind", json_string(nd_c2_kind_name(p->kind))) |
                         nd_json_put(o, "tag", json_string(nd_c2_kind_tag(p->kind))) |
                         nd_json_put(o, "p1", nd_json_real(p->p1)) |
                         nd_json_put(o, "p2", nd_json_real(p->p2)) |
                         nd_json_put(o, "state", state_json(r, p->state)) |
                         nd_json_put(o, "curve", json_integer((json_int_t)p->curve)) |
                         nd_json_put(o, "omega", nd_json_real(p->omega)) |
                         nd_json_put(o, "l1_before", nd_json_real(p->l1_before)) |
                         nd_json_put(o, "l1_after", nd_json_real(p->l1_after)));
}

static char *result_json(const nd_c2_result *r)
{
    json_t *j = json_object(), *cv = json_array(), *pts = json_array(), *pars = json_array(),
           *box = json_array();
    int rc = nd_json_push(pars, nd_json_utf8(r->par[0])) |
             nd_json_push(pars, nd_json_utf8(r->par[1]));
    for (int k = 0; k < 2; k++) {
        double iv[2] = {r->lo[k], r->hi[k]};
        rc |= nd_json_push(box, nd_json_reals(iv, 2));
    }
    rc |= nd_json_put(j, "type", json_string("bifurcation2")) |
          nd_json_put(j, "model", nd_json_utf8(r->model)) | nd_json_put(j, "parameters", pars) |
          nd_json_put(j, "box", box) | nd_json_put(j, "curves", cv) |
          nd_json_put(j, "points", pts) | nd_json_put(j, "notes", nd_json_utf8(r->notes));
    for (size_t c = 0; rc == 0 && c < r->ncurves; c++)
        rc |= nd_json_push(cv, curve_json(r, &r->curves[c]));
    for (size_t i = 0; rc == 0 && i < r->npoints; i++)
        rc |= nd_json_push(pts, point_json(r, &r->points[i]));
    return nd_json_dump(nd_json_ok(j, rc));
}

nd_bundle *nd_c2_bundle(const nd_c2_result *r)
{
    nd_sb plain, html, lines;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_init(&lines);
    summary(&plain, r);
    nd_sb_puts(&html, "<p>");
    nd_html_escape(&html, nd_sb_str(&plain));
    nd_sb_puts(&html, "</p>");
    nd_sb_puts(&plain, "\n\n");
    point_table(r, &plain, &html);
    if (r->npoints) nd_sb_putc(&plain, '\n');
    curve_lines(r, &lines);
    if (r->notes[0]) nd_sb_puts(&lines, r->notes);
    nd_sb_puts(&plain, nd_sb_str(&lines));
    nd_sb_puts(&html, "<pre>");
    nd_html_escape(&html, nd_sb_str(&lines));
    nd_sb_puts(&html, "</pre>");
    nd_sb_free(&lines);
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), result_json(r));
}

/* ---- the figure ---- */

/* A Hopf curve split where l1 changes sign: subcritical (l1 > 0) dashed, supercritical
   solid; a fold curve solid. Each style labelled once. 0 or -1. */
static int add_curve(nd_figure *fig, const nd_c2_curve *cv, int *labelled)
{
    size_t n = cv->n;
    double *y = malloc(2 * (n ? n : 1) * sizeof *y);
    if (!y) return -1;
    double *y2 = y + n;
    int ok = 1;
    if (cv->kind == ND_C2_LPC) {
        /* sky blue: it must show over the dark and the green of a viridis firing map */
        nd_fig_style st = {ND_FIG_DOTTED, ND_FIG_NOMARK, ND_FIG_SKYBLUE, 3};
        ok = nd_fig_add_series(fig, 0, (*labelled & 8) ? NULL : "fold of cycles (LPC) curve",
                               cv->p1, cv->p2, n, st) >= 0;
        *labelled |= 8;
    } else if (cv->kind == ND_C2_FOLD) {
        nd_fig_style st = {ND_FIG_SOLID, ND_FIG_NOMARK, ND_FIG_BLUE, 2};
        ok = nd_fig_add_series(fig, 0, (*labelled & 1) ? NULL : "fold (saddle-node) curve",
                               cv->p1, cv->p2, n, st) >= 0;
        *labelled |= 1;
    } else {
        int any_sub = 0, any_sup = 0;
        for (size_t i = 0; i < n; i++) y[i] = y2[i] = NAN;
        for (size_t i = 0; i + 1 < n; i++) {
            double l = isfinite(cv->l1[i]) && isfinite(cv->l1[i + 1])
                       ? 0.5 * (cv->l1[i] + cv->l1[i + 1])
                       : isfinite(cv->l1[i]) ? cv->l1[i] : cv->l1[i + 1];
            double *dst = l > 0 ? y2 : y;
            if (l > 0) any_sub = 1;
            else any_sup = 1;
            dst[i] = cv->p2[i];
            dst[i + 1] = cv->p2[i + 1];
        }
        nd_fig_style sup = {ND_FIG_SOLID, ND_FIG_NOMARK, ND_FIG_VERMILLION, 2};
        nd_fig_style sub = {ND_FIG_DASHED, ND_FIG_NOMARK, ND_FIG_ORANGE, 2.5};
        ok = (!any_sup || nd_fig_add_series(fig, 0, (*labelled & 2) ? NULL
                                            : "Hopf curve, supercritical (l1 < 0)",
                                            cv->p1, y, n, sup) >= 0) &&
             (!any_sub || nd_fig_add_series(fig, 0, (*labelled & 4) ? NULL
                                            : "Hopf curve, subcritical (l1 > 0)",
                                            cv->p1, y2, n, sub) >= 0);
        if (any_sup) *labelled |= 2;
        if (any_sub) *labelled |= 4;
    }
    free(y);
    return ok ? 0 : -1;
}

static int add_points(nd_figure *fig, const nd_c2_result *r)
{
    static const nd_fig_marker marks[] = {ND_FIG_SQUARE, ND_FIG_TRIANGLE, ND_FIG_CIRCLE,
                                          ND_FIG_CROSS, ND_FIG_OPEN_CIRCLE};
    size_t seen[5] = {0};
    for (size_t i = 0; i < r->npoints; i++) {
        const nd_c2_point *p = &r->points[i];
        char label[160];
        snprintf(label, sizeof label, "%s%zu %s (%s = %.4g, %s = %.4g)", nd_c2_kind_tag(p->kind),
                 ++seen[p->kind], nd_c2_kind_name(p->kind), r->par[0], p->p1, r->par[1], p->p2);
        nd_fig_style st = {ND_FIG_NOLINE, marks[p->kind], ND_FIG_BLACK, 0};
        if (nd_fig_add_series(fig, 0, label, &p->p1, &p->p2, 1, st) < 0) return -1;
    }
    return 0;
}

/* The column of a sweep grid to draw: rate, else the last. */
static const char *map_column(const nd_dataset *map)
{
    return nd_ds_find(map, "rate") >= 2 ? "rate" : nd_ds_name(map, nd_ds_cols(map) - 1);
}

nd_status nd_c2_figure(const nd_c2_result *r, const nd_dataset *map, const char *title,
                       nd_figure **out, nd_error *err)
{
    *out = NULL;
    char dflt[256];
    snprintf(dflt, sizeof dflt, "%s: two-parameter bifurcation diagram in (%s, %s)%s", r->model,
             r->par[0], r->par[1], map ? ", over the simulated map" : "");
    if (!title) title = dflt;
    nd_figure *fig = NULL;
    size_t nx, ny;
    if (map) {
        if (!nd_ds_grid_shape(map, &nx, &ny) || strcmp(nd_ds_name(map, 0), r->par[0]) != 0 ||
            strcmp(nd_ds_name(map, 1), r->par[1]) != 0)
            return nd_error_fail(err, ND_EVALUE, "the map must be a sweep over the grid %s × %s "
                                 "(sweep %s=a..b n=… %s=c..d n=…)", r->par[0], r->par[1],
                                 r->par[0], r->par[1]);
        fig = nd_ds_heatmap_figure(map, map_column(map), title);
    } else {
        fig = nd_fig_create(title);
        char *xl = nd_fig_label(r->par[0], r->unit[0]), *yl = nd_fig_label(r->par[1], r->unit[1]);
        if (fig && (!xl || !yl || nd_fig_add_panel(fig, xl, yl) < 0)) {
            nd_fig_free(fig);
            fig = NULL;
        }
        free(xl);
        free(yl);
        if (fig) {
            nd_fig_set_xrange(fig, r->lo[0], r->hi[0]);
            nd_fig_set_yrange(fig, 0, r->lo[1], r->hi[1]);
        }
    }
    int labelled = 0, ok = fig != NULL;
    for (size_t c = 0; ok && c < r->ncurves; c++)
        ok = add_curve(fig, &r->curves[c], &labelled) == 0;
    ok = ok && add_points(fig, r) == 0;
    if (!ok) {
        nd_fig_free(fig);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    *out = fig;
    return ND_OK;
}
