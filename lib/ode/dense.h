/* The continuous solution of a solve, kept after it: every point the solver computed
   (t, y) with the slope f(t, y) there, so that between two points the cubic Hermite
   interpolant gives y(t) to the solver's own order (O(h^4) on the step h) at any t, not
   only at the output samples. Spike times and peaks come from it, independent of how
   densely the output was sampled. */
#ifndef ND_ODE_DENSE_H
#define ND_ODE_DENSE_H

#include <stddef.h>

#include "../base/error.h"
#include "problem.h"
#include "solve.h"

typedef struct nd_dense nd_dense;

/* Returns an empty record for the n variables named names (copied), or NULL on ENOMEM. */
nd_dense *nd_dense_create(size_t n, const char *const *names);

/* Frees d; NULL is allowed. */
void nd_dense_free(nd_dense *d);

/* Returns an independent copy, or NULL on ENOMEM. */
nd_dense *nd_dense_copy(const nd_dense *d);

/* Makes opt record every solution point of the next solve of p into d (p->n must equal
   d's n and p must outlive the solve). The slope is evaluated with p->rhs, outside the
   solver's counts; at a break of p both one-sided slopes are kept. */
void nd_dense_attach(nd_dense *d, const nd_ode_problem *p, nd_ode_options *opt);

/* Ends recording: 0 when d holds the whole solve, -1 when it ran out of memory or past
   its size limit (then d is incomplete and must not be used). */
int nd_dense_detach(nd_dense *d, nd_ode_options *opt);

/* Returns the number of recorded points. */
size_t nd_dense_count(const nd_dense *d);

/* Returns the index of the variable called name, or -1. */
int nd_dense_find(const nd_dense *d, const char *name);

/* Returns the recorded times (nd_dense_count values, non-decreasing; a reset gives two
   points at the same time). */
const double *nd_dense_times(const nd_dense *d);

/* Copies variable var at every recorded point into out (nd_dense_count values). */
void nd_dense_values(const nd_dense *d, size_t var, double *out);

/* Returns the first t in segment [t_k, t_k+1] where variable var reaches level going up
   (y_k < level <= y_k+1 is assumed), to ~1e-14 of the segment. */
double nd_dense_cross(const nd_dense *d, size_t var, size_t k, double level);

/* Returns the largest value of variable var on segment [t_k, t_k+1] and its time in *tmax. */
double nd_dense_max(const nd_dense *d, size_t var, size_t k, double *tmax);

/* Returns variable var at t inside [t_0, t_last] (the later side at a reset). */
double nd_dense_eval(const nd_dense *d, size_t var, double t);

#endif
