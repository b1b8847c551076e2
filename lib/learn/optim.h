/* Optimizers over a flat parameter vector θ ∈ R^n: Adam, AdamW and L-BFGS with a strong
   Wolfe line search. An nd_optim keeps its state (moments, curvature pairs, best point,
   loss history) between runs, so training continues after an interrupt or in a later
   call. A failed objective evaluation (an ODE solve that blew up) rejects the step
   instead of ending the run. Stages chain by running one optimizer after another on the
   same θ (Adam then L-BFGS): every run leaves θ at the best point it has seen. */
#ifndef ND_LEARN_OPTIM_H
#define ND_LEARN_OPTIM_H

#include <jansson.h>
#include <stdatomic.h>
#include <stddef.h>

#include "../base/error.h"

/* Writes f(θ) and ∇f(θ) into *f and g; returns 0, or nonzero when f cannot be evaluated
   at θ (e.g. the ODE solve blew up) — the optimizer then rejects the step. */
typedef int (*nd_objective)(void *ctx, const double *theta, double *f, double *g);

typedef enum nd_optim_kind { ND_OPTIM_ADAM, ND_OPTIM_ADAMW, ND_OPTIM_LBFGS } nd_optim_kind;

typedef struct nd_optim_options {
    double lr, beta1, beta2, eps;  /* Adam(W) */
    double weight_decay;     /* Adam: L2 term wd·θ added to ∇f; AdamW: decoupled θ ← θ(1−lr·wd) */
    int memory;              /* L-BFGS: curvature pairs kept */
    double c1, c2;           /* L-BFGS: strong Wolfe constants, 0 < c1 < c2 < 1 */
    int max_ls;              /* L-BFGS: objective evaluations per line search */
    double gtol;             /* stop when ‖∇f‖₂ ≤ gtol (0: never) */
    double ftol;             /* L-BFGS: stop when (f_prev−f)/max(|f_prev|,|f|,1) ≤ ftol */
} nd_optim_options;

/* Why the last run stopped. */
typedef enum nd_optim_stop {
    ND_OPTIM_RUNNING, ND_OPTIM_ITERS, ND_OPTIM_GTOL, ND_OPTIM_FTOL, ND_OPTIM_STALLED,
    ND_OPTIM_INTERRUPTED
} nd_optim_stop;

/* One accepted L-BFGS step along direction d: φ(α) = f(θ + α d). */
typedef struct nd_optim_step {
    double f0, slope0;       /* φ(0), φ'(0) */
    double alpha, f, slope;  /* the accepted α, φ(α), φ'(α) */
    double c1, c2;
    int wolfe;               /* 1: strong Wolfe holds; 0: sufficient decrease only (fallback) */
} nd_optim_step;

typedef struct nd_optim_callbacks {
    const atomic_int *interrupt;   /* optional: nonzero stops at the next iteration */
    /* Optional: called after every iteration with the total iteration count, the
       current f, ‖∇f‖₂ and the seconds since the run started. */
    void (*progress)(void *ctx, long iter, double f, double gnorm, double elapsed);
    void *progress_ctx;
    /* Optional: called with every accepted L-BFGS line-search step (a test hook). */
    void (*step)(void *ctx, const nd_optim_step *s);
    void *step_ctx;
} nd_optim_callbacks;

typedef struct nd_optim_info {
    nd_optim_kind kind;
    size_t n;
    long iterations;         /* over all runs */
    long evaluations;        /* objective calls over all runs */
    long failures;           /* rejected evaluations (objective returned nonzero) */
    nd_optim_stop stop;      /* why the last run stopped */
} nd_optim_info;

typedef struct nd_optim nd_optim;

/* Fills o with the defaults: lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 0,
   memory 10, c1 1e-4, c2 0.9, max_ls 25, gtol 1e-8, ftol 1e-12. */
void nd_optim_options_default(nd_optim_options *o);

/* Checks o for kind; ND_EVALUE with a message naming the bad option. */
nd_status nd_optim_check(nd_optim_kind kind, const nd_optim_options *o, nd_error *err);

/* Returns a fresh optimizer for n parameters (o NULL: defaults), or NULL when n is 0, o
   fails nd_optim_check, or memory runs out. */
nd_optim *nd_optim_create(nd_optim_kind kind, size_t n, const nd_optim_options *o);

/* Frees opt (NULL is fine). */
void nd_optim_free(nd_optim *opt);

/* Runs up to iters iterations from theta (n values) and leaves theta at the best point
   seen. cb may be NULL. Errors: ND_EINTERRUPT (theta at the best point; run again to
   continue), ND_ESOLVER (objective fails at the starting theta), ND_EVALUE, ND_ENOMEM. */
nd_status nd_optim_run(nd_optim *opt, double *theta, nd_objective fn, void *ctx, long iters,
                       const nd_optim_callbacks *cb, nd_error *err);

/* Returns the best θ seen so far and stores its f in *f (when f is not NULL); NULL
   before any successful evaluation. */
const double *nd_optim_best(const nd_optim *opt, double *f);

/* Returns f after each iteration, oldest first, over all runs; *len gets the count. */
const double *nd_optim_history(const nd_optim *opt, size_t *len);

/* Returns the counters and the last stop reason. */
nd_optim_info nd_optim_get_info(const nd_optim *opt);

/* Returns "adam", "adamw" or "lbfgs". */
const char *nd_optim_kind_name(nd_optim_kind kind);

/* Returns why a run stopped, in words ("iteration limit", "gradient below gtol" …). */
const char *nd_optim_stop_text(nd_optim_stop s);

/* Returns the whole state as a new JSON object (NULL when memory runs out). */
json_t *nd_optim_to_json(const nd_optim *opt);

/* Rebuilds an optimizer from nd_optim_to_json's output; NULL with ND_EVALUE or ND_ENOMEM
   in err when j is malformed or memory runs out. */
nd_optim *nd_optim_from_json(const json_t *j, nd_error *err);

#endif
