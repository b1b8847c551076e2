/* Locating a sign change of a scalar function inside a bracket. */
#ifndef ND_BASE_ROOT_H
#define ND_BASE_ROOT_H

/* Evaluates the function whose sign change is sought at s; NaN stops the search. */
typedef double (*nd_root_fn)(void *ctx, double s);

/* Narrows a sign change of g between s0 (where g = g0) and s1 (g = g1) by the Illinois
   variant of regula falsi until g = 0, |s1 − s0| < tol or maxit evaluations. *s is the
   last point evaluated, so any state g leaves behind belongs to it. 0, or -1 when g
   returned NaN. */
int nd_root_illinois(nd_root_fn g, void *ctx, double s0, double g0, double s1, double g1,
                     double tol, int maxit, double *s);

#endif
