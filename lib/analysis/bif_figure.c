/* The bifurcation diagram. Each branch becomes two series — stable points (solid) and
   unstable points (dashed) — with NaN gaps where the other kind holds, so a branch that
   changes stability five times still costs two series. A segment takes the stability of
   its end farther from the change (the special point itself sits on the axis). */
#include "bif_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../base/strbuf.h"

/* Splits y (n points, segment stability decided by stable[] and margin[]) into a
   stable and an unstable copy with gaps, and adds both. 0, or -1 on ENOMEM. */
static int add_split(nd_figure *fig, const double *x, const double *y, size_t n,
                     const int *stable, const double *margin, nd_fig_color color,
                     const char *label_s, const char *label_u, int *labelled)
{
    double *ys = malloc(2 * (n ? n : 1) * sizeof *ys);
    if (!ys) return -1;
    double *yu = ys + n;
    for (size_t i = 0; i < n; i++) ys[i] = yu[i] = NAN;
    int any_s = 0, any_u = 0;
    for (size_t i = 0; n && i + 1 < n; i++) {
        int s = stable[i] == stable[i + 1] ? stable[i]
                : fabs(margin[i]) > fabs(margin[i + 1]) ? stable[i] : stable[i + 1];
        double *dst = s ? ys : yu;
        dst[i] = y[i];
        dst[i + 1] = y[i + 1];
        if (s) any_s = 1;
        else any_u = 1;
    }
    if (n == 1) (stable[0] ? ys : yu)[0] = y[0], any_s = stable[0], any_u = !stable[0];
    nd_fig_style ss = {ND_FIG_SOLID, ND_FIG_NOMARK, color, 2};
    nd_fig_style su = {ND_FIG_DASHED, ND_FIG_NOMARK, color, 1.5};
    /* label each kind once per figure */
    int ok = (!any_s || nd_fig_add_series(fig, 0, (*labelled & 1) ? NULL : label_s, x, ys, n,
                                          ss) >= 0) &&
             (!any_u || nd_fig_add_series(fig, 0, (*labelled & 2) ? NULL : label_u, x, yu, n,
                                          su) >= 0);
    if (any_s) *labelled |= 1;
    if (any_u) *labelled |= 2;
    free(ys);
    return ok ? 0 : -1;
}

static int add_equilibria(nd_figure *fig, const nd_bif_result *r, size_t var, int *labelled)
{
    for (size_t b = 0; b < r->nbranches; b++) {
        const nd_eq_branch *br = &r->branches[b];
        double *y = malloc((br->n ? br->n : 1) * sizeof *y);
        int *st = malloc((br->n ? br->n : 1) * sizeof *st);
        int ok = y && st;
        for (size_t i = 0; ok && i < br->n; i++) {
            y[i] = br->state[i * r->dim + var];
            st[i] = br->n_unstable[i] == 0;
        }
        ok = ok && add_split(fig, br->param, y, br->n, st, br->lead_re, ND_FIG_BLUE,
                             "stable equilibria", "unstable equilibria", labelled) == 0;
        free(y);
        free(st);
        if (!ok) return -1;
    }
    return 0;
}

/* The brute-force branch: min and max at each simulated value, as dots (they are samples,
   not a curve). 0, or -1 on ENOMEM. */
static int add_simulated(nd_figure *fig, const nd_bif_result *r, const nd_cycle_branch *cb,
                         size_t var)
{
    size_t n = cb->n;
    double *y = malloc(2 * (n ? n : 1) * sizeof *y);
    if (!y) return -1;
    for (size_t i = 0; i < n; i++) {
        y[i] = cb->xmin[i * r->dim + var];
        y[n + i] = cb->xmax[i * r->dim + var];
    }
    nd_fig_style st = {ND_FIG_NOLINE, ND_FIG_DOT, ND_FIG_GREEN, 0};
    int ok = nd_fig_add_series(fig, 0, "simulation: max, min after a transient", cb->param,
                               y + n, n, st) >= 0 &&
             nd_fig_add_series(fig, 0, NULL, cb->param, y, n, st) >= 0;
    free(y);
    return ok ? 0 : -1;
}

static int add_cycles(nd_figure *fig, const nd_bif_result *r, size_t var, int *labelled)
{
    for (size_t c = 0; c < r->ncycles; c++) {
        const nd_cycle_branch *cb = &r->cycles[c];
        size_t n = cb->n;
        if (cb->simulated) {
            if (add_simulated(fig, r, cb, var)) return -1;
            continue;
        }
        double *w = malloc(3 * (n ? n : 1) * sizeof *w);
        if (!w) return -1;
        double *lo = w + n, *hi = lo + n;
        for (size_t i = 0; i < n; i++) {
            w[i] = cb->mult_max[i] - 1;
            lo[i] = cb->xmin[i * r->dim + var];
            hi[i] = cb->xmax[i * r->dim + var];
        }
        int ok = add_split(fig, cb->param, hi, n, cb->stable, w, ND_FIG_VERMILLION,
                           "stable cycles (max, min)", "unstable cycles (max, min)",
                           labelled) == 0 &&
                 add_split(fig, cb->param, lo, n, cb->stable, w, ND_FIG_VERMILLION, NULL,
                           NULL, labelled) == 0;
        free(w);
        if (!ok) return -1;
    }
    return 0;
}

/* One marker per special point, named in the legend: "HB1 I = 9.7754 (subcritical)". */
static int add_points(nd_figure *fig, const nd_bif_result *r, size_t var)
{
    /* legend prefixes of the cycle kinds, numbered per kind */
    static const char *const cycle_tag[] = {"LPC", "PD", "NS", "HC", "SNIC"};
    size_t nh = 0, nf = 0, nc[5] = {0};
    for (size_t i = 0; i < r->npoints; i++) {
        const nd_bif_point *p = &r->points[i];
        nd_sb sb;
        nd_sb_init(&sb);
        nd_fig_style st = {ND_FIG_NOLINE, ND_FIG_SQUARE, ND_FIG_BLACK, 0};
        if (p->kind == ND_BIF_HOPF) {
            nd_sb_printf(&sb, "HB%zu %s = %.6g", ++nh, r->param, p->param);
            const char *crit = nd_bif_criticality(p);
            if (crit[0]) nd_sb_printf(&sb, " (%s)", crit);
        } else if (p->kind == ND_BIF_FOLD) {
            st.marker = ND_FIG_TRIANGLE;
            nd_sb_printf(&sb, "LP%zu %s = %.6g", ++nf, r->param, p->param);
        } else {
            size_t c = (size_t)(p->kind - ND_BIF_CYCLE_FOLD);
            st.marker = ND_FIG_CROSS;
            st.color = ND_FIG_VERMILLION;
            nd_sb_printf(&sb, "%s%zu %s %s %.6g", cycle_tag[c], ++nc[c], r->param,
                         p->kind >= ND_BIF_HOMOCLINIC ? "≈" : "=", p->param);
        }
        double y = p->state[var];
        int ok = sb.data && nd_fig_add_series(fig, 0, sb.data, &p->param, &y, 1, st) >= 0;
        nd_sb_free(&sb);
        if (!ok) return -1;
    }
    return 0;
}


nd_status nd_bif_figure(const nd_bif_result *r, size_t var, const char *title,
                        nd_figure **out, nd_error *err)
{
    *out = NULL;
    if (var >= r->dim) return nd_error_fail(err, ND_EVALUE, "no state %zu to plot", var);
    char dflt[256];
    snprintf(dflt, sizeof dflt, "%s: bifurcation diagram, %s against %s", r->model,
             r->names[var], r->param);
    nd_figure *fig = nd_fig_create(title ? title : dflt);
    char *xl = nd_fig_label(r->param, r->param_unit), *yl = nd_fig_label(r->names[var], r->units[var]);
    int leq = 0, lcy = 0;   /* which legend entries are taken */
    int ok = fig && xl && yl && nd_fig_add_panel(fig, xl, yl) == 0 &&
             add_equilibria(fig, r, var, &leq) == 0 &&
             add_cycles(fig, r, var, &lcy) == 0 && add_points(fig, r, var) == 0;
    free(xl);
    free(yl);
    if (!ok) {
        nd_fig_free(fig);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    double lo = fmin(r->lo, r->hi), hi = fmax(r->lo, r->hi);
    nd_fig_set_xrange(fig, lo, hi);
    *out = fig;
    return ND_OK;
}
