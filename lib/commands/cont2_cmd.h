/* `continue hopf|fold P1=a..b P2=c..d`: the two-parameter form of continue (cont2_cmd.c);
   cmd_continue.c dispatches to it. */
#ifndef ND_COMMANDS_CONT2_CMD_H
#define ND_COMMANDS_CONT2_CMD_H

#include "../language/commands.h"

/* Returns 1 when the call is the two-parameter form: it starts with hopf or fold. */
int nd_cont2_cmd_is_two(const nd_cmd_ctx *ctx);

/* Runs it: reads the curve kinds, the two parameters' ranges and the options, runs
   nd_c2_continue, shows the table and the figure (over map=, a sweep grid) and returns
   the record (docs/bifurcations.md). */
nd_status nd_cont2_cmd_run(nd_cmd_ctx *ctx, nd_value **result, nd_error *err);

/* Reads from=, where a cycle continuation looks for cycles: hopf (only the branches from
   Hopf points: *samples = SIZE_MAX), simulation (the default: nothing changes) or a value
   of the parameter (*start); param names that parameter in the error. */
nd_status nd_cont_read_from(nd_cmd_ctx *ctx, const char *param, size_t *samples,
                            double *start, nd_error *err);

#endif
