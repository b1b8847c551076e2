/* plot REC: sweeps are named by number, as `sweep` takes them. */
#include "rec_plot.h"

#include <math.h>
#include <stdlib.h>

#include "../analysis/rec_figure.h"
#include "../language/args.h"
#include "../language/figure_value.h"
#include "../language/target.h"

const nd_recording *nd_plot_rec_target(const nd_cmd_ctx *ctx)
{
    const nd_arg *a = nd_arg_pos(ctx, 0);
    if (!a || a->value->kind != ND_EXPR_NAME) return NULL;
    return nd_value_as_recording(nd_ws_get(ctx->ws, a->value->str));
}

/* The sweeps named after the recording (0-based into idx), *n of them; 0 named: all. */
static nd_status read_sweeps(const nd_cmd_ctx *ctx, const nd_recording *rec, size_t *idx,
                             size_t *n, nd_error *err)
{
    *n = 0;
    size_t total = nd_rec_sweeps(rec);
    for (size_t i = 1; nd_arg_pos(ctx, i); i++) {
        const nd_arg *a = nd_arg_pos(ctx, i);
        double k;
        nd_status st = nd_arg_number(ctx, a, &k, err);
        if (st != ND_OK) return st;
        if (!(k == floor(k) && k >= 1 && k <= (double)total))
            return nd_arg_error(a, err, ND_EVALUE, "the recording has sweeps 1 … %zu", total);
        if (*n == total) return nd_arg_error(a, err, ND_EVALUE, "a sweep is named twice");
        idx[(*n)++] = (size_t)k - 1;
    }
    return ND_OK;
}

nd_status nd_plot_rec(const nd_cmd_ctx *ctx, const nd_recording *rec, nd_value **result,
                      nd_error *err)
{
    size_t *idx = malloc((nd_rec_sweeps(rec) + 1) * sizeof *idx), n = 0;
    if (!idx) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    char *title = NULL;
    nd_status st = read_sweeps(ctx, rec, idx, &n, err);
    if (st == ND_OK) st = nd_arg_opt_string(ctx, "title", NULL, &title, err);
    nd_figure *fig = st == ND_OK ? nd_rec_figure(rec, n ? idx : NULL, n, title) : NULL;
    free(title);
    free(idx);
    if (st != ND_OK) return st;
    if (!fig) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_bundle *b = NULL;
    st = nd_cmd_figure_size(ctx, fig, err);
    if (st == ND_OK) st = nd_fig_render(fig, &b, err);
    if (st != ND_OK) nd_target_locate(err, nd_arg_pos(ctx, 0));
    else st = nd_cmd_give_figure(ctx, fig, b, result, err);
    nd_fig_free(fig);
    return st;
}
