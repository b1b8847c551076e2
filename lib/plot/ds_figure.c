/* Dataset figures: panels found by variable name, legends only where needed. */
#include "ds_figure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"

char *nd_ds_plot_title(const nd_ds_plot *src, size_t nsrc, const char *vs)
{
    const nd_ds_plot *first = &src[0];
    const char *model = nd_ds_meta(first->ds, "model");
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_printf(&sb, "%s: ", model ? model : first->name);
    for (size_t v = 0; v < first->nvars; v++)
        nd_sb_printf(&sb, "%s%s", v ? ", " : "", first->vars[v]);
    /* a table's first column is what its rows are against (fi: I); a simulation's is time */
    const char *x = nd_ds_name(first->ds, 0);
    size_t nx, ny;
    if (!vs && nsrc == 1 && first->nvars == 1 && nd_ds_grid_shape(first->ds, &nx, &ny))
        nd_sb_printf(&sb, " over %s and %s", x, nd_ds_name(first->ds, 1));
    else
        nd_sb_printf(&sb, " against %s", vs ? vs : strcmp(x, "t") == 0 ? "time" : x);
    const char *pars = nd_ds_meta(first->ds, "parameters"), *stim = nd_ds_meta(first->ds, "stimulus");
    if (pars && *pars) nd_sb_printf(&sb, ", %s", pars);
    if (stim && *stim && strcmp(stim, "none") != 0) nd_sb_printf(&sb, ", stimulus %s", stim);
    if (nsrc > 1) {
        nd_sb_puts(&sb, ";");
        for (size_t k = 0; k < nsrc; k++) nd_sb_printf(&sb, "%s %s", k ? "," : "", src[k].name);
    }
    return nd_sb_take(&sb);
}

/* "V [mV]", or just "V" when the unit is unknown. */
static char *axis_label(const nd_dataset *ds, int col)
{
    return nd_fig_label(nd_ds_name(ds, (size_t)col), nd_ds_unit(ds, (size_t)col));
}

/* Noisy measurements are drawn as dots, simulations as lines. */
static nd_fig_style style_for(const nd_dataset *ds)
{
    nd_fig_style st = {0};
    if (nd_ds_meta(ds, "noise")) {
        st.line = ND_FIG_NOLINE;
        st.marker = ND_FIG_DOT;
    }
    return st;
}

/* Finds the panel for a variable, adding one when it is new. */
static int panel_for(nd_figure *fig, const char **names, int *npanels, const char *var,
                     const char *xlabel, const nd_dataset *ds, int col)
{
    for (int p = 0; p < *npanels; p++)
        if (strcmp(names[p], var) == 0) return p;
    char *ylabel = axis_label(ds, col);
    int p = ylabel ? nd_fig_add_panel(fig, xlabel, ylabel) : -1;
    free(ylabel);
    if (p >= 0) names[(*npanels)++] = var;
    return p;
}

/* Adds the series of src's variables; 0 ok, -1 ENOMEM. */
static int add_source(nd_figure *fig, const nd_ds_plot *s, const char *vs, int labelled,
                      const char **panels, int *npanels)
{
    int xcol = vs ? nd_ds_find(s->ds, vs) : 0, ok = 1;
    char *xlabel = axis_label(s->ds, xcol);
    for (size_t v = 0; ok && v < s->nvars; v++) {
        const char *var = s->vars[v];
        int col = nd_ds_find(s->ds, var);
        /* A trajectory puts every variable in one panel; time series get one each. */
        int p = vs && *npanels ? 0 : panel_for(fig, panels, npanels, var, xlabel, s->ds, col);
        nd_sb label;
        nd_sb_init(&label);
        if (labelled && vs && s->nvars > 1) nd_sb_printf(&label, "%s %s", s->name, var);
        else if (labelled) nd_sb_printf(&label, "%s", s->name);
        else if (vs && s->nvars > 1) nd_sb_printf(&label, "%s", var);
        ok = p >= 0 && !label.oom &&
             nd_fig_add_series(fig, p, label.data, nd_ds_col(s->ds, (size_t)xcol),
                               nd_ds_col(s->ds, (size_t)col), nd_ds_rows(s->ds),
                               style_for(s->ds)) >= 0;
        nd_sb_free(&label);
    }
    free(xlabel);
    return ok && xlabel ? 0 : -1;
}

int nd_ds_grid_shape(const nd_dataset *ds, size_t *nx, size_t *ny)
{
    const char *shape = nd_ds_meta(ds, "grid_shape");
    size_t a, b;
    char end;
    if (!shape || sscanf(shape, "%zu %zu%c", &a, &b, &end) != 2 || a == 0 || b == 0 ||
        a * b != nd_ds_rows(ds) || nd_ds_cols(ds) < 3)
        return 0;
    *nx = a;
    *ny = b;
    return 1;
}

nd_figure *nd_ds_heatmap_figure(const nd_dataset *ds, const char *var, const char *title)
{
    size_t nx, ny;
    int col = var ? nd_ds_find(ds, var) : -1;
    if (!nd_ds_grid_shape(ds, &nx, &ny) || col < 0) return NULL;
    const double *xc = nd_ds_col(ds, 0), *yc = nd_ds_col(ds, 1);
    double *y = malloc(ny * sizeof *y);
    char *xl = axis_label(ds, 0), *yl = axis_label(ds, 1), *zl = axis_label(ds, (size_t)col);
    nd_figure *fig = y && xl && yl && zl ? nd_fig_create(title) : NULL;
    if (fig) {
        for (size_t j = 0; j < ny; j++) y[j] = yc[j * nx];
        if (nd_fig_add_panel(fig, xl, yl) < 0 ||
            nd_fig_set_heatmap(fig, 0, xc, nx, y, ny, nd_ds_col(ds, (size_t)col), zl) != 0) {
            nd_fig_free(fig);
            fig = NULL;
        }
    }
    free(y);
    free(xl);
    free(yl);
    free(zl);
    return fig;
}

nd_figure *nd_ds_plot_figure(const nd_ds_plot *src, size_t nsrc, const char *vs,
                             const char *title)
{
    size_t nx, ny;
    if (!vs && nsrc == 1 && src[0].nvars == 1 && nd_ds_grid_shape(src[0].ds, &nx, &ny) &&
        nd_ds_find(src[0].ds, src[0].vars[0]) >= 2)
        return nd_ds_heatmap_figure(src[0].ds, src[0].vars[0], title);
    nd_figure *fig = nd_fig_create(title);
    size_t most = 0;
    for (size_t k = 0; k < nsrc; k++) most += src[k].nvars;
    const char **panels = malloc((most ? most : 1) * sizeof *panels);
    int npanels = 0, ok = fig && panels;
    for (size_t k = 0; ok && k < nsrc; k++)
        ok = add_source(fig, &src[k], vs, nsrc > 1, panels, &npanels) == 0;
    free(panels);
    if (!ok) {
        nd_fig_free(fig);
        return NULL;
    }
    return fig;
}
