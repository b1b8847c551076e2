/* Decimation in one pass each. Kept indices are pushed through push(), which drops
   repeats, so "first point", "column extremes" and "last point" never duplicate. */
#include "decimate.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct kept {
    size_t *idx;
    size_t n;
} kept;

static void push(kept *k, size_t i)
{
    if (k->n == 0 || (k->idx[k->n - 1] & ~ND_FIG_BREAK) < (i & ~ND_FIG_BREAK))
        k->idx[k->n++] = i;
}

static int finite_point(const double *x, const double *y, size_t i)
{
    return isfinite(x[i]) && isfinite(y[i]);
}

/* One gap marker between runs is enough for gnuplot to break the line. */
static void push_gap(kept *k, const double *x, const double *y, size_t i)
{
    if (k->n > 0 && !finite_point(x, y, k->idx[k->n - 1] & ~ND_FIG_BREAK)) return;
    push(k, i);
}

/* Pixel cell of a value; everything beyond the grid shares the cells just outside it. */
static long cell(double v, double lo, double hi, int count)
{
    double f = (v - lo) / (hi - lo) * count;
    if (!(f >= 0)) return -1;
    if (f >= count) return count;
    return (long)f;
}

size_t nd_fig_decimate_columns(const double *x, const double *y, size_t n,
                               const nd_fig_grid *g, size_t *keep)
{
    kept k = {keep, 0};
    if (n == 0) return 0;
    push(&k, 0);
    long cur = 0;
    size_t imin = 0, imax = 0;
    int open = 0;
    for (size_t i = 0; i < n; i++) {
        if (!finite_point(x, y, i)) {
            /* the line must run right up to the gap and start again right after it */
            if (open) {
                push(&k, imin < imax ? imin : imax);
                push(&k, imin < imax ? imax : imin);
                push(&k, i - 1);
            }
            open = 0;
            push_gap(&k, x, y, i);
            continue;
        }
        long c = cell(x[i], g->xlo, g->xhi, g->columns);
        if (open && c == cur) {
            if (y[i] < y[imin]) imin = i;
            if (y[i] > y[imax]) imax = i;
            continue;
        }
        if (open) {
            push(&k, imin < imax ? imin : imax);
            push(&k, imin < imax ? imax : imin);
        } else {
            push(&k, i);
        }
        open = 1;
        cur = c;
        imin = imax = i;
    }
    if (open) {
        push(&k, imin < imax ? imin : imax);
        push(&k, imin < imax ? imax : imin);
    }
    push(&k, n - 1);
    return k.n;
}

/* A bitmap of the pixel cells of a grid, with a border row and column for everything
   beyond it. */
typedef struct cells {
    uint8_t *bits;
    size_t w;
} cells;

static int cells_make(cells *cs, const nd_fig_grid *g)
{
    cs->w = (size_t)g->columns + 2;
    cs->bits = calloc((cs->w * ((size_t)g->rows + 2) + 7) / 8, 1);
    return cs->bits ? 0 : -1;
}

static size_t cell_of(const cells *cs, const nd_fig_grid *g, double x, double y)
{
    size_t c = (size_t)(cell(x, g->xlo, g->xhi, g->columns) + 1);
    size_t r = (size_t)(cell(y, g->ylo, g->yhi, g->rows) + 1);
    return r * cs->w + c;
}

/* Marks the cell; returns whether it was marked before. */
static int visit(cells *cs, size_t bit)
{
    int seen = (cs->bits[bit / 8] >> (bit % 8)) & 1;
    cs->bits[bit / 8] |= (uint8_t)(1u << (bit % 8));
    return seen;
}

static size_t keep_all(size_t n, size_t *keep)
{
    for (size_t i = 0; i < n; i++) keep[i] = i;
    return n;
}

size_t nd_fig_decimate_path(const double *x, const double *y, size_t n,
                            const nd_fig_grid *g, size_t *keep)
{
    cells cs;
    if (cells_make(&cs, g) != 0) return keep_all(n, keep);
    kept k = {keep, 0};
    int have = 0, skipped = 0;
    size_t last_cell = 0, last_i = 0;
    for (size_t i = 0; i < n; i++) {
        if (!finite_point(x, y, i)) {
            push_gap(&k, x, y, i);
            have = skipped = 0;
            continue;
        }
        size_t c = cell_of(&cs, g, x[i], y[i]);
        int same = have && c == last_cell;
        int seen = visit(&cs, c);
        if (same || (have && seen)) {
            skipped |= !same;
            last_cell = c;
            last_i = i;
            continue;
        }
        if (skipped) push(&k, last_i | ND_FIG_BREAK);
        push(&k, i);
        have = 1;
        skipped = 0;
        last_cell = c;
        last_i = i;
    }
    /* the end point, unless it lies on a retraced stretch (joining it would draw a chord) */
    if (n && !skipped && finite_point(x, y, n - 1)) push(&k, n - 1);
    free(cs.bits);
    return k.n;
}

size_t nd_fig_decimate_marks(const double *x, const double *y, size_t n,
                             const nd_fig_grid *g, size_t *keep)
{
    cells cs;
    if (cells_make(&cs, g) != 0) return keep_all(n, keep);
    kept k = {keep, 0};
    for (size_t i = 0; i < n; i++)
        if (finite_point(x, y, i) && !visit(&cs, cell_of(&cs, g, x[i], y[i]))) push(&k, i);
    free(cs.bits);
    return k.n;
}
