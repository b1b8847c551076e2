/* The `phase` command: nullclines (contoured), a direction field of normalised arrows,
   trajectories and the equilibria of a 2-D model or of a 2-D slice of a larger one. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/contour.h"
#include "../analysis/slice.h"
#include "../base/textfmt.h"
#include "../plot/figure.h"
#include "args.h"
#include "eq_show.h"
#include "phase_setup.h"

enum { FIELD_N = 21, TRAJ_PTS = 1500, TRAJ_MAX = 50 };

typedef struct phase_req {
    nd_phase_setup s;
    int ix, iy;
    double lo[2], hi[2];
    int nullclines, field;
    double t1;
    size_t grid;
    double *starts;     /* ntraj (x, y) pairs */
    size_t ntraj;
    nd_slice sl;
} phase_req;

static double fx_of(void *ctx, double x, double y)
{
    double fx, fy;
    nd_slice_rhs(ctx, x, y, &fx, &fy);
    return fx;
}

static double fy_of(void *ctx, double x, double y)
{
    double fx, fy;
    nd_slice_rhs(ctx, x, y, &fx, &fy);
    return fy;
}

/* Reads traj=N (spread starts) or traj=[[x, y], …]. */
static nd_status read_traj(const nd_cmd_ctx *ctx, phase_req *q, nd_error *err)
{
    const nd_arg *a = nd_arg_opt(ctx, "traj");
    if (!a) return ND_OK;
    nd_value *v;
    nd_status st = nd_arg_value(ctx, a, &v, err);
    if (st != ND_OK) return st;
    size_t n = v->kind == ND_VAL_NUMBER ? (size_t)fmax(0, v->as.num)
               : v->kind == ND_VAL_LIST ? v->as.list.n : 0;
    if ((v->kind != ND_VAL_NUMBER && v->kind != ND_VAL_LIST) || n > TRAJ_MAX)
        st = nd_arg_error(a, err, ND_EVALUE, "traj= takes a count up to %d or a list of "
                          "[x, y] starting points", TRAJ_MAX);
    q->starts = st == ND_OK ? malloc((n ? n : 1) * 2 * sizeof *q->starts) : NULL;
    if (st == ND_OK && !q->starts) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t k = 0; st == ND_OK && k < n; k++) {
        if (v->kind == ND_VAL_NUMBER) {
            /* spread over the box: a stratified x and a golden-ratio y, no two alike */
            double u = (k + 0.5) / (double)n, w = fmod(0.5 + 0.618033988749895 * (double)k, 1);
            q->starts[2 * k] = q->lo[0] + (0.05 + 0.9 * u) * (q->hi[0] - q->lo[0]);
            q->starts[2 * k + 1] = q->lo[1] + (0.05 + 0.9 * w) * (q->hi[1] - q->lo[1]);
            continue;
        }
        const nd_value *it = v->as.list.items[k];
        if (it->kind != ND_VAL_LIST || it->as.list.n != 2 ||
            it->as.list.items[0]->kind != ND_VAL_NUMBER || it->as.list.items[1]->kind != ND_VAL_NUMBER)
            st = nd_arg_error(a, err, ND_EVALUE, "traj= item %zu is not a pair [x, y]", k + 1);
        else {
            q->starts[2 * k] = it->as.list.items[0]->as.num;
            q->starts[2 * k + 1] = it->as.list.items[1]->as.num;
        }
    }
    q->ntraj = st == ND_OK ? n : 0;
    nd_value_unref(v);
    return st;
}

/* Reads X, Y, the optional model and the words nullclines / field. */
/* Frames the axes the user gave no range for around where the dynamics go: the box of a
   trajectory from the initial state (its first t1), padded; a trajectory that hardly moves
   (a stable rest) gets a window of a quarter of its value either side. */
static nd_status frame(const nd_cmd_ctx *ctx, phase_req *q, nd_error *err)
{
    int axis[2] = {q->ix, q->iy};
    if (q->s.ranged[axis[0]] && q->s.ranged[axis[1]]) return ND_OK;
    enum { NPTS = 2001 };
    double *path = malloc(NPTS * q->s.n * sizeof *path);
    if (!path) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_status st = nd_phase_integrate(ctx, &q->s, q->s.x0, q->t1, NPTS, path, NULL, err);
    for (int k = 0; st == ND_OK && k < 2; k++) {
        if (q->s.ranged[axis[k]]) continue;
        double lo = INFINITY, hi = -INFINITY, x0 = q->s.x0[axis[k]];
        for (size_t i = 0; i < NPTS; i++) {
            double v = path[i * q->s.n + (size_t)axis[k]];
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
        q->lo[k] = lo;
        q->hi[k] = hi;
    }
    free(path);
    return st;
}

static nd_status read_request(const nd_cmd_ctx *ctx, phase_req *q, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 2, 5, err);
    if (st != ND_OK) return st;
    const nd_arg *model_arg = NULL;
    for (size_t i = 2; i < nd_arg_count(ctx); i++) {
        const nd_arg *a = nd_arg_pos(ctx, i);
        const char *w = a->value->kind == ND_EXPR_NAME ? a->value->str : "";
        if (strcmp(w, "nullclines") == 0) q->nullclines = 1;
        else if (strcmp(w, "field") == 0) q->field = 1;
        else model_arg = a;
    }
    if ((st = nd_phase_setup_read(ctx, model_arg, &q->s, err)) != ND_OK) return st;
    for (int k = 0; k < 2; k++) {
        const nd_arg *a = nd_arg_pos(ctx, (size_t)k);
        const char *name;
        if ((st = nd_arg_name(ctx, a, &name, err)) != ND_OK) return st;
        int idx = nd_model_index(q->s.m, ND_MODEL_STATE, name);
        if (idx < 0)
            return nd_arg_error(a, err, ND_ENAME, "model %s has no state '%s'",
                                nd_model_name(q->s.m), name);
        *(k ? &q->iy : &q->ix) = idx;
        q->lo[k] = q->s.lo[idx];
        q->hi[k] = q->s.hi[idx];
    }
    if (q->ix == q->iy)
        return nd_arg_error(nd_arg_pos(ctx, 1), err, ND_EVALUE, "X and Y must differ");
    if (!q->nullclines && !q->field) q->nullclines = q->field = 1;
    double grid;
    char *others = NULL;
    if ((st = nd_arg_opt_number(ctx, "t", 100, &q->t1, err)) != ND_OK ||
        (st = nd_arg_opt_number(ctx, "grid", 201, &grid, err)) != ND_OK ||
        (st = nd_arg_opt_word(ctx, "others", "init", &others, err)) != ND_OK)
        return st;
    int qss = strcmp(others, "qss") == 0;
    if (!qss && strcmp(others, "init") != 0)
        st = nd_arg_error(nd_arg_opt(ctx, "others"), err, ND_EVALUE,
                          "others= is init (held at their values) or qss (quasi-steady state)");
    free(others);
    if (st == ND_OK && !(grid >= 11 && grid <= 1001))
        st = nd_arg_error(nd_arg_opt(ctx, "grid"), err, ND_EVALUE, "grid= must be 11 … 1001");
    if (st == ND_OK && !(q->t1 > 0 && q->t1 < 1e7))
        st = nd_arg_error(nd_arg_opt(ctx, "t"), err, ND_EVALUE, "t= must be > 0");
    q->grid = (size_t)grid;
    if (st == ND_OK) st = frame(ctx, q, err);
    if (st == ND_OK) st = read_traj(ctx, q, err);
    if (st == ND_OK) st = nd_slice_init(&q->sl, q->s.m, q->s.p, q->ix, q->iy, q->s.x0, qss, err);
    return st;
}

/* Arrows of equal length on the screen (both axes normalised), one NaN-separated series:
   a shaft and two barbs each. */
static int add_field(nd_figure *fig, int panel, phase_req *q)
{
    size_t cap = FIELD_N * FIELD_N * 9;
    double *x = malloc(cap * sizeof *x), *y = malloc(cap * sizeof *y);
    size_t k = 0;
    double wx = q->hi[0] - q->lo[0], wy = q->hi[1] - q->lo[1], len = 0.55 / FIELD_N;
    for (int i = 0; x && y && i < FIELD_N; i++)
        for (int j = 0; j < FIELD_N; j++) {
            double px = q->lo[0] + wx * (i + 0.5) / FIELD_N, py = q->lo[1] + wy * (j + 0.5) / FIELD_N;
            double fx, fy;
            nd_slice_rhs(&q->sl, px, py, &fx, &fy);
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

static int add_nullcline(nd_figure *fig, int panel, phase_req *q, int which, nd_fig_color c,
                         nd_error *err)
{
    nd_contour ct = {0};
    nd_status st = nd_contour_zero(which ? fy_of : fx_of, &q->sl, q->lo[0], q->hi[0], q->lo[1],
                                   q->hi[1], q->grid, q->grid, &ct, err);
    char label[160];
    const char *name = nd_model_item_at(q->s.m, ND_MODEL_STATE, (size_t)(which ? q->iy : q->ix))->name;
    snprintf(label, sizeof label, "%s-nullcline (d%s/dt = 0)", name, name);
    int ok = st == ND_OK && (ct.n == 0 ||
             nd_fig_add_series(fig, panel, label, ct.x, ct.y, ct.n,
                               (nd_fig_style){ND_FIG_SOLID, ND_FIG_NOMARK, c, 2.2}) >= 0);
    nd_contour_free(&ct);
    return ok ? 0 : -1;
}

/* Integrates the full model from each start (others from the slice) and draws X vs Y:
   one NaN-separated series for the curves and one of dots for their starts. */
static nd_status add_trajectories(const nd_cmd_ctx *ctx, nd_figure *fig, int panel, phase_req *q,
                                  nd_error *err)
{
    if (!q->ntraj) return ND_OK;
    size_t n = q->s.n, len = q->ntraj * 2 * (TRAJ_PTS + 1), m = 0, ns = 0;
    unsigned char brk[TRAJ_PTS];
    double *y0 = malloc(n * sizeof *y0), *out = malloc(TRAJ_PTS * n * sizeof *out);
    double *px = malloc(len * sizeof *px), *py = malloc(len * sizeof *py);
    double *sx = malloc(q->ntraj * sizeof *sx), *sy = malloc(q->ntraj * sizeof *sy);
    nd_status st = y0 && out && px && py && sx && sy ? ND_OK
                                                     : nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t k = 0; st == ND_OK && k < q->ntraj; k++) {
        if (nd_slice_state(&q->sl, q->starts[2 * k], q->starts[2 * k + 1], y0) != 0) continue;
        sx[ns] = q->starts[2 * k];
        sy[ns++] = q->starts[2 * k + 1];
        nd_error e2;
        if (nd_phase_integrate(ctx, &q->s, y0, q->t1, TRAJ_PTS, out, brk, &e2) == ND_EINTERRUPT)
            st = nd_error_fail(err, ND_EINTERRUPT, "%s", e2.msg);
        for (size_t i = 0; i < TRAJ_PTS; i++) {   /* a blow-up keeps the part before it */
            px[m] = out[i * n + (size_t)q->ix];
            py[m++] = out[i * n + (size_t)q->iy];
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

/* Filled circles for stable points, open ones for the others. */
static int add_equilibria(nd_figure *fig, int panel, const nd_eq_list *l)
{
    for (int stable = 1; stable >= 0; stable--) {
        double x[64], y[64];
        size_t k = 0;
        for (size_t i = 0; i < l->count && k < 64; i++)
            if (nd_eq_kind_stable(l->kind[i]) == stable) {
                x[k] = l->x[i * l->n];
                y[k++] = l->x[i * l->n + 1];
            }
        nd_fig_style s = {ND_FIG_NOLINE, stable ? ND_FIG_CIRCLE : ND_FIG_OPEN_CIRCLE, ND_FIG_BLACK, 2};
        if (k && nd_fig_add_series(fig, panel, stable ? "stable equilibrium" : "unstable equilibrium",
                                   x, y, k, s) < 0)
            return -1;
    }
    return 0;
}

/* Adds the equilibria to the figure's text/plain and JSON. */
static int describe_equilibria(nd_bundle *b, const phase_req *q, const nd_eq_list *l)
{
    const char *names[2] = {nd_model_item_at(q->s.m, ND_MODEL_STATE, (size_t)q->ix)->name,
                            nd_model_item_at(q->s.m, ND_MODEL_STATE, (size_t)q->iy)->name};
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_puts(&sb, nd_bundle_get(b, "text/plain"));
    if (l->count)
        nd_sb_printf(&sb, "\n%zu equilibri%s%s:", l->count, l->count == 1 ? "um" : "a",
                     q->s.n > 2 ? " of the 2-D slice" : "");
    else
        nd_sb_puts(&sb, "\nno equilibrium in the plotted box");
    for (size_t i = 0; i < l->count; i++) {
        nd_sb_printf(&sb, "\n  %s = %.6g, %s = %.6g: %s (", names[0], l->x[2 * i], names[1],
                     l->x[2 * i + 1], nd_eq_kind_name(l->kind[i]));
        nd_eq_show_eigen(&sb, l->re + 2 * i, l->im + 2 * i, 2);
        nd_sb_putc(&sb, ')');
    }
    char *plain = nd_sb_take(&sb);
    const char *json = nd_bundle_get(b, ND_MIME_JSON);
    size_t jl = json ? strlen(json) : 0;
    if (jl && json[jl - 1] == '}') {
        nd_sb_putn(&sb, json, jl - 1);
        nd_sb_printf(&sb, ",\"phase\":{\"model\":");
        nd_json_string(&sb, nd_model_name(q->s.m));
        nd_sb_puts(&sb, ",\"x\":");
        nd_json_string(&sb, names[0]);
        nd_sb_puts(&sb, ",\"y\":");
        nd_json_string(&sb, names[1]);
        nd_sb_printf(&sb, ",\"others\":\"%s\",\"equilibria\":", q->sl.qss ? "qss" : "init");
        nd_eq_show_json_points(&sb, q->s.m, names, l);
        nd_sb_puts(&sb, "}}");
    }
    char *nj = nd_sb_take(&sb);
    int ok = plain && nd_bundle_set(b, "text/plain", plain) == 0 &&
             (!nj || nd_bundle_set(b, ND_MIME_JSON, nj) == 0);
    free(plain);
    free(nj);
    return ok ? 0 : -1;
}

static char *axis_label(const nd_model *m, int i)
{
    const nd_model_item *it = nd_model_item_at(m, ND_MODEL_STATE, (size_t)i);
    return nd_fig_label(it->name, it->unit);
}

static nd_status build_figure(nd_cmd_ctx *ctx, phase_req *q, nd_error *err)
{
    nd_eq_list l;
    nd_eq_list_init(&l, 2);
    nd_status st;
    if (q->s.n == 2) {   /* the model itself: exact Jacobian, seeds over the visible box */
        double lo[2], hi[2];
        lo[q->ix] = q->lo[0], hi[q->ix] = q->hi[0], lo[q->iy] = q->lo[1], hi[q->iy] = q->hi[1];
        st = nd_eq_find_all(q->s.m, q->s.p, &(nd_eq_seeds){lo, hi, 20, NULL, 0}, &l, err);
        if (q->ix == 1)   /* swap into (X, Y) order */
            for (size_t i = 0; i < l.count; i++) {
                double t = l.x[2 * i]; l.x[2 * i] = l.x[2 * i + 1]; l.x[2 * i + 1] = t;
            }
    } else {
        st = nd_slice_equilibria(&q->sl, q->lo, q->hi, &l, err);
    }
    nd_sb title;
    nd_sb_init(&title);
    nd_sb_printf(&title, "%s phase plane: %s against %s", nd_model_name(q->s.m),
                 nd_model_item_at(q->s.m, ND_MODEL_STATE, (size_t)q->iy)->name,
                 nd_model_item_at(q->s.m, ND_MODEL_STATE, (size_t)q->ix)->name);
    if (q->s.n > 2) nd_sb_puts(&title, q->sl.qss ? " (others at quasi-steady state)" : " (others fixed)");
    char *changed = nd_model_changed_pars(q->s.m);
    if (changed && *changed) nd_sb_printf(&title, ", %s", changed);
    free(changed);
    char *t = nd_sb_take(&title), *xl = axis_label(q->s.m, q->ix), *yl = axis_label(q->s.m, q->iy);
    nd_figure *fig = nd_fig_create(t);
    int panel = fig && xl && yl ? nd_fig_add_panel(fig, xl, yl) : -1;
    free(t);
    free(xl);
    free(yl);
    if (st == ND_OK && panel < 0) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK && q->field && add_field(fig, panel, q)) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK && q->nullclines &&
        (add_nullcline(fig, panel, q, 0, ND_FIG_VERMILLION, err) ||
         add_nullcline(fig, panel, q, 1, ND_FIG_BLUE, err)))
        st = err->code ? err->code : nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) st = add_trajectories(ctx, fig, panel, q, err);
    if (st == ND_OK && add_equilibria(fig, panel, &l)) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_bundle *b = NULL;
    if (st == ND_OK) {
        nd_fig_set_xrange(fig, q->lo[0], q->hi[0]);
        nd_fig_set_yrange(fig, panel, q->lo[1], q->hi[1]);
        nd_fig_set_size(fig, 800, 560);
        st = nd_fig_render(fig, &b, err);
    }
    if (st == ND_OK && describe_equilibria(b, q, &l)) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) st = nd_cmd_display(ctx, b, err);
    else nd_bundle_free(b);
    nd_fig_free(fig);
    nd_eq_list_free(&l);
    return st;
}

nd_status nd_phase_run(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    phase_req q;
    memset(&q, 0, sizeof q);
    nd_status st = read_request(ctx, &q, err);
    if (st == ND_OK) st = build_figure(ctx, &q, err);
    nd_slice_free(&q.sl);
    free(q.starts);
    nd_phase_setup_free(&q.s);
    return st;
}
