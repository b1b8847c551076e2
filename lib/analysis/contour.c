/* Marching squares with polyline assembly. Each grid edge is crossed at most once (the
   grid is fine compared with the curves), so a crossing is identified by its edge and
   two cells that share an edge share the crossing point: joining segments is following
   edge ids. */
#include "contour.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { BISECTIONS = 40 };

typedef struct grid {
    nd_contour_fn f;
    void *ctx;
    size_t nx, ny, nh;      /* nh: number of horizontal edges, (nx - 1) ny */
    double x0, y0, dx, dy;
    double *g;              /* values at grid points */
    signed char *state;     /* per edge: 0 not yet looked at, 1 crossing, -1 none */
    double *px, *py;        /* the crossing point of each edge */
    int (*adj)[2];          /* per edge: up to two segments touching it (-1: none) */
} grid;

/* Looks for the crossing on the edge between grid points a and b. */
static int edge_crossing(grid *G, size_t e, size_t a, size_t b)
{
    if (G->state[e]) return G->state[e] > 0;
    G->state[e] = -1;
    double ga = G->g[a], gb = G->g[b];
    if (!isfinite(ga) || !isfinite(gb) || (ga < 0) == (gb < 0)) return 0;
    double xa = G->x0 + G->dx * (double)(a % G->nx), ya = G->y0 + G->dy * (double)(a / G->nx);
    double xb = G->x0 + G->dx * (double)(b % G->nx), yb = G->y0 + G->dy * (double)(b / G->nx);
    double lo = 0, hi = 1, flo = ga, fm = ga;
    for (int k = 0; k < BISECTIONS; k++) {
        double mid = 0.5 * (lo + hi);
        fm = G->f(G->ctx, xa + mid * (xb - xa), ya + mid * (yb - ya));
        if (!isfinite(fm)) return 0;
        if ((fm < 0) == (flo < 0)) {
            lo = mid;
            flo = fm;
        } else {
            hi = mid;
        }
    }
    /* a root leaves |f| tiny; a pole (1/x through 0) makes it grow instead */
    if (!(fabs(fm) <= 1e-3 * fmax(fabs(ga), fabs(gb)))) return 0;
    double t = 0.5 * (lo + hi);
    G->px[e] = xa + t * (xb - xa);
    G->py[e] = ya + t * (yb - ya);
    G->state[e] = 1;
    return 1;
}

static int add_segment(grid *G, int (*seg)[2], size_t *nseg, size_t e1, size_t e2)
{
    int s = (int)*nseg;
    seg[s][0] = (int)e1;
    seg[s][1] = (int)e2;
    for (int k = 0; k < 2; k++) {
        int *a = G->adj[seg[s][k]];
        if (a[0] < 0) a[0] = s;
        else if (a[1] < 0) a[1] = s;
        else return 0;   /* an edge met three times cannot happen; drop the segment */
    }
    (*nseg)++;
    return 1;
}

static int push(nd_contour *c, double x, double y)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 256;
        double *nx = realloc(c->x, cap * sizeof *nx);
        if (!nx) return -1;
        c->x = nx;
        double *ny = realloc(c->y, cap * sizeof *ny);
        if (!ny) return -1;
        c->y = ny;
        c->cap = cap;
    }
    c->x[c->n] = x;
    c->y[c->n++] = y;
    return 0;
}

/* Follows segments from edge e (through unvisited ones) and appends the polyline. */
static int walk(grid *G, int (*seg)[2], unsigned char *used, size_t e, nd_contour *out)
{
    if (push(out, G->px[e], G->py[e])) return -1;
    for (;;) {
        int s = -1;
        for (int k = 0; k < 2; k++)
            if (G->adj[e][k] >= 0 && !used[G->adj[e][k]]) s = G->adj[e][k];
        if (s < 0) break;
        used[s] = 1;
        e = (size_t)(seg[s][0] == (int)e ? seg[s][1] : seg[s][0]);
        if (push(out, G->px[e], G->py[e])) return -1;
    }
    out->nlines++;
    return push(out, NAN, NAN);
}

/* Cell (i, j)'s segments; a saddle cell (four crossings) is split by its centre value. */
static int march_cell(grid *G, size_t i, size_t j, int (*seg)[2], size_t *nseg)
{
    size_t nx = G->nx, a = j * nx + i, b = a + 1, c = b + nx, d = a + nx;
    if (!isfinite(G->g[a]) || !isfinite(G->g[b]) || !isfinite(G->g[c]) || !isfinite(G->g[d]))
        return 0;
    size_t eb = j * (nx - 1) + i, et = eb + (nx - 1);
    size_t el = G->nh + j * nx + i, er = el + 1;
    int hb = edge_crossing(G, eb, a, b), hr = edge_crossing(G, er, b, c);
    int ht = edge_crossing(G, et, d, c), hl = edge_crossing(G, el, a, d);
    size_t e[4];
    int k = 0;
    if (hb) e[k++] = eb;
    if (hr) e[k++] = er;
    if (ht) e[k++] = et;
    if (hl) e[k++] = el;
    if (k == 2) return add_segment(G, seg, nseg, e[0], e[1]);
    if (k != 4) return 0;   /* one crossing rejected as a pole: no reliable pairing */
    double fc = G->f(G->ctx, G->x0 + G->dx * ((double)i + 0.5), G->y0 + G->dy * ((double)j + 0.5));
    if ((fc < 0) == (G->g[a] < 0)) {   /* a and c joined through the centre: cut off b, d */
        add_segment(G, seg, nseg, eb, er);
        return add_segment(G, seg, nseg, et, el);
    }
    add_segment(G, seg, nseg, eb, el);
    return add_segment(G, seg, nseg, er, et);
}

nd_status nd_contour_zero(nd_contour_fn f, void *ctx, double x0, double x1, double y0,
                          double y1, size_t nx, size_t ny, nd_contour *out, nd_error *err)
{
    if (nx < 2 || ny < 2 || nx > 4000 || ny > 4000 || !(x1 > x0) || !(y1 > y0))
        return nd_error_fail(err, ND_EVALUE, "contour: bad grid");
    grid G = {f, ctx, nx, ny, (nx - 1) * ny, x0, y0, (x1 - x0) / (double)(nx - 1),
              (y1 - y0) / (double)(ny - 1), NULL, NULL, NULL, NULL, NULL};
    size_t ne = G.nh + nx * (ny - 1), maxseg = 2 * (nx - 1) * (ny - 1);
    G.g = malloc(nx * ny * sizeof *G.g);
    G.state = calloc(ne, 1);
    G.px = malloc(ne * sizeof *G.px);
    G.py = malloc(ne * sizeof *G.py);
    G.adj = malloc(ne * sizeof *G.adj);
    int (*seg)[2] = malloc(maxseg * sizeof *seg);
    unsigned char *used = calloc(maxseg, 1);
    nd_status st = ND_OK;
    if (!G.g || !G.state || !G.px || !G.py || !G.adj || !seg || !used) {
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t j = 0; j < ny; j++)
        for (size_t i = 0; i < nx; i++)
            G.g[j * nx + i] = f(ctx, x0 + G.dx * (double)i, y0 + G.dy * (double)j);
    memset(G.adj, -1, ne * sizeof *G.adj);
    size_t nseg = 0;
    for (size_t j = 0; j + 1 < ny; j++)
        for (size_t i = 0; i + 1 < nx; i++) march_cell(&G, i, j, seg, &nseg);
    /* open curves start at an end (an edge touched once), then the closed loops */
    for (int pass = 0; pass < 2 && st == ND_OK; pass++)
        for (size_t s = 0; s < nseg && st == ND_OK; s++) {
            if (used[s]) continue;
            size_t e0 = (size_t)seg[s][0], e1 = (size_t)seg[s][1];
            size_t start;
            if (G.adj[e0][1] < 0) start = e0;
            else if (G.adj[e1][1] < 0) start = e1;
            else if (pass == 1) start = e0;
            else continue;
            if (walk(&G, seg, used, start, out)) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        }
done:
    free(G.g);
    free(G.state);
    free(G.px);
    free(G.py);
    free(G.adj);
    free(seg);
    free(used);
    return st;
}

void nd_contour_free(nd_contour *c)
{
    free(c->x);
    free(c->y);
    memset(c, 0, sizeof *c);
}
