/* Planning a render: everything about a figure that depends on its final pixel size
   (margins, ranges, which points are worth sending to gnuplot) is decided here once, so
   the script writer and the descriptions agree on it. */
#include "figure_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/range.h"
#include "../base/textfmt.h"
#include "decimate.h"

enum { DEFAULT_WIDTH = 720, FIRST_PANEL_HEIGHT = 420, MORE_PANEL_HEIGHT = 170 };

static int monotone(const double *x, size_t n)
{
    double prev = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) continue;
        if (x[i] < prev) return 0;
        prev = x[i];
    }
    return 1;
}

/* A degenerate range (one value) is widened so gnuplot and the pixel grid can use it. */
static void widen(double *lo, double *hi)
{
    if (*hi > *lo) return;
    double d = fabs(*lo) > 1 ? 0.05 * fabs(*lo) : 0.5;
    *lo -= d;
    *hi += d;
}

/* The data's x extent over all series; trajectories (x going back and forth) get a little
   room so their turning points do not sit on the frame. */
static void x_range(const nd_figure *fig, nd_fig_plan *plan)
{
    if (fig->fixed_x) {
        plan->xlo = fig->xlo;
        plan->xhi = fig->xhi;
        return;
    }
    double lo = INFINITY, hi = -INFINITY;
    int path = 0;
    for (size_t p = 0; p < fig->npanels; p++) {
        for (size_t s = 0; s < fig->panels[p].nseries; s++) {
            const nd_fig_series *se = &fig->panels[p].series[s];
            double a, b;
            if (nd_finite_range(se->x, se->n, &a, &b) == 0) continue;
            lo = fmin(lo, a);
            hi = fmax(hi, b);
            if (se->style.line != ND_FIG_NOLINE && !monotone(se->x, se->n)) path = 1;
        }
    }
    if (!(lo <= hi)) {
        lo = 0;
        hi = 1;
    }
    if (path) {
        double pad = 0.03 * (hi - lo);
        lo -= pad;
        hi += pad;
    }
    widen(&lo, &hi);
    plan->xlo = lo;
    plan->xhi = hi;
}

/* gnuplot autoscales y unless nothing finite lies inside the x range, which it rejects. */
static void y_axis(const nd_fig_panel *pn, const nd_fig_plan *plan, nd_fig_yaxis *ax)
{
    if (pn->fixed_y) {
        *ax = (nd_fig_yaxis){1, pn->ylo, pn->yhi};
        return;
    }
    for (size_t s = 0; s < pn->nseries; s++) {
        const nd_fig_series *se = &pn->series[s];
        for (size_t i = 0; i < se->n; i++)
            if (isfinite(se->y[i]) && se->x[i] >= plan->xlo && se->x[i] <= plan->xhi) {
                *ax = (nd_fig_yaxis){0, 0, 0};
                return;
            }
    }
    *ax = (nd_fig_yaxis){1, 0, 1};
}

/* Legends sit right of the frames, outside the data, so they never cover a trace; the
   right margin is widened for the longest label on every panel alike, keeping the panels'
   x axes aligned. */
static double legend_width(const nd_figure *fig)
{
    size_t widest = 0;
    int any = 0;
    for (size_t p = 0; p < fig->npanels; p++) {
        for (size_t s = 0; s < fig->panels[p].nseries; s++) {
            const char *label = fig->panels[p].series[s].label;
            if (!label) continue;
            any = 1;
            size_t w = nd_utf8_width(label);
            if (w > widest) widest = w;
        }
    }
    if (widest > 40) widest = 40;   /* gnuplot lets a longer label run off the edge */
    return any ? 52 + 7.0 * (double)widest : 0;
}

void nd_fig_size(const nd_figure *fig, int *width, int *height)
{
    size_t np = fig->npanels ? fig->npanels : 1;
    *width = fig->width ? fig->width : DEFAULT_WIDTH;
    *height = fig->height ? fig->height : FIRST_PANEL_HEIGHT + MORE_PANEL_HEIGHT * (int)(np - 1);
}

static void layout(const nd_figure *fig, nd_fig_plan *plan)
{
    size_t np = fig->npanels ? fig->npanels : 1;
    nd_fig_size(fig, &plan->width, &plan->height);
    int xlabel = fig->npanels && fig->panels[fig->npanels - 1].xlabel;
    plan->top = fig->title ? 38 : 14;
    plan->bottom = xlabel ? 52 : 34;
    plan->left = 78;
    plan->right = 22 + fmin(legend_width(fig), 0.35 * plan->width);
    if (nd_fig_has_heatmap(fig)) plan->right += 96;   /* the colour bar and its label */
    plan->gap = 14;
    plan->panel_h = (plan->height - plan->top - plan->bottom - plan->gap * (double)(np - 1)) /
                    (double)np;
    if (plan->panel_h < 20) plan->panel_h = 20;
}

/* Chooses the points of one series: all of them when few, else per the series' kind. */
static int decimate(const nd_fig_series *se, const nd_fig_plan *plan, const nd_fig_yaxis *ax,
                    size_t **keep, size_t *nkeep)
{
    int columns = (int)(plan->width - plan->left - plan->right);
    *keep = NULL;
    *nkeep = se->n;
    if (se->n <= 2 * (size_t)columns) return 0;
    nd_fig_grid g = {plan->xlo, plan->xhi, ax->lo, ax->hi, columns, (int)plan->panel_h};
    if (!ax->fixed) nd_finite_range(se->y, se->n, &g.ylo, &g.yhi);
    if (!(g.ylo <= g.yhi)) g.ylo = g.yhi = 0;
    widen(&g.ylo, &g.yhi);
    *keep = malloc(se->n * sizeof **keep);
    if (!*keep) return -1;
    if (se->style.marker != ND_FIG_NOMARK || se->style.line == ND_FIG_NOLINE)
        *nkeep = nd_fig_decimate_marks(se->x, se->y, se->n, &g, *keep);
    else if (monotone(se->x, se->n))
        *nkeep = nd_fig_decimate_columns(se->x, se->y, se->n, &g, *keep);
    else
        *nkeep = nd_fig_decimate_path(se->x, se->y, se->n, &g, *keep);
    return 0;
}

int nd_fig_plan_make(const nd_figure *fig, nd_fig_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    layout(fig, plan);
    x_range(fig, plan);
    for (size_t p = 0; p < fig->npanels; p++) plan->nseries += fig->panels[p].nseries;
    plan->y = calloc(fig->npanels ? fig->npanels : 1, sizeof *plan->y);
    plan->keep = calloc(plan->nseries ? plan->nseries : 1, sizeof *plan->keep);
    plan->nkeep = calloc(plan->nseries ? plan->nseries : 1, sizeof *plan->nkeep);
    if (!plan->y || !plan->keep || !plan->nkeep) {
        nd_fig_plan_free(plan);
        return -1;
    }
    size_t k = 0;
    for (size_t p = 0; p < fig->npanels; p++) {
        const nd_fig_panel *pn = &fig->panels[p];
        y_axis(pn, plan, &plan->y[p]);
        for (size_t s = 0; s < pn->nseries; s++, k++) {
            if (decimate(&pn->series[s], plan, &plan->y[p], &plan->keep[k], &plan->nkeep[k])) {
                nd_fig_plan_free(plan);
                return -1;
            }
        }
    }
    return 0;
}

void nd_fig_plan_free(nd_fig_plan *plan)
{
    for (size_t k = 0; plan->keep && k < plan->nseries; k++) free(plan->keep[k]);
    free(plan->keep);
    free(plan->nkeep);
    free(plan->y);
    memset(plan, 0, sizeof *plan);
}
