/* Internals shared by the optimizer files: the state layout and the step routines. */
#ifndef ND_LEARN_OPTIM_IMPL_H
#define ND_LEARN_OPTIM_IMPL_H

#include "optim.h"

struct nd_optim {
    nd_optim_kind kind;
    size_t n;
    nd_optim_options o;
    long iter, evals, failures;
    nd_optim_stop stop;
    int has_best;
    double best_f;
    double *best, *best_g;         /* the best point and its gradient */
    double *hist;
    size_t hist_len, hist_cap;
    /* Adam(W): moments, step count, and a step-size factor shrunk by rejected steps. */
    double *m, *v;
    long t;
    double lr_scale;
    /* L-BFGS: ring buffers of memory pairs (s, y) with rho = 1/(s·y). */
    double *S, *Y, *rho;
    int mem_len, mem_head;         /* pairs held; index of the oldest */
    /* Scratch for one run: current point, trial point, direction, line-search best. */
    double f, ft;
    double *x, *g, *xt, *gt, *d, *xlo, *glo, *work;
};

/* The objective of a run. */
typedef struct nd_optim_fn {
    nd_objective fn;
    void *ctx;
} nd_optim_fn;

/* Evaluates at x, counting the call and recording the best point; a nonzero return from
   the objective or a non-finite f or ∇f counts as a failure and returns nonzero. */
int nd_optim_eval(nd_optim *opt, const nd_optim_fn *r, const double *x, double *f, double *g);

/* Makes room for `more` history entries up front so a run's loop cannot fail; -1 when
   memory runs out. */
int nd_optim_reserve_history(nd_optim *opt, long more);

/* Returns the dot product of a and b (length n). */
double nd_optim_dot(const double *a, const double *b, size_t n);

/* One Adam(W) iteration from (x, f, g); returns ND_OPTIM_RUNNING to go on. */
nd_optim_stop nd_optim_adam_iter(nd_optim *opt, const nd_optim_fn *r);

/* One L-BFGS iteration from (x, f, g); returns ND_OPTIM_RUNNING to go on. */
nd_optim_stop nd_optim_lbfgs_iter(nd_optim *opt, const nd_optim_fn *r,
                                  const nd_optim_callbacks *cb);

/* Searches along d from (x, f) with slope0 = g·d < 0, starting at alpha0; on success
   leaves the point in (xt, ft, gt), fills st and returns 1 (strong Wolfe) or 0 (only
   sufficient decrease); returns -1 when no acceptable point was found. */
int nd_optim_wolfe(nd_optim *opt, const nd_optim_fn *r, double alpha0, double slope0,
                   nd_optim_step *st);

#endif
