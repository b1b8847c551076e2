/* The views of an ensemble of hybrids (ude_ensemble_view.h). */
#include "ude_ensemble_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/strbuf.h"
#include "../base/table.h"
#include "../base/textfmt.h"
#include "../data/noise.h"

#define BAND_TEXT "mean ± 2 SD of the members"

nd_status nd_ude_ens_check_data(nd_ude *const *member, size_t n, const nd_ude_experiment *ex,
                                const char *data_name, const char *const *observe,
                                const atomic_int *interrupt, nd_ude_ens_check *c,
                                nd_ens_band *band, nd_error *err)
{
    memset(c, 0, sizeof *c);
    const nd_model *mod = nd_ude_model(member[0]);
    const nd_dataset *ds = ex->data;
    int s = -1, col = -1;
    for (size_t i = 0; s < 0 && i < nd_model_count(mod, ND_MODEL_STATE); i++) {
        const char *name = nd_model_item_at(mod, ND_MODEL_STATE, i)->name;
        if ((!observe || strcmp(observe[0], name) == 0) && (col = nd_ds_find(ds, name)) > 0)
            s = (int)i;
    }
    if (s < 0)
        return nd_error_fail(err, ND_EVALUE, "%s has no column of an observed state of %s",
                             data_name, nd_model_name(mod));
    snprintf(c->data, sizeof c->data, "%s", data_name);
    snprintf(c->variable, sizeof c->variable, "%s", nd_ds_name(ds, (size_t)col));
    nd_ens_band b;
    nd_status st = nd_ude_ens_predict_band(member, n, ex, (size_t)s, interrupt, &b, err);
    if (st != ND_OK) return st;
    const double *t = nd_ds_col(ds, 0), *y = nd_ds_col(ds, (size_t)col);
    size_t m = nd_ds_rows(ds);
    c->noise = nd_noise_sd_estimate(t, y, m);
    c->spread = nd_ens_mean_sd(&b);
    c->coverage = nd_ens_coverage(&b, y, 0, &c->points);
    c->predictive = nd_ens_coverage(&b, y, c->noise, NULL);
    double se = 0;
    size_t k = 0;
    for (size_t j = 0; j < m; j++)
        if (isfinite(y[j]) && isfinite(b.mean[j])) se += (y[j] - b.mean[j]) * (y[j] - b.mean[j]), k++;
    c->rms = k ? sqrt(se / (double)k) : NAN;
    if (band) *band = b;
    else nd_ens_band_free(&b);
    return ND_OK;
}

static json_t *check_json(const nd_ude_ens_check *c)
{
    json_t *o = json_object();
    int rc = !o || nd_json_put(o, "data", nd_json_utf8(c->data)) ||
             nd_json_put(o, "variable", nd_json_utf8(c->variable)) ||
             nd_json_put(o, "band", json_string(BAND_TEXT)) ||
             nd_json_put(o, "points", json_integer((json_int_t)c->points)) ||
             nd_json_put(o, "spread", nd_json_real(c->spread)) ||
             nd_json_put(o, "noise", nd_json_real(c->noise)) ||
             nd_json_put(o, "coverage", nd_json_real(c->coverage)) ||
             nd_json_put(o, "predictive_coverage", nd_json_real(c->predictive)) ||
             nd_json_put(o, "rms", nd_json_real(c->rms));
    return nd_json_ok(o, rc);
}

/* One line of a check, as text. */
static void check_line(nd_sb *sb, const char *what, const nd_ude_ens_check *c)
{
    nd_sb_printf(sb, "%s (%s, %s): spread %.3g (mean SD across members; the data's noise "
                 "%.3g); the band mean ± 2 SD holds %.1f %% of the %zu samples, mean ± "
                 "2√(SD² + noise²) %.1f %%; RMS of the mean %.3g", what, c->data, c->variable,
                 c->spread, c->noise, 100 * c->coverage, c->points, 100 * c->predictive, c->rms);
}

static char *view_json(const nd_ude_ens *e, const char *net_name, const nd_ude_ens_check *train,
                       const nd_ude_ens_check *held, size_t nok, double lm, double lsd)
{
    json_t *j = json_object(), *members = json_array();
    int rc = !j || nd_json_put(j, "type", json_string("ensemble")) ||
             nd_json_put(j, "network", nd_json_utf8(net_name)) ||
             nd_json_put(j, "size", json_integer((json_int_t)e->n)) ||
             nd_json_put(j, "good_fits", json_integer((json_int_t)nok)) ||
             nd_json_put(j, "loss_mean", nd_json_real(lm)) ||
             nd_json_put(j, "loss_sd", nd_json_real(lsd));
    rc |= nd_json_put(j, "members", members);
    for (size_t i = 0; !rc && i < e->n; i++) {
        json_t *m = json_object(), *draw = json_array();
        rc = !m || nd_json_put(m, "seed", nd_json_u64(e->seed[i])) ||
             nd_json_put(m, "kept_seed", nd_json_u64(e->kept_seed[i])) ||
             nd_json_put(m, "loss", nd_json_real(e->loss[i])) ||
             nd_json_put(m, "ok", json_boolean(e->ok[i])) ||
             nd_json_put(m, "rms_over_noise", nd_json_real(e->rms_over_noise[i]));
        rc |= nd_json_put(m, "data", draw);
        for (size_t k = 0; !rc && k < e->nex; k++)
            rc = nd_json_push(draw, json_integer((json_int_t)e->draw[i * e->nex + k] + 1));
        rc |= nd_json_push(members, m);
    }
    if (!rc && train) rc = nd_json_put(j, "train", check_json(train));
    if (!rc && held) rc = nd_json_put(j, "heldout", check_json(held));
    return nd_json_dump(nd_json_ok(j, rc));
}

nd_bundle *nd_ude_ens_view(const nd_ude_ens *e, const char *net_name,
                           const char *const *names, size_t ndata,
                           const nd_ude_ens_check *train, const nd_ude_ens_check *held)
{
    static const char *const head[] = {"member", "seed", "loss", "verdict", "data"};
    nd_table *t = nd_table_create(5, head);
    nd_sb plain, html, data;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    size_t nok = 0;
    for (size_t i = 0; i < e->n; i++) nok += e->ok[i] != 0;
    double lm, lsd;
    nd_ens_mean_sd_of(e->loss, e->n, 1, &lm, &lsd);
    nd_sb_printf(&plain, "ensemble of %zu %s networks: %zu good fit%s; loss %.4g ± %.2g\n",
                 e->n, net_name, nok, nok == 1 ? "" : "s", lm, lsd);
    nd_sb_puts(&html, "<p>");
    nd_html_escape(&html, nd_sb_str(&plain));
    nd_sb_puts(&html, "</p>");
    int oom = !t;
    for (size_t i = 0; t && i < e->n; i++) {
        char k[24], seed[32], loss[32];
        snprintf(k, sizeof k, "%zu", i + 1);
        snprintf(seed, sizeof seed, "%llu", (unsigned long long)e->seed[i]);
        snprintf(loss, sizeof loss, "%.4g", e->loss[i]);
        nd_sb_init(&data);
        for (size_t d = 0; d < e->nex && d < ndata; d++)
            nd_sb_printf(&data, "%s%s", d ? " " : "", names[e->draw[i * e->nex + d]]);
        const char *row[] = {k, seed, loss, e->ok[i] ? "good fit" : "NOT a good fit",
                             nd_sb_str(&data)};
        oom |= nd_table_add_row(t, row) != 0;
        nd_sb_free(&data);
    }
    if (t) {
        nd_table_text(t, &plain);
        nd_table_html(t, &html);
    }
    nd_table_free(t);
    if (plain.len && plain.data[plain.len - 1] != '\n') nd_sb_putc(&plain, '\n');
    const nd_ude_ens_check *c[2] = {train, held};
    const char *what[2] = {"on the training data", "on held-out data"};
    for (int k = 0; k < 2; k++) {
        if (!c[k]) continue;
        nd_sb line;
        nd_sb_init(&line);
        check_line(&line, what[k], c[k]);
        nd_sb_printf(&plain, "%s\n", nd_sb_str(&line));
        nd_sb_puts(&html, "<p>");
        nd_html_escape(&html, nd_sb_str(&line));
        nd_sb_puts(&html, "</p>");
        nd_sb_free(&line);
    }
    char *json = view_json(e, net_name, train, held, nok, lm, lsd);
    if (oom) {
        free(json);
        json = NULL;
    }
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), json);
}

/* Adds the band b over x to panel p: the members' mean, and mean ± 2 SD dashed. */
static int add_band(nd_figure *fig, int p, const double *x, const nd_ens_band *b)
{
    return nd_fig_add_series(fig, p, "mean − 2 SD", x, b->lo, b->m,
                             (nd_fig_style){ND_FIG_DASHED, 0, ND_FIG_SKYBLUE, 0}) < 0 ||
           nd_fig_add_series(fig, p, "mean + 2 SD", x, b->hi, b->m,
                             (nd_fig_style){ND_FIG_DASHED, 0, ND_FIG_SKYBLUE, 0}) < 0 ||
           nd_fig_add_series(fig, p, "members' mean", x, b->mean, b->m,
                             (nd_fig_style){ND_FIG_SOLID, 0, ND_FIG_BLUE, 0}) < 0;
}

/* Adds a panel labelled "x [unit]" / "y [unit]"; -1 on ENOMEM. */
static int add_panel(nd_figure *fig, const char *x, const char *xunit, const char *y,
                     const char *yunit)
{
    char *xl = nd_fig_label(x, xunit), *yl = nd_fig_label(y, yunit);
    int p = xl && yl ? nd_fig_add_panel(fig, xl, yl) : -1;
    free(xl);
    free(yl);
    return p;
}

nd_status nd_ude_ens_plot_check(const nd_ude_ens_check *c, const nd_dataset *ds,
                                const nd_ens_band *b, const char *net_name, const char *title,
                                nd_ude_plot *out, nd_error *err)
{
    memset(out, 0, sizeof *out);
    int col = nd_ds_find(ds, c->variable);
    out->fig = nd_fig_create(title);
    int p = out->fig && col > 0 ? add_panel(out->fig, "t", nd_ds_unit(ds, 0), c->variable,
                                            nd_ds_unit(ds, (size_t)col))
                                : -1;
    int rc = p < 0 ||
             nd_fig_add_series(out->fig, p, c->data, nd_ds_col(ds, 0), nd_ds_col(ds, (size_t)col),
                               nd_ds_rows(ds),
                               (nd_fig_style){ND_FIG_NOLINE, ND_FIG_DOT, ND_FIG_GRAY, 0}) < 0 ||
             add_band(out->fig, p, nd_ds_col(ds, 0), b);
    nd_sb cap;
    nd_sb_init(&cap);
    nd_sb_printf(&cap, "ensemble %s: ", net_name);
    check_line(&cap, "prediction from the initial state", c);
    out->caption = nd_sb_take(&cap);
    out->json = check_json(c);
    rc = rc || !out->caption || !out->json ||
         nd_json_put(out->json, "network", nd_json_utf8(net_name));
    if (!rc) return ND_OK;
    nd_ude_plot_clear(out);
    return nd_error_fail(err, ND_ENOMEM, "out of memory");
}

nd_status nd_ude_ens_plot_term(const nd_ens_band *b, size_t n, const nd_dataset *ds,
                               const double *tv, const char *net_name, const char *term,
                               const char *true_name, const char *unit, const char *title,
                               nd_ude_plot *out, nd_error *err)
{
    memset(out, 0, sizeof *out);
    const double *t = nd_ds_col(ds, 0);
    double cover = NAN, se = 0, spread = nd_ens_mean_sd(b);
    size_t points = 0, k = 0;
    if (tv) {
        cover = nd_ens_coverage(b, tv, 0, &points);
        for (size_t j = 0; j < b->m; j++)
            if (isfinite(tv[j]) && isfinite(b->mean[j]))
                se += (tv[j] - b->mean[j]) * (tv[j] - b->mean[j]), k++;
    }
    double rms = k ? sqrt(se / (double)k) : NAN;
    out->fig = nd_fig_create(title);
    int p = out->fig ? add_panel(out->fig, "t", nd_ds_unit(ds, 0), term, unit) : -1;
    char tl[300];
    snprintf(tl, sizeof tl, "true %s", true_name);
    int rc = p < 0 || (tv && nd_fig_add_series(out->fig, p, tl, t, tv, b->m,
                                               (nd_fig_style){ND_FIG_DASHED, 0, ND_FIG_BLACK, 0}) < 0) ||
             add_band(out->fig, p, t, b);
    nd_sb cap;
    nd_sb_init(&cap);
    nd_sb_printf(&cap, "%s.%s over %zu members along the trajectory: spread %.3g (mean SD)",
                 net_name, term, n, spread);
    if (tv)
        nd_sb_printf(&cap, "; the true %s lies inside mean ± 2 SD at %.1f %% of the %zu "
                     "samples; RMS of the mean against it %.4g", true_name, 100 * cover, points, rms);
    out->caption = nd_sb_take(&cap);
    out->json = json_object();
    rc = rc || !out->caption || !out->json ||
         nd_json_put(out->json, "network", nd_json_utf8(net_name)) ||
         nd_json_put(out->json, "members", json_integer((json_int_t)n)) ||
         nd_json_put(out->json, "learned", nd_json_utf8(term)) ||
         nd_json_put(out->json, "true", tv ? nd_json_utf8(true_name) : json_null()) ||
         nd_json_put(out->json, "band", json_string(BAND_TEXT)) ||
         nd_json_put(out->json, "points", json_integer((json_int_t)(tv ? points : b->m))) ||
         nd_json_put(out->json, "spread", nd_json_real(spread)) ||
         nd_json_put(out->json, "coverage", nd_json_real(cover)) ||
         nd_json_put(out->json, "rms", nd_json_real(rms));
    if (!rc) return ND_OK;
    nd_ude_plot_clear(out);
    return nd_error_fail(err, ND_ENOMEM, "out of memory");
}
