/* The threshold sweep `sindy sweep=true` runs: its grid, taken from the unthresholded
   coefficients, and the threshold it suggests from the knee (nd_sindy_sweep). */
#include <math.h>
#include <stdlib.h>

#include "sindy.h"

void nd_sindy_rms_cols(const double *A, size_t rows, size_t cols, double *rms)
{
    for (size_t j = 0; j < cols; j++) {
        double s = 0;
        for (size_t r = 0; r < rows; r++) s += A[r * cols + j] * A[r * cols + j];
        rms[j] = sqrt(s / (double)rows);
    }
}

/* Log-spaced thresholds over the span of the coefficients in the units the threshold
   applies to (normalised ones when o->normalize), widened so both ends are outside it. */
static void grid(const double *full, size_t p, size_t m, const double *col_rms,
                 const double *y_rms, int normalize, double *thr, size_t n)
{
    double lo = INFINITY, hi = 0;
    for (size_t j = 0; j < p; j++)
        for (size_t k = 0; k < m; k++) {
            double s = normalize && y_rms[k] > 0 ? col_rms[j] / y_rms[k] : 1;
            double a = fabs(full[j * m + k]) * s;
            if (a > 0 && isfinite(a)) lo = fmin(lo, a), hi = fmax(hi, a);
        }
    if (!(hi > 0)) hi = 1, lo = 0.1;
    lo = fmax(lo * 0.5, hi * 1e-8);
    hi *= 1.5;
    for (size_t i = 0; i < n; i++) thr[i] = lo * pow(hi / lo, (double)i / (double)(n - 1));
}

nd_status nd_sindy_sweep_auto(const double *theta, size_t rows, size_t p, const double *Y,
                              size_t m, const nd_sindy_options *o, const double *full,
                              nd_sindy_sweep_result *r, nd_error *err)
{
    nd_sindy_options so;
    if (o) so = *o;
    else nd_sindy_options_default(&so);
    so.ensemble = 0;
    double *rms = malloc((p + m) * sizeof *rms);
    if (!rms) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_sindy_rms_cols(theta, rows, p, rms);
    nd_sindy_rms_cols(Y, rows, m, rms + p);
    r->n = ND_SINDY_SWEEP_N;
    grid(full, p, m, rms, rms + p, so.normalize, r->threshold, r->n);
    free(rms);
    nd_status st = nd_sindy_sweep(theta, rows, p, Y, m, &so, r->threshold, r->n, r->nterms,
                                  r->error, &r->knee, err);
    if (st != ND_OK) return st;
    size_t i0 = r->knee, i1 = r->knee;
    while (i0 > 0 && r->nterms[i0 - 1] == r->nterms[r->knee]) i0--;
    while (i1 + 1 < r->n && r->nterms[i1 + 1] == r->nterms[r->knee]) i1++;
    r->suggested = sqrt(r->threshold[i0] * r->threshold[i1]);
    return ND_OK;
}
