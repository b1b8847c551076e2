/* Spike-train commands: spikes (what fired, when) and compare (how well one train or
   trace reproduces another). Both return records; the science is in lib/analysis. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/compare.h"
#include "../analysis/spikes.h"
#include "../base/numfmt.h"
#include "../base/range.h"
#include "../base/strbuf.h"
#include "../base/table.h"
#include "../base/textfmt.h"
#include "../language/args.h"
#include "modules.h"
#include "../language/objects.h"
#include "../language/target.h"

/* Rows shown in a table; the JSON and the record always carry every spike. */
enum { SHOWN_ROWS = 20 };

static void json_number_list(nd_sb *sb, const char *key, const double *x, size_t n)
{
    nd_sb_printf(sb, ",\"%s\":", key);
    nd_json_numbers(sb, x, n);
}

static void json_key_number(nd_sb *sb, const char *key, double x)
{
    nd_sb_printf(sb, ",\"%s\":", key);
    nd_json_number(sb, x);
}

/* Adds the table's text and HTML (and a "… and N more" line) to plain and html. */
static void put_table(nd_table *t, size_t rows, nd_sb *plain, nd_sb *html)
{
    if (!t || rows == 0) return;
    nd_sb_putc(plain, '\n');
    nd_table_text(t, plain);
    nd_table_html(t, html);
    if (rows > SHOWN_ROWS) {
        nd_sb_printf(plain, "\n… and %zu more", rows - SHOWN_ROWS);
        nd_sb_printf(html, "<p>… and %zu more</p>", rows - SHOWN_ROWS);
    }
}

/* ---- spikes ---- */

/* What the spikes command found, with the window and rule it used. */
typedef struct spike_report {
    const nd_spikes *s;
    const char *var, *unit;
    const char *rate_unit;  /* "Hz" on a millisecond time axis */
    double t0, t1;
    const nd_spikes_rule *rule;
    double *isi;            /* s->n - 1 intervals */
} spike_report;

/* The summary: count, the ISI rate with the count rate beside it, ISI statistics, block,
   the rule and where times and peaks come from. */
static void summarize(nd_sb *sb, const spike_report *r)
{
    const nd_spikes *s = r->s;
    char a[ND_NUMFMT_CAP], b[ND_NUMFMT_CAP], rule[320];
    nd_sb_printf(sb, "%zu spike%s of %s in [%s, %s]", s->n, s->n == 1 ? "" : "s", r->var,
                 nd_numfmt(r->t0, a), nd_numfmt(r->t1, b));
    if (s->n > 1)
        nd_sb_printf(sb, ": rate %.4g %s (1000/mean ISI; count/window %.4g %s), mean ISI %.4g",
                     nd_spikes_isi_rate(s), r->rate_unit, nd_spikes_rate(s, r->t0, r->t1),
                     r->rate_unit, nd_spikes_isi_mean(s));
    else if (s->n == 1)
        nd_sb_printf(sb, ": count/window %.4g %s (one spike: no interval)",
                     nd_spikes_rate(s, r->t0, r->t1), r->rate_unit);
    if (s->n > 2) nd_sb_printf(sb, ", ISI CV %.3g", nd_spikes_isi_cv(s));
    if (!isnan(s->block_start))
        nd_sb_printf(sb, "; from t = %.4g it stays above threshold (depolarisation block, "
                     "or a spike cut off by the end)", s->block_start);
    nd_spikes_rule_describe(r->rule, r->unit, rule, sizeof rule);
    nd_sb_printf(sb, "\nrule: %s; times and peaks %s\n", rule,
                 s->dense ? "from the solver's continuous solution"
                          : "from the samples (crossings interpolated, peaks by a parabola)");
}

static const char *kind_name(nd_spikes_kind k)
{
    return k == ND_SPIKES_VOLTAGE ? "voltage" : k == ND_SPIKES_SCALED ? "scaled"
         : k == ND_SPIKES_RESET ? "reset" : "given";
}

static nd_bundle *spikes_bundle(const spike_report *r)
{
    const nd_spikes *s = r->s;
    static const char *const headers[] = {"spike", "time", "peak time", "peak", "ISI"};
    nd_table *t = nd_table_create(5, headers);
    nd_sb plain, html, json;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_init(&json);
    summarize(&plain, r);
    nd_html_escape(&html, plain.data ? plain.data : "");
    for (size_t i = 0; t && i < s->n && i < SHOWN_ROWS; i++) {
        char k[24], c1[32], c2[32], c3[32], c4[32];
        snprintf(k, sizeof k, "%zu", i + 1);
        snprintf(c1, sizeof c1, "%.6g", s->times[i]);
        snprintf(c2, sizeof c2, "%.6g", s->peak_times[i]);
        snprintf(c3, sizeof c3, "%.5g", s->peaks[i]);
        if (i) snprintf(c4, sizeof c4, "%.5g", r->isi[i - 1]);
        else snprintf(c4, sizeof c4, "-");
        const char *row[] = {k, c1, c2, c3, c4};
        nd_table_add_row(t, row);
    }
    put_table(t, s->n, &plain, &html);
    nd_table_free(t);
    char rule[320];
    nd_spikes_rule_describe(r->rule, r->unit, rule, sizeof rule);
    nd_sb_puts(&json, "{\"type\":\"spikes\",\"variable\":");
    nd_json_string(&json, r->var);
    nd_sb_printf(&json, ",\"count\":%zu", s->n);
    json_key_number(&json, "threshold", s->threshold);
    nd_sb_printf(&json, ",\"rule\":{\"kind\":\"%s\"", kind_name(r->rule->kind));
    json_key_number(&json, "threshold", r->rule->threshold);
    json_key_number(&json, "hysteresis", r->rule->hysteresis);
    json_key_number(&json, "min_amplitude", r->rule->min_amplitude);
    nd_sb_puts(&json, ",\"text\":");
    nd_json_string(&json, rule);
    nd_sb_printf(&json, "},\"source\":\"%s\"", s->dense ? "dense" : "samples");
    json_key_number(&json, "t_start", r->t0);
    json_key_number(&json, "t_end", r->t1);
    json_key_number(&json, "rate_hz", nd_spikes_isi_rate(s));
    json_key_number(&json, "count_rate_hz", nd_spikes_rate(s, r->t0, r->t1));
    json_number_list(&json, "times", s->times, s->n);
    json_number_list(&json, "peak_times", s->peak_times, s->n);
    json_number_list(&json, "peaks", s->peaks, s->n);
    json_number_list(&json, "isi", r->isi, s->n ? s->n - 1 : 0);
    json_key_number(&json, "isi_mean", nd_spikes_isi_mean(s));
    json_key_number(&json, "isi_cv", nd_spikes_isi_cv(s));
    json_key_number(&json, "block_start", s->block_start);
    nd_sb_putc(&json, '}');
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), nd_sb_take(&json));
}

/* The record a spikes statement binds: its fields, shown as the bundle above. */
static nd_value *spikes_record(const spike_report *r)
{
    const nd_spikes *s = r->s;
    nd_value *rec = nd_value_record("spikes", spikes_bundle(r));
    size_t ni = s->n ? s->n - 1 : 0;
    if (rec && (nd_record_add_number(rec, "count", (double)s->n) ||
                nd_record_add_vector(rec, "times", s->times, s->n) ||
                nd_record_add_vector(rec, "peak_times", s->peak_times, s->n) ||
                nd_record_add_vector(rec, "peaks", s->peaks, s->n) ||
                nd_record_add_vector(rec, "isi", r->isi, ni) ||
                nd_record_add_number(rec, "rate", nd_spikes_isi_rate(s)) ||
                nd_record_add_number(rec, "count_rate", nd_spikes_rate(s, r->t0, r->t1)) ||
                nd_record_add_number(rec, "isi_mean", nd_spikes_isi_mean(s)) ||
                nd_record_add_number(rec, "isi_cv", nd_spikes_isi_cv(s)) ||
                nd_record_add_number(rec, "threshold", s->threshold) ||
                nd_record_add_string(rec, "variable", r->var) ||
                nd_record_add_number(rec, "block_start", s->block_start) ||
                nd_record_add_number(rec, "t_start", r->t0) ||
                nd_record_add_number(rec, "t_end", r->t1))) {
        nd_value_unref(rec);
        return NULL;
    }
    return rec;
}

/* The column of ds that the optional argument va names (default V, else the first). */
static nd_status pick_column(const nd_cmd_ctx *ctx, const nd_dataset *ds, const nd_arg *dsa,
                             const nd_arg *va, int *col, nd_error *err)
{
    const char *var = nd_ds_find(ds, "V") > 0 ? "V" : nd_ds_cols(ds) > 1 ? nd_ds_name(ds, 1) : "?";
    nd_status st = va ? nd_arg_name(ctx, va, &var, err) : ND_OK;
    if (st != ND_OK) return st;
    *col = nd_ds_find(ds, var);
    if (*col >= 1) return ND_OK;
    return va ? nd_arg_error(va, err, ND_ENAME, "the dataset has no variable '%s'", var)
              : nd_arg_error(dsa, err, ND_EVALUE, "the dataset has no variable");
}

/* The rule: the default for the column, or a plain crossing of threshold=; hysteresis=
   overrides either. */
static nd_status pick_rule(const nd_cmd_ctx *ctx, const nd_dataset *ds, int col,
                           nd_spikes_rule *rule, nd_error *err)
{
    nd_spikes_rule_for(ds, (size_t)col, rule);
    nd_status st;
    if (nd_arg_opt(ctx, "threshold")) {
        double thr;
        if ((st = nd_arg_opt_number(ctx, "threshold", 0, &thr, err))) return st;
        nd_spikes_rule_given(nd_ds_col(ds, (size_t)col), nd_ds_rows(ds), thr, rule);
    }
    if (rule->kind == ND_SPIKES_RESET && nd_arg_opt(ctx, "hysteresis"))
        return nd_arg_error(nd_arg_opt(ctx, "hysteresis"), err, ND_EVALUE, "hysteresis "
                            "needs a threshold: here each reset is a spike");
    return nd_arg_opt_number(ctx, "hysteresis", rule->hysteresis, &rule->hysteresis, err);
}

static nd_status run_spikes(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 1, 2, err);
    if (st != ND_OK) return st;
    nd_value *holder;
    nd_dataset *ds;
    if ((st = nd_target_dataset(ctx, nd_arg_pos(ctx, 0), &holder, &ds, err)) != ND_OK) return st;
    int col = -1;
    nd_spikes_rule rule;
    nd_spikes s = {0};
    s.block_start = NAN;
    if ((st = pick_column(ctx, ds, nd_arg_pos(ctx, 0), nd_arg_pos(ctx, 1), &col, err)) == ND_OK &&
        (st = pick_rule(ctx, ds, col, &rule, err)) == ND_OK &&
        (st = nd_spikes_dataset(ds, (size_t)col, &rule, &s, NULL, err)) != ND_OK)
        nd_target_locate(err, nd_arg_opt(ctx, "threshold") ? nd_arg_opt(ctx, "threshold")
                                                            : nd_arg_pos(ctx, 0));
    double *isi = st == ND_OK ? malloc((s.n ? s.n : 1) * sizeof *isi) : NULL;
    if (st == ND_OK && !isi) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) {
        for (size_t i = 1; i < s.n; i++) isi[i - 1] = s.times[i] - s.times[i - 1];
        size_t n = nd_ds_rows(ds);
        const double *t = nd_ds_col(ds, 0);
        const char *tu = nd_ds_unit(ds, 0);
        spike_report r = {&s, nd_ds_name(ds, (size_t)col), nd_ds_unit(ds, (size_t)col),
                          tu && strcmp(tu, "ms") == 0 ? "Hz" : "per 1000 time units",
                          n ? t[0] : 0, n ? t[n - 1] : 0, &rule, isi};
        st = nd_cmd_give(ctx, spikes_record(&r), result, err);
    }
    free(isi);
    nd_spikes_clear(&s);
    nd_value_unref(holder);
    return st;
}

static const nd_option spikes_options[] = {
    {"threshold", "-20 for mV; mid-range for dimensionless", "a spike starts where the trace "
     "crosses it upwards (given: no minimum amplitude)"},
    {"hysteresis", "10 mV; else a tenth of the range", "how far below the threshold a spike "
     "must fall back to end"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_spikes = {
    "spikes", "spike times, intervals, rate and peaks of a trace",
    "[NAME =] spikes DATASET [VAR] [threshold= hysteresis=]",
    "Finds the spikes of VAR (default V) in a dataset. For a membrane potential in mV a "
    "spike crosses −20 mV upwards, falls back below −30 mV and rises at least 30 mV above "
    "the trough before it, so a resting, drifting, noisy or subthreshold trace has none. "
    "For a dimensionless variable (fhn's v) the threshold is the mid-range and a spike must "
    "rise at least max(1, half the range): an order-one excursion, which a flat or slowly "
    "drifting trace does not make. In a model that resets (lif, izh) each reset is a spike. "
    "threshold= (and hysteresis=, default a tenth of the range) replace the rule by a plain "
    "crossing. A trace that rises and never comes back down is a depolarisation block, "
    "reported but not counted.\n\n"
    "On a simulation, crossings and peaks come from the solver's continuous solution, so "
    "they do not depend on sample=; on loaded or noisy data, from the samples (the peak "
    "by a parabola through the highest sample and its neighbours). The rate is 1000/mean "
    "ISI (Hz for a millisecond time axis), shown beside the count over the window. "
    "`s = spikes …` binds a record: s.count, s.times, s.peak_times, s.peaks, s.isi, "
    "s.rate, s.count_rate, s.isi_mean, s.isi_cv, s.threshold, s.variable, s.block_start, "
    "s.t_start, s.t_end.",
    spikes_options, "sim = simulate hh t=100\nspikes sim\ns = spikes sim V threshold=0", 0,
    run_spikes
};

/* ---- compare ---- */

/* One side of a comparison: a spike train (from a record or found in a dataset), and the
   dataset's trace when there is one. */
typedef struct side {
    nd_value *holder;
    const nd_dataset *ds;   /* NULL for a spike record */
    int col;
    nd_spikes s;            /* found in ds */
    const double *times;
    size_t n;
    double t0, t1;
} side;

static nd_status record_number(const nd_value *rec, const char *name, double *x,
                               const nd_arg *a, nd_error *err)
{
    const nd_value *v = nd_record_get(rec, name);
    if (!v || v->kind != ND_VAL_NUMBER)
        return nd_arg_error(a, err, ND_ETYPE, "this spike record has no number '%s'", name);
    *x = v->as.num;
    return ND_OK;
}

/* Reads argument a as a spike record or a dataset (whose spikes of var are found with the
   default rule). */
static nd_status read_side(nd_cmd_ctx *ctx, const nd_arg *a, const nd_arg *va, side *sd,
                           nd_error *err)
{
    nd_status st = nd_arg_value(ctx, a, &sd->holder, err);
    if (st != ND_OK) return st;
    const nd_value *v = sd->holder;
    if (v->kind == ND_VAL_RECORD && strcmp(v->as.rec.type, "spikes") == 0) {
        const nd_value *tv = nd_record_get(v, "times");
        if (!tv || tv->kind != ND_VAL_VECTOR)
            return nd_arg_error(a, err, ND_ETYPE, "this spike record has no times");
        sd->times = tv->as.vec.x;
        sd->n = tv->as.vec.n;
        if ((st = record_number(v, "t_start", &sd->t0, a, err))) return st;
        return record_number(v, "t_end", &sd->t1, a, err);
    }
    if (!(sd->ds = nd_value_as_dataset(v))) {
        char buf[48];
        return nd_arg_error(a, err, ND_ETYPE, "compare takes datasets or spike records "
                            "(s = spikes …), not %s", nd_value_a_type(v, buf, sizeof buf));
    }
    if ((st = pick_column(ctx, sd->ds, a, va, &sd->col, err)) != ND_OK) return st;
    if ((st = nd_spikes_dataset(sd->ds, (size_t)sd->col, NULL, &sd->s, NULL, err)) != ND_OK) {
        nd_target_locate(err, a);
        return st;
    }
    size_t n = nd_ds_rows(sd->ds);
    const double *t = nd_ds_col(sd->ds, 0);
    sd->times = sd->s.times;
    sd->n = sd->s.n;
    sd->t0 = n ? t[0] : 0;
    sd->t1 = n ? t[n - 1] : 0;
    return ND_OK;
}

static void side_clear(side *sd)
{
    nd_spikes_clear(&sd->s);
    nd_value_unref(sd->holder);
}

/* The two spike trains a comparison was made of (A the reference, B the prediction). */
typedef struct trains {
    const double *a, *b;
    size_t na, nb;
} trains;

static nd_bundle *compare_bundle(const nd_compare *c, const trains *tr, double rms,
                                 const char *var, const char *unit, double t0, double t1)
{
    char a[ND_NUMFMT_CAP], b[ND_NUMFMT_CAP];
    nd_sb plain, html, json;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_init(&json);
    nd_sb_printf(&plain, "A: %zu spikes, B: %zu in [%s, %s]; matched %zu within %g, missing "
                 "%zu (in A, not in B), extra %zu (in B, not in A)", c->n_a, c->n_b,
                 nd_numfmt(t0, a), nd_numfmt(t1, b), c->matched, c->delta, c->missing,
                 c->extra);
    if (c->matched)
        nd_sb_printf(&plain, "; |tB − tA| mean %.3g, max %.3g", c->dt_mean, c->dt_max);
    nd_sb_printf(&plain, "\ncoincidence factor Γ = %.4g (Δ = %g; 1: identical, 0: chance)",
                 c->gamma, c->delta);
    if (!isnan(rms))
        nd_sb_printf(&plain, "; RMS of %s over the common window %.4g%s%s", var, rms,
                     unit && unit[0] ? " " : "", unit && unit[0] ? unit : "");
    nd_sb_putc(&plain, '\n');
    nd_html_escape(&html, plain.data ? plain.data : "");
    static const char *const headers[] = {"pair", "tB − tA"};
    nd_table *t = nd_table_create(2, headers);
    for (size_t i = 0; t && i < c->matched && i < SHOWN_ROWS; i++) {
        char k[24], d[32];
        snprintf(k, sizeof k, "%zu", i + 1);
        snprintf(d, sizeof d, "%.4g", c->dt[i]);
        const char *row[] = {k, d};
        nd_table_add_row(t, row);
    }
    put_table(t, c->matched, &plain, &html);
    nd_table_free(t);
    nd_sb_printf(&json, "{\"type\":\"compare\",\"count_a\":%zu,\"count_b\":%zu,\"matched\":%zu,"
                 "\"missing\":%zu,\"extra\":%zu", c->n_a, c->n_b, c->matched, c->missing,
                 c->extra);
    json_key_number(&json, "gamma", c->gamma);
    json_key_number(&json, "delta", c->delta);
    json_key_number(&json, "dt_mean", c->dt_mean);
    json_key_number(&json, "dt_max", c->dt_max);
    json_number_list(&json, "dt", c->dt, c->matched);
    json_number_list(&json, "times_a", tr->a, tr->na);
    json_number_list(&json, "times_b", tr->b, tr->nb);
    json_key_number(&json, "rms", rms);
    nd_sb_puts(&json, ",\"variable\":");
    if (var) nd_json_string(&json, var);
    else nd_sb_puts(&json, "null");
    json_key_number(&json, "t_start", t0);
    json_key_number(&json, "t_end", t1);
    nd_sb_putc(&json, '}');
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), nd_sb_take(&json));
}

static nd_value *compare_record(const nd_compare *c, const trains *tr, double rms,
                                const char *var, const char *unit, double t0, double t1)
{
    nd_value *rec = nd_value_record("compare", compare_bundle(c, tr, rms, var, unit, t0, t1));
    if (rec && (nd_record_add_number(rec, "gamma", c->gamma) ||
                nd_record_add_number(rec, "matched", (double)c->matched) ||
                nd_record_add_number(rec, "missing", (double)c->missing) ||
                nd_record_add_number(rec, "extra", (double)c->extra) ||
                nd_record_add_number(rec, "dt_mean", c->dt_mean) ||
                nd_record_add_number(rec, "dt_max", c->dt_max) ||
                nd_record_add_vector(rec, "dt", c->dt, c->matched) ||
                nd_record_add_vector(rec, "times_a", tr->a, tr->na) ||
                nd_record_add_vector(rec, "times_b", tr->b, tr->nb) ||
                nd_record_add_number(rec, "rms", rms) ||
                nd_record_add_number(rec, "delta", c->delta))) {
        nd_value_unref(rec);
        return NULL;
    }
    return rec;
}

static nd_status run_compare(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 2, 3, err);
    if (st != ND_OK) return st;
    double delta;
    if ((st = nd_arg_opt_number(ctx, "delta", 2, &delta, err)) != ND_OK) return st;
    if (!(delta > 0) || !isfinite(delta))
        return nd_arg_error(nd_arg_opt(ctx, "delta"), err, ND_EVALUE,
                            "delta must be a positive time (ms)");
    side a = {0}, b = {0};
    const nd_arg *va = nd_arg_pos(ctx, 2);
    if ((st = read_side(ctx, nd_arg_pos(ctx, 0), va, &a, err)) == ND_OK)
        st = read_side(ctx, nd_arg_pos(ctx, 1), va, &b, err);
    if (st == ND_OK && va && !a.ds && !b.ds)
        st = nd_arg_error(va, err, ND_EVALUE, "a variable is only compared between datasets");
    double t0 = fmax(a.t0, b.t0), t1 = fmin(a.t1, b.t1);
    if (st == ND_OK && !(t1 > t0))
        st = nd_arg_error(nd_arg_pos(ctx, 1), err, ND_EVALUE, "A covers [%g, %g] and B "
                          "[%g, %g]: no common time window", a.t0, a.t1, b.t0, b.t1);
    nd_compare c = {0};
    if (st == ND_OK)
        st = nd_compare_trains(a.times, a.n, b.times, b.n, t0, t1, delta, &c, err);
    if (st == ND_OK) {
        double rms = NAN;
        const char *var = NULL, *unit = NULL;
        if (a.ds && b.ds) {
            var = nd_ds_name(a.ds, (size_t)a.col);
            unit = nd_ds_unit(a.ds, (size_t)a.col);
            int bc = nd_ds_find(b.ds, var);
            if (bc < 1)
                st = nd_arg_error(nd_arg_pos(ctx, 1), err, ND_ENAME, "B has no variable '%s'",
                                  var);
            else
                rms = nd_compare_rms(nd_ds_col(a.ds, 0), nd_ds_col(a.ds, (size_t)a.col),
                                     nd_ds_rows(a.ds), nd_ds_col(b.ds, 0),
                                     nd_ds_col(b.ds, (size_t)bc), nd_ds_rows(b.ds), t0, t1,
                                     NULL);
        }
        trains tr = {a.times, b.times, a.n, b.n};
        if (st == ND_OK) st = nd_cmd_give(ctx, compare_record(&c, &tr, rms, var, unit, t0, t1),
                                          result, err);
    }
    nd_compare_clear(&c);
    side_clear(&a);
    side_clear(&b);
    return st;
}

static const nd_option compare_options[] = {
    {"delta", "2", "coincidence window: spikes closer than this (ms) are the same spike"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_compare = {
    "compare", "how well one spike train or trace reproduces another",
    "[NAME =] compare A B [VAR] [delta=2]",
    "Compares B (a prediction: a model's or network's simulation, or a spike record) with "
    "the reference A (data). Spikes are found in datasets as `spikes` finds them (in VAR, "
    "default V). In A's order, each spike of A is matched to the nearest spike of B not yet "
    "matched, within delta ms; the rest are missing (in A only) or extra (in B only). "
    "Shows the matched errors tB − tA, and the coincidence factor "
    "Γ = (N_coinc − 2νΔ·N_A) / (½(N_A + N_B)(1 − 2νΔ)), ν = N_B/T (Kistler et al. 1997; "
    "Jolivet et al. 2008): 1 for identical trains, about 0 for chance coincidences, "
    "negative for fewer than chance. For two datasets, also the RMS of VAR over the common "
    "time window (B interpolated onto A's times). `c = compare …` binds a record: "
    "c.gamma, c.matched, c.missing, c.extra, c.dt_mean, c.dt_max, c.dt, c.times_a, "
    "c.times_b (the two trains), c.rms, c.delta.",
    compare_options,
    "use hh\nset I = 10\na = simulate t=200\nset I = 10.5\nb = simulate t=200\ncompare a b\n"
    "sa = spikes a\nsb = spikes b\nc = compare sa sb delta=1",
    0, run_compare
};

nd_status nd_cmd_register_spikes(nd_cmd_registry *reg, nd_error *err)
{
    static const nd_command *const all[] = {&cmd_spikes, &cmd_compare};
    return nd_cmd_register_list(reg, all, sizeof all / sizeof all[0], err);
}
