/* The values a two-parameter diagram exposes (codim2.h). Records name the parameters and
   states as the model does, so the fields read like it: c.bt[1].I, c.hopf[1].V. */
#include "codim2.h"

static void curve(nd_fields *l, const nd_c2_result *r, const nd_c2_curve *cv)
{
    nd_fields *f = nd_fields_record(l, NULL, "bifurcation curve");
    nd_fields_string(f, "kind", nd_c2_curve_name(cv->kind));
    nd_fields_vector(f, r->par[0], cv->p1, cv->n);
    nd_fields_vector(f, r->par[1], cv->p2, cv->n);
    for (size_t i = 0; i < r->dim; i++)
        nd_fields_column(f, r->names[i], cv->state, cv->n, r->dim, i);
    nd_fields_vector(f, "omega", cv->omega, cv->n);
    nd_fields_vector(f, "l1", cv->l1, cv->n);
    nd_fields_vector(f, "a", cv->a, cv->n);
    nd_fields_vector(f, "period", cv->period, cv->n);
    nd_fields_string(f, "end", cv->end ? cv->end : "");
}

static void point(nd_fields *l, const nd_c2_result *r, const nd_c2_point *p)
{
    nd_fields *f = nd_fields_record(l, NULL, "codimension-2 point");
    nd_fields_string(f, "kind", nd_c2_kind_name(p->kind));
    nd_fields_string(f, "tag", nd_c2_kind_tag(p->kind));
    nd_fields_number(f, r->par[0], p->p1);
    nd_fields_number(f, r->par[1], p->p2);
    for (size_t i = 0; i < r->dim; i++) nd_fields_number(f, r->names[i], p->state[i]);
    nd_fields_number(f, "curve", (double)p->curve + 1);
    nd_fields_number(f, "omega", p->omega);
    nd_fields_number(f, "l1_before", p->l1_before);
    nd_fields_number(f, "l1_after", p->l1_after);
}

/* The list name of the curves of kind (0: all) or of the points of kind (-1: all). */
static void list_of(nd_fields *f, const char *name, const nd_c2_result *r, int curves, int kind)
{
    nd_fields *l = nd_fields_list(f, name);
    for (size_t i = 0; curves && i < r->ncurves; i++)
        if (!kind || r->curves[i].kind == kind) curve(l, r, &r->curves[i]);
    for (size_t i = 0; !curves && i < r->npoints; i++)
        if (kind < 0 || (int)r->points[i].kind == kind) point(l, r, &r->points[i]);
}

nd_fields *nd_c2_fields(const nd_c2_result *r)
{
    static const char *const by_kind[] = {"bt", "cusp", "bautin", "zero_hopf", "double_hopf"};
    nd_fields *f = nd_fields_create("bifurcation2");
    nd_fields_strings(f, "parameters", (const char *const *)r->par, 2);
    list_of(f, "curves", r, 1, 0);
    list_of(f, "hopf", r, 1, ND_C2_HOPF);
    list_of(f, "fold", r, 1, ND_C2_FOLD);
    list_of(f, "lpc", r, 1, ND_C2_LPC);
    list_of(f, "points", r, 0, -1);
    for (int k = 0; k < 5; k++) list_of(f, by_kind[k], r, 0, k);
    nd_fields_string(f, "notes", r->notes);
    return nd_fields_done(f);
}
