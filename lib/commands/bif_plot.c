/* The plot command's path for bifurcation results; datasets keep their own path. */
#include "bif_plot.h"

#include <stdlib.h>
#include <string.h>

#include "../analysis/bif_view.h"
#include "../analysis/fi_view.h"
#include "../language/args.h"
#include "../language/figure_value.h"
#include "../language/target.h"
#include "../language/workspace.h"

const nd_bif_result *nd_plot_bif_target(const nd_cmd_ctx *ctx)
{
    const nd_arg *a = nd_arg_pos(ctx, 0);
    if (!a || a->value->kind != ND_EXPR_NAME) return NULL;
    return nd_value_as_bif(nd_ws_get(ctx->ws, a->value->str));
}

/* Reads `plot BIF [VAR] [FI]`: the state to draw (default the first) and an optional
   F-I dataset (from `fi`) shown in a second panel over the same parameter axis. */
static nd_status read_args(const nd_cmd_ctx *ctx, const nd_bif_result *r, size_t *var,
                           const nd_dataset **fi, nd_error *err)
{
    *var = 0;
    *fi = NULL;
    if (nd_arg_count(ctx) > 3 || nd_arg_opt(ctx, "t"))
        return nd_arg_error(nd_arg_pos(ctx, nd_arg_count(ctx) > 3 ? 3 : 0), err, ND_ESYNTAX,
                            "a bifurcation diagram plots one variable, and optionally an "
                            "F-I curve: plot bif V [fi_result]");
    for (size_t i = 1; i < nd_arg_count(ctx); i++) {
        const nd_arg *a = nd_arg_pos(ctx, i);
        const char *name;
        nd_status st = nd_arg_name(ctx, a, &name, err);
        if (st != ND_OK) return st;
        const nd_dataset *ds = nd_value_as_dataset(nd_ws_get(ctx->ws, name));
        if (ds) {
            if (!nd_fi_is_result(ds))
                return nd_arg_error(a, err, ND_EVALUE, "'%s' is not an F-I result (make one "
                                    "with `%s = fi %s a..b`)", name, name, r->param);
            *fi = ds;
            continue;
        }
        size_t k = 0;
        while (k < r->dim && strcmp(r->names[k], name) != 0) k++;
        if (k == r->dim)
            return nd_arg_error(a, err, ND_ENAME, "model %s has no state '%s'", r->model, name);
        *var = k;
    }
    return ND_OK;
}

nd_status nd_plot_bif(const nd_cmd_ctx *ctx, const nd_bif_result *r, nd_value **result,
                      nd_error *err)
{
    size_t var;
    const nd_dataset *fi;
    char *title = NULL;
    nd_status st = read_args(ctx, r, &var, &fi, err);
    if (st == ND_OK) st = nd_arg_opt_string(ctx, "title", NULL, &title, err);
    nd_figure *fig = NULL;
    if (st == ND_OK) st = nd_bif_figure(r, var, title, &fig, err);
    free(title);
    if (st != ND_OK) return st;
    if (fi && nd_fi_add_result_panel(fig, r->param, r->param_unit, fi) != 0) {
        nd_fig_free(fig);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    nd_bundle *b = NULL;
    st = nd_cmd_figure_size(ctx, fig, err);
    if (st == ND_OK) st = nd_fig_render(fig, &b, err);
    if (st != ND_OK) nd_target_locate(err, nd_arg_pos(ctx, 0));
    else st = nd_cmd_give_figure(ctx, fig, b, result, err);
    nd_fig_free(fig);
    return st;
}
