/* Inside the two-parameter continuation: the defining systems (codim2_sys.c) that the
   curve walk (codim2.c) follows, in scaled unknowns. */
#ifndef ND_ANALYSIS_CODIM2_IMPL_H
#define ND_ANALYSIS_CODIM2_IMPL_H

#include <lapacke.h>
#include <stddef.h>

#include "codim2.h"

/* A defining system G(u) = 0, G: R^N → R^(N−1), whose solution set is the curve. The
   unknowns are scaled, real = u[i] * sc[i]: x (n states), the two parameters, and for a
   Hopf curve v (n: a unit vector of the critical eigenspace) and κ = ω². */
typedef struct nd_c2_sys {
    const nd_model *m;
    int kind;              /* ND_C2_HOPF or ND_C2_FOLD */
    size_t n, N, M;        /* states, unknowns, equations (N − 1) */
    size_t npar;
    int par[2];
    double *p;             /* the model's parameters; p[par[j]] follows u */
    double *sc;            /* [N] scales */
    double *x;             /* [n] the real state of the last evaluation */
    /* fold: the borders of the minimally augmented system (right and left null vectors
       of the last accepted point); Hopf: v0, the reference vector ⟂ v */
    double *b, *c, *v0;
    /* filled by nd_c2_eval for a fold: v, w and g of the bordered system */
    double *fv, *fw;
    double g;
    /* scratch */
    double *A, *A2, *Dv, *Dw, *Ap, *Jp, *tmp, *tmp2, *bord;
    double *re, *im;
    lapack_int *piv;
} nd_c2_sys;

/* What the test functions see at a point. */
typedef struct nd_c2_test {
    double bt;             /* Hopf: κ; fold: ⟨w, v⟩/(|w||v|) */
    double cusp_or_zh;     /* fold: ⟨w, B(v,v)⟩/(|w||v|²) (cusp); Hopf: det A (zero-Hopf) */
    double l1;             /* Hopf: first Lyapunov coefficient (NAN if unknown) */
    double omega, a;       /* Hopf: √κ; fold: the normal-form coefficient a */
    int n_unstable;        /* eigenvalues with Re > 0 (the critical ones not counted) */
    int other_cplx;        /* complex eigenvalues with Re > 0 other than the critical pair */
    int other_real;        /* real ones with Re > 0 other than a fold's zero */
} nd_c2_test;

/* Prepares S for kind at the point (x, p) of a one-parameter continuation (omega: the
   Hopf point's ω); u (N values) receives the scaled starting unknowns. -1 on ENOMEM or
   when the critical eigenvectors are not found. */
int nd_c2_sys_init(nd_c2_sys *S, const nd_model *m, int kind, const int par[2],
                   const double width[2], const double *x, const double *p, double omega,
                   double *u);

/* Frees S's arrays. */
void nd_c2_sys_free(nd_c2_sys *S);

/* G(u) into F (M values) and, when Jac is not NULL, its Jacobian (M × N, row-major, with
   respect to the scaled unknowns). 0, or -1 when something is not finite or singular. */
int nd_c2_eval(nd_c2_sys *S, const double *u, double *F, double *Jac);

/* Re-centres the auxiliary vectors on the accepted point u (fold: borders from its null
   vectors; Hopf: v0 ⟂ v in the eigenspace). */
void nd_c2_accept(nd_c2_sys *S, const double *u);

/* The test quantities at u (eigenvalues into S->re, S->im); 0 or -1. */
int nd_c2_tests(nd_c2_sys *S, const double *u, nd_c2_test *t);

/* The real parameter j (0, 1) and state pointer of scaled u. */
double nd_c2_param(const nd_c2_sys *S, const double *u, int j);

/* Writes the real state of u into x (n values). */
void nd_c2_state(const nd_c2_sys *S, const double *u, double *x);

/* The real part of the non-critical complex eigenvalue (Im > 0) at u nearest to
   (*tr, *ti), which are updated; NAN when there is none. */
double nd_c2_track(nd_c2_sys *S, const double *u, double *tr, double *ti);

/* Returns an empty result for m's states and the box par[j] in [lo[j], hi[j]], or NULL on
   ENOMEM. */
nd_c2_result *nd_c2_create(const nd_model *m, const int par[2], const double lo[2],
                           const double hi[2]);

/* Appends one line to r's notes. */
void nd_c2_note(nd_c2_result *r, const char *text);

/* Follows the curve of kind through the point (x, p) of a one-parameter continuation
   (omega: a Hopf point's ω) both ways and appends it to r with its codimension-2 points;
   ND_OK (a start that fails is noted in r, not fatal), ND_ENOMEM, or what o->check
   returned. */
nd_status nd_c2_follow(nd_c2_result *r, const nd_model *m, int kind, const int par[2],
                       const double *x, const double *p, double omega, const nd_c2_options *o,
                       nd_error *err);

#endif
