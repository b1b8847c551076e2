/* Heatmaps: a colour map of values over a rectangular grid (a firing-rate map over two
   parameters), drawn by gnuplot's `with image` under the panel's series. The palette is
   viridis (perceptually uniform, readable in grey and with colour-vision deficiencies);
   undefined cells (NaN: a point not computed) are left blank. */
#include "figure_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/range.h"

void nd_fig_heatmap_free(nd_fig_heatmap *h)
{
    if (!h) return;
    free(h->x);
    free(h->y);
    free(h->z);
    free(h->zlabel);
    free(h);
}

int nd_fig_has_heatmap(const nd_figure *fig)
{
    for (size_t p = 0; p < fig->npanels; p++)
        if (fig->panels[p].heat) return 1;
    return 0;
}

static double *dup_doubles(const double *v, size_t n)
{
    double *d = malloc(n * sizeof *d);
    if (d) memcpy(d, v, n * sizeof *d);
    return d;
}

/* The edge of the cells: half a spacing beyond the outer centres (a single value gets a
   unit-wide cell). */
static void cell_edges(const double *v, size_t n, double *lo, double *hi)
{
    double h = n > 1 ? 0.5 * (v[1] - v[0]) : 0.5, g = n > 1 ? 0.5 * (v[n - 1] - v[n - 2]) : 0.5;
    *lo = v[0] - h;
    *hi = v[n - 1] + g;
}

int nd_fig_set_heatmap(nd_figure *fig, int panel, const double *x, size_t nx, const double *y,
                       size_t ny, const double *z, const char *zlabel)
{
    if (panel < 0 || (size_t)panel >= fig->npanels || nx == 0 || ny == 0) return -1;
    nd_fig_heatmap *h = calloc(1, sizeof *h);
    if (!h) return -1;
    h->nx = nx;
    h->ny = ny;
    h->x = dup_doubles(x, nx);
    h->y = dup_doubles(y, ny);
    h->z = dup_doubles(z, nx * ny);
    h->zlabel = zlabel && *zlabel ? strdup(zlabel) : NULL;
    if (!h->x || !h->y || !h->z || (zlabel && *zlabel && !h->zlabel)) {
        nd_fig_heatmap_free(h);
        return -1;
    }
    nd_fig_panel *pn = &fig->panels[panel];
    nd_fig_heatmap_free(pn->heat);
    pn->heat = h;
    double lo, hi;
    cell_edges(x, nx, &lo, &hi);
    nd_fig_set_xrange(fig, lo, hi);
    cell_edges(y, ny, &lo, &hi);
    nd_fig_set_yrange(fig, panel, lo, hi);
    return 0;
}

void nd_fig_heatmap_data(nd_sb *sb, const nd_fig_heatmap *h, size_t p)
{
    nd_sb_printf(sb, "$h%zu << EOD\n", p);
    for (size_t j = 0; j < h->ny; j++) {
        for (size_t i = 0; i < h->nx; i++) {
            double z = h->z[j * h->nx + i];
            if (isfinite(z)) nd_sb_printf(sb, "%.10g %.10g %.10g\n", h->x[i], h->y[j], z);
            else nd_sb_printf(sb, "%.10g %.10g NaN\n", h->x[i], h->y[j]);
        }
        nd_sb_putc(sb, '\n');   /* one scan line of the image per y */
    }
    nd_sb_puts(sb, "EOD\n");
}

void nd_fig_heatmap_settings(nd_sb *sb, const nd_fig_heatmap *h,
                             void (*quote)(nd_sb *, const char *))
{
    double lo, hi;
    if (nd_finite_range(h->z, h->nx * h->ny, &lo, &hi) == 0) lo = 0, hi = 1;
    if (!(hi > lo)) hi = lo + (fabs(lo) > 0 ? 0.05 * fabs(lo) : 1);
    nd_sb_puts(sb, "set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', "
                   "3 '#5ec962', 4 '#fde725')\n");
    nd_sb_printf(sb, "set cbrange [%.17g:%.17g]\n", lo, hi);
    nd_sb_puts(sb, "set colorbox vertical user origin screen 0.90, graph 0 size "
                   "character 1.6, graph 1\nset cbtics textcolor rgb '#333333'\n");
    if (h->zlabel) {
        nd_sb_puts(sb, "set cblabel ");
        quote(sb, h->zlabel);
        nd_sb_puts(sb, " textcolor rgb '#333333'\n");
    } else {
        nd_sb_puts(sb, "unset cblabel\n");
    }
}

void nd_fig_heatmap_item(nd_sb *sb, size_t p)
{
    nd_sb_printf(sb, "$h%zu using 1:2:3 with image notitle", p);
}

static int put_range(json_t *o, const char *lo_key, const char *hi_key, const double *v,
                     size_t n)
{
    double lo, hi;
    int any = nd_finite_range(v, n, &lo, &hi) > 0;
    return nd_json_put(o, lo_key, any ? nd_json_real(lo) : json_null()) |
           nd_json_put(o, hi_key, any ? nd_json_real(hi) : json_null());
}

json_t *nd_fig_heatmap_json(const nd_fig_heatmap *h)
{
    json_t *o = json_object();
    if (!o) return NULL;
    int rc = nd_json_put(o, "nx", json_integer((json_int_t)h->nx)) |
             nd_json_put(o, "ny", json_integer((json_int_t)h->ny)) |
             put_range(o, "xmin", "xmax", h->x, h->nx) |
             put_range(o, "ymin", "ymax", h->y, h->ny) |
             put_range(o, "zmin", "zmax", h->z, h->nx * h->ny) |
             nd_json_put(o, "zlabel", h->zlabel ? nd_json_utf8(h->zlabel) : json_null());
    return nd_json_ok(o, rc);
}
