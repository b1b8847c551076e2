/* Internal to lib/analysis/cycles*: multiple shooting for periodic orbits. The orbit is
   cut into nseg segments of duration T/nseg starting at X = (x_0, …, x_{nseg−1}); each
   segment is integrated with its variational equations (monodromy of the segment,
   parameter sensitivity), so that the growth over one segment stays moderate even where
   the growth over a whole period (a Floquet multiplier of 1e6 on a canard or an orbit
   lingering near a saddle) would swamp single shooting. */
#ifndef ND_ANALYSIS_CYCLES_SHOOT_H
#define ND_ANALYSIS_CYCLES_SHOOT_H

#include <stddef.h>

#include "../models/model.h"

/* Segments used for cycles: a Floquet multiplier of 1e8 is then a growth of 10 per
   segment. */
enum { ND_CYCLE_SEGMENTS = 8 };

typedef struct nd_shoot {
    const nd_model *m;
    double *p;            /* [npar] parameters; p[par] follows λ when par >= 0 */
    int par;
    int par2;             /* a second parameter whose sensitivity rides along (-1: none) */
    size_t n, npar;
    size_t nseg, L;       /* segments; L = nseg·n unknowns for the segment starts */
    double *y;            /* [n + n² + n] augmented state: x, X (row-major), s */
    double *J, *Jp;       /* scratch of the augmented right-hand side */
    /* the last shot, segment k at offsets k·n (k·n² for M) */
    double *xT;           /* [L] end of each segment */
    double *M;            /* [nseg·n²] monodromy of each segment, row-major */
    double *sT;           /* [L] ∂(end)/∂λ (zero when par < 0) */
    double *sT2;          /* [L] ∂(end)/∂p[par2] (when par2 >= 0) */
    double *fT;           /* [L] f at each end */
    double *xmin, *xmax;  /* [n] extent of x over the orbit */
    double *A, *b;        /* [(L+2)²], [L+2] the bordered system */
    double *P, *Q;        /* [n²] each: the product of the segments' monodromies */
    int *piv;
    double *tout;         /* the dense pass of one segment */
    double *F;            /* [n + n² + n·npar] f, J, Jp of the fused evaluation */
    int fused;            /* 1 while the model's fused evaluation serves */
} nd_shoot;

/* Prepares s for model m with parameters p (copied) continuing parameter par (-1:
   none) with nseg >= 1 segments; 0, or -1 on ENOMEM (s is then safe to free). */
int nd_shoot_init(nd_shoot *s, const nd_model *m, const double *p, int par, size_t nseg);

/* As nd_shoot_init, with the sensitivity to a second parameter par2 (>= 0, != par) too:
   each shot then fills sT2 as well. */
int nd_shoot_init2(nd_shoot *s, const nd_model *m, const double *p, int par, int par2,
                   size_t nseg);

/* Frees what nd_shoot_init allocated. */
void nd_shoot_free(nd_shoot *s);

/* Fills the segment starts X (L values; x0 may be X) along the trajectory from x0 over
   [0, T) at λ;
   0 or -1. */
int nd_shoot_spread(nd_shoot *s, const double *x0, double T, double lam, double *X);

/* Integrates every segment from X (L values) over T/nseg at λ (ignored when par < 0),
   filling xT, M, sT, fT, xmin, xmax; 0, or -1 when an integration fails. */
int nd_shoot_run(nd_shoot *s, const double *X, double T, double lam);

/* Returns the Euclidean size of the last shot's orbit: the norm of xmax − xmin. */
double nd_shoot_extent(const nd_shoot *s);

/* Fills the first L + 1 rows of s->A (nu columns: L + 1 for X, T; L + 2 adds λ) with the
   Jacobian of the matching conditions and the phase row fref at the last shot. */
void nd_shoot_fill_rows(nd_shoot *s, size_t nu, const double *fref);

/* Newton on u = (X, T) (nu = L + 1, λ fixed) or u = (X, T, λ) (nu = L + 2) for the
   matching of consecutive segments (the last one back to x_0), the phase condition
   ⟨fref, X − xref⟩ = 0 (fref, xref: L values; with fref = f at a previous orbit's segment
   starts it is a discrete form of AUTO's integral phase condition, which pins the phase
   by the whole orbit rather than by one point) and, when nu = L + 2, ⟨row, u⟩ = rowval.
   Returns the iterations, or -1 without convergence; on success the last shot was taken
   within a negligible step of u. */
int nd_shoot_newton(nd_shoot *s, double *u, size_t nu, const double *xref, const double *fref,
                    const double *row, double rowval);

/* The kernel of the first L + 1 rows (phase row fref, L values) at the last shot (nu = L + 2),
   normalised with ⟨dir, t⟩ > 0; 0 or -1. */
int nd_shoot_tangent(nd_shoot *s, const double *fref, const double *dir, double *t);

/* Floquet multipliers of the last shot (eigenvalues of the product of the segments'
   monodromies) into re, im (n each), with the index of the one nearest 1, whether all
   others lie inside the unit circle, and the largest modulus among them; 0 or -1. */
int nd_shoot_floquet(nd_shoot *s, double *re, double *im, size_t *trivial, int *stable,
                     double *mult_max);

/* Returns Σ a_i b_i over n values. */
double nd_shoot_dot(const double *a, const double *b, size_t n);

#endif
