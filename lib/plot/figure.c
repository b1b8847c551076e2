/* Building a figure: panels and series hold their own copies of labels and data, so the
   caller's arrays may change or go away before rendering. */
#include "figure_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"

static char *dup_or_null(const char *s, int *oom)
{
    if (!s || !*s) return NULL;
    char *d = strdup(s);
    if (!d) *oom = 1;
    return d;
}

nd_figure *nd_fig_create(const char *title)
{
    nd_figure *fig = calloc(1, sizeof *fig);
    if (!fig) return NULL;
    int oom = 0;
    fig->title = dup_or_null(title, &oom);
    if (oom) {
        free(fig);
        return NULL;
    }
    return fig;
}

void nd_fig_free(nd_figure *fig)
{
    if (!fig) return;
    for (size_t p = 0; p < fig->npanels; p++) {
        nd_fig_panel *pn = &fig->panels[p];
        for (size_t s = 0; s < pn->nseries; s++) {
            free(pn->series[s].label);
            free(pn->series[s].x);
            free(pn->series[s].y);
        }
        free(pn->series);
        nd_fig_heatmap_free(pn->heat);
        free(pn->xlabel);
        free(pn->ylabel);
    }
    free(fig->panels);
    free(fig->title);
    json_decref(fig->extra);
    free(fig);
}

int nd_fig_set_json(nd_figure *fig, const char *key, json_t *value)
{
    if (!fig->extra && !(fig->extra = json_object())) {
        json_decref(value);
        return -1;
    }
    return nd_json_put(fig->extra, key, value);
}

int nd_fig_add_panel(nd_figure *fig, const char *xlabel, const char *ylabel)
{
    if (fig->npanels == fig->cap) {
        size_t cap = fig->cap ? 2 * fig->cap : 4;
        nd_fig_panel *p = realloc(fig->panels, cap * sizeof *p);
        if (!p) return -1;
        fig->panels = p;
        fig->cap = cap;
    }
    int oom = 0;
    nd_fig_panel pn = {0};
    pn.xlabel = dup_or_null(xlabel, &oom);
    pn.ylabel = dup_or_null(ylabel, &oom);
    if (oom) {
        free(pn.xlabel);
        free(pn.ylabel);
        return -1;
    }
    fig->panels[fig->npanels] = pn;
    return (int)fig->npanels++;
}

int nd_fig_add_series(nd_figure *fig, int panel, const char *label, const double *x,
                      const double *y, size_t n, nd_fig_style style)
{
    if (panel < 0 || (size_t)panel >= fig->npanels || (n && !y)) return -1;
    if (n > ((size_t)-1) / sizeof(double)) return -1;
    nd_fig_panel *pn = &fig->panels[panel];
    if (pn->nseries == pn->cap) {
        size_t cap = pn->cap ? 2 * pn->cap : 4;
        nd_fig_series *s = realloc(pn->series, cap * sizeof *s);
        if (!s) return -1;
        pn->series = s;
        pn->cap = cap;
    }
    int oom = 0;
    nd_fig_series s = {.n = n, .style = style};
    s.label = dup_or_null(label, &oom);
    s.x = malloc((n ? n : 1) * sizeof(double));
    s.y = malloc((n ? n : 1) * sizeof(double));
    if (oom || !s.x || !s.y) {
        free(s.label);
        free(s.x);
        free(s.y);
        return -1;
    }
    for (size_t i = 0; i < n; i++) s.x[i] = x ? x[i] : (double)i;
    if (n) memcpy(s.y, y, n * sizeof(double));
    if ((unsigned)s.style.color >= ND_FIG_NCOLORS) s.style.color = ND_FIG_AUTO;
    if (!(s.style.width > 0 && s.style.width < 50)) s.style.width = 0;
    pn->series[pn->nseries] = s;
    return (int)pn->nseries++;
}

void nd_fig_set_xrange(nd_figure *fig, double lo, double hi)
{
    if (!isfinite(lo) || !isfinite(hi) || lo >= hi) return;
    fig->fixed_x = 1;
    fig->xlo = lo;
    fig->xhi = hi;
}

void nd_fig_set_yrange(nd_figure *fig, int panel, double lo, double hi)
{
    if (panel < 0 || (size_t)panel >= fig->npanels) return;
    if (!isfinite(lo) || !isfinite(hi) || lo >= hi) return;
    nd_fig_panel *pn = &fig->panels[panel];
    pn->fixed_y = 1;
    pn->ylo = lo;
    pn->yhi = hi;
}

/* Below these sizes the fixed margins leave no room for the data. */
static int clamp_px(int v, int lo)
{
    return v < lo ? lo : v > 4000 ? 4000 : v;
}

void nd_fig_set_size(nd_figure *fig, int width_px, int height_px)
{
    fig->width = clamp_px(width_px, 300);
    fig->height = clamp_px(height_px, 200);
}

const char *nd_fig_title(const nd_figure *fig)
{
    return fig->title;
}

size_t nd_fig_panel_count(const nd_figure *fig)
{
    return fig->npanels;
}

char *nd_fig_label(const char *name, const char *unit)
{
    nd_sb sb;
    nd_sb_init(&sb);
    if (unit && unit[0] && strcmp(unit, "1") != 0) nd_sb_printf(&sb, "%s [%s]", name, unit);
    else nd_sb_puts(&sb, name);
    return nd_sb_take(&sb);
}

char *nd_fig_unit_per(const char *unit, const char *time_unit)
{
    if (!unit || !unit[0] || !time_unit || !time_unit[0]) return NULL;
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_printf(&sb, "%s/%s", unit, time_unit);
    return nd_sb_take(&sb);
}
