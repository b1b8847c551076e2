/* The values `fixed` and `stability` expose (eq_view.h). */
#include "eq_view.h"

/* Point k of l into f. */
static void point(nd_fields *f, const nd_model *m, const nd_eq_list *l, size_t k)
{
    size_t n = l->n;
    for (size_t i = 0; i < n; i++)
        nd_fields_number(f, nd_model_item_at(m, ND_MODEL_STATE, i)->name, l->x[k * n + i]);
    nd_fields_vector(f, "re", l->re + k * n, n);
    nd_fields_vector(f, "im", l->im + k * n, n);
    nd_fields_string(f, "type", nd_eq_kind_name(l->kind[k]));
    nd_fields_bool(f, "stable", nd_eq_kind_stable(l->kind[k]));
}

nd_fields *nd_eq_fixed_fields(const nd_model *m, const nd_eq_list *l)
{
    nd_fields *f = nd_fields_create("equilibria");
    nd_fields_number(f, "count", (double)l->count);
    nd_fields *pts = nd_fields_list(f, "points");
    for (size_t k = 0; k < l->count; k++)
        point(nd_fields_record(pts, NULL, "equilibrium"), m, l, k);
    return nd_fields_done(f);
}

nd_fields *nd_eq_stability_fields(const nd_model *m, const nd_eq_list *l, double max_rate)
{
    nd_fields *f = nd_fields_create("stability");
    point(f, m, l, 0);
    nd_fields_number(f, "max_rate", max_rate);
    return nd_fields_done(f);
}
