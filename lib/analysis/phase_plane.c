/* What the phase plane computes: the framing of its axes, spread starting points, the
   direction field, the trajectories and the equilibria in the box. */
#include "phase_plane_impl.h"

#include <math.h>
#include <stdlib.h>

enum { FIELD_N = 21, TRAJ_PTS = 1500 };

nd_status nd_phase_frame(nd_phase_plane *pp, int fit_x, int fit_y, nd_error *err)
{
    int axis[2] = {pp->ix, pp->iy}, fit[2] = {fit_x, fit_y};
    if (!fit_x && !fit_y) return ND_OK;
    enum { NPTS = 2001 };
    size_t n = nd_model_count(pp->m, ND_MODEL_STATE);
    double *path = malloc(NPTS * n * sizeof *path);
    if (!path) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_status st = pp->path(pp->path_ctx, pp->m, pp->p, pp->x0, pp->t1, NPTS, path, NULL, err);
    for (int k = 0; st == ND_OK && k < 2; k++) {
        if (!fit[k]) continue;
        double lo = INFINITY, hi = -INFINITY, x0 = pp->x0[axis[k]];
        for (size_t i = 0; i < NPTS; i++) {
            double v = path[i * n + (size_t)axis[k]];
            if (isfinite(v)) lo = fmin(lo, v), hi = fmax(hi, v);
        }
        double scale = fmax(fabs(lo), fabs(hi));
        if (!(hi - lo > 1e-3 * fmax(1, scale))) {
            double r = fmax(0.5, 0.25 * fabs(x0));
            lo = x0 - r;
            hi = x0 + r;
        } else {
            double pad = 0.15 * (hi - lo);
            lo -= pad;
            hi += pad;
        }
        pp->lo[k] = lo;
        pp->hi[k] = hi;
    }
    free(path);
    return st;
}

void nd_phase_spread(const nd_phase_plane *pp, size_t n, double *starts)
{
    for (size_t k = 0; k < n; k++) {
        double u = (k + 0.5) / (double)n, w = fmod(0.5 + 0.618033988749895 * (double)k, 1);
        starts[2 * k] = pp->lo[0] + (0.05 + 0.9 * u) * (pp->hi[0] - pp->lo[0]);
        starts[2 * k + 1] = pp->lo[1] + (0.05 + 0.9 * w) * (pp->hi[1] - pp->lo[1]);
    }
}

/* Arrows of equal length on the screen (both axes normalised), one NaN-separated series:
   a shaft and two barbs each. */
int nd_phase_add_field(nd_figure *fig, int panel, const nd_phase_plane *pp, nd_slice *sl)
{
    size_t cap = FIELD_N * FIELD_N * 9;
    double *x = malloc(cap * sizeof *x), *y = malloc(cap * sizeof *y);
    size_t k = 0;
    double wx = pp->hi[0] - pp->lo[0], wy = pp->hi[1] - pp->lo[1], len = 0.55 / FIELD_N;
    for (int i = 0; x && y && i < FIELD_N; i++)
        for (int j = 0; j < FIELD_N; j++) {
            double px = pp->lo[0] + wx * (i + 0.5) / FIELD_N, py = pp->lo[1] + wy * (j + 0.5) / FIELD_N;
            double fx, fy;
            nd_slice_rhs(sl, px, py, &fx, &fy);
            double ux = fx / wx, uy = fy / wy, r = hypot(ux, uy);
            if (!isfinite(r) || r == 0) continue;
            ux *= len / r;
            uy *= len / r;
            double tx = px + 0.5 * ux * wx, ty = py + 0.5 * uy * wy;   /* centred on the point */
            double bx = -0.45 * ux, by = -0.45 * uy;                       /* barb vectors */
            double pts[9][2] = {{px - 0.5 * ux * wx, py - 0.5 * uy * wy}, {tx, ty}, {NAN, NAN},
                                {tx + (bx * 0.94 - by * 0.34) * wx, ty + (by * 0.94 + bx * 0.34) * wy},
                                {tx, ty},
                                {tx + (bx * 0.94 + by * 0.34) * wx, ty + (by * 0.94 - bx * 0.34) * wy},
                                {NAN, NAN}, {NAN, NAN}, {NAN, NAN}};
            for (int m = 0; m < 7; m++, k++) {
                x[k] = pts[m][0];
                y[k] = pts[m][1];
            }
        }
    int ok = x && y && nd_fig_add_series(fig, panel, NULL, x, y, k,
                                         (nd_fig_style){ND_FIG_SOLID, ND_FIG_NOMARK, ND_FIG_GRAY, 1}) >= 0;
    free(x);
    free(y);
    return ok ? 0 : -1;
}

/* Integrates the full model from each start (others from the slice) and draws X vs Y:
   one NaN-separated series for the curves and one of dots for their starts. */
nd_status nd_phase_add_trajectories(nd_figure *fig, int panel, const nd_phase_plane *pp,
                                    nd_slice *sl, nd_error *err)
{
    if (!pp->ntraj) return ND_OK;
    size_t n = nd_model_count(pp->m, ND_MODEL_STATE), len = pp->ntraj * 2 * (TRAJ_PTS + 1);
    size_t m = 0, ns = 0;
    unsigned char brk[TRAJ_PTS];
    double *y0 = malloc(n * sizeof *y0), *out = malloc(TRAJ_PTS * n * sizeof *out);
    double *px = malloc(len * sizeof *px), *py = malloc(len * sizeof *py);
    double *sx = malloc(pp->ntraj * sizeof *sx), *sy = malloc(pp->ntraj * sizeof *sy);
    nd_status st = y0 && out && px && py && sx && sy ? ND_OK
                                                     : nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t k = 0; st == ND_OK && k < pp->ntraj; k++) {
        if (nd_slice_state(sl, pp->starts[2 * k], pp->starts[2 * k + 1], y0) != 0) continue;
        sx[ns] = pp->starts[2 * k];
        sy[ns++] = pp->starts[2 * k + 1];
        nd_error e2;
        if (pp->path(pp->path_ctx, pp->m, pp->p, y0, pp->t1, TRAJ_PTS, out, brk, &e2) ==
            ND_EINTERRUPT)
            st = nd_error_fail(err, ND_EINTERRUPT, "%s", e2.msg);
        for (size_t i = 0; i < TRAJ_PTS; i++) {   /* a blow-up keeps the part before it */
            px[m] = out[i * n + (size_t)pp->ix];
            py[m++] = out[i * n + (size_t)pp->iy];
            if (brk[i]) px[m] = py[m] = NAN, m++;   /* a reset: a jump, not a path */
        }
        px[m] = py[m] = NAN;
        m++;
    }
    nd_fig_style line = {ND_FIG_SOLID, ND_FIG_NOMARK, ND_FIG_BLACK, 1.2};
    nd_fig_style start = {ND_FIG_NOLINE, ND_FIG_DOT, ND_FIG_BLACK, 0};
    if (st == ND_OK && ns &&
        (nd_fig_add_series(fig, panel, "trajectories", px, py, m, line) < 0 ||
         nd_fig_add_series(fig, panel, "starts", sx, sy, ns, start) < 0))
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    free(y0);
    free(out);
    free(px);
    free(py);
    free(sx);
    free(sy);
    return st;
}

nd_status nd_phase_equilibria(const nd_phase_plane *pp, nd_slice *sl, nd_eq_list *l,
                              nd_error *err)
{
    if (nd_model_count(pp->m, ND_MODEL_STATE) != 2)
        return nd_slice_equilibria(sl, pp->lo, pp->hi, l, err);
    /* the model itself: exact Jacobian, seeds over the visible box */
    double lo[2], hi[2];
    lo[pp->ix] = pp->lo[0], hi[pp->ix] = pp->hi[0], lo[pp->iy] = pp->lo[1], hi[pp->iy] = pp->hi[1];
    nd_status st = nd_eq_find_all(pp->m, pp->p, &(nd_eq_seeds){lo, hi, 20, NULL, 0}, l, err);
    if (pp->ix == 1)   /* swap into (X, Y) order */
        for (size_t i = 0; i < l->count; i++) {
            double t = l->x[2 * i]; l->x[2 * i] = l->x[2 * i + 1]; l->x[2 * i + 1] = t;
        }
    return st;
}

nd_status nd_phase_find_equilibria(const nd_model *m, const double *p, const double *lo,
                                   const double *hi, size_t per_axis, const double *x0,
                                   double t1, nd_phase_path_fn path, void *path_ctx,
                                   nd_eq_list *out, nd_error *err)
{
    /* Samples along a trajectory sit where the dynamics go, which a coarse grid can miss
       in a high-dimensional box. */
    enum { TRAJ_SEEDS = 40 };
    size_t n = nd_model_count(m, ND_MODEL_STATE), ntraj = TRAJ_SEEDS;
    double *traj = malloc(TRAJ_SEEDS * (n ? n : 1) * sizeof *traj);
    if (!traj) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_status st = ND_OK;
    nd_error run = {0};
    if (t1 == 0 || path(path_ctx, m, p, x0, t1, ntraj, traj, NULL, &run) != ND_OK) {
        if (t1 > 0 && run.code == ND_EINTERRUPT) st = nd_error_fail(err, ND_EINTERRUPT, "%s", run.msg);
        ntraj = 0;
    }
    nd_eq_seeds sd = {lo, hi, per_axis, traj, ntraj};
    if (st == ND_OK) st = nd_eq_find_all(m, p, &sd, out, err);
    free(traj);
    return st;
}
