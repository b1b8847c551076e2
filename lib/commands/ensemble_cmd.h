/* Ensembles in the commands: `train NET DATA … ensemble=N` (a hook of cmd_train.c), and
   the ensemble record `ens` where a network is accepted: `plot ens DATA`,
   `plot ens.TERM vs TERM DATA`, `eval ens.TERM [vs TERM] DATA`, `sindy ens.TERM …`. */
#ifndef ND_COMMANDS_ENSEMBLE_CMD_H
#define ND_COMMANDS_ENSEMBLE_CMD_H

#include "../language/commands.h"
#include "train.h"

/* train's options for ensembles, for its option table (ensemble=, bootstrap=, seed=,
   threads=, heldout=, truth=, figures=). */
#define ND_TRAIN_ENSEMBLE_OPTIONS                                                              \
    {"ensemble", "none", "train this many networks (2 … 256) from independent weight seeds "   \
                         "and bind them as one ensemble record"},                              \
    {"bootstrap", "false", "with ensemble=: each member trains on a resample (with "           \
                           "replacement) of the datasets"},                                    \
    {"seed", "the network's seed", "with ensemble=: member 1 starts from this seed, the "      \
                                   "others from seeds derived from it"},                       \
    {"threads", "one per core", "with ensemble=: members trained at once (the same result "    \
                                "for any number)"},                                            \
    {"heldout", "none", "with ensemble=: a dataset not trained on, for the calibration check"}, \
    {"truth", "none", "with ensemble=: a noise-free dataset of every state (a synthetic "     \
                      "study): the band of the learned term against the true one"},   \
    {"figures", "true", "with ensemble=: show the band figures (false: the summary only, "    \
                        "e.g. in a loop)"}

/* Trains the ensemble asked by the call read into tc (ensemble= given) and shows and
   binds its record; errors located on the option at fault or the command. */
nd_status nd_train_ensemble(nd_cmd_ctx *ctx, nd_train_call *tc, nd_value **result,
                            nd_error *err);

/* Returns the number of members (up to cap, into out, borrowed from the workspace) of the
   ensemble named by the call's first positional (ENS or ENS.TERM), 0 when it names none;
   name gets ENS, *term what follows the dot (NULL: nothing). */
size_t nd_ens_target(const nd_cmd_ctx *ctx, nd_ude **out, size_t cap, const char **term,
                     char *name, size_t namecap);

/* `plot ENS DATA` (the band of the prediction against the data) and
   `plot ENS.TERM [vs TERM] DATA` (the band of the learned term). */
nd_status nd_plot_ens(const nd_cmd_ctx *ctx, nd_value **result, nd_error *err);

/* `eval ENS.TERM [vs TERM] DATA`: a dataset of t, the members' mean, SD, mean ± 2 SD and
   the true term. */
nd_status nd_eval_ens(nd_cmd_ctx *ctx, nd_value **result, nd_error *err);

#endif
