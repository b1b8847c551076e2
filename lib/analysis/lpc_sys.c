/* The defining system of a curve of folds of limit cycles (LPC) in two parameters, on the
   multiple-shooting formulation of lib/analysis/cycles_shoot.c (Kuznetsov, Elements of
   Applied Bifurcation Theory, 3rd ed., §10.3.3 and ch. 10's minimally augmented systems;
   MatCont's LPC continuation, Dhooge, Govaerts, Kuznetsov & co. 2008).

   Unknowns: the segment starts X = (x_0 … x_7), the period T and the parameters p1, p2.
   Equations: φ(T/8; x_k) − x_{k+1} = 0 (the matching, the last segment back to x_0), the
   phase condition ⟨fref, X − xref⟩ = 0 (the previous point's f at its segment starts, as on
   one-parameter branches), and g = 0 where g comes from the bordered system

       [A  b] [v]   [0]
       [cᵀ 0] [g] = [1],    A = ∂(matching, phase)/∂(X, T),

   with b, c the left and right null vectors of A at the previous point: A is singular
   exactly at a fold of cycles (the branch's tangent has no parameter component there), and
   g changes sign through it, so the bordered matrix stays regular on the curve.

   The gradient of g: g_z = −wᵀ A_z v (w from the transposed system). A v is the derivative
   of the shots along (v_X, v_T), so by the symmetry of second derivatives
   wᵀ A_z v = d/dε [J(z + ε v̂)ᵀ w]_z, J the full Jacobian of the matching over (X, T, p1,
   p2), which every shot provides (monodromies, f at the ends, both parameter sensitivities).
   That directional derivative is taken by central differences: two extra shots per
   Jacobian, exact up to O(ε²) and the integration's tolerance over ε. Only the row of g
   is differenced; its residual is exact, so the converged points are as accurate as the
   shooting. */
#include "codim2_impl.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cycles_shoot.h"

/* Beyond this Floquet multiplier the shooting's errors swamp Newton (as on branches). */
static const double MAX_MULT = 1e9;

/* The cycle has shrunk to an equilibrium when its extent is below this fraction of the
   largest extent seen on the curve. */
static const double SHRUNK = 1e-2;

/* Relative size of the difference step of g's gradient (along v̂, in scaled units). */
static const double FD_STEP = 1e-5;

typedef struct nd_lpc {
    nd_shoot s;
    size_t n, L, K;         /* states, segment starts (L = 8n), K = L + 1: (X, T) */
    double *X, T;           /* the real unknowns of the last unpack */
    double *xref, *fref;    /* [L] the phase reference */
    double *aux;            /* b, c: [K] each, the borders (one block: nd_lpc_aux) */
    double *v, *w;          /* [K] the bordered system's solutions */
    double g;
    double *B;              /* [(K + 1)²] the bordered matrix, factored */
    lapack_int *piv;
    double *Jw;             /* [2 (L + 3)] Jᵀw at z ± ε v̂ */
    double *Xp;             /* [L] perturbed starts */
    double *ushot;          /* [N] the unknowns of the shot in s (valid when shot) */
    int shot;
    double T0, max_period, extent_max, extent_last;
} nd_lpc;

/* The column of segment-start entry i among the unknowns: x_0 first (so that
   nd_c2_state and nd_c2_param read the state and the parameters as for the other
   curves), then p1, p2, the other starts, T last. */
static size_t col(const nd_lpc *P, size_t i)
{
    return i < P->n ? i : i + 2;
}

static void unpack(nd_c2_sys *S, const double *u)
{
    nd_lpc *P = S->lpc;
    for (size_t i = 0; i < P->L; i++) P->X[i] = u[col(P, i)] * S->sc[col(P, i)];
    P->T = u[S->N - 1] * S->sc[S->N - 1];
    for (int j = 0; j < 2; j++) S->p[S->par[j]] = nd_c2_param(S, u, j);
    P->s.p[S->par[1]] = S->p[S->par[1]];
}

/* Shoots at u unless the last shot was there; 0 or -1. */
static int shoot(nd_c2_sys *S, const double *u)
{
    nd_lpc *P = S->lpc;
    unpack(S, u);
    if (P->shot && memcmp(P->ushot, u, S->N * sizeof *u) == 0) return 0;
    P->shot = 0;
    if (nd_shoot_run(&P->s, P->X, P->T, S->p[S->par[0]])) return -1;
    memcpy(P->ushot, u, S->N * sizeof *u);
    P->shot = 1;
    return 0;
}

/* The bordered system at the last shot: v, w, g; 0 or -1. */
static int bordered(nd_lpc *P)
{
    size_t K = P->K, K1 = K + 1;
    const double *b = P->aux, *c = P->aux + K;
    nd_shoot_fill_rows(&P->s, K, P->fref);
    for (size_t i = 0; i < K; i++) {
        memcpy(P->B + i * K1, P->s.A + i * K, K * sizeof *P->B);
        P->B[i * K1 + K] = b[i];
        P->B[K * K1 + i] = c[i];
    }
    P->B[K * K1 + K] = 0;
    if (LAPACKE_dgetrf(LAPACK_ROW_MAJOR, (lapack_int)K1, (lapack_int)K1, P->B, (lapack_int)K1,
                       P->piv))
        return -1;
    double *z = P->Jw;   /* K1 <= 2 (L + 3) scratch values */
    for (int t = 0; t < 2; t++) {
        memset(z, 0, K1 * sizeof *z);
        z[K] = 1;
        if (LAPACKE_dgetrs(LAPACK_ROW_MAJOR, t ? 'T' : 'N', (lapack_int)K1, 1, P->B,
                           (lapack_int)K1, P->piv, z, 1))
            return -1;
        memcpy(t ? P->w : P->v, z, K * sizeof *z);
        if (!t) P->g = z[K];
    }
    return 0;
}

/* Jᵀw over (X, T, p1, p2) at the last shot into out (L + 3 values), without the constant
   −I blocks of the matching (they cancel in a difference). */
static void jt_w(const nd_lpc *P, const double *w, double *out)
{
    const nd_shoot *s = &P->s;
    size_t n = P->n, L = P->L;
    memset(out, 0, (L + 3) * sizeof *out);
    for (size_t k = 0; k < s->nseg; k++)
        for (size_t i = 0; i < n; i++) {
            double wi = w[k * n + i];
            const double *Mi = s->M + k * n * n + i * n;
            for (size_t j = 0; j < n; j++) out[k * n + j] += wi * Mi[j];
            out[L] += wi * s->fT[k * n + i] / (double)s->nseg;
            out[L + 1] += wi * s->sT[k * n + i];
            out[L + 2] += wi * s->sT2[k * n + i];
        }
}

/* The gradient of g over (X, T, p1, p2) (real units) into grad; 0 or -1. Leaves the shot
   at a perturbed point (the cache is cleared). */
static int g_gradient(nd_c2_sys *S, double *grad)
{
    nd_lpc *P = S->lpc;
    size_t L = P->L;
    /* ε such that ε v̂ moves no scaled unknown by more than FD_STEP */
    double big = fabs(P->v[L]) / S->sc[S->N - 1];
    for (size_t i = 0; i < L; i++) big = fmax(big, fabs(P->v[i]) / S->sc[col(P, i)]);
    if (!(big > 0)) return -1;
    double eps = FD_STEP / big, lam = S->p[S->par[0]];
    double *Jp = P->Jw, *Jm = P->Jw + L + 3;
    double *w = malloc(L * sizeof *w);
    if (!w) return -1;
    memcpy(w, P->w, L * sizeof *w);
    P->shot = 0;
    int rc = 0;
    for (int sgn = 1; sgn >= -1 && rc == 0; sgn -= 2) {
        for (size_t i = 0; i < L; i++) P->Xp[i] = P->X[i] + sgn * eps * P->v[i];
        rc = nd_shoot_run(&P->s, P->Xp, P->T + sgn * eps * P->v[L], lam);
        if (rc == 0) jt_w(P, w, sgn > 0 ? Jp : Jm);
    }
    for (size_t i = 0; rc == 0 && i < L + 3; i++) grad[i] = -(Jp[i] - Jm[i]) / (2 * eps);
    free(w);
    return rc ? -1 : 0;
}

int nd_lpc_eval(nd_c2_sys *S, const double *u, double *F, double *Jac)
{
    nd_lpc *P = S->lpc;
    size_t n = P->n, L = P->L, N = S->N;
    const nd_shoot *s = &P->s;
    if (shoot(S, u)) return -1;
    for (size_t k = 0; k < s->nseg; k++) {
        const double *next = P->X + ((k + 1) % s->nseg) * n;
        for (size_t i = 0; i < n; i++) F[k * n + i] = s->xT[k * n + i] - next[i];
    }
    double ph = 0;
    for (size_t i = 0; i < L; i++) ph += P->fref[i] * (P->X[i] - P->xref[i]);
    F[L] = ph;
    if (Jac) {
        /* rows of the matching and the phase, from the shot (λ = p1 in column L + 1) */
        nd_shoot_fill_rows(&P->s, L + 2, P->fref);
        memset(Jac, 0, S->M * N * sizeof *Jac);
        for (size_t r = 0; r <= L; r++) {
            const double *a = s->A + r * (L + 2);
            double *J = Jac + r * N;
            for (size_t i = 0; i < L; i++) J[col(P, i)] = a[i] * S->sc[col(P, i)];
            J[N - 1] = a[L] * S->sc[N - 1];
            if (r < L) {
                J[n] = a[L + 1] * S->sc[n];
                J[n + 1] = s->sT2[r] * S->sc[n + 1];
            }
        }
    }
    if (bordered(P)) return -1;
    F[L + 1] = P->g;
    if (Jac) {
        double *grad = malloc((L + 3) * sizeof *grad);
        if (!grad || g_gradient(S, grad)) {
            free(grad);
            return -1;
        }
        double *J = Jac + (L + 1) * N;
        for (size_t i = 0; i < L; i++) J[col(P, i)] = grad[i] * S->sc[col(P, i)];
        J[N - 1] = grad[L] * S->sc[N - 1];
        J[n] = grad[L + 1] * S->sc[n];
        J[n + 1] = grad[L + 2] * S->sc[n + 1];
        free(grad);
        for (size_t i = 0; i < S->M * N; i++)
            if (!isfinite(Jac[i])) return -1;
    }
    for (size_t i = 0; i < S->M; i++)
        if (!isfinite(F[i])) return -1;
    return 0;
}

/* Unit vectors b ← w, c ← v from the last bordered solve. */
static void borders_from_solution(nd_lpc *P)
{
    double nv = sqrt(nd_shoot_dot(P->v, P->v, P->K)), nw = sqrt(nd_shoot_dot(P->w, P->w, P->K));
    if (!(nv > 0 && nw > 0 && isfinite(nv) && isfinite(nw))) return;
    for (size_t i = 0; i < P->K; i++) {
        P->aux[i] = P->w[i] / nw;
        P->aux[P->K + i] = P->v[i] / nv;
    }
}

/* The phase reference at the point of the last unpack. */
static void reference(nd_c2_sys *S)
{
    nd_lpc *P = S->lpc;
    memcpy(P->xref, P->X, P->L * sizeof *P->X);
    for (size_t k = 0; k < P->L; k += P->n) nd_model_rhs(S->m, 0, P->X + k, P->s.p, P->fref + k);
}

void nd_lpc_accept(nd_c2_sys *S, const double *u)
{
    nd_lpc *P = S->lpc;
    if (shoot(S, u)) return;
    reference(S);
    if (bordered(P) == 0) borders_from_solution(P);
}

int nd_lpc_tests(nd_c2_sys *S, const double *u, nd_c2_test *t)
{
    nd_lpc *P = S->lpc;
    size_t n = P->n;
    if (shoot(S, u)) return -1;
    t->bt = t->cusp_or_zh = t->l1 = t->omega = t->a = NAN;
    t->other_cplx = t->other_real = 0;
    t->period = P->T;
    t->end = NULL;
    size_t triv;
    int stable;
    double mx;
    if (nd_shoot_floquet(&P->s, S->re, S->im, &triv, &stable, &mx)) return -1;
    /* the trivial multiplier and the one at the fold are both 1: leave out the two
       nearest 1 */
    size_t second = n;
    for (size_t i = 0; i < n; i++)
        if (i != triv && (second == n || hypot(S->re[i] - 1, S->im[i]) <
                                             hypot(S->re[second] - 1, S->im[second])))
            second = i;
    t->n_unstable = 0;
    double big = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == triv || i == second) continue;
        double m = hypot(S->re[i], S->im[i]);
        big = fmax(big, m);
        t->n_unstable += m > 1;
    }
    double ext = nd_shoot_extent(&P->s);
    P->extent_max = fmax(P->extent_max, ext);
    P->extent_last = ext;
    if (ext < SHRUNK * P->extent_max)
        t->end = nd_lpc_turn_reason(S);
    else if (P->T > P->max_period * P->T0)
        t->end = "the period grows without bound: a homoclinic orbit is near";
    else if (big > MAX_MULT)
        t->end = "the cycles grow too unstable for shooting (Floquet multiplier above 1e9)";
    return 0;
}

/* Below this fraction of the largest extent a cycle at a turn of the curve counts as
   shrunk to the Bautin point. */
static const double SMALL_AT_TURN = 0.2;

const char *nd_lpc_turn_reason(const nd_c2_sys *S)
{
    const nd_lpc *P = S->lpc;
    if (P->extent_last < SMALL_AT_TURN * P->extent_max)
        return "the cycle shrinks to an equilibrium: a Bautin (generalised Hopf) point, where "
               "the curve meets the Hopf curve";
    return "a cusp of cycles (the curve turns back in the parameter plane: three cycles "
           "inside the wedge, one outside)";
}

double *nd_lpc_aux(nd_c2_sys *S, size_t *len)
{
    *len = 2 * S->lpc->K;
    return S->lpc->aux;
}

void nd_lpc_free(nd_c2_sys *S)
{
    nd_lpc *P = S->lpc;
    if (!P) return;
    nd_shoot_free(&P->s);
    free(P->X);
    free(P->piv);
    free(P);
    S->lpc = NULL;
}

/* The borders at the start: the singular vectors of A for its smallest singular value
   (A is singular at the fold); 0 or -1. */
static int initial_borders(nd_lpc *P)
{
    size_t K = P->K;
    nd_shoot_fill_rows(&P->s, K, P->fref);
    double *mem = malloc((K * K * 3 + 2 * K) * sizeof *mem);
    if (!mem) return -1;
    double *a = mem, *uu = a + K * K, *vt = uu + K * K, *sv = vt + K * K, *sup = sv + K;
    memcpy(a, P->s.A, K * K * sizeof *a);
    int rc = LAPACKE_dgesvd(LAPACK_ROW_MAJOR, 'A', 'A', (lapack_int)K, (lapack_int)K, a,
                            (lapack_int)K, sv, uu, (lapack_int)K, vt, (lapack_int)K, sup)
             ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < K; i++) {
        P->aux[i] = uu[i * K + K - 1];          /* left: b */
        P->aux[K + i] = vt[(K - 1) * K + i];    /* right: c */
    }
    free(mem);
    return rc;
}

int nd_lpc_init(nd_c2_sys *S, const nd_model *m, const int par[2], const double width[2],
                const double *x, const double *p, double T, double max_period, double *u)
{
    memset(S, 0, sizeof *S);
    size_t n = nd_model_count(m, ND_MODEL_STATE), npar = nd_model_count(m, ND_MODEL_PAR);
    size_t L = ND_CYCLE_SEGMENTS * n, K = L + 1, N = L + 3;
    S->m = m;
    S->kind = ND_C2_LPC;
    S->n = n;
    S->N = N;
    S->M = N - 1;
    S->npar = npar;
    S->par[0] = par[0];
    S->par[1] = par[1];
    S->p = malloc((npar + N + n + 2 * n) * sizeof *S->p);
    S->lpc = calloc(1, sizeof *S->lpc);
    if (!S->p || !S->lpc) return -1;
    memcpy(S->p, p, npar * sizeof *S->p);
    S->sc = S->p + npar;
    S->x = S->sc + N;
    S->re = S->x + n;
    S->im = S->re + n;
    nd_lpc *P = S->lpc;
    P->n = n;
    P->L = L;
    P->K = K;
    size_t total = L + 2 * L + 2 * K + 2 * K + (K + 1) * (K + 1) + 2 * (L + 3) + L + N;
    P->X = malloc(total * sizeof *P->X);
    P->piv = malloc((K + 1) * sizeof *P->piv);
    if (!P->X || !P->piv ||
        nd_shoot_init2(&P->s, m, p, par[0], par[1], ND_CYCLE_SEGMENTS))
        return -1;
    P->xref = P->X + L;
    P->fref = P->xref + L;
    P->aux = P->fref + L;
    P->v = P->aux + 2 * K;
    P->w = P->v + K;
    P->B = P->w + K;
    P->Jw = P->B + (K + 1) * (K + 1);
    P->Xp = P->Jw + 2 * (L + 3);
    P->ushot = P->Xp + L;
    P->T0 = T;
    P->max_period = max_period > 0 ? max_period : 20;
    /* the segment starts along the orbit, and its extent for the scales */
    if (nd_shoot_spread(&P->s, x, T, p[par[0]], P->X) || nd_shoot_run(&P->s, P->X, T, p[par[0]]))
        return -1;
    P->extent_max = nd_shoot_extent(&P->s);
    for (size_t i = 0; i < L; i++)
        S->sc[col(P, i)] = fmax(1, fmax(fabs(P->s.xmin[i % n]), fabs(P->s.xmax[i % n]))) *
                           sqrt((double)ND_CYCLE_SEGMENTS);
    S->sc[N - 1] = T;
    for (int j = 0; j < 2; j++) S->sc[n + (size_t)j] = width[j];
    for (size_t i = 0; i < L; i++) u[col(P, i)] = P->X[i] / S->sc[col(P, i)];
    u[N - 1] = 1;
    for (int j = 0; j < 2; j++) u[n + (size_t)j] = p[par[j]] / width[j];
    P->T = T;
    reference(S);
    return initial_borders(P);
}
