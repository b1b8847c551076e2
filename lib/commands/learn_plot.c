/* The plot command's path for networks: `plot NET DATA` (the hybrid's prediction against
   the data) here, `plot NET.TERM vs TERM …` in learn_plot_term.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "../base/textfmt.h"
#include "../learn/ude.h"
#include "../learn/ude_verdict.h"
#include "../plot/figure.h"
#include "../language/args.h"
#include "../language/figure_value.h"
#include "../language/exec.h"
#include "learn_cmd.h"
#include "learn_plot.h"
#include "../language/target.h"
#include "../language/workspace.h"

enum { MAX_VARS = 8, MAX_GRID = 20000 };

nd_ude *nd_learn_net_of(const nd_cmd_ctx *ctx, const char **term, char *name, size_t cap)
{
    const nd_arg *a = nd_arg_pos(ctx, 0);
    if (!a || a->value->kind != ND_EXPR_NAME) return NULL;
    const char *s = a->value->str, *dot = strchr(s, '.');
    size_t len = dot ? (size_t)(dot - s) : strlen(s);
    if (len >= cap) return NULL;
    memcpy(name, s, len);
    name[len] = '\0';
    *term = dot ? dot + 1 : NULL;
    return nd_value_as_ude(nd_ws_get(ctx->ws, name));
}

int nd_plot_net_target(const nd_cmd_ctx *ctx)
{
    char name[256];
    const char *term;
    return nd_learn_net_of(ctx, &term, name, sizeof name) != NULL;
}

int nd_learn_plot_option(const char *key)
{
    return strcmp(key, "title") == 0 || strcmp(key, "width") == 0 || strcmp(key, "height") == 0;
}

/* Renders fig with plot's size options, adds the caption to its text and the extra JSON
   members (",\"key\":…") to its JSON, and shows it; fig is freed. */
nd_status nd_learn_plot_show(const nd_cmd_ctx *ctx, nd_figure *fig, const char *caption,
                             const char *json_extra, nd_value **result, nd_error *err)
{
    double w, h;
    nd_status st = nd_arg_opt_number(ctx, "width", 0, &w, err);
    if (st == ND_OK) st = nd_arg_opt_number(ctx, "height", 0, &h, err);
    if (st == ND_OK && (w > 0 || h > 0))
        nd_fig_set_size(fig, w > 0 ? (int)w : 720, h > 0 ? (int)h : 420);
    nd_bundle *b = NULL;
    if (st == ND_OK) st = nd_fig_render(fig, &b, err);
    if (st != ND_OK) {
        nd_fig_free(fig);
        nd_learn_locate_call(ctx, err);
        return st;
    }
    nd_sb text, json;
    nd_sb_init(&text);
    nd_sb_init(&json);
    const char *plain = nd_bundle_get(b, "text/plain"), *j = nd_bundle_get(b, ND_MIME_JSON);
    nd_sb_printf(&text, "%s%s%s", plain ? plain : "", plain && plain[0] ? "\n" : "", caption);
    size_t jl = j ? strlen(j) : 0;
    if (jl && j[jl - 1] == '}') {
        nd_sb_putn(&json, j, jl - 1);
        nd_sb_printf(&json, "%s}", json_extra);
    }
    if (!text.data || (json.data && nd_bundle_set(b, ND_MIME_JSON, json.data) != 0) ||
        nd_bundle_set(b, "text/plain", text.data) != 0) {
        nd_bundle_free(b);
        b = NULL;
    }
    nd_sb_free(&text);
    nd_sb_free(&json);
    st = b ? nd_cmd_give_figure(ctx, fig, b, result, err)
           : nd_error_fail(err, ND_ENOMEM, "out of memory while rendering output");
    nd_fig_free(fig);
    return st;
}

nd_figure *nd_learn_plot_figure(const nd_cmd_ctx *ctx, const char *dflt, nd_status *st,
                                nd_error *err)
{
    char *title = NULL;
    *st = nd_arg_opt_string(ctx, "title", dflt, &title, err);
    nd_figure *fig = *st == ND_OK ? nd_fig_create(title) : NULL;
    if (*st == ND_OK && !fig) *st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    free(title);
    return fig;
}

/* "V [mV]" */
void nd_learn_plot_label(char *buf, size_t cap, const char *name, const char *unit)
{
    char *label = nd_fig_label(name, unit);
    snprintf(buf, cap, "%s", label ? label : name);
    free(label);
}

/* ---- plot NET DATA: prediction against the data ---- */

static nd_status plot_fit(const nd_cmd_ctx *ctx, nd_ude *u, const char *net_name,
                          nd_value **result, nd_error *err)
{
    for (size_t i = 0; i < ctx->call->nargs; i++)
        if (ctx->call->args[i].key && !nd_learn_plot_option(ctx->call->args[i].key))
            return nd_arg_error(&ctx->call->args[i], err, ND_ENAME, "plot NET DATA takes "
                                "title=, width=, height= (not %s=)", ctx->call->args[i].key);
    const nd_arg *da = nd_arg_pos(ctx, 1);
    if (!da)
        return nd_arg_error(nd_arg_pos(ctx, 0), err, ND_ESYNTAX, "plot %s needs a dataset to "
                            "compare with (plot %s data), or a term (plot %s.TERM vs TERM "
                            "V=a..b)", net_name, net_name, net_name);
    nd_value *holder;
    nd_dataset *ds;
    nd_status st = nd_target_dataset(ctx, da, &holder, &ds, err);
    if (st != ND_OK) return st;
    const nd_model *mod = nd_ude_model(u);
    size_t n = nd_model_count(mod, ND_MODEL_STATE), nv = 0, rows = nd_ds_rows(ds);
    int state[MAX_VARS], col[MAX_VARS];
    for (size_t i = 2; st == ND_OK && i < nd_arg_count(ctx); i++) {
        const nd_arg *a = nd_arg_pos(ctx, i);
        int s = a->value->kind == ND_EXPR_NAME
                    ? nd_model_index(mod, ND_MODEL_STATE, a->value->str) : -1;
        if (s < 0)
            st = nd_arg_error(a, err, ND_ENAME, "%s has no state variable here (plot NET DATA "
                              "[STATE …])", nd_model_name(mod));
        else if (nv == MAX_VARS)
            st = nd_arg_error(a, err, ND_EVALUE, "at most %d variables", MAX_VARS);
        else {
            state[nv] = s;
            col[nv++] = nd_ds_find(ds, a->value->str);
        }
    }
    for (size_t s = 0; st == ND_OK && nd_arg_count(ctx) <= 2 && s < n && nv < MAX_VARS; s++) {
        int c = nd_ds_find(ds, nd_model_item_at(mod, ND_MODEL_STATE, s)->name);
        if (c > 0) {
            state[nv] = (int)s;
            col[nv++] = c;
        }
    }
    if (st == ND_OK && nv == 0)
        st = nd_arg_error(da, err, ND_EVALUE, "the dataset has no column named after a state "
                          "of %s", nd_model_name(mod));
    const double *t = rows ? nd_ds_col(ds, 0) : NULL;
    if (st == ND_OK && (rows < 2 || !(t[rows - 1] > t[0])))
        st = nd_arg_error(da, err, ND_EVALUE, "the dataset needs at least two samples over an "
                          "increasing time column");
    size_t m = rows > 1000 ? rows : 1000;
    if (m > MAX_GRID) m = MAX_GRID;
    double *grid = st == ND_OK ? malloc(m * sizeof *grid) : NULL;
    double *pred = grid ? malloc(m * n * sizeof *pred) : NULL;
    if (st == ND_OK && !pred) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) {
        for (size_t i = 0; i < m; i++)
            grid[i] = t[0] + (t[rows - 1] - t[0]) * (double)i / (double)(m - 1);
        st = nd_ude_predict(u, grid, m, pred, ctx->exec->interrupt, err);
        if (st != ND_OK) nd_learn_locate_call(ctx, err);
    }
    nd_figure *fig = NULL;
    char title[300];
    snprintf(title, sizeof title, "%s against %s", net_name, da->value->kind == ND_EXPR_NAME ?
             da->value->str : "the data");
    if (st == ND_OK) fig = nd_learn_plot_figure(ctx, title, &st, err);
    nd_sb cap, json;
    nd_sb_init(&cap);
    nd_sb_init(&json);
    nd_sb_printf(&cap, "prediction of %s from its initial state against the data:", net_name);
    nd_sb_puts(&json, ",\"fit\":{\"network\":");
    nd_json_string(&json, net_name);
    nd_sb_puts(&json, ",\"rms\":{");
    double *series = pred ? malloc(m * sizeof *series) : NULL;
    if (st == ND_OK && !series) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    char xl[160], yl[160];
    size_t nrms = 0;
    nd_learn_plot_label(xl, sizeof xl, "t", nd_ds_unit(ds, 0));
    for (size_t v = 0; st == ND_OK && v < nv; v++) {
        const nd_model_item *it = nd_model_item_at(mod, ND_MODEL_STATE, (size_t)state[v]);
        nd_learn_plot_label(yl, sizeof yl, it->name, it->unit);
        int p = nd_fig_add_panel(fig, xl, yl);
        for (size_t i = 0; i < m; i++) series[i] = pred[i * n + (size_t)state[v]];
        int ok = p >= 0;
        if (ok && col[v] > 0)
            ok = nd_fig_add_series(fig, p, "data", t, nd_ds_col(ds, (size_t)col[v]), rows,
                                   (nd_fig_style){ND_FIG_NOLINE, ND_FIG_DOT, ND_FIG_GRAY, 0}) >= 0;
        if (ok)
            ok = nd_fig_add_series(fig, p, nd_ude_is_node(u) ? "neural ODE" : "UDE", grid,
                                   series, m, (nd_fig_style){ND_FIG_SOLID, 0, ND_FIG_BLUE, 0}) >= 0;
        if (!ok) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        if (col[v] <= 0) continue;
        /* RMS error at the sample times, the prediction interpolated on its grid. */
        const double *d = nd_ds_col(ds, (size_t)col[v]);
        double sum = 0, lo = INFINITY, hi = -INFINITY, h = grid[1] - grid[0];
        size_t k = 0;
        for (size_t r = 0; r < rows; r++) {
            double x = (t[r] - grid[0]) / h;
            size_t i = x <= 0 ? 0 : x >= (double)(m - 1) ? m - 2 : (size_t)x;
            double w = fmin(fmax(x - (double)i, 0), 1);
            double yp = (1 - w) * series[i] + w * series[i + 1];
            if (!isfinite(d[r])) continue;
            sum += (yp - d[r]) * (yp - d[r]);
            lo = fmin(lo, d[r]);
            hi = fmax(hi, d[r]);
            k++;
        }
        double rms = k ? sqrt(sum / (double)k) : NAN;
        nd_sb_printf(&cap, "%s %s RMS error %.4g (%.2g %% of the data's range)",
                     nrms ? ";" : "", it->name, rms, 100 * rms / (hi - lo));
        if (nrms++) nd_sb_putc(&json, ',');
        nd_json_string(&json, it->name);
        nd_sb_putc(&json, ':');
        nd_json_number(&json, rms);
    }
    nd_sb_puts(&json, "}}");
    if (st == ND_OK) {
        st = nd_learn_plot_show(ctx, fig, cap.data ? cap.data : "", json.data ? json.data : "",
                                result, err);
        fig = NULL;
    }
    nd_fig_free(fig);
    nd_sb_free(&cap);
    nd_sb_free(&json);
    free(series);
    free(grid);
    free(pred);
    nd_value_unref(holder);
    return st;
}

nd_status nd_plot_net(const nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    char name[256];
    const char *term;
    nd_ude *u = nd_learn_net_of(ctx, &term, name, sizeof name);
    if (!u) return nd_error_fail(err, ND_EINTERNAL, "plot: not a network");
    return term ? nd_learn_plot_term(ctx, u, name, term, result, err)
                : plot_fit(ctx, u, name, result, err);
}
