/* Rendering: plan, script, one gnuplot run for both images, then the SVG made embeddable
   and the PNG base64-encoded as Jupyter carries it. */
#include "figure_impl.h"

#include <stdlib.h>

#include "../base/base64.h"
#include "gnuplot.h"
#include "svgfix.h"

/* Per thread, so that one thread's quick redraws never strip another's figures. */
static _Thread_local int draft;

int nd_fig_draft(int on)
{
    int was = draft;
    draft = on;
    return was;
}

/* Assembles the bundle, taking ownership of the texts (png NULL in draft mode); NULL on
   ENOMEM. */
static nd_bundle *assemble(char *svg, char *png, int with_png, char *plain, char *json)
{
    nd_bundle *b = svg && (png || !with_png) && plain && json ? nd_bundle_create() : NULL;
    if (b && (nd_bundle_set(b, "text/plain", plain) || nd_bundle_set(b, "image/svg+xml", svg) ||
              (with_png && nd_bundle_set(b, "image/png", png)) ||
              nd_bundle_set(b, ND_MIME_JSON, json))) {
        nd_bundle_free(b);
        b = NULL;
    }
    free(svg);
    free(png);
    free(plain);
    free(json);
    return b;
}

nd_status nd_fig_render(const nd_figure *fig, nd_bundle **out, nd_error *err)
{
    *out = NULL;
    if (fig->npanels == 0) return nd_error_fail(err, ND_EVALUE, "the figure has no panels");
    nd_fig_plan plan;
    if (nd_fig_plan_make(fig, &plan) != 0)
        return nd_error_fail(err, ND_ENOMEM, "out of memory planning the figure");
    int with_png = !draft;
    char *script = nd_fig_script(fig, &plan, with_png);
    if (!script) {
        nd_fig_plan_free(&plan);
        return nd_error_fail(err, ND_ENOMEM, "out of memory writing the gnuplot script");
    }
    nd_fig_output img;
    nd_status st = nd_fig_gnuplot(script, ND_FIG_GNUPLOT_TIMEOUT_MS, with_png, &img, err);
    if (st == ND_OK) {
        char prefix[20];
        nd_fig_id_prefix(script, prefix);
        *out = assemble(nd_fig_svg_fix(img.fd3, prefix, fig->title),
                        with_png ? nd_base64_encode(img.fd4, img.fd4_len) : NULL, with_png,
                        nd_fig_describe_text(fig),
                        nd_fig_describe_json(fig, &plan));
        if (!*out) st = nd_error_fail(err, ND_ENOMEM, "out of memory rendering the figure");
    }
    nd_fig_output_free(&img);
    free(script);
    nd_fig_plan_free(&plan);
    return st;
}

nd_status nd_fig_render_take(nd_figure *fig, nd_bundle **out, nd_error *err)
{
    *out = NULL;
    if (!fig) return nd_error_fail(err, ND_ENOMEM, "out of memory building the figure");
    nd_status st = nd_fig_render(fig, out, err);
    nd_fig_free(fig);
    return st;
}
