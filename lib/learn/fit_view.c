/* The views of a fit (see fit_view.h). */
#include "fit_view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "../base/json.h"
#include "../base/strbuf.h"
#include "../base/table.h"

enum { MAX_PANELS = 8 };

/* "120 ± 3.1" style cells: four significant digits. */
static void cell(char *buf, size_t cap, double x)
{
    if (isnan(x)) snprintf(buf, cap, "—");
    else snprintf(buf, cap, "%.5g", x);
}

static nd_table *estimates_table(const nd_fit_report *r)
{
    const nd_fit *f = r->fit;
    int prof = r->prof != NULL;
    const char *head[] = {"parameter", "estimate", "SE", "95 % (±1.96 SE)", "initial",
                          "profile 95 %"};
    nd_table *t = nd_table_create(prof ? 6 : 5, head);
    for (size_t i = 0; t && i < nd_fit_nparams(f); i++) {
        char v[32], se[32], ci[80], in[32], pr[80] = "";
        double x = nd_fit_values(f)[i], s = r->stats->se[i];
        cell(v, sizeof v, x);
        cell(se, sizeof se, s);
        if (isnan(s)) snprintf(ci, sizeof ci, "—");
        else snprintf(ci, sizeof ci, "[%.5g, %.5g]", x - 1.96 * s, x + 1.96 * s);
        cell(in, sizeof in, nd_fit_initial(f)[i]);
        if (prof && r->prof->param == i)
            snprintf(pr, sizeof pr, "[%.5g, %.5g]", r->prof->lo, r->prof->hi);
        const char *row[] = {nd_fit_param_name(f, i), v, se, ci, in, pr};
        if (nd_table_add_row(t, row)) {
            nd_table_free(t);
            return NULL;
        }
    }
    return t;
}

static void summary_line(const nd_fit_report *r, nd_sb *sb)
{
    const nd_fit *f = r->fit;
    nd_sb_printf(sb, "fit of %s: %zu parameter%s on %zu dataset%s (%zu observed samples), %s, "
                 "%ld iterations (%s), RMS residual %.4g\n",
                 r->model_name, nd_fit_nparams(f), nd_fit_nparams(f) == 1 ? "" : "s",
                 nd_fit_ndata(f), nd_fit_ndata(f) == 1 ? "" : "s", nd_fit_nobs(f),
                 nd_fit_method_name(r->run->method), r->run->iterations, r->run->stop,
                 sqrt(r->stats->ssr / (double)nd_fit_nobs(f)));
}

static void correlations_text(const nd_fit_report *r, nd_sb *sb)
{
    size_t np = nd_fit_nparams(r->fit);
    if (np < 2) return;
    nd_sb_puts(sb, "correlations:\n");
    for (size_t a = 0; a < np; a++) {
        nd_sb_printf(sb, "  %-8s", nd_fit_param_name(r->fit, a));
        for (size_t b = 0; b < np; b++) nd_sb_printf(sb, " %7.4f", r->stats->corr[a * np + b]);
        nd_sb_putc(sb, '\n');
    }
}

static json_t *to_json(const nd_fit_report *r)
{
    const nd_fit *f = r->fit;
    const nd_fit_stats *s = r->stats;
    size_t np = nd_fit_nparams(f);
    json_t *j = json_object(), *pars = json_array(), *corr = json_array();
    nd_json_put(j, "type", json_string("fit"));
    nd_json_put(j, "model", nd_json_utf8(r->model_name));
    nd_json_put(j, "method", json_string(nd_fit_method_name(r->run->method)));
    nd_json_put(j, "iterations", json_integer(r->run->iterations));
    nd_json_put(j, "stop", nd_json_utf8(r->run->stop));
    nd_json_put(j, "datasets", json_integer((json_int_t)nd_fit_ndata(f)));
    nd_json_put(j, "samples", json_integer((json_int_t)nd_fit_nobs(f)));
    nd_json_put(j, "ssr", nd_json_real(s->ssr));
    nd_json_put(j, "sigma", nd_json_real(s->sigma));
    nd_json_put(j, "noise", nd_json_real(s->noise));
    nd_json_put(j, "misfit", json_boolean(s->misfit));
    json_t *rs = json_null();
    if (s->resets >= 0) {
        rs = json_object();
        nd_json_put(rs, "model", json_integer(s->resets));
        nd_json_put(rs, "data", s->resets_data >= 0 ? json_integer(s->resets_data) : json_null());
    }
    nd_json_put(j, "resets", rs);
    for (size_t i = 0; i < np; i++) {
        json_t *p = json_object();
        nd_json_put(p, "name", nd_json_utf8(nd_fit_param_name(f, i)));
        nd_json_put(p, "estimate", nd_json_real(nd_fit_values(f)[i]));
        nd_json_put(p, "se", nd_json_real(s->se[i]));
        nd_json_put(p, "initial", nd_json_real(nd_fit_initial(f)[i]));
        nd_json_push(pars, p);
        nd_json_push(corr, nd_json_reals(s->corr + i * np, np));
    }
    nd_json_put(j, "parameters", pars);
    nd_json_put(j, "correlation", corr);
    nd_json_put(j, "condition", nd_json_real(s->cond));
    nd_json_put(j, "identifiable", json_boolean(s->identifiable));
    nd_json_put(j, "weakest_direction", nd_json_reals(s->weak, np));
    nd_json_put(j, "warning", s->warning ? nd_json_utf8(s->warning) : json_null());
    if (r->prof) {
        json_t *p = json_object();
        nd_json_put(p, "parameter", nd_json_utf8(nd_fit_param_name(f, r->prof->param)));
        nd_json_put(p, "values", nd_json_reals(r->prof->value, r->prof->n));
        nd_json_put(p, "ssr", nd_json_reals(r->prof->ssr, r->prof->n));
        nd_json_put(p, "lo", nd_json_real(r->prof->lo));
        nd_json_put(p, "hi", nd_json_real(r->prof->hi));
        nd_json_put(j, "profile", p);
    }
    return nd_json_ok(j, pars && corr ? 0 : -1);
}

nd_bundle *nd_fit_view(const nd_fit_report *r)
{
    nd_table *t = estimates_table(r);
    if (!t) return NULL;
    nd_sb text, html;
    nd_sb_init(&text);
    nd_sb_init(&html);
    summary_line(r, &text);
    nd_sb_puts(&html, "<p>");
    nd_sb_puts(&html, nd_sb_str(&text));
    nd_sb_puts(&html, "</p>");
    nd_table_text(t, &text);
    if (nd_sb_str(&text)[0] && nd_sb_str(&text)[strlen(nd_sb_str(&text)) - 1] != '\n')
        nd_sb_putc(&text, '\n');
    nd_table_html(t, &html);
    nd_table_free(t);
    nd_sb text_tail;
    nd_sb_init(&text_tail);
    correlations_text(r, &text_tail);
    if (r->stats->resets >= 0) {
        nd_sb_printf(&text_tail, "resets (spikes) of the fitted model: %ld", r->stats->resets);
        if (r->stats->resets_data >= 0)
            nd_sb_printf(&text_tail, ", of the data: %ld", r->stats->resets_data);
        nd_sb_putc(&text_tail, '\n');
    }
    if (r->stats->warning) nd_sb_printf(&text_tail, "warning: %s\n", r->stats->warning);
    if (r->prof && (isnan(r->prof->lo) || isnan(r->prof->hi)))
        nd_sb_printf(&text_tail, "profile of %s: the 95 %% interval reaches past the grid on "
                     "the side shown as nan\n", nd_fit_param_name(r->fit, r->prof->param));
    nd_sb_puts(&text, nd_sb_str(&text_tail));
    nd_sb_puts(&html, "<pre>");
    nd_sb_puts(&html, nd_sb_str(&text_tail));   /* plain ASCII numbers and names */
    nd_sb_puts(&html, "</pre>");
    nd_sb_free(&text_tail);
    char *json = nd_json_dump(to_json(r));
    return nd_bundle_take3(nd_sb_take(&text), nd_sb_take(&html), json);
}

nd_figure *nd_fit_view_figure(nd_fit *f, const char *title)
{
    nd_figure *fig = nd_fig_create(title);
    int panels = 0;
    for (size_t k = 0; fig && k < nd_fit_ndata(f); k++) {
        const nd_dataset *ds = nd_fit_data(f, k);
        size_t rows = nd_ds_rows(ds);
        const double *t = nd_ds_col(ds, (size_t)nd_ds_find(ds, "t"));
        double *y = malloc(rows * sizeof *y);
        for (size_t j = 0; y && j < nd_fit_nobserved(f) && panels < MAX_PANELS; j++) {
            const char *name;
            if (!nd_fit_trajectory(f, k, j, y, &name)) {
                free(y);
                nd_fig_free(fig);
                return NULL;
            }
            int c = nd_ds_find(ds, name);
            char *ylabel = nd_fig_label(name, nd_ds_unit(ds, (size_t)c));
            char label[64];
            snprintf(label, sizeof label, nd_fit_ndata(f) > 1 ? "data %zu" : "data", k + 1);
            char *xlabel = nd_fig_label("t", nd_ds_unit(ds, (size_t)nd_ds_find(ds, "t")));
            int p = nd_fig_add_panel(fig, xlabel, ylabel);
            free(xlabel);
            free(ylabel);
            nd_fig_style dots = {.marker = ND_FIG_DOT, .color = ND_FIG_GRAY};
            dots.line = ND_FIG_NOLINE;
            nd_fig_style line = {.color = ND_FIG_VERMILLION};
            if (p < 0 || nd_fig_add_series(fig, p, label, t, nd_ds_col(ds, (size_t)c), rows, dots) < 0 ||
                nd_fig_add_series(fig, p, "fitted model", t, y, rows, line) < 0) {
                free(y);
                nd_fig_free(fig);
                return NULL;
            }
            panels++;
        }
        free(y);
    }
    return fig;
}
