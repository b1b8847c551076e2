/* `fit … ensemble=N` (a hook of cmd_fit.c): the ensemble of fits after the single one. */
#ifndef ND_COMMANDS_FIT_ENS_CMD_H
#define ND_COMMANDS_FIT_ENS_CMD_H

#include "../learn/fit.h"
#include "../language/commands.h"

/* fit's options for ensembles, for its option table. */
#define ND_FIT_ENSEMBLE_OPTIONS                                                                \
    {"ensemble", "none", "after the fit, this many more fits from starts scattered by "       \
                         "independent seeds: each parameter's mean ± SD across them beside "  \
                         "the standard error"},                                                \
    {"bootstrap", "false", "with ensemble=: each member fits a resample — of the datasets "    \
                           "when there are several, else of the fit's residuals"}

/* Runs the ensemble the call asks for (ensemble=, bootstrap=, seed=, threads=) around the
   finished single fit `single` (its standard errors se), shows the spread of each
   parameter, and, rec not NULL, adds ensemble_values (members × parameters),
   ensemble_mean, ensemble_sd and ensemble_size to the fit's record. */
nd_status nd_fit_ensemble_cmd(const nd_cmd_ctx *ctx, const nd_model *m,
                              const nd_dataset *const *data, size_t ndata,
                              const nd_fit_options *o, nd_fit_method method, long iters,
                              nd_fit *single, const double *se, nd_value *rec, nd_error *err);

#endif
