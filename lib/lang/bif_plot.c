/* The plot command's path for bifurcation results; datasets keep their own path. */
#include "bif_plot.h"

#include <stdlib.h>
#include <string.h>

#include "../analysis/bif_view.h"
#include "args.h"
#include "target.h"
#include "workspace.h"

const nd_bif_result *nd_plot_bif_target(const nd_cmd_ctx *ctx)
{
    const nd_arg *a = nd_arg_pos(ctx, 0);
    if (!a || a->value->kind != ND_EXPR_NAME) return NULL;
    return nd_value_as_bif(nd_ws_get(ctx->ws, a->value->str));
}

/* The state named by the second positional, or 0. */
static nd_status pick_var(const nd_cmd_ctx *ctx, const nd_bif_result *r, size_t *var,
                          nd_error *err)
{
    *var = 0;
    if (nd_arg_count(ctx) > 2 || nd_arg_opt(ctx, "t"))
        return nd_arg_error(nd_arg_pos(ctx, nd_arg_count(ctx) > 2 ? 2 : 0), err, ND_ESYNTAX,
                            "a bifurcation diagram plots one variable: plot bif V");
    const nd_arg *a = nd_arg_pos(ctx, 1);
    if (!a) return ND_OK;
    const char *name;
    nd_status st = nd_arg_name(ctx, a, &name, err);
    if (st != ND_OK) return st;
    for (size_t i = 0; i < r->dim; i++)
        if (strcmp(r->names[i], name) == 0) {
            *var = i;
            return ND_OK;
        }
    return nd_arg_error(a, err, ND_ENAME, "model %s has no state '%s'", r->model, name);
}

nd_status nd_plot_bif(const nd_cmd_ctx *ctx, const nd_bif_result *r, nd_error *err)
{
    size_t var;
    char *title = NULL;
    double w = 0, h = 0;
    nd_status st = pick_var(ctx, r, &var, err);
    if (st == ND_OK) st = nd_arg_opt_string(ctx, "title", r->model, &title, err);
    if (st == ND_OK) st = nd_arg_opt_number(ctx, "width", 0, &w, err);
    if (st == ND_OK) st = nd_arg_opt_number(ctx, "height", 0, &h, err);
    nd_figure *fig = NULL;
    if (st == ND_OK) st = nd_bif_figure(r, var, title, &fig, err);
    free(title);
    if (st != ND_OK) return st;
    if (w > 0 || h > 0) nd_fig_set_size(fig, w > 0 ? (int)w : 720, h > 0 ? (int)h : 420);
    nd_bundle *b = NULL;
    st = nd_fig_render(fig, &b, err);
    nd_fig_free(fig);
    if (st != ND_OK) {
        nd_target_locate(err, nd_arg_pos(ctx, 0));
        return st;
    }
    return nd_cmd_display(ctx, b, err);
}
