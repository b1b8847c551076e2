/* Helpers shared by the network plots (learn_plot.c, learn_plot_term.c). */
#ifndef ND_COMMANDS_LEARN_PLOT_H
#define ND_COMMANDS_LEARN_PLOT_H

#include <stddef.h>

#include "../learn/ude.h"
#include "../plot/figure.h"
#include "../language/commands.h"

/* Returns 1 for the options every network plot takes (title, width, height). */
int nd_learn_plot_option(const char *key);

/* Returns a figure titled by the title= option, else dflt; NULL with *st and err set. */
nd_figure *nd_learn_plot_figure(const nd_cmd_ctx *ctx, const char *dflt, nd_status *st,
                                nd_error *err);

/* Writes "name [unit]" (or "name" without a unit) into buf. */
void nd_learn_plot_label(char *buf, size_t cap, const char *name, const char *unit);

/* Renders fig (freed) with the width=/height= options, appends caption to its text and
   the JSON members json_extra (",\"key\":…") to its JSON object, and shows it (as a
   figure value in *result when the statement binds one; result may be NULL). */
nd_status nd_learn_plot_show(const nd_cmd_ctx *ctx, nd_figure *fig, const char *caption,
                             const char *json_extra, nd_value **result, nd_error *err);

/* `plot NET.TERM …` for network u bound as net_name (learn_plot_term.c). */
nd_status nd_learn_plot_term(const nd_cmd_ctx *ctx, nd_ude *u, const char *net_name,
                             const char *term, nd_value **result, nd_error *err);

#endif
