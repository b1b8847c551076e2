/* Figures of datasets, as `plot` draws them: variables against time, one panel per
   variable and datasets overlaid, or against another variable (a trajectory). */
#ifndef ND_PLOT_DS_FIGURE_H
#define ND_PLOT_DS_FIGURE_H

#include <stddef.h>

#include "../data/dataset.h"
#include "figure.h"

/* One dataset of a plot and the variables drawn from it (each a column of ds). */
typedef struct nd_ds_plot {
    const char *name;          /* its name in the legend and title ("sim") */
    const nd_dataset *ds;
    const char *const *vars;
    size_t nvars;
} nd_ds_plot;

/* Returns the default title: "hh: V, m against time, I = 10, stimulus step …" (the first
   dataset's model or name, its variables, the x axis vs (NULL: time), the changed
   parameters and the stimulus from its metadata), with the datasets named after ';' when
   there are several; caller frees; NULL on ENOMEM. */
char *nd_ds_plot_title(const nd_ds_plot *src, size_t nsrc, const char *vs);

/* Returns 1 and sets *nx, *ny when ds is a two-parameter grid (metadata grid_shape
   "nx ny" with nx * ny rows, the first column varying fastest, the second slowest), else 0. */
int nd_ds_grid_shape(const nd_dataset *ds, size_t *nx, size_t *ny);

/* Returns the heatmap of column var of the grid ds (nd_ds_grid_shape) over its first two
   columns, titled title; NULL when ds is not a grid, has no column var, or on ENOMEM. */
nd_figure *nd_ds_heatmap_figure(const nd_dataset *ds, const char *var, const char *title);

/* Returns the figure titled title: a heatmap when one variable of one two-parameter grid
   is drawn without vs (nd_ds_heatmap_figure); otherwise against time each variable gets a panel (shared by the
   datasets, which are then named in the legend); against vs every series goes into one
   panel. Noisy data (metadata "noise") is drawn as dots, simulations as lines. NULL on
   ENOMEM. */
nd_figure *nd_ds_plot_figure(const nd_ds_plot *src, size_t nsrc, const char *vs,
                             const char *title);

#endif
