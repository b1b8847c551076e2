/* Equilibria of a compiled model: Newton's method on f(x; p) = 0 with the model's
   symbolic Jacobian, the Jacobian's eigenvalues (LAPACK dgeev), their classification,
   and a search from a grid of seeds that keeps each distinct equilibrium once. Works for
   any number of states; parameters p are nd_model_pars-style vectors (npar values). */
#ifndef ND_ANALYSIS_EQUILIBRIA_H
#define ND_ANALYSIS_EQUILIBRIA_H

#include <stddef.h>

#include "../base/error.h"
#include "../models/model.h"

/* Writes the Jacobian df/dx at (x; p), row-major n x n: the symbolic one when the model
   has it, central differences otherwise. ND_ESOLVER when it is not finite. */
nd_status nd_eq_jacobian(const nd_model *m, const double *p, const double *x, double *J,
                         nd_error *err);

/* Newton's method on f(x; p) = 0 from x (n states) with the model's Jacobian, damped by
   step halving; ND_OK with x converged (|dx_i| <= tol (1 + |x_i|) and f finite), ND_ESOLVER
   otherwise (x is then left where the iteration stopped). */
nd_status nd_eq_newton(const nd_model *m, const double *p, double *x, double tol, int maxit,
                       nd_error *err);

/* Eigenvalues of the Jacobian at (x; p) (LAPACK dgeev): re[n], im[n], sorted by
   decreasing real part (a complex pair: positive imaginary part first). */
nd_status nd_eq_eigen(const nd_model *m, const double *p, const double *x, double *re,
                      double *im, nd_error *err);

typedef enum nd_eq_kind {
    ND_EQ_STABLE_NODE,     /* every Re < 0, leading (largest Re) eigenvalue real */
    ND_EQ_STABLE_FOCUS,    /* every Re < 0, leading eigenvalue complex: spirals in */
    ND_EQ_UNSTABLE_NODE,   /* every Re > 0, leading eigenvalue real */
    ND_EQ_UNSTABLE_FOCUS,  /* every Re > 0, leading eigenvalue complex */
    ND_EQ_SADDLE,          /* some Re > 0 and some Re < 0 (none on the axis) */
    ND_EQ_SADDLE_FOCUS,    /* a saddle whose leading (unstable) eigenvalues are a complex
                              pair: trajectories spiral out along it (HH just past its Hopf) */
    ND_EQ_CENTER,          /* every eigenvalue purely imaginary (linear centre) */
    ND_EQ_NONHYPERBOLIC    /* some eigenvalue on the imaginary axis otherwise (zero: fold) */
} nd_eq_kind;

/* Classifies eigenvalues sorted as nd_eq_eigen gives them; Re is taken as zero when
   |Re| <= 1e-9 max(1, max |lambda|). */
nd_eq_kind nd_eq_classify(const double *re, const double *im, size_t n);

/* Returns the kind's name: "stable node", "stable focus", "unstable node", "unstable
   focus", "saddle", "centre", "non-hyperbolic". */
const char *nd_eq_kind_name(nd_eq_kind k);

/* Returns 1 when the kind is asymptotically stable (stable node or focus), else 0. */
int nd_eq_kind_stable(nd_eq_kind k);

/* Distinct equilibria with their eigenvalues: point i has state x[i*n .. i*n+n), and
   eigenvalues re/im[i*n .. i*n+n) sorted as nd_eq_eigen gives them. */
typedef struct nd_eq_list {
    size_t n;          /* states per point */
    size_t count;      /* points found */
    size_t cap;
    double *x, *re, *im;
    nd_eq_kind *kind;
} nd_eq_list;

/* Prepares an empty list of points with n states. */
void nd_eq_list_init(nd_eq_list *l, size_t n);

/* Frees the list's arrays and empties it (n kept). */
void nd_eq_list_free(nd_eq_list *l);

/* Adds equilibrium x (n values) with its eigenvalues and kind unless a point within
   relative distance 1e-6 (per state: |dx_i| <= 1e-6 (|x_i| + scale_i), scale NULL: 1)
   is already listed; returns 1 added, 0 duplicate, -1 ENOMEM. */
int nd_eq_list_add(nd_eq_list *l, const double *x, const double *re, const double *im,
                   nd_eq_kind kind, const double *scale);

/* Linearises m at x (any state, not only an equilibrium): appends x with its eigenvalues
   and kind to l (n = m's states; as nd_eq_list_add) and sets *max_rate to the largest
   |dx/dt| at x (0 at an equilibrium). ND_ENOMEM, ND_ESOLVER from the eigenvalues. */
nd_status nd_eq_linearise(const nd_model *m, const double *p, const double *x, nd_eq_list *l,
                          double *max_rate, nd_error *err);

/* Sorts the points by their first state, ascending (stable output order). */
void nd_eq_list_sort(nd_eq_list *l);

/* Where nd_eq_find_all seeds Newton: a grid of per_axis values over [lo_i, hi_i] for
   each state with lo_i < hi_i (states with lo_i == hi_i stay at lo_i; per_axis 0 picks
   about 400 seeds in all, at least 2 per axis), plus nextra given seeds (n values each,
   e.g. samples of a trajectory). */
typedef struct nd_eq_seeds {
    const double *lo, *hi;   /* n values each */
    size_t per_axis;
    const double *extra;     /* nextra * n values, or NULL */
    size_t nextra;
} nd_eq_seeds;

/* Sets [lo[i], hi[i]] for every state of m to where equilibria are looked for, and phase
   planes drawn, when no range is given: x0 ± max(1, 2|x0|) around the state's value x0,
   which holds every equilibrium of the built-in models around their rest; but [0, 1] for a
   gate — a dimensionless state starting in [0, 1] whose flow at parameters p keeps it
   there (dx/dt ≥ 0 at x = 0 and ≤ 0 at x = 1 wherever the other states are in their
   ranges; checked on a grid, or on 256 seeded points past 5 states), as hh's m, h and n:
   outside [0, 1] a probability has no meaning. ND_ENOMEM, else ND_OK. */
nd_status nd_eq_default_box(const nd_model *m, const double *p, const double *x0, double *lo,
                            double *hi);

/* Finds all equilibria Newton reaches from the seeds, deduplicated (scale: hi - lo per
   state) and sorted by the first state, each with eigenvalues and kind; appends them to
   out (initialised with the model's state count). Seeds that do not converge are
   skipped. ND_OK (possibly with no point), ND_ENOMEM, ND_EVALUE for bad seeds. */
nd_status nd_eq_find_all(const nd_model *m, const double *p, const nd_eq_seeds *seeds,
                         nd_eq_list *out, nd_error *err);

#endif
