/* Locating the minimum of a scalar function inside a bracket. */
#ifndef ND_BASE_MINIMIZE_H
#define ND_BASE_MINIMIZE_H

/* Evaluates the function to minimise at x. */
typedef double (*nd_min_fn)(void *ctx, double x);

/* Brent's method (golden sections and parabolic steps) on [a, b], starting from x0 inside
   it where f = f0, until the minimum is located within tol (absolute, in x) or after maxit
   evaluations. Returns the best x evaluated and sets *fx to its value. */
double nd_min_brent(nd_min_fn f, void *ctx, double a, double b, double x0, double f0,
                    double tol, int maxit, double *fx);

#endif
