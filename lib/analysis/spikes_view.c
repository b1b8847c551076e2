/* Spike tables: a summary line, the rule in words, at most SHOWN_ROWS rows. */
#include "spikes_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/numfmt.h"
#include "../base/strbuf.h"
#include "../base/table.h"
#include "../base/textfmt.h"

/* Rows shown in a table; the JSON always carries every spike. */
enum { SHOWN_ROWS = 20, RULE_CAP = 320 };

void nd_spikes_window(const nd_dataset *ds, double *t0, double *t1)
{
    size_t n = nd_ds_rows(ds);
    const double *t = nd_ds_col(ds, 0);
    *t0 = n ? t[0] : 0;
    *t1 = n ? t[n - 1] : 0;
}

void nd_spikes_report_of(const nd_dataset *ds, size_t col, const nd_spikes *s,
                         const nd_spikes_rule *rule, nd_spikes_report *r)
{
    const char *tu = nd_ds_unit(ds, 0);
    *r = (nd_spikes_report){s, rule, nd_ds_name(ds, col), nd_ds_unit(ds, col),
                            tu && strcmp(tu, "ms") == 0 ? "Hz" : "per 1000 time units", 0, 0};
    nd_spikes_window(ds, &r->t0, &r->t1);
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

/* The summary: count, the ISI rate with the count rate beside it, ISI statistics, block,
   the rule and where times and peaks come from. */
static void summarize(nd_sb *sb, const nd_spikes_report *r, const char *rule)
{
    const nd_spikes *s = r->s;
    /* the window to six digits: a sample grid's end (59999 × 0.05) is not worth 17; the
       JSON keeps it exactly */
    nd_sb_printf(sb, "%zu spike%s of %s in [%.6g, %.6g]", s->n, s->n == 1 ? "" : "s", r->var,
                 r->t0, r->t1);
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
    nd_sb_printf(sb, "\nrule: %s; times and peaks %s\n", rule,
                 s->dense ? "from the solver's continuous solution"
                          : "from the samples (crossings interpolated, peaks by a parabola)");
}

static const char *kind_name(nd_spikes_kind k)
{
    return k == ND_SPIKES_VOLTAGE ? "voltage" : k == ND_SPIKES_SCALED ? "scaled"
         : k == ND_SPIKES_RESET ? "reset" : "given";
}

static nd_table *spikes_table(const nd_spikes *s)
{
    static const char *const headers[] = {"spike", "time", "peak time", "peak", "ISI"};
    nd_table *t = nd_table_create(5, headers);
    for (size_t i = 0; t && i < s->n && i < SHOWN_ROWS; i++) {
        char k[24], c1[32], c2[32], c3[32], c4[32];
        snprintf(k, sizeof k, "%zu", i + 1);
        snprintf(c1, sizeof c1, "%.6g", s->times[i]);
        snprintf(c2, sizeof c2, "%.6g", s->peak_times[i]);
        snprintf(c3, sizeof c3, "%.5g", s->peaks[i]);
        if (i) snprintf(c4, sizeof c4, "%.5g", s->times[i] - s->times[i - 1]);
        else snprintf(c4, sizeof c4, "-");
        const char *row[] = {k, c1, c2, c3, c4};
        nd_table_add_row(t, row);
    }
    return t;
}

static char *spikes_json(const nd_spikes_report *r, const char *rule_text)
{
    const nd_spikes *s = r->s;
    const nd_spikes_rule *rule = r->rule;
    size_t ni = s->n ? s->n - 1 : 0;
    double *isi = malloc((ni ? ni : 1) * sizeof *isi);
    if (!isi) return NULL;
    nd_spikes_isi(s, isi);
    json_t *j = json_object(), *jr = json_object();
    int rc = nd_json_put(j, "type", json_string("spikes")) |
             nd_json_put(j, "variable", nd_json_utf8(r->var)) |
             nd_json_put(j, "count", json_integer((json_int_t)s->n)) |
             nd_json_put(j, "threshold", nd_json_real(s->threshold)) |
             nd_json_put(j, "rule", jr) |
             nd_json_put(jr, "kind", json_string(kind_name(rule->kind))) |
             nd_json_put(jr, "threshold", nd_json_real(rule->threshold)) |
             nd_json_put(jr, "hysteresis", nd_json_real(rule->hysteresis)) |
             nd_json_put(jr, "min_amplitude", nd_json_real(rule->min_amplitude)) |
             nd_json_put(jr, "text", nd_json_utf8(rule_text)) |
             nd_json_put(j, "source", json_string(s->dense ? "dense" : "samples")) |
             nd_json_put(j, "t_start", nd_json_real(r->t0)) |
             nd_json_put(j, "t_end", nd_json_real(r->t1)) |
             nd_json_put(j, "rate_hz", nd_json_real(nd_spikes_isi_rate(s))) |
             nd_json_put(j, "count_rate_hz", nd_json_real(nd_spikes_rate(s, r->t0, r->t1))) |
             nd_json_put(j, "times", nd_json_reals(s->times, s->n)) |
             nd_json_put(j, "peak_times", nd_json_reals(s->peak_times, s->n)) |
             nd_json_put(j, "peaks", nd_json_reals(s->peaks, s->n)) |
             nd_json_put(j, "isi", nd_json_reals(isi, ni)) |
             nd_json_put(j, "isi_mean", nd_json_real(nd_spikes_isi_mean(s))) |
             nd_json_put(j, "isi_cv", nd_json_real(nd_spikes_isi_cv(s))) |
             nd_json_put(j, "block_start", nd_json_real(s->block_start));
    free(isi);
    return nd_json_dump(nd_json_ok(j, rc));
}

nd_bundle *nd_spikes_bundle(const nd_spikes_report *r)
{
    char rule[RULE_CAP];
    nd_spikes_rule_describe(r->rule, r->unit, rule, sizeof rule);
    nd_sb plain, html;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    summarize(&plain, r, rule);
    nd_html_escape(&html, plain.data ? plain.data : "");
    nd_table *t = spikes_table(r->s);
    put_table(t, r->s->n, &plain, &html);
    nd_table_free(t);
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), spikes_json(r, rule));
}

/* ---- compare ---- */

static void compare_summary(nd_sb *sb, const nd_compare_report *r)
{
    const nd_compare *c = r->c;
    nd_sb_printf(sb, "A: %zu spikes, B: %zu in [%.6g, %.6g]; matched %zu within %g, missing "
                 "%zu (in A, not in B), extra %zu (in B, not in A)", c->n_a, c->n_b,
                 r->t0, r->t1, c->matched, c->delta, c->missing, c->extra);
    if (c->matched)
        nd_sb_printf(sb, "; |tB − tA| mean %.3g, max %.3g", c->dt_mean, c->dt_max);
    nd_sb_printf(sb, "\ncoincidence factor Γ = %.4g (Δ = %g; 1: identical, 0: chance)",
                 c->gamma, c->delta);
    const char *unit = r->unit;
    if (!isnan(r->rms))
        nd_sb_printf(sb, "; RMS of %s over the common window %.4g%s%s", r->var, r->rms,
                     unit && unit[0] ? " " : "", unit && unit[0] ? unit : "");
    nd_sb_putc(sb, '\n');
}

static char *compare_json(const nd_compare_report *r)
{
    const nd_compare *c = r->c;
    json_t *j = json_object();
    int rc = nd_json_put(j, "type", json_string("compare")) |
             nd_json_put(j, "count_a", json_integer((json_int_t)c->n_a)) |
             nd_json_put(j, "count_b", json_integer((json_int_t)c->n_b)) |
             nd_json_put(j, "matched", json_integer((json_int_t)c->matched)) |
             nd_json_put(j, "missing", json_integer((json_int_t)c->missing)) |
             nd_json_put(j, "extra", json_integer((json_int_t)c->extra)) |
             nd_json_put(j, "gamma", nd_json_real(c->gamma)) |
             nd_json_put(j, "delta", nd_json_real(c->delta)) |
             nd_json_put(j, "dt_mean", nd_json_real(c->dt_mean)) |
             nd_json_put(j, "dt_max", nd_json_real(c->dt_max)) |
             nd_json_put(j, "dt", nd_json_reals(c->dt, c->matched)) |
             nd_json_put(j, "times_a", nd_json_reals(r->a, r->na)) |
             nd_json_put(j, "times_b", nd_json_reals(r->b, r->nb)) |
             nd_json_put(j, "rms", nd_json_real(r->rms)) |
             nd_json_put(j, "variable", r->var ? nd_json_utf8(r->var) : json_null()) |
             nd_json_put(j, "t_start", nd_json_real(r->t0)) |
             nd_json_put(j, "t_end", nd_json_real(r->t1));
    return nd_json_dump(nd_json_ok(j, rc));
}

nd_bundle *nd_compare_bundle(const nd_compare_report *r)
{
    const nd_compare *c = r->c;
    nd_sb plain, html;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    compare_summary(&plain, r);
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
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), compare_json(r));
}
