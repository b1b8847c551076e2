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
                               const nd_fit_cmaes_result *r)
{
    nd_table *t = param_table(names, np, x0, r->lower, r->upper, r->best);
    nd_sb head, plain, html;
    nd_sb_init(&head);
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_printf(&head, "gradient-free fit of %s (CMA-ES, objective %s: %s): %.6g at the "
                 "start, %.6g at the estimate; %ld evaluations in %ld generations of %zu; "
                 "stopped: %s", model, kind_name(kind), kind_unit(kind), r->start_value,
                 r->value, r->evals, r->generations, r->lambda, nd_cmaes_stop_name(r->stop));
    if (t) {
        nd_sb_printf(&plain, "%s\n", nd_sb_str(&head));
        nd_table_text(t, &plain);
        nd_sb_puts(&html, "<p>");
        nd_html_escape(&html, nd_sb_str(&head));
        nd_sb_puts(&html, "</p>");
        nd_table_html(t, &html);
    }
    nd_table_free(t);
    nd_sb_free(&head);
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
             nd_json_put(j, "stop", json_string(nd_cmaes_stop_name(r->stop)));
    char *json = nd_json_dump(nd_json_ok(j, rc));
    if (!json) {
        nd_sb_free(&plain);
        nd_sb_free(&html);
        return NULL;
    }
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), json);
}
