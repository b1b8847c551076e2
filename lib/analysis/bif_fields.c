/* The values a bifurcation diagram exposes (bif_fields.h). Records name the parameter and
   the states as the model does, so the fields read like the model: c.hopf[1].I,
   c.hopf[1].V. */
#include "bif_fields.h"

#include <stdio.h>
#include <string.h>

/* The lists of special points, by kind; then what every diagram has. */
static const char *const names[] = {"fold", "hopf", "cycle_fold", "period_doubling", "torus",
                                    "homoclinic", "snic", "points", "parameter", "branches",
                                    "cycles", "notes"};

enum { NKINDS = 7, NFIELDS = sizeof names / sizeof names[0] };

const char *nd_bif_field_name(size_t i)
{
    return i < NFIELDS ? names[i] : NULL;
}

static void point(nd_fields *l, const nd_bif_result *r, const nd_bif_point *pt)
{
    nd_fields *f = nd_fields_record(l, NULL, "special point");
    nd_fields_number(f, r->param, pt->param);
    for (size_t i = 0; i < r->dim; i++) nd_fields_number(f, r->names[i], pt->state[i]);
    nd_fields_string(f, "kind", nd_bif_kind_name(pt->kind));
    nd_fields_known(f, "omega", pt->omega);
    nd_fields_known(f, "period", pt->period);
    nd_fields_known(f, "l1", pt->l1);
    if (nd_bif_criticality(pt)[0]) nd_fields_string(f, "criticality", nd_bif_criticality(pt));
}

static void ints(nd_fields *f, const char *name, const int *x, size_t n)
{
    double *y = nd_fields_vector_fill(f, name, n);
    for (size_t i = 0; y && i < n; i++) y[i] = x[i];
}

static void branch(nd_fields *l, const nd_bif_result *r, const nd_eq_branch *b)
{
    nd_fields *f = nd_fields_record(l, NULL, "equilibrium branch");
    nd_fields_vector(f, r->param, b->param, b->n);
    for (size_t i = 0; i < r->dim; i++) nd_fields_column(f, r->names[i], b->state, b->n, r->dim, i);
    ints(f, "unstable", b->n_unstable, b->n);
}

static void cycle(nd_fields *l, const nd_bif_result *r, const nd_cycle_branch *c)
{
    nd_fields *f = nd_fields_record(l, NULL, "cycle branch");
    nd_fields_vector(f, r->param, c->param, c->n);
    nd_fields_vector(f, "period", c->period, c->n);
    ints(f, "stable", c->stable, c->n);
    char name[128];
    for (size_t i = 0; i < r->dim; i++) {
        snprintf(name, sizeof name, "%s_min", r->names[i]);
        nd_fields_column(f, name, c->xmin, c->n, r->dim, i);
        snprintf(name, sizeof name, "%s_max", r->names[i]);
        nd_fields_column(f, name, c->xmax, c->n, r->dim, i);
    }
}

int nd_bif_field_add(const nd_bif_result *r, const char *name, nd_fields *f)
{
    size_t k = 0;
    while (k < NFIELDS && strcmp(name, names[k]) != 0) k++;
    if (k == NFIELDS) return 0;
    if (k == NKINDS + 1) {
        nd_fields_string(f, name, r->param);
    } else if (k == NFIELDS - 1) {
        nd_fields_string(f, name, r->notes ? r->notes : "");
    } else {
        nd_fields *l = nd_fields_list(f, name);
        for (size_t i = 0; k <= NKINDS && i < r->npoints; i++)   /* NKINDS: "points", all */
            if (k == NKINDS || (size_t)r->points[i].kind == k) point(l, r, &r->points[i]);
        for (size_t i = 0; k == NKINDS + 2 && i < r->nbranches; i++)
            branch(l, r, &r->branches[i]);
        for (size_t i = 0; k == NKINDS + 3 && i < r->ncycles; i++) cycle(l, r, &r->cycles[i]);
    }
    return nd_fields_status(f) == ND_OK ? 1 : -1;
}

nd_fields *nd_bif_fields(const nd_bif_result *r)
{
    nd_fields *f = nd_fields_create("bifurcation diagram");
    for (size_t i = 0; i < NFIELDS; i++) nd_bif_field_add(r, names[i], f);
    return nd_fields_done(f);
}
