/* `fit … objective=features|fi` (or method=cmaes): the gradient-free path of fit. */
#ifndef ND_COMMANDS_FIT_CMAES_CMD_H
#define ND_COMMANDS_FIT_CMAES_CMD_H

#include "../data/dataset.h"
#include "../language/commands.h"
#include "../language/objects.h"

/* Fits mo's np parameters to the nd sweeps by CMA-ES on the objective the call names
   (objective=, capacitance=, window=, seed=, threads=, evals=), inside [lower, upper]
   (infinite entries: the default box x/10 … 10x), shows the result and binds the model
   with the estimates when the statement names one. */
nd_status nd_fit_cmaes_command(nd_cmd_ctx *ctx, const nd_model_obj *mo,
                               const char *const *params, size_t np, const double *lower,
                               const double *upper, const nd_dataset *const *data, size_t nd,
                               nd_value **result, nd_error *err);

#endif
