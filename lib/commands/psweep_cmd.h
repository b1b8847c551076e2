/* `sweep NAME=values …`: the parameter-grid form of the sweep command (cmd_psweep.c);
   cmd_rec.c dispatches to it when the call starts with an option. */
#ifndef ND_COMMANDS_PSWEEP_CMD_H
#define ND_COMMANDS_PSWEEP_CMD_H

#include "../language/commands.h"

/* Returns 1 when the call is the grid form: its first argument is NAME=value. */
int nd_psweep_cmd_is_grid(const nd_cmd_ctx *ctx);

/* Runs the grid form: reads the axes and options, runs nd_psweep_run with progress and the
   cell's interrupt, shows the summary and the figure, and returns the table as *result
   (an interrupted sweep returns the points finished, the rest nan). */
nd_status nd_psweep_cmd_run(nd_cmd_ctx *ctx, nd_value **result, nd_error *err);

/* The options of the grid form, for the sweep command's table; the swept NAME=values
   options are the model's names, described in the command's text. */
#define ND_PSWEEP_OPTION_ROWS \
    {"step", NULL, "spacing of the range just before it"}, \
    {"n", "21", "number of values of the range just before it"}, \
    {"model", "the current model", "the model swept"}, \
    {"measure", "rate", "rate, spikes, features, fixed, max or min (see the description)"}, \
    {"var", "V, else the first state", "the state spikes and extremes are measured on"}, \
    {"t", "1000", "measuring time after the transient, per point"}, \
    {"transient", "200", "time simulated first and not measured, per point"}, \
    {"threads", "all cores", "worker threads (1: serial; the table is the same)"}, \
    {"bound", "1e6", "a point whose state leaves ±bound has diverged: it stops there (nan); 0: none"}, \
    {"plot", "true", "show the curve (one parameter) or heatmap (two)"}

#endif
