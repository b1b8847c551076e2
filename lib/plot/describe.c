/* What a figure shows, in words and in JSON: for readers without images (screen readers,
   terminals, diffs of notebooks) and for tests and tools. Ranges are over the full data,
   not the decimated points, and skip NaN/inf gaps. The JSON (a stable contract):
     {"type":"figure","title":s|null,"width":px,"height":px,
      "panels":[{"xlabel":s|null,"ylabel":s|null,
                 "series":[{"label":s|null,"n":points,"plotted":points sent to gnuplot,
                            "xmin","xmax","ymin","ymax": numbers, null when none finite}]}]} */
#include "figure_impl.h"

#include <math.h>

#include "../base/range.h"
#include "../base/strbuf.h"
#include "../base/textfmt.h"

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

static void json_opt_string(nd_sb *sb, const char *s)
{
    if (s) nd_json_string(sb, s);
    else nd_sb_puts(sb, "null");
}

static void json_range(nd_sb *sb, const char *lo_key, const char *hi_key, const double *v,
                       size_t n)
{
    double lo, hi;
    int any = nd_finite_range(v, n, &lo, &hi) > 0;
    nd_sb_printf(sb, ",\"%s\":", lo_key);
    if (any) nd_json_number(sb, lo);
    else nd_sb_puts(sb, "null");
    nd_sb_printf(sb, ",\"%s\":", hi_key);
    if (any) nd_json_number(sb, hi);
    else nd_sb_puts(sb, "null");
}

char *nd_fig_describe_json(const nd_figure *fig, const nd_fig_plan *plan)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_puts(&sb, "{\"type\":\"figure\",\"title\":");
    json_opt_string(&sb, fig->title);
    nd_sb_printf(&sb, ",\"width\":%d,\"height\":%d,\"panels\":[", plan->width, plan->height);
    size_t k = 0;
    for (size_t p = 0; p < fig->npanels; p++) {
        const nd_fig_panel *pn = &fig->panels[p];
        nd_sb_puts(&sb, p ? ",{\"xlabel\":" : "{\"xlabel\":");
        json_opt_string(&sb, pn->xlabel);
        nd_sb_puts(&sb, ",\"ylabel\":");
        json_opt_string(&sb, pn->ylabel);
        nd_sb_puts(&sb, ",\"series\":[");
        for (size_t s = 0; s < pn->nseries; s++, k++) {
            const nd_fig_series *se = &pn->series[s];
            nd_sb_puts(&sb, s ? ",{\"label\":" : "{\"label\":");
            json_opt_string(&sb, se->label);
            nd_sb_printf(&sb, ",\"n\":%zu,\"plotted\":%zu", se->n, plan->nkeep[k]);
            json_range(&sb, "xmin", "xmax", se->x, se->n);
            json_range(&sb, "ymin", "ymax", se->y, se->n);
            nd_sb_putc(&sb, '}');
        }
        nd_sb_puts(&sb, "]}");
    }
    nd_sb_puts(&sb, "]}");
    return nd_sb_take(&sb);
}
