/* Universal differential equations: a model in which chosen terms (or, for a neural ODE,
   every state's right-hand side) are the outputs of a dense network of chosen inputs,
   while the rest of the model stays the physics as written.

   The model is opened (nd_model_open): each replaced definition reads a new parameter,
   and the network's output k is written into that parameter before every evaluation, so
   the compiled right-hand side and its symbolic Jacobians serve the hybrid unchanged.
   Network inputs are state variables, parameters (a stimulated parameter carries the
   stimulus: p + u(t)) and the time "t".

   Scaling: inputs and outputs are standardised inside the network (nd_mlp_set_scaling).
   nd_ude_scale_from sets them from a dataset: observed states from the data, hidden ones
   from a teacher-forced run (the hybrid integrated with its observed states held to the
   data), parameters from their values over the data, and each output from the values
   the data imply for it (the z that makes f(y, z) match the observed rates). The model
   as written is never used for a replaced term. */
#ifndef ND_LEARN_UDE_H
#define ND_LEARN_UDE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"
#include "../data/dataset.h"
#include "../models/model.h"
#include "../ode/problem.h"
#include "../ode/stim.h"
#include "act.h"
#include "mlp.h"
#include "optim.h"

typedef struct nd_ude nd_ude;

typedef struct nd_ude_spec {
    const char *const *replace;  /* terms, or state variables (their right-hand sides) */
    size_t nreplace;
    const char *const *inputs;   /* state variables, parameters, "t"; NULL: every state */
    size_t ninputs;
    const size_t *hidden;        /* hidden-layer widths */
    size_t nhidden;
    nd_act act;
    uint64_t seed;
} nd_ude_spec;

/* Builds the hybrid of m (copied with its current values) described by s; NULL with a
   NameError (unknown replace/input name, with a suggestion) or ValueError (no layers, a
   repeated name, an output activation) or ENOMEM. */
nd_ude *nd_ude_create(const nd_model *m, const nd_ude_spec *s, nd_error *err);

/* Builds a neural ODE of m: every state's right-hand side is the network's output. */
nd_ude *nd_ude_create_node(const nd_model *m, const nd_ude_spec *s, nd_error *err);

/* Returns an independent deep copy (NULL on ENOMEM). */
nd_ude *nd_ude_copy(const nd_ude *u);

/* Frees u (NULL is fine). */
void nd_ude_free(nd_ude *u);

/* Forgets u's training — weights redrawn from seed, scaling, history, stages, segment
   starts — so that it trains as a network fresh from `ude` with that seed would (an
   ensemble's members). */
void nd_ude_reset(nd_ude *u, uint64_t seed);

/* Returns 1 for a neural ODE (nd_ude_create_node), 0 for a UDE. */
int nd_ude_is_node(const nd_ude *u);

/* Returns the opened model: its replaced terms read the network (valid while u lives). */
const nd_model *nd_ude_model(const nd_ude *u);

/* Returns the model as written, the "truth" a replaced term can be compared with. */
const nd_model *nd_ude_truth(const nd_ude *u);

/* Returns the network (writable: training and loading change its parameters). */
nd_mlp *nd_ude_net(nd_ude *u);
const nd_mlp *nd_ude_net_const(const nd_ude *u);

/* Returns the number of replaced names and name i. */
size_t nd_ude_nreplace(const nd_ude *u);
const char *nd_ude_replace(const nd_ude *u, size_t i);

/* Returns the number of network inputs and input i's name. */
size_t nd_ude_ninputs(const nd_ude *u);
const char *nd_ude_input(const nd_ude *u, size_t i);

/* Sets the stimulus (copied; NULL: none) driving parameter par of the model. ValueError
   for a parameter index out of range. */
nd_status nd_ude_set_stim(nd_ude *u, const nd_stim *stim, int par, nd_error *err);

/* Returns the stimulus (NULL: none) and its parameter in *par. */
const nd_stim *nd_ude_stim(const nd_ude *u, int *par);

/* Sets a parameter or initial value of the hybrid (and of its truth); NameError when the
   name is neither or is a network output. */
nd_status nd_ude_set_value(nd_ude *u, const char *name, double value, nd_error *err);

/* Standardises the network's inputs and outputs for data (see the header comment). */
nd_status nd_ude_scale_from(nd_ude *u, const nd_dataset *data, nd_error *err);

/* Writes the network inputs at (t, y) with parameters p (stimulus included) into x. */
void nd_ude_inputs_at(const nd_ude *u, double t, const double *y, const double *p, double *x);

/* Evaluates the network on batch input rows x (batch × ninputs) into z (batch × nreplace). */
nd_status nd_ude_net_eval(const nd_ude *u, const double *x, size_t batch, double *z,
                          nd_error *err);

/* ---- the hybrid as an initial-value problem for lib/ode ---- */

typedef struct nd_ude_ivp nd_ude_ivp;

/* Returns a problem integrating the hybrid over [t0, t1] under stim (NULL: u's own), with
   the model's resets as events, the stimulus edges as breakpoints and the symbolic
   Jacobian composed with the network's; NULL with an error. u must outlive it. */
nd_ude_ivp *nd_ude_ivp_create(const nd_ude *u, const nd_stim *stim, int stim_par, double t0,
                              double t1, nd_error *err);
void nd_ude_ivp_free(nd_ude_ivp *v);
const nd_ode_problem *nd_ude_ivp_problem(const nd_ude_ivp *v);

/* Writes the value of every term of the opened model at (t, y) (replaced terms = the
   network's outputs) into terms (nd_model_count(model, TERM) values). */
int nd_ude_ivp_terms(nd_ude_ivp *v, double t, const double *y, double *terms);

/* ---- training ---- */

/* One experiment: a dataset and the stimulus it was recorded under. */
typedef struct nd_ude_experiment {
    const nd_dataset *data;
    const nd_stim *stim;         /* NULL: the network's own stimulus */
    int stim_par;                /* the parameter stim drives */
} nd_ude_experiment;

/* The experiment of data: the stimulus attached to it (nd_ds_stim, set by `simulate`)
   driving the parameter its metadata "input" names, else the network's own stimulus.
   NameError when that input is no parameter of u's model. */
nd_status nd_ude_experiment_of(const nd_ude *u, const nd_dataset *data, nd_ude_experiment *ex,
                               nd_error *err);

typedef struct nd_ude_fit_options {
    const char *const *observe;  /* observed state variables; NULL: every state in the data */
    size_t nobserve;
    size_t segments;             /* multiple shooting segments (1: single shooting) */
    double continuity;           /* weight of the continuity penalty between segments */
    double l2;                   /* weight of ‖network parameters‖² */
    double collocation;          /* weight of the derivative-matching loss added to the
                                    trajectory loss (keeps the learned term near what the
                                    data imply; 0: none) */
    double dt;                   /* integration step; 0: the data's sample spacing */
    const char *method;          /* fixed-step scheme: "rk4" (default), "midpoint", "euler"
                                    (nd_ude_method_name) */
    const char *const *params;   /* physical parameters of the model trained with the
                                    network (positive, searched through their logarithm);
                                    NULL: none (ude_params.c) */
    size_t nparams;
} nd_ude_fit_options;

/* Fills o with defaults: every state in the data observed, 1 segment, continuity 1, l2 0,
   collocation 0, dt 0 (the data spacing), rk4, no physical parameters. */
void nd_ude_fit_options_default(nd_ude_fit_options *o);

typedef struct nd_ude_fit nd_ude_fit;

/* Prepares the loss of u on data (a column "t" plus observed state columns): the time grid,
   the segments and their starting states (kept in u, so training resumes where it
   stopped); NULL with an error naming the problem (no time column, an observed variable
   missing from the data or not a state, a model with resets, a step that does not divide
   the data spacing ...). u must outlive it. */
nd_ude_fit *nd_ude_fit_create(nd_ude *u, const nd_dataset *data, const nd_ude_fit_options *o,
                              nd_error *err);

/* Prepares the loss of u on nex >= 1 experiments at once: the sum of each experiment's
   loss (its own grid, segments — o->segments each, at most its sample intervals — starts,
   scales and stimulus) plus one L2 penalty; θ is the network's parameters followed by
   every experiment's segment starts in turn, and the gradient the sum of the experiments'
   exact gradients. With one experiment it is nd_ude_fit_create under that stimulus.
   Errors as nd_ude_fit_create, and ND_EVALUE (nd_ude_experiments_differ). With several,
   segment starts are not kept in u between fits. */
nd_ude_fit *nd_ude_fit_create_multi(nd_ude *u, const nd_ude_experiment *ex, size_t nex,
                                    const nd_ude_fit_options *o, nd_error *err);

/* Returns 0 when every experiment has a column for the same state variables as the first
   (among o->observe, or every state; o may be NULL), else the index k of the first that
   does not, with a ValueError naming both sets. */
size_t nd_ude_experiments_differ(const nd_ude *u, const nd_ude_experiment *ex, size_t nex,
                                 const nd_ude_fit_options *o, nd_error *err);

void nd_ude_fit_free(nd_ude_fit *f);

/* Returns the length of θ: the network's parameters, the logarithms of the physical
   parameters trained with it (o->params), then the segment starts. */
size_t nd_ude_fit_nparams(const nd_ude_fit *f);

/* Writes the current θ (network parameters, normalised segment starts). */
void nd_ude_fit_theta(const nd_ude_fit *f, double *theta);

/* The loss at θ and, when grad is not NULL, its exact gradient for the discretised
   problem (discrete adjoint through the fixed-step scheme); an nd_objective: returns 0,
   or nonzero when the solve produced non-finite values. */
int nd_ude_fit_loss(void *fit, const double *theta, double *loss, double *grad);

/* Switches the loss between the trajectory loss (on = 0, the default) and derivative
   matching (on = 1, "collocation"): the network fitted directly to the values of the
   replaced terms that the data imply along the guessed trajectory — no solve, cheap, and a
   good start for trajectory training. ValueError when the data imply no such values (no
   observed state depends on an output). */
nd_status nd_ude_fit_set_collocation(nd_ude_fit *f, int on, nd_error *err);

/* Runs iters iterations of kind from the current θ, writes the best θ back into the network
   and the segment starts, and appends the losses to u's history. Errors as nd_optim_run
   (ND_EINTERRUPT keeps the best point). */
nd_status nd_ude_fit_run(nd_ude_fit *f, nd_optim_kind kind, const nd_optim_options *o,
                         long iters, const nd_optim_callbacks *cb, nd_error *err);

/* What the last loss evaluation consisted of. */
typedef struct nd_ude_fit_parts {
    double data;          /* mean squared normalised error on the observed samples (or
                             the collocation loss, in collocation mode) */
    double continuity;    /* the weighted continuity penalty */
    double collocation;   /* the weighted derivative-matching term */
    double l2;            /* the weighted L2 penalty */
    long rhs_evals;       /* right-hand-side evaluations of the last forward solve */
} nd_ude_fit_parts;
nd_ude_fit_parts nd_ude_fit_last(const nd_ude_fit *f);

/* Returns the optimizer's counters of the last nd_ude_fit_run (iterations, evaluations,
   rejected evaluations, why it stopped). */
nd_optim_info nd_ude_fit_info(const nd_ude_fit *f);

/* ---- the default recipe ---- */

typedef struct nd_ude_auto_options {
    nd_ude_fit_options fit;   /* observe, dt, method, continuity, l2 (segments: planned) */
    long colloc_iters;        /* L-BFGS iterations of derivative matching (0: skip) */
    long iters;               /* per multiple-shooting stage */
    long final_iters;         /* of the single-shooting stage */
    int attempts;             /* fresh starts allowed when the result is not a good fit */
} nd_ude_auto_options;

/* Fills o: the fit defaults with l2 = 1e-4, 300 collocation iterations, 500 per stage, 300
   for the last, 3 attempts. */
void nd_ude_auto_options_default(nd_ude_auto_options *o);

/* Called when a stage starts — the attempt (1, 2, ...), "collocation" or "trajectory", and
   the number of segments — with the counters of the stage that just ended (NULL before
   the first); and once more at the end with stage NULL, to close the last one. */
typedef void (*nd_ude_auto_stage_fn)(void *ctx, int attempt, const char *stage,
                                     size_t segments, const nd_optim_info *ended);

typedef struct nd_ude_auto_result {
    int attempts;             /* made */
    int kept;                 /* the attempt whose weights were kept */
    uint64_t seed;            /* of the weights kept (nd_ude_attempt_seed) */
    double loss;              /* their single-shooting data loss (summed over experiments) */
    int ok;                   /* they passed the training verdict (ude_verdict.h) on every
                                 experiment */
} nd_ude_auto_result;

/* Returns the weights seed of the recipe's attempt (1, 2, ...) for a network seeded with
   seed: seed itself first, then nd_rng_derive(seed, attempt - 1), never a seed a user
   types, so retries never repeat another network's first attempt. */
uint64_t nd_ude_attempt_seed(uint64_t seed, int attempt);

/* Trains u on data with the default recipe (see ude_auto.c): collocation, then L-BFGS on
   the trajectory loss with about rows/10, rows/60, 2 and 1 segments; when the result fails
   the training verdict (nd_ude_verdict_experiment: residual against the data's noise, spikes
   against the data's) it starts again from weights drawn with nd_ude_attempt_seed, and
   keeps the best attempt (a good fit first, then the lowest loss). o NULL: defaults; cb,
   on_stage, res may be NULL. Errors: ND_EINTERRUPT (u keeps the best parameters of the
   running stage), fit errors (nd_ude_fit_create), ND_ENOMEM. */
nd_status nd_ude_train_auto(nd_ude *u, const nd_dataset *data, const nd_ude_auto_options *o,
                            const nd_optim_callbacks *cb, nd_ude_auto_stage_fn on_stage,
                            void *stage_ctx, nd_ude_auto_result *res, nd_error *err);

/* The default recipe on nex >= 1 experiments at once (nd_ude_fit_create_multi): the same
   stages, with the segment counts planned from the first experiment's length; an attempt
   is a good fit when it passes the verdict on every experiment. One experiment under the
   network's own stimulus is nd_ude_train_auto. */
nd_status nd_ude_train_auto_multi(nd_ude *u, const nd_ude_experiment *ex, size_t nex,
                                  const nd_ude_auto_options *o, const nd_optim_callbacks *cb,
                                  nd_ude_auto_stage_fn on_stage, void *stage_ctx,
                                  nd_ude_auto_result *res, nd_error *err);

/* ---- history and persistence ---- */

/* Returns the loss after every training iteration so far, oldest first. */
const double *nd_ude_history(const nd_ude *u, size_t *len);

/* Returns the number of training stages run and stage i's description ("adam 2000") and
   first iteration index in the history. */
size_t nd_ude_nstages(const nd_ude *u);
const char *nd_ude_stage(const nd_ude *u, size_t i, size_t *first);

/* Returns u as a new JSON object: the model's text and values, the spec, the network
   (weights, scaling), the stimulus-free training state (history, stages, segment starts);
   NULL on ENOMEM or non-finite weights. */
json_t *nd_ude_to_json(const nd_ude *u);

/* Rebuilds a hybrid from nd_ude_to_json's form; NULL with a ValueError naming the field. */
nd_ude *nd_ude_from_json(const json_t *j, nd_error *err);

/* Returns the name of training scheme i ("rk4", "midpoint", "euler"), NULL past the last. */
const char *nd_ude_method_name(size_t i);

#endif
