/* Records of equilibria. */
#include "eq_record.h"

#include <stdlib.h>

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
