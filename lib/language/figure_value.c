/* A figure record keeps its rendered bundle as its view, so showing, saving and writing it
   in a batch run all use the very images the cell showed. */
#include "figure_value.h"

#include "args.h"
#include "fields_value.h"


nd_status nd_cmd_give_figure(const nd_cmd_ctx *ctx, const nd_figure *fig, nd_bundle *b,
                             nd_value **result, nd_error *err)
{
    if (!result || !ctx->bind) return nd_cmd_display(ctx, b, err);
    nd_fields *f = nd_fig_fields(fig, nd_bundle_get(b, "text/plain"));
    return nd_cmd_give(ctx, nd_record_of_fields(f, b), result, err);
}

const nd_bundle *nd_value_figure(const nd_value *v)
{
    if (!v || v->kind != ND_VAL_RECORD) return NULL;
    return nd_fig_bundle_has_images(v->as.rec.view) ? v->as.rec.view : NULL;
}

nd_status nd_cmd_figure_size(const nd_cmd_ctx *ctx, nd_figure *fig, nd_error *err)
{
    double w, h;
    nd_status st = nd_arg_opt_number(ctx, "width", 0, &w, err);
    if (st == ND_OK) st = nd_arg_opt_number(ctx, "height", 0, &h, err);
    if (st == ND_OK && (w > 0 || h > 0)) {
        int dw, dh;
        nd_fig_size(fig, &dw, &dh);
        nd_fig_set_size(fig, w > 0 ? (int)w : dw, h > 0 ? (int)h : dh);
    }
    return st;
}
