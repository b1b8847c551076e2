/* What `sindy` shows of a job (sindy_job.h): the recovered equations (text and LaTeX),
   notes on thresholding, the coefficient table with R² and residual RMS, the JSON of
   docs/json-results.md and the Pareto figure of a sweep. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/table.h"
#include "sindy_job.h"

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
    nd_sb_printf(sb, "%s \\times 10^{%d}", buf, atoi(e + 1));
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

void nd_sindy_view_equation(const nd_sindy_job *job, size_t k, nd_sb *sb)
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
        if (!nd_sindy_lib_is_one(job->lib, j))
            nd_sb_printf(sb, " %s", nd_sindy_lib_text(job->lib, j));
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
        if (!nd_sindy_lib_is_one(job->lib, j))
            nd_sb_printf(sb, "\\, %s", nd_sindy_lib_latex(job->lib, j));
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

/* 1 when some term of the library uses variable name. */
static int library_uses(const nd_sindy_job *job, const char *name)
{
    for (size_t j = 0; j < nd_sindy_lib_size(job->lib); j++)
        if (nd_sindy_lib_uses(job->lib, j, name)) return 1;
    return 0;
}

/* Adds note s (taken over) to the text, as "note: s", and to the JSON list; -1 on ENOMEM. */
static int note(nd_sb *text, json_t *list, const char *prefix, nd_sb *s)
{
    nd_sb_printf(text, "%s%s\n", prefix, nd_sb_str(s));
    int rc = s->oom ? -1 : nd_json_push(list, nd_json_utf8(nd_sb_str(s)));
    nd_sb_free(s);
    return rc;
}

/* Notes: equations that lost every term, inputs left out, the smallest kept coefficient
   (text only), and how the threshold applied. */
static int notes(const nd_sindy_job *job, nd_sb *text, json_t *list)
{
    size_t p = nd_sindy_lib_size(job->lib), m = job->ntargets;
    const double *full = nd_sindy_coef(job->full);
    int rc = 0;
    char lhs[300];
    nd_sb s;
    for (size_t k = 0; k < m; k++) {
        if (nd_sindy_nterms(job->fit, k) > 0) continue;
        double big = 0;
        for (size_t j = 0; j < p; j++) big = fmax(big, fabs(full[j * m + k]) * scale(job, j, k));
        lhs_text(job, k, lhs, sizeof lhs);
        nd_sb_init(&s);
        nd_sb_printf(&s, "%s: every term fell below threshold %.4g (largest |coefficient| "
                     "%.3g%s): lower the threshold", lhs, job->opt.threshold, big,
                     job->opt.normalize ? ", normalised" : "");
        rc |= note(text, list, "note: ", &s);
    }
    /* An input left out of the library: say so, since its effect then lands elsewhere. */
    for (size_t i = 0; i < job->nvars; i++) {
        if (!job->is_input[i] || library_uses(job, job->vars[i])) continue;
        nd_sb_init(&s);
        nd_sb_printf(&s, "%s is an input (the stimulus column), so poly() leaves it out of the "
                     "library; name it to fit its effect: library=[poly(3), %s]", job->vars[i],
                     job->vars[i]);
        rc |= note(text, list, "note: ", &s);
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
    if (isfinite(small)) {
        lhs_text(job, sk, lhs, sizeof lhs);
        nd_sb_printf(text, "smallest kept coefficient: %s in %s, %.3g %s\n",
                     nd_sindy_lib_text(job->lib, sj), lhs, small,
                     job->opt.normalize ? "normalised" : "in original units");
    }
    nd_sb_init(&s);
    if (job->opt.normalize)
        nd_sb_printf(&s, "threshold %.4g applied to normalised coefficients (every term and "
                     "target divided by its RMS over the %zu samples); coefficients shown in "
                     "original units", job->opt.threshold, job->rows);
    else
        nd_sb_printf(&s, "threshold %.4g applied to coefficients in original units "
                     "(normalize=false): terms of small or large magnitude are judged by "
                     "their units, not their effect", job->opt.threshold);
    return rc | note(text, list, "", &s);
}

/* Column k of the p × m matrix a, times scale_norm when norm; NULL on ENOMEM. */
static json_t *column(const nd_sindy_job *job, const double *a, size_t k, int norm)
{
    size_t p = nd_sindy_lib_size(job->lib), m = job->ntargets;
    json_t *arr = json_array();
    for (size_t j = 0; arr && j < p; j++)
        if (nd_json_push(arr, nd_json_real(a[j * m + k] * (norm ? scale_norm(job, j, k) : 1)))) {
            json_decref(arr);
            arr = NULL;
        }
    return arr;
}

static json_t *strings(size_t n, const char *(*name)(const nd_sindy_job *, size_t),
                       const nd_sindy_job *job)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (nd_json_push(arr, nd_json_utf8(name(job, i)))) {
            json_decref(arr);
            arr = NULL;
        }
    return arr;
}

static const char *var_name(const nd_sindy_job *job, size_t i) { return job->vars[i]; }
static const char *term_name(const nd_sindy_job *job, size_t j)
{
    return nd_sindy_lib_text(job->lib, j);
}

static json_t *equation_json(const nd_sindy_job *job, size_t k)
{
    const double *sd = nd_sindy_coef_std(job->fit), *inc = nd_sindy_inclusion(job->fit);
    char lhs[300];
    lhs_text(job, k, lhs, sizeof lhs);
    nd_sb eq;
    nd_sb_init(&eq);
    nd_sindy_view_equation(job, k, &eq);
    json_t *o = json_object();
    int rc = !o || eq.oom;
    rc = rc || nd_json_put(o, "target", nd_json_utf8(job->targets[k])) ||
         nd_json_put(o, "lhs", nd_json_utf8(lhs)) ||
         nd_json_put(o, "text", nd_json_utf8(nd_sb_str(&eq))) ||
         nd_json_put(o, "coefficients", column(job, nd_sindy_coef(job->fit), k, 0)) ||
         nd_json_put(o, "normalized_coefficients", column(job, nd_sindy_coef(job->fit), k, 1)) ||
         (sd && nd_json_put(o, "std", column(job, sd, k, 0))) ||
         (inc && nd_json_put(o, "inclusion", column(job, inc, k, 0))) ||
         nd_json_put(o, "nterms", json_integer((json_int_t)nd_sindy_nterms(job->fit, k))) ||
         nd_json_put(o, "r2", nd_json_real(nd_sindy_r2(job->fit, k))) ||
         nd_json_put(o, "rms", nd_json_real(nd_sindy_rms(job->fit, k)));
    nd_sb_free(&eq);
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *sweep_json(const nd_sindy_sweep_result *sw)
{
    json_t *o = json_object(), *nterms = json_array();
    /* nd_json_put takes a value over even when it fails (o NULL too): no short circuit */
    int rc = !o || nd_json_put(o, "thresholds", nd_json_reals(sw->threshold, sw->n));
    rc |= nd_json_put(o, "nterms", nterms);
    for (size_t i = 0; !rc && i < sw->n; i++)
        rc = nd_json_push(nterms, json_integer((json_int_t)sw->nterms[i]));
    rc = rc || nd_json_put(o, "error", nd_json_reals(sw->error, sw->n)) ||
         nd_json_put(o, "knee", json_integer((json_int_t)sw->knee)) ||
         nd_json_put(o, "suggested", nd_json_real(sw->suggested));
    if (!rc) return o;
    json_decref(o);
    return NULL;
}

/* The JSON of the fit, its notes taken over; NULL on ENOMEM. */
static json_t *result_json(const nd_sindy_job *job, const char *model, json_t *notes_list)
{
    json_t *j = json_object(), *eqs = json_array();
    int rc = !j ||
         nd_json_put(j, "type", json_string("sindy")) ||
         nd_json_put(j, "source", nd_json_utf8(job->net ? "network" : "dataset")) ||
         nd_json_put(j, "target", nd_json_utf8(job->target_text ? job->target_text : "")) ||
         nd_json_put(j, "variables", strings(job->nvars, var_name, job)) ||
         nd_json_put(j, "library", strings(nd_sindy_lib_size(job->lib), term_name, job)) ||
         nd_json_put(j, "rows", json_integer((json_int_t)job->rows)) ||
         nd_json_put(j, "deriv", job->deriv_name ? nd_json_utf8(job->deriv_name) : json_null()) ||
         nd_json_put(j, "optimizer",
                     nd_json_utf8(job->opt.optimizer == ND_SINDY_SR3 ? "sr3" : "stlsq")) ||
         nd_json_put(j, "threshold", nd_json_real(job->opt.threshold)) ||
         nd_json_put(j, "normalized", json_boolean(job->opt.normalize)) ||
         nd_json_put(j, "ensemble", json_integer((json_int_t)job->opt.ensemble));
    rc |= nd_json_put(j, "equations", eqs);   /* taken over even on failure */
    for (size_t k = 0; !rc && k < job->ntargets; k++) rc = nd_json_push(eqs, equation_json(job, k));
    rc = rc || (job->sw.n && nd_json_put(j, "sweep", sweep_json(&job->sw)));
    rc |= nd_json_put(j, "notes", notes_list);
    rc = rc || nd_json_put(j, "model", model ? nd_json_utf8(model) : json_null());
    if (!rc) return j;
    json_decref(j);
    return NULL;
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
    if (fail) {
        free(pl), free(ht), free(js);
        return NULL;
    }
    return nd_bundle_take3(pl, ht, js);
}

/* ---- everything ---- */

/* The equations' text/plain: the equations with their fit, the notes, the sweep and the
   model's name. */
static void equations_text(const nd_sindy_job *job, const char *model, const char *notes_text,
                           nd_sb *plain, nd_sb *tex)
{
    nd_sb_printf(plain, "SINDy: %s recovered from %zu samples%s%s%s\n",
                 job->ntargets == 1 ? "equation" : "equations", job->rows,
                 job->net ? " of " : "", job->net ? job->net_name : "",
                 job->net ? "'s learned term" : "");
    nd_sb_puts(tex, "$$\\begin{aligned}\n");
    for (size_t k = 0; k < job->ntargets; k++) {
        nd_sb_puts(plain, "  ");
        nd_sindy_view_equation(job, k, plain);
        nd_sb_printf(plain, "    (R² %.6f, residual RMS %.3g)\n", nd_sindy_r2(job->fit, k),
                     nd_sindy_rms(job->fit, k));
        if (k) nd_sb_puts(tex, " \\\\\n");
        equation_latex(job, k, tex);
    }
    nd_sb_puts(tex, "\n\\end{aligned}$$");
    nd_sb_puts(plain, notes_text);
    if (job->sw.n)
        nd_sb_printf(plain, "sweep: the knee of error against number of terms is at %zu terms; "
                     "suggested threshold %.4g%s\n", job->sw.nterms[job->sw.knee],
                     job->sw.suggested, job->threshold_given ? " (not used: threshold= was given)"
                                                             : " (used above)");
    if (model)
        nd_sb_printf(plain, "%s: the recovered model (simulate %s, show %s)\n", model, model,
                     model);
    if (plain->len && plain->data[plain->len - 1] == '\n') plain->data[--plain->len] = '\0';
}

nd_status nd_sindy_view(const nd_sindy_job *job, const char *model, const char *unbuilt,
                        nd_bundle **equations, nd_bundle **table, nd_error *err)
{
    *equations = *table = NULL;
    nd_sb plain, tex, nt;
    nd_sb_init(&plain);
    nd_sb_init(&tex);
    nd_sb_init(&nt);
    json_t *list = json_array();
    int rc = !list || notes(job, &nt, list);
    if (unbuilt)
        nd_sb_printf(&nt, "note: no model could be built (%s); %s is bound to nothing\n",
                     unbuilt, job->name);
    equations_text(job, model, nd_sb_str(&nt), &plain, &tex);
    char *json = NULL;
    if (rc) json_decref(list);
    else json = nd_json_dump(result_json(job, model, list));
    nd_bundle *b = plain.oom || tex.oom ? NULL
                                        : nd_bundle_latex(nd_sb_str(&plain), nd_sb_str(&tex), json);
    if (b) {
        *equations = b;
        *table = table_bundle(job, json);
    }
    free(json);
    nd_sb_free(&plain);
    nd_sb_free(&tex);
    nd_sb_free(&nt);
    if (*equations && *table) return ND_OK;
    nd_bundle_free(*equations);
    *equations = NULL;
    return nd_error_fail(err, ND_ENOMEM, "out of memory while rendering output");
}

/* ---- the sweep ---- */

nd_figure *nd_sindy_view_sweep(const nd_sindy_job *job, const char *title, char **caption)
{
    size_t n = job->sw.n;
    double x[ND_SINDY_SWEEP_N], y[ND_SINDY_SWEEP_N];
    *caption = NULL;
    /* Thresholds increase, so terms decrease: reversed, x increases. */
    for (size_t i = 0; i < n; i++) {
        x[n - 1 - i] = (double)job->sw.nterms[i];
        y[n - 1 - i] = log10(fmax(job->sw.error[i], 1e-16));
    }
    size_t kn = n - 1 - job->sw.knee;
    nd_figure *fig = nd_fig_create(title);
    int p = fig ? nd_fig_add_panel(fig, "number of terms", "log10 relative residual") : -1;
    if (p < 0 ||
        nd_fig_add_series(fig, p, "thresholds", x, y, n,
                          (nd_fig_style){ND_FIG_DOTTED, ND_FIG_CIRCLE, ND_FIG_BLUE, 0}) < 0 ||
        nd_fig_add_series(fig, p, "knee", x + kn, y + kn, 1,
                          (nd_fig_style){ND_FIG_NOLINE, ND_FIG_SQUARE, ND_FIG_VERMILLION, 0}) < 0) {
        nd_fig_free(fig);
        return NULL;
    }
    nd_sb cap;
    nd_sb_init(&cap);
    nd_sb_printf(&cap, "threshold sweep over %zu values %.3g … %.3g%s: the knee is at %zu terms "
                 "(relative residual %.3g), suggested threshold %.4g%s", n, job->sw.threshold[0],
                 job->sw.threshold[n - 1], job->opt.normalize ? " (normalised)" : "",
                 job->sw.nterms[job->sw.knee], job->sw.error[job->sw.knee], job->sw.suggested,
                 job->threshold_given ? " (the fit shown uses the threshold given)"
                                      : " (used for the fit shown)");
    if (!(*caption = nd_sb_take(&cap))) {
        nd_fig_free(fig);
        return NULL;
    }
    return fig;
}
