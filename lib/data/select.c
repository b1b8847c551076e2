/* Column selection keeps what the analyses need of the source beyond its samples. */
#include "select.h"

#include <stdlib.h>

nd_dataset *nd_ds_select(const nd_dataset *src, const int *idx, size_t k)
{
    const char **names = malloc((k ? k : 1) * sizeof *names);
    const char **units = malloc((k ? k : 1) * sizeof *units);
    const double **cols = malloc((k ? k : 1) * sizeof *cols);
    double *row = malloc((k ? k : 1) * sizeof *row);
    nd_dataset *out = NULL;
    if (names && units && cols && row) {
        for (size_t c = 0; c < k; c++) {
            names[c] = nd_ds_name(src, (size_t)idx[c]);
            units[c] = nd_ds_unit(src, (size_t)idx[c]);
            cols[c] = nd_ds_col(src, (size_t)idx[c]);
        }
        out = nd_ds_create(k, names, units);
    }
    if (out && nd_ds_reserve(out, nd_ds_rows(src)) != 0) {
        nd_ds_free(out);
        out = NULL;
    }
    for (size_t r = 0; out && r < nd_ds_rows(src); r++) {
        for (size_t c = 0; c < k; c++) row[c] = cols[c][r];
        nd_ds_append(out, row);
    }
    for (size_t m = 0; out && m < nd_ds_meta_count(src); m++)
        nd_ds_set_meta(out, nd_ds_meta_key(src, m), nd_ds_meta_value(src, m));
    /* A failed copy of the solution only costs the analyses their precision. */
    if (out && nd_ds_dense(src)) nd_ds_set_dense(out, nd_dense_copy(nd_ds_dense(src)));
    if (out && nd_ds_stim(src)) nd_ds_set_stim(out, nd_stim_copy(nd_ds_stim(src)));
    free(names);
    free(units);
    free(cols);
    free(row);
    return out;
}

nd_dataset *nd_ds_from_columns(size_t n, const char *const *names, const double *const *cols,
                               size_t rows)
{
    nd_dataset *ds = nd_ds_create(n, names, NULL);
    double *row = malloc((n ? n : 1) * sizeof *row);
    if (!ds || !row || nd_ds_reserve(ds, rows) != 0) {
        nd_ds_free(ds);
        free(row);
        return NULL;
    }
    for (size_t i = 0; i < rows; i++) {
        for (size_t j = 0; j < n; j++) row[j] = cols[j][i];
        nd_ds_append(ds, row);
    }
    free(row);
    return ds;
}
