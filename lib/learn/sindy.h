/* Sparse identification of nonlinear dynamics (SINDy): a library of candidate terms
   evaluated on samples, and sparse regression of targets (estimated derivatives, or a
   network's outputs) on it.

   Regression works on the Gram matrix ΘᵀΘ (p × p) and ΘᵀY, formed once with BLAS, so each
   thresholding iteration, each threshold of a sweep and each ensemble member costs
   O(p³) rather than O(N p²). With normalisation (the default) every column and target is
   divided by its root mean square over the samples, the thresholds apply to these
   dimensionless coefficients ("a term must move the target by at least threshold × its
   typical size per typical size of the term"), and results are reported back in original
   units. */
#ifndef ND_LEARN_SINDY_H
#define ND_LEARN_SINDY_H

#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"
#include "../base/strbuf.h"
#include "../data/dataset.h"
#include "../expr/ast.h"
#include "../models/model.h"
#include "deriv.h"
#include "simulate.h"

/* ---- the library ---- */

typedef struct nd_sindy_lib nd_sindy_lib;

/* Returns an empty library over the variables vars[0..nvars) (the columns of the sample
   matrices given to nd_sindy_lib_eval, in that order); NULL on ENOMEM. */
nd_sindy_lib *nd_sindy_lib_create(const char *const *vars, size_t nvars);

/* Frees lib (NULL is fine). */
void nd_sindy_lib_free(nd_sindy_lib *lib);

/* Marks variable name as an input (a stimulus column such as I): it enters a library only
   where it is named (poly(2, v, I), an expression), not through poly(D) over all the
   variables, since an input is not part of the state whose dynamics are sought (and a
   constant input would only duplicate the constant term). 0, or -1 for an unknown name. */
int nd_sindy_lib_set_input(nd_sindy_lib *lib, const char *name);

/* Adds every monomial of total degree 0..degree in the named variables (NULL: all of
   them but the inputs), constant first, then by degree, variables in order ("1", "v",
   "w", "v^2", "v*w", ...); a term already present is not added twice. ValueError for
   degree < 0 or > 10, NameError for an unknown variable. */
nd_status nd_sindy_lib_add_poly(nd_sindy_lib *lib, int degree, const char *const *vars,
                                size_t n, nd_error *err);

/* Adds the expression e over the variables as one candidate; m (may be NULL) supplies
   functions and parameter values (mInf(V), ENa), inlined. NameError (located in e) for
   a name that is neither a variable nor known to m; ValueError for a duplicate. */
nd_status nd_sindy_lib_add_expr(nd_sindy_lib *lib, const nd_expr *e, const nd_model *m,
                                nd_error *err);

/* Adds the product of every term of a with every term of b (both over the same
   variables), skipping duplicates. ValueError when the variables differ. */
nd_status nd_sindy_lib_add_product(nd_sindy_lib *lib, const nd_sindy_lib *a,
                                   const nd_sindy_lib *b, nd_error *err);

/* Returns the number of terms. */
size_t nd_sindy_lib_size(const nd_sindy_lib *lib);

/* Returns term j as text ("v^3", "mInf(V)^3*(V - ENa)") and LaTeX, and its tree (over the
   variables, functions and parameters as written), valid while lib lives. */
const char *nd_sindy_lib_text(const nd_sindy_lib *lib, size_t j);
const char *nd_sindy_lib_latex(const nd_sindy_lib *lib, size_t j);
const nd_expr *nd_sindy_lib_expr(const nd_sindy_lib *lib, size_t j);

/* Returns the number of variables and variable i's name. */
size_t nd_sindy_lib_nvars(const nd_sindy_lib *lib);
const char *nd_sindy_lib_var(const nd_sindy_lib *lib, size_t i);

/* Writes Θ (rows × p, row-major) from the samples X (rows × nvars, row-major). ValueError
   naming the term and the row where a term is not finite. */
nd_status nd_sindy_lib_eval(const nd_sindy_lib *lib, const double *X, size_t rows,
                            double *theta, nd_error *err);

/* ---- sparse regression ---- */

typedef enum nd_sindy_optimizer { ND_SINDY_STLSQ, ND_SINDY_SR3 } nd_sindy_optimizer;

typedef struct nd_sindy_options {
    nd_sindy_optimizer optimizer;
    double threshold;     /* STLSQ: |coefficient| below it is set to 0; SR3: the L0
                             threshold, penalty threshold²/(2ν) */
    double ridge;         /* STLSQ: ridge weight in the least squares (normalised units) */
    double nu;            /* SR3: relaxation, in normalised units (default 100: the relaxed
                             coefficients stay close to the sparse ones) */
    int normalize;        /* 1: columns and targets divided by their RMS (default) */
    int max_iter;         /* STLSQ and SR3 iterations (default 20 and 1000) */
    size_t ensemble;      /* bagging: number of models fitted on resampled rows (0: none) */
    uint64_t seed;        /* of the resampling */
    const char *const *names;  /* the terms' names for messages (NULL: "term 3") */
} nd_sindy_options;

/* Fills o: STLSQ, threshold 0.1, ridge 1e-6, nu 100, normalised, max_iter 0 (= the
   optimizer's default), no ensemble, seed 1, no names. */
void nd_sindy_options_default(nd_sindy_options *o);

/* The option nd_sindy_check_options found wrong, for a caller to point at. */
typedef enum nd_sindy_field {
    ND_SINDY_FIELD_NONE, ND_SINDY_FIELD_THRESHOLD, ND_SINDY_FIELD_RIDGE, ND_SINDY_FIELD_NU
} nd_sindy_field;

/* Checks o's numbers: threshold and ridge finite and >= 0, nu finite and > 0; a
   ValueError naming the first wrong one (the ridge as lambda, its usual symbol; its field
   in *bad, NULL allowed). */
nd_status nd_sindy_check_options(const nd_sindy_options *o, nd_sindy_field *bad,
                                 nd_error *err);

typedef struct nd_sindy_fit nd_sindy_fit;

/* Fits every target column of Y (rows × m, row-major) on Θ (rows × p): coefficients in
   original units. ValueError for rows < p (too few samples), a zero column (a term that
   is 0 on every sample), a singular library (naming two terms that are proportional or
   the combination that is dependent), non-finite data, bad options. */
nd_sindy_fit *nd_sindy_regress(const double *theta, size_t rows, size_t p, const double *Y,
                               size_t m, const nd_sindy_options *o, nd_error *err);

/* Frees f (NULL is fine). */
void nd_sindy_fit_free(nd_sindy_fit *f);

/* Returns the p × m coefficient matrix (column k: target k), row-major. */
const double *nd_sindy_coef(const nd_sindy_fit *f);

/* With an ensemble: each coefficient's standard deviation over the members and the
   fraction of members that kept the term (p × m each); NULL without an ensemble. The
   coefficients are then the members' medians. */
const double *nd_sindy_coef_std(const nd_sindy_fit *f);
const double *nd_sindy_inclusion(const nd_sindy_fit *f);

/* Returns target k's residual RMS, and its R² (1 − SSres/SStot). */
double nd_sindy_rms(const nd_sindy_fit *f, size_t k);
double nd_sindy_r2(const nd_sindy_fit *f, size_t k);

/* Returns the number of nonzero coefficients of target k. */
size_t nd_sindy_nterms(const nd_sindy_fit *f, size_t k);

/* Threshold sweep: for each threshold[i] (with the other options of o, no ensemble),
   the number of nonzero coefficients over all targets (nterms[i]) and the relative
   residual sqrt(SSres/SStot) summed over targets (error[i]). Returns the index of the
   knee: the point farthest from the straight line joining the two ends of the curve
   (log error against number of terms), or 0 with fewer than 3 points. Errors as
   nd_sindy_regress. */
nd_status nd_sindy_sweep(const double *theta, size_t rows, size_t p, const double *Y,
                         size_t m, const nd_sindy_options *o, const double *threshold,
                         size_t n, size_t *nterms, double *error, size_t *knee,
                         nd_error *err);

/* ---- samples ---- */

/* SINDy's samples from a dataset whose column 0 is time: *X (rows × (columns − 1),
   row-major) its other columns in order, *Y (rows × ntargets) the time derivatives of the
   columns named targets, estimated with o; both malloc'ed (caller frees), NULL on failure.
   ValueError without variables, NameError for a target not in ds, errors of nd_deriv;
   ENOMEM. */
nd_status nd_sindy_dataset_samples(const nd_dataset *ds, const char *const *targets,
                                   size_t ntargets, const nd_deriv_options *o, double **X,
                                   double **Y, nd_error *err);

/* *X (n × inputs, malloc'ed) network u's inputs along its own run over [0, T] at n ≥ 2
   evenly spaced times, with the run's parameters (its driven input included); o for the
   run (NULL: defaults). Errors of nd_sim_network; ENOMEM. */
nd_status nd_sindy_net_run_inputs(const nd_ude *u, double T, size_t n,
                                  const nd_sim_options *o, double **X, nd_error *err);

/* *Y (rows, malloc'ed) network u's output k (the k-th term it replaces) at the input rows X
   (rows × inputs). ValueError for k out of range; ENOMEM. */
nd_status nd_sindy_net_output(const nd_ude *u, size_t k, const double *X, size_t rows,
                              double **Y, nd_error *err);

/* ---- the threshold sweep ---- */

/* Writes the RMS of each of the cols columns of A (rows × cols, row-major) into rms. */
void nd_sindy_rms_cols(const double *A, size_t rows, size_t cols, double *rms);

enum { ND_SINDY_SWEEP_N = 50 };

/* The sweep `sindy sweep=true` runs and the threshold it suggests. */
typedef struct nd_sindy_sweep_result {
    size_t n;                              /* thresholds tried: ND_SINDY_SWEEP_N */
    double threshold[ND_SINDY_SWEEP_N];    /* log-spaced, increasing */
    double error[ND_SINDY_SWEEP_N];        /* as nd_sindy_sweep */
    size_t nterms[ND_SINDY_SWEEP_N];       /* as nd_sindy_sweep */
    size_t knee;                           /* index of the knee (nd_sindy_sweep) */
    double suggested;                      /* mid-way (geometrically) through the thresholds
                                              that give the knee's number of terms */
} nd_sindy_sweep_result;

/* nd_sindy_sweep over ND_SINDY_SWEEP_N log-spaced thresholds from half the smallest to 1.5×
   the largest nonzero coefficient of full (the unthresholded fit, p × m; normalised by the
   RMS of term and target when o->normalize), with o (NULL: defaults) without ensemble;
   fills *r. Errors as nd_sindy_regress; ENOMEM. */
nd_status nd_sindy_sweep_auto(const double *theta, size_t rows, size_t p, const double *Y,
                              size_t m, const nd_sindy_options *o, const double *full,
                              nd_sindy_sweep_result *r, nd_error *err);

/* ---- the recovered model ---- */

/* 1 when library term j is the constant 1. */
int nd_sindy_lib_is_one(const nd_sindy_lib *lib, size_t j);

/* 1 when library term j uses the variable (or parameter) called name. */
int nd_sindy_lib_uses(const nd_sindy_lib *lib, size_t j, const char *name);

/* Target k's right-hand side Σ_j coef[j·m + k]·term_j as a new tree over lib's names
   (coefficients to ten significant digits, the first one's sign on its literal; the number
   0 when no term is kept); NULL on ENOMEM. */
nd_expr *nd_sindy_rhs_expr(const nd_sindy_lib *lib, const double *coef, size_t m, size_t k);

enum { ND_SINDY_RECOVER_MAX = 64 };

/* What a recovered model is built from. */
typedef struct nd_sindy_recovery {
    const char *name;                /* the new model's name */
    const nd_sindy_lib *lib;
    const double *coef;              /* p × m, as nd_sindy_coef */
    const char *const *targets;      /* the m fitted names */
    const int *is_state;             /* per target: a state (dX/dt) or a term (the doc says) */
    size_t m;                        /* at most ND_SINDY_RECOVER_MAX */
    const double *first;             /* the first sample of each of lib's variables */
    nd_sindy_optimizer optimizer;    /* for the doc line */
    double threshold;                /* for the doc line */
    size_t rows;                     /* samples, for the doc line */
    const nd_model *base;            /* redefine the targets' equations of it; NULL: a new
                                        model of the targets alone */
    int from_network;                /* the doc says "from the network", else "the data" */
} nd_sindy_recovery;

/* The recovered model: base with each target's equation replaced by its recovered right-hand
   side, or (base NULL) a new model of the targets with the first samples as initial values;
   NULL with the reason in why (and err) when none can be built (an equation uses a variable
   that is not a target, a model error, ENOMEM). */
nd_model *nd_sindy_recovered_model(const nd_sindy_recovery *r, nd_sb *why, nd_error *err);

#endif
