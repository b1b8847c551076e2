/* The inside of a figure and of its render plan, shared by the files of lib/plot only. */
#ifndef ND_PLOT_FIGURE_IMPL_H
#define ND_PLOT_FIGURE_IMPL_H

#include <stddef.h>

#include "../base/json.h"
#include "../base/strbuf.h"
#include "figure.h"

typedef struct nd_fig_series {
    char *label;           /* NULL: not in the legend */
    double *x, *y;         /* own copies */
    size_t n;
    nd_fig_style style;
} nd_fig_series;

/* A colour map of z over a rectangular grid (heatmap.c). */
typedef struct nd_fig_heatmap {
    double *x, *y, *z;     /* own copies: nx, ny and nx * ny values (x fastest) */
    size_t nx, ny;
    char *zlabel;          /* the colour bar's label, or NULL */
} nd_fig_heatmap;

typedef struct nd_fig_panel {
    char *xlabel, *ylabel;
    nd_fig_heatmap *heat;  /* drawn under the series, or NULL */
    nd_fig_series *series;
    size_t nseries, cap;
    int fixed_y;
    double ylo, yhi;
} nd_fig_panel;

struct nd_figure {
    char *title;
    nd_fig_panel *panels;
    size_t npanels, cap;
    int fixed_x;
    double xlo, xhi;
    int width, height;     /* 0: default */
    json_t *extra;         /* keys added to the JSON after the standard ones, or NULL */
};

/* The y axis of one panel: autoscaled by gnuplot (to tick marks), or fixed to [lo, hi]
   (set by the user, or [0, 1] when nothing finite is visible, which gnuplot refuses). */
typedef struct nd_fig_yaxis {
    int fixed;
    double lo, hi;
} nd_fig_yaxis;

/* What one render draws: the size and margins in pixels, the shared x range, each panel's
   y axis, and for every series (in panel order) the indices of the points kept after
   decimation. */
typedef struct nd_fig_plan {
    int width, height;
    double left, right, top, bottom, gap, panel_h;   /* pixels */
    double xlo, xhi;
    nd_fig_yaxis *y;       /* one per panel */
    size_t **keep;         /* keep[k][0..nkeep[k]) for the k-th series overall */
    size_t *nkeep;
    size_t nseries;
} nd_fig_plan;

/* Fills plan for fig (size, x range, decimated points); 0 ok, -1 ENOMEM. */
int nd_fig_plan_make(const nd_figure *fig, nd_fig_plan *plan);

/* Releases what nd_fig_plan_make allocated. */
void nd_fig_plan_free(nd_fig_plan *plan);

/* Returns the gnuplot script that draws fig as planned, writing the SVG to /dev/fd/3 and,
   when with_png, the PNG to /dev/fd/4; caller frees; NULL on ENOMEM. */
char *nd_fig_script(const nd_figure *fig, const nd_fig_plan *plan, int with_png);

/* Frees a heatmap and its copies; NULL is allowed. */
void nd_fig_heatmap_free(nd_fig_heatmap *h);

/* Returns 1 when some panel of fig has a heatmap (the plan leaves room for its colour bar). */
int nd_fig_has_heatmap(const nd_figure *fig);

/* Appends the heatmap's datablock $hP and the settings before panel p's plot (palette,
   colour range and bar), and the plot item that draws it, to the script. */
void nd_fig_heatmap_data(nd_sb *sb, const nd_fig_heatmap *h, size_t p);

/* Sets the dash pattern of a dashed or dotted line, on and off lengths in line widths
   (the SVG's dt (on,off) and the PNG's cut dashes alike). */
void nd_fig_dash_pattern(nd_fig_line line, double *on, double *off);

/* Writes each dashed or dotted series k again as $p<k>, its dashes cut into the data, for
   gnuplot's PNG terminal, which draws every dash type solid (dashes.c). */
void nd_fig_dash_blocks(nd_sb *sb, const nd_figure *fig, const nd_fig_plan *plan);

/* 1 when the PNG pass draws se from its $p block (it is dashed or dotted). */
int nd_fig_png_dashed(const nd_fig_series *se);
void nd_fig_heatmap_settings(nd_sb *sb, const nd_fig_heatmap *h,
                             void (*quote)(nd_sb *, const char *));
void nd_fig_heatmap_item(nd_sb *sb, size_t p);

/* Returns the JSON object describing h: "nx", "ny", "xmin", "xmax", "ymin", "ymax",
   "zmin", "zmax" (null when nothing is finite), "zlabel"; NULL on ENOMEM. */
json_t *nd_fig_heatmap_json(const nd_fig_heatmap *h);

/* Returns the text/plain description of fig (title, panels, series with point counts and
   ranges); caller frees; NULL on ENOMEM. */
char *nd_fig_describe_text(const nd_figure *fig);

/* Returns the ND_MIME_JSON text of fig; caller frees; NULL on ENOMEM. */
char *nd_fig_describe_json(const nd_figure *fig, const nd_fig_plan *plan);

#endif
