/* The trained hybrid's simulation on a grid: what `plot NET DATA` draws and what the
   training verdict compares with the data; `simulate NET`'s integration (nd_sim_network)
   with the states as a plain matrix. */
#include <math.h>
#include <string.h>

#include "simulate.h"
#include "ude_verdict.h"

nd_status nd_ude_predict(const nd_ude *u, const double *t, size_t m, double *out,
                         const atomic_int *interrupt, nd_error *err)
{
    return nd_ude_predict_under(u, NULL, -1, t, m, out, interrupt, err);
}

nd_status nd_ude_predict_under(const nd_ude *u, const nd_stim *stim, int par, const double *t,
                               size_t m, double *out, const atomic_int *interrupt,
                               nd_error *err)
{
    size_t n = nd_model_count(nd_ude_model(u), ND_MODEL_STATE);
    if (m < 1) return ND_OK;
    nd_sim_options o;
    nd_sim_options_default(&o);
    o.stim = stim;
    o.input = par;
    o.ode.interrupt = interrupt;
    nd_dataset *ds = NULL;
    nd_status st = nd_sim_network(u, t, m, t[m - 1], &o, &ds, NULL, err);
    size_t rows = ds ? nd_ds_rows(ds) : 0;
    for (size_t j = 0; j < n; j++) {
        const double *c = rows ? nd_ds_col(ds, 1 + j) : NULL;
        for (size_t i = 0; i < m; i++) out[i * n + j] = i < rows ? c[i] : NAN;
    }
    nd_ds_free(ds);
    return st;
}
