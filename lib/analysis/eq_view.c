/* Eigenvalues as text, equilibria as tables and JSON. */
#include "eq_view.h"

#include <math.h>
#include <stdlib.h>

#include "../base/table.h"
#include "../base/textfmt.h"

void nd_eq_view_eigen(nd_sb *sb, const double *re, const double *im, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) nd_sb_puts(sb, ", ");
        if (im[i] != 0 && i + 1 < n && im[i + 1] == -im[i] && re[i + 1] == re[i]) {
            nd_sb_printf(sb, "%.4g \u00b1 %.4gi", re[i], fabs(im[i]));   /* a conjugate pair */
            i++;
        } else if (im[i] != 0) {
            nd_sb_printf(sb, "%.4g %c %.4gi", re[i], im[i] < 0 ? '-' : '+', fabs(im[i]));
        } else {
            nd_sb_printf(sb, "%.4g", re[i]);
        }
    }
}

static const char *state_name(const nd_model *m, const char *const *names, size_t i)
{
    return names ? names[i] : nd_model_item_at(m, ND_MODEL_STATE, i)->name;
}

static json_t *point_json(const nd_model *m, const char *const *names, const nd_eq_list *l,
                          size_t k)
{
    size_t n = l->n;
    json_t *o = json_object(), *state = json_object(), *eig = json_array();
    int rc = nd_json_put(o, "state", state) | nd_json_put(o, "eigenvalues", eig);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc |= nd_json_put(state, state_name(m, names, i), nd_json_real(l->x[k * n + i]));
    for (size_t i = 0; rc == 0 && i < n; i++) {
        json_t *e = json_object();
        rc |= nd_json_put(e, "re", nd_json_real(l->re[k * n + i])) |
              nd_json_put(e, "im", nd_json_real(l->im[k * n + i])) | nd_json_push(eig, e);
    }
    rc |= nd_json_put(o, "kind", json_string(nd_eq_kind_name(l->kind[k]))) |
          nd_json_put(o, "stable", json_boolean(nd_eq_kind_stable(l->kind[k])));
    return nd_json_ok(o, rc);
}

json_t *nd_eq_view_points_json(const nd_model *m, const char *const *names,
                               const nd_eq_list *l)
{
    json_t *arr = json_array();
    int rc = arr ? 0 : -1;
    for (size_t k = 0; rc == 0 && k < l->count; k++) rc = nd_json_push(arr, point_json(m, names, l, k));
    return nd_json_ok(arr, rc);
}

/* The table: #, one column per state, eigenvalues, kind. */
static nd_table *points_table(const nd_model *m, const nd_eq_list *l)
{
    size_t n = l->n, nc = n + 3;
    const char **hdr = malloc(nc * sizeof *hdr);
    char **cells = calloc(nc, sizeof *cells);
    nd_table *t = NULL;
    if (!hdr || !cells) goto done;
    hdr[0] = "#";
    for (size_t i = 0; i < n; i++) hdr[1 + i] = state_name(m, NULL, i);
    hdr[n + 1] = "eigenvalues";
    hdr[n + 2] = "type";
    t = nd_table_create(nc, hdr);
    for (size_t k = 0; t && k < l->count; k++) {
        nd_sb sb;
        nd_sb_init(&sb);
        nd_sb_printf(&sb, "%zu", k + 1);
        cells[0] = nd_sb_take(&sb);
        for (size_t i = 0; i < n; i++) {
            nd_sb_printf(&sb, "%.6g", l->x[k * n + i]);
            cells[1 + i] = nd_sb_take(&sb);
        }
        nd_eq_view_eigen(&sb, l->re + k * n, l->im + k * n, n);
        cells[n + 1] = nd_sb_take(&sb);
        nd_sb_puts(&sb, nd_eq_kind_name(l->kind[k]));
        cells[n + 2] = nd_sb_take(&sb);
        nd_table_add_row(t, (const char *const *)cells);
        for (size_t c = 0; c < nc; c++) {
            free(cells[c]);
            cells[c] = NULL;
        }
    }
done:
    free(hdr);
    free(cells);
    return t;
}

static char *list_json(const nd_model *m, const double *p, const nd_eq_list *l,
                       const char *type)
{
    json_t *j = json_object(), *pars = json_object();
    int rc = nd_json_put(j, "type", json_string(type)) |
             nd_json_put(j, "model", json_string(nd_model_name(m))) |
             nd_json_put(j, "parameters", pars);
    for (size_t i = 0; rc == 0 && i < nd_model_count(m, ND_MODEL_PAR); i++)
        rc |= nd_json_put(pars, nd_model_item_at(m, ND_MODEL_PAR, i)->name, nd_json_real(p[i]));
    rc |= nd_json_put(j, "points", nd_eq_view_points_json(m, NULL, l));
    return nd_json_dump(nd_json_ok(j, rc));
}

/* The heading (taken over), the table of the points and the JSON of the given type. */
static nd_bundle *list_bundle(const nd_model *m, const double *p, const nd_eq_list *l,
                              const char *type, char *heading)
{
    if (!heading) return NULL;
    nd_sb plain, html;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_printf(&plain, "%s\n", heading);
    nd_sb_puts(&html, "<p>");
    nd_html_escape(&html, heading);
    nd_sb_puts(&html, "</p>");
    free(heading);
    nd_table *t = points_table(m, l);
    if (t && l->count) {
        nd_table_text(t, &plain);
        nd_table_html(t, &html);
    }
    nd_table_free(t);
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), list_json(m, p, l, type));
}

nd_bundle *nd_eq_view_fixed(const nd_model *m, const double *p, const nd_eq_list *l,
                            const double *lo, const double *hi, int along)
{
    nd_sb h;
    nd_sb_init(&h);
    nd_sb_printf(&h, "%zu equilibri%s of %s (Newton from a grid over ", l->count,
                 l->count == 1 ? "um" : "a", nd_model_name(m));
    for (size_t i = 0; i < l->n; i++)
        nd_sb_printf(&h, "%s%s \u2208 [%.4g, %.4g]", i ? ", " : "", state_name(m, NULL, i),
                     lo[i], hi[i]);
    nd_sb_printf(&h, "%s)%s", along ? ", and along a trajectory" : "",
                 l->count ? ":" : ": there may be none at these parameters (past a fold "
                 "the rest state is gone), or one outside these ranges (give wider ones)");
    return list_bundle(m, p, l, "equilibria", nd_sb_take(&h));
}

nd_bundle *nd_eq_view_stability(const nd_model *m, const double *p, const nd_eq_list *l,
                                int nearest, double max_rate)
{
    nd_sb h;
    nd_sb_init(&h);
    nd_sb_printf(&h, "linearisation of %s at %s", nd_model_name(m),
                 nearest ? "the nearest equilibrium" : "the given state");
    if (max_rate > 1e-8)
        nd_sb_printf(&h, " — not an equilibrium (max |dx/dt| = %.3g), so the type only "
                     "describes the local linear flow; add nearest=true to move to one",
                     max_rate);
    return list_bundle(m, p, l, "stability", nd_sb_take(&h));
}
