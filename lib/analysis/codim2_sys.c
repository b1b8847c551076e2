/* The defining systems of fold and Hopf curves and their test functions.

   Fold: the minimally augmented system (Govaerts 2000, §4.1; Kuznetsov 3rd ed. §10.3)
   f(x, α) = 0, g(x, α) = 0, with g from the bordered system [A b; cᵀ 0][v; g] = [0; 1]
   (A = f_x): g vanishes exactly where A is singular, and g_z = −wᵀ A_z v with w from the
   transposed system, so one LU gives the residual and its gradient.

   Hopf: the standard augmented system (Kuznetsov §10.3) f = 0, A²v + κv = 0,
   ⟨v, v⟩ = 1, ⟨v, v0⟩ = 0: A has eigenvalues ±i√κ with v in their real eigenspace. It
   needs no complex arithmetic, and κ passes through 0 at a Bogdanov–Takens point.

   Derivatives of A come from the model's symbolic Jacobian differenced once: the
   Hessian is symmetric, so the matrix of columns A_{x_k} v is d/dh J(x + h v) — two
   Jacobian evaluations per vector, not 2n. */
#include "codim2_impl.h"

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "equilibria.h"
#include "hopf.h"

static double dot(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

static double norm(const double *a, size_t n) { return sqrt(dot(a, a, n)); }

static double maxabs(const double *a, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s = fmax(s, fabs(a[i]));
    return s;
}

static void matvec(const double *A, const double *v, double *out, size_t n)
{
    for (size_t i = 0; i < n; i++) out[i] = dot(A + i * n, v, n);
}

double nd_c2_param(const nd_c2_sys *S, const double *u, int j)
{
    return u[S->n + (size_t)j] * S->sc[S->n + (size_t)j];
}

void nd_c2_state(const nd_c2_sys *S, const double *u, double *x)
{
    for (size_t i = 0; i < S->n; i++) x[i] = u[i] * S->sc[i];
}

/* Sets S->x and S->p from u. */
static void unscale(nd_c2_sys *S, const double *u)
{
    nd_c2_state(S, u, S->x);
    for (int j = 0; j < 2; j++) S->p[S->par[j]] = nd_c2_param(S, u, j);
}

/* D_w J = d/dh J(x + h w) into out (n × n); 0 or -1. */
static int dir_jac(nd_c2_sys *S, const double *w, double *out)
{
    size_t n = S->n;
    double wn = maxabs(w, n);
    if (!(wn > 0)) {
        memset(out, 0, n * n * sizeof *out);
        return 0;
    }
    double h = 1e-5 * fmax(1, maxabs(S->x, n)) / wn;
    for (size_t i = 0; i < n; i++) S->tmp[i] = S->x[i] + h * w[i];
    if (nd_eq_jacobian(S->m, S->p, S->tmp, out, NULL) != ND_OK) return -1;
    for (size_t i = 0; i < n; i++) S->tmp[i] = S->x[i] - h * w[i];
    if (nd_eq_jacobian(S->m, S->p, S->tmp, S->A2, NULL) != ND_OK) return -1;
    for (size_t i = 0; i < n * n; i++) out[i] = (out[i] - S->A2[i]) / (2 * h);
    return 0;
}

/* ∂A/∂p_j (the real parameter) into out; 0 or -1. */
static int par_jac(nd_c2_sys *S, int j, double *out)
{
    size_t n = S->n;
    int k = S->par[j];
    double p0 = S->p[k], h = 1e-6 * fmax(1, fabs(p0));
    S->p[k] = p0 + h;
    int rc = nd_eq_jacobian(S->m, S->p, S->x, out, NULL) != ND_OK;
    S->p[k] = p0 - h;
    rc |= nd_eq_jacobian(S->m, S->p, S->x, S->A2, NULL) != ND_OK;
    S->p[k] = p0;
    for (size_t i = 0; i < n * n; i++) out[i] = (out[i] - S->A2[i]) / (2 * h);
    return rc ? -1 : 0;
}

/* ∂f/∂p_j into out (n); 0 or -1. */
static int f_par(nd_c2_sys *S, int j, double *out)
{
    size_t n = S->n;
    int k = S->par[j];
    if (nd_model_has_jac(S->m) && nd_model_jacp(S->m, 0, S->x, S->p, S->Jp) == 0) {
        for (size_t i = 0; i < n; i++) out[i] = S->Jp[i * S->npar + (size_t)k];
        return 0;
    }
    double p0 = S->p[k], h = 1e-6 * fmax(1, fabs(p0));
    S->p[k] = p0 + h;
    nd_model_rhs(S->m, 0, S->x, S->p, out);
    S->p[k] = p0 - h;
    nd_model_rhs(S->m, 0, S->x, S->p, S->tmp);
    S->p[k] = p0;
    for (size_t i = 0; i < n; i++) out[i] = (out[i] - S->tmp[i]) / (2 * h);
    return 0;
}

/* The bordered system of the fold at S->x: v, w, g into S->fv, S->fw, S->g; 0 or -1. */
static int bordered(nd_c2_sys *S)
{
    size_t n = S->n, K = n + 1;
    double *B = S->bord;
    for (size_t i = 0; i < n; i++) {
        memcpy(B + i * K, S->A + i * n, n * sizeof *B);
        B[i * K + n] = S->b[i];
        B[n * K + i] = S->c[i];
    }
    B[n * K + n] = 0;
    if (LAPACKE_dgetrf(LAPACK_ROW_MAJOR, (lapack_int)K, (lapack_int)K, B, (lapack_int)K, S->piv))
        return -1;
    double *z = S->tmp2;   /* K values */
    memset(z, 0, K * sizeof *z);
    z[n] = 1;
    if (LAPACKE_dgetrs(LAPACK_ROW_MAJOR, 'N', (lapack_int)K, 1, B, (lapack_int)K, S->piv, z, 1))
        return -1;
    memcpy(S->fv, z, n * sizeof *z);
    S->g = z[n];
    memset(z, 0, K * sizeof *z);
    z[n] = 1;
    if (LAPACKE_dgetrs(LAPACK_ROW_MAJOR, 'T', (lapack_int)K, 1, B, (lapack_int)K, S->piv, z, 1))
        return -1;
    memcpy(S->fw, z, n * sizeof *z);
    return 0;
}

static int eval_fold(nd_c2_sys *S, double *F, double *Jac)
{
    size_t n = S->n, N = S->N;
    if (bordered(S)) return -1;
    F[n] = S->g;
    if (!Jac) return 0;
    /* row n: g_x = −wᵀ D_v J, g_pj = −wᵀ A_pj v */
    if (dir_jac(S, S->fv, S->Dv)) return -1;
    for (size_t k = 0; k < n; k++) {
        double s = 0;
        for (size_t i = 0; i < n; i++) s += S->fw[i] * S->Dv[i * n + k];
        Jac[n * N + k] = -s;
    }
    for (int j = 0; j < 2; j++) {
        if (par_jac(S, j, S->Ap)) return -1;
        matvec(S->Ap, S->fv, S->tmp, n);
        Jac[n * N + n + (size_t)j] = -dot(S->fw, S->tmp, n);
    }
    return 0;
}

static int eval_hopf(nd_c2_sys *S, const double *u, double *F, double *Jac)
{
    size_t n = S->n, N = S->N;
    const double *v = u + n + 2;   /* v and κ are unscaled (scale 1 and sc[N-1]) */
    double kap = u[N - 1] * S->sc[N - 1];
    double *Av = S->tmp2, *AAv = Av + n;
    matvec(S->A, v, Av, n);
    matvec(S->A, Av, AAv, n);
    for (size_t i = 0; i < n; i++) F[n + i] = AAv[i] + kap * v[i];
    F[2 * n] = 0.5 * (dot(v, v, n) - 1);
    F[2 * n + 1] = dot(v, S->v0, n);
    if (!Jac) return 0;
    /* rows n..2n−1: ∂(A²v)/∂x = D_{Av}J + A D_v J */
    if (dir_jac(S, Av, S->Dw) || dir_jac(S, v, S->Dv)) return -1;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < n; k++) {
            double s = S->Dw[i * n + k];
            for (size_t l = 0; l < n; l++) s += S->A[i * n + l] * S->Dv[l * n + k];
            Jac[(n + i) * N + k] = s;
        }
    for (int j = 0; j < 2; j++) {
        if (par_jac(S, j, S->Ap)) return -1;
        /* (A_p A + A A_p) v */
        double *t1 = S->tmp;
        matvec(S->Ap, Av, t1, n);
        for (size_t i = 0; i < n; i++) {
            double s = 0;
            for (size_t l = 0; l < n; l++) {
                double apv = 0;
                for (size_t q = 0; q < n; q++) apv += S->Ap[l * n + q] * v[q];
                s += S->A[i * n + l] * apv;
            }
            Jac[(n + i) * N + n + (size_t)j] = t1[i] + s;
        }
    }
    /* ∂/∂v: A² + κI; ∂/∂κ: v */
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < n; k++) {
            double a2 = 0;
            for (size_t l = 0; l < n; l++) a2 += S->A[i * n + l] * S->A[l * n + k];
            Jac[(n + i) * N + n + 2 + k] = a2 + (i == k ? kap : 0);
        }
        Jac[(n + i) * N + N - 1] = v[i] * S->sc[N - 1];
    }
    for (size_t k = 0; k < n; k++) {
        Jac[2 * n * N + n + 2 + k] = v[k];
        Jac[(2 * n + 1) * N + n + 2 + k] = S->v0[k];
    }
    return 0;
}

int nd_c2_eval(nd_c2_sys *S, const double *u, double *F, double *Jac)
{
    if (S->kind == ND_C2_LPC) return nd_lpc_eval(S, u, F, Jac);
    size_t n = S->n, N = S->N;
    unscale(S, u);
    nd_model_rhs(S->m, 0, S->x, S->p, F);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(F[i])) return -1;
    if (nd_eq_jacobian(S->m, S->p, S->x, S->A, NULL) != ND_OK) return -1;
    if (Jac) {
        memset(Jac, 0, S->M * N * sizeof *Jac);
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < n; k++) Jac[i * N + k] = S->A[i * n + k] * S->sc[k];
        for (int j = 0; j < 2; j++) {
            if (f_par(S, j, S->tmp2)) return -1;
            for (size_t i = 0; i < n; i++) Jac[i * N + n + (size_t)j] = S->tmp2[i];
        }
    }
    int rc = S->kind == ND_C2_FOLD ? eval_fold(S, F, Jac) : eval_hopf(S, u, F, Jac);
    if (rc) return -1;
    for (size_t i = 0; i < S->M; i++)
        if (!isfinite(F[i])) return -1;
    if (Jac) {
        /* rows n.. were written against real x and p: scale their columns */
        for (size_t i = n; i < S->M; i++) {
            for (size_t k = 0; k < n + 2; k++) Jac[i * N + k] *= S->sc[k];
        }
        for (size_t i = 0; i < n; i++)
            for (size_t j = n; j < n + 2; j++) Jac[i * N + j] *= S->sc[j];
        for (size_t i = 0; i < S->M * N; i++)
            if (!isfinite(Jac[i])) return -1;
    }
    return 0;
}

void nd_c2_accept(nd_c2_sys *S, const double *u)
{
    if (S->kind == ND_C2_LPC) {
        nd_lpc_accept(S, u);
        return;
    }
    size_t n = S->n;
    unscale(S, u);
    if (nd_eq_jacobian(S->m, S->p, S->x, S->A, NULL) != ND_OK) return;
    if (S->kind == ND_C2_FOLD) {
        if (bordered(S)) return;
        double nv = norm(S->fv, n), nw = norm(S->fw, n);
        if (!(nv > 0 && nw > 0)) return;
        for (size_t i = 0; i < n; i++) S->c[i] = S->fv[i] / nv, S->b[i] = S->fw[i] / nw;
        return;
    }
    const double *v = u + n + 2;
    matvec(S->A, v, S->tmp, n);
    double s = dot(S->tmp, v, n);
    for (size_t i = 0; i < n; i++) S->tmp[i] -= s * v[i];
    double nt = norm(S->tmp, n);
    if (nt > 0)
        for (size_t i = 0; i < n; i++) S->v0[i] = S->tmp[i] / nt;
}

/* Eigenvalues of S->A into S->re/im; 0 or -1. */
static int eigen(nd_c2_sys *S)
{
    size_t n = S->n;
    memcpy(S->A2, S->A, n * n * sizeof *S->A2);
    return LAPACKE_dgeev(LAPACK_ROW_MAJOR, 'N', 'N', (lapack_int)n, S->A2, (lapack_int)n, S->re,
                         S->im, NULL, 1, NULL, 1) ? -1 : 0;
}

/* Index of the critical eigenvalue: the one nearest 0 (fold) or i√κ (Hopf). */
static size_t critical(const nd_c2_sys *S, double omega)
{
    size_t k = 0;
    double best = INFINITY;
    for (size_t i = 0; i < S->n; i++) {
        double d = hypot(S->re[i], fabs(S->im[i]) - omega);
        if (d < best) best = d, k = i;
    }
    return k;
}

/* Whether eigenvalue i is critical (the fold's zero, or either of the Hopf pair). */
static int is_critical(const nd_c2_sys *S, size_t i, size_t k, double omega)
{
    if (i == k) return 1;
    return S->kind == ND_C2_HOPF && omega > 0 && fabs(S->re[i] - S->re[k]) <= 1e-12 * (1 + omega) &&
           fabs(S->im[i] + S->im[k]) <= 1e-12 * (1 + omega);
}

int nd_c2_tests(nd_c2_sys *S, const double *u, nd_c2_test *t)
{
    if (S->kind == ND_C2_LPC) return nd_lpc_tests(S, u, t);
    size_t n = S->n, N = S->N;
    unscale(S, u);
    if (nd_eq_jacobian(S->m, S->p, S->x, S->A, NULL) != ND_OK || eigen(S)) return -1;
    t->l1 = t->omega = t->a = t->period = NAN;
    t->end = NULL;
    double omega = 0;
    if (S->kind == ND_C2_HOPF) {
        double kap = u[N - 1] * S->sc[N - 1];
        t->bt = kap;
        omega = kap > 0 ? sqrt(kap) : 0;
        t->omega = omega;
        t->period = omega > 0 ? 2 * M_PI / omega : NAN;
        double complex det = 1;
        for (size_t i = 0; i < n; i++) det *= S->re[i] + I * S->im[i];
        t->cusp_or_zh = creal(det);
        double l1;
        if (omega > 0 && nd_hopf_l1(S->m, S->p, S->x, omega, &l1, NULL) == ND_OK) t->l1 = l1;
    } else {
        if (bordered(S)) return -1;
        double nv = norm(S->fv, n), nw = norm(S->fw, n);
        for (size_t i = 0; i < n; i++) S->tmp2[n + 1 + i] = S->fv[i] / nv;   /* q */
        double *q = S->tmp2 + n + 1;
        if (dir_jac(S, q, S->Dv)) return -1;
        matvec(S->Dv, q, S->tmp, n);   /* B(q, q) */
        double wq = dot(S->fw, q, n), wb = dot(S->fw, S->tmp, n);
        t->bt = wq / nw;
        t->cusp_or_zh = wb / nw;
        t->a = 0.5 * wb / wq;
    }
    size_t k = critical(S, omega);
    double mag = 1;
    for (size_t i = 0; i < n; i++) mag = fmax(mag, hypot(S->re[i], S->im[i]));
    t->n_unstable = t->other_cplx = t->other_real = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_critical(S, i, k, omega) || !(S->re[i] > 1e-10 * mag)) continue;
        t->n_unstable++;
        if (S->im[i] != 0) t->other_cplx++;
        else t->other_real++;
    }
    return 0;
}

double nd_c2_track(nd_c2_sys *S, const double *u, double *tr, double *ti)
{
    if (S->kind == ND_C2_LPC) return NAN;   /* no crossings are tracked on LPC curves */
    unscale(S, u);
    if (nd_eq_jacobian(S->m, S->p, S->x, S->A, NULL) != ND_OK || eigen(S)) return NAN;
    double omega = S->kind == ND_C2_HOPF ? sqrt(fmax(0, u[S->N - 1] * S->sc[S->N - 1])) : 0;
    size_t k = critical(S, omega), best_i = S->n;
    double best = INFINITY;
    for (size_t i = 0; i < S->n; i++) {
        if (!(S->im[i] > 0) || is_critical(S, i, k, omega)) continue;
        double d = hypot(S->re[i] - *tr, S->im[i] - *ti);
        if (d < best) best = d, best_i = i;
    }
    if (best_i == S->n) return NAN;
    *tr = S->re[best_i];
    *ti = S->im[best_i];
    return *tr;
}

/* The right eigenvector (real part re, imaginary part im) and left one of the eigenvalue
   of A nearest (0, omega); 0 or -1. */
static int eigvecs(nd_c2_sys *S, double omega, double *rre, double *rim, double *lre, double *lim)
{
    size_t n = S->n;
    double *w = malloc((2 * n + 3 * n * n) * sizeof *w);
    if (!w) return -1;
    double *wr = w, *wi = wr + n, *vl = wi + n, *vr = vl + n * n, *Ac = vr + n * n;
    memcpy(Ac, S->A, n * n * sizeof *Ac);
    int rc = -1;
    if (LAPACKE_dgeev(LAPACK_ROW_MAJOR, 'V', 'V', (lapack_int)n, Ac, (lapack_int)n, wr, wi, vl,
                      (lapack_int)n, vr, (lapack_int)n) == 0) {
        size_t k = n;
        double best = INFINITY;
        for (size_t i = 0; i < n; i++)
            if (wi[i] >= 0 && hypot(wr[i], wi[i] - omega) < best)
                best = hypot(wr[i], wi[i] - omega), k = i;
        if (k < n && best <= 1e-4 * fmax(1, omega)) {
            int pair = wi[k] > 0 && k + 1 < n;
            for (size_t i = 0; i < n; i++) {
                rre[i] = vr[i * n + k];
                rim[i] = pair ? vr[i * n + k + 1] : 0;
                lre[i] = vl[i * n + k];
                lim[i] = pair ? vl[i * n + k + 1] : 0;
            }
            rc = 0;
        }
    }
    free(w);
    return rc;
}

double *nd_c2_aux(nd_c2_sys *S, size_t *len)
{
    if (S->kind == ND_C2_LPC) return nd_lpc_aux(S, len);
    *len = 3 * S->n;   /* b, c, v0 are adjacent */
    return S->b;
}

void nd_c2_sys_free(nd_c2_sys *S)
{
    nd_lpc_free(S);
    free(S->p);
    free(S->piv);
    memset(S, 0, sizeof *S);
}

int nd_c2_sys_init(nd_c2_sys *S, const nd_model *m, int kind, const int par[2],
                   const double width[2], const double *x, const double *p, double omega,
                   double *u)
{
    memset(S, 0, sizeof *S);
    size_t n = nd_model_count(m, ND_MODEL_STATE), npar = nd_model_count(m, ND_MODEL_PAR);
    S->m = m;
    S->kind = kind;
    S->n = n;
    S->N = kind == ND_C2_HOPF ? 2 * n + 3 : n + 2;
    S->M = S->N - 1;
    S->npar = npar;
    S->par[0] = par[0];
    S->par[1] = par[1];
    size_t N = S->N, K = n + 1;
    size_t total = npar + N + n + 3 * n + 2 * n + 7 * n * n + n * npar + n + 2 * (2 * n + 2) +
                   K * K + 2 * n;
    S->p = malloc(total * sizeof(double));
    S->piv = malloc(K * sizeof *S->piv);
    if (!S->p || !S->piv) return -1;
    memcpy(S->p, p, npar * sizeof *S->p);
    S->sc = S->p + npar;
    S->x = S->sc + N;
    S->b = S->x + n;
    S->c = S->b + n;
    S->v0 = S->c + n;
    S->fv = S->v0 + n;
    S->fw = S->fv + n;
    S->A = S->fw + n;
    S->A2 = S->A + n * n;
    S->Dv = S->A2 + n * n;
    S->Dw = S->Dv + n * n;
    S->Ap = S->Dw + n * n;
    S->Jp = S->Ap + n * n;
    S->tmp = S->Jp + n * npar + 2 * n * n;
    S->tmp2 = S->tmp + n;
    S->bord = S->tmp2 + 2 * (2 * n + 2);
    S->re = S->bord + K * K;
    S->im = S->re + n;
    memcpy(S->x, x, n * sizeof *x);
    if (nd_eq_jacobian(m, S->p, x, S->A, NULL) != ND_OK) return -1;
    double *rre = S->tmp2, *rim = rre + n, *lre = rim + n, *lim = lre + n;
    if (eigvecs(S, kind == ND_C2_HOPF ? omega : 0, rre, rim, lre, lim)) return -1;
    for (size_t i = 0; i < n; i++) S->sc[i] = fmax(1, fabs(x[i]));
    for (int j = 0; j < 2; j++) S->sc[n + (size_t)j] = width[j];
    for (size_t i = 0; i < n; i++) u[i] = x[i] / S->sc[i];
    for (int j = 0; j < 2; j++) u[n + (size_t)j] = p[par[j]] / width[j];
    if (kind == ND_C2_FOLD) {
        double nr = norm(rre, n), nl = norm(lre, n);
        if (!(nr > 0 && nl > 0)) return -1;
        for (size_t i = 0; i < n; i++) S->c[i] = rre[i] / nr, S->b[i] = lre[i] / nl;
        return 0;
    }
    double nr = norm(rre, n);
    if (!(nr > 0) || !(omega > 0)) return -1;
    double *v = u + n + 2;
    for (size_t i = 0; i < n; i++) {
        v[i] = rre[i] / nr;
        S->sc[n + 2 + i] = 1;
    }
    S->sc[N - 1] = fmax(1e-3, omega * omega);
    u[N - 1] = omega * omega / S->sc[N - 1];
    nd_c2_accept(S, u);
    return 0;
}
