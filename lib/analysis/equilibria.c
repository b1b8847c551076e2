/* Equilibria: damped Newton, eigenvalues, classification and the seeded search. Newton
   uses the symbolic Jacobian because finite differences lose half the digits near stiff
   gates; the step is halved until the residual drops so that seeds far from a root (a
   grid spans the whole box) do not fly off to infinity. */
#include "equilibria.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/rng.h"

nd_status nd_eq_jacobian(const nd_model *m, const double *p, const double *x, double *J,
                         nd_error *err)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    if (!nd_model_has_jac(m) || nd_model_jac(m, 0, x, p, J) != 0) {
        /* central differences: the model has a function that could not be differentiated */
        double *xp = malloc(3 * n * sizeof *xp);
        if (!xp) return nd_error_fail(err, ND_ENOMEM, "out of memory");
        double *fp = xp + n, *fm = fp + n;
        memcpy(xp, x, n * sizeof *xp);
        for (size_t j = 0; j < n; j++) {
            double h = 1e-6 * fmax(1.0, fabs(x[j]));
            xp[j] = x[j] + h;
            nd_model_rhs(m, 0, xp, p, fp);
            xp[j] = x[j] - h;
            nd_model_rhs(m, 0, xp, p, fm);
            xp[j] = x[j];
            for (size_t i = 0; i < n; i++) J[i * n + j] = (fp[i] - fm[i]) / (2 * h);
        }
        free(xp);
    }
    for (size_t i = 0; i < n * n; i++)
        if (!isfinite(J[i]))
            return nd_error_fail(err, ND_ESOLVER, "the Jacobian is not finite at this state");
    return ND_OK;
}

static double norm2(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += v[i] * v[i];
    return isfinite(s) ? sqrt(s) : INFINITY;
}

nd_status nd_eq_newton(const nd_model *m, const double *p, double *x, double tol, int maxit,
                       nd_error *err)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    if (n == 0) return nd_error_fail(err, ND_EVALUE, "the model has no state variables");
    double *w = malloc((n * n + 4 * n) * sizeof *w);
    lapack_int *piv = malloc(n * sizeof *piv);
    if (!w || !piv) {
        free(w);
        free(piv);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    double *J = w, *f = J + n * n, *dx = f + n, *xt = dx + n, *ft = xt + n;
    nd_status st = ND_ESOLVER;
    nd_model_rhs(m, 0, x, p, f);
    double fn = norm2(f, n);
    for (int it = 0; it < maxit && isfinite(fn); it++) {
        if (nd_eq_jacobian(m, p, x, J, NULL) != ND_OK) break;
        for (size_t i = 0; i < n; i++) dx[i] = -f[i];
        if (LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)n, 1, J, (lapack_int)n, piv, dx, 1)
            != 0)
            break;   /* singular Jacobian: no Newton direction */
        int small = 1;
        for (size_t i = 0; i < n; i++)
            if (!(fabs(dx[i]) <= tol * (1 + fabs(x[i])))) small = 0;
        double lam = 1, ftn = INFINITY;
        for (int k = 0; k < 30; k++, lam *= 0.5) {
            for (size_t i = 0; i < n; i++) xt[i] = x[i] + lam * dx[i];
            nd_model_rhs(m, 0, xt, p, ft);
            ftn = norm2(ft, n);
            if (ftn < fn || (small && isfinite(ftn))) break;
        }
        if (!isfinite(ftn)) break;
        memcpy(x, xt, n * sizeof *x);
        memcpy(f, ft, n * sizeof *f);
        fn = ftn;
        if (small) {
            st = ND_OK;
            break;
        }
    }
    free(w);
    free(piv);
    if (st != ND_OK)
        nd_error_fail(err, ND_ESOLVER, "Newton's method did not converge to an equilibrium");
    return st;
}

static int cmp_eig(double ra, double ia, double rb, double ib)
{
    if (ra != rb) return ra > rb ? -1 : 1;
    if (ia != ib) return ia > ib ? -1 : 1;
    return 0;
}

nd_status nd_eq_eigen(const nd_model *m, const double *p, const double *x, double *re,
                      double *im, nd_error *err)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    double *J = malloc(n * n * sizeof *J);
    if (!J) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_status st = nd_eq_jacobian(m, p, x, J, err);
    if (st == ND_OK && LAPACKE_dgeev(LAPACK_ROW_MAJOR, 'N', 'N', (lapack_int)n, J,
                                     (lapack_int)n, re, im, NULL, 1, NULL, 1) != 0)
        st = nd_error_fail(err, ND_ESOLVER, "the eigenvalue computation (dgeev) failed");
    free(J);
    if (st != ND_OK) return st;
    for (size_t i = 1; i < n; i++)   /* insertion sort: n is small */
        for (size_t j = i; j > 0 && cmp_eig(re[j], im[j], re[j - 1], im[j - 1]) < 0; j--) {
            double t = re[j]; re[j] = re[j - 1]; re[j - 1] = t;
            t = im[j]; im[j] = im[j - 1]; im[j - 1] = t;
        }
    return ND_OK;
}

nd_status nd_eq_linearise(const nd_model *m, const double *p, const double *x, nd_eq_list *l,
                          double *max_rate, nd_error *err)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    double *w = malloc(3 * (n ? n : 1) * sizeof *w), *f = w + 2 * n;
    if (!w) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_status st = nd_eq_eigen(m, p, x, w, w + n, err);
    if (st == ND_OK && nd_eq_list_add(l, x, w, w + n, nd_eq_classify(w, w + n, n), NULL) < 0)
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) {
        nd_model_rhs(m, 0, x, p, f);
        *max_rate = 0;
        for (size_t i = 0; i < n; i++) *max_rate = fmax(*max_rate, fabs(f[i]));
    }
    free(w);
    return st;
}

nd_eq_kind nd_eq_classify(const double *re, const double *im, size_t n)
{
    double mag = 1;
    for (size_t i = 0; i < n; i++) mag = fmax(mag, hypot(re[i], im[i]));
    double eps = 1e-9 * mag;
    size_t pos = 0, neg = 0, zero = 0, zero_real = 0;
    for (size_t i = 0; i < n; i++) {
        if (re[i] > eps) pos++;
        else if (re[i] < -eps) neg++;
        else {
            zero++;
            if (fabs(im[i]) <= eps) zero_real++;
        }
    }
    if (n == 0) return ND_EQ_NONHYPERBOLIC;
    if (zero == n && zero_real == 0) return ND_EQ_CENTER;
    if (zero) return ND_EQ_NONHYPERBOLIC;
    /* the leading eigenvalue (largest real part) decides how trajectories approach (or,
       for unstable points, leave): spiralling when it is one of a complex pair */
    int complex_lead = fabs(im[0]) > eps;
    if (pos && neg) return complex_lead ? ND_EQ_SADDLE_FOCUS : ND_EQ_SADDLE;
    if (neg) return complex_lead ? ND_EQ_STABLE_FOCUS : ND_EQ_STABLE_NODE;
    return complex_lead ? ND_EQ_UNSTABLE_FOCUS : ND_EQ_UNSTABLE_NODE;
}

const char *nd_eq_kind_name(nd_eq_kind k)
{
    static const char *const names[] = {"stable node", "stable focus", "unstable node",
                                        "unstable focus", "saddle", "saddle-focus", "centre",
                                        "non-hyperbolic"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

int nd_eq_kind_stable(nd_eq_kind k)
{
    return k == ND_EQ_STABLE_NODE || k == ND_EQ_STABLE_FOCUS;
}

void nd_eq_list_init(nd_eq_list *l, size_t n)
{
    memset(l, 0, sizeof *l);
    l->n = n;
}

void nd_eq_list_free(nd_eq_list *l)
{
    free(l->x);
    free(l->re);
    free(l->im);
    free(l->kind);
    nd_eq_list_init(l, l->n);
}

static int grow(double **a, size_t n)
{
    double *t = realloc(*a, n * sizeof *t);
    if (!t) return -1;
    *a = t;
    return 0;
}

int nd_eq_list_add(nd_eq_list *l, const double *x, const double *re, const double *im,
                   nd_eq_kind kind, const double *scale)
{
    size_t n = l->n;
    for (size_t k = 0; k < l->count; k++) {
        const double *y = l->x + k * n;
        size_t i = 0;
        while (i < n && fabs(x[i] - y[i]) <= 1e-6 * (fabs(x[i]) + (scale ? scale[i] : 1))) i++;
        if (i == n) return 0;
    }
    if (l->count == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 4;
        nd_eq_kind *kd = realloc(l->kind, cap * sizeof *kd);
        if (!kd) return -1;
        l->kind = kd;
        if (grow(&l->x, cap * n) || grow(&l->re, cap * n) || grow(&l->im, cap * n)) return -1;
        l->cap = cap;
    }
    memcpy(l->x + l->count * n, x, n * sizeof *x);
    memcpy(l->re + l->count * n, re, n * sizeof *re);
    memcpy(l->im + l->count * n, im, n * sizeof *im);
    l->kind[l->count++] = kind;
    return 1;
}

static void swap_points(nd_eq_list *l, size_t a, size_t b, double *tmp)
{
    size_t n = l->n, sz = n * sizeof *tmp;
    double *arrs[3] = {l->x, l->re, l->im};
    for (int k = 0; k < 3; k++) {
        memcpy(tmp, arrs[k] + a * n, sz);
        memcpy(arrs[k] + a * n, arrs[k] + b * n, sz);
        memcpy(arrs[k] + b * n, tmp, sz);
    }
    nd_eq_kind t = l->kind[a];
    l->kind[a] = l->kind[b];
    l->kind[b] = t;
}

void nd_eq_list_sort(nd_eq_list *l)
{
    if (l->count < 2 || l->n == 0) return;
    double *tmp = malloc(l->n * sizeof *tmp);
    if (!tmp) return;   /* order is cosmetic */
    for (size_t i = 1; i < l->count; i++)
        for (size_t j = i; j > 0 && l->x[j * l->n] < l->x[(j - 1) * l->n]; j--)
            swap_points(l, j, j - 1, tmp);
    free(tmp);
}

/* Runs Newton from seed x (overwritten) and adds the root it reaches, if any. */
static nd_status try_seed(const nd_model *m, const double *p, double *x, double *re,
                          double *im, const double *scale, nd_eq_list *out, nd_error *err)
{
    if (nd_eq_newton(m, p, x, 1e-12, 60, NULL) != ND_OK) return ND_OK;
    if (nd_eq_eigen(m, p, x, re, im, NULL) != ND_OK) return ND_OK;
    int r = nd_eq_list_add(out, x, re, im, nd_eq_classify(re, im, out->n), scale);
    return r < 0 ? nd_error_fail(err, ND_ENOMEM, "out of memory") : ND_OK;
}

nd_status nd_eq_find_all(const nd_model *m, const double *p, const nd_eq_seeds *seeds,
                         nd_eq_list *out, nd_error *err)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    if (n == 0 || out->n != n)
        return nd_error_fail(err, ND_EVALUE, "equilibria need a model with state variables");
    size_t d = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(seeds->lo[i]) || !isfinite(seeds->hi[i]) || seeds->lo[i] > seeds->hi[i])
            return nd_error_fail(err, ND_EVALUE, "bad seed range for state %s",
                                 nd_model_item_at(m, ND_MODEL_STATE, i)->name);
        d += seeds->lo[i] < seeds->hi[i];
    }
    size_t k = seeds->per_axis;
    if (k == 0) k = d ? (size_t)fmax(2, floor(pow(400.0, 1.0 / (double)d) + 1e-9)) : 1;
    double total = d ? pow((double)k, (double)d) : 1;
    if (total > 1e5)
        return nd_error_fail(err, ND_EVALUE, "%.0f seeds is too many (at most 100000): "
                             "narrow the ranges or lower seeds=", total);
    double *w = malloc(5 * n * sizeof *w);
    size_t *idx = calloc(n, sizeof *idx);
    if (!w || !idx) {
        free(w);
        free(idx);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    double *x = w, *re = x + n, *im = re + n, *scale = im + n;
    for (size_t i = 0; i < n; i++) {
        double r = seeds->hi[i] - seeds->lo[i];
        scale[i] = r > 0 ? r : fmax(1, fabs(seeds->lo[i]));
    }
    nd_status st = ND_OK;
    for (size_t s = 0; st == ND_OK && s < (size_t)total; s++) {
        for (size_t i = 0; i < n; i++) {
            double lo = seeds->lo[i], hi = seeds->hi[i];
            x[i] = lo < hi ? lo + (hi - lo) * (double)idx[i] / (double)(k - 1 ? k - 1 : 1) : lo;
        }
        st = try_seed(m, p, x, re, im, scale, out, err);
        for (size_t i = 0; i < n; i++) {   /* next grid point: a mixed-radix counter */
            if (!(seeds->lo[i] < seeds->hi[i])) continue;
            if (++idx[i] < k) break;
            idx[i] = 0;
        }
    }
    for (size_t s = 0; st == ND_OK && s < seeds->nextra; s++) {
        memcpy(x, seeds->extra + s * n, n * sizeof *x);
        st = try_seed(m, p, x, re, im, scale, out, err);
    }
    free(w);
    free(idx);
    if (st == ND_OK) nd_eq_list_sort(out);
    return st;
}

static int dimensionless(const char *unit)
{
    return !unit || !*unit || strcmp(unit, "1") == 0;
}

/* Point k of the probe set over the states other than i: a grid of 5 values per state
   (k < 5^(n-1)) for n <= 5, else the k-th of a seeded uniform sequence; x[i] untouched. */
static void probe_point(const double *lo, const double *hi, size_t n, size_t i, size_t k,
                        nd_rng *rng, double *x)
{
    for (size_t j = 0; j < n; j++) {
        if (j == i) continue;
        double u;
        if (n <= 5) {
            u = (double)(k % 5) / 4;
            k /= 5;
        } else {
            u = nd_rng_uniform(rng);
        }
        x[j] = lo[j] + u * (hi[j] - lo[j]);
    }
}

/* 1 when state i's flow points into [0, 1] at both ends at every probe point. */
static int keeps_unit_interval(const nd_model *m, const double *p, const double *lo,
                               const double *hi, size_t i, double *x, double *f)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE), probes = 256;
    if (n <= 5)
        for (size_t j = probes = 1; j < n; j++) probes *= 5;
    nd_rng rng;
    nd_rng_seed(&rng, 0x9a7e5);
    for (size_t k = 0; k < probes; k++) {
        probe_point(lo, hi, n, i, k, &rng, x);
        for (int end = 0; end <= 1; end++) {
            x[i] = end;
            if (nd_model_rhs(m, 0, x, p, f) != 0 || !isfinite(f[i])) return 0;
            if (end == 0 ? f[i] < 0 : f[i] > 0) return 0;
        }
    }
    return 1;
}

nd_status nd_eq_default_box(const nd_model *m, const double *p, const double *x0, double *lo,
                            double *hi)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    for (size_t i = 0; i < n; i++) {
        double r = fmax(1, 2 * fabs(x0[i]));
        lo[i] = x0[i] - r;
        hi[i] = x0[i] + r;
    }
    /* every gate is probed over the wide boxes of the others, so the order of the states
       does not matter */
    size_t k = n ? n : 1;
    double *x = malloc(4 * k * sizeof *x), *wlo = x + 2 * k, *whi = x + 3 * k;
    if (!x) return ND_ENOMEM;
    memcpy(wlo, lo, n * sizeof *lo);
    memcpy(whi, hi, n * sizeof *hi);
    for (size_t i = 0; i < n; i++)
        if (x0[i] >= 0 && x0[i] <= 1 && dimensionless(nd_model_item_at(m, ND_MODEL_STATE, i)->unit) &&
            keeps_unit_interval(m, p, wlo, whi, i, x, x + k))
            lo[i] = 0, hi[i] = 1;
    free(x);
    return ND_OK;
}
