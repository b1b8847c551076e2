/* One SINDy identification as `sindy` runs it, callable from C: the samples (a dataset's
   columns and the derivatives of its states, or a network's term along its inputs), the
   term library written as expressions, the regression with its sweep, the recovered model
   and what is shown of it (sindy_view.c). A caller fills the request fields, calls the
   steps in order, and releases the job with nd_sindy_job_clear. */
#ifndef ND_LEARN_SINDY_JOB_H
#define ND_LEARN_SINDY_JOB_H

#include <stdatomic.h>
#include <stddef.h>

#include "../base/bundle.h"
#include "../base/fields.h"
#include "../base/strbuf.h"
#include "../plot/figure.h"
#include "sindy.h"
#include "ude.h"

enum { ND_SINDY_MAX_NAMES = ND_SINDY_RECOVER_MAX };   /* the recovered model takes as many */

typedef struct nd_sindy_job {
    /* the request */
    const char *name;              /* the recovered model's name ("sindy" when unbound) */
    const char *target_text;       /* the target as written (DATA or NET.TERM), for JSON */
    const nd_ude *net;             /* a network's term is the target (else a dataset) */
    const char *net_name;          /* its name */
    const nd_model *fnmodel;       /* functions and parameters for the library (or NULL) */
    const nd_model *data_model;    /* the model behind a dataset (its equations are
                                      redefined by the recovered model), or NULL */
    const char *deriv_name;        /* "fd", "savgol", "tv" (dataset targets), else NULL */
    nd_sindy_options opt;
    int threshold_given;           /* else a sweep's knee replaces opt.threshold */
    int sweep;
    /* the samples */
    size_t nvars, ntargets, rows;
    const char *vars[ND_SINDY_MAX_NAMES];
    const char *targets[ND_SINDY_MAX_NAMES];
    int target_is_state[ND_SINDY_MAX_NAMES];  /* a state (dX/dt) or a term */
    int is_input[ND_SINDY_MAX_NAMES];         /* vars[i] is a stimulus column */
    double *X, *Y, *theta;         /* rows × nvars, rows × ntargets, rows × p */
    double *first;                 /* the first sample of each variable */
    /* the regression */
    nd_sindy_lib *lib;
    const char **term_names;       /* the library's terms as text, for messages */
    nd_sindy_fit *fit, *full;      /* at the threshold; unthresholded least squares */
    double *col_rms, *y_rms;       /* for normalised coefficients */
    nd_sindy_sweep_result sw;      /* when sweep (sw.n 0 otherwise) */
} nd_sindy_job;

/* Frees what the steps allocated (the request fields are borrowed) and zeroes job. */
void nd_sindy_job_clear(nd_sindy_job *job);

/* Sets the variables to ds's columns after t, marking as inputs the one its "input"
   metadata names and those that are parameters (not states) of job->fnmodel. ValueError
   for more than ND_SINDY_MAX_NAMES. */
nd_status nd_sindy_job_columns(nd_sindy_job *job, const nd_dataset *ds, nd_error *err);

/* Adds the variable name of ds (a column after t) as a target, its derivative the
   regression's left-hand side. NameError when ds has no such column, ValueError when it is
   named twice or would be target ND_SINDY_MAX_NAMES + 1. */
nd_status nd_sindy_job_add_target(nd_sindy_job *job, const nd_dataset *ds, const char *name,
                                  nd_error *err);

/* With no target named: the variables that are states of job->fnmodel (all of them when
   there is none), each a dX/dt target. ValueError when none is a state. */
nd_status nd_sindy_job_default_targets(nd_sindy_job *job, nd_error *err);

/* The samples of dataset targets: X the variables, Y the targets' derivatives estimated
   with o (nd_sindy_dataset_samples), and the first row. */
nd_status nd_sindy_job_dataset_samples(nd_sindy_job *job, const nd_dataset *ds,
                                       const nd_deriv_options *o, nd_error *err);

/* Makes job->net's replaced term `term` the target and its inputs the variables; returns
   the term's output index in *k. NameError listing what the network learns. */
nd_status nd_sindy_job_net_term(nd_sindy_job *job, const char *term, size_t *k,
                                nd_error *err);

/* The network's inputs taken from ds's columns (every input must be one). ValueError
   naming a missing input. */
nd_status nd_sindy_job_net_rows(nd_sindy_job *job, const nd_dataset *ds, nd_error *err);

/* The first row and Y, the network's output k at the rows X. */
nd_status nd_sindy_job_net_output(nd_sindy_job *job, size_t k, nd_error *err);

/* The samples of job->net's output k along its inputs: at ds's rows
   (nd_sindy_job_net_rows) or, ds NULL, along the network's own run over [0, T] at
   `samples` times with o (nd_sindy_net_run_inputs); then Y (nd_sindy_job_net_output).
   Errors of those. */
nd_status nd_sindy_job_net_samples(nd_sindy_job *job, size_t k, const nd_dataset *ds, double T,
                                   size_t samples, const nd_sim_options *o, nd_error *err);

/* Builds job->lib from spec, the library as written ([poly(3), poly(2, v, w), prod(A, B),
   expressions …]; NULL: poly(3)), inputs marked, expressions over job->fnmodel's functions
   and parameters. Errors are located in spec where they can be; ValueError for an empty
   library. */
nd_status nd_sindy_job_library(nd_sindy_job *job, const nd_expr *spec, nd_error *err);

/* Regresses (rows ≥ terms, as the caller checked): Θ, the unthresholded fit, the sweep
   when asked (its knee becomes the threshold unless one was given) and the fit at the
   threshold. Errors of nd_sindy_lib_eval and nd_sindy_regress; ND_EINTERRUPT (unlocated)
   when *interrupt is set between the fits. */
nd_status nd_sindy_job_regress(nd_sindy_job *job, const atomic_int *interrupt, nd_error *err);

/* The recovered model named job->name: the network's model (term targets), the dataset's
   model when every target is one of its states, else a new model of the targets; NULL
   with the reason in why as nd_sindy_recovered_model. */
nd_model *nd_sindy_job_model(const nd_sindy_job *job, nd_sb *why, nd_error *err);

/* Returns a copy of the stimulus the recovered model m carries over from the source: the
   network's (a term target), else model_stim driving parameter model_par (the dataset's
   model's, may be NULL); *par gets its parameter. NULL when there is none, when the
   parameter is not one of m's, or on ENOMEM. */
nd_stim *nd_sindy_job_stim(const nd_sindy_job *job, const nd_stim *model_stim, int model_par,
                           const nd_model *m, int *par);

/* ---- views (sindy_view.c) ---- */

/* Appends target k's recovered equation as text: "dv/dt = 1.000 v - 0.3333 v^3". */
void nd_sindy_view_equation(const nd_sindy_job *job, size_t k, nd_sb *sb);

/* The two bundles `sindy` shows: the equations (text, LaTeX, the JSON of
   docs/json-results.md with its notes) and the coefficient table (text, HTML, the same
   JSON). model: the name the recovered model is bound to (NULL: none); unbuilt: why a
   model asked for could not be built (NULL: none was asked for, or it was). ND_ENOMEM. */
nd_status nd_sindy_view(const nd_sindy_job *job, const char *model, const char *unbuilt,
                        nd_bundle **equations, nd_bundle **table, nd_error *err);

/* The Pareto figure of the sweep (relative residual against number of terms, the knee
   marked) titled title, and its caption in *caption (malloc'ed); NULL on ENOMEM. */
nd_figure *nd_sindy_view_sweep(const nd_sindy_job *job, const char *title, char **caption);

/* ---- fields (sindy_fields.c) ---- */

/* The values an identification exposes ("sindy fit", the fields of the model it binds):
   library (the terms), targets, coefficients, equations, r2, rms, nterms (each a
   "per target" record with one field per target) and threshold; NULL on ENOMEM. */
nd_fields *nd_sindy_fields(const nd_sindy_job *job);

#endif
