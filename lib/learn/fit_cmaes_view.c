/* The objective's value is shown with what it means in its unit: a sum of feature scores
   (each |model − data| over the feature's scale) or of squared rate differences (Hz²). */
#include "fit_cmaes_view.h"

#include <math.h>
#include <stdio.h>

#include "../base/json.h"
#include "../base/strbuf.h"
#include "../base/table.h"
#include "../base/textfmt.h"

static const char *kind_name(nd_fit_kind k)
{
    return k == ND_FIT_FI ? "fi" : "features";
}

static const char *kind_unit(nd_fit_kind k)
{
    return k == ND_FIT_FI ? "sum of squared rate differences, Hz²"
                          : "sum of feature scores, |model − data| / scale";
}

static nd_table *param_table(const char *const *names, size_t np, const double *x0,
                             const double *lower, const double *upper, const double *best)
{
    const char *heads[] = {"parameter", "start", "estimate", "bounds"};
    nd_table *t = nd_table_create(4, heads);
    for (size_t i = 0; t && i < np; i++) {
        char a[32], b[32], c[64];
        snprintf(a, sizeof a, "%.6g", x0[i]);
        snprintf(b, sizeof b, "%.6g", best[i]);
        snprintf(c, sizeof c, "[%.4g, %.4g]", lower[i], upper[i]);
        const char *row[] = {names[i], a, b, c};
        if (nd_table_add_row(t, row) != 0) {
            nd_table_free(t);
            return NULL;
        }
    }
    return t;
}

/* "12.4 ms", "3", "—" (the model lacks it) */
static void value_text(char *buf, size_t cap, double x, const char *unit)
{
    if (isnan(x)) snprintf(buf, cap, "—");
    else snprintf(buf, cap, "%.4g%s%s", x, *unit ? " " : "", unit);
}

/* Sweep k by its name (the caller's, for the data it passed), else its place from 1. */
static const char *sweep_label(const char *const *names, size_t k, char *buf, size_t cap)
{
    if (names && names[k]) return names[k];
    snprintf(buf, cap, "%zu", k + 1);
    return buf;
}

/* Each feature compared at the estimate, sweep by sweep, and whether it is matched. */
static nd_table *feature_table(const nd_fit_cmaes_result *r, const char *const *sweeps)
{
    const char *heads[] = {"sweep", "feature", "data", "model", "scale", "score", "matched"};
    nd_table *t = nd_table_create(7, heads);
    for (size_t i = 0; t && i < r->nfeatures; i++) {
        const nd_fit_feature *f = &r->features[i];
        char num[24], d[32], m[32], sc[32], s[32];
        const char *k = sweep_label(sweeps, f->sweep, num, sizeof num);
        value_text(d, sizeof d, f->data, f->unit);
        value_text(m, sizeof m, f->model, f->unit);
        value_text(sc, sizeof sc, f->scale, f->unit);
        snprintf(s, sizeof s, "%.3g", f->score);
        const char *row[] = {k, f->name, d, m, sc, s, f->matched ? "yes" : "NO"};
        if (nd_table_add_row(t, row) != 0) {
            nd_table_free(t);
            return NULL;
        }
    }
    return t;
}

/* What the features say of the estimate, and of the search when some are off. */
static void verdict(nd_sb *sb, const nd_fit_cmaes_result *r, nd_fit_kind kind,
                    const char *const *sweeps)
{
    if (!r->nfeatures) {
        nd_sb_puts(sb, "The features were not compared at the estimate (the fit was "
                   "interrupted).");
        return;
    }
    const char *what = kind == ND_FIT_FI ? "firing rates" : "features";
    if (!r->unmatched) {
        nd_sb_printf(sb, "All %zu %s are matched at the estimate (each within two of its "
                     "scales).", r->nfeatures, what);
        return;
    }
    nd_sb_printf(sb, "%zu of %zu %s are NOT matched at the estimate (more than two scales "
                 "off): ", r->unmatched, r->nfeatures, what);
    size_t shown = 0;
    for (size_t i = 0; i < r->nfeatures && shown < 4; i++) {
        const nd_fit_feature *f = &r->features[i];
        if (f->matched) continue;
        char d[32], m[32], num[24];
        value_text(d, sizeof d, f->data, f->unit);
        value_text(m, sizeof m, f->model, f->unit);
        nd_sb_printf(sb, "%s%s%s %s: model %s, data %s", shown++ ? "; " : "",
                     sweeps && sweeps[f->sweep] ? "" : "sweep ",
                     sweep_label(sweeps, f->sweep, num, sizeof num), f->name, m, d);
    }
    if (r->unmatched > shown) nd_sb_printf(sb, "; and %zu more", r->unmatched - shown);
    if (r->restarts)
        nd_sb_printf(sb, ". %d restart%s from random starts with larger populations found "
                     "%s: the model, with these parameters free, likely cannot do what the "
                     "data do (or more restarts= and evals= are needed).", r->restarts,
                     r->restarts == 1 ? "" : "s",
                     r->best_run ? "a better fit, still not matched" : "nothing better");
    else
        nd_sb_puts(sb, ". Either the model cannot do what the data do, or the search ended in "
                   "a local minimum: try restarts=, another seed=, more evals=, or a start "
                   "nearer the data.");
}

static json_t *features_json(const nd_fit_cmaes_result *r, const char *const *sweeps)
{
    json_t *arr = json_array();
    int rc = !arr;
    for (size_t i = 0; !rc && i < r->nfeatures; i++) {
        const nd_fit_feature *f = &r->features[i];
        json_t *o = json_object();
        if (o && sweeps && sweeps[f->sweep])
            rc |= nd_json_put(o, "dataset", nd_json_utf8(sweeps[f->sweep]));
        rc |= !o || nd_json_put(o, "sweep", json_integer((json_int_t)f->sweep + 1)) |
              nd_json_put(o, "feature", json_string(f->name)) |
              nd_json_put(o, "unit", json_string(f->unit)) |
              nd_json_put(o, "data", nd_json_real(f->data)) |
              nd_json_put(o, "model", nd_json_real(f->model)) |
              nd_json_put(o, "scale", nd_json_real(f->scale)) |
              nd_json_put(o, "score", nd_json_real(f->score)) |
              nd_json_put(o, "matched", json_boolean(f->matched));
        rc |= nd_json_push(arr, o);
    }
    return nd_json_ok(arr, rc);
}

static json_t *params_json(const char *const *names, size_t np, const double *x0,
                           const double *lower, const double *upper, const double *best)
{
    json_t *arr = json_array();
    int rc = !arr;
    for (size_t i = 0; !rc && i < np; i++) {
        json_t *p = json_object();
        rc |= !p || nd_json_put(p, "name", json_string(names[i])) |
              nd_json_put(p, "start", nd_json_real(x0[i])) |
              nd_json_put(p, "estimate", nd_json_real(best[i])) |
              nd_json_put(p, "lower", nd_json_real(lower[i])) |
              nd_json_put(p, "upper", nd_json_real(upper[i]));
        rc |= nd_json_push(arr, p);
    }
    return nd_json_ok(arr, rc);
}

nd_bundle *nd_fit_cmaes_bundle(const char *model, const char *const *names, size_t np,
                               const double *x0, nd_fit_kind kind,
                               const nd_fit_cmaes_result *r, const char *const *sweeps)
{
    nd_table *t = param_table(names, np, x0, r->lower, r->upper, r->best);
    nd_table *ft = r->nfeatures ? feature_table(r, sweeps) : NULL;
    nd_sb head, plain, html, tail;
    nd_sb_init(&head);
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_init(&tail);
    nd_sb_printf(&head, "gradient-free fit of %s (CMA-ES, objective %s: %s): %.6g at the "
                 "start, %.6g at the estimate; %ld evaluations in %ld generations",
                 model, kind_name(kind), kind_unit(kind), r->start_value, r->value, r->evals,
                 r->generations);
    if (r->restarts)
        nd_sb_printf(&head, ", %d restart%s (population doubled each time, up to %zu), the "
                     "best in %s", r->restarts, r->restarts == 1 ? "" : "s", r->lambda,
                     r->best_run ? "a restart" : "the first run");
    else
        nd_sb_printf(&head, " of %zu", r->lambda);
    nd_sb_printf(&head, "; stopped: %s", nd_cmaes_stop_name(r->stop));
    verdict(&tail, r, kind, sweeps);
    if (t && (ft || !r->nfeatures)) {
        nd_sb_printf(&plain, "%s\n", nd_sb_str(&head));
        nd_table_text(t, &plain);
        nd_sb_putc(&plain, '\n');
        if (ft) {
            nd_table_text(ft, &plain);
            nd_sb_putc(&plain, '\n');
        }
        nd_sb_puts(&plain, nd_sb_str(&tail));
        nd_sb_puts(&html, "<p>");
        nd_html_escape(&html, nd_sb_str(&head));
        nd_sb_puts(&html, "</p>");
        nd_table_html(t, &html);
        if (ft) nd_table_html(ft, &html);
        nd_sb_puts(&html, "<p>");
        nd_html_escape(&html, nd_sb_str(&tail));
        nd_sb_puts(&html, "</p>");
    } else {
        nd_table_free(t);
        t = NULL;
    }
    nd_table_free(t);
    nd_table_free(ft);
    nd_sb_free(&head);
    nd_sb_free(&tail);
    json_t *j = t ? json_object() : NULL;
    int rc = !j || nd_json_put(j, "type", json_string("fit_cmaes")) |
             nd_json_put(j, "model", nd_json_utf8(model)) |
             nd_json_put(j, "objective", json_string(kind_name(kind))) |
             nd_json_put(j, "parameters", params_json(names, np, x0, r->lower, r->upper, r->best)) |
             nd_json_put(j, "value", nd_json_real(r->value)) |
             nd_json_put(j, "start_value", nd_json_real(r->start_value)) |
             nd_json_put(j, "evaluations", json_integer(r->evals)) |
             nd_json_put(j, "generations", json_integer(r->generations)) |
             nd_json_put(j, "population", json_integer((json_int_t)r->lambda)) |
             nd_json_put(j, "restarts", json_integer(r->restarts)) |
             nd_json_put(j, "features", features_json(r, sweeps)) |
             nd_json_put(j, "unmatched", json_integer((json_int_t)r->unmatched)) |
             nd_json_put(j, "stop", json_string(nd_cmaes_stop_name(r->stop)));
    char *json = nd_json_dump(nd_json_ok(j, rc));
    if (!json) {
        nd_sb_free(&plain);
        nd_sb_free(&html);
        return NULL;
    }
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), json);
}
