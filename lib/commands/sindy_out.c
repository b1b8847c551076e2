/* What `sindy` shows — the recovered equations (LaTeX and text), the coefficient table
   with R² and residual RMS, notes on thresholding, the Pareto figure of a sweep — and the
   recovered model it binds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "../base/table.h"
#include "../base/textfmt.h"
#include "../learn/ude.h"
#include "../plot/figure.h"
#include "../language/args.h"
#include "learn_plot.h"
#include "sindy_cmd.h"

/* ---- formatting ---- */

/* A coefficient to four significant digits, trailing zeros kept ("1.000", "-0.3333"). */
static void coef_text(char *buf, size_t cap, double c)
{
    snprintf(buf, cap, "%#.4g", c);
    size_t n = strlen(buf);
    if (n && buf[n - 1] == '.') buf[n - 1] = '\0';
}

static void coef_latex(nd_sb *sb, double c)
{
    char buf[64];
    coef_text(buf, sizeof buf, c);
    char *e = strchr(buf, 'e');
    if (!e) {
        nd_sb_puts(sb, buf);
        return;
    }
    *e = '\0';
    int x = atoi(e + 1);
    nd_sb_printf(sb, "%s \\times 10^{%d}", buf, x);
}

/* "dv/dt" for a state, "INa" for a term. */
static void lhs_text(const nd_sindy_job *job, size_t k, char *buf, size_t cap)
{
    if (job->target_is_state[k]) snprintf(buf, cap, "d%s/dt", job->targets[k]);
    else snprintf(buf, cap, "%s", job->targets[k]);
}

static void name_latex(nd_sb *sb, const char *name)
{
    nd_expr e = {.kind = ND_EXPR_NAME, .str = (char *)name, .span = 1};
    nd_expr_latex(&e, sb);
}

static void equation_text(const nd_sindy_job *job, size_t k, nd_sb *sb)
{
    const double *c = nd_sindy_coef(job->fit);
    size_t p = nd_sindy_lib_size(job->lib), m = job->ntargets;
    char lhs[300], num[64];
    lhs_text(job, k, lhs, sizeof lhs);
    nd_sb_printf(sb, "%s = ", lhs);
    int any = 0;
    for (size_t j = 0; j < p; j++) {
        double v = c[j * m + k];
        if (v == 0) continue;
        coef_text(num, sizeof num, any ? fabs(v) : v);
        if (any) nd_sb_puts(sb, v < 0 ? " - " : " + ");
        nd_sb_puts(sb, num);
        if (!nd_sindy_lib_is_one(job->lib, j)) nd_sb_printf(sb, " %s", nd_sindy_lib_text(job->lib, j));
        any = 1;
    }
    if (!any) nd_sb_puts(sb, "0");
}

static void equation_latex(const nd_sindy_job *job, size_t k, nd_sb *sb)
{
    const double *c = nd_sindy_coef(job->fit);
    size_t p = nd_sindy_lib_size(job->lib), m = job->ntargets;
    if (job->target_is_state[k]) {
        nd_sb_puts(sb, "\\frac{d");
        name_latex(sb, job->targets[k]);
        nd_sb_puts(sb, "}{dt}");
    } else {
        name_latex(sb, job->targets[k]);
    }
    nd_sb_puts(sb, " &= ");
    int any = 0;
    for (size_t j = 0; j < p; j++) {
        double v = c[j * m + k];
        if (v == 0) continue;
        if (any) nd_sb_puts(sb, v < 0 ? " - " : " + ");
        coef_latex(sb, any ? fabs(v) : v);
        if (!nd_sindy_lib_is_one(job->lib, j)) nd_sb_printf(sb, "\\, %s", nd_sindy_lib_latex(job->lib, j));
        any = 1;
    }
    if (!any) nd_sb_puts(sb, "0");
}

/* The scale that turns coefficient (j, k) into the units the threshold applies to. */
static double scale(const nd_sindy_job *job, size_t j, size_t k)
{
    if (!job->opt.normalize || !(job->y_rms[k] > 0)) return 1;
    return job->col_rms[j] / job->y_rms[k];
}

/* The scale of normalised units, whether or not the threshold applied to them. */
static double scale_norm(const nd_sindy_job *job, size_t j, size_t k)
{
    return job->y_rms[k] > 0 ? job->col_rms[j] / job->y_rms[k] : 1;
}

/* Notes: how thresholds were applied, and equations that lost every term. */
/* 1 when some term of the library uses variable name. */
static int library_uses(const nd_sindy_job *job, const char *name)
{
    for (size_t j = 0; j < nd_sindy_lib_size(job->lib); j++)
        if (nd_sindy_lib_uses(job->lib, j, name)) return 1;
    return 0;
}

static void notes(const nd_sindy_job *job, nd_sb *text, nd_sb *json)
{
    size_t p = nd_sindy_lib_size(job->lib), m = job->ntargets;
    const double *full = nd_sindy_coef(job->full);
    int n = 0;
    char lhs[300];
    for (size_t k = 0; k < m; k++) {
        if (nd_sindy_nterms(job->fit, k) > 0) continue;
        double big = 0;
        for (size_t j = 0; j < p; j++) big = fmax(big, fabs(full[j * m + k]) * scale(job, j, k));
        lhs_text(job, k, lhs, sizeof lhs);
        nd_sb s;
        nd_sb_init(&s);
        nd_sb_printf(&s, "%s: every term fell below threshold %.4g (largest |coefficient| "
                     "%.3g%s): lower the threshold", lhs, job->opt.threshold, big,
                     job->opt.normalize ? ", normalised" : "");
        nd_sb_printf(text, "note: %s\n", nd_sb_str(&s));
        nd_sb_puts(json, n++ ? "," : "");
        nd_json_string(json, nd_sb_str(&s));
        nd_sb_free(&s);
    }
    /* An input left out of the library: say so, since its effect then lands elsewhere. */
    for (size_t i = 0; i < job->nvars; i++) {
        if (!job->is_input[i] || library_uses(job, job->vars[i])) continue;
        nd_sb s;
        nd_sb_init(&s);
        nd_sb_printf(&s, "%s is an input (the stimulus column), so poly() leaves it out of the "
                     "library; name it to fit its effect: library=[poly(3), %s]", job->vars[i],
                     job->vars[i]);
        nd_sb_printf(text, "note: %s\n", nd_sb_str(&s));
        nd_sb_puts(json, n++ ? "," : "");
        nd_json_string(json, nd_sb_str(&s));
        nd_sb_free(&s);
    }
    /* The kept coefficient closest to the threshold: how much room the choice had. */
    const double *c = nd_sindy_coef(job->fit);
    double small = INFINITY;
    size_t sj = 0, sk = 0;
    for (size_t k = 0; k < m; k++)
        for (size_t j = 0; j < p; j++) {
            double a = fabs(c[j * m + k]) * scale(job, j, k);
            if (c[j * m + k] != 0 && a < small) small = a, sj = j, sk = k;
        }
    nd_sb s;
    nd_sb_init(&s);
    if (isfinite(small)) {
        lhs_text(job, sk, lhs, sizeof lhs);
        nd_sb_printf(text, "smallest kept coefficient: %s in %s, %.3g %s\n",
                     nd_sindy_lib_text(job->lib, sj), lhs, small,
                     job->opt.normalize ? "normalised" : "in original units");
    }
    if (job->opt.normalize)
        nd_sb_printf(&s, "threshold %.4g applied to normalised coefficients (every term and "
                     "target divided by its RMS over the %zu samples); coefficients shown in "
                     "original units", job->opt.threshold, job->rows);
    else
        nd_sb_printf(&s, "threshold %.4g applied to coefficients in original units "
                     "(normalize=false): terms of small or large magnitude are judged by "
                     "their units, not their effect", job->opt.threshold);
    nd_sb_printf(text, "%s\n", nd_sb_str(&s));
    nd_sb_puts(json, n++ ? "," : "");
    nd_json_string(json, nd_sb_str(&s));
    nd_sb_free(&s);
}

static void put_array(nd_sb *sb, const double *a, size_t n, size_t stride, size_t off)
{
    nd_sb_putc(sb, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) nd_sb_putc(sb, ',');
        nd_json_number(sb, a[i * stride + off]);
    }
    nd_sb_putc(sb, ']');
}

static void result_json(const nd_cmd_ctx *ctx, const nd_sindy_job *job, const char *model,
                        const char *notes_json, nd_sb *j)
{
    size_t p = nd_sindy_lib_size(job->lib), m = job->ntargets;
    const double *c = nd_sindy_coef(job->fit), *sd = nd_sindy_coef_std(job->fit);
    const double *inc = nd_sindy_inclusion(job->fit);
    nd_sb_puts(j, "{\"type\":\"sindy\",\"source\":");
    nd_sb_puts(j, job->term_mode ? "\"network\"" : "\"dataset\"");
    nd_sb_puts(j, ",\"target\":");
    nd_json_string(j, nd_arg_pos(ctx, 0)->value->str ? nd_arg_pos(ctx, 0)->value->str : "");
    nd_sb_puts(j, ",\"variables\":[");
    for (size_t i = 0; i < job->nvars; i++) {
        if (i) nd_sb_putc(j, ',');
        nd_json_string(j, job->vars[i]);
    }
    nd_sb_puts(j, "],\"library\":[");
    for (size_t i = 0; i < p; i++) {
        if (i) nd_sb_putc(j, ',');
        nd_json_string(j, nd_sindy_lib_text(job->lib, i));
    }
    nd_sb_printf(j, "],\"rows\":%zu,\"deriv\":", job->rows);
    if (job->deriv_name) nd_json_string(j, job->deriv_name);
    else nd_sb_puts(j, "null");
    nd_sb_printf(j, ",\"optimizer\":\"%s\",\"threshold\":",
                 job->opt.optimizer == ND_SINDY_SR3 ? "sr3" : "stlsq");
    nd_json_number(j, job->opt.threshold);
    nd_sb_printf(j, ",\"normalized\":%s,\"ensemble\":%zu,\"equations\":[",
                 job->opt.normalize ? "true" : "false", job->opt.ensemble);
    char lhs[300];
    for (size_t k = 0; k < m; k++) {
        nd_sb eq;
        nd_sb_init(&eq);
        equation_text(job, k, &eq);
        lhs_text(job, k, lhs, sizeof lhs);
        nd_sb_puts(j, k ? ",{\"target\":" : "{\"target\":");
        nd_json_string(j, job->targets[k]);
        nd_sb_puts(j, ",\"lhs\":");
        nd_json_string(j, lhs);
        nd_sb_puts(j, ",\"text\":");
        nd_json_string(j, nd_sb_str(&eq));
        nd_sb_free(&eq);
        nd_sb_puts(j, ",\"coefficients\":");
        put_array(j, c, p, m, k);
        nd_sb_puts(j, ",\"normalized_coefficients\":[");
        for (size_t i = 0; i < p; i++) {
            if (i) nd_sb_putc(j, ',');
            nd_json_number(j, c[i * m + k] * scale_norm(job, i, k));
        }
        nd_sb_putc(j, ']');
        if (sd) {
            nd_sb_puts(j, ",\"std\":");
            put_array(j, sd, p, m, k);
        }
        if (inc) {
            nd_sb_puts(j, ",\"inclusion\":");
            put_array(j, inc, p, m, k);
        }
        nd_sb_printf(j, ",\"nterms\":%zu,\"r2\":", nd_sindy_nterms(job->fit, k));
        nd_json_number(j, nd_sindy_r2(job->fit, k));
        nd_sb_puts(j, ",\"rms\":");
        nd_json_number(j, nd_sindy_rms(job->fit, k));
        nd_sb_putc(j, '}');
    }
    nd_sb_puts(j, "]");
    if (job->sw.n) {
        nd_sb_puts(j, ",\"sweep\":{\"thresholds\":");
        put_array(j, job->sw.threshold, job->sw.n, 1, 0);
        nd_sb_puts(j, ",\"nterms\":[");
        for (size_t i = 0; i < job->sw.n; i++)
            nd_sb_printf(j, "%s%zu", i ? "," : "", job->sw.nterms[i]);
        nd_sb_puts(j, "],\"error\":");
        put_array(j, job->sw.error, job->sw.n, 1, 0);
        nd_sb_printf(j, ",\"knee\":%zu,\"suggested\":", job->sw.knee);
        nd_json_number(j, job->sw.suggested);
        nd_sb_putc(j, '}');
    }
    nd_sb_printf(j, ",\"notes\":[%s],\"model\":", notes_json);
    if (model) nd_json_string(j, model);
    else nd_sb_puts(j, "null");
    nd_sb_putc(j, '}');
}

/* ---- the coefficient table ---- */

static nd_bundle *table_bundle(const nd_sindy_job *job, const char *json)
{
    size_t p = nd_sindy_lib_size(job->lib), m = job->ntargets;
    const double *c = nd_sindy_coef(job->fit), *sd = nd_sindy_coef_std(job->fit);
    const double *inc = nd_sindy_inclusion(job->fit);
    const char *head[ND_SINDY_MAX_NAMES + 1];
    char lhs[ND_SINDY_MAX_NAMES][300];
    head[0] = "term";
    for (size_t k = 0; k < m; k++) {
        lhs_text(job, k, lhs[k], sizeof lhs[k]);
        head[k + 1] = lhs[k];
    }
    nd_table *t = nd_table_create(m + 1, head);
    if (!t) return NULL;
    const char *cells[ND_SINDY_MAX_NAMES + 1];
    char buf[ND_SINDY_MAX_NAMES][160];
    int fail = 0;
    for (size_t j = 0; j < p && !fail; j++) {
        cells[0] = nd_sindy_lib_text(job->lib, j);
        for (size_t k = 0; k < m; k++) {
            double v = c[j * m + k];
            char a[64], b[64];
            coef_text(a, sizeof a, v);
            if (v == 0 && !(inc && inc[j * m + k] > 0)) snprintf(buf[k], sizeof buf[k], "·");
            else if (sd) {
                coef_text(b, sizeof b, sd[j * m + k]);
                snprintf(buf[k], sizeof buf[k], "%s ± %s (%.0f %%)", v == 0 ? "0" : a, b,
                         100 * inc[j * m + k]);
            } else snprintf(buf[k], sizeof buf[k], "%s", a);
            cells[k + 1] = buf[k];
        }
        fail = nd_table_add_row(t, cells) != 0;
    }
    cells[0] = "R²";
    for (size_t k = 0; k < m; k++) {
        snprintf(buf[k], sizeof buf[k], "%.6f", nd_sindy_r2(job->fit, k));
        cells[k + 1] = buf[k];
    }
    fail = fail || nd_table_add_row(t, cells) != 0;
    cells[0] = "residual RMS";
    for (size_t k = 0; k < m; k++) {
        snprintf(buf[k], sizeof buf[k], "%.4g", nd_sindy_rms(job->fit, k));
        cells[k + 1] = buf[k];
    }
    fail = fail || nd_table_add_row(t, cells) != 0;
    nd_sb plain, html;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_printf(&plain, "SINDy coefficients (%s%s)\n", sd ? "median ± std over the ensemble, "
                 "(how often the term was kept); " : "", "original units");
    nd_table_text(t, &plain);
    nd_table_html(t, &html);
    nd_table_free(t);
    char *pl = nd_sb_take(&plain), *ht = nd_sb_take(&html), *js = strdup(json);
    nd_sb_free(&plain);
    nd_sb_free(&html);
    if (fail) {
        free(pl), free(ht), free(js);
        return NULL;
    }
    return nd_bundle_take3(pl, ht, js);
}

/* ---- the sweep ---- */

static nd_status show_sweep(const nd_cmd_ctx *ctx, const nd_sindy_job *job, nd_error *err)
{
    size_t n = job->sw.n;
    double x[ND_SINDY_SWEEP_N], y[ND_SINDY_SWEEP_N];
    /* Thresholds increase, so terms decrease: reversed, x increases. */
    for (size_t i = 0; i < n; i++) {
        x[n - 1 - i] = (double)job->sw.nterms[i];
        y[n - 1 - i] = log10(fmax(job->sw.error[i], 1e-16));
    }
    size_t kn = n - 1 - job->sw.knee;
    nd_status st;
    nd_figure *fig = nd_learn_plot_figure(ctx, "SINDy threshold sweep (Pareto front)", &st, err);
    if (!fig) return st;
    int p = nd_fig_add_panel(fig, "number of terms", "log10 relative residual");
    if (p < 0 ||
        nd_fig_add_series(fig, p, "thresholds", x, y, n,
                          (nd_fig_style){ND_FIG_DOTTED, ND_FIG_CIRCLE, ND_FIG_BLUE, 0}) < 0 ||
        nd_fig_add_series(fig, p, "knee", x + kn, y + kn, 1,
                          (nd_fig_style){ND_FIG_NOLINE, ND_FIG_SQUARE, ND_FIG_VERMILLION, 0}) < 0) {
        nd_fig_free(fig);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    nd_sb cap;
    nd_sb_init(&cap);
    nd_sb_printf(&cap, "threshold sweep over %zu values %.3g … %.3g%s: the knee is at %zu terms "
                 "(relative residual %.3g), suggested threshold %.4g%s", n, job->sw.threshold[0],
                 job->sw.threshold[n - 1], job->opt.normalize ? " (normalised)" : "",
                 job->sw.nterms[job->sw.knee], job->sw.error[job->sw.knee], job->sw.suggested,
                 job->threshold_given ? " (the fit shown uses the threshold given)"
                                      : " (used for the fit shown)");
    st = nd_learn_plot_show(ctx, fig, nd_sb_str(&cap), "", NULL, err);
    nd_sb_free(&cap);
    return st;
}

/* ---- the recovered model ---- */

/* The model to redefine: the network's truth for a term, else the dataset's model when
   every target is one of its states; NULL: a new model. */
static nd_model *recovered_model(const nd_sindy_job *job, nd_sb *why, nd_error *err)
{
    const nd_model *base = job->term_mode ? nd_ude_truth(job->net)
                           : job->model_obj ? job->model_obj->model : NULL;
    if (base && !job->term_mode)
        for (size_t k = 0; base && k < job->ntargets; k++)
            if (nd_model_index(base, ND_MODEL_STATE, job->targets[k]) < 0) base = NULL;
    nd_sindy_recovery r = {
        .name = job->name, .lib = job->lib, .coef = nd_sindy_coef(job->fit),
        .targets = job->targets, .is_state = job->target_is_state, .m = job->ntargets,
        .first = job->first, .optimizer = job->opt.optimizer, .threshold = job->opt.threshold,
        .rows = job->rows, .base = base, .from_network = job->term_mode};
    return nd_sindy_recovered_model(&r, why, err);
}

/* ---- everything ---- */

nd_status nd_sindy_show(const nd_cmd_ctx *ctx, nd_sindy_job *job, nd_model **model,
                        nd_error *err)
{
    *model = NULL;
    nd_sb why, plain, tex, nj, nt, js;
    nd_sb_init(&why);
    nd_sb_init(&plain);
    nd_sb_init(&tex);
    nd_sb_init(&nj);
    nd_sb_init(&nt);
    nd_sb_init(&js);
    if (ctx->bind) {
        nd_error merr = {0};
        *model = recovered_model(job, &why, &merr);
    }
    notes(job, &nt, &nj);
    if (ctx->bind && !*model)
        nd_sb_printf(&nt, "note: no model could be built (%s); %s is bound to nothing\n",
                     nd_sb_str(&why), job->name);
    /* The equations. */
    nd_sb_printf(&plain, "SINDy: %s recovered from %zu samples%s%s%s\n",
                 job->ntargets == 1 ? "equation" : "equations", job->rows,
                 job->term_mode ? " of " : "", job->term_mode ? job->net_name : "",
                 job->term_mode ? "'s learned term" : "");
    nd_sb_puts(&tex, "$$\\begin{aligned}\n");
    for (size_t k = 0; k < job->ntargets; k++) {
        nd_sb_puts(&plain, "  ");
        equation_text(job, k, &plain);
        nd_sb_printf(&plain, "    (R² %.6f, residual RMS %.3g)\n", nd_sindy_r2(job->fit, k),
                     nd_sindy_rms(job->fit, k));
        if (k) nd_sb_puts(&tex, " \\\\\n");
        equation_latex(job, k, &tex);
    }
    nd_sb_puts(&tex, "\n");
    nd_sb_puts(&tex, "\\end{aligned}$$");
    nd_sb_puts(&plain, nd_sb_str(&nt));
    if (job->sw.n)
        nd_sb_printf(&plain, "sweep: the knee of error against number of terms is at %zu terms; "
                     "suggested threshold %.4g%s\n", job->sw.nterms[job->sw.knee], job->sw.suggested,
                     job->threshold_given ? " (not used: threshold= was given)"
                                          : " (used above)");
    if (*model)
        nd_sb_printf(&plain, "%s: the recovered model (simulate %s, show %s)\n", job->name,
                     job->name, job->name);
    result_json(ctx, job, *model ? job->name : NULL, nd_sb_str(&nj), &js);
    nd_bundle *b = nd_bundle_create();
    size_t pl = strlen(nd_sb_str(&plain));
    if (b && pl && plain.data[pl - 1] == '\n') plain.data[pl - 1] = '\0';
    if (b && (nd_bundle_set(b, "text/plain", nd_sb_str(&plain)) ||
              nd_bundle_set(b, "text/latex", nd_sb_str(&tex)) ||
              nd_bundle_set(b, ND_MIME_JSON, nd_sb_str(&js)))) {
        nd_bundle_free(b);
        b = NULL;
    }
    nd_status st = nd_cmd_display(ctx, b, err);
    if (st == ND_OK) st = nd_cmd_display(ctx, table_bundle(job, nd_sb_str(&js)), err);
    if (st == ND_OK && job->sw.n) st = show_sweep(ctx, job, err);
    nd_sb_free(&why);
    nd_sb_free(&plain);
    nd_sb_free(&tex);
    nd_sb_free(&nj);
    nd_sb_free(&nt);
    nd_sb_free(&js);
    if (st != ND_OK) {
        nd_model_free(*model);
        *model = NULL;
    }
    return st;
}

/* A record with one field per target, made by make(job, k). */
static nd_value *per_target(const nd_sindy_job *job,
                            nd_value *(*make)(const nd_sindy_job *, size_t))
{
    nd_value *rec = nd_value_record("per target", NULL);
    for (size_t k = 0; rec && k < job->ntargets; k++)
        if (nd_record_add(rec, job->targets[k], make(job, k)) != 0) {
            nd_value_unref(rec);
            rec = NULL;
        }
    return rec;
}

static nd_value *coef_of(const nd_sindy_job *job, size_t k)
{
    size_t p = nd_sindy_lib_size(job->lib), m = job->ntargets;
    const double *c = nd_sindy_coef(job->fit);
    nd_value *v = nd_value_vector_alloc(p);
    for (size_t j = 0; v && j < p; j++) v->as.vec.x[j] = c[j * m + k];
    return v;
}

static nd_value *r2_of(const nd_sindy_job *job, size_t k)
{
    return nd_value_number(nd_sindy_r2(job->fit, k));
}

static nd_value *rms_of(const nd_sindy_job *job, size_t k)
{
    return nd_value_number(nd_sindy_rms(job->fit, k));
}

static nd_value *nterms_of(const nd_sindy_job *job, size_t k)
{
    return nd_value_number((double)nd_sindy_nterms(job->fit, k));
}

static nd_value *equation_of(const nd_sindy_job *job, size_t k)
{
    nd_sb sb;
    nd_sb_init(&sb);
    equation_text(job, k, &sb);
    char *text = nd_sb_take(&sb);
    nd_value *v = text ? nd_value_string(text) : NULL;
    free(text);
    return v;
}

/* A list of n strings name(i). */
static nd_value *strings(size_t n, const char *(*name)(const nd_sindy_job *, size_t),
                         const nd_sindy_job *job)
{
    nd_value **items = calloc(n ? n : 1, sizeof *items);
    size_t k = 0;
    while (items && k < n && (items[k] = nd_value_string(name(job, k)))) k++;
    nd_value *list = items && k == n ? nd_value_list(items, n) : NULL;
    if (!list)
        while (items && k-- > 0) nd_value_unref(items[k]);
    free(items);
    return list;
}

static const char *term_name(const nd_sindy_job *job, size_t j)
{
    return nd_sindy_lib_text(job->lib, j);
}

static const char *target_name(const nd_sindy_job *job, size_t k)
{
    return job->targets[k];
}

nd_value *nd_sindy_fit_record(const nd_sindy_job *job)
{
    nd_value *rec = nd_value_record("sindy fit", NULL);
    if (rec &&
        (nd_record_add(rec, "library", strings(nd_sindy_lib_size(job->lib), term_name, job)) ||
         nd_record_add(rec, "targets", strings(job->ntargets, target_name, job)) ||
         nd_record_add(rec, "coefficients", per_target(job, coef_of)) ||
         nd_record_add(rec, "equations", per_target(job, equation_of)) ||
         nd_record_add(rec, "r2", per_target(job, r2_of)) ||
         nd_record_add(rec, "rms", per_target(job, rms_of)) ||
         nd_record_add(rec, "nterms", per_target(job, nterms_of)) ||
         nd_record_add_number(rec, "threshold", job->opt.threshold))) {
        nd_value_unref(rec);
        rec = NULL;
    }
    return rec;
}
