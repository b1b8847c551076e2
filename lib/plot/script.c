/* Writing the gnuplot script. User text only ever appears inside single-quoted strings,
   where gnuplot expands nothing (no backslash escapes, no `command` substitution, no @macro)
   and the only special character is the quote itself, spliced in from a double-quoted
   string holding nothing else. Line breaks, which would end a command, are removed by
   nd_fig_clean_text along with bytes that would make the SVG invalid. Enhanced-text markup
   is switched off on both terminals so "_" and "^" print as typed. Data goes inline as
   $datablocks; no file name reaches the script except our own /dev/fd/3 and /dev/fd/4. */
#include "figure_impl.h"

#include <math.h>
#include <string.h>

#include "../base/strbuf.h"
#include "cleantext.h"
#include "decimate.h"

/* Okabe & Ito (2008), indexed by nd_fig_color; the cycle leaves out yellow (too faint on
   white) and gray (reserved for reference curves). */
static const char *const palette[ND_FIG_NCOLORS] = {
    "#0072B2", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
    "#56B4E9", "#000000", "#F0E442", "#999999",
};
static const nd_fig_color cycle[] = {ND_FIG_BLUE, ND_FIG_VERMILLION, ND_FIG_GREEN,
                                     ND_FIG_PURPLE, ND_FIG_ORANGE, ND_FIG_SKYBLUE, ND_FIG_BLACK};

/* Appends s as an inert gnuplot string expression. Each quote is spliced in as "'"
   ('it'."'".'s') rather than doubled: gnuplot's scanner reads a leading '' as an empty
   string, so doubling breaks on text that starts with a quote. */
static void gp_quote(nd_sb *sb, const char *s)
{
    nd_sb clean;
    nd_sb_init(&clean);
    nd_fig_clean_text(&clean, s);
    nd_sb_putc(sb, '\'');
    for (const char *p = nd_sb_str(&clean); *p; p++) {
        if (*p == '\'') nd_sb_puts(sb, "'.\"'\".'");
        else nd_sb_putc(sb, *p);
    }
    nd_sb_putc(sb, '\'');
    nd_sb_free(&clean);
}

/* One data line; a non-finite point becomes a blank line, which is how gnuplot breaks a
   line (a gap in a recording, a pause in a trajectory). */
static void data_line(nd_sb *sb, double x, double y)
{
    if (isfinite(x) && isfinite(y)) nd_sb_printf(sb, "%.10g %.10g\n", x, y);
    else nd_sb_putc(sb, '\n');
}

static void datablocks(nd_sb *sb, const nd_figure *fig, const nd_fig_plan *plan)
{
    size_t k = 0;
    for (size_t p = 0; p < fig->npanels; p++) {
        for (size_t s = 0; s < fig->panels[p].nseries; s++, k++) {
            const nd_fig_series *se = &fig->panels[p].series[s];
            nd_sb_printf(sb, "$s%zu << EOD\n", k);
            for (size_t i = 0; i < plan->nkeep[k]; i++) {
                size_t j = plan->keep[k] ? plan->keep[k][i] : i;
                if (j & ND_FIG_BREAK) nd_sb_putc(sb, '\n');
                j &= ~ND_FIG_BREAK;
                data_line(sb, se->x[j], se->y[j]);
            }
            nd_sb_puts(sb, "EOD\n");
        }
        if (fig->panels[p].heat) nd_fig_heatmap_data(sb, fig->panels[p].heat, p);
    }
}

static void common_settings(nd_sb *sb)
{
    nd_sb_puts(sb,
               "set encoding utf8\n"
               "set border 3 lw 1 lc rgb '#4d4d4d'\n"
               "set tics nomirror out scale 0.6 textcolor rgb '#333333'\n"
               "set grid xtics ytics back lt 1 lw 0.8 lc rgb '#e8e8e8'\n"
               "set key outside right top vertical Left reverse noopaque nobox noautotitle "
               "samplen 2.2 spacing 1.15 textcolor rgb '#333333'\n"
               "set autoscale yfix\n"
               "set offsets 0, 0, graph 0.05, graph 0.05\n"
               "set xlabel textcolor rgb '#333333'\n"
               "set ylabel textcolor rgb '#333333'\n");
}

static void dash(nd_sb *sb, nd_fig_line line)
{
    double on, off;
    if (line != ND_FIG_DASHED && line != ND_FIG_DOTTED) {
        nd_sb_puts(sb, "dt 1");
        return;
    }
    nd_fig_dash_pattern(line, &on, &off);
    nd_sb_printf(sb, "dt (%g,%g)", on, off);
}

/* gnuplot point types and sizes for each marker kind. */
static const char *marker(nd_fig_marker m)
{
    switch (m) {
    case ND_FIG_DOT:         return "pt 7 ps 0.35";
    case ND_FIG_CIRCLE:      return "pt 7 ps 1.3";
    case ND_FIG_OPEN_CIRCLE: return "pt 6 ps 1.3";
    case ND_FIG_SQUARE:      return "pt 5 ps 1.1";
    case ND_FIG_TRIANGLE:    return "pt 9 ps 1.3";
    case ND_FIG_CROSS:       return "pt 2 ps 1.1";
    default:                 return "pt 7 ps 0.35";
    }
}

static size_t finite_kept(const nd_fig_series *se, const nd_fig_plan *plan, size_t k)
{
    size_t count = 0;
    for (size_t i = 0; i < plan->nkeep[k]; i++) {
        size_t j = plan->keep[k] ? plan->keep[k][i] & ~ND_FIG_BREAK : i;
        count += isfinite(se->x[j]) && isfinite(se->y[j]);
    }
    return count;
}

/* png: the PNG pass, where a dashed series is drawn solid from its pre-cut $p block. */
static void plot_item(nd_sb *sb, const nd_fig_series *se, size_t k, nd_fig_color color, int png)
{
    const nd_fig_style *st = &se->style;
    double lw = st->width > 0 ? st->width : 1.5;
    int cut = png && nd_fig_png_dashed(se);
    nd_fig_line line = cut ? ND_FIG_SOLID : st->line;
    nd_sb_printf(sb, "$%c%zu using 1:2 ", cut ? 'p' : 's', k);
    if (st->line == ND_FIG_NOLINE) {
        nd_sb_printf(sb, "with points %s", marker(st->marker));
    } else if (st->marker != ND_FIG_NOMARK && !cut) {
        nd_sb_puts(sb, "with linespoints ");
        dash(sb, line);
        nd_sb_printf(sb, " %s", marker(st->marker));
    } else {
        nd_sb_puts(sb, "with lines ");
        dash(sb, line);
    }
    nd_sb_printf(sb, " lw %g lc rgb '%s' ", lw, palette[color]);
    if (se->label) {
        nd_sb_puts(sb, "title ");
        gp_quote(sb, se->label);
    } else {
        nd_sb_puts(sb, "notitle");
    }
}

/* The margins put every panel's frame at the same left edge, whatever its tick labels. */
static void panel(nd_sb *sb, const nd_figure *fig, const nd_fig_plan *plan, size_t p, size_t *k,
                  int png)
{
    const nd_fig_panel *pn = &fig->panels[p];
    int bottom = p + 1 == fig->npanels;
    double top = plan->top + (double)p * (plan->panel_h + plan->gap);
    nd_sb_printf(sb, "set lmargin at screen %.5f\nset rmargin at screen %.5f\n",
                 plan->left / plan->width, 1 - plan->right / plan->width);
    nd_sb_printf(sb, "set tmargin at screen %.5f\nset bmargin at screen %.5f\n",
                 1 - top / plan->height, 1 - (top + plan->panel_h) / plan->height);
    nd_sb_printf(sb, "set xrange [%.17g:%.17g]\n", plan->xlo, plan->xhi);
    if (plan->y[p].fixed)
        nd_sb_printf(sb, "set yrange [%.17g:%.17g]\n", plan->y[p].lo, plan->y[p].hi);
    else
        nd_sb_puts(sb, "set autoscale yfix\n");
    nd_sb_puts(sb, bottom ? "set format x '% h'\n" : "set format x ''\n");
    if (bottom && pn->xlabel) {
        nd_sb_puts(sb, "set xlabel ");
        gp_quote(sb, pn->xlabel);
        nd_sb_puts(sb, " offset 0,0.3\n");
    } else {
        nd_sb_puts(sb, "unset xlabel\n");
    }
    if (pn->ylabel) {
        nd_sb_puts(sb, "set ylabel ");
        gp_quote(sb, pn->ylabel);
        nd_sb_puts(sb, " offset 0.8,0\n");
    } else {
        nd_sb_puts(sb, "unset ylabel\n");
    }
    int legend = 0;
    for (size_t s = 0; s < pn->nseries; s++) legend |= pn->series[s].label != NULL;
    nd_sb_puts(sb, legend ? "set key on\n" : "unset key\n");
    if (pn->heat) nd_fig_heatmap_settings(sb, pn->heat, gp_quote);
    nd_sb_puts(sb, "plot ");
    size_t items = 0, auto_colors = 0;
    if (pn->heat) {
        nd_fig_heatmap_item(sb, p);
        items++;
    }
    for (size_t s = 0; s < pn->nseries; s++, (*k)++) {
        const nd_fig_series *se = &pn->series[s];
        nd_fig_color color = se->style.color;
        if (color == ND_FIG_AUTO) color = cycle[auto_colors++ % (sizeof cycle / sizeof *cycle)];
        /* gnuplot rejects a plot whose points are all undefined */
        if (finite_kept(se, plan, *k) == 0) continue;
        if (items++) nd_sb_puts(sb, ", \\\n     ");
        plot_item(sb, se, *k, color, png);
    }
    nd_sb_puts(sb, items ? "\n" : "NaN notitle\n");
    if (pn->heat) nd_sb_puts(sb, "unset colorbox\nunset cblabel\n");
}

static void body(nd_sb *sb, const nd_figure *fig, const nd_fig_plan *plan, int png)
{
    nd_sb_puts(sb, "set multiplot");
    if (fig->title) {
        nd_sb_puts(sb, " title ");
        gp_quote(sb, fig->title);
        nd_sb_puts(sb, " font ',13'");
    }
    nd_sb_putc(sb, '\n');
    size_t k = 0;
    for (size_t p = 0; p < fig->npanels; p++) panel(sb, fig, plan, p, &k, png);
    nd_sb_puts(sb, "unset multiplot\n");
}

char *nd_fig_script(const nd_figure *fig, const nd_fig_plan *plan, int with_png)
{
    nd_sb sb;
    nd_sb_init(&sb);
    datablocks(&sb, fig, plan);
    common_settings(&sb);
    nd_sb_printf(&sb, "set terminal svg size %d,%d fixed noenhanced font 'Helvetica,12' "
                      "background '#ffffff'\nset output '/dev/fd/3'\n", plan->width, plan->height);
    body(&sb, fig, plan, 0);
    nd_sb_puts(&sb, "unset output\n");
    if (with_png) {
        /* The PNG is the fallback (LaTeX/PDF export, viewers without HTML): gnuplot's
           palette PNG terminal draws it about six times smaller than pngcairo's antialiased
           true colour, and every notebook stores one per figure. */
        nd_sb_printf(&sb, "set terminal png size %d,%d noenhanced font 'Helvetica,10' "
                          "background '#ffffff'\nset output '/dev/fd/4'\n",
                     plan->width, plan->height);
        nd_fig_dash_blocks(&sb, fig, plan);
        body(&sb, fig, plan, 1);
        nd_sb_puts(&sb, "unset output\n");
    }
    return nd_sb_take(&sb);
}
