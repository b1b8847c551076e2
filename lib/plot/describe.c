/* What a figure shows, in words and in JSON: for readers without images (screen readers,
   terminals, diffs of notebooks) and for tests and tools. Ranges are over the full data,
   not the decimated points, and skip NaN/inf gaps. The JSON (a stable contract):
     {"type":"figure","title":s|null,"width":px,"height":px,
      "panels":[{"xlabel":s|null,"ylabel":s|null,
                 "series":[{"label":s|null,"n":points,"plotted":points sent to gnuplot,
                            "xmin","xmax","ymin","ymax": numbers, null when none finite}],
                 "heatmap" (only on a panel drawn as a colour map):
                   {"nx","ny","xmin","xmax","ymin","ymax","zmin","zmax","zlabel"}}]}
   followed by the keys a result added (nd_fig_set_json). */
#include "figure_impl.h"

#include <math.h>

#include "../base/range.h"
#include "../base/strbuf.h"

static void text_range(nd_sb *sb, const char *axis, const double *v, size_t n)
{
    double lo, hi;
    if (nd_finite_range(v, n, &lo, &hi)) nd_sb_printf(sb, ", %s %.4g..%.4g", axis, lo, hi);
}

char *nd_fig_describe_text(const nd_figure *fig)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_printf(&sb, "figure%s%s (%zu panel%s)", fig->title ? ": " : "",
                 fig->title ? fig->title : "", fig->npanels, fig->npanels == 1 ? "" : "s");
    for (size_t p = 0; p < fig->npanels; p++) {
        const nd_fig_panel *pn = &fig->panels[p];
        nd_sb_printf(&sb, "\npanel %zu: y %s, x %s", p + 1, pn->ylabel ? pn->ylabel : "(unlabelled)",
                     pn->xlabel ? pn->xlabel : "(unlabelled)");
        if (pn->heat) {
            const nd_fig_heatmap *h = pn->heat;
            nd_sb_printf(&sb, "\n  heatmap of %s: %zu x %zu cells", h->zlabel ? h->zlabel : "z",
                         h->nx, h->ny);
            text_range(&sb, "x", h->x, h->nx);
            text_range(&sb, "y", h->y, h->ny);
            text_range(&sb, "z", h->z, h->nx * h->ny);
        }
        for (size_t s = 0; s < pn->nseries; s++) {
            const nd_fig_series *se = &pn->series[s];
            if (se->label) nd_sb_printf(&sb, "\n  %s: ", se->label);
            else nd_sb_printf(&sb, "\n  series %zu: ", s + 1);
            nd_sb_printf(&sb, "%zu point%s", se->n, se->n == 1 ? "" : "s");
            text_range(&sb, "x", se->x, se->n);
            text_range(&sb, "y", se->y, se->n);
        }
    }
    return nd_sb_take(&sb);
}

static json_t *opt_string(const char *s)
{
    return s ? nd_json_utf8(s) : json_null();
}

/* Puts the finite range of v under lo_key and hi_key, nulls when nothing is finite. */
static int put_range(json_t *o, const char *lo_key, const char *hi_key, const double *v,
                     size_t n)
{
    double lo, hi;
    int any = nd_finite_range(v, n, &lo, &hi) > 0;
    return nd_json_put(o, lo_key, any ? nd_json_real(lo) : json_null()) |
           nd_json_put(o, hi_key, any ? nd_json_real(hi) : json_null());
}

static json_t *series_json(const nd_fig_series *se, size_t plotted)
{
    json_t *o = json_object();
    if (!o) return NULL;
    int rc = nd_json_put(o, "label", opt_string(se->label)) |
             nd_json_put(o, "n", json_integer((json_int_t)se->n)) |
             nd_json_put(o, "plotted", json_integer((json_int_t)plotted)) |
             put_range(o, "xmin", "xmax", se->x, se->n) |
             put_range(o, "ymin", "ymax", se->y, se->n);
    return nd_json_ok(o, rc);
}

char *nd_fig_describe_json(const nd_figure *fig, const nd_fig_plan *plan)
{
    json_t *j = json_object(), *panels = json_array();
    int rc = j ? 0 : -1;
    rc |= nd_json_put(j, "type", json_string("figure")) |
          nd_json_put(j, "title", opt_string(fig->title)) |
          nd_json_put(j, "width", json_integer(plan->width)) |
          nd_json_put(j, "height", json_integer(plan->height)) |
          nd_json_put(j, "panels", json_incref(panels));
    size_t k = 0;
    for (size_t p = 0; rc == 0 && p < fig->npanels; p++) {
        const nd_fig_panel *pn = &fig->panels[p];
        json_t *po = json_object(), *series = json_array();
        rc |= nd_json_put(po, "xlabel", opt_string(pn->xlabel)) |
              nd_json_put(po, "ylabel", opt_string(pn->ylabel)) |
              nd_json_put(po, "series", json_incref(series));
        if (pn->heat) rc |= nd_json_put(po, "heatmap", nd_fig_heatmap_json(pn->heat));
        for (size_t s = 0; rc == 0 && s < pn->nseries; s++, k++)
            rc |= nd_json_push(series, series_json(&pn->series[s], plan->nkeep[k]));
        json_decref(series);
        rc |= nd_json_push(panels, po);
    }
    json_decref(panels);
    if (rc == 0 && fig->extra) rc = json_object_update(j, fig->extra);
    return nd_json_dump(nd_json_ok(j, rc));
}
