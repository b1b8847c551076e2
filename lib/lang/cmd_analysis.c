/* Analysis commands: spikes (what fired, when) and rates (the gates' kinetics). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/rates.h"
#include "../analysis/spikes.h"
#include "../base/numfmt.h"
#include "../base/range.h"
#include "../base/strbuf.h"
#include "../base/table.h"
#include "../base/textfmt.h"
#include "../plot/figure.h"
#include "args.h"
#include "modules.h"
#include "target.h"

/* ---- spikes ---- */

/* Rows shown in the spike table; the JSON always carries every spike. */
enum { SHOWN_SPIKES = 20 };

static void json_number_list(nd_sb *sb, const char *key, const double *x, size_t n)
{
    nd_sb_printf(sb, ",\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        if (i) nd_sb_putc(sb, ',');
        nd_json_number(sb, x[i]);
    }
    nd_sb_putc(sb, ']');
}

/* The summary line: count, rate, ISI statistics, block. */
static void summarize(nd_sb *sb, const nd_spikes *s, const char *var, double t0, double t1)
{
    char a[ND_NUMFMT_CAP], b[ND_NUMFMT_CAP];
    nd_sb_printf(sb, "%zu spike%s of %s in [%s, %s] (threshold %g)", s->n, s->n == 1 ? "" : "s",
                 var, nd_numfmt(t0, a), nd_numfmt(t1, b), s->threshold);
    if (s->n > 0) nd_sb_printf(sb, ": rate %.4g Hz", nd_spikes_rate(s, t0, t1));
    if (s->n > 1) nd_sb_printf(sb, ", mean ISI %.4g", nd_spikes_isi_mean(s));
    if (s->n > 2) nd_sb_printf(sb, ", ISI CV %.3g", nd_spikes_isi_cv(s));
    if (!isnan(s->block_start))
        nd_sb_printf(sb, "; from t = %.4g it stays above threshold (depolarisation block, "
                     "or a spike cut off by the end)", s->block_start);
    nd_sb_putc(sb, '\n');
}

static nd_bundle *spikes_bundle(const nd_spikes *s, const char *var, double t0, double t1)
{
    static const char *const headers[] = {"spike", "time", "peak time", "peak", "ISI"};
    nd_table *t = nd_table_create(5, headers);
    nd_sb plain, html, json;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_init(&json);
    summarize(&plain, s, var, t0, t1);
    nd_html_escape(&html, plain.data ? plain.data : "");
    for (size_t i = 0; t && i < s->n && i < SHOWN_SPIKES; i++) {
        char k[24], c1[ND_NUMFMT_CAP], c2[ND_NUMFMT_CAP], c3[32], c4[32];
        snprintf(k, sizeof k, "%zu", i + 1);
        snprintf(c1, sizeof c1, "%.6g", s->times[i]);
        snprintf(c2, sizeof c2, "%.6g", s->peak_times[i]);
        snprintf(c3, sizeof c3, "%.5g", s->peaks[i]);
        if (i) snprintf(c4, sizeof c4, "%.5g", s->times[i] - s->times[i - 1]);
        else snprintf(c4, sizeof c4, "-");
        const char *row[] = {k, c1, c2, c3, c4};
        nd_table_add_row(t, row);
    }
    if (t && s->n) {
        nd_sb_putc(&plain, '\n');
        nd_table_text(t, &plain);
        nd_table_html(t, &html);
        if (s->n > SHOWN_SPIKES) {
            nd_sb_printf(&plain, "… and %zu more\n", s->n - SHOWN_SPIKES);
            nd_sb_printf(&html, "<p>… and %zu more</p>", s->n - SHOWN_SPIKES);
        }
    }
    nd_table_free(t);
    nd_sb_puts(&json, "{\"type\":\"spikes\",\"variable\":");
    nd_json_string(&json, var);
    nd_sb_printf(&json, ",\"count\":%zu,\"threshold\":", s->n);
    nd_json_number(&json, s->threshold);
    nd_sb_puts(&json, ",\"rate_hz\":");
    nd_json_number(&json, s->n ? nd_spikes_rate(s, t0, t1) : 0);
    json_number_list(&json, "times", s->times, s->n);
    json_number_list(&json, "peak_times", s->peak_times, s->n);
    json_number_list(&json, "peaks", s->peaks, s->n);
    nd_sb_puts(&json, ",\"isi_mean\":");
    nd_json_number(&json, nd_spikes_isi_mean(s));
    nd_sb_puts(&json, ",\"block_start\":");
    nd_json_number(&json, s->block_start);
    nd_sb_putc(&json, '}');
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), nd_sb_take(&json));
}

static nd_status run_spikes(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    nd_status st = nd_arg_expect(ctx, 1, 2, err);
    if (st != ND_OK) return st;
    nd_value *holder;
    nd_dataset *ds;
    if ((st = nd_target_dataset(ctx, nd_arg_pos(ctx, 0), &holder, &ds, err)) != ND_OK) return st;
    const nd_arg *va = nd_arg_pos(ctx, 1);
    const char *var = nd_ds_find(ds, "V") > 0 ? "V" : nd_ds_cols(ds) > 1 ? nd_ds_name(ds, 1) : "?";
    if (va) st = nd_arg_name(ctx, va, &var, err);
    int col = st == ND_OK ? nd_ds_find(ds, var) : -1;
    if (st == ND_OK && col < 1)
        st = va ? nd_arg_error(va, err, ND_ENAME, "the dataset has no variable '%s'", var)
                : nd_arg_error(nd_arg_pos(ctx, 0), err, ND_EVALUE, "the dataset has no variable");
    nd_spikes s = {0};
    s.block_start = NAN;
    size_t n = nd_ds_rows(ds);
    if (st == ND_OK) {
        const double *t = nd_ds_col(ds, 0), *v = nd_ds_col(ds, (size_t)col);
        double lo, hi;
        nd_finite_range(v, n, &lo, &hi);
        /* Defaults that suit any scale: halfway up the trace, a tenth of its range back. */
        double thr, hys;
        if ((st = nd_arg_opt_number(ctx, "threshold", 0.5 * (lo + hi), &thr, err)) == ND_OK &&
            (st = nd_arg_opt_number(ctx, "hysteresis", 0.1 * (hi - lo), &hys, err)) == ND_OK)
            st = nd_spikes_detect(t, v, n, thr, hys, &s, err);
        if (st == ND_OK) {
            nd_bundle *b = spikes_bundle(&s, var, n ? t[0] : 0, n ? t[n - 1] : 0);
            st = nd_cmd_display(ctx, b, err);
        }
    }
    nd_spikes_clear(&s);
    nd_value_unref(holder);
    return st;
}

static const nd_option spikes_options[] = {
    {"threshold", "halfway between the trace's min and max", "a spike starts where the trace crosses it upwards"},
    {"hysteresis", "a tenth of the trace's range", "how far below the threshold a spike must fall back to end"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_spikes = {
    "spikes", "spike times, intervals, rate and peaks of a trace",
    "spikes DATASET [VAR] [threshold= hysteresis=]",
    "Finds the spikes of VAR (default V) in a dataset: a spike starts where the trace crosses "
    "the threshold upwards (its time, interpolated) and ends where it falls back below "
    "threshold − hysteresis. A trace that rises and never comes back down is a "
    "depolarisation block, reported but not counted. Shows the count, rate (per second of "
    "a millisecond time axis), inter-spike intervals and peaks.",
    spikes_options, "sim = simulate hh t=100\nspikes sim\nspikes sim V threshold=-20", 0,
    run_spikes
};

/* ---- rates ---- */

static nd_status rates_figure(const nd_cmd_ctx *ctx, const nd_dataset *ds, nd_error *err)
{
    size_t ng = (nd_ds_cols(ds) - 1) / 4;
    const char *model = nd_ds_meta(ds, "model"), *v = nd_ds_name(ds, 0);
    nd_sb title;
    nd_sb_init(&title);
    nd_sb_printf(&title, "%s: gate steady states x_inf and time constants tau_x against %s",
                 model ? model : "the model", v);
    nd_figure *fig = title.oom ? NULL : nd_fig_create(title.data);
    nd_sb_free(&title);
    /* tau's unit is the same for every gate: the first one's */
    char *xl = nd_fig_label(v, nd_ds_unit(ds, 0)), *y1 = nd_fig_label("steady state x_inf", NULL);
    char *y2 = nd_fig_label("time constant tau_x", nd_ds_unit(ds, 4));
    int p1 = fig && xl && y1 ? nd_fig_add_panel(fig, xl, y1) : -1;
    int p2 = fig && xl && y2 ? nd_fig_add_panel(fig, xl, y2) : -1;
    free(y1);
    free(y2);
    int ok = p1 >= 0 && p2 >= 0;
    for (size_t g = 0; ok && g < ng; g++) {
        const char *inf = nd_ds_name(ds, 1 + 4 * g + 2), *tau = nd_ds_name(ds, 1 + 4 * g + 3);
        ok = nd_fig_add_series(fig, p1, inf, nd_ds_col(ds, 0), nd_ds_col(ds, 1 + 4 * g + 2),
                               nd_ds_rows(ds), (nd_fig_style){0}) >= 0 &&
             nd_fig_add_series(fig, p2, tau, nd_ds_col(ds, 0), nd_ds_col(ds, 1 + 4 * g + 3),
                               nd_ds_rows(ds), (nd_fig_style){0}) >= 0;
    }
    free(xl);
    nd_bundle *b = NULL;
    nd_status st = ok ? nd_fig_render(fig, &b, err)
                      : nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_fig_free(fig);
    return st == ND_OK ? nd_cmd_display(ctx, b, err) : st;
}

static nd_status run_rates(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 0, 1, err);
    if (st != ND_OK) return st;
    nd_model_obj *mo;
    if ((st = nd_target_model(ctx, nd_arg_pos(ctx, 0), &mo, err)) != ND_OK) return st;
    const nd_model *m = mo->model;
    /* The swept state: the one given as an option (V=-100..50), else V, else the first. */
    int vs = nd_model_index(m, ND_MODEL_STATE, "V");
    double lo = -100, hi = 50;
    const nd_arg *range = NULL;
    for (size_t i = 0; i < ctx->call->nargs; i++) {
        const nd_arg *a = &ctx->call->args[i];
        if (!a->key || strcmp(a->key, "n") == 0 || strcmp(a->key, "plot") == 0) continue;
        if ((vs = nd_model_index(m, ND_MODEL_STATE, a->key)) < 0)
            return nd_arg_error(a, err, ND_ENAME, "model %s has no state '%s' to sweep",
                                nd_model_name(m), a->key);
        range = a;
    }
    if (vs < 0) vs = 0;
    if (range && (st = nd_arg_range(ctx, range, &lo, &hi, err)) != ND_OK) return st;
    double points;
    int plot;
    if ((st = nd_arg_opt_number(ctx, "n", 301, &points, err)) != ND_OK) return st;
    if ((st = nd_arg_opt_bool(ctx, "plot", 1, &plot, err)) != ND_OK) return st;
    if (!(points >= 2 && points <= 1e6))
        return nd_arg_error(nd_arg_opt(ctx, "n"), err, ND_EVALUE, "n must be 2 … 1e6 points");
    nd_dataset *ds;
    if ((st = nd_rates_compute(m, vs, lo, hi, (size_t)points, &ds, err)) != ND_OK) {
        nd_target_locate(err, range ? range : &(nd_arg){.line = ctx->call->line,
                                                        .col = ctx->call->col, .span = 5});
        return st;
    }
    if (plot && (st = rates_figure(ctx, ds, err)) != ND_OK) {
        nd_ds_free(ds);
        return st;
    }
    *result = nd_value_dataset(ds);
    return *result ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
}

static const nd_option rates_options[] = {
    {"n", "301", "number of points of the sweep"},
    {"plot", "true", "show x_inf and tau_x against the swept variable"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_rates = {
    "rates", "the gates' rates, steady states and time constants against V",
    "[NAME =] rates [MODEL] [V=-100..50] [n= plot=]",
    "For every gating variable x of the model (dx/dt = α(V)(1 − x) − β(V)x, found in the "
    "compiled equations, so your own models work too) computes α, β, x∞ = α/(α+β) and "
    "τx = 1/(α+β) over a sweep of V, plots x∞ and τx, and returns them as a dataset with "
    "columns V, alpha_x, beta_x, x_inf, tau_x.",
    rates_options, "use hh\nrates\nr = rates V=-100..50 plot=false", ND_CMD_ANY_OPTIONS, run_rates
};

nd_status nd_cmd_register_analysis(nd_cmd_registry *reg, nd_error *err)
{
    static const nd_command *const all[] = {&cmd_spikes, &cmd_rates};
    return nd_cmd_register_list(reg, all, sizeof all / sizeof all[0], err);
}
