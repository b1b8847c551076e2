/* The zero set of a function of the plane, for nullclines: marching squares on a grid,
   crossings placed by bisection on the cell edges (so points satisfy f = 0, not just a
   linear interpolation), sign changes through a pole rejected, and segments joined into
   polylines. */
#ifndef ND_ANALYSIS_CONTOUR_H
#define ND_ANALYSIS_CONTOUR_H

#include <stddef.h>

#include "../base/error.h"

/* A function of the plane; NaN where it is undefined. */
typedef double (*nd_contour_fn)(void *ctx, double x, double y);

/* Polylines as one point list, each line ended by a NaN point (x = y = NaN). */
typedef struct nd_contour {
    double *x, *y;
    size_t n, cap;     /* points, NaN separators included */
    size_t nlines;
} nd_contour;

/* Traces f = 0 over [x0, x1] x [y0, y1] with nx x ny grid points (each >= 2) into out
   (zeroed first by the caller or freshly freed). A sign change counts only when f
   shrinks under bisection (|f| at the point <= 1e-3 of the corner values); cells with an
   undefined corner are skipped. ND_OK, ND_ENOMEM, ND_EVALUE for a bad grid. */
nd_status nd_contour_zero(nd_contour_fn f, void *ctx, double x0, double x1, double y0,
                          double y1, size_t nx, size_t ny, nd_contour *out, nd_error *err);

/* Frees the contour's arrays and zeroes it. */
void nd_contour_free(nd_contour *c);

#endif
