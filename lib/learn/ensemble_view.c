/* The table of a spread over members (ensemble_view.h). */
#include "ensemble_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../base/json.h"
#include "../base/strbuf.h"
#include "../base/table.h"
#include "../base/textfmt.h"
#include "ensemble.h"

void nd_ens_spread_stats(const nd_ens_spread *s, double *mean, double *sd, size_t *nonzero)
{
    for (size_t i = 0; i < s->p; i++) {
        nd_ens_mean_sd_of(s->v + i, s->n, s->p, &mean[i], &sd[i]);
        nonzero[i] = 0;
        for (size_t k = 0; k < s->n; k++) nonzero[i] += s->v[k * s->p + i] != 0 && isfinite(s->v[k * s->p + i]);
    }
}

static char *spread_json(const nd_ens_spread *s, const double *mean, const double *sd,
                         const size_t *nz)
{
    json_t *j = json_object(), *terms = json_array();
    int rc = !j || nd_json_put(j, "type", nd_json_utf8(s->type)) ||
             nd_json_put(j, "members", json_integer((json_int_t)s->n));
    rc |= nd_json_put(j, "names", terms);
    for (size_t i = 0; !rc && i < s->p; i++) rc = nd_json_push(terms, nd_json_utf8(s->names[i]));
    json_t *nzj = json_array(), *vals = json_array();
    rc = rc || nd_json_put(j, "mean", nd_json_reals(mean, s->p)) ||
         nd_json_put(j, "sd", nd_json_reals(sd, s->p));
    rc |= nd_json_put(j, "nonzero", nzj);
    for (size_t i = 0; !rc && i < s->p; i++) rc = nd_json_push(nzj, json_integer((json_int_t)nz[i]));
    rc |= nd_json_put(j, "values", vals);
    for (size_t k = 0; !rc && k < s->n; k++) rc = nd_json_push(vals, nd_json_reals(s->v + k * s->p, s->p));
    if (!rc && s->extra)
        rc = nd_json_put(j, "extra_name", nd_json_utf8(s->extra_name)) ||
             nd_json_put(j, "extra", nd_json_reals(s->extra, s->p));
    return nd_json_dump(nd_json_ok(j, rc));
}

nd_bundle *nd_ens_spread_view(const nd_ens_spread *s)
{
    double *mean = calloc(s->p + 1, sizeof *mean), *sd = calloc(s->p + 1, sizeof *sd);
    size_t *nz = calloc(s->p + 1, sizeof *nz);
    const char *head[] = {"name", "mean ± SD", "min … max", "nonzero",
                          s->extra_name ? s->extra_name : ""};
    nd_table *t = mean && sd && nz ? nd_table_create(s->extra ? 5 : 4, head) : NULL;
    nd_sb plain, html;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_printf(&plain, "%s\n", s->title);
    nd_sb_puts(&html, "<p>");
    nd_html_escape(&html, s->title);
    nd_sb_puts(&html, "</p>");
    int oom = !t;
    if (t) nd_ens_spread_stats(s, mean, sd, nz);
    for (size_t i = 0; t && i < s->p; i++) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t k = 0; k < s->n; k++) {
            double x = s->v[k * s->p + i];
            if (isfinite(x)) lo = fmin(lo, x), hi = fmax(hi, x);
        }
        char ms[64], r[64], nzs[32], ex[32] = "";
        snprintf(ms, sizeof ms, "%.5g ± %.2g", mean[i], sd[i]);
        snprintf(r, sizeof r, "%.5g … %.5g", lo, hi);
        snprintf(nzs, sizeof nzs, "%zu of %zu", nz[i], s->n);
        if (s->extra) snprintf(ex, sizeof ex, "%.3g", s->extra[i]);
        const char *row[] = {s->names[i], ms, r, nzs, ex};
        oom |= nd_table_add_row(t, row) != 0;
    }
    if (t) {
        nd_table_text(t, &plain);
        nd_table_html(t, &html);
    }
    nd_table_free(t);
    char *json = oom ? NULL : spread_json(s, mean, sd, nz);
    free(mean);
    free(sd);
    free(nz);
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), json);
}

nd_fields *nd_ens_spread_fields(const nd_ens_spread *s)
{
    nd_fields *f = nd_fields_create(s->type);
    nd_fields_strings(f, "terms", s->names, s->p);
    nd_fields *rows = nd_fields_list(f, "coefficients");
    for (size_t k = 0; k < s->n; k++) nd_fields_vector(rows, NULL, s->v + k * s->p, s->p);
    nd_fields_number(f, "members", (double)s->n);
    double *mean = nd_fields_vector_fill(f, "mean", s->p), *sd = nd_fields_vector_fill(f, "sd", s->p);
    double *nzd = nd_fields_vector_fill(f, "nonzero", s->p);
    size_t *nz = calloc(s->p + 1, sizeof *nz);
    if (mean && sd && nzd && nz) {
        nd_ens_spread_stats(s, mean, sd, nz);
        for (size_t i = 0; i < s->p; i++) nzd[i] = (double)nz[i];
    } else {
        nd_fields_fail(f, ND_ENOMEM);
    }
    free(nz);
    return nd_fields_done(f);
}
