/* gnuplot's libgd PNG terminal draws every dash type solid, so in the PNG fallback (a PDF
   or LaTeX report) an unstable branch looked like a stable one. For that terminal a dashed
   or dotted series is written a second time with its dashes cut into the data: pieces of
   the path separated by blank lines, measured in the panel's pixels. */
#include "figure_impl.h"

#include <math.h>

#include "../base/strbuf.h"
#include "decimate.h"

void nd_fig_dash_pattern(nd_fig_line line, double *on, double *off)
{
    *on = line == ND_FIG_DOTTED ? 1.5 : 6;
    *off = line == ND_FIG_DOTTED ? 3 : 4;
}

/* The y range gnuplot draws panel p with: the fixed one, else the extent of its points and
   heatmap widened by the 5 % offsets the script sets. */
static void panel_yrange(const nd_figure *fig, const nd_fig_plan *plan, size_t p, size_t k0,
                         double *lo, double *hi)
{
    if (plan->y[p].fixed) {
        *lo = plan->y[p].lo, *hi = plan->y[p].hi;
        return;
    }
    const nd_fig_panel *pn = &fig->panels[p];
    *lo = INFINITY, *hi = -INFINITY;
    for (size_t s = 0; s < pn->nseries; s++) {
        const nd_fig_series *se = &pn->series[s];
        for (size_t i = 0; i < plan->nkeep[k0 + s]; i++) {
            size_t j = (plan->keep[k0 + s] ? plan->keep[k0 + s][i] : i) & ~ND_FIG_BREAK;
            if (isfinite(se->x[j]) && isfinite(se->y[j]))
                *lo = fmin(*lo, se->y[j]), *hi = fmax(*hi, se->y[j]);
        }
    }
    for (size_t i = 0; pn->heat && i < pn->heat->ny; i++)
        *lo = fmin(*lo, pn->heat->y[i]), *hi = fmax(*hi, pn->heat->y[i]);
    double pad = 0.05 * (*hi - *lo);
    *lo -= pad, *hi += pad;
}

/* Writes series k (of panel p) as $p<k>: the path cut into dashes of its pattern. */
static void dashed_block(nd_sb *sb, const nd_fig_series *se, const nd_fig_plan *plan,
                         size_t k, double sx, double sy)
{
    double on, off, run = 0, px = NAN, py = NAN, w = se->style.width > 0 ? se->style.width : 1.5;
    nd_fig_dash_pattern(se->style.line, &on, &off);
    on *= w, off *= w;   /* gnuplot's dash lengths are in line widths */
    int drawing = 1;
    nd_sb_printf(sb, "$p%zu << EOD\n", k);
    for (size_t i = 0; i < plan->nkeep[k]; i++) {
        size_t j = plan->keep[k] ? plan->keep[k][i] : i;
        int broken = (j & ND_FIG_BREAK) != 0;
        j &= ~ND_FIG_BREAK;
        double x = se->x[j], y = se->y[j];
        if (!isfinite(x) || !isfinite(y) || broken || !isfinite(px)) {
            /* a gap in the data: the next piece starts a new dash */
            if (isfinite(px)) nd_sb_putc(sb, '\n');
            px = x, py = y, run = 0, drawing = 1;
            if (isfinite(x) && isfinite(y)) nd_sb_printf(sb, "%.10g %.10g\n", x, y);
            else px = NAN;
            continue;
        }
        double len = hypot((x - px) * sx, (y - py) * sy), done = 0;
        while (len - done > (drawing ? on : off) - run) {
            done += (drawing ? on : off) - run;
            double f = done / len, qx = px + f * (x - px), qy = py + f * (y - py);
            if (drawing) nd_sb_printf(sb, "%.10g %.10g\n\n", qx, qy);
            else nd_sb_printf(sb, "%.10g %.10g\n", qx, qy);
            drawing = !drawing;
            run = 0;
        }
        run += len - done;
        if (drawing) nd_sb_printf(sb, "%.10g %.10g\n", x, y);
        px = x, py = y;
    }
    nd_sb_puts(sb, "EOD\n");
}

void nd_fig_dash_blocks(nd_sb *sb, const nd_figure *fig, const nd_fig_plan *plan)
{
    double xspan = plan->width - plan->left - plan->right;
    size_t k0 = 0;
    for (size_t p = 0; p < fig->npanels; p++) {
        const nd_fig_panel *pn = &fig->panels[p];
        double ylo, yhi;
        panel_yrange(fig, plan, p, k0, &ylo, &yhi);
        double sx = plan->xhi > plan->xlo ? xspan / (plan->xhi - plan->xlo) : 0;
        double sy = yhi > ylo ? plan->panel_h / (yhi - ylo) : 0;
        for (size_t s = 0; s < pn->nseries; s++)
            if (nd_fig_png_dashed(&pn->series[s]))
                dashed_block(sb, &pn->series[s], plan, k0 + s, sx, sy);
        k0 += pn->nseries;
    }
}

int nd_fig_png_dashed(const nd_fig_series *se)
{
    return se->style.line == ND_FIG_DASHED || se->style.line == ND_FIG_DOTTED;
}
