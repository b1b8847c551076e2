/* Mechanistic parameter estimation: chosen parameters of a model (built-in or written by
   the user) estimated from one or several datasets at once, each under its own stimulus,
   by least squares on the observed variables.

   The model is integrated on a fixed grid (every sample interval split into equal steps
   of at most dt) by the classical Runge–Kutta scheme, and the sensitivities dy/dθ are
   integrated with it through the same stages (forward sensitivities of the discrete
   scheme, from the symbolic ∂f/∂y and ∂f/∂p), so the residuals' Jacobian — and the
   gradient 2Jᵀr/N — are exact for the discretised problem. Forward sensitivities rather
   than the UDE's adjoint because the whole Jacobian is wanted anyway: Levenberg–Marquardt
   steps, and standard errors from JᵀJ at the optimum.

   A model with `when` resets (integrate-and-fire) is integrated through them: each event
   is located on the scheme's own step and the sensitivities jump by the saltation matrix
   (saltation.h), so the loss is smooth, and its gradient exact up to the scheme's local
   error at the events, as long as the number of events and the sample interval each
   falls in stay the same; where they change the loss jumps (docs/learning.md).

   Parameters are searched through transforms that keep them inside their bounds: a
   positive parameter (default) through its logarithm, p = lo + e^θ; both bounds through
   p = lo + (hi − lo)/(1 + e^−θ). Multiple shooting (segments > 1) adds every later
   segment's starting state to θ and penalises the jumps at the joins. */
#ifndef ND_LEARN_FIT_H
#define ND_LEARN_FIT_H

#include <stddef.h>

#include "../base/error.h"
#include "../data/dataset.h"
#include "../models/model.h"
#include "../ode/stim.h"
#include "optim.h"

typedef struct nd_fit nd_fit;

typedef struct nd_fit_options {
    const char *const *params;   /* the parameters estimated (names of the model's pars) */
    size_t nparams;
    const char *const *observe;  /* the observed states; NULL: the columns named like states */
    size_t nobserve;
    const double *lower, *upper; /* NULL, or nparams bounds each (±inf: none) */
    int log;                     /* 1: a positive parameter without a lower bound gets 0 */
    size_t segments;             /* multiple shooting segments per dataset (1: single) */
    double continuity;           /* weight of the jumps at the joins */
    double dt;                   /* largest integration step; 0: min(sample spacing, 0.01) */
    const nd_stim *stim;         /* the stimulus of a dataset that brings none (may be NULL) */
    int stim_par;                /* the parameter it drives */
} nd_fit_options;

/* Fills o: no parameters, observe the state columns, no bounds, log on, 1 segment,
   continuity 1, dt 0, no stimulus. */
void nd_fit_options_default(nd_fit_options *o);

/* Prepares the fit of m's parameters o->params to the datasets data[0..ndata): each
   dataset's stimulus is the one attached to it (driving the parameter its "input"
   metadata names), else a column named like o->stim_par's parameter (or the model's
   stimulated one) taken as that parameter's whole value, else o->stim. NULL with a
   NameError (an unknown parameter or observed name, with a suggestion) or ValueError (no
   time column, a dataset without an observed column, a parameter named twice or outside
   its bounds, no symbolic Jacobian, a `when` that cannot be differentiated). m is copied. */
nd_fit *nd_fit_create(const nd_model *m, const nd_dataset *const *data, size_t ndata,
                      const nd_fit_options *o, nd_error *err);

void nd_fit_free(nd_fit *f);

/* Returns the number of estimated parameters, and the length of θ (with segment starts). */
size_t nd_fit_nparams(const nd_fit *f);
size_t nd_fit_ntheta(const nd_fit *f);

/* Returns parameter i's name. */
const char *nd_fit_param_name(const nd_fit *f, size_t i);

/* Returns the current values of the estimated parameters (nd_fit_nparams of them). */
const double *nd_fit_values(const nd_fit *f);

/* Returns the values the fit started from. */
const double *nd_fit_initial(const nd_fit *f);

/* Returns the number of residuals: observed samples plus the continuity terms. */
size_t nd_fit_nresiduals(const nd_fit *f);

/* Returns the number of observed data samples (the residuals without continuity terms). */
size_t nd_fit_nobs(const nd_fit *f);

/* Switches between the segments (on = 0, as created) and single shooting (on = 1: θ is
   the parameters alone, the residuals the data alone), e.g. to polish a shooting fit on
   the loss the statistics use; the segment starts are kept for switching back. */
void nd_fit_set_single(nd_fit *f, int on);

/* Writes the current θ (transformed parameters, then normalised segment starts). */
void nd_fit_theta(const nd_fit *f, double *theta);

/* Sets θ: the parameters (and the model's values) and the segment starts. */
void nd_fit_set_theta(nd_fit *f, const double *theta);

/* Evaluates the residuals at θ into r (nd_fit_nresiduals) and, when J is not NULL, their
   Jacobian dr/dθ (row-major, nresiduals × ntheta); with natural, the parameter columns are
   with respect to the parameters themselves instead of their transforms. Returns 0, or
   -1 when the solve produced non-finite values. */
int nd_fit_residuals(nd_fit *f, const double *theta, double *r, double *J, int natural);

/* The loss ‖r‖²/nobs at θ and, when grad is not NULL, its exact gradient: an nd_objective. */
int nd_fit_loss(void *fit, const double *theta, double *loss, double *grad);

/* How to search. */
typedef enum nd_fit_method { ND_FIT_LBFGS, ND_FIT_LM } nd_fit_method;

/* Returns the method called name ("lbfgs", "lm") in *m; -1 for an unknown name. */
int nd_fit_method_parse(const char *name, nd_fit_method *m);

/* Returns the name of method i, NULL past the last. */
const char *nd_fit_method_name(size_t i);

typedef struct nd_fit_run_info {
    nd_fit_method method;
    long iterations, evaluations;
    double loss;                 /* ‖r‖²/nobs at the best θ */
    const char *stop;            /* why it stopped, in words */
} nd_fit_run_info;

/* Runs up to iters iterations of method from the current θ and leaves the fit at the best
   θ seen (also on ND_EINTERRUPT). cb (may be NULL): interrupt and progress. Errors:
   ND_EINTERRUPT, ND_ESOLVER (the model cannot be solved at the start), ND_ENOMEM. */
nd_status nd_fit_run(nd_fit *f, nd_fit_method method, long iters, const nd_optim_callbacks *cb,
                     nd_fit_run_info *info, nd_error *err);

/* nd_fit_run and, when f was asked for more than one segment, again on single shooting
   from where it stopped: shooting finds the basin, single shooting polishes on the loss
   the statistics are computed from. polishing (may be NULL) is called with ctx before the
   second run; info counts the iterations of both. Errors as nd_fit_run. */
nd_status nd_fit_run_polished(nd_fit *f, nd_fit_method method, long iters,
                              const nd_optim_callbacks *cb, void (*polishing)(void *ctx),
                              void *ctx, nd_fit_run_info *info, nd_error *err);

/* Returns a copy of the model with the current estimates. */
nd_model *nd_fit_model(const nd_fit *f, nd_error *err);

/* Returns the stimulus of dataset k (NULL: none) and the parameter it drives in *par. */
const nd_stim *nd_fit_stim(const nd_fit *f, size_t k, int *par);

/* Writes dataset k's fitted trajectory (one solve from its first sample, single shooting)
   of observed variable j: rows values at the data's times; returns the row count, 0 on
   failure. *name (may be NULL) gets the variable's name. */
size_t nd_fit_trajectory(nd_fit *f, size_t k, size_t j, double *out, const char **name);

/* Returns the number of events (`when` resets: spikes of an integrate-and-fire model) a
   single-shooting solve of every dataset crosses at the current values; 0 for a model
   without whens or when a solve fails. */
size_t nd_fit_events(nd_fit *f);

/* Returns the number of datasets, the number of observed variables, and dataset k. */
size_t nd_fit_ndata(const nd_fit *f);
size_t nd_fit_nobserved(const nd_fit *f);
const nd_dataset *nd_fit_data(const nd_fit *f, size_t k);

/* ---- uncertainty ---- */

typedef struct nd_fit_stats {
    size_t np, nobs;
    double ssr, sigma;     /* residual sum of squares, σ = √(ssr/(nobs − np)) */
    double *se;            /* np standard errors (NaN where JᵀJ is singular) */
    double *corr;          /* np × np correlations */
    double cond;           /* λmax/λmin of the scaled Fisher matrix (inf: singular) */
    double *weak;          /* np: the eigenvector of its smallest eigenvalue */
    int identifiable;      /* 0: cond > ND_FIT_COND_LIMIT */
    double noise;          /* SD of the data's own noise (nd_noise_sd_estimate, pooled over
                              the observed columns), NAN when it cannot be estimated */
    int misfit;            /* 1: σ > ND_FIT_MISFIT × noise, the residuals are structure */
    long resets;           /* a model with `when`s: the resets of the fitted solve (-1: none) */
    long resets_data;      /* the data's resets of the variables they assign (-1: unknown) */
    char *warning;         /* "gL and EL trade off: …" and/or the misfit's, or NULL */
} nd_fit_stats;

/* How many times the data's noise the residual SD may be before the fit is called a
   misfit: then the residuals are not independent noise, and the standard errors (which
   assume it) understate the uncertainty. */
#define ND_FIT_MISFIT 2.0

/* Condition number of the scaled Fisher matrix above which the problem is called not
   identifiable. */
#define ND_FIT_COND_LIMIT 1e8

/* Computes s at the current estimates by a single-shooting evaluation: standard errors
   from the Gauss–Newton matrix σ²(JᵀJ)⁻¹, correlations, the near-singular direction and
   its warning naming the parameters with the largest weights, and the data's noise with a
   warning when the residuals are far above it; for a model with resets, the reset counts of
   the fit and of the data, with a warning when they differ. */
nd_status nd_fit_stats_compute(nd_fit *f, nd_fit_stats *s, nd_error *err);
void nd_fit_stats_free(nd_fit_stats *s);

/* Writes into out the names (", " and " and ") of the parameters with the largest weights
   in direction v (np values): every one with |v_i| ≥ 0.3·max|v|. Returns out. */
char *nd_fit_direction_names(const nd_fit *f, const double *v, char *out, size_t cap);

/* ---- profile likelihood ---- */

typedef struct nd_fit_profile {
    size_t param, n;
    double *value, *ssr;   /* n grid values of the parameter, the re-optimised SSR */
    double lo, hi;         /* the 95 % interval: SSR − SSRmin ≤ 3.84 σ² (NaN: not reached) */
} nd_fit_profile;

/* Writes into lo, hi the grid a profile of parameter i runs over: its estimate ± 4 se (±
   50 % of it when se is not a positive number), kept inside the bounds lower and upper
   (±INFINITY: none) and, when the fit is in log coordinates (log), above zero. */
void nd_fit_profile_range(const nd_fit *f, size_t i, double se, int log, double lower,
                          double upper, double *lo, double *hi);

/* Profiles parameter `param` on n points over [lo, hi], re-optimising the others with
   method (up to iters iterations each) from the current estimates; the fit is left at its
   estimates. sigma2 scales the χ² threshold. Errors as nd_fit_run. */
nd_status nd_fit_profile_run(nd_fit *f, size_t param, double lo, double hi, size_t n,
                             double sigma2, nd_fit_method method, long iters,
                             const nd_optim_callbacks *cb, nd_fit_profile *p, nd_error *err);
void nd_fit_profile_free(nd_fit_profile *p);

#endif
