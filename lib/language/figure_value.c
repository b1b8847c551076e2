/* A figure record keeps its rendered bundle as its view, so showing, saving and writing it
   in a batch run all use the very images the cell showed. */
#include "figure_value.h"

#include "args.h"

#include <stdlib.h>

static nd_value *figure_record(const nd_figure *fig, nd_bundle *view)
{
    int w, h;
    nd_fig_size(fig, &w, &h);
    const char *title = nd_fig_title(fig), *text = nd_bundle_get(view, "text/plain");
    nd_value *r = nd_value_record("figure", view);
    if (r && (nd_record_add(r, "title", title ? nd_value_string(title) : nd_value_none()) ||
              nd_record_add_string(r, "description", text ? text : "") ||
              nd_record_add_number(r, "panels", (double)nd_fig_panel_count(fig)) ||
              nd_record_add_number(r, "width", w) || nd_record_add_number(r, "height", h))) {
        nd_value_unref(r);
        r = NULL;
    }
    return r;
}

nd_status nd_cmd_give_figure(const nd_cmd_ctx *ctx, const nd_figure *fig, nd_bundle *b,
                             nd_value **result, nd_error *err)
{
    if (!result || !ctx->bind) return nd_cmd_display(ctx, b, err);
    return nd_cmd_give(ctx, figure_record(fig, b), result, err);
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
