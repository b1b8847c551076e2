/* Field descriptions to values (fields_value.h). */
#include "fields_value.h"

#include <stdlib.h>

/* A list of f's items. */
static nd_value *list_of(const nd_fields *f)
{
    size_t n = nd_fields_count(f), k = 0;
    nd_value **items = malloc((n ? n : 1) * sizeof *items);
    while (items && k < n && (items[k] = nd_value_of_field(nd_fields_at(f, k)))) k++;
    nd_value *l = items && k == n ? nd_value_list(items, n) : NULL;   /* takes them over */
    if (items && k < n)
        while (k-- > 0) nd_value_unref(items[k]);
    free(items);
    return l;
}

nd_value *nd_value_of_field(const nd_field *d)
{
    switch (d->kind) {
    case ND_FIELD_NUMBER: return nd_value_number(d->num);
    case ND_FIELD_BOOL: return nd_value_bool(d->num != 0);
    case ND_FIELD_STRING: return nd_value_string(d->str);
    case ND_FIELD_NONE: return nd_value_none();
    case ND_FIELD_VECTOR: return nd_value_vector(d->x, d->n);
    case ND_FIELD_LIST: return list_of(d->sub);
    case ND_FIELD_RECORD: {
        nd_value *r = nd_value_record(nd_fields_type(d->sub), NULL);
        if (r && nd_record_add_fields(r, d->sub) == 0) return r;
        nd_value_unref(r);
        return NULL;
    }
    }
    return NULL;
}

int nd_record_add_fields(nd_value *r, const nd_fields *f)
{
    if (!f || nd_fields_status(f) != ND_OK) return -1;
    for (size_t i = 0; i < nd_fields_count(f); i++) {
        const nd_field *d = nd_fields_at(f, i);
        if (nd_record_add(r, d->name, nd_value_of_field(d)) != 0) return -1;
    }
    return 0;
}

nd_value *nd_record_of_fields(nd_fields *f, nd_bundle *view)
{
    nd_value *r = NULL;
    if (f && nd_fields_status(f) == ND_OK) {
        r = nd_value_record(nd_fields_type(f), view);
        view = NULL;
        if (r && nd_record_add_fields(r, f) != 0) {
            nd_value_unref(r);
            r = NULL;
        }
    }
    nd_bundle_free(view);
    nd_fields_free(f);
    return r;
}
