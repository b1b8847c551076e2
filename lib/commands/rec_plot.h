/* `plot REC [N …]`: a recording's sweeps overlaid over their command. */
#ifndef ND_COMMANDS_REC_PLOT_H
#define ND_COMMANDS_REC_PLOT_H

#include "../language/commands.h"
#include "../language/objects.h"

/* Returns the recording the call's first positional names, or NULL. */
const nd_recording *nd_plot_rec_target(const nd_cmd_ctx *ctx);

/* Draws the sweeps given as the other positionals (counted from 1; none: all) with the
   plot command's title=, width=, height= options, and shows it. */
nd_status nd_plot_rec(const nd_cmd_ctx *ctx, const nd_recording *rec, nd_value **result,
                      nd_error *err);

#endif
