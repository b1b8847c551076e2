/* lib/plot: the PNG pass's dashes. gnuplot's libgd PNG terminal draws every dash type
   solid, so a dashed series is cut into dashes in the data ($p blocks): on a straight
   line across the panel every dash spans 6 line widths and every gap 4, measured in the
   panel's pixels, while the SVG pass keeps its dash type. */
#include "test.h"

#include <stdlib.h>

#include "../../lib/plot/figure_impl.h"

/* The x extents of the pieces of the datablock called name in script (blank-line
   separated), into lo/hi (at most cap); returns how many. */
static size_t pieces(const char *script, const char *name, double *lo, double *hi, size_t cap)
{
    char head[32];
    snprintf(head, sizeof head, "%s << EOD\n", name);
    const char *p = strstr(script, head);
    if (!p) return 0;
    p += strlen(head);
    size_t n = 0;
    int open = 0;
    while (*p && strncmp(p, "EOD\n", 4) != 0) {
        if (*p == '\n') {
            open = 0;
            p++;
            continue;
        }
        double x = strtod(p, NULL);
        if (!open && n < cap) lo[n] = hi[n] = x, n++, open = 1;
        else if (open) hi[n - 1] = x;
        p = strchr(p, '\n') + 1;
    }
    return n;
}

TEST(plot_png_cuts_dashes_into_the_data)
{
    double x[2] = {0, 100}, y[2] = {0, 0}, y2[2] = {-1, 1};
    nd_figure *fig = nd_fig_create(NULL);
    int p = nd_fig_add_panel(fig, "x", "y");
    nd_fig_add_series(fig, p, "solid", x, y2, 2, (nd_fig_style){0});
    nd_fig_add_series(fig, p, "dashed", x, y, 2, (nd_fig_style){.line = ND_FIG_DASHED, .width = 2});
    nd_fig_set_xrange(fig, 0, 100);
    nd_fig_plan plan;
    CHECK_INT(nd_fig_plan_make(fig, &plan), 0);
    char *script = nd_fig_script(fig, &plan, 1);
    CHECK(script != NULL);
    const char *png = script ? strstr(script, "set terminal png") : NULL;
    CHECK(png != NULL);
    if (png) {
        /* the SVG pass keeps the dash type; the PNG pass draws the cut copy solid */
        CHECK(strstr(script, "$s1 using 1:2 with lines dt (6,4) lw 2") < png);
        CHECK_CONTAINS(png, "$p1 using 1:2 with lines dt 1 lw 2");
        CHECK(strstr(script, "$p0 <<") == NULL);       /* a solid series is not copied */
        double lo[200], hi[200], px = (plan.width - plan.left - plan.right) / 100.0;
        size_t n = pieces(script, "$p1", lo, hi, 200);
        double period = (6 + 4) * 2;                     /* on + off, times the width */
        CHECK_INT(n, (size_t)ceil(100 * px / period));
        for (size_t i = 0; i + 1 < n; i++) {
            CHECK_NEAR((hi[i] - lo[i]) * px, 6 * 2, 1e-6);
            CHECK_NEAR((lo[i + 1] - hi[i]) * px, 4 * 2, 1e-6);
        }
        CHECK(n > 0 && lo[0] == 0);
    }
    free(script);
    nd_fig_plan_free(&plan);
    nd_fig_free(fig);
}
