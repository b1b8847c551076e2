/* The F-I summary in words (onset class by the jump at onset), the curve, the dataset. */
#include "fi_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/numfmt.h"
#include "../base/strbuf.h"
#include "../base/textfmt.h"

const char *nd_fi_rate_unit(const nd_model *m)
{
    const char *tu = nd_model_time_unit(m);
    return strcmp(tu, "ms") == 0 || strcmp(tu, "s") == 0 ? "Hz" : "1/time unit";
}

static const char *item_name(const nd_model *m, nd_model_kind kind, int i)
{
    return nd_model_item_at(m, kind, (size_t)i)->name;
}

static void summarize(nd_sb *sb, const nd_model *m, const nd_fi_options *o,
                      const nd_fi_result *r, const nd_fi_findings *f)
{
    char a[ND_NUMFMT_CAP], b[ND_NUMFMT_CAP];
    const char *u = nd_fi_rate_unit(m), *p = item_name(m, ND_MODEL_PAR, o->par);
    nd_sb_printf(sb, "F-I curve of %s: %s = %s … %s, %zu values", nd_model_name(m), p,
                 nd_numfmt(r->value[0], a), nd_numfmt(r->value[r->n - 1], b), r->n);
    if (isnan(r->threshold)) {
        nd_sb_puts(sb, ". No firing anywhere in the range (no trial run oscillated).\n");
        return;
    }
    nd_sb_printf(sb, ", spikes counted at %s = %.4g.\n", item_name(m, ND_MODEL_STATE, o->state),
                 r->threshold);
    if (o->up && f->onset < 0) nd_sb_puts(sb, "Up sweep: no firing.\n");
    if (f->onset >= 0) {
        double rate = r->rate_up[f->onset];
        nd_sb_printf(sb, "Up sweep: starts firing at %s = %s at %.4g %s", p,
                     nd_numfmt(r->value[f->onset], a), rate, u);
        /* Class by the rate just above the onset, relative to the rates further up the
           curve: resolved below the grid when nd_fi_classify could, else on the grid. */
        if (f->onset_class)
            nd_sb_printf(sb, "; resolved below the grid, firing starts at %s = %.6g at %.4g %s%s.\n",
                         p, f->onset_value, f->onset_rate, u,
                         f->onset_class == 1 ? " and the rate rises from near zero: class "
                                               "1-like onset"
                                             : ", a jump to a finite rate: class 2-like onset");
        else if (f->onset > 0)
            nd_sb_puts(sb, rate < 0.35 * f->max_rate
                               ? " (rising from near zero on the grid: class 1-like onset).\n"
                               : " (a nonzero onset frequency on the grid, not resolved "
                                 "below it: class 2-like onset).\n");
        else
            nd_sb_puts(sb, " (already at the start of the range).\n");
    }
    if (o->down && f->offset < 0) nd_sb_puts(sb, "Down sweep: no firing.\n");
    if (f->offset >= 0)
        nd_sb_printf(sb, "Down sweep: keeps firing down to %s = %s (%.4g %s).\n", p,
                     nd_numfmt(r->value[f->offset], a), r->rate_down[f->offset], u);
    if (f->bist_lo >= 0)
        nd_sb_printf(sb, "Bistable window: %s = %s … %s rests going up and fires coming down "
                     "(hysteresis).\n", p, nd_numfmt(r->value[f->bist_lo], a),
                     nd_numfmt(r->value[f->bist_hi], b));
    else if (o->up && o->down)
        nd_sb_puts(sb, "No bistable window: both sweeps agree.\n");
}

/* x[i], or NAN for the index -1 (nothing found). */
static double at(const double *x, long i)
{
    return i >= 0 ? x[i] : NAN;
}

static char *fi_json(const nd_model *m, const nd_fi_options *o, const nd_fi_result *r,
                     const nd_fi_findings *f)
{
    json_t *j = json_object();
    int rc = nd_json_put(j, "type", json_string("fi")) |
             nd_json_put(j, "parameter", json_string(item_name(m, ND_MODEL_PAR, o->par))) |
             nd_json_put(j, "threshold", nd_json_real(r->threshold)) |
             nd_json_put(j, "onset", nd_json_real(at(r->value, f->onset))) |
             nd_json_put(j, "onset_rate", nd_json_real(at(r->rate_up, f->onset))) |
             nd_json_put(j, "onset_resolved", nd_json_real(f->onset_value)) |
             nd_json_put(j, "onset_resolved_rate", nd_json_real(f->onset_rate)) |
             nd_json_put(j, "onset_class", json_integer(f->onset_class)) |
             nd_json_put(j, "offset", nd_json_real(at(r->value, f->offset))) |
             nd_json_put(j, "bistable_from", nd_json_real(at(r->value, f->bist_lo))) |
             nd_json_put(j, "bistable_to", nd_json_real(at(r->value, f->bist_hi)));
    return nd_json_dump(nd_json_ok(j, rc));
}

nd_bundle *nd_fi_bundle(const nd_model *m, const nd_fi_options *o, const nd_fi_result *r,
                        const nd_fi_findings *f)
{
    nd_sb plain, html;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    summarize(&plain, m, o, r, f);
    nd_sb_puts(&html, "<pre>");
    nd_html_escape(&html, plain.data ? plain.data : "");
    nd_sb_puts(&html, "</pre>");
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), fi_json(m, o, r, f));
}

int nd_fi_add_panel(nd_figure *fig, const char *xlabel, const char *rate_unit,
                    const double *x, const double *up, const double *down, size_t n,
                    const char *up_label, const char *down_label)
{
    char *ylabel = nd_fig_label("firing rate", rate_unit);
    int p = ylabel ? nd_fig_add_panel(fig, xlabel, ylabel) : -1;
    free(ylabel);
    if (p < 0) return -1;
    if (up && nd_fig_add_series(fig, p, up_label, x, up, n,
                                (nd_fig_style){ND_FIG_SOLID, ND_FIG_CIRCLE, ND_FIG_BLUE, 0}) < 0)
        return -1;
    if (down && nd_fig_add_series(fig, p, down_label, x, down, n,
                                  (nd_fig_style){ND_FIG_DASHED, ND_FIG_OPEN_CIRCLE,
                                                 ND_FIG_VERMILLION, 0}) < 0)
        return -1;
    return p;
}

nd_figure *nd_fi_figure(const nd_model *m, const nd_fi_options *o, const nd_fi_result *r)
{
    const nd_model_item *it = nd_model_item_at(m, ND_MODEL_PAR, (size_t)o->par);
    char title[160];
    snprintf(title, sizeof title, "%s: firing rate against %s (F-I curve)", nd_model_name(m),
             it->name);
    char *xl = nd_fig_label(it->name, it->unit);
    nd_figure *fig = xl ? nd_fig_create(title) : NULL;
    if (fig && nd_fi_add_panel(fig, xl, nd_fi_rate_unit(m), r->value, o->up ? r->rate_up : NULL,
                               o->down ? r->rate_down : NULL, r->n, "up sweep",
                               "down sweep") < 0) {
        nd_fig_free(fig);
        fig = NULL;
    }
    free(xl);
    return fig;
}

nd_dataset *nd_fi_dataset(const nd_model *m, const nd_fi_options *o, const nd_fi_result *r,
                          const nd_fi_findings *f)
{
    const nd_model_item *it = nd_model_item_at(m, ND_MODEL_PAR, (size_t)o->par);
    const char *ru = nd_fi_rate_unit(m);
    const char *names[] = {it->name, "rate_up", "rate_down"};
    const char *units[] = {it->unit, ru, ru};
    nd_dataset *ds = nd_ds_create(3, names, units);
    if (!ds || nd_ds_reserve(ds, r->n) != 0) {
        nd_ds_free(ds);
        return NULL;
    }
    for (size_t i = 0; i < r->n; i++)
        nd_ds_append(ds, (double[]){r->value[i], r->rate_up[i], r->rate_down[i]});
    char buf[64];
    nd_ds_set_meta(ds, "model", nd_model_name(m));
    nd_ds_set_meta(ds, "threshold", nd_numfmt(r->threshold, buf));
    snprintf(buf, sizeof buf, "%ld", r->rhs_evals);
    nd_ds_set_meta(ds, "rhs_evals", buf);
    const struct { const char *key; long i; const double *x; } found[] = {
        {"onset", f->onset, r->value}, {"onset_rate", f->onset, r->rate_up},
        {"offset", f->offset, r->value}, {"bistable_from", f->bist_lo, r->value},
        {"bistable_to", f->bist_hi, r->value},
    };
    for (size_t k = 0; k < sizeof found / sizeof found[0]; k++)
        nd_ds_set_meta(ds, found[k].key, nd_numfmt(at(found[k].x, found[k].i), buf));
    nd_ds_set_meta(ds, "onset_resolved", nd_numfmt(f->onset_value, buf));
    nd_ds_set_meta(ds, "onset_resolved_rate", nd_numfmt(f->onset_rate, buf));
    snprintf(buf, sizeof buf, "%d", f->onset_class);
    nd_ds_set_meta(ds, "onset_class", buf);
    return ds;
}

void nd_fi_progress_text(const char *par, int up, double value, size_t done, size_t total,
                         double seconds, char *buf, size_t cap)
{
    char v[ND_NUMFMT_CAP];
    snprintf(buf, cap, "fi: %s sweep at %s = %s (%zu of %zu runs, %.1f s)", up ? "up" : "down",
             par, nd_numfmt(value, v), done + 1, total, seconds);
}

int nd_fi_is_result(const nd_dataset *ds)
{
    return nd_ds_find(ds, "rate_up") >= 0 && nd_ds_find(ds, "rate_down") >= 0;
}

int nd_fi_add_result_panel(nd_figure *fig, const char *param, const char *param_unit,
                           const nd_dataset *ds)
{
    size_t up = (size_t)nd_ds_find(ds, "rate_up"), down = (size_t)nd_ds_find(ds, "rate_down");
    char *xlabel = nd_fig_label(param, param_unit);
    int p = xlabel ? nd_fi_add_panel(fig, xlabel, nd_ds_unit(ds, up), nd_ds_col(ds, 0),
                                     nd_ds_col(ds, up), nd_ds_col(ds, down), nd_ds_rows(ds),
                                     "rate, up sweep", "rate, down sweep") : -1;
    free(xlabel);
    return p < 0 ? -1 : 0;
}
