/* Training a hybrid in stages as `train` does it, callable from C: explicit stages one
   after another (each on a fit with its own segments and collocation weight, from where
   the previous one stopped) or the default recipe, with every loss logged by stage for a
   live display and the summary (ude_train_view.h). */
#ifndef ND_LEARN_UDE_STAGES_H
#define ND_LEARN_UDE_STAGES_H

#include <stdatomic.h>
#include <stddef.h>

#include "../base/bundle.h"
#include "ude.h"
#include "ude_train_view.h"

enum { ND_UDE_MAX_STAGES = 16 };

/* One stage: what it is (r.segments 0: the run's), then what it did (the rest of r). */
typedef struct nd_ude_train_stage {
    nd_ude_stage_report r;
    long iters;
    nd_optim_options o;
    double collocation;       /* weight of derivative matching added; < 0: the run's */
} nd_ude_train_stage;

typedef struct nd_ude_run nd_ude_run;

/* Called after every iteration, with the loss logged. */
typedef void (*nd_ude_run_fn)(void *ctx, const nd_ude_run *run);

struct nd_ude_run {
    /* the request */
    nd_ude *u;
    const nd_ude_experiment *ex;
    size_t nex;
    nd_ude_fit_options fo;        /* its segments and collocation: the stages' default */
    nd_ude_train_stage *stages;   /* nstages given; the recipe appends its own up to cap */
    size_t nstages, cap;
    const nd_ude_experiment *val; /* held out: scored after each stage, never trained on */
    size_t nval;                  /* at most ND_UDE_MAX_VALIDATE */
    nd_ude_run_fn on_iteration;   /* may be NULL */
    void *ctx;
    /* the log: u's history before the run, then every iteration */
    double *loss;
    size_t n, loss_cap;
    size_t starts[ND_UDE_MAX_STAGES];                    /* where each stage's losses start */
    const nd_ude_stage_report *logged[ND_UDE_MAX_STAGES];
    size_t nlogged;
    const nd_ude_train_stage *cur;   /* the running (or last) stage, at first the first
                                        one; NULL: the recipe before it starts */
    size_t stage_first;           /* where its losses start */
    long iter;                    /* its iterations so far */
    size_t failed;                /* a stage whose fit could not be set up (else nstages) */
    int failed_colloc;            /* it was its colloc= that was refused */
    const atomic_int *interrupt;  /* of the running stages (set by the runs) */
};

/* Starts r's log with u's history; -1 on ENOMEM. */
int nd_ude_run_begin(nd_ude_run *r);

/* Runs the explicit stages in order, each recorded in its r (with the held-out
   experiments' scores when it ended, ude_validate.h). Errors of the fits
   (r->failed says which stage's setup failed), ND_EINTERRUPT (u keeps the best parameters
   of the running stage). */
nd_status nd_ude_run_stages(nd_ude_run *r, const atomic_int *interrupt, nd_error *err);

/* Runs the default recipe (nd_ude_train_auto_multi; l2 from r->fo when l2_given, else the
   recipe's), recording its stages while cap allows. Errors as nd_ude_train_auto_multi. */
nd_status nd_ude_run_recipe(nd_ude_run *r, int l2_given, const atomic_int *interrupt,
                            nd_ude_auto_result *res, nd_error *err);

/* Returns the lowest loss of the running stage (what an interrupted one keeps). */
double nd_ude_run_best(const nd_ude_run *r);

/* The live display: "training NET: stage adam · iteration 1200/2000 · loss 0.0031", then
   " · 4.2 s" (elapsed ≥ 0, while running) and state (" · done" …) and, verdict ≥ 0, the
   verdict; over the loss curve (nd_ude_loss_figure) once there are two losses. Text alone
   when the figure fails; NULL on ENOMEM. */
nd_bundle *nd_ude_run_view(const nd_ude_run *r, const char *net_name, double elapsed,
                           const char *state, int verdict);

/* Frees the log. */
void nd_ude_run_free(nd_ude_run *r);

#endif
