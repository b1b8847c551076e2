/* Helpers shared by the network plots (learn_plot.c, learn_plot_term.c). */
#ifndef ND_COMMANDS_LEARN_PLOT_H
#define ND_COMMANDS_LEARN_PLOT_H

#include <jansson.h>

#include "../learn/ude.h"
#include "../plot/figure.h"
#include "../language/commands.h"

/* Returns 1 for the options every network plot takes (title, width, height). */
int nd_learn_plot_option(const char *key);

/* Sets *title (malloc'ed) to the title= option, else dflt. */
nd_status nd_learn_plot_title(const nd_cmd_ctx *ctx, const char *dflt, char **title,
                              nd_error *err);

/* Adds the member key = value (taken over; key NULL: none) to fig's JSON, renders fig
   (freed) with the width=/height= options, appends caption to its text, and shows it (as a figure value in *result when the statement binds one; result may be
   NULL). */
nd_status nd_learn_plot_show(const nd_cmd_ctx *ctx, nd_figure *fig, const char *caption,
                             const char *key, json_t *value, nd_value **result, nd_error *err);

/* Makes a figure titled title for job, its caption in *caption (malloc'ed); NULL on
   ENOMEM. */
typedef nd_figure *(*nd_learn_figure_fn)(const void *job, const char *title, char **caption);

/* Shows an identification as sindy and symreg do: the equations and the table (each
   freed when it is not shown), then, when make is given, make(job, …)'s figure titled by
   the title= option or dflt_title. */
nd_status nd_learn_show_found(const nd_cmd_ctx *ctx, nd_bundle *eqs, nd_bundle *table,
                              const char *dflt_title, nd_learn_figure_fn make,
                              const void *job, nd_error *err);

/* `plot NET.TERM …` for network u bound as net_name (learn_plot_term.c). */
nd_status nd_learn_plot_term(const nd_cmd_ctx *ctx, nd_ude *u, const char *net_name,
                             const char *term, nd_value **result, nd_error *err);

#endif
