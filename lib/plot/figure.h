/* Figures: panels stacked vertically over a shared x axis, each holding data series,
   rendered through gnuplot into one MIME bundle (SVG, PNG, a text description, JSON). */
#ifndef ND_PLOT_FIGURE_H
#define ND_PLOT_FIGURE_H

#include <stddef.h>

#include "../base/bundle.h"
#include "../base/error.h"
#include "../base/fields.h"
#include "../base/json.h"

typedef struct nd_figure nd_figure;

typedef enum nd_fig_line {
    ND_FIG_SOLID = 0,
    ND_FIG_DASHED,
    ND_FIG_DOTTED,
    ND_FIG_NOLINE          /* markers only */
} nd_fig_line;

typedef enum nd_fig_marker {
    ND_FIG_NOMARK = 0,
    ND_FIG_DOT,            /* small filled dot, for dense scatter */
    ND_FIG_CIRCLE,         /* filled circle: stable equilibrium */
    ND_FIG_OPEN_CIRCLE,    /* open circle: unstable equilibrium */
    ND_FIG_SQUARE,
    ND_FIG_TRIANGLE,
    ND_FIG_CROSS
} nd_fig_marker;

/* Colours of the Okabe–Ito palette (readable with every common colour-vision deficiency);
   ND_FIG_AUTO takes the next colour of the panel's cycle (blue, vermillion, green, purple,
   orange, sky blue, black). */
typedef enum nd_fig_color {
    ND_FIG_AUTO = 0,
    ND_FIG_BLUE, ND_FIG_VERMILLION, ND_FIG_GREEN, ND_FIG_PURPLE, ND_FIG_ORANGE,
    ND_FIG_SKYBLUE, ND_FIG_BLACK, ND_FIG_YELLOW, ND_FIG_GRAY,
    ND_FIG_NCOLORS
} nd_fig_color;

/* How a series is drawn; an all-zero style is a solid line in the next cycle colour. */
typedef struct nd_fig_style {
    nd_fig_line line;
    nd_fig_marker marker;
    nd_fig_color color;
    double width;          /* line width in px; 0 means 1.5 */
} nd_fig_style;

/* Returns an empty figure (title may be NULL), or NULL on ENOMEM. */
nd_figure *nd_fig_create(const char *title);

/* Frees the figure and its copies of the data; NULL is allowed. */
void nd_fig_free(nd_figure *fig);

/* Adds a panel below the others (labels with units, e.g. "V [mV]", or NULL); returns its
   index, or -1 on ENOMEM. Only the bottom panel shows its x label. */
int nd_fig_add_panel(nd_figure *fig, const char *xlabel, const char *ylabel);

/* Adds n points (copied; x NULL: 0..n-1; NaN/inf: a gap), in the legend when labelled;
   returns the series' index in the panel, or -1 for a bad panel or ENOMEM. */
int nd_fig_add_series(nd_figure *fig, int panel, const char *label, const double *x,
                      const double *y, size_t n, nd_fig_style style);

/* Draws z over the grid x (nx increasing values) × y (ny increasing values) in panel as a
   colour map (z[j * nx + i] at (x[i], y[j]); NaN cells left blank) with a colour bar
   labelled zlabel (may be NULL), under the panel's series, and fixes the x and y ranges
   to the grid's cells. Replaces an earlier heatmap of the panel. 0 ok, -1 for a bad
   panel, an empty grid or ENOMEM. */
int nd_fig_set_heatmap(nd_figure *fig, int panel, const double *x, size_t nx, const double *y,
                       size_t ny, const double *z, const char *zlabel);

/* Fixes the x range shared by all panels (default: the data's range); an empty or
   non-finite range is ignored. */
void nd_fig_set_xrange(nd_figure *fig, double lo, double hi);

/* Fixes the y range of a panel (default: the data's range plus 5 % above and below); an
   empty or non-finite range, or a bad panel, is ignored. */
void nd_fig_set_yrange(nd_figure *fig, int panel, double lo, double hi);

/* Sets the image size in pixels (default 720 wide, 420 high for one panel, 170 more per
   extra panel); the width is clamped to 300..4000, the height to 200..4000. */
void nd_fig_set_size(nd_figure *fig, int width_px, int height_px);

/* Adds key: value to the figure's JSON after its standard keys (a result drawn as a
   figure says what it shows: "phase":{…}), taking value over; 0 ok, -1 as nd_json_put. */
int nd_fig_set_json(nd_figure *fig, const char *key, json_t *value);

/* Renders into a bundle of image/svg+xml, image/png (base64), text/plain and ND_MIME_JSON
   (see describe.c); ND_EIO when gnuplot is missing, fails or takes over 20 s. In draft
   mode the bundle has no image/png. */
nd_status nd_fig_render(const nd_figure *fig, nd_bundle **out, nd_error *err);

/* Renders fig as nd_fig_render and frees it; fig NULL (a figure that could not be built)
   gives ND_ENOMEM. */
nd_status nd_fig_render_take(nd_figure *fig, nd_bundle **out, nd_error *err);

/* Returns 1 when b (a rendered figure, or any result bundle) holds both images. */
int nd_fig_bundle_has_images(const nd_bundle *b);

/* Writes the image of a rendered bundle to path, the type from its extension (.svg: a
   standalone SVG document; .png: the PNG bytes; case ignored), replacing the file whole
   or not at all; ND_EVALUE for another extension or a bundle without that image, ND_EIO
   when the file cannot be written. */
nd_status nd_fig_save(const nd_bundle *b, const char *path, nd_error *err);

/* Returns an axis label "V [mV]": name and unit, or the name alone when the unit is empty,
   NULL or "1" (dimensionless); caller frees; NULL on ENOMEM. */
char *nd_fig_label(const char *name, const char *unit);

/* Returns the unit of a rate of change, "mV/ms" for unit "mV" per time unit "ms"; NULL
   when either is empty or NULL (unknown), or on ENOMEM. Caller frees. */
char *nd_fig_unit_per(const char *unit, const char *time_unit);

/* Returns the figure's title, or NULL. */
const char *nd_fig_title(const nd_figure *fig);

/* Returns the number of panels. */
size_t nd_fig_panel_count(const nd_figure *fig);

/* Sets *width and *height to the image size in pixels the figure renders at. */
void nd_fig_size(const nd_figure *fig, int *width, int *height);

/* Turns draft mode on or off for the calling thread and returns the previous mode. Draft
   figures skip the PNG (the fallback of untrusted viewers and PDF export), which costs
   about two thirds of a render: for redraws that a full render soon replaces, such as
   interact's while a slider is dragged. */
int nd_fig_draft(int on);

/* The values a figure exposes ("figure"): title (none without one), description (NULL:
   ""), panels, width, height; NULL on ENOMEM (fig_fields.c). */
nd_fields *nd_fig_fields(const nd_figure *fig, const char *description);

#endif
