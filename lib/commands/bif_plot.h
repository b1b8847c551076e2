/* `plot BIF [VAR]`: the bifurcation diagram of a `continue` result. */
#ifndef ND_COMMANDS_BIF_PLOT_H
#define ND_COMMANDS_BIF_PLOT_H

#include "../language/commands.h"
#include "../language/objects.h"

/* Returns the bifurcation result the call's first positional names, or NULL. */
const nd_bif_result *nd_plot_bif_target(const nd_cmd_ctx *ctx);

/* Draws r's state VAR (a positional; default the first state) against its parameter,
   with an F-I dataset named among the positionals (from `fi`) in a second panel, the
   plot command's title=, width=, height= options, and shows it. */
nd_status nd_plot_bif(const nd_cmd_ctx *ctx, const nd_bif_result *r, nd_value **result,
                      nd_error *err);

#endif
