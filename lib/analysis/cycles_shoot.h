/* Internal to lib/analysis/cycles*: the shooting map of a model, x0 ↦ x(T; x0, λ), with
   its derivatives (monodromy matrix, parameter sensitivity) from the variational
   equations, the orbit's extent from a dense pass, and Newton on the bordered shooting
   system. */
#ifndef ND_ANALYSIS_CYCLES_SHOOT_H
#define ND_ANALYSIS_CYCLES_SHOOT_H

#include <stddef.h>

#include "../models/model.h"

typedef struct nd_shoot {
    const nd_model *m;
    double *p;            /* [npar] parameters; p[par] follows λ when par >= 0 */
    int par;
    size_t n, npar;
    double *y;            /* [n + n² + n] augmented state: x, X (row-major), s */
    double *J, *Jp;       /* scratch of the augmented right-hand side */
    /* the last shot */
    double *xT;           /* [n] x(T) */
    double *M;            /* [n²] monodromy ∂x(T)/∂x0, row-major */
    double *sT;           /* [n] ∂x(T)/∂λ (zero when par < 0) */
    double *fT;           /* [n] f(x(T)) = ∂x(T)/∂T */
    double *xmin, *xmax;  /* [n] extent of x over [0, T] */
    double *A, *b;        /* [(n+2)²], [n+2] the bordered system */
    int *piv;
    double *tout;         /* [NTOUT] the dense pass */
} nd_shoot;

/* Prepares s for model m with parameters p (copied) continuing parameter par (-1:
   none); 0, or -1 on ENOMEM (s is then safe to free). */
int nd_shoot_init(nd_shoot *s, const nd_model *m, const double *p, int par);

/* Frees what nd_shoot_init allocated. */
void nd_shoot_free(nd_shoot *s);

/* Integrates x and its variational equations from x0 over [0, T] at λ (ignored when
   par < 0), filling xT, M, sT, fT, xmin, xmax; 0, or -1 when the integration fails. */
int nd_shoot_run(nd_shoot *s, const double *x0, double T, double lam);

/* Newton on u = (x0, T) (nu = n + 1, λ fixed) or u = (x0, T, λ) (nu = n + 2) for
   x(T) − x0 = 0, ⟨fref, x0 − xref⟩ = 0 and, when nu = n + 2, ⟨row, u⟩ = rowval. Returns
   the iterations, or -1 without convergence; on success the last shot was taken within
   a negligible step of u. */
int nd_shoot_newton(nd_shoot *s, double *u, size_t nu, const double *xref, const double *fref,
                    const double *row, double rowval);

/* The unit tangent of the branch at the last shot (nu = n + 2): the kernel of the first
   n + 1 rows with phase row fref, oriented along dir; 0 or -1. */
int nd_shoot_tangent(nd_shoot *s, const double *fref, const double *dir, double *t);

/* Floquet multipliers of the last shot (eigenvalues of M) into re, im (n each), with the
   index of the one nearest 1, whether all others lie inside the unit circle, and the
   largest modulus among them; 0 or -1. */
int nd_shoot_floquet(nd_shoot *s, double *re, double *im, size_t *trivial, int *stable,
                     double *mult_max);

#endif
