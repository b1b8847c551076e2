/* Synthetic training data for the UDE tests: a model simulated with dp5 at tight
   tolerance, sampled on a regular grid, every state a column. */
#ifndef ND_TEST_UDE_FIXTURE_H
#define ND_TEST_UDE_FIXTURE_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/data/dataset.h"
#include "../../lib/learn/ude.h"
#include "../../lib/models/model_ivp.h"
#include "../../lib/ode/solve.h"

typedef struct ude_fx_rows {
    nd_dataset *ds;
    size_t n;
} ude_fx_rows;

static int ude_fx_out(void *ctx, double t, const double *y, int event, size_t which)
{
    (void)which;
    if (event) return 0;
    ude_fx_rows *r = ctx;
    double row[16];
    row[0] = t;
    for (size_t i = 0; i < r->n && i < 15; i++) row[1 + i] = y[i];
    return nd_ds_append(r->ds, row) ? 1 : 0;
}

/* Simulates m (current values) under stim on par from 0 to t1, sampling every dt; returns
   a dataset with "t" and every state (NULL on failure). */
static inline nd_dataset *ude_fx_simulate(const nd_model *m, const nd_stim *stim, int par,
                                          double t1, double dt)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE), rows = (size_t)(t1 / dt + 0.5) + 1;
    const char *names[16] = {"t"};
    for (size_t i = 0; i < n && i < 15; i++) names[1 + i] = nd_model_item_at(m, ND_MODEL_STATE, i)->name;
    nd_dataset *ds = nd_ds_create(n + 1, names, NULL);
    double *tout = malloc(rows * sizeof *tout), y[16];
    nd_model_ivp *v = nd_model_ivp_create(m, NULL, stim, par, 0, t1, NULL);
    int ok = ds && tout && v;
    if (ok) {
        for (size_t j = 0; j < rows; j++) tout[j] = (double)j * dt;
        for (size_t i = 0; i < n; i++) y[i] = nd_model_inits(m)[i];
        nd_ode_options o;
        nd_ode_options_default(&o);
        o.rtol = o.atol = 1e-10;
        ude_fx_rows r = {ds, n};
        ok = nd_ode_solve(nd_model_ivp_problem(v), 0, tout[rows - 1], y, &o, tout, rows,
                          ude_fx_out, &r, NULL, NULL) == ND_OK;
    }
    nd_model_ivp_free(v);
    free(tout);
    if (!ok) {
        nd_ds_free(ds);
        return NULL;
    }
    return ds;
}

/* Returns a copy of ds with only the named columns (NULL on failure). */
static inline nd_dataset *ude_fx_select(const nd_dataset *ds, const char *const *cols, size_t k)
{
    nd_dataset *out = nd_ds_create(k, cols, NULL);
    double row[16];
    for (size_t j = 0; out && j < nd_ds_rows(ds); j++) {
        for (size_t c = 0; c < k; c++) row[c] = nd_ds_col(ds, (size_t)nd_ds_find(ds, cols[c]))[j];
        if (nd_ds_append(out, row)) {
            nd_ds_free(out);
            return NULL;
        }
    }
    return out;
}

/* ‖g − fd‖ / ‖fd‖ of the fit's gradient against central differences, at a generic point
   near its current θ. */
static inline double ude_fx_gradient_error(nd_ude_fit *f)
{
    size_t P = nd_ude_fit_nparams(f);
    double *th = malloc(P * sizeof *th), *g = malloc(P * sizeof *g), *tp = malloc(P * sizeof *tp);
    double L, num = 0, den = 0;
    nd_ude_fit_theta(f, th);
    for (size_t i = 0; i < P; i++) th[i] += 0.05 * sin(1.0 + (double)i);
    if (nd_ude_fit_loss(f, th, &L, g)) {
        free(th), free(g), free(tp);
        return INFINITY;
    }
    for (size_t i = 0; i < P; i++) {
        double h = 1e-6 * fmax(1, fabs(th[i])), lp, lm;
        memcpy(tp, th, P * sizeof *tp);
        tp[i] = th[i] + h;
        nd_ude_fit_loss(f, tp, &lp, NULL);
        tp[i] = th[i] - h;
        nd_ude_fit_loss(f, tp, &lm, NULL);
        double fd = (lp - lm) / (2 * h);
        num += (g[i] - fd) * (g[i] - fd);
        den += fd * fd;
    }
    free(th), free(g), free(tp);
    return sqrt(num / den);
}

#endif
