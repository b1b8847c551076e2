/* SINDy's samples from a dataset: the variables as recorded, the targets' time derivatives
   estimated from them. */
#include <stdlib.h>

#include "sindy.h"

nd_status nd_sindy_dataset_samples(const nd_dataset *ds, const char *const *targets,
                                   size_t ntargets, const nd_deriv_options *o, double **X,
                                   double **Y, nd_error *err)
{
    *X = *Y = NULL;
    size_t rows = nd_ds_rows(ds), cols = nd_ds_cols(ds);
    if (cols < 2)
        return nd_error_fail(err, ND_EVALUE, "the dataset has no variable besides time");
    size_t nvars = cols - 1;
    double *x = malloc(rows * nvars * sizeof *x), *y = malloc(rows * ntargets * sizeof *y);
    double *dx = malloc(rows * sizeof *dx);
    nd_status st = ND_OK;
    if (!x || !y || !dx) st = nd_error_fail(err, ND_ENOMEM, "out of memory for %zu samples", rows);
    for (size_t j = 0; st == ND_OK && j < nvars; j++) {
        const double *c = nd_ds_col(ds, j + 1);
        for (size_t r = 0; r < rows; r++) x[r * nvars + j] = c[r];
    }
    const double *t = nd_ds_col(ds, 0);
    for (size_t k = 0; st == ND_OK && k < ntargets; k++) {
        int col = nd_ds_find(ds, targets[k]);
        if (col < 1) {
            st = nd_error_fail(err, ND_ENAME, "the dataset has no variable '%s'", targets[k]);
            break;
        }
        if ((st = nd_deriv(t, nd_ds_col(ds, (size_t)col), rows, o, dx, err)) != ND_OK) break;
        for (size_t r = 0; r < rows; r++) y[r * ntargets + k] = dx[r];
    }
    free(dx);
    if (st != ND_OK) {
        free(x), free(y);
        return st;
    }
    *X = x, *Y = y;
    return ND_OK;
}
