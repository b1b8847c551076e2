/* What `deriv` shows (deriv_set.h): how each derivative was estimated, and the three
   estimates compared. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../base/json.h"
#include "../base/numfmt.h"
#include "../base/strbuf.h"
#include "../base/table.h"
#include "../base/textfmt.h"
#include "deriv_set.h"

static const char *const long_names[ND_DERIV_NMETHODS] = {
    "finite differences", "Savitzky–Golay", "total variation"
};

static const char *method_name(int m) { return nd_deriv_name((nd_deriv_method)m); }

/* "Savitzky–Golay (window 9, order 3)" and the like. */
static void describe_method(nd_sb *sb, const nd_deriv_set *s, int m, const nd_deriv_info *tv)
{
    nd_sb_puts(sb, long_names[m]);
    if (m == ND_DERIV_FD)
        nd_sb_puts(sb, " (second order)");
    else if (m == ND_DERIV_SAVGOL)
        nd_sb_printf(sb, " (window %d, order %d)", s->o[m].window, s->o[m].order);
    else if (s->o[m].alpha > 0)
        nd_sb_printf(sb, " (alpha %.4g, %d iterations)", tv->alpha, s->o[m].iters);
    else if (tv->alpha > 0)
        nd_sb_printf(sb, " (alpha %.4g chosen from the noise, sigma ≈ %.3g; %d iterations)",
                     tv->alpha, tv->sigma, s->o[m].iters);
    else
        nd_sb_puts(sb, " (no noise detected: alpha 0, the same as finite differences)");
}

/* Text wrapped in an HTML element: "<pre>…</pre>". */
static char *html_of(const char *open, const char *text, const char *close)
{
    nd_sb html;
    nd_sb_init(&html);
    nd_sb_puts(&html, open);
    nd_html_escape(&html, text);
    nd_sb_puts(&html, close);
    return nd_sb_take(&html);
}

static json_t *summary_json(const nd_deriv_set *s, const nd_dataset *res)
{
    json_t *j = json_object(), *cols = json_array(), *vars = json_array();
    int rc = !j || nd_json_put(j, "type", json_string("derivative")) ||
             nd_json_put(j, "source", nd_json_utf8(s->src)) ||
             nd_json_put(j, "method", nd_json_utf8(s->method < 0 ? "all" : method_name(s->method))) ||
             nd_json_put(j, "rows", json_integer((json_int_t)nd_ds_rows(s->ds)));
    /* nd_json_put takes a value over even when it fails: no short circuit */
    rc |= nd_json_put(j, "columns", cols);
    rc |= nd_json_put(j, "variables", vars);
    for (size_t c = 1; !rc && c < nd_ds_cols(res); c++)
        rc = nd_json_push(cols, nd_json_utf8(nd_ds_name(res, c)));
    int tv = nd_deriv_set_computed(s, ND_DERIV_TV);
    for (size_t v = 0; !rc && v < s->nvars; v++) {
        json_t *o = json_object();
        rc = nd_json_push(vars, o) ||
             nd_json_put(o, "name", nd_json_utf8(nd_ds_name(s->ds, (size_t)s->cols[v]))) ||
             (tv && (nd_json_put(o, "alpha", nd_json_real(s->tv_info[v].alpha)) ||
                     nd_json_put(o, "sigma", nd_json_real(s->tv_info[v].sigma))));
    }
    if (!rc && nd_deriv_set_computed(s, ND_DERIV_SAVGOL))
        rc = nd_json_put(j, "window", json_integer(s->o[ND_DERIV_SAVGOL].window)) ||
             nd_json_put(j, "order", json_integer(s->o[ND_DERIV_SAVGOL].order));
    if (!rc && tv) rc = nd_json_put(j, "iters", json_integer(s->o[ND_DERIV_TV].iters));
    if (!rc) return j;
    json_decref(j);
    return NULL;
}

nd_bundle *nd_deriv_view_summary(const nd_deriv_set *s, const nd_dataset *res)
{
    nd_sb plain;
    nd_sb_init(&plain);
    size_t n = nd_ds_rows(s->ds);
    const double *t = nd_ds_col(s->ds, 0);
    for (size_t v = 0; v < s->nvars; v++) {
        const char *var = nd_ds_name(s->ds, (size_t)s->cols[v]);
        /* One line for all variables, except for TV whose alpha differs per variable. */
        if (v > 0 && s->method != ND_DERIV_TV) break;
        if (s->method == ND_DERIV_TV || s->nvars == 1) nd_sb_printf(&plain, "d%s/dt", var);
        else {
            nd_sb_puts(&plain, "d/dt of ");
            for (size_t k = 0; k < s->nvars; k++)
                nd_sb_printf(&plain, "%s%s", k ? ", " : "", nd_ds_name(s->ds, (size_t)s->cols[k]));
        }
        nd_sb_printf(&plain, " in %s", s->src);
        if (s->method >= 0) {
            nd_sb_puts(&plain, " by ");
            describe_method(&plain, s, s->method, &s->tv_info[v]);
        } else {
            nd_sb_puts(&plain, " by fd, savgol and tv");
        }
        char a[ND_NUMFMT_CAP], b[ND_NUMFMT_CAP];
        nd_sb_printf(&plain, ": %zu samples, t %s..%s\n", n, nd_numfmt(n ? t[0] : 0, a),
                     nd_numfmt(n ? t[n - 1] : 0, b));
    }
    char *html = html_of("<pre>", nd_sb_str(&plain), "</pre>");
    return nd_bundle_take3(nd_sb_take(&plain), html, nd_json_dump(summary_json(s, res)));
}

nd_figure *nd_deriv_view_figure(const nd_deriv_set *s, size_t v)
{
    size_t n = nd_ds_rows(s->ds);
    const char *var = nd_ds_name(s->ds, (size_t)s->cols[v]);
    const char *tu = nd_ds_unit(s->ds, 0);
    char *unit = nd_fig_unit_per(nd_ds_unit(s->ds, (size_t)s->cols[v]), tu);
    nd_sb title, xl, yl;
    nd_sb_init(&title);
    nd_sb_init(&xl);
    nd_sb_init(&yl);
    nd_sb_printf(&title, "d%s/dt of %s: three estimates", var, s->src);
    nd_sb_printf(&xl, tu && tu[0] ? "%s [%s]" : "%s", nd_ds_name(s->ds, 0), tu);
    nd_sb_printf(&yl, unit ? "d%s/dt [%s]" : "d%s/dt", var, unit);
    free(unit);
    nd_figure *fig = nd_fig_create(nd_sb_str(&title));
    int p = fig ? nd_fig_add_panel(fig, nd_sb_str(&xl), nd_sb_str(&yl)) : -1;
    static const nd_fig_style styles[ND_DERIV_NMETHODS] = {
        {ND_FIG_SOLID, ND_FIG_NOMARK, ND_FIG_GRAY, 1.0},
        {ND_FIG_SOLID, ND_FIG_NOMARK, ND_FIG_ORANGE, 1.5},
        {ND_FIG_SOLID, ND_FIG_NOMARK, ND_FIG_BLUE, 2.0},
    };
    int ok = p >= 0;
    for (int m = 0; ok && m < ND_DERIV_NMETHODS; m++)
        ok = nd_fig_add_series(fig, p, method_name(m), nd_ds_col(s->ds, 0), s->d[m] + v * n, n,
                               styles[m]) >= 0;
    nd_sb_free(&title);
    nd_sb_free(&xl);
    nd_sb_free(&yl);
    if (ok) return fig;
    nd_fig_free(fig);
    return NULL;
}

static double rms_diff(const double *a, const double *b, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += (a[i] - b[i]) * (a[i] - b[i]);
    return n ? sqrt(sum / (double)n) : 0;
}

static double total_variation(const double *a, size_t n)
{
    double sum = 0;
    for (size_t i = 1; i < n; i++) sum += fabs(a[i] - a[i - 1]);
    return sum;
}

/* Method m's row of the comparison of variable v: a table row and a JSON object. */
static int compare_row(const nd_deriv_set *s, size_t v, int m, double tv, nd_table *t,
                       json_t *methods)
{
    size_t n = nd_ds_rows(s->ds);
    nd_sb set;
    nd_sb_init(&set);
    if (m == ND_DERIV_SAVGOL)
        nd_sb_printf(&set, "window %d, order %d", s->o[m].window, s->o[m].order);
    else if (m == ND_DERIV_TV)
        nd_sb_printf(&set, "alpha %.4g%s", s->tv_info[v].alpha, s->o[m].alpha > 0 ? "" : " (auto)");
    char cells[ND_DERIV_NMETHODS][32], tvs[32];
    json_t *o = json_object(), *diff = json_object();
    int rc = nd_json_push(methods, o);
    if (rc) o = NULL;   /* released by the failed push */
    rc = rc || nd_json_put(o, "method", nd_json_utf8(method_name(m)));
    rc |= nd_json_put(o, "rms_difference", diff);   /* diff taken over even on failure */
    for (int k = 0; k < ND_DERIV_NMETHODS; k++) {
        double r = rms_diff(s->d[m] + v * n, s->d[k] + v * n, n);
        if (k == m) snprintf(cells[k], sizeof cells[k], "-");
        else snprintf(cells[k], sizeof cells[k], "%.4g", r);
        rc = rc || nd_json_put(diff, method_name(k), nd_json_real(r));
    }
    rc = rc || nd_json_put(o, "total_variation", nd_json_real(tv)) ||
         (m == ND_DERIV_TV && nd_json_put(o, "alpha", nd_json_real(s->tv_info[v].alpha)));
    snprintf(tvs, sizeof tvs, "%.4g", tv);
    const char *row[] = {method_name(m), nd_sb_str(&set), cells[0], cells[1], cells[2], tvs};
    if (t) nd_table_add_row(t, row);
    nd_sb_free(&set);
    return rc;
}

nd_bundle *nd_deriv_view_compare(const nd_deriv_set *s, size_t v)
{
    static const char *const headers[] = {"method", "settings", "RMS diff to fd",
                                          "RMS diff to savgol", "RMS diff to tv",
                                          "total variation"};
    size_t n = nd_ds_rows(s->ds);
    const char *var = nd_ds_name(s->ds, (size_t)s->cols[v]);
    double tv[ND_DERIV_NMETHODS];
    for (int m = 0; m < ND_DERIV_NMETHODS; m++) tv[m] = total_variation(s->d[m] + v * n, n);
    int smooth = 0;
    for (int m = 1; m < ND_DERIV_NMETHODS; m++)
        if (tv[m] < tv[smooth]) smooth = m;
    nd_sb plain;
    nd_sb_init(&plain);
    nd_sb_printf(&plain, "d%s/dt of %s: RMS difference between the estimates, and total "
                 "variation Σ|Δ| (roughness: noise makes it large). Smoothest: %s.\n",
                 var, s->src, method_name(smooth));
    nd_sb html;
    nd_sb_init(&html);
    nd_sb_puts(&html, "<p>");
    nd_html_escape(&html, nd_sb_str(&plain));
    nd_sb_puts(&html, "</p>");
    nd_table *t = nd_table_create(6, headers);
    json_t *j = json_object(), *methods = json_array();
    int rc = !j || nd_json_put(j, "type", json_string("derivative_comparison")) ||
             nd_json_put(j, "source", nd_json_utf8(s->src)) ||
             nd_json_put(j, "variable", nd_json_utf8(var));
    rc |= nd_json_put(j, "methods", methods);   /* taken over even on failure */
    for (int m = 0; m < ND_DERIV_NMETHODS; m++) rc |= compare_row(s, v, m, tv[m], t, methods);
    rc = rc || nd_json_put(j, "smoothest", nd_json_utf8(method_name(smooth)));
    if (t) {
        nd_sb_putc(&plain, '\n');
        nd_table_text(t, &plain);
        nd_table_html(t, &html);
    }
    nd_table_free(t);
    char *json = rc ? NULL : nd_json_dump(j);
    if (rc) json_decref(j);
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), json);
}
