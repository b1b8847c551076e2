/* What a training of a hybrid shows: its stages, the default recipe's attempts and the
   verdict on each experiment as a summary (text, HTML, the JSON of docs/json-results.md),
   and the loss curve drawn while it runs. */
#ifndef ND_LEARN_UDE_TRAIN_VIEW_H
#define ND_LEARN_UDE_TRAIN_VIEW_H

#include <stddef.h>

#include "../base/bundle.h"
#include "../base/fields.h"
#include "../plot/figure.h"
#include "optim.h"
#include "ude.h"
#include "ude_validate.h"
#include "ude_verdict.h"

/* One optimizer stage: what it was and what it did. */
typedef struct nd_ude_stage_report {
    nd_optim_kind kind;
    int colloc;               /* derivative matching instead of the trajectory loss */
    size_t segments;          /* multiple shooting (0 or 1: single) */
    int attempt;              /* the default recipe's attempt (0: not the recipe) */
    int ran;                  /* only stages that ran are reported */
    long done;                /* iterations run */
    double loss;              /* at the end */
    nd_optim_stop stop;
    long failures;            /* rejected evaluations */
    size_t nval;              /* held-out experiments scored when the stage ended */
    nd_ude_val_score val[ND_UDE_MAX_VALIDATE];
} nd_ude_stage_report;

/* A finished (or stopped) training. */
typedef struct nd_ude_train_report {
    const nd_ude *u;
    const char *net_name;
    size_t ndata;                         /* experiments, each with */
    const char *const *data_names;        /* its dataset's name */
    const nd_ude_experiment *ex;          /* its data and stimulus */
    const nd_ude_stage_report *const *stages;
    size_t nstages;
    const nd_ude_auto_result *recipe;     /* NULL or no attempts: explicit stages */
    const nd_ude_verdict *verdicts;       /* ndata of them; NULL: not judged */
    size_t nval;                          /* held-out experiments, each with */
    const char *const *val_names;         /* its dataset's name */
    const nd_ude_experiment *val_ex;      /* its data and stimulus */
    const nd_ude_verdict *val_verdicts;   /* nval of them; NULL: not judged */
    size_t nparams;                       /* physical parameters trained with the network: */
    const char *const *params;            /* their names, */
    const double *param_initial;          /* their values before (now: the model's) */
} nd_ude_train_report;

/* Writes a stage's display name into buf and returns buf: "adam", "lbfgs (colloc)" for
   derivative matching, "lbfgs ×10" with 10 segments, "… attempt 2" in the recipe. */
const char *nd_ude_stage_label(const nd_ude_stage_report *s, char *buf, size_t cap);

/* Returns 1 when every one of the n verdicts is a good fit. */
int nd_ude_verdicts_ok(const nd_ude_verdict *v, size_t n);

/* The verdict over n experiments named names, malloc'ed (NULL on ENOMEM): one
   experiment's own verdict, else "good fit on all 3 datasets" or "NOT a good fit on 1 of
   the 3 datasets (ramp)". */
char *nd_ude_verdicts_text(const nd_ude_verdict *v, size_t n, const char *const *names);

/* The summary: a table of the stages (with the held-out scores when there are), rejected
   steps, the physical parameters trained (start → estimate), the recipe's attempts, each
   experiment's verdict, the one over all, and each held-out experiment's numbers; NULL
   on ENOMEM. No wall-clock times, so that
   the same training shows the same summary. */
nd_bundle *nd_ude_train_view(const nd_ude_train_report *r);

/* The loss curve (log10 of the n losses against the iteration), titled title: the losses
   before starts[0] as "earlier training", then one series per stage from starts[k],
   named by nd_ude_stage_label; NULL on ENOMEM. */
nd_figure *nd_ude_loss_figure(const double *loss, size_t n, const size_t *starts,
                              const nd_ude_stage_report *const *stages, size_t nstages,
                              const char *title);

/* The values a judged training exposes ("training"): verdict, ok, loss, history, stages
   (a list of "training stage": name, iterations, loss, stopped), the first experiment's
   first observed variable's numbers (variable, noise, residual_rms, rms_over_noise,
   data_spikes, model_spikes, gamma, spike_time_errors, missed_spikes, extra_spikes),
   attempts and attempt_kept for the recipe, experiments (a list of "training experiment":
   data, ok, verdict and those numbers), the physical parameters (parameters, initial,
   estimates), and with held-out data validation (a list of "held-out experiment": data,
   ok, text, rms, data_spikes, model_spikes, matched, gamma), validation_rms and
   validation_gamma; NULL on ENOMEM (ude_fields.c). r->verdicts must be set. */
nd_fields *nd_ude_train_fields(const nd_ude_train_report *r);

#endif
