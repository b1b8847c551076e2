/* Symbolic regression by genetic programming: a search over expression trees for the
   formulas that explain a target y from inputs X, returning the Pareto front of
   complexity (node count) against error (Koza 1992; Schmidt & Lipson 2009; the island
   scheme of SymbolicRegression.jl, Cranmer 2023).

   Several islands evolve populations independently, each with its own seeded random
   stream, and exchange their best expressions at fixed generations; every candidate is
   simplified by the expression engine's simplifier and its constants are fitted by
   Levenberg–Marquardt with exact derivatives (forward mode on the tree). The same seed
   gives the same front whatever the number of threads. */
#ifndef ND_LEARN_SYMREG_H
#define ND_LEARN_SYMREG_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"
#include "../expr/ast.h"
#include "../models/model.h"

enum { ND_SYMREG_MAX_SIZE = 60, ND_SYMREG_MAX_VARS = 32, ND_SYMREG_MAX_OPS = 48 };

typedef struct nd_symreg_result nd_symreg_result;

typedef struct nd_symreg_options {
    const char *const *ops;        /* operator names: + - * / (or add sub mul div), pow, neg,
                                      exp, log, sqrt, sin, cos, tanh, abs, inv, pow2 (square),
                                      pow3 (cube); NULL: + - * / exp pow2 */
    size_t nops;
    const nd_model *fnmodel;       /* the model whose functions may be primitives */
    const char *const *functions;  /* those functions (one or two arguments) */
    size_t nfunctions;
    int maxsize;                   /* largest expression, in nodes (default 30) */
    long iters;                    /* generations per island (default 300) */
    uint64_t seed;                 /* default 1 */
    unsigned islands;              /* default 8 */
    unsigned threads;              /* workers (0: every core); never changes the result */
    size_t population;             /* per island (default 48) */
    int migrate_every;             /* generations between migrations (default 10) */
    double parsimony;              /* score = log max(nmse, 1e-20) + parsimony·size (0.02):
                                      a node must cut the error by e^parsimony */
    size_t max_rows;               /* rows the search uses, evenly spaced (default 256) */
    double stop_error;             /* stop when an expression's relative RMS error is below
                                      it (default 1e-9; 0: run every generation) */
    const char *const *units;      /* optional, one per input: its unit ("ms", "mV", "pA",
                                      "uA/cm^2", "1" for none; NULL or another: unknown).
                                      Candidates that add inputs of different known
                                      dimensions, or take exp, log, sin, cos, tanh of a
                                      dimensional one, are refused (symreg_units.c) */
    const atomic_int *interrupt;   /* optional: stops at the next generation, front kept */
    /* Optional: called on the calling thread after every migration with the front so far
       and the generations done out of the total. */
    void (*progress)(void *ctx, const nd_symreg_result *front, long gen, long total);
    void *progress_ctx;
} nd_symreg_options;

/* Fills o with the defaults above. */
void nd_symreg_options_default(nd_symreg_options *o);

/* One expression of the front. */
typedef struct nd_symreg_entry {
    int size;                      /* nodes */
    double mse;                    /* mean squared error over all rows */
    double nrmse;                  /* RMS error / RMS deviation of y about its mean */
    nd_expr *expr;                 /* over the input names and the functions */
    char *text;                    /* as infix text */
    char *latex;
} nd_symreg_entry;

struct nd_symreg_result {
    nd_symreg_entry *front;        /* the Pareto front, increasing size, decreasing error */
    size_t nfront;
    size_t pick;                   /* the chosen entry (nd_symreg_pick) */
    long generations;              /* done per island */
    long evaluations;              /* candidates scored over all islands */
    int interrupted;               /* 1: stopped by the user; the front is what was found */
    int stopped_early;             /* 1: stop_error was reached */
    double seconds;
    size_t rows;                   /* samples in the final errors */
    size_t nvars;
    char *vars[ND_SYMREG_MAX_VARS];
};

/* Searches for y (rows values) as a function of X (rows × nvars, row-major; the columns
   named vars). Returns the result (interrupted or not: the front found so far is kept),
   or NULL with the error in err: ValueError for bad options (an unknown operator, a
   function not in fnmodel or of another arity, maxsize out of 3..60), too few rows,
   non-finite samples; ENOMEM. The interrupt is reported in the result, not as an error. */
nd_symreg_result *nd_symreg_run(const double *X, const double *y, size_t rows,
                                const char *const *vars, size_t nvars,
                                const nd_symreg_options *o, nd_error *err);

/* Sets r->pick: the entry of size pick_size (or the largest below it) when pick_size > 0,
   else the smallest expression whose relative error is within 1.5× (plus 1e-9) of the
   most accurate one's. */
void nd_symreg_pick(nd_symreg_result *r, int pick_size);

/* Frees r (NULL is fine). */
void nd_symreg_result_free(nd_symreg_result *r);

#endif
