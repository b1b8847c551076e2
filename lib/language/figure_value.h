/* Figures as values: what `fig = plot …` binds and `save fig "x.svg"` writes. */
#ifndef ND_LANGUAGE_FIGURE_VALUE_H
#define ND_LANGUAGE_FIGURE_VALUE_H

#include "../plot/figure.h"
#include "commands.h"

/* Shows b, fig's rendering (nd_fig_render; taken over), in the cell; when the statement
   binds a name and result is not NULL, *result becomes a "figure" record (fields title,
   description, panels, width, height) shown as the same images. */
nd_status nd_cmd_give_figure(const nd_cmd_ctx *ctx, const nd_figure *fig, nd_bundle *b,
                             nd_value **result, nd_error *err);

/* Returns the rendered figure v shows (a figure record, or any record whose view holds
   both images), borrowed; NULL when v shows none. */
const nd_bundle *nd_value_figure(const nd_value *v);

/* Applies the plot options width= and height= to fig, an absent one keeping the size fig
   would render at (its default grows with the panels); a located error for a non-number. */
nd_status nd_cmd_figure_size(const nd_cmd_ctx *ctx, nd_figure *fig, nd_error *err);

#endif
