/* Symbolic regression internals: trees in prefix order, the operator table, batched
   evaluation with forward-mode derivatives, constant fitting and one island's evolution.
   Private to lib/learn/symreg*.c. */
#ifndef ND_LEARN_SYMREG_IMPL_H
#define ND_LEARN_SYMREG_IMPL_H

#include "../base/rng.h"
#include "../expr/compile.h"
#include "symreg.h"

/* SR_MAX_ARG: the most nodes in an argument of exp, sin, a model function … (a physical
   formula takes exp(-x^2/2), mInf(V), not a polynomial fitted inside). */
enum { SR_MAX_CONSTS = 16, SR_MAX_ARG = 5 };

typedef enum sr_kind { SR_CONST, SR_VAR, SR_OP } sr_kind;

typedef struct sr_node {
    uint8_t kind;      /* sr_kind */
    uint8_t op;        /* SR_OP: index into the operator table */
    uint8_t arity;     /* SR_OP: the operator's, so a subtree's extent needs no table */
    uint16_t var;      /* SR_VAR: input column */
    double c;          /* SR_CONST: value */
} sr_node;

/* An expression in prefix order; loss NAN until scored. */
typedef struct sr_tree {
    int n;
    sr_node nodes[ND_SYMREG_MAX_SIZE];
    double loss;       /* mean squared error on the search rows */
    double score;      /* log of the relative loss plus parsimony × size (lower wins) */
    long birth;        /* when it entered its population (the oldest is replaced) */
} sr_tree;

/* Built-in operator codes, in table order; model functions follow SR_FN. */
typedef enum sr_opcode {
    SR_ADD, SR_SUB, SR_MUL, SR_DIV, SR_POW,
    SR_NEG, SR_EXP, SR_LOG, SR_SQRT, SR_SIN, SR_COS, SR_TANH, SR_ABS, SR_INV,
    SR_POW2, SR_POW3, SR_FN
} sr_opcode;

enum { SR_NDIMS = 4 };

/* An input's dimension: known (exponents) or not (no unit, or one not understood). */
typedef struct sr_dim {
    int known;
    signed char e[SR_NDIMS];
} sr_dim;

typedef struct sr_op {
    int code;          /* sr_opcode (SR_FN for a model function) */
    int arity;
    const char *name;  /* as written in expressions (pow2 is written x^2) */
    nd_code *fn;       /* SR_FN: f and its partial derivatives, compiled */
    sr_dim arg[2];     /* SR_FN: what each argument must be, known when the function's
                          parameter is named like a state or parameter of its model with
                          a unit (mInf(V): mV) */
} sr_op;

/* The operator set of a search: the allowed ones (mutations draw from them), and + - * /
   pow2 pow3 neg always, because simplification may write them. */
typedef struct sr_ops {
    sr_op op[ND_SYMREG_MAX_OPS];
    int nop;
    int allowed[ND_SYMREG_MAX_OPS];   /* indices drawn by mutations */
    int nallowed;
} sr_ops;

/* Builds the operator set (symreg_ops.c); ValueError for an unknown name or function. */
nd_status sr_ops_build(sr_ops *ops, const nd_symreg_options *o, nd_error *err);

/* Frees the compiled model functions of ops. */
void sr_ops_free(sr_ops *ops);

/* Returns the index of the operator called name with arity, or -1. */
int sr_ops_find(const sr_ops *ops, const char *name, int arity);

/* ---- trees (symreg_tree.c) ---- */

/* Returns the index one past the subtree starting at node i. */
int sr_subtree_end(const sr_tree *t, int i);

/* Counts the constants. */
int sr_nconsts(const sr_tree *t);

/* Replaces nodes [i, end) of t by the n nodes of src; 0, or -1 when the result would
   exceed max nodes (t unchanged). */
int sr_splice(sr_tree *t, int i, int end, const sr_node *src, int n, int max);

/* Writes a random tree of at most max nodes (at least 1) into out; returns its size. */
int sr_random(const sr_ops *ops, int nvars, nd_rng *rng, int max, sr_node *out);

/* Turns t into a mutated copy of parent or a crossover of parent with other (other may
   be NULL: no crossover). Returns 0, or -1 when no valid child came out. */
int sr_vary(const sr_ops *ops, int nvars, int maxsize, nd_rng *rng, const sr_tree *parent,
            const sr_tree *other, sr_tree *t);

/* 1 when no transcendental operator (exp, log, sqrt, sin, cos, tanh, pow, a model's
   function) sits inside another and none has arguments above SR_MAX_ARG nodes each. */
int sr_nesting_ok(const sr_tree *t, const sr_ops *ops);

/* Replaces a/a by 1 and a − a by 0 (identical subtrees, constants included), which the
   expression engine's simplifier leaves alone; returns how many it replaced. */
int sr_cancel(sr_tree *t, const sr_ops *ops);

/* ---- dimensions (symreg_units.c) ---- */

/* Exponents of time, potential, current and current density. */
/* dims[j] from units[j] ("ms", "mV", "pA", "uA/cm^2", … as lib/data/units.h reads them;
   "1" dimensionless; NULL, "" or another: unknown). units may be NULL (all unknown). */
void sr_dims_from_units(const char *const *units, size_t nvars, sr_dim *dims);

/* 0 when t adds or subtracts two subtrees of known, different dimensions, applies exp,
   log, sin, cos or tanh to a known dimensional one, or gives a model function an argument
   of a known dimension other than its parameter's (constants make a term's dimension
   free); 1 otherwise, and always when dims is NULL. */
int sr_units_ok(const sr_tree *t, const sr_ops *ops, const sr_dim *dims);

/* ---- expressions (symreg_expr.c) ---- */

/* t as an expression over vars, constants exact; NULL on ENOMEM. */
nd_expr *sr_to_expr(const sr_tree *t, const sr_ops *ops, const char *const *vars);

/* Reads e back into t; -1 when e uses something outside ops/vars or is too large. */
int sr_from_expr(const nd_expr *e, const sr_ops *ops, const char *const *vars, size_t nvars,
                 int max, sr_tree *t);

/* Cancels (sr_cancel) and simplifies t in place with the expression engine's simplifier;
   -1 (t only cancelled) when the simplified form cannot be read back. */
int sr_simplify(sr_tree *t, const sr_ops *ops, const char *const *vars, size_t nvars,
                int max);

/* ---- evaluation (symreg_eval.c) ---- */

/* Per-worker scratch for evaluating trees on `rows` samples. */
typedef struct sr_scratch {
    size_t rows;
    double *buf;        /* ND_SYMREG_MAX_SIZE slots × (1 + SR_MAX_CONSTS) × rows */
    double *jac;        /* rows × SR_MAX_CONSTS */
    double *pred;       /* rows */
    double *tmp;        /* 4 × rows: operands made columns, partial derivatives */
    /* Optional: fncache[op * nvars + var] is one-argument function op at input var over
       these rows (a model function of a raw input is the same column in every tree). */
    const double *const *fncache;
    size_t nvars;
} sr_scratch;

/* Allocates s for rows samples (no function cache); 0, or -1 on ENOMEM (s freed). */
int sr_scratch_init(sr_scratch *s, size_t rows);

/* Frees s's buffers and zeroes it. */
void sr_scratch_free(sr_scratch *s);

/* Evaluates t on X (rows × nvars, column-major: column j at X + j*rows) into s->pred and,
   when jac, the derivatives of the prediction by each constant (in prefix order) into
   s->jac (column k at s->jac + k*rows). Returns 0, or -1 when a value is not finite. */
int sr_eval(const sr_tree *t, const sr_ops *ops, const double *X, sr_scratch *s, int jac);

/* ---- constants (symreg_const.c) ---- */

/* Fits t's constants to y by Levenberg–Marquardt (at most iters iterations) and sets
   t->loss to the mean squared error (INFINITY when t cannot be evaluated). Returns the
   number of evaluations made. */
int sr_fit(sr_tree *t, const sr_ops *ops, const double *X, const double *y, sr_scratch *s,
           int iters);

/* ---- islands (symreg_island.c) ---- */

/* What every island reads: the operators, the search rows and the options. */
typedef struct sr_world {
    const nd_symreg_options *o;
    sr_ops ops;
    const double *X;            /* rows × nvars, column-major */
    const double *y;
    size_t rows, nvars;
    const char *const *vars;
    double var_y;               /* variance of y over the rows (at least tiny) */
    const sr_dim *dims;         /* the inputs' dimensions, or NULL: none known */
    const double **fncache;     /* as sr_scratch.fncache, over the search rows */
} sr_world;

/* Hall of fame: the most accurate tree of each size (loss NAN: none yet). */
typedef struct sr_hof {
    sr_tree best[ND_SYMREG_MAX_SIZE + 1];
} sr_hof;

typedef struct sr_island {
    nd_rng rng;
    sr_tree *pop;
    size_t npop;
    sr_hof hof;
    long clock;                 /* children made: birth times */
    long evals;
} sr_island;

/* Empties h. */
void sr_hof_clear(sr_hof *h);

/* Offers t to h: kept when it beats the tree of its size. */
void sr_hof_offer(sr_hof *h, const sr_tree *t);

/* Sets t's score from its loss and size. */
void sr_score(const sr_world *w, sr_tree *t);

/* Seeds island isl (pop allocated by the caller) with random fitted trees. */
void sr_island_init(const sr_world *w, sr_island *isl, uint64_t seed, sr_scratch *s);

/* Runs gens generations of isl; stops early (returning 1) when *interrupt is set. */
int sr_island_run(const sr_world *w, sr_island *isl, int gens, sr_scratch *s,
                  const atomic_int *interrupt);

/* Replaces isl's oldest members by copies of random trees of h (Pareto members). */
void sr_island_migrate(const sr_world *w, sr_island *isl, const sr_hof *h);

/* Shrinks an exact t (error at rounding level) while it stays exact (symreg_prune.c). */
void sr_prune(const sr_world *w, sr_tree *t, sr_scratch *s);

/* ---- the front (symreg_front.c) ---- */

/* The result for h's Pareto members: errors over X (rows × nvars, row-major) and y when X
   is given (the front then recomputed on them), else h's own search-row errors (progress
   snapshots). NULL on ENOMEM. */
nd_symreg_result *sr_result_build(const sr_world *w, const sr_hof *h, const double *X,
                                  const double *y, size_t rows);

#endif
