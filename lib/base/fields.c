/* Field descriptions (fields.h): a growing array of fields per record or list, each
   node pointing at its root, where the first failure is kept. */
#include "fields.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct nd_fields {
    char *type;            /* NULL: a list */
    nd_field *items;
    size_t n, cap;
    nd_fields *root;       /* itself for a root */
    nd_status status;      /* the first failure (kept in the root) */
};

static nd_fields *node(const char *type, nd_fields *root)
{
    nd_fields *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    if (type && !(f->type = strdup(type))) {
        free(f);
        return NULL;
    }
    f->root = root ? root : f;
    return f;
}

nd_fields *nd_fields_create(const char *type)
{
    return node(type ? type : "", NULL);
}

void nd_fields_free(nd_fields *f)
{
    if (!f) return;
    for (size_t i = 0; i < f->n; i++) {
        free(f->items[i].name);
        free(f->items[i].str);
        free(f->items[i].x);
        nd_fields_free(f->items[i].sub);
    }
    free(f->items);
    free(f->type);
    free(f);
}

nd_status nd_fields_fail(nd_fields *f, nd_status st)
{
    if (f && f->root->status == ND_OK) f->root->status = st;
    return st;
}

/* A new field of kind at the end of f, or NULL (the failure recorded). *dup is set when
   a record already has the name: nothing is added then. */
static nd_field *add(nd_fields *f, const char *name, nd_field_kind kind, int *dup)
{
    *dup = 0;
    if (!f) return NULL;
    if ((name == NULL) != (f->type == NULL)) {
        nd_fields_fail(f, ND_EINTERNAL);
        return NULL;
    }
    if (name && nd_fields_find(f, name)) {
        *dup = 1;
        return NULL;
    }
    if (f->n == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 8;
        nd_field *items = realloc(f->items, cap * sizeof *items);
        if (!items) {
            nd_fields_fail(f, ND_ENOMEM);
            return NULL;
        }
        f->items = items;
        f->cap = cap;
    }
    nd_field *d = &f->items[f->n];
    memset(d, 0, sizeof *d);
    d->kind = kind;
    if (name && !(d->name = strdup(name))) {
        nd_fields_fail(f, ND_ENOMEM);
        return NULL;
    }
    f->n++;
    return d;
}

/* The status of an addition that returned d. */
static nd_status added(nd_fields *f, const nd_field *d, int dup)
{
    if (d || dup) return ND_OK;
    return f ? f->root->status ? f->root->status : ND_ENOMEM : ND_ENOMEM;
}

nd_status nd_fields_number(nd_fields *f, const char *name, double x)
{
    int dup;
    nd_field *d = add(f, name, ND_FIELD_NUMBER, &dup);
    if (d) d->num = x;
    return added(f, d, dup);
}

nd_status nd_fields_known(nd_fields *f, const char *name, double x)
{
    return isnan(x) ? (f ? ND_OK : ND_ENOMEM) : nd_fields_number(f, name, x);
}

nd_status nd_fields_bool(nd_fields *f, const char *name, int b)
{
    int dup;
    nd_field *d = add(f, name, ND_FIELD_BOOL, &dup);
    if (d) d->num = b != 0;
    return added(f, d, dup);
}

nd_status nd_fields_none(nd_fields *f, const char *name)
{
    int dup;
    nd_field *d = add(f, name, ND_FIELD_NONE, &dup);
    return added(f, d, dup);
}

nd_status nd_fields_string(nd_fields *f, const char *name, const char *s)
{
    int dup;
    nd_field *d = add(f, name, ND_FIELD_STRING, &dup);
    if (d && !(d->str = strdup(s))) return nd_fields_fail(f, ND_ENOMEM);
    return added(f, d, dup);
}

double *nd_fields_vector_fill(nd_fields *f, const char *name, size_t n)
{
    int dup;
    nd_field *d = add(f, name, ND_FIELD_VECTOR, &dup);
    if (!d) {
        if (dup) nd_fields_fail(f, ND_EINTERNAL);   /* nowhere to write: a builder's mistake */
        return NULL;
    }
    if (!(d->x = malloc((n ? n : 1) * sizeof *d->x))) {
        nd_fields_fail(f, ND_ENOMEM);
        return NULL;
    }
    d->n = n;
    return d->x;
}

nd_status nd_fields_column(nd_fields *f, const char *name, const double *x, size_t n,
                           size_t stride, size_t j)
{
    if (f && name && nd_fields_find(f, name)) return ND_OK;
    double *y = nd_fields_vector_fill(f, name, n);
    for (size_t i = 0; y && i < n; i++) y[i] = x[i * stride + j];
    return y ? ND_OK : added(f, NULL, 0);
}

nd_status nd_fields_vector(nd_fields *f, const char *name, const double *x, size_t n)
{
    return nd_fields_column(f, name, x, n, 1, 0);
}

static nd_fields *child(nd_fields *f, const char *name, const char *type)
{
    int dup;
    nd_field *d = add(f, name, type ? ND_FIELD_RECORD : ND_FIELD_LIST, &dup);
    if (!d) {
        if (dup) nd_fields_fail(f, ND_EINTERNAL);
        return NULL;
    }
    if (!(d->sub = node(type, f->root))) nd_fields_fail(f, ND_ENOMEM);
    return d->sub;
}

nd_fields *nd_fields_record(nd_fields *f, const char *name, const char *type)
{
    return child(f, name, type ? type : "");
}

nd_fields *nd_fields_list(nd_fields *f, const char *name)
{
    return child(f, name, NULL);
}

nd_status nd_fields_strings(nd_fields *f, const char *name, const char *const *s, size_t n)
{
    if (f && name && nd_fields_find(f, name)) return ND_OK;
    nd_fields *l = nd_fields_list(f, name);
    for (size_t i = 0; l && i < n; i++) nd_fields_string(l, NULL, s[i]);
    return l ? l->root->status : added(f, NULL, 0);
}

nd_status nd_fields_status(const nd_fields *f)
{
    return f ? f->root->status : ND_ENOMEM;
}

nd_fields *nd_fields_done(nd_fields *f)
{
    if (f && f->root->status == ND_OK) return f;
    nd_fields_free(f ? f->root : NULL);
    return NULL;
}

const char *nd_fields_type(const nd_fields *f)
{
    return f->type ? f->type : "";
}

int nd_fields_is_list(const nd_fields *f)
{
    return f->type == NULL;
}

size_t nd_fields_count(const nd_fields *f)
{
    return f->n;
}

const nd_field *nd_fields_at(const nd_fields *f, size_t i)
{
    return &f->items[i];
}

const nd_field *nd_fields_find(const nd_fields *f, const char *name)
{
    for (size_t i = 0; f->type && i < f->n; i++)
        if (strcmp(f->items[i].name, name) == 0) return &f->items[i];
    return NULL;
}
