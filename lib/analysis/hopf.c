/* First Lyapunov coefficient. B(u, v) and C(u, u, v) of the Taylor expansion
   f(x0 + y) = A y + B(y, y)/2 + C(y, y, y)/6 + … are taken as first and second central
   differences of the Jacobian: B(u, v) = d/dh [J(x0 + h u) v], C(u, u, v) = d²/dh²
   [J(x0 + h u) v]. Differencing the symbolic Jacobian rather than f itself keeps one
   order of differentiation exact, which matters for the third derivatives. Complex
   arguments are expanded into real and imaginary parts by multilinearity. */
#include "hopf.h"

#include <complex.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "equilibria.h"

typedef struct forms {
    const nd_model *m;
    const double *p, *x;
    size_t n;
    double h;
    double *xs, *Jp, *Jm, *J0, *tmp;   /* scratch */
} forms;

static void matvec(const double *J, const double *v, double *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double s = 0;
        for (size_t j = 0; j < n; j++) s += J[i * n + j] * v[j];
        out[i] = s;
    }
}

/* J(x0 ± h u) into f->Jp, f->Jm. */
static int shifted(forms *f, const double *u)
{
    for (int sgn = 1; sgn >= -1; sgn -= 2) {
        for (size_t i = 0; i < f->n; i++) f->xs[i] = f->x[i] + sgn * f->h * u[i];
        if (nd_eq_jacobian(f->m, f->p, f->xs, sgn > 0 ? f->Jp : f->Jm, NULL) != ND_OK)
            return -1;
    }
    return 0;
}

/* B(u, v) into out. */
static int form_b(forms *f, const double *u, const double *v, double *out)
{
    if (shifted(f, u)) return -1;
    matvec(f->Jp, v, out, f->n);
    matvec(f->Jm, v, f->tmp, f->n);
    for (size_t i = 0; i < f->n; i++) out[i] = (out[i] - f->tmp[i]) / (2 * f->h);
    return 0;
}

/* C(u, u, v) into out. */
static int form_c(forms *f, const double *u, const double *v, double *out)
{
    if (shifted(f, u)) return -1;
    size_t n = f->n;
    matvec(f->Jp, v, out, n);
    matvec(f->Jm, v, f->tmp, n);
    for (size_t i = 0; i < n; i++) out[i] += f->tmp[i];
    matvec(f->J0, v, f->tmp, n);
    for (size_t i = 0; i < n; i++) out[i] = (out[i] - 2 * f->tmp[i]) / (f->h * f->h);
    return 0;
}

/* ⟨p, re + i im⟩ = Σ conj(p_i)(re_i + i im_i). */
static double complex inner(const double complex *p, const double *re, const double *im,
                            size_t n)
{
    double complex s = 0;
    for (size_t i = 0; i < n; i++) s += conj(p[i]) * (re[i] + I * (im ? im[i] : 0));
    return s;
}

/* Right and left eigenvectors q, pv for the eigenvalue nearest iω of J (destroyed). */
static int eigvecs(double *J, size_t n, double omega, double complex *q, double complex *pv)
{
    double *w = malloc((2 * n + 2 * n * n) * sizeof *w);
    if (!w) return -1;
    double *wr = w, *wi = wr + n, *vl = wi + n, *vr = vl + n * n;
    int rc = -1;
    if (LAPACKE_dgeev(LAPACK_ROW_MAJOR, 'V', 'V', (lapack_int)n, J, (lapack_int)n, wr, wi, vl,
                      (lapack_int)n, vr, (lapack_int)n) == 0) {
        size_t k = n;
        double best = INFINITY;
        for (size_t i = 0; i + 1 < n; i++)
            if (wi[i] > 0 && hypot(wr[i], wi[i] - omega) < best)
                best = hypot(wr[i], wi[i] - omega), k = i;
        if (k < n && best <= 1e-4 * fmax(1, omega)) {
            /* dgeev stores a pair as columns k (real part) and k+1 (imaginary part); vl
               satisfies vlᴴ J = λ vlᴴ, i.e. Jᵀ vl = conj(λ) vl, as p must */
            for (size_t i = 0; i < n; i++) {
                q[i] = vr[i * n + k] + I * vr[i * n + k + 1];
                pv[i] = vl[i * n + k] + I * vl[i * n + k + 1];
            }
            rc = 0;
        }
    }
    free(w);
    return rc;
}

/* Solves the real system M z = b (size N, M destroyed); 0 or -1. */
static int solve(double *M, double *b, size_t N)
{
    lapack_int *piv = malloc(N * sizeof *piv);
    int rc = piv && LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)N, 1, M, (lapack_int)N, piv,
                                  b, 1) == 0 ? 0 : -1;
    free(piv);
    return rc;
}

/* The bracket of eq. 3.20 given normalised q = a + i b and p. */
static int l1_terms(forms *f, const double *A, double omega, const double *a, const double *b,
                    const double complex *p, double complex *sum, double *w)
{
    size_t n = f->n;
    double *t1 = w, *t2 = t1 + n, *r = t2 + n, *sr = r + n, *si = sr + n, *M = si + n;
    double *c_re = M + 4 * n * n, *c_im = c_re + n, *cr = c_im + n;
    /* C(q, q, q̄) = C(a,a,a) + C(b,b,a) + i (C(a,a,b) + C(b,b,b)) */
    if (form_c(f, a, a, c_re) || form_c(f, b, a, cr)) return -1;
    for (size_t i = 0; i < n; i++) c_re[i] += cr[i];
    if (form_c(f, a, b, c_im) || form_c(f, b, b, cr)) return -1;
    for (size_t i = 0; i < n; i++) c_im[i] += cr[i];
    double complex s = inner(p, c_re, c_im, n);
    /* r = A⁻¹ B(q, q̄), B(q, q̄) = B(a,a) + B(b,b); then −2 ⟨p, B(q, r)⟩ */
    if (form_b(f, a, a, r) || form_b(f, b, b, t1)) return -1;
    for (size_t i = 0; i < n; i++) r[i] += t1[i];
    memcpy(M, A, n * n * sizeof *M);
    if (solve(M, r, n)) return -1;
    if (form_b(f, a, r, t1) || form_b(f, b, r, t2)) return -1;
    s -= 2 * inner(p, t1, t2, n);
    /* s = (2iω − A)⁻¹ B(q, q) with B(q, q) = B(a,a) − B(b,b) + 2i B(a,b), as a real
       2n system [−A, −2ω; 2ω, −A] (sr; si) = (Re; Im) */
    if (form_b(f, a, a, sr) || form_b(f, b, b, t1) || form_b(f, a, b, si)) return -1;
    for (size_t i = 0; i < n; i++) sr[i] -= t1[i], si[i] *= 2;
    size_t N = 2 * n;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double d = i == j ? 2 * omega : 0;
            M[i * N + j] = -A[i * n + j];
            M[i * N + n + j] = -d;
            M[(n + i) * N + j] = d;
            M[(n + i) * N + n + j] = -A[i * n + j];
        }
    double *z = t1;   /* 2n values: t1 and t2 are adjacent */
    memcpy(z, sr, n * sizeof *z);
    memcpy(z + n, si, n * sizeof *z);
    if (solve(M, z, N)) return -1;
    memcpy(sr, z, n * sizeof *sr);
    memcpy(si, z + n, n * sizeof *si);
    /* B(q̄, s) = B(a, sr) + B(b, si) + i (B(a, si) − B(b, sr)) */
    double *br = c_re, *bi = c_im;
    if (form_b(f, a, sr, br) || form_b(f, b, si, cr)) return -1;
    for (size_t i = 0; i < n; i++) br[i] += cr[i];
    if (form_b(f, a, si, bi) || form_b(f, b, sr, cr)) return -1;
    for (size_t i = 0; i < n; i++) bi[i] -= cr[i];
    s += inner(p, br, bi, n);
    *sum = s;
    return 0;
}

nd_status nd_hopf_l1(const nd_model *m, const double *p, const double *x, double omega,
                     double *l1, nd_error *err)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    if (n < 2 || !(omega > 0))
        return nd_error_fail(err, ND_EVALUE, "a Hopf point needs two states and ω > 0");
    double *w = malloc((5 * n * n + 2 * n + 9 * n + 4 * n * n + 3 * n) * sizeof *w);
    double complex *q = malloc(2 * n * sizeof *q);
    if (!w || !q) {
        free(w);
        free(q);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    double xmax = 0;
    for (size_t i = 0; i < n; i++) xmax = fmax(xmax, fabs(x[i]));
    forms f = {m, p, x, n, 1e-4 * fmax(1, xmax), NULL, NULL, NULL, NULL, NULL};
    double *A = w, *Jw = A + n * n;
    f.J0 = Jw + n * n;
    f.Jp = f.J0 + n * n;
    f.Jm = f.Jp + n * n;
    f.xs = f.Jm + n * n;
    f.tmp = f.xs + n;
    double *a = f.tmp + n, *b = a + n, *scratch = b + n;
    double complex *pv = q + n, sum = 0;
    nd_status st = nd_eq_jacobian(m, p, x, A, err);
    if (st == ND_OK) {
        memcpy(f.J0, A, n * n * sizeof *A);
        memcpy(Jw, A, n * n * sizeof *A);
        if (eigvecs(Jw, n, omega, q, pv))
            st = nd_error_fail(err, ND_ESOLVER, "no eigenvalue near i·%g at the Hopf point", omega);
    }
    if (st == ND_OK) {
        double nq = 0;
        for (size_t i = 0; i < n; i++) nq += creal(q[i] * conj(q[i]));
        nq = sqrt(nq);
        double complex pq = 0;
        for (size_t i = 0; i < n; i++) q[i] /= nq, pq += conj(pv[i]) * q[i];
        for (size_t i = 0; i < n; i++) {
            pv[i] /= conj(pq);   /* now ⟨p, q⟩ = 1 */
            a[i] = creal(q[i]);
            b[i] = cimag(q[i]);
        }
        if (l1_terms(&f, A, omega, a, b, pv, &sum, scratch))
            st = nd_error_fail(err, ND_ESOLVER, "a linear solve failed in the Lyapunov "
                               "coefficient (the Hopf point is degenerate)");
    }
    if (st == ND_OK) *l1 = creal(sum) / (2 * omega);
    free(w);
    free(q);
    return st;
}
