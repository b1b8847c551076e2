/* A gate's equation f(x) = α − (α+β)x is affine in x, so two evaluations give both
   rates: α = f(0) and α + β = f(0) − f(1); a third, at x = 1/2, confirms the form. */
#include "rates.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Evaluates dx_i/dt with state i set to x and the swept state to v. */
static double rate_at(const nd_model *m, double *y, double *dy, size_t i, int vs, double v,
                      double x)
{
    double keep = y[i];
    y[vs] = v;
    y[i] = x;
    nd_model_rhs(m, 0, y, nd_model_pars(m), dy);
    y[i] = keep;
    return dy[i];
}

/* A state is a gate when its equation is affine in itself all along the sweep. */
static int is_gate(const nd_model *m, double *y, double *dy, size_t i, int vs, double lo,
                   double hi, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        double v = lo + (hi - lo) * (double)k / (double)(n - 1);
        double f0 = rate_at(m, y, dy, i, vs, v, 0), f1 = rate_at(m, y, dy, i, vs, v, 1);
        double fh = rate_at(m, y, dy, i, vs, v, 0.5);
        double scale = fabs(f0) + fabs(f1) + 1e-300;
        if (!isfinite(f0) || !isfinite(f1) || fabs(fh - 0.5 * (f0 + f1)) > 1e-9 * scale ||
            !(f0 - f1 > 0))
            return 0;
    }
    return 1;
}

nd_status nd_rates_compute(const nd_model *m, int vstate, double lo, double hi, size_t n,
                           nd_dataset **out, nd_error *err)
{
    *out = NULL;
    size_t ns = nd_model_count(m, ND_MODEL_STATE);
    if (vstate < 0 || (size_t)vstate >= ns || !(hi > lo) || !isfinite(lo) || !isfinite(hi) || n < 2)
        return nd_error_fail(err, ND_EVALUE, "rates needs a state to sweep and a range lo..hi "
                             "with lo < hi");
    double *y = malloc(ns * sizeof *y), *dy = malloc(ns * sizeof *dy);
    size_t *gates = malloc(ns * sizeof *gates), ng = 0;
    if (!y || !dy || !gates) {
        free(y);
        free(dy);
        free(gates);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    memcpy(y, nd_model_inits(m), ns * sizeof *y);
    for (size_t i = 0; i < ns; i++)
        if ((int)i != vstate && is_gate(m, y, dy, i, vstate, lo, hi, n)) gates[ng++] = i;

    nd_status st = ND_OK;
    const char *vname = nd_model_item_at(m, ND_MODEL_STATE, (size_t)vstate)->name;
    nd_dataset *ds = NULL;
    if (ng == 0) {
        st = nd_error_fail(err, ND_EVALUE, "model %s has no gating variable of the form "
                           "dx/dt = alpha(%s)(1 - x) - beta(%s)x", nd_model_name(m), vname, vname);
    } else {
        size_t ncols = 1 + 4 * ng;
        char (*names)[80] = calloc(ncols, sizeof *names);
        const char **np = calloc(ncols, sizeof *np), **units = calloc(ncols, sizeof *units);
        double *row = malloc(ncols * sizeof *row);
        if (names && np && units && row) {
            snprintf(names[0], sizeof names[0], "%s", vname);
            units[0] = nd_model_item_at(m, ND_MODEL_STATE, (size_t)vstate)->unit;
            static const char *const fmt[4] = {"alpha_%s", "beta_%s", "%s_inf", "tau_%s"};
            /* rates per unit of time, x_inf a fraction, tau a time */
            const char *time = nd_model_time_unit(m);
            char per_time[72];
            snprintf(per_time, sizeof per_time, "1/%s", time);
            const char *qunit[4] = {*time ? per_time : NULL, *time ? per_time : NULL, "1",
                                    *time ? time : NULL};
            for (size_t g = 0; g < ng; g++)
                for (size_t q = 0; q < 4; q++) {
                    snprintf(names[1 + 4 * g + q], sizeof names[0], fmt[q],
                             nd_model_item_at(m, ND_MODEL_STATE, gates[g])->name);
                    units[1 + 4 * g + q] = qunit[q];
                }
            for (size_t c = 0; c < ncols; c++) np[c] = names[c];
            ds = nd_ds_create(ncols, np, units);
        }
        if (!ds || nd_ds_reserve(ds, n) != 0) {
            st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        } else {
            for (size_t k = 0; k < n; k++) {
                double v = lo + (hi - lo) * (double)k / (double)(n - 1);
                row[0] = v;
                for (size_t g = 0; g < ng; g++) {
                    double a = rate_at(m, y, dy, gates[g], vstate, v, 0);
                    double sum = a - rate_at(m, y, dy, gates[g], vstate, v, 1);
                    double *r = row + 1 + 4 * g;
                    r[0] = a;
                    r[1] = sum - a;
                    r[2] = a / sum;
                    r[3] = 1 / sum;
                }
                nd_ds_append(ds, row);
            }
            nd_ds_set_meta(ds, "model", nd_model_name(m));
        }
        free(names);
        free(np);
        free(units);
        free(row);
    }
    free(y);
    free(dy);
    free(gates);
    if (st != ND_OK) {
        nd_ds_free(ds);
        return st;
    }
    *out = ds;
    return ND_OK;
}
