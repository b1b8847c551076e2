/* What the network commands (cmd_learn.c, cmd_train.c, learn_plot.c) share with each
   other and with the generic commands that accept a network (plot). */
#ifndef ND_COMMANDS_LEARN_CMD_H
#define ND_COMMANDS_LEARN_CMD_H

#include "../learn/simulate.h"
#include "../language/commands.h"
#include "../language/objects.h"

/* The train command (cmd_train.c). */
extern const nd_command nd_cmd_train;

/* The laplace command (laplace_cmd.c). */
extern const nd_command nd_cmd_laplace;

/* The eval command (cmd_eval.c). */
extern const nd_command nd_cmd_eval;

/* Returns the network named by the call's first positional (NET or NET.TERM), or NULL;
   its name goes into name (cap bytes) and *term gets what follows the dot (NULL without
   one). */
nd_ude *nd_learn_net_of(const nd_cmd_ctx *ctx, const char **term, char *name, size_t cap);

/* Reads `vs TERM` at positional *pos, moving *pos past it: *true_at gets TERM's argument
   (NULL when the call has no `vs` there); SyntaxError when no name follows vs. */
nd_status nd_learn_vs(const nd_cmd_ctx *ctx, size_t *pos, const nd_arg **true_at,
                      nd_error *err);

/* Reads where a network's term is sampled (sindy, symreg): dataset da (held in *holder)
   or, da NULL, the network's own run over t= (positive, default 100) with the solver
   options *o, which the call can interrupt. */
nd_status nd_learn_net_source(const nd_cmd_ctx *ctx, const nd_arg *da, nd_value **holder,
                              nd_dataset **ds, double *T, nd_sim_options *o, nd_error *err);

/* Places an error that has no location yet on the command's name. */
void nd_learn_locate_call(const nd_cmd_ctx *ctx, nd_error *err);

/* Places an error of a library run that has no location yet: an interrupt on the
   command (as the interpreter's own check does), anything else on a. */
void nd_learn_locate_run(const nd_cmd_ctx *ctx, nd_error *err, const nd_arg *a);

/* Returns 1 when the call's first positional is a network or NET.TERM (plot's dispatch). */
int nd_plot_net_target(const nd_cmd_ctx *ctx);

/* `plot NET DATA` (fit against data) and `plot NET.TERM vs TERM …` (learned against true
   term), with plot's title=, width=, height= options; *result (NULL: not wanted) gets
   the figure when the statement binds it. */
nd_status nd_plot_net(const nd_cmd_ctx *ctx, nd_value **result, nd_error *err);

#endif
