/* Multiple shooting. The variational equations X' = J(x) X, X(0) = I and
   s' = J(x) s + ∂f/∂λ, s(0) = 0 ride along with x as one (n + n² + n)-dimensional problem,
   so one adaptive solve per segment gives its end, its monodromy matrix and its parameter
   sensitivity at the same accuracy; the extent of the orbit is sampled on the dense
   output. The bordered Newton matrix is small (nseg·n + 2) and solved densely. */
#include "cycles_shoot.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../ode/solve.h"
#include "equilibria.h"

/* Samples of the dense pass for min/max, per orbit: the peak of a 1 ms spike in a 15 ms
   period is then missed by well under 0.1 mV. */
enum { NSAMPLES = 400, MAX_NEWTON = 10 };

/* Newton stops when every correction is below this (relative); the shot then lies a
   quadratically small distance from the converged point. */
static const double NEWTON_TOL = 1e-6;

static size_t seg_samples(size_t nseg)
{
    return NSAMPLES / nseg > 2 ? NSAMPLES / nseg : 2;
}

int nd_shoot_init(nd_shoot *s, const nd_model *m, const double *p, int par, size_t nseg)
{
    return nd_shoot_init2(s, m, p, par, -1, nseg);
}

int nd_shoot_init2(nd_shoot *s, const nd_model *m, const double *p, int par, int par2,
                   size_t nseg)
{
    memset(s, 0, sizeof *s);
    s->m = m;
    s->par = par;
    s->par2 = par2;
    s->n = nd_model_count(m, ND_MODEL_STATE);
    s->npar = nd_model_count(m, ND_MODEL_PAR);
    s->nseg = nseg;
    s->L = nseg * s->n;
    size_t n = s->n, L = s->L, N = L + 2;
    size_t total = s->npar + (3 * n + n * n) + n * n + n * s->npar + 4 * L + nseg * n * n +
                   2 * n + N * N + N + 2 * n * n + seg_samples(nseg) +
                   (n + n * n + n * s->npar);
    s->p = malloc((total ? total : 1) * sizeof(double));
    s->piv = malloc(N * sizeof *s->piv);
    if (!s->p || !s->piv) return -1;
    memcpy(s->p, p, s->npar * sizeof *s->p);
    s->y = s->p + s->npar;
    s->J = s->y + 3 * n + n * n;
    s->Jp = s->J + n * n;
    s->xT = s->Jp + n * s->npar;
    s->sT = s->xT + L;
    s->fT = s->sT + L;
    s->sT2 = s->fT + L;
    s->M = s->sT2 + L;
    s->xmin = s->M + nseg * n * n;
    s->xmax = s->xmin + n;
    s->A = s->xmax + n;
    s->b = s->A + N * N;
    s->P = s->b + N;
    s->Q = s->P + n * n;
    s->tout = s->Q + n * n;
    s->F = s->tout + seg_samples(nseg);
    s->fused = nd_model_has_jac(m);
    return 0;
}

void nd_shoot_free(nd_shoot *s)
{
    free(s->p);
    free(s->piv);
    s->p = NULL;
    s->piv = NULL;
}

/* ∂f/∂p[par] at x into out: the symbolic column when compiled, central differences
   otherwise. */
static int dfdlam(nd_shoot *s, int par, const double *x, double *out)
{
    size_t n = s->n, k = (size_t)par;
    if (nd_model_has_jac(s->m) && nd_model_jacp(s->m, 0, x, s->p, s->Jp) == 0) {
        for (size_t i = 0; i < n; i++) out[i] = s->Jp[i * s->npar + k];
        return 0;
    }
    double lam = s->p[k], h = 1e-6 * fmax(1, fabs(lam));
    double *fp = s->Jp;   /* n * npar >= n scratch values (npar > par >= 0) */
    s->p[k] = lam + h;
    nd_model_rhs(s->m, 0, x, s->p, fp);
    s->p[k] = lam - h;
    nd_model_rhs(s->m, 0, x, s->p, out);
    s->p[k] = lam;
    for (size_t i = 0; i < n; i++) out[i] = (fp[i] - out[i]) / (2 * h);
    return 0;
}

/* f, J and ∂f/∂λ at x into dy (n values), s->J and ds: from the fused program when the
   model has one (the rate functions are then computed once, not three times). */
static int flow_and_jac(nd_shoot *s, const double *x, double *dy, double *ds, double *ds2)
{
    size_t n = s->n;
    if (s->fused && nd_model_rhs_jac(s->m, 0, x, s->p, s->F) == 0) {
        const double *J = s->F + n, *Jp = J + n * n;
        for (size_t i = 0; i < n * n; i++)
            if (!isfinite(J[i])) return -1;
        memcpy(dy, s->F, n * sizeof *dy);
        memcpy(s->J, J, n * n * sizeof *s->J);
        if (s->par >= 0)
            for (size_t i = 0; i < n; i++) ds[i] = Jp[i * s->npar + (size_t)s->par];
        if (s->par2 >= 0)
            for (size_t i = 0; i < n; i++) ds2[i] = Jp[i * s->npar + (size_t)s->par2];
        return 0;
    }
    s->fused = 0;
    nd_model_rhs(s->m, 0, x, s->p, dy);
    if (nd_eq_jacobian(s->m, s->p, x, s->J, NULL) != ND_OK) return -1;
    if (s->par >= 0) dfdlam(s, s->par, x, ds);
    if (s->par2 >= 0) dfdlam(s, s->par2, x, ds2);
    return 0;
}

static int aug_rhs(void *ctx, double t, const double *y, double *dy)
{
    (void)t;
    nd_shoot *s = ctx;
    size_t n = s->n;
    const double *X = y + n, *sv = X + n * n, *sv2 = sv + n;
    double *dX = dy + n, *ds = dX + n * n, *ds2 = ds + n;
    if (flow_and_jac(s, y, dy, ds, ds2)) return -1;
    for (size_t i = 0; i < n; i++) {
        const double *Ji = s->J + i * n;
        for (size_t j = 0; j < n; j++) {
            double a = 0;
            for (size_t k = 0; k < n; k++) a += Ji[k] * X[k * n + j];
            dX[i * n + j] = a;
        }
    }
    if (s->par < 0) {
        memset(ds, 0, n * sizeof *ds);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        double a = ds[i];
        for (size_t k = 0; k < n; k++) a += s->J[i * n + k] * sv[k];
        ds[i] = a;
    }
    for (size_t i = 0; s->par2 >= 0 && i < n; i++) {
        double a = ds2[i];
        for (size_t k = 0; k < n; k++) a += s->J[i * n + k] * sv2[k];
        ds2[i] = a;
    }
    return 0;
}

static int extent(void *ctx, double t, const double *y, int event, size_t which)
{
    (void)t, (void)event, (void)which;
    nd_shoot *s = ctx;
    for (size_t i = 0; i < s->n; i++) {
        s->xmin[i] = fmin(s->xmin[i], y[i]);
        s->xmax[i] = fmax(s->xmax[i], y[i]);
    }
    return 0;
}

/* One segment from x0 over [0, dt]: its end, monodromy, sensitivity into seg k. */
static int run_segment(nd_shoot *s, size_t k, const double *x0, double dt)
{
    size_t n = s->n, ns = seg_samples(s->nseg);
    memcpy(s->y, x0, n * sizeof *x0);
    size_t naug = 2 * n + n * n + (s->par2 >= 0 ? n : 0);
    memset(s->y + n, 0, (naug - n) * sizeof *s->y);
    for (size_t i = 0; i < n; i++) s->y[n + i * n + i] = 1;
    /* j·dt/(ns−1) may round above dt, which the solver refuses */
    for (size_t j = 0; j < ns; j++) s->tout[j] = fmin(dt, dt * (double)j / (double)(ns - 1));
    nd_ode_problem pr = {.n = naug, .ctx = s, .rhs = aug_rhs};
    nd_ode_options o;
    nd_ode_options_default(&o);
    o.rtol = 5e-10;
    o.atol = 5e-11;
    /* an orbit's segment takes a few hundred steps (under 1500 on every branch of the
       notebooks); a Newton iterate thrown far off (V = 229 mV, h = -21) can take 2e5
       steps to fail, a third of a second with no interrupt check: fail it sooner */
    o.max_steps = 20000;
    /* The step size follows the orbit alone (CVODES's default for sensitivities): the
       variational part is linear along it, integrated by the same steps to a like
       accuracy, and in the error test its growing entries (the multipliers) would shorten
       every step; that frees a tighter tolerance on the orbit at 60 % of the steps. */
    o.err_n = n;
    if (nd_ode_solve(&pr, 0, dt, s->y, &o, s->tout, ns, extent, s, NULL, NULL) != ND_OK)
        return -1;
    memcpy(s->xT + k * n, s->y, n * sizeof *s->xT);
    memcpy(s->M + k * n * n, s->y + n, n * n * sizeof *s->M);
    memcpy(s->sT + k * n, s->y + n + n * n, n * sizeof *s->sT);
    if (s->par2 >= 0) memcpy(s->sT2 + k * n, s->y + 2 * n + n * n, n * sizeof *s->sT2);
    nd_model_rhs(s->m, 0, s->xT + k * n, s->p, s->fT + k * n);
    for (size_t i = 0; i < naug; i++)   /* the error test sees only x */
        if (!isfinite(s->y[i])) return -1;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(s->fT[k * n + i])) return -1;
    return 0;
}

int nd_shoot_run(nd_shoot *s, const double *X, double T, double lam)
{
    size_t n = s->n;
    if (!(T > 0 && isfinite(T))) return -1;
    if (s->par >= 0) s->p[s->par] = lam;
    for (size_t i = 0; i < n; i++) s->xmin[i] = s->xmax[i] = X[i];
    for (size_t k = 0; k < s->nseg; k++)
        if (run_segment(s, k, X + k * n, T / (double)s->nseg)) return -1;
    return 0;
}

int nd_shoot_spread(nd_shoot *s, const double *x0, double T, double lam, double *X)
{
    size_t n = s->n;
    if (!(T > 0 && isfinite(T))) return -1;
    if (s->par >= 0) s->p[s->par] = lam;
    for (size_t i = 0; i < n; i++) s->xmin[i] = s->xmax[i] = x0[i];
    memmove(X, x0, n * sizeof *X);   /* x0 may be X itself */
    for (size_t k = 0; k + 1 < s->nseg; k++) {
        if (run_segment(s, k, X + k * n, T / (double)s->nseg)) return -1;
        memcpy(X + (k + 1) * n, s->xT + k * n, n * sizeof *X);
    }
    return 0;
}

/* Fills the first L + 1 rows of the bordered matrix (nu columns) from the last shot:
   segment k's rows hold M_k at its own start, −I at the next start (x_0 after the last),
   f(end)/nseg for T (a segment lasts T/nseg) and the sensitivity for λ. */
void nd_shoot_fill_rows(nd_shoot *s, size_t nu, const double *fref)
{
    size_t n = s->n, L = s->L;
    memset(s->A, 0, (L + 1) * nu * sizeof *s->A);
    for (size_t k = 0; k < s->nseg; k++) {
        size_t next = (k + 1) % s->nseg;
        for (size_t i = 0; i < n; i++) {
            double *a = s->A + (k * n + i) * nu;
            for (size_t j = 0; j < n; j++) a[k * n + j] += s->M[k * n * n + i * n + j];
            a[next * n + i] -= 1;
            a[L] = s->fT[k * n + i] / (double)s->nseg;
            if (nu > L + 1) a[L + 1] = s->sT[k * n + i];
        }
    }
    memcpy(s->A + L * nu, fref, L * sizeof *s->A);
}

static int solve(nd_shoot *s, size_t nu)
{
    return LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)nu, 1, s->A, (lapack_int)nu, s->piv,
                         s->b, 1) == 0 ? 0 : -1;
}

double nd_shoot_dot(const double *a, const double *b, size_t n)
{
    double d = 0;
    for (size_t i = 0; i < n; i++) d += a[i] * b[i];
    return d;
}

int nd_shoot_newton(nd_shoot *s, double *u, size_t nu, const double *xref, const double *fref,
                    const double *row, double rowval)
{
    size_t n = s->n, L = s->L;
    double lam = s->par >= 0 ? s->p[s->par] : 0;
    for (int it = 1; it <= MAX_NEWTON; it++) {
        if (nd_shoot_run(s, u, u[L], nu > L + 1 ? u[L + 1] : lam)) return -1;
        nd_shoot_fill_rows(s, nu, fref);
        for (size_t k = 0; k < s->nseg; k++) {
            const double *next = u + ((k + 1) % s->nseg) * n;
            for (size_t i = 0; i < n; i++) s->b[k * n + i] = next[i] - s->xT[k * n + i];
        }
        double ph = 0;
        for (size_t i = 0; i < L; i++) ph += fref[i] * (u[i] - xref[i]);
        s->b[L] = -ph;
        if (nu > L + 1) {
            memcpy(s->A + (L + 1) * nu, row, nu * sizeof *row);
            s->b[L + 1] = rowval - nd_shoot_dot(row, u, nu);
        }
        if (solve(s, nu)) return -1;
        int small = 1;
        for (size_t i = 0; i < nu; i++) {
            u[i] += s->b[i];
            if (!(fabs(s->b[i]) <= NEWTON_TOL * (1 + fabs(u[i])))) small = 0;
        }
        if (!(u[L] > 0)) return -1;
        if (small) return it;
    }
    return -1;
}

int nd_shoot_tangent(nd_shoot *s, const double *fref, const double *dir, double *t)
{
    size_t L = s->L, nu = L + 2;
    nd_shoot_fill_rows(s, nu, fref);
    memcpy(s->A + (L + 1) * nu, dir, nu * sizeof *dir);
    memset(s->b, 0, nu * sizeof *s->b);
    s->b[L + 1] = 1;
    if (solve(s, nu)) return -1;
    double norm = sqrt(nd_shoot_dot(s->b, s->b, nu));
    if (!(norm > 0 && isfinite(norm))) return -1;
    for (size_t i = 0; i < nu; i++) t[i] = s->b[i] / norm;
    return 0;
}

int nd_shoot_floquet(nd_shoot *s, double *re, double *im, size_t *trivial, int *stable,
                     double *mult_max)
{
    size_t n = s->n;
    memcpy(s->P, s->M, n * n * sizeof *s->P);
    for (size_t k = 1; k < s->nseg; k++) {   /* P ← M_k P */
        const double *Mk = s->M + k * n * n;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                double a = 0;
                for (size_t l = 0; l < n; l++) a += Mk[i * n + l] * s->P[l * n + j];
                s->Q[i * n + j] = a;
            }
        memcpy(s->P, s->Q, n * n * sizeof *s->P);
    }
    /* dgeev destroys its matrix: P is scratch from here */
    if (LAPACKE_dgeev(LAPACK_ROW_MAJOR, 'N', 'N', (lapack_int)n, s->P, (lapack_int)n, re, im,
                      NULL, 1, NULL, 1))
        return -1;
    size_t k = 0;
    for (size_t i = 1; i < n; i++)
        if (hypot(re[i] - 1, im[i]) < hypot(re[k] - 1, im[k])) k = i;
    double mx = 0;
    for (size_t i = 0; i < n; i++)
        if (i != k) mx = fmax(mx, hypot(re[i], im[i]));
    *trivial = k;
    *mult_max = mx;
    *stable = mx < 1;
    return 0;
}

double nd_shoot_extent(const nd_shoot *s)
{
    double a = 0;
    for (size_t i = 0; i < s->n; i++) {
        double d = s->xmax[i] - s->xmin[i];
        a += d * d;
    }
    return sqrt(a);
}
