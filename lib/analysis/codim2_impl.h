/* Inside the two-parameter continuation: the defining systems (codim2_sys.c) that the
   curve walk (codim2.c) follows, in scaled unknowns. */
#ifndef ND_ANALYSIS_CODIM2_IMPL_H
#define ND_ANALYSIS_CODIM2_IMPL_H

#include <lapacke.h>
#include <stddef.h>

#include "codim2.h"
#include "continuation.h"

/* A defining system G(u) = 0, G: R^N → R^(N−1), whose solution set is the curve. The
   unknowns are scaled, real = u[i] * sc[i]: x (n states), the two parameters, and for a
   Hopf curve v (n: a unit vector of the critical eigenspace) and κ = ω². */
struct nd_lpc;

typedef struct nd_c2_sys {
    const nd_model *m;
    int kind;              /* ND_C2_HOPF, ND_C2_FOLD or ND_C2_LPC */
    struct nd_lpc *lpc;    /* LPC: the shooting system (lpc_sys.c), which the functions
                              below hand over to */
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
    double period;         /* LPC: the cycle's period; Hopf: 2π/ω; fold: NAN */
    const char *end;       /* LPC: why the curve cannot go on from here (the cycle shrank to
                              an equilibrium, the period blew up, …), or NULL */
} nd_c2_test;

/* Prepares S for kind at the point (x, p) of a one-parameter continuation (omega: the
   Hopf point's ω); u (N values) receives the scaled starting unknowns. -1 on ENOMEM or
   when the critical eigenvectors are not found. */
int nd_c2_sys_init(nd_c2_sys *S, const nd_model *m, int kind, const int par[2],
                   const double width[2], const double *x, const double *p, double omega,
                   double *u);

/* Frees S's arrays. */
void nd_c2_sys_free(nd_c2_sys *S);

/* The auxiliary vectors of S (borders, reference vectors) as one block of *len values, so
   that the walk can restore those of the start for its second direction. */
double *nd_c2_aux(nd_c2_sys *S, size_t *len);

/* ---- the LPC system (lpc_sys.c): unknowns x_0 (n), p1, p2, x_1 … x_7 (the other segment
   starts), T; equations: the matching of the shooting segments, the phase condition and
   g = 0 from the bordered Jacobian of (matching, phase) with respect to (X, T) ---- */

/* Prepares S for the LPC curve through the cycle fold whose orbit passes through x with
   period T at parameters p; u (S->N values) receives the scaled unknowns. -1 on ENOMEM or
   when the shooting fails. */
int nd_lpc_init(nd_c2_sys *S, const nd_model *m, const int par[2], const double width[2],
                const double *x, const double *p, double T, double max_period, double *u);

/* nd_c2_eval, nd_c2_accept, nd_c2_tests, nd_c2_aux and nd_c2_sys_free for an LPC S. */
int nd_lpc_eval(nd_c2_sys *S, const double *u, double *F, double *Jac);
void nd_lpc_accept(nd_c2_sys *S, const double *u);
int nd_lpc_tests(nd_c2_sys *S, const double *u, nd_c2_test *t);
double *nd_lpc_aux(nd_c2_sys *S, size_t *len);

/* Why an LPC curve that turns back in the parameter plane ends there, by the size of the
   last cycle tested: at a Bautin point (the cycle has shrunk) or a cusp of cycles. */
const char *nd_lpc_turn_reason(const nd_c2_sys *S);
void nd_lpc_free(nd_c2_sys *S);

/* The LPC curves' starts (lpc_start.c): the folds of cycles of a one-parameter cycle
   continuation of line (par[0] over the box at par2 = v, its equilibria in *line, to
   which the cycles are added) and, for each Bautin point on r's Hopf curves, a fold of the
   small cycles of a subcritical Hopf point next to it. *found is set when there is a
   start. ND_OK, ND_ENOMEM or an interrupt. */
nd_status nd_c2_lpc_curves(nd_c2_result *r, const nd_model *m, const int par[2], double v,
                           nd_bif_result *line, const nd_c2_options *o, int *found,
                           nd_error *err);

/* Whether the start (p1, p2) lies on an earlier curve of kind: a segment of it crosses
   the line through the start (p2 fixed, or p1 when along is 1) within 1e-3 of the box
   (LPC: 1e-5). */
int nd_c2_on_earlier(const nd_c2_result *r, int kind, double p1, double p2, int along);

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
   (omega: a Hopf point's ω; LPC: the cycle's period) both ways and appends it to r with its codimension-2 points;
   ND_OK (a start that fails is noted in r, not fatal), ND_ENOMEM, or what o->check
   returned. */
nd_status nd_c2_follow(nd_c2_result *r, const nd_model *m, int kind, const int par[2],
                       const double *x, const double *p, double omega, const nd_c2_options *o,
                       nd_error *err);

#endif
