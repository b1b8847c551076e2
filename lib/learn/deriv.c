/* Derivatives of sampled signals: finite differences (second order, any spacing) and
   Savitzky–Golay (least-squares polynomial on a sliding window, even spacing); the checks
   every method shares. Total-variation differentiation is in deriv_tv.c. */
#include "deriv.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "deriv_impl.h"

static const char *const names[] = {"fd", "savgol", "tv"};

void nd_deriv_options_default(nd_deriv_options *o, nd_deriv_method method)
{
    o->method = method;
    o->window = 9;
    o->order = 3;
    o->alpha = 0;
    o->iters = 20;
}

const char *nd_deriv_name(nd_deriv_method m)
{
    return (unsigned)m < sizeof names / sizeof names[0] ? names[m] : "unknown";
}

int nd_deriv_parse(const char *name, nd_deriv_method *m)
{
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0) {
            *m = (nd_deriv_method)i;
            return 0;
        }
    return -1;
}

/* ---- finite differences ---- */

/* The derivative at t[i] of the parabola through three consecutive samples j, j+1, j+2
   (i one of them): the 3-point formula for uneven spacing, exact on quadratics. */
static double parabola_slope(const double *t, const double *x, size_t j, size_t i)
{
    double t0 = t[j], t1 = t[j + 1], t2 = t[j + 2], ti = t[i];
    /* Lagrange basis derivatives: l_k'(ti) = Σ_{m≠k} (ti − t_other) / Π (t_k − t_m). */
    double d0 = ((ti - t1) + (ti - t2)) / ((t0 - t1) * (t0 - t2));
    double d1 = ((ti - t0) + (ti - t2)) / ((t1 - t0) * (t1 - t2));
    double d2 = ((ti - t0) + (ti - t1)) / ((t2 - t0) * (t2 - t1));
    return d0 * x[j] + d1 * x[j + 1] + d2 * x[j + 2];
}

void nd_deriv_fd_raw(const double *t, const double *x, size_t n, double *dx)
{
    dx[0] = parabola_slope(t, x, 0, 0);
    for (size_t i = 1; i + 1 < n; i++) dx[i] = parabola_slope(t, x, i - 1, i);
    dx[n - 1] = parabola_slope(t, x, n - 3, n - 1);
}

/* ---- checks ---- */

nd_status nd_deriv_check(const double *t, const double *x, size_t n, int need_even,
                         double *h, nd_error *err)
{
    if (n < 3)
        return nd_error_fail(err, ND_EVALUE, "a derivative needs at least 3 samples, not %zu", n);
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(t[i]))
            return nd_error_fail(err, ND_EVALUE, "time %zu is not a finite number", i + 1);
        if (!isfinite(x[i]))
            return nd_error_fail(err, ND_EVALUE,
                                 "sample %zu (t = %g) is not a finite number", i + 1, t[i]);
        if (i && !(t[i] > t[i - 1]))
            return nd_error_fail(err, ND_EVALUE,
                                 "times must increase: sample %zu (t = %g) follows t = %g",
                                 i + 1, t[i], t[i - 1]);
    }
    double step = (t[n - 1] - t[0]) / (double)(n - 1);
    if (h) *h = step;
    if (!need_even) return ND_OK;
    for (size_t i = 1; i < n; i++)
        if (fabs((t[i] - t[i - 1]) - step) > 1e-6 * step)
            return nd_error_fail(err, ND_EVALUE,
                                 "this method needs evenly spaced samples, but step %zu "
                                 "(t = %g to %g) is %g, not %g; use method=fd",
                                 i, t[i - 1], t[i], t[i] - t[i - 1], step);
    return ND_OK;
}

/* ---- Savitzky–Golay ---- */

/* Fills W (window × window, row j = the weights giving the fitted polynomial's slope at
   sample j of the window, per unit of the window's half-width) from the least-squares
   pseudo-inverse of the Vandermonde matrix, computed once with LAPACK's QR (dgels).
   Positions are scaled to [-1, 1] to keep the Vandermonde matrix well conditioned. */
static int savgol_weights(int window, int order, double *W)
{
    int w = window, p = order + 1, m = (window - 1) / 2;
    double *V = malloc((size_t)w * (size_t)p * sizeof *V);
    double *B = calloc((size_t)w * (size_t)w, sizeof *B);
    int ok = V && B;
    for (int i = 0; ok && i < w; i++) {
        double z = (double)(i - m) / m, zk = 1;
        for (int k = 0; k < p; k++, zk *= z) V[(size_t)i * p + k] = zk;
        B[(size_t)i * w + i] = 1;
    }
    /* Least squares V X = I: the first p rows of B become X = V⁺ (p × w). */
    ok = ok && LAPACKE_dgels(LAPACK_ROW_MAJOR, 'N', w, p, w, V, p, B, w) == 0;
    for (int j = 0; ok && j < w; j++) {
        double z = (double)(j - m) / m;
        for (int i = 0; i < w; i++) {
            /* d/dz Σ_k a_k z^k = Σ_k k a_k z^(k-1), with a = V⁺ e_i. */
            double s = 0, zk = 1;
            for (int k = 1; k < p; k++, zk *= z) s += k * zk * B[(size_t)k * w + i];
            W[(size_t)j * w + i] = s;
        }
    }
    free(V);
    free(B);
    return ok ? 0 : -1;
}

static nd_status savgol(const double *x, size_t n, double h, int window, int order,
                        double *dx, nd_error *err)
{
    size_t w = (size_t)window, m = (w - 1) / 2;
    double *W = malloc(w * w * sizeof *W);
    if (!W) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (savgol_weights(window, order, W) != 0) {
        free(W);
        return nd_error_fail(err, ND_EINTERNAL, "Savitzky–Golay weights: least squares failed");
    }
    double scale = 1.0 / ((double)m * h);
    for (size_t i = 0; i < n; i++) {
        /* Centred window inside; at the ends the window stops at the data's edge and the
           slope is taken at the sample's place in it (no padding). */
        size_t start = i < m ? 0 : i + m >= n ? n - w : i - m;
        const double *row = W + (i - start) * w;
        double s = 0;
        for (size_t k = 0; k < w; k++) s += row[k] * x[start + k];
        dx[i] = s * scale;
    }
    free(W);
    return ND_OK;
}

static nd_status bad_field(nd_deriv_field f, nd_deriv_field *bad)
{
    if (bad) *bad = f;
    return ND_EVALUE;
}

/* Polynomial degrees above ND_DERIV_ORDER_MAX are numerically meaningless for a
   derivative; the window must be odd for the fit to be centred on its sample. */
nd_status nd_deriv_check_options(const nd_deriv_options *o, size_t n, nd_deriv_field *bad,
                                 nd_error *err)
{
    if (bad) *bad = ND_DERIV_FIELD_NONE;
    int w = o->window, p = o->order;
    if (w < ND_DERIV_WINDOW_MIN || w > ND_DERIV_WINDOW_MAX) {
        nd_error_fail(err, ND_EVALUE, "window must be a whole number %d … %d, not %d",
                      ND_DERIV_WINDOW_MIN, ND_DERIV_WINDOW_MAX, w);
        return bad_field(ND_DERIV_FIELD_WINDOW, bad);
    }
    if (w % 2 == 0) {
        nd_error_fail(err, ND_EVALUE, "window must be odd (the fit is centred on each "
                      "sample), not %d", w);
        return bad_field(ND_DERIV_FIELD_WINDOW, bad);
    }
    if (p < 1 || p > ND_DERIV_ORDER_MAX) {
        nd_error_fail(err, ND_EVALUE, "order must be a whole number %d … %d, not %d", 1,
                      ND_DERIV_ORDER_MAX, p);
        return bad_field(ND_DERIV_FIELD_ORDER, bad);
    }
    if (p >= w) {
        nd_error_fail(err, ND_EVALUE, "order (%d) must be below the window (%d)", p, w);
        return bad_field(ND_DERIV_FIELD_ORDER, bad);
    }
    if (o->iters < 1 || o->iters > ND_DERIV_ITERS_MAX) {
        nd_error_fail(err, ND_EVALUE, "iters must be a whole number %d … %d, not %d", 1,
                      ND_DERIV_ITERS_MAX, o->iters);
        return bad_field(ND_DERIV_FIELD_ITERS, bad);
    }
    if (!(o->alpha >= 0) || !isfinite(o->alpha)) {
        nd_error_fail(err, ND_EVALUE, "alpha must be a finite number >= 0 (0: chosen from the "
                      "noise)");
        return bad_field(ND_DERIV_FIELD_ALPHA, bad);
    }
    if (o->method == ND_DERIV_SAVGOL && n > 0 && (size_t)w > n) {
        nd_error_fail(err, ND_EVALUE, "the window (%d samples) is longer than the data (%zu "
                      "samples)", w, n);
        return bad_field(ND_DERIV_FIELD_DATA, bad);
    }
    return ND_OK;
}

nd_status nd_deriv(const double *t, const double *x, size_t n, const nd_deriv_options *o,
                   double *dx, nd_error *err)
{
    return nd_deriv_ex(t, x, n, o, dx, NULL, err);
}

nd_status nd_deriv_ex(const double *t, const double *x, size_t n, const nd_deriv_options *o,
                      double *dx, nd_deriv_info *info, nd_error *err)
{
    nd_deriv_info dummy;
    if (!info) info = &dummy;
    info->alpha = info->sigma = 0;
    double h;
    nd_status st = nd_deriv_check(t, x, n, o->method != ND_DERIV_FD, &h, err);
    if (st == ND_OK) st = nd_deriv_check_options(o, n, NULL, err);
    if (st != ND_OK) return st;
    switch (o->method) {
    case ND_DERIV_FD:
        nd_deriv_fd_raw(t, x, n, dx);
        return ND_OK;
    case ND_DERIV_SAVGOL:
        return savgol(x, n, h, o->window, o->order, dx, err);
    case ND_DERIV_TV:
        return nd_deriv_tv(x, n, h, o->alpha, o->iters, dx, info, err);
    }
    return nd_error_fail(err, ND_EVALUE, "unknown derivative method %d", (int)o->method);
}
