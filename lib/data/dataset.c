/* The dataset container: one malloc'ed array per column (so a column is contiguous and can
   be handed to solvers and plots as is), all sharing one row capacity. */
#include "dataset.h"
#include "meta.h"

#include <stdlib.h>
#include <string.h>

struct nd_dataset {
    size_t ncols, nrows, cap;
    char **names;
    char **units;      /* NULL entries: unknown unit */
    double **cols;
    nd_meta meta;
    nd_dense *dense;   /* the solver's continuous solution of the state columns, or NULL */
    nd_stim *stim;     /* the stimulus the data was recorded under, or NULL */
};

static int valid_name(const char *s)
{
    return s && *s && !strpbrk(s, "\r\n");
}

/* Units are written inside "[...]" in CSV headers, so brackets would make them ambiguous. */
static int valid_unit(const char *s)
{
    return !s || !strpbrk(s, "[]\r\n");
}

static char *dup_unit(const char *unit, int *oom)
{
    if (!unit || !*unit) return NULL;
    char *u = strdup(unit);
    if (!u) *oom = 1;
    return u;
}

nd_dataset *nd_ds_create(size_t ncols, const char *const *names, const char *const *units)
{
    if (ncols == 0 || !names) return NULL;
    for (size_t j = 0; j < ncols; j++) {
        if (!valid_name(names[j]) || !valid_unit(units ? units[j] : NULL)) return NULL;
        for (size_t k = 0; k < j; k++)
            if (strcmp(names[k], names[j]) == 0) return NULL;
    }
    nd_dataset *ds = calloc(1, sizeof *ds);
    if (!ds) return NULL;
    ds->names = calloc(ncols, sizeof *ds->names);
    ds->units = calloc(ncols, sizeof *ds->units);
    ds->cols = calloc(ncols, sizeof *ds->cols);
    if (!ds->names || !ds->units || !ds->cols) {
        nd_ds_free(ds);
        return NULL;
    }
    ds->ncols = ncols;
    int oom = 0;
    for (size_t j = 0; j < ncols; j++) {
        ds->names[j] = strdup(names[j]);
        if (!ds->names[j]) oom = 1;
        ds->units[j] = dup_unit(units ? units[j] : NULL, &oom);
    }
    if (oom) {
        nd_ds_free(ds);
        return NULL;
    }
    return ds;
}

void nd_ds_free(nd_dataset *ds)
{
    if (!ds) return;
    for (size_t j = 0; j < ds->ncols; j++) {
        if (ds->names) free(ds->names[j]);
        if (ds->units) free(ds->units[j]);
        if (ds->cols) free(ds->cols[j]);
    }
    nd_meta_clear(&ds->meta);
    free(ds->names);
    free(ds->units);
    free(ds->cols);
    nd_dense_free(ds->dense);
    nd_stim_free(ds->stim);
    free(ds);
}

nd_dataset *nd_ds_copy(const nd_dataset *ds)
{
    nd_dataset *c = nd_ds_create(ds->ncols, (const char *const *)ds->names,
                                 (const char *const *)ds->units);
    if (!c || nd_ds_reserve(c, ds->nrows) != 0) {
        nd_ds_free(c);
        return NULL;
    }
    for (size_t j = 0; j < ds->ncols; j++)
        if (ds->nrows) memcpy(c->cols[j], ds->cols[j], ds->nrows * sizeof(double));
    c->nrows = ds->nrows;
    if (nd_meta_copy(&c->meta, &ds->meta) != ND_OK) {
        nd_ds_free(c);
        return NULL;
    }
    if ((ds->dense && !(c->dense = nd_dense_copy(ds->dense))) ||
        (ds->stim && !(c->stim = nd_stim_copy(ds->stim)))) {
        nd_ds_free(c);
        return NULL;
    }
    return c;
}

int nd_ds_reserve(nd_dataset *ds, size_t rows)
{
    if (rows <= ds->cap) return 0;
    if (rows > (size_t)-1 / sizeof(double)) return -1;
    /* Columns grown so far keep their larger blocks on failure; cap only moves when all did. */
    for (size_t j = 0; j < ds->ncols; j++) {
        double *p = realloc(ds->cols[j], rows * sizeof(double));
        if (!p) return -1;
        ds->cols[j] = p;
    }
    ds->cap = rows;
    return 0;
}

int nd_ds_append(nd_dataset *ds, const double *row)
{
    if (ds->nrows == ds->cap && nd_ds_reserve(ds, ds->cap ? 2 * ds->cap : 64) != 0) return -1;
    for (size_t j = 0; j < ds->ncols; j++) ds->cols[j][ds->nrows] = row[j];
    ds->nrows++;
    return 0;
}

size_t nd_ds_rows(const nd_dataset *ds)
{
    return ds->nrows;
}

size_t nd_ds_cols(const nd_dataset *ds)
{
    return ds->ncols;
}

const double *nd_ds_col(const nd_dataset *ds, size_t j)
{
    return ds->cols[j];
}

double *nd_ds_col_mut(nd_dataset *ds, size_t j)
{
    /* Changed values (noise added) no longer lie on the solution the solver computed. */
    nd_ds_set_dense(ds, NULL);
    return ds->cols[j];
}

void nd_ds_set_dense(nd_dataset *ds, nd_dense *d)
{
    nd_dense_free(ds->dense);
    ds->dense = d;
}

const nd_dense *nd_ds_dense(const nd_dataset *ds)
{
    return ds->dense;
}

void nd_ds_set_stim(nd_dataset *ds, nd_stim *s)
{
    nd_stim_free(ds->stim);
    ds->stim = s;
}

const nd_stim *nd_ds_stim(const nd_dataset *ds)
{
    return ds->stim;
}

const char *nd_ds_name(const nd_dataset *ds, size_t j)
{
    return ds->names[j];
}

const char *nd_ds_unit(const nd_dataset *ds, size_t j)
{
    return ds->units[j];
}

int nd_ds_find(const nd_dataset *ds, const char *name)
{
    for (size_t j = 0; j < ds->ncols; j++)
        if (strcmp(ds->names[j], name) == 0) return (int)j;
    return -1;
}

int nd_ds_add_column(nd_dataset *ds, const char *name, const char *unit, const double *values)
{
    if (!valid_name(name) || !valid_unit(unit) || nd_ds_find(ds, name) >= 0) return -1;
    size_t n = ds->ncols + 1;
    char **names = realloc(ds->names, n * sizeof *names);
    if (!names) return -1;
    ds->names = names;
    char **units = realloc(ds->units, n * sizeof *units);
    if (!units) return -1;
    ds->units = units;
    double **cols = realloc(ds->cols, n * sizeof *cols);
    if (!cols) return -1;
    ds->cols = cols;
    int oom = 0;
    char *nm = strdup(name);
    char *un = dup_unit(unit, &oom);
    double *col = malloc((ds->cap ? ds->cap : 1) * sizeof(double));
    if (!nm || oom || !col) {
        free(nm);
        free(un);
        free(col);
        return -1;
    }
    if (values) memcpy(col, values, ds->nrows * sizeof(double));
    else memset(col, 0, ds->nrows * sizeof(double));
    names[ds->ncols] = nm;
    units[ds->ncols] = un;
    cols[ds->ncols] = col;
    ds->ncols = n;
    return 0;
}

nd_status nd_ds_set_meta(nd_dataset *ds, const char *key, const char *value)
{
    return nd_meta_set(&ds->meta, key, value);
}

const char *nd_ds_meta(const nd_dataset *ds, const char *key)
{
    return nd_meta_get(&ds->meta, key);
}

size_t nd_ds_meta_count(const nd_dataset *ds)
{
    return ds->meta.n;
}

const char *nd_ds_meta_key(const nd_dataset *ds, size_t i)
{
    return ds->meta.keys[i];
}

const char *nd_ds_meta_value(const nd_dataset *ds, size_t i)
{
    return ds->meta.values[i];
}
