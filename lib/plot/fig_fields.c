/* The values a figure exposes (figure.h). */
#include "figure.h"

nd_fields *nd_fig_fields(const nd_figure *fig, const char *description)
{
    int w, h;
    nd_fig_size(fig, &w, &h);
    nd_fields *f = nd_fields_create("figure");
    if (nd_fig_title(fig)) nd_fields_string(f, "title", nd_fig_title(fig));
    else nd_fields_none(f, "title");
    nd_fields_string(f, "description", description ? description : "");
    nd_fields_number(f, "panels", (double)nd_fig_panel_count(fig));
    nd_fields_number(f, "width", w);
    nd_fields_number(f, "height", h);
    return nd_fields_done(f);
}
