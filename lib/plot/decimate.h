/* Thinning long series to what a pixel grid can show, without losing extremes: a 100k-
   point voltage trace drawn in 700 pixel columns needs at most ~1400 points, and a spike
   one sample wide must still reach its peak. */
#ifndef ND_PLOT_DECIMATE_H
#define ND_PLOT_DECIMATE_H

#include <stddef.h>

/* Set on a kept index when the line must be broken just before that point (a stretch that
   only retraced pixels already drawn was left out). */
#define ND_FIG_BREAK ((size_t)1 << (sizeof(size_t) * 8 - 1))

/* The pixel grid a series is drawn on: columns across [xlo, xhi], rows across [ylo, yhi]. */
typedef struct nd_fig_grid {
    double xlo, xhi, ylo, yhi;
    int columns, rows;
} nd_fig_grid;

/* For a line through x non-decreasing: keeps per pixel column the points of smallest and
   largest y (in their order), the first and last point, one non-finite point per gap and
   the points on either side of it;
   writes the kept indices, increasing, to keep[0..n) and returns how many. */
size_t nd_fig_decimate_columns(const double *x, const double *y, size_t n,
                               const nd_fig_grid *g, size_t *keep);

/* For a line through x in any order (a trajectory): keeps a point when it enters a pixel
   no kept point has visited yet, so a limit cycle traced a hundred times costs about as
   much as one loop; a stretch that only retraces drawn pixels is dropped and the line
   resumes at its last point, flagged ND_FIG_BREAK. Gap markers are kept; returns the count. */
size_t nd_fig_decimate_path(const double *x, const double *y, size_t n,
                            const nd_fig_grid *g, size_t *keep);

/* For markers: keeps the first point drawn on each pixel (later ones would land on top of
   it) and drops non-finite points; returns the count, or n when memory runs out (all kept). */
size_t nd_fig_decimate_marks(const double *x, const double *y, size_t n,
                             const nd_fig_grid *g, size_t *keep);

#endif
