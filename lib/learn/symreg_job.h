/* One symbolic regression as `symreg` runs it, callable from C: the samples (a dataset's
   column against other columns, or a network's learned term along its inputs, built by
   SINDy's sampling), the search, the model with the chosen equation in place of the term,
   and what is shown of it (symreg_view.c). A caller fills the request, calls the steps in
   order and releases the job with nd_symreg_job_clear. */
#ifndef ND_LEARN_SYMREG_JOB_H
#define ND_LEARN_SYMREG_JOB_H

#include "../base/bundle.h"
#include "../base/fields.h"
#include "../base/strbuf.h"
#include "../data/dataset.h"
#include "../plot/figure.h"
#include "sindy_job.h"
#include "symreg.h"

typedef struct nd_symreg_job {
    /* the request */
    const char *name;             /* what the result is bound to ("symreg" when unbound) */
    const char *target_text;      /* as written (DATA Y or NET.TERM), for JSON */
    const char *target;           /* the column or the term */
    const nd_model *base;         /* the model whose term (or state) the equation replaces
                                     (a network's model, the dataset's), or NULL */
    int from_network;
    nd_symreg_options opt;
    int pick_size;                /* pick=: the front entry of that size (0: the rule) */
    /* the samples */
    size_t rows, nvars;
    const char *vars[ND_SYMREG_MAX_VARS];
    const char *units[ND_SYMREG_MAX_VARS];   /* a dataset's column units (opt.units) */
    double *X, *y;                /* rows × nvars (row-major), rows */
    nd_sindy_job sj;              /* a network's samples (its X, Y and vars are used) */
    /* the search */
    nd_symreg_result *res;
} nd_symreg_job;

/* Frees what the steps allocated (the request is borrowed) and zeroes job. */
void nd_symreg_job_clear(nd_symreg_job *job);

/* The samples of column `target` of ds against the columns inputs[0..n) (n 0: every
   column but t and the target), with the columns' units for the dimension check.
   NameError for a missing column, ValueError for the target among the inputs, too many
   inputs or fewer than 5 rows; ENOMEM. */
nd_status nd_symreg_job_dataset(nd_symreg_job *job, const nd_dataset *ds, const char *target,
                                const char *const *inputs, size_t n, nd_error *err);

/* The samples of network u's term along its inputs: at ds's rows (which must hold every
   input) or, ds NULL, along u's own run over [0, T] at `samples` times with o. Errors of
   nd_sindy_job_net_term, nd_sindy_job_net_rows, nd_sindy_net_run_inputs; ENOMEM. */
nd_status nd_symreg_job_net(nd_symreg_job *job, const nd_ude *u, const char *net_name,
                            const char *term, const nd_dataset *ds, double T, size_t samples,
                            const nd_sim_options *o, nd_error *err);

/* Runs the search (an interrupt keeps the front: job->res->interrupted) and picks the
   equation. Errors of nd_symreg_run. */
nd_status nd_symreg_job_run(nd_symreg_job *job, nd_error *err);

/* The chosen equation's entry. */
const nd_symreg_entry *nd_symreg_job_chosen(const nd_symreg_job *job);

/* job->base with the target (a term, or a state's right-hand side) defined by the chosen
   equation, named job->name; NULL with the reason in why when there is no base model or
   it cannot be built. */
nd_model *nd_symreg_job_model(const nd_symreg_job *job, nd_sb *why, nd_error *err);

/* ---- views (symreg_view.c) ---- */

/* The two bundles `symreg` shows: the chosen equation (text, LaTeX, the JSON of
   docs/json-results.md) and the front (text and HTML table, the same JSON). model: the
   name the model is bound to (NULL: none); unbuilt: why no model was built (NULL: none).
   ND_ENOMEM. */
nd_status nd_symreg_view(const nd_symreg_job *job, const char *model, const char *unbuilt,
                         nd_bundle **equation, nd_bundle **front, nd_error *err);

/* The front's figure (log10 relative error against size, the chosen equation marked)
   titled title, with its caption in *caption (malloc'ed); NULL on ENOMEM. */
nd_figure *nd_symreg_view_figure(const nd_symreg_job *job, const char *title, char **caption);

/* Appends the live progress line: generations done of total, the front's size and its most
   accurate expression. */
void nd_symreg_view_progress(const nd_symreg_result *front, long gen, long total, nd_sb *sb);

/* The values a search exposes ("symreg", the fields of the model it binds): sizes, errors
   and front (the expressions) of the Pareto front, target, and the chosen equation, size
   and error; NULL on ENOMEM (sindy_fields.c). */
nd_fields *nd_symreg_fields(const nd_symreg_job *job);

#endif
