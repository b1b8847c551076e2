/* Residuals lifted over resets (see lift.h). */
#include "lift.h"

#include <math.h>
#include <stdlib.h>

int nd_lift_columns(const nd_model *m, const int *obs, size_t no, int *lifted)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE), np1 = 1 + n + nd_model_count(m, ND_MODEL_PAR);
    double *D = malloc(n * np1 * sizeof *D);
    if (!D) return -1;
    int any = 0;
    for (size_t q = 0; q < no; q++) lifted[q] = 0;
    for (size_t k = 0; k < nd_model_nwhens(m); k++) {
        if (nd_model_reset_jac(m, k, 0, nd_model_inits(m), nd_model_pars(m), D)) continue;
        for (size_t q = 0; q < no; q++) {
            const double *row = D + (size_t)obs[q] * np1;
            for (size_t c = 0; c < np1; c++)
                if (row[c] != (c == 1 + (size_t)obs[q])) lifted[q] = any = 1;
        }
    }
    free(D);
    return any;
}

void nd_lift_count(const double *d, size_t rows, size_t ld, size_t ncols, const int *lifted,
                   size_t *dev)
{
    for (size_t j = 0; j < rows; j++) dev[j] = 0;
    for (size_t q = 0; q < ncols; q++) {
        if (!lifted[q]) continue;
        double lo = INFINITY, hi = -INFINITY;
        for (size_t j = 0; j < rows; j++) {
            double v = d[j * ld + q];
            if (isfinite(v)) lo = fmin(lo, v), hi = fmax(hi, v);
        }
        double prev = NAN;
        for (size_t j = 0; j < rows; j++) {
            double v = d[j * ld + q];
            if (!isfinite(v)) continue;
            if (prev - v > 0.5 * (hi - lo)) dev[j]++;
            prev = v;
        }
    }
    for (size_t j = 1; j < rows; j++) dev[j] = (dev[j] != 0) + dev[j - 1];
    if (rows) dev[0] = dev[0] != 0;
}

double nd_lift_range(size_t a, size_t b, size_t *k0, size_t *k1)
{
    *k0 = a < b ? a : b;
    *k1 = a < b ? b : a;
    return a > b ? 1 : a < b ? -1 : 0;
}

size_t nd_lift_jump(size_t k, size_t njump) { return k < njump ? k : njump - 1; }
