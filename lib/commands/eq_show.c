/* Tables and JSON of equilibria. */
#include "eq_show.h"

#include <stdio.h>
#include <stdlib.h>

#include "../analysis/eq_view.h"
#include "../base/table.h"
#include "../base/textfmt.h"

/* The table: #, one column per state, eigenvalues, kind. */
static nd_table *points_table(const nd_model *m, const nd_eq_list *l)
{
    size_t n = l->n, nc = n + 3;
    const char **hdr = malloc(nc * sizeof *hdr);
    char **cells = calloc(nc, sizeof *cells);
    nd_table *t = NULL;
    if (!hdr || !cells) goto done;
    hdr[0] = "#";
    for (size_t i = 0; i < n; i++) hdr[1 + i] = nd_model_item_at(m, ND_MODEL_STATE, i)->name;
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

nd_bundle *nd_eq_show_bundle(const nd_model *m, const double *p, const nd_eq_list *l,
                             const char *type, const char *heading)
{
    nd_sb plain, html, json;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_init(&json);
    nd_sb_printf(&plain, "%s\n", heading);
    nd_sb_puts(&html, "<p>");
    nd_html_escape(&html, heading);
    nd_sb_puts(&html, "</p>");
    nd_table *t = points_table(m, l);
    if (t && l->count) {
        nd_table_text(t, &plain);
        nd_table_html(t, &html);
    }
    nd_table_free(t);
    nd_sb_puts(&json, "{\"type\":");
    nd_json_string(&json, type);
    nd_sb_puts(&json, ",\"model\":");
    nd_json_string(&json, nd_model_name(m));
    nd_sb_puts(&json, ",\"parameters\":{");
    for (size_t i = 0; i < nd_model_count(m, ND_MODEL_PAR); i++) {
        if (i) nd_sb_putc(&json, ',');
        nd_json_string(&json, nd_model_item_at(m, ND_MODEL_PAR, i)->name);
        nd_sb_putc(&json, ':');
        nd_json_number(&json, p[i]);
    }
    nd_sb_puts(&json, "},\"points\":");
    nd_eq_view_json_points(&json, m, NULL, l);
    nd_sb_putc(&json, '}');
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), nd_sb_take(&json));
}

nd_value *nd_eq_point_record(const nd_model *m, const nd_eq_list *l, size_t k)
{
    size_t n = l->n;
    nd_value *rec = nd_value_record("equilibrium", NULL);
    int rc = rec ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = nd_record_add_number(rec, nd_model_item_at(m, ND_MODEL_STATE, i)->name,
                                  l->x[k * n + i]);
    if (rc == 0) rc = nd_record_add(rec, "re", nd_value_vector(l->re + k * n, n));
    if (rc == 0) rc = nd_record_add(rec, "im", nd_value_vector(l->im + k * n, n));
    if (rc == 0) rc = nd_record_add(rec, "type", nd_value_string(nd_eq_kind_name(l->kind[k])));
    if (rc == 0) rc = nd_record_add(rec, "stable", nd_value_bool(nd_eq_kind_stable(l->kind[k])));
    if (rc != 0) {
        nd_value_unref(rec);
        return NULL;
    }
    return rec;
}

nd_value *nd_eq_list_record(const nd_model *m, const nd_eq_list *l, const char *type,
                            nd_bundle *view)
{
    nd_value *rec = nd_value_record(type, view);
    nd_value **items = calloc(l->count ? l->count : 1, sizeof *items);
    size_t k = 0;
    while (rec && items && k < l->count && (items[k] = nd_eq_point_record(m, l, k))) k++;
    nd_value *points = rec && items && k == l->count ? nd_value_list(items, k) : NULL;
    if (!points)
        while (k-- > 0) nd_value_unref(items[k]);
    free(items);
    if (!rec || nd_record_add_number(rec, "count", (double)l->count) != 0 ||
        nd_record_add(rec, "points", points) != 0) {
        nd_value_unref(rec);
        return NULL;
    }
    return rec;
}
