/* The fields of a bifurcation diagram (`c = continue …`), built from the result when they
   are read: its special points as lists of records (c.hopf[1].I), its branches as
   vectors. A record names the parameter and the states as the model does, so the fields
   read like the model: c.hopf[1].I, c.hopf[1].V. */
#include "bif_fields.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The lists of special points, by kind; then what every diagram has. */
static const char *const kind_fields[] = {"fold",  "hopf",       "cycle_fold", "period_doubling",
                                          "torus", "homoclinic", "snic"};
static const char *const other_fields[] = {"points", "parameter", "branches", "cycles", "notes"};

enum { NKINDS = 7, NOTHER = 5 };

const char *nd_bif_field_name(const nd_bif_result *r, size_t i)
{
    (void)r;
    if (i < NKINDS) return kind_fields[i];
    return i < NKINDS + NOTHER ? other_fields[i - NKINDS] : NULL;
}

static int add_number(nd_value *rec, const char *name, double x)
{
    return isnan(x) ? 0 : nd_record_add(rec, name, nd_value_number(x));
}

static nd_value *point_record(const nd_bif_result *r, const nd_bif_point *pt)
{
    nd_value *rec = nd_value_record("special point", NULL);
    int rc = rec ? nd_record_add_number(rec, r->param, pt->param) : -1;
    for (size_t i = 0; rc == 0 && i < r->dim; i++)
        rc = nd_record_add(rec, r->names[i], nd_value_number(pt->state[i]));
    if (rc == 0) rc = nd_record_add(rec, "kind", nd_value_string(nd_bif_kind_name(pt->kind)));
    if (rc == 0) rc = add_number(rec, "omega", pt->omega);
    if (rc == 0) rc = add_number(rec, "period", pt->period);
    if (rc == 0) rc = add_number(rec, "l1", pt->l1);
    if (rc == 0 && nd_bif_criticality(pt)[0])
        rc = nd_record_add(rec, "criticality", nd_value_string(nd_bif_criticality(pt)));
    if (rc != 0) {
        nd_value_unref(rec);
        return NULL;
    }
    return rec;
}

/* The special points of one kind (kind < 0: all), as a list of records. */
static nd_value *points_list(const nd_bif_result *r, int kind)
{
    size_t n = 0;
    for (size_t i = 0; i < r->npoints; i++) n += kind < 0 || (int)r->points[i].kind == kind;
    nd_value **items = calloc(n ? n : 1, sizeof *items);
    if (!items) return NULL;
    size_t k = 0;
    int ok = 1;
    for (size_t i = 0; ok && i < r->npoints; i++) {
        if (kind >= 0 && (int)r->points[i].kind != kind) continue;
        ok = (items[k++] = point_record(r, &r->points[i])) != NULL;
    }
    nd_value *list = ok ? nd_value_list(items, n) : NULL;
    if (!ok)
        for (size_t i = 0; i < k; i++) nd_value_unref(items[i]);
    free(items);
    return list;
}

/* A vector of column j of an n × stride array (stride 1: the array itself). */
static nd_value *column(const double *x, size_t n, size_t stride, size_t j)
{
    nd_value *v = nd_value_vector_alloc(n);
    for (size_t i = 0; v && i < n; i++) v->as.vec.x[i] = x[i * stride + j];
    return v;
}

static nd_value *ints(const int *x, size_t n)
{
    nd_value *v = nd_value_vector_alloc(n);
    for (size_t i = 0; v && i < n; i++) v->as.vec.x[i] = x[i];
    return v;
}

static nd_value *branch_record(const nd_bif_result *r, const nd_eq_branch *b)
{
    nd_value *rec = nd_value_record("equilibrium branch", NULL);
    int rc = rec ? nd_record_add(rec, r->param, column(b->param, b->n, 1, 0)) : -1;
    for (size_t i = 0; rc == 0 && i < r->dim; i++)
        rc = nd_record_add(rec, r->names[i], column(b->state, b->n, r->dim, i));
    if (rc == 0) rc = nd_record_add(rec, "unstable", ints(b->n_unstable, b->n));
    if (rc != 0) {
        nd_value_unref(rec);
        return NULL;
    }
    return rec;
}

static nd_value *cycle_record(const nd_bif_result *r, const nd_cycle_branch *c)
{
    nd_value *rec = nd_value_record("cycle branch", NULL);
    int rc = rec ? nd_record_add(rec, r->param, column(c->param, c->n, 1, 0)) : -1;
    if (rc == 0) rc = nd_record_add(rec, "period", column(c->period, c->n, 1, 0));
    if (rc == 0) rc = nd_record_add(rec, "stable", ints(c->stable, c->n));
    char name[128];
    for (size_t i = 0; rc == 0 && i < r->dim; i++) {
        snprintf(name, sizeof name, "%s_min", r->names[i]);
        rc = nd_record_add(rec, name, column(c->xmin, c->n, r->dim, i));
        snprintf(name, sizeof name, "%s_max", r->names[i]);
        if (rc == 0) rc = nd_record_add(rec, name, column(c->xmax, c->n, r->dim, i));
    }
    if (rc != 0) {
        nd_value_unref(rec);
        return NULL;
    }
    return rec;
}

/* A list of n records made by make(r, i). */
static nd_value *records(const nd_bif_result *r, size_t n,
                         nd_value *(*make)(const nd_bif_result *, size_t))
{
    nd_value **items = calloc(n ? n : 1, sizeof *items);
    if (!items) return NULL;
    size_t k = 0;
    while (k < n && (items[k] = make(r, k))) k++;
    nd_value *list = k == n ? nd_value_list(items, n) : NULL;
    if (k < n)
        while (k-- > 0) nd_value_unref(items[k]);
    free(items);
    return list;
}

static nd_value *branch_at(const nd_bif_result *r, size_t i)
{
    return branch_record(r, &r->branches[i]);
}

static nd_value *cycle_at(const nd_bif_result *r, size_t i)
{
    return cycle_record(r, &r->cycles[i]);
}

int nd_bif_field(const nd_bif_result *r, const char *name, nd_value **out)
{
    *out = NULL;
    for (int k = 0; k < NKINDS; k++)
        if (strcmp(name, kind_fields[k]) == 0) return (*out = points_list(r, k)) ? 1 : -1;
    if (strcmp(name, "points") == 0) *out = points_list(r, -1);
    else if (strcmp(name, "parameter") == 0) *out = nd_value_string(r->param);
    else if (strcmp(name, "branches") == 0) *out = records(r, r->nbranches, branch_at);
    else if (strcmp(name, "cycles") == 0) *out = records(r, r->ncycles, cycle_at);
    else if (strcmp(name, "notes") == 0) *out = nd_value_string(r->notes ? r->notes : "");
    else return 0;
    return *out ? 1 : -1;
}
