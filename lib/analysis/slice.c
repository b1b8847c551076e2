/* Slices of a model: fixed or quasi-steady other states, and the slice's equilibria. */
#include "slice.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

nd_status nd_slice_init(nd_slice *s, const nd_model *m, const double *p, int ix, int iy,
                        const double *base, int qss, nd_error *err)
{
    memset(s, 0, sizeof *s);
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    if (ix < 0 || iy < 0 || ix == iy || (size_t)ix >= n || (size_t)iy >= n)
        return nd_error_fail(err, ND_EVALUE, "a slice needs two different states");
    s->m = m;
    s->p = p;
    s->n = n;
    s->ix = ix;
    s->iy = iy;
    s->qss = qss && n > 2;
    s->base = malloc((7 * n + 2 * n * n) * sizeof *s->base);
    s->piv = malloc(n * sizeof(lapack_int));
    if (!s->base || !s->piv) {
        nd_slice_free(s);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    s->guess = s->base + n;
    s->y = s->guess + n;
    s->f = s->y + n;
    s->rhs = s->f + n;
    s->J = s->rhs + n;
    s->sub = s->J + n * n;
    s->st = s->sub + n * n;
    memcpy(s->base, base, n * sizeof *base);
    memcpy(s->guess, base, n * sizeof *base);
    return ND_OK;
}

void nd_slice_free(nd_slice *s)
{
    free(s->base);
    free(s->piv);
    memset(s, 0, sizeof *s);
}

/* Newton on the other states of s->y (X, Y fixed); 0 when converged. */
static int qss_newton(nd_slice *s)
{
    size_t n = s->n, k = 0;
    for (int it = 0; it < 40; it++) {
        nd_model_rhs(s->m, 0, s->y, s->p, s->f);
        if (nd_eq_jacobian(s->m, s->p, s->y, s->J, NULL) != ND_OK) return -1;
        k = 0;
        for (size_t i = 0; i < n; i++) {
            if ((int)i == s->ix || (int)i == s->iy) continue;
            size_t c = 0;
            for (size_t j = 0; j < n; j++)
                if ((int)j != s->ix && (int)j != s->iy) s->sub[k * (n - 2) + c++] = s->J[i * n + j];
            s->rhs[k++] = -s->f[i];
        }
        if (LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)k, 1, s->sub, (lapack_int)k,
                          (lapack_int *)s->piv, s->rhs, 1) != 0)
            return -1;
        int small = 1;
        k = 0;
        for (size_t i = 0; i < n; i++) {
            if ((int)i == s->ix || (int)i == s->iy) continue;
            double d = s->rhs[k++];
            if (!isfinite(d)) return -1;
            s->y[i] += d;
            if (fabs(d) > 1e-11 * (1 + fabs(s->y[i]))) small = 0;
        }
        if (small) return 0;
    }
    return -1;
}

int nd_slice_state(nd_slice *s, double x, double y, double *state)
{
    const double *starts[2] = {s->guess, s->base};
    for (int attempt = 0; attempt < (s->qss ? 2 : 1); attempt++) {
        memcpy(s->y, starts[attempt], s->n * sizeof *s->y);
        s->y[s->ix] = x;
        s->y[s->iy] = y;
        if (!s->qss || qss_newton(s) == 0) {
            memcpy(state, s->y, s->n * sizeof *state);
            if (s->qss) memcpy(s->guess, s->y, s->n * sizeof *s->y);
            return 0;
        }
    }
    return -1;
}

void nd_slice_rhs(nd_slice *s, double x, double y, double *fx, double *fy)
{
    double *state = s->st;
    *fx = *fy = NAN;
    if (nd_slice_state(s, x, y, state) == 0) {
        double *f = state + s->n;
        nd_model_rhs(s->m, 0, state, s->p, f);
        *fx = f[s->ix];
        *fy = f[s->iy];
    }
}

/* The 2 x 2 Jacobian of the slice at (x, y) by central differences. */
static void slice_jac(nd_slice *s, double x, double y, double J[4])
{
    double hx = 1e-6 * fmax(1, fabs(x)), hy = 1e-6 * fmax(1, fabs(y)), a, b, c, d;
    nd_slice_rhs(s, x + hx, y, &a, &b);
    nd_slice_rhs(s, x - hx, y, &c, &d);
    J[0] = (a - c) / (2 * hx);
    J[2] = (b - d) / (2 * hx);
    nd_slice_rhs(s, x, y + hy, &a, &b);
    nd_slice_rhs(s, x, y - hy, &c, &d);
    J[1] = (a - c) / (2 * hy);
    J[3] = (b - d) / (2 * hy);
}

/* Eigenvalues of a 2 x 2 matrix, sorted by decreasing real part. */
static void eig2(const double J[4], double re[2], double im[2])
{
    double tr = J[0] + J[3], det = J[0] * J[3] - J[1] * J[2], disc = tr * tr / 4 - det;
    if (disc >= 0) {
        re[0] = tr / 2 + sqrt(disc);
        re[1] = tr / 2 - sqrt(disc);
        im[0] = im[1] = 0;
    } else {
        re[0] = re[1] = tr / 2;
        im[0] = sqrt(-disc);
        im[1] = -im[0];
    }
}

static int newton2(nd_slice *s, double *x, double *y)
{
    for (int it = 0; it < 50; it++) {
        double fx, fy, J[4];
        nd_slice_rhs(s, *x, *y, &fx, &fy);
        slice_jac(s, *x, *y, J);
        double det = J[0] * J[3] - J[1] * J[2];
        if (!isfinite(fx) || !isfinite(fy) || !isfinite(det) || det == 0) return -1;
        double dx = -(J[3] * fx - J[1] * fy) / det, dy = -(-J[2] * fx + J[0] * fy) / det;
        *x += dx;
        *y += dy;
        if (!isfinite(*x) || !isfinite(*y)) return -1;
        if (fabs(dx) <= 1e-10 * (1 + fabs(*x)) && fabs(dy) <= 1e-10 * (1 + fabs(*y))) return 0;
    }
    return -1;
}

nd_status nd_slice_equilibria(nd_slice *s, const double *lo, const double *hi,
                              nd_eq_list *out, nd_error *err)
{
    enum { K = 12 };
    double scale[2] = {hi[0] - lo[0], hi[1] - lo[1]};
    for (int i = 0; i < K; i++)
        for (int j = 0; j < K; j++) {
            double pt[2] = {lo[0] + scale[0] * (i + 0.5) / K, lo[1] + scale[1] * (j + 0.5) / K};
            if (newton2(s, &pt[0], &pt[1]) != 0) continue;
            double J[4], re[2], im[2];
            slice_jac(s, pt[0], pt[1], J);
            eig2(J, re, im);
            if (nd_eq_list_add(out, pt, re, im, nd_eq_classify(re, im, 2), scale) < 0)
                return nd_error_fail(err, ND_ENOMEM, "out of memory");
        }
    nd_eq_list_sort(out);
    return ND_OK;
}
