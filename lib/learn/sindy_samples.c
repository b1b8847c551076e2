/* SINDy's samples: from a dataset, the variables as recorded and the targets' time
   derivatives estimated from them; from a network, its inputs along its own run and the
   term it learned. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "simulate.h"
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

nd_status nd_sindy_net_run_inputs(const nd_ude *u, double T, size_t n, const nd_sim_options *o,
                                  double **X, nd_error *err)
{
    *X = NULL;
    const nd_model *m = nd_ude_model(u);
    size_t ns = nd_model_count(m, ND_MODEL_STATE), npar = nd_model_count(m, ND_MODEL_PAR);
    size_t nin = nd_ude_ninputs(u);
    double *tout = malloc(n * sizeof *tout), *y = malloc(ns * sizeof *y);
    double *p = malloc((npar + 1) * sizeof *p), *x = malloc(n * nin * sizeof *x);
    nd_status st = n >= 2 && tout && y && p && x
                       ? ND_OK
                       : nd_error_fail(err, n < 2 ? ND_EVALUE : ND_ENOMEM,
                                       n < 2 ? "a run needs 2 samples or more" : "out of memory");
    nd_dataset *ds = NULL;
    if (st == ND_OK) {
        for (size_t i = 0; i < n; i++) tout[i] = fmin(T * (double)i / (double)(n - 1), T);
        nd_sim_options dflt;
        nd_sim_options_default(&dflt);
        st = nd_sim_network(u, tout, n, T, o ? o : &dflt, &ds, NULL, err);
    }
    /* the parameters along the run: the driven one is the dataset's input column */
    const char *in = st == ND_OK ? nd_ds_meta(ds, "input") : NULL;
    int par = in ? nd_model_index(m, ND_MODEL_PAR, in) : -1, col = in ? nd_ds_find(ds, in) : -1;
    for (size_t r = 0; st == ND_OK && r < nd_ds_rows(ds) && r < n; r++) {
        memcpy(p, nd_model_pars(m), npar * sizeof *p);
        if (par >= 0 && col >= 0) p[par] = nd_ds_col(ds, (size_t)col)[r];
        for (size_t i = 0; i < ns; i++) y[i] = nd_ds_col(ds, 1 + i)[r];
        nd_ude_inputs_at(u, nd_ds_col(ds, 0)[r], y, p, x + r * nin);
    }
    nd_ds_free(ds);
    free(tout), free(y), free(p);
    if (st != ND_OK) free(x);
    else *X = x;
    return st;
}

nd_status nd_sindy_net_output(const nd_ude *u, size_t k, const double *X, size_t rows,
                              double **Y, nd_error *err)
{
    size_t nout = nd_ude_nreplace(u);
    *Y = NULL;
    if (k >= nout)
        return nd_error_fail(err, ND_EVALUE, "the network has %zu outputs, not %zu", nout, k + 1);
    double *z = malloc(rows * nout * sizeof *z), *y = malloc(rows * sizeof *y);
    nd_status st = z && y ? nd_ude_net_eval(u, X, rows, z, err)
                          : nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t r = 0; st == ND_OK && r < rows; r++) y[r] = z[r * nout + k];
    free(z);
    if (st != ND_OK) free(y);
    else *Y = y;
    return st;
}
