/* The covariance matrix adaptation evolution strategy, (μ/μ_w, λ)-CMA-ES with cumulative
   step-size adaptation and rank-one plus rank-μ updates of the covariance, as written in
   Hansen's tutorial (arXiv:1604.00772): a minimiser that needs only values of the
   objective, for objectives that are noisy, flat in places or not differentiable (spike
   counts, features of a simulated trace). Seeded and deterministic; the population may be
   evaluated by several threads with the same result. The details are in docs/science.md. */
#ifndef ND_LEARN_CMAES_H
#define ND_LEARN_CMAES_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/dist.h"

#include "../base/error.h"

/* The objective at x (n values): 0 with *value set, or nonzero when it cannot be
   evaluated, which counts as +inf (so does a NaN value). Called from several threads at
   once when threads > 1: it must not change shared state. */
typedef int (*nd_cmaes_fn)(void *ctx, const double *x, size_t n, double *value);

/* Why a run ended. */
typedef enum nd_cmaes_stop {
    ND_CMAES_TARGET,       /* the best value reached ftarget */
    ND_CMAES_TOLFUN,       /* the values of recent generations span less than tolfun */
    ND_CMAES_TOLX,         /* every coordinate's step (σ·sqrt(C_ii) and σ·p_c,i) < tolx */
    ND_CMAES_MAXEVALS,     /* max_evals evaluations were spent */
    ND_CMAES_STAGNATION,   /* the median of recent best values stopped improving */
    ND_CMAES_CONDITION,    /* the covariance's condition number passed 1e14 */
    ND_CMAES_INTERRUPT     /* *interrupt became nonzero */
} nd_cmaes_stop;

/* What a progress callback sees after each generation. */
typedef struct nd_cmaes_state {
    long generation, evals;
    double best;           /* the best value so far */
    double gen_best;       /* the best value of this generation */
    double sigma;          /* the step size */
    const double *xbest;   /* the best point so far (n values) */
} nd_cmaes_state;

typedef struct nd_cmaes_options {
    size_t lambda;         /* population; 0: 4 + floor(3 ln n) */
    double sigma0;         /* initial step size, in the units of x (> 0) */
    const double *lower;   /* NULL, or n lower bounds (-INFINITY: none) */
    const double *upper;   /* NULL, or n upper bounds (INFINITY: none) */
    uint64_t seed;         /* the same seed gives the same run on every machine */
    int threads;           /* >= 1: threads evaluating a generation; the result does not
                              depend on it */
    long max_evals;        /* 0: 1000 (n + 5)^2 / sqrt(λ) */
    double ftarget;        /* stop once the best value is <= this (-INFINITY: never) */
    double tolfun;         /* default 1e-12 */
    double tolx;           /* NAN (the default): 1e-12 · sigma0 */
    long stagnation;       /* generations of the stagnation window; 0: 100 + 100 n^1.5/λ */
    const atomic_int *interrupt;  /* nonzero stops the run, keeping the best (may be NULL) */
    void (*progress)(void *ctx, const nd_cmaes_state *s);  /* after each generation, or NULL */
    void *progress_ctx;
    nd_dist *dist;         /* the ranks sharing each generation's candidates (pool_dist.h;
                              every rank runs the same minimisation); NULL: the process's,
                              nd_dist_current */
} nd_cmaes_options;

/* Fills o with the defaults above, sigma0 = 0.3, one thread, seed 1, no bounds. */
void nd_cmaes_options_default(nd_cmaes_options *o);

typedef struct nd_cmaes_result {
    double fbest;          /* the best value found (+inf when no evaluation succeeded) */
    long evals, generations;
    nd_cmaes_stop stop;
    double sigma;          /* the step size at the end */
    size_t lambda;         /* the population used */
} nd_cmaes_result;

/* Minimises f over n >= 1 coordinates from the mean x0 with options o, writing the best
   point evaluated into xbest (n values; inside the bounds) and the run's summary into *r.
   Within bounds each candidate is evaluated at its projection onto the box, and its value
   penalised by the squared distance to it (docs/science.md). ND_EVALUE for bad options
   (n = 0, sigma0 <= 0, threads < 1, lower > upper, x0 not finite); ND_ENOMEM; otherwise
   ND_OK, also when interrupted (r->stop says so). */
nd_status nd_cmaes_minimize(nd_cmaes_fn f, void *ctx, size_t n, const double *x0,
                            const nd_cmaes_options *o, double *xbest, nd_cmaes_result *r,
                            nd_error *err);

/* Returns a short name of a stop reason ("tolfun", "max_evals" ...). */
const char *nd_cmaes_stop_name(nd_cmaes_stop s);

#endif
