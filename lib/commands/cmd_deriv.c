/* deriv: time derivatives of a dataset's columns (finite differences, Savitzky–Golay,
   total variation), and a side-by-side comparison of the three on the same data. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/numfmt.h"
#include "../base/strbuf.h"
#include "../base/table.h"
#include "../base/textfmt.h"
#include "../learn/deriv.h"
#include "../plot/figure.h"
#include "../language/args.h"
#include "deriv_args.h"
#include "modules.h"
#include "../language/target.h"

enum { NMETHODS = 3 };

typedef struct deriv_call {
    nd_value *holder;           /* keeps ds alive */
    nd_dataset *ds;
    const char *src;            /* the dataset's name in the workspace, or "the data" */
    int *cols;                  /* the differentiated columns */
    size_t nvars;
    nd_deriv_options o[NMETHODS];   /* each method's settings */
    int method;                 /* the method asked for, or -1 for all three */
    int compare;                /* show the comparison figure and table */
} deriv_call;

/* The derivatives: d[m][v] for method m (only the computed ones) and variable v. */
typedef struct deriv_out {
    double *d[NMETHODS];
    nd_deriv_info info[NMETHODS];   /* per method, for the last variable */
    nd_deriv_info *tv_info;         /* per variable: what TV used */
} deriv_out;

static const char *const long_names[NMETHODS] = {
    "finite differences", "Savitzky–Golay", "total variation"
};

/* Whether method m is computed (all three for a comparison) ... */
static int computed(const deriv_call *c, int m)
{
    return c->compare || c->method < 0 || c->method == m;
}

/* ... and whether it goes into the result. */
static int in_result(const deriv_call *c, int m)
{
    return c->method < 0 || c->method == m;
}

static nd_status read_options(const nd_cmd_ctx *ctx, deriv_call *c, nd_error *err)
{
    char *word = NULL;
    nd_status st = nd_arg_opt_word(ctx, "method", NULL, &word, err);
    if (st != ND_OK) return st;
    nd_deriv_method m = ND_DERIV_FD;
    c->method = ND_DERIV_FD;
    if (word && strcmp(word, "all") == 0) c->method = -1;
    else if (word && nd_deriv_parse(word, &m) != 0)
        st = nd_arg_error(nd_arg_opt(ctx, "method"), err, ND_EVALUE,
                          "unknown derivative method '%s': fd, savgol, tv or all", word);
    else if (word) c->method = (int)m;
    free(word);
    if (st != ND_OK) return st;
    int cmp;
    if ((st = nd_arg_opt_bool(ctx, "compare", 0, &cmp, err)) != ND_OK) return st;
    c->compare = cmp || c->method < 0;
    if (cmp && !nd_arg_opt(ctx, "method")) c->method = -1;
    for (int k = 0; k < NMETHODS; k++) nd_deriv_options_default(&c->o[k], (nd_deriv_method)k);
    /* One set of values for all methods; the window must fit the data only when
       Savitzky–Golay is computed. */
    nd_deriv_options all = c->o[ND_DERIV_SAVGOL];
    all.method = computed(c, ND_DERIV_SAVGOL) ? ND_DERIV_SAVGOL : ND_DERIV_FD;
    if ((st = nd_deriv_args_read(ctx, &all, nd_ds_rows(c->ds), nd_arg_pos(ctx, 0), err)) != ND_OK)
        return st;
    for (int k = 0; k < NMETHODS; k++) {
        c->o[k].window = all.window;
        c->o[k].order = all.order;
        c->o[k].iters = all.iters;
        c->o[k].alpha = all.alpha;
    }
    return ND_OK;
}

static nd_status read_call(const nd_cmd_ctx *ctx, deriv_call *c, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 1, -1, err);
    if (st != ND_OK) return st;
    const nd_arg *a0 = nd_arg_pos(ctx, 0);
    if ((st = nd_target_dataset(ctx, a0, &c->holder, &c->ds, err)) != ND_OK) return st;
    c->src = a0->value->kind == ND_EXPR_NAME ? a0->value->str : "the data";
    size_t ncols = nd_ds_cols(c->ds), npos = nd_arg_count(ctx);
    c->cols = malloc((ncols > npos ? ncols : npos) * sizeof *c->cols);
    if (!c->cols) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t i = 1; i < npos; i++) {
        const nd_arg *a = nd_arg_pos(ctx, i);
        const char *name;
        if ((st = nd_arg_name(ctx, a, &name, err)) != ND_OK) return st;
        int j = nd_ds_find(c->ds, name);
        if (j < 1)
            return nd_arg_error(a, err, ND_ENAME, "%s has no column '%s'%s", c->src, name,
                                j == 0 ? " to differentiate (it is the time)" : "");
        for (size_t k = 0; k < c->nvars; k++)
            if (c->cols[k] == j)
                return nd_arg_error(a, err, ND_EVALUE, "'%s' is named twice", name);
        c->cols[c->nvars++] = j;
    }
    if (npos == 1)
        for (size_t j = 1; j < ncols; j++) c->cols[c->nvars++] = (int)j;
    if (c->nvars == 0)
        return nd_arg_error(a0, err, ND_EVALUE, "%s has no column besides the time", c->src);
    return read_options(ctx, c, err);
}

/* "dV/dt" (suffix: "_fd" ...) into a new string. */
static char *column_name(const char *var, const char *suffix)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_printf(&sb, "d%s/dt%s%s", var, suffix ? "_" : "", suffix ? suffix : "");
    return nd_sb_take(&sb);
}

/* "mV/ms" when both units are known, else NULL (unknown). */
static char *column_unit(const nd_dataset *ds, int col)
{
    return nd_fig_unit_per(nd_ds_unit(ds, (size_t)col), nd_ds_unit(ds, 0));
}

static nd_status compute(const nd_cmd_ctx *ctx, const deriv_call *c, deriv_out *out,
                         nd_error *err)
{
    size_t n = nd_ds_rows(c->ds);
    const double *t = nd_ds_col(c->ds, 0);
    out->tv_info = calloc(c->nvars, sizeof *out->tv_info);
    if (!out->tv_info) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (int m = 0; m < NMETHODS; m++) {
        if (!computed(c, m)) continue;
        out->d[m] = malloc((n ? n : 1) * c->nvars * sizeof *out->d[m]);
        if (!out->d[m]) return nd_error_fail(err, ND_ENOMEM, "out of memory");
        for (size_t v = 0; v < c->nvars; v++) {
            const double *x = nd_ds_col(c->ds, (size_t)c->cols[v]);
            nd_status st = nd_deriv_ex(t, x, n, &c->o[m], out->d[m] + v * n, &out->info[m], err);
            if (st != ND_OK) {
                /* Prefix the column: "dv/dt: sample 7 (t = 0.6) is not a finite number". */
                nd_sb sb;
                nd_sb_init(&sb);
                nd_sb_printf(&sb, "%s of %s: %s", nd_deriv_name((nd_deriv_method)m),
                             nd_ds_name(c->ds, (size_t)c->cols[v]), err->msg);
                if (sb.data) {
                    size_t len = strlen(sb.data);
                    if (len >= sizeof err->msg) len = sizeof err->msg - 1;
                    memcpy(err->msg, sb.data, len);
                    err->msg[len] = '\0';
                }
                nd_sb_free(&sb);
                nd_target_locate(err, nd_arg_pos(ctx, 0));
                return st;
            }
            if (m == ND_DERIV_TV) out->tv_info[v] = out->info[m];
            if ((st = nd_cmd_check_interrupt(ctx, err)) != ND_OK) return st;
        }
    }
    return ND_OK;
}

/* The result: t and one column per variable (three per variable for method=all). */
static nd_dataset *result_dataset(const deriv_call *c, const deriv_out *out)
{
    size_t n = nd_ds_rows(c->ds);
    const char *tname = nd_ds_name(c->ds, 0), *tunit = nd_ds_unit(c->ds, 0);
    nd_dataset *ds = nd_ds_create(1, &tname, &tunit);
    int ok = ds && nd_ds_reserve(ds, n) == 0;
    for (size_t i = 0; ok && i < n; i++) ok = nd_ds_append(ds, &nd_ds_col(c->ds, 0)[i]) == 0;
    for (size_t v = 0; ok && v < c->nvars; v++)
        for (int m = 0; ok && m < NMETHODS; m++) {
            if (!in_result(c, m)) continue;
            const char *var = nd_ds_name(c->ds, (size_t)c->cols[v]);
            char *name = column_name(var, c->method < 0 ? nd_deriv_name((nd_deriv_method)m) : NULL);
            char *unit = column_unit(c->ds, c->cols[v]);
            ok = name && nd_ds_add_column(ds, name, unit, out->d[m] + v * n) == 0;
            free(name);
            free(unit);
        }
    for (size_t k = 0; ok && k < nd_ds_meta_count(c->ds); k++)
        nd_ds_set_meta(ds, nd_ds_meta_key(c->ds, k), nd_ds_meta_value(c->ds, k));
    if (ok) {
        char buf[ND_NUMFMT_CAP];
        nd_ds_set_meta(ds, "derivative_of", c->src);
        nd_ds_set_meta(ds, "derivative_method", c->method < 0 ? "all"
                       : nd_deriv_name((nd_deriv_method)c->method));
        if (in_result(c, ND_DERIV_SAVGOL)) {
            snprintf(buf, sizeof buf, "%d", c->o[1].window);
            nd_ds_set_meta(ds, "window", buf);
            snprintf(buf, sizeof buf, "%d", c->o[1].order);
            nd_ds_set_meta(ds, "order", buf);
        }
        if (in_result(c, ND_DERIV_TV)) {
            nd_ds_set_meta(ds, "alpha", nd_numfmt(out->tv_info[0].alpha, buf));
            snprintf(buf, sizeof buf, "%d", c->o[2].iters);
            nd_ds_set_meta(ds, "iters", buf);
        }
    }
    if (!ok) {
        nd_ds_free(ds);
        return NULL;
    }
    return ds;
}

/* "Savitzky–Golay (window 9, order 3)" and the like. */
static void describe_method(nd_sb *sb, const deriv_call *c, int m, const nd_deriv_info *tv)
{
    nd_sb_puts(sb, long_names[m]);
    if (m == ND_DERIV_FD)
        nd_sb_puts(sb, " (second order)");
    else if (m == ND_DERIV_SAVGOL)
        nd_sb_printf(sb, " (window %d, order %d)", c->o[m].window, c->o[m].order);
    else if (c->o[m].alpha > 0)
        nd_sb_printf(sb, " (alpha %.4g, %d iterations)", tv->alpha, c->o[m].iters);
    else if (tv->alpha > 0)
        nd_sb_printf(sb, " (alpha %.4g chosen from the noise, sigma ≈ %.3g; %d iterations)",
                     tv->alpha, tv->sigma, c->o[m].iters);
    else
        nd_sb_puts(sb, " (no noise detected: alpha 0, the same as finite differences)");
}

static nd_bundle *summary_bundle(const deriv_call *c, const deriv_out *out, const nd_dataset *res)
{
    nd_sb plain, html, json;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_init(&json);
    size_t n = nd_ds_rows(c->ds);
    const double *t = nd_ds_col(c->ds, 0);
    for (size_t v = 0; v < c->nvars; v++) {
        const char *var = nd_ds_name(c->ds, (size_t)c->cols[v]);
        /* One line for all variables, except for TV whose alpha differs per variable. */
        if (v > 0 && c->method != ND_DERIV_TV) break;
        if (c->method == ND_DERIV_TV || c->nvars == 1) nd_sb_printf(&plain, "d%s/dt", var);
        else {
            nd_sb_puts(&plain, "d/dt of ");
            for (size_t k = 0; k < c->nvars; k++)
                nd_sb_printf(&plain, "%s%s", k ? ", " : "", nd_ds_name(c->ds, (size_t)c->cols[k]));
        }
        nd_sb_printf(&plain, " in %s", c->src);
        if (c->method >= 0) {
            nd_sb_puts(&plain, " by ");
            describe_method(&plain, c, c->method, &out->tv_info[v]);
        } else {
            nd_sb_puts(&plain, " by fd, savgol and tv");
        }
        char a[ND_NUMFMT_CAP], b[ND_NUMFMT_CAP];
        nd_sb_printf(&plain, ": %zu samples, t %s..%s\n", n, nd_numfmt(n ? t[0] : 0, a),
                     nd_numfmt(n ? t[n - 1] : 0, b));
    }
    nd_sb_puts(&html, "<pre>");
    nd_html_escape(&html, plain.data ? plain.data : "");
    nd_sb_puts(&html, "</pre>");
    nd_sb_puts(&json, "{\"type\":\"derivative\",\"source\":");
    nd_json_string(&json, c->src);
    nd_sb_puts(&json, ",\"method\":");
    nd_json_string(&json, c->method < 0 ? "all" : nd_deriv_name((nd_deriv_method)c->method));
    nd_sb_printf(&json, ",\"rows\":%zu,\"columns\":[", n);
    for (size_t j = 1; j < nd_ds_cols(res); j++) {
        if (j > 1) nd_sb_putc(&json, ',');
        nd_json_string(&json, nd_ds_name(res, j));
    }
    nd_sb_puts(&json, "],\"variables\":[");
    for (size_t v = 0; v < c->nvars; v++) {
        nd_sb_puts(&json, v ? ",{\"name\":" : "{\"name\":");
        nd_json_string(&json, nd_ds_name(c->ds, (size_t)c->cols[v]));
        if (computed(c, ND_DERIV_TV)) {
            nd_sb_puts(&json, ",\"alpha\":");
            nd_json_number(&json, out->tv_info[v].alpha);
            nd_sb_puts(&json, ",\"sigma\":");
            nd_json_number(&json, out->tv_info[v].sigma);
        }
        nd_sb_putc(&json, '}');
    }
    nd_sb_putc(&json, ']');
    if (computed(c, ND_DERIV_SAVGOL))
        nd_sb_printf(&json, ",\"window\":%d,\"order\":%d", c->o[1].window, c->o[1].order);
    if (computed(c, ND_DERIV_TV)) nd_sb_printf(&json, ",\"iters\":%d", c->o[2].iters);
    nd_sb_putc(&json, '}');
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), nd_sb_take(&json));
}

static double rms_diff(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
    return n ? sqrt(s / (double)n) : 0;
}

static double total_variation(const double *a, size_t n)
{
    double s = 0;
    for (size_t i = 1; i < n; i++) s += fabs(a[i] - a[i - 1]);
    return s;
}

/* The three estimates of one variable's derivative, overlaid against t. */
static nd_status compare_figure(const nd_cmd_ctx *ctx, const deriv_call *c, const deriv_out *out,
                                size_t v, nd_error *err)
{
    size_t n = nd_ds_rows(c->ds);
    const char *var = nd_ds_name(c->ds, (size_t)c->cols[v]);
    const char *tu = nd_ds_unit(c->ds, 0);
    char *unit = column_unit(c->ds, c->cols[v]);
    nd_sb title, xl, yl;
    nd_sb_init(&title);
    nd_sb_init(&xl);
    nd_sb_init(&yl);
    nd_sb_printf(&title, "d%s/dt of %s: three estimates", var, c->src);
    nd_sb_printf(&xl, tu && tu[0] ? "%s [%s]" : "%s", nd_ds_name(c->ds, 0), tu);
    nd_sb_printf(&yl, unit ? "d%s/dt [%s]" : "d%s/dt", var, unit);
    free(unit);
    nd_figure *fig = nd_fig_create(nd_sb_str(&title));
    int p = fig ? nd_fig_add_panel(fig, nd_sb_str(&xl), nd_sb_str(&yl)) : -1;
    static const nd_fig_style styles[NMETHODS] = {
        {ND_FIG_SOLID, ND_FIG_NOMARK, ND_FIG_GRAY, 1.0},
        {ND_FIG_SOLID, ND_FIG_NOMARK, ND_FIG_ORANGE, 1.5},
        {ND_FIG_SOLID, ND_FIG_NOMARK, ND_FIG_BLUE, 2.0},
    };
    int ok = p >= 0;
    for (int m = 0; ok && m < NMETHODS; m++)
        ok = nd_fig_add_series(fig, p, nd_deriv_name((nd_deriv_method)m), nd_ds_col(c->ds, 0),
                               out->d[m] + v * n, n, styles[m]) >= 0;
    nd_sb_free(&title);
    nd_sb_free(&xl);
    nd_sb_free(&yl);
    nd_bundle *b = NULL;
    nd_status st = ok ? nd_fig_render(fig, &b, err)
                      : nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_fig_free(fig);
    return st == ND_OK ? nd_cmd_display(ctx, b, err) : st;
}

/* Per method: how far it is from the other two, and how rough it is. */
static nd_bundle *compare_table(const deriv_call *c, const deriv_out *out, size_t v)
{
    static const char *const headers[] = {"method", "settings", "RMS diff to fd",
                                          "RMS diff to savgol", "RMS diff to tv",
                                          "total variation"};
    size_t n = nd_ds_rows(c->ds);
    const char *var = nd_ds_name(c->ds, (size_t)c->cols[v]);
    nd_table *t = nd_table_create(6, headers);
    nd_sb plain, html, json;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_init(&json);
    double tv[NMETHODS];
    for (int m = 0; m < NMETHODS; m++) tv[m] = total_variation(out->d[m] + v * n, n);
    int smooth = 0;
    for (int m = 1; m < NMETHODS; m++)
        if (tv[m] < tv[smooth]) smooth = m;
    nd_sb_printf(&plain, "d%s/dt of %s: RMS difference between the estimates, and total "
                 "variation Σ|Δ| (roughness: noise makes it large). Smoothest: %s.\n",
                 var, c->src, nd_deriv_name((nd_deriv_method)smooth));
    nd_sb_puts(&html, "<p>");
    nd_html_escape(&html, plain.data ? plain.data : "");
    nd_sb_puts(&html, "</p>");
    nd_sb_puts(&json, "{\"type\":\"derivative_comparison\",\"source\":");
    nd_json_string(&json, c->src);
    nd_sb_puts(&json, ",\"variable\":");
    nd_json_string(&json, var);
    nd_sb_puts(&json, ",\"methods\":[");
    for (int m = 0; m < NMETHODS; m++) {
        nd_sb set;
        nd_sb_init(&set);
        if (m == ND_DERIV_SAVGOL)
            nd_sb_printf(&set, "window %d, order %d", c->o[m].window, c->o[m].order);
        else if (m == ND_DERIV_TV)
            nd_sb_printf(&set, "alpha %.4g%s", out->tv_info[v].alpha,
                         c->o[m].alpha > 0 ? "" : " (auto)");
        char cells[NMETHODS][32], tvs[32];
        nd_sb_printf(&json, "%s{\"method\":\"%s\",\"rms_difference\":{", m ? "," : "",
                     nd_deriv_name((nd_deriv_method)m));
        for (int k = 0; k < NMETHODS; k++) {
            double r = rms_diff(out->d[m] + v * n, out->d[k] + v * n, n);
            if (k == m) snprintf(cells[k], sizeof cells[k], "-");
            else snprintf(cells[k], sizeof cells[k], "%.4g", r);
            nd_sb_printf(&json, "%s\"%s\":", k ? "," : "", nd_deriv_name((nd_deriv_method)k));
            nd_json_number(&json, r);
        }
        nd_sb_puts(&json, "},\"total_variation\":");
        nd_json_number(&json, tv[m]);
        if (m == ND_DERIV_TV) {
            nd_sb_puts(&json, ",\"alpha\":");
            nd_json_number(&json, out->tv_info[v].alpha);
        }
        nd_sb_putc(&json, '}');
        snprintf(tvs, sizeof tvs, "%.4g", tv[m]);
        const char *row[] = {nd_deriv_name((nd_deriv_method)m), set.data ? set.data : "",
                             cells[0], cells[1], cells[2], tvs};
        if (t) nd_table_add_row(t, row);
        nd_sb_free(&set);
    }
    nd_sb_printf(&json, "],\"smoothest\":\"%s\"}", nd_deriv_name((nd_deriv_method)smooth));
    if (t) {
        nd_sb_putc(&plain, '\n');
        nd_table_text(t, &plain);
        nd_table_html(t, &html);
    }
    nd_table_free(t);
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), nd_sb_take(&json));
}

static nd_status run_deriv(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    deriv_call c = {0};
    deriv_out out = {0};
    nd_dataset *res = NULL;
    nd_status st = read_call(ctx, &c, err);
    if (st == ND_OK) st = compute(ctx, &c, &out, err);
    if (st == ND_OK && !(res = result_dataset(&c, &out)))
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) st = nd_cmd_display(ctx, summary_bundle(&c, &out, res), err);
    for (size_t v = 0; st == ND_OK && c.compare && v < c.nvars; v++) {
        st = compare_figure(ctx, &c, &out, v, err);
        if (st == ND_OK) st = nd_cmd_display(ctx, compare_table(&c, &out, v), err);
    }
    if (st == ND_OK) {
        *result = nd_value_dataset(res);
        res = NULL;
        if (!*result) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    nd_ds_free(res);
    for (int m = 0; m < NMETHODS; m++) free(out.d[m]);
    free(out.tv_info);
    free(c.cols);
    nd_value_unref(c.holder);
    return st;
}

static const nd_option deriv_options[] = {
    {"method", "fd", "fd (finite differences), savgol (Savitzky–Golay), tv (total "
                     "variation) or all (the three, compared)"},
    {"window", "9", "savgol: odd number of samples in each local fit"},
    {"order", "3", "savgol: degree of the local polynomial, below the window"},
    {"alpha", "0", "tv: regularisation weight; 0 chooses it from the data's noise"},
    {"iters", "20", "tv: lagged-diffusivity iterations"},
    {"compare", "false", "also plot the three estimates and tabulate how they differ"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_deriv = {
    "deriv", "time derivatives of a dataset's columns (fd, Savitzky–Golay, total variation)",
    "[NAME =] deriv DATASET [VAR ...] [method=fd|savgol|tv|all window= order= alpha= iters= "
    "compare=]",
    "Estimates dVAR/dt for each VAR (default: every column but t) and returns a dataset "
    "with t and one column dVAR/dt per variable (with method=all: dVAR/dt_fd, "
    "dVAR/dt_savgol, dVAR/dt_tv) — the targets SINDy regresses on.\n\n"
    "fd: second-order central differences, one-sided at the ends; any spacing. Exact on "
    "quadratics, but it amplifies noise: noise σ at step h gives errors of about σ/h.\n\n"
    "savgol: Savitzky–Golay, the slope of a least-squares polynomial of degree `order` "
    "fitted to `window` samples around each point (the window stays inside the data at "
    "the ends). Exact on polynomials up to that degree; a wider window smooths more. "
    "Needs evenly spaced samples.\n\n"
    "tv: total-variation regularised differentiation (Chartrand 2011): the derivative u "
    "minimising alpha·Σ|Δu| + ½‖∫u − x‖², which removes noise while keeping sharp "
    "corners (an upstroke, a switch). With alpha=0 the weight is chosen from the data: "
    "where the residual between the data and the smoothed signal ∫u looks like white "
    "noise (too little smoothing leaves it anticorrelated, too much puts signal in it). "
    "Data with no noise (below 1e-6 of the range, such as clean simulations) get alpha "
    "0, plain fd. Needs evenly spaced samples.\n\n"
    "compare=true (or method=all) also draws the three estimates over each other and "
    "tabulates, per method, the RMS difference to the other two and the total variation "
    "Σ|Δ(dVAR/dt)| — a noisy estimate has a large one.",
    deriv_options,
    "use fhn\nset I = 0.5\ndata = simulate t=50 sample=0.1 observe=v,w noise=0.01 seed=1\n"
    "d = deriv data method=savgol window=11\n"
    "dv = deriv data v method=tv\n"
    "deriv data v compare=true",
    0, run_deriv
};

nd_status nd_cmd_register_deriv(nd_cmd_registry *reg, nd_error *err)
{
    return nd_cmd_register(reg, &cmd_deriv, err);
}
