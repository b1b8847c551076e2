/* The phase-plane figure: its title and axes, the nullclines, the equilibria as markers
   and as text and JSON next to the figure's own. */
#include "phase_plane_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "contour.h"
#include "eq_view.h"

static double fx_of(void *ctx, double x, double y)
{
    double fx, fy;
    nd_slice_rhs(ctx, x, y, &fx, &fy);
    return fx;
}

static double fy_of(void *ctx, double x, double y)
{
    double fx, fy;
    nd_slice_rhs(ctx, x, y, &fx, &fy);
    return fy;
}

static const char *state_name(const nd_model *m, int i)
{
    return nd_model_item_at(m, ND_MODEL_STATE, (size_t)i)->name;
}

static int add_nullcline(nd_figure *fig, int panel, const nd_phase_plane *pp, nd_slice *sl,
                         int which, nd_fig_color c, nd_error *err)
{
    nd_contour ct = {0};
    nd_status st = nd_contour_zero(which ? fy_of : fx_of, sl, pp->lo[0], pp->hi[0], pp->lo[1],
                                   pp->hi[1], pp->grid, pp->grid, &ct, err);
    char label[160];
    const char *name = state_name(pp->m, which ? pp->iy : pp->ix);
    snprintf(label, sizeof label, "%s-nullcline (d%s/dt = 0)", name, name);
    int ok = st == ND_OK && (ct.n == 0 ||
             nd_fig_add_series(fig, panel, label, ct.x, ct.y, ct.n,
                               (nd_fig_style){ND_FIG_SOLID, ND_FIG_NOMARK, c, 2.2}) >= 0);
    nd_contour_free(&ct);
    return ok ? 0 : -1;
}

/* Filled circles for stable points, open ones for the others. */
static int add_equilibria(nd_figure *fig, int panel, const nd_eq_list *l)
{
    for (int stable = 1; stable >= 0; stable--) {
        double x[64], y[64];
        size_t k = 0;
        for (size_t i = 0; i < l->count && k < 64; i++)
            if (nd_eq_kind_stable(l->kind[i]) == stable) {
                x[k] = l->x[i * l->n];
                y[k++] = l->x[i * l->n + 1];
            }
        nd_fig_style s = {ND_FIG_NOLINE, stable ? ND_FIG_CIRCLE : ND_FIG_OPEN_CIRCLE, ND_FIG_BLACK, 2};
        if (k && nd_fig_add_series(fig, panel, stable ? "stable equilibrium" : "unstable equilibrium",
                                   x, y, k, s) < 0)
            return -1;
    }
    return 0;
}

/* Appends the equilibria to the figure's text/plain. */
static int describe_equilibria(nd_bundle *b, const nd_phase_plane *pp, const nd_slice *sl,
                               const nd_eq_list *l)
{
    const char *names[2] = {state_name(pp->m, pp->ix), state_name(pp->m, pp->iy)};
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_puts(&sb, nd_bundle_get(b, "text/plain"));
    if (l->count)
        nd_sb_printf(&sb, "\n%zu equilibri%s%s:", l->count, l->count == 1 ? "um" : "a",
                     sl->n > 2 ? " of the 2-D slice" : "");
    else
        nd_sb_puts(&sb, "\nno equilibrium in the plotted box");
    for (size_t i = 0; i < l->count; i++) {
        nd_sb_printf(&sb, "\n  %s = %.6g, %s = %.6g: %s (", names[0], l->x[2 * i], names[1],
                     l->x[2 * i + 1], nd_eq_kind_name(l->kind[i]));
        nd_eq_view_eigen(&sb, l->re + 2 * i, l->im + 2 * i, 2);
        nd_sb_putc(&sb, ')');
    }
    char *plain = nd_sb_take(&sb);
    int ok = plain && nd_bundle_set(b, "text/plain", plain) == 0;
    free(plain);
    return ok ? 0 : -1;
}

/* The figure's JSON gains "phase":{"model","x","y","others","equilibria"}. */
static int phase_json(nd_figure *fig, const nd_phase_plane *pp, const nd_slice *sl,
                      const nd_eq_list *l)
{
    const char *names[2] = {state_name(pp->m, pp->ix), state_name(pp->m, pp->iy)};
    json_t *o = json_object();
    int rc = nd_json_put(o, "model", json_string(nd_model_name(pp->m))) |
             nd_json_put(o, "x", json_string(names[0])) |
             nd_json_put(o, "y", json_string(names[1])) |
             nd_json_put(o, "others", json_string(sl->qss ? "qss" : "init")) |
             nd_json_put(o, "equilibria", nd_eq_view_points_json(pp->m, names, l));
    return nd_fig_set_json(fig, "phase", nd_json_ok(o, rc));
}

static char *axis_label(const nd_model *m, int i)
{
    const nd_model_item *it = nd_model_item_at(m, ND_MODEL_STATE, (size_t)i);
    return nd_fig_label(it->name, it->unit);
}

/* "hh phase plane: n against V (others at quasi-steady state), I = 10" */
static char *title_of(const nd_phase_plane *pp, const nd_slice *sl)
{
    nd_sb title;
    nd_sb_init(&title);
    nd_sb_printf(&title, "%s phase plane: %s against %s", nd_model_name(pp->m),
                 state_name(pp->m, pp->iy), state_name(pp->m, pp->ix));
    if (sl->n > 2) nd_sb_puts(&title, sl->qss ? " (others at quasi-steady state)" : " (others fixed)");
    char *changed = nd_model_changed_pars(pp->m);
    if (changed && *changed) nd_sb_printf(&title, ", %s", changed);
    free(changed);
    return nd_sb_take(&title);
}

static nd_status draw(const nd_phase_plane *pp, nd_slice *sl, nd_bundle **out, nd_error *err)
{
    nd_eq_list l;
    nd_eq_list_init(&l, 2);
    nd_status st = nd_phase_equilibria(pp, sl, &l, err);
    char *t = title_of(pp, sl), *xl = axis_label(pp->m, pp->ix), *yl = axis_label(pp->m, pp->iy);
    nd_figure *fig = t ? nd_fig_create(t) : NULL;
    int panel = fig && xl && yl ? nd_fig_add_panel(fig, xl, yl) : -1;
    free(t);
    free(xl);
    free(yl);
    if (st == ND_OK && panel < 0) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK && pp->field && nd_phase_add_field(fig, panel, pp, sl))
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK && pp->nullclines &&
        (add_nullcline(fig, panel, pp, sl, 0, ND_FIG_VERMILLION, err) ||
         add_nullcline(fig, panel, pp, sl, 1, ND_FIG_BLUE, err)))
        st = err && err->code ? err->code : nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) st = nd_phase_add_trajectories(fig, panel, pp, sl, err);
    if (st == ND_OK && add_equilibria(fig, panel, &l)) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_bundle *b = NULL;
    if (st == ND_OK) {
        nd_fig_set_xrange(fig, pp->lo[0], pp->hi[0]);
        nd_fig_set_yrange(fig, panel, pp->lo[1], pp->hi[1]);
        nd_fig_set_size(fig, 800, 560);
        st = phase_json(fig, pp, sl, &l) ? nd_error_fail(err, ND_ENOMEM, "out of memory")
                                         : nd_fig_render(fig, &b, err);
    }
    if (st == ND_OK && describe_equilibria(b, pp, sl, &l)) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) *out = b;
    else nd_bundle_free(b);
    nd_fig_free(fig);
    nd_eq_list_free(&l);
    return st;
}

nd_status nd_phase_bundle(const nd_phase_plane *pp, nd_bundle **out, nd_error *err)
{
    *out = NULL;
    nd_slice sl;
    nd_status st = nd_slice_init(&sl, pp->m, pp->p, pp->ix, pp->iy, pp->x0, pp->qss, err);
    if (st == ND_OK) st = draw(pp, &sl, out, err);
    nd_slice_free(&sl);
    return st;
}
