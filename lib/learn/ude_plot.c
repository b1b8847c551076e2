/* The comparison figures of a hybrid (ude_plot.h). */
#include "ude_plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/strbuf.h"
#include "ude_verdict.h"

enum { MIN_GRID = 1000, MAX_GRID = 20000 };

void nd_ude_plot_clear(nd_ude_plot *p)
{
    nd_fig_free(p->fig);
    free(p->caption);
    json_decref(p->json);
    memset(p, 0, sizeof *p);
}

/* Adds a panel labelled "x [unit]" / "y [unit]"; -1 on ENOMEM. */
static int add_panel(nd_figure *fig, const char *x, const char *xunit, const char *y,
                     const char *yunit)
{
    char *xl = nd_fig_label(x, xunit), *yl = nd_fig_label(y, yunit);
    int p = xl && yl ? nd_fig_add_panel(fig, xl, yl) : -1;
    free(xl);
    free(yl);
    return p;
}

/* The RMS of series (on the m-point grid) minus the data d at the sample times t
   (linear interpolation; NaN data skipped), and the data's range in *lo … *hi. */
static double rms_at_samples(const double *grid, const double *series, size_t m,
                             const double *t, const double *d, size_t rows, double *lo,
                             double *hi)
{
    double sum = 0, h = grid[1] - grid[0];
    size_t k = 0;
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t r = 0; r < rows; r++) {
        double x = (t[r] - grid[0]) / h;
        size_t i = x <= 0 ? 0 : x >= (double)(m - 1) ? m - 2 : (size_t)x;
        double w = fmin(fmax(x - (double)i, 0), 1);
        double yp = (1 - w) * series[i] + w * series[i + 1];
        if (!isfinite(d[r])) continue;
        sum += (yp - d[r]) * (yp - d[r]);
        *lo = fmin(*lo, d[r]);
        *hi = fmax(*hi, d[r]);
        k++;
    }
    return k ? sqrt(sum / (double)k) : NAN;
}

/* The panels of the prediction pred (m × states on grid) against ds; fills out. */
static nd_status fit_panels(const nd_ude *u, const char *net_name, const nd_dataset *ds,
                            const int *state, size_t nv, const double *grid,
                            const double *pred, size_t m, nd_ude_plot *out, nd_error *err)
{
    const nd_model *mod = nd_ude_model(u);
    size_t n = nd_model_count(mod, ND_MODEL_STATE), rows = nd_ds_rows(ds);
    const double *t = nd_ds_col(ds, 0);
    double *series = malloc(m * sizeof *series);
    json_t *rms = json_object();
    nd_sb cap;
    nd_sb_init(&cap);
    nd_sb_printf(&cap, "prediction of %s from its initial state against the data:", net_name);
    int rc = !series || !(out->json = json_object()) ||
             nd_json_put(out->json, "network", nd_json_utf8(net_name));
    rc |= nd_json_put(out->json, "rms", rms);   /* taken over even on failure */
    size_t nrms = 0;
    for (size_t v = 0; !rc && v < nv; v++) {
        const nd_model_item *it = nd_model_item_at(mod, ND_MODEL_STATE, (size_t)state[v]);
        int col = nd_ds_find(ds, it->name);
        int p = add_panel(out->fig, "t", nd_ds_unit(ds, 0), it->name, it->unit);
        for (size_t i = 0; i < m; i++) series[i] = pred[i * n + (size_t)state[v]];
        rc = p < 0 ||
             (col > 0 &&
              nd_fig_add_series(out->fig, p, "data", t, nd_ds_col(ds, (size_t)col), rows,
                                (nd_fig_style){ND_FIG_NOLINE, ND_FIG_DOT, ND_FIG_GRAY, 0}) < 0) ||
             nd_fig_add_series(out->fig, p, nd_ude_is_node(u) ? "neural ODE" : "UDE", grid,
                               series, m, (nd_fig_style){ND_FIG_SOLID, 0, ND_FIG_BLUE, 0}) < 0;
        if (rc || col <= 0) continue;
        double lo, hi;
        double e = rms_at_samples(grid, series, m, t, nd_ds_col(ds, (size_t)col), rows, &lo, &hi);
        nd_sb_printf(&cap, "%s %s RMS error %.4g (%.2g %% of the data's range)",
                     nrms++ ? ";" : "", it->name, e, 100 * e / (hi - lo));
        rc = nd_json_put(rms, it->name, nd_json_real(e));
    }
    free(series);
    out->caption = nd_sb_take(&cap);
    return rc || !out->caption ? nd_error_fail(err, ND_ENOMEM, "out of memory") : ND_OK;
}

nd_status nd_ude_plot_fit(const nd_ude *u, const char *net_name, const nd_dataset *ds,
                          const int *states, size_t n, const char *title,
                          const atomic_int *interrupt, nd_ude_plot *out, nd_error *err)
{
    memset(out, 0, sizeof *out);
    const nd_model *mod = nd_ude_model(u);
    size_t ns = nd_model_count(mod, ND_MODEL_STATE), rows = nd_ds_rows(ds), nv = n;
    int state[ND_UDE_PLOT_MAX_VARS];
    if (nv > ND_UDE_PLOT_MAX_VARS) nv = ND_UDE_PLOT_MAX_VARS;
    if (n) memcpy(state, states, nv * sizeof *state);
    for (size_t s = 0; !n && s < ns && nv < ND_UDE_PLOT_MAX_VARS; s++)
        if (nd_ds_find(ds, nd_model_item_at(mod, ND_MODEL_STATE, s)->name) > 0)
            state[nv++] = (int)s;
    if (nv == 0)
        return nd_error_fail(err, ND_EVALUE, "the dataset has no column named after a state "
                             "of %s", nd_model_name(mod));
    const double *t = rows ? nd_ds_col(ds, 0) : NULL;
    if (rows < 2 || !(t[rows - 1] > t[0]))
        return nd_error_fail(err, ND_EVALUE, "the dataset needs at least two samples over an "
                             "increasing time column");
    size_t m = rows > MIN_GRID ? rows : MIN_GRID;
    if (m > MAX_GRID) m = MAX_GRID;
    double *grid = malloc(m * sizeof *grid), *pred = malloc(m * ns * sizeof *pred);
    nd_status st = grid && pred ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) {
        for (size_t i = 0; i < m; i++)
            grid[i] = t[0] + (t[rows - 1] - t[0]) * (double)i / (double)(m - 1);
        st = nd_ude_predict(u, grid, m, pred, interrupt, err);
    }
    if (st == ND_OK && !(out->fig = nd_fig_create(title)))
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) st = fit_panels(u, net_name, ds, state, nv, grid, pred, m, out, err);
    if (st != ND_OK) nd_ude_plot_clear(out);
    free(grid);
    free(pred);
    return st;
}

nd_status nd_ude_plot_term(const nd_ude_term *te, const char *net_name, const char *term,
                           const char *true_name, const char *xname, const char *xunit,
                           int along, const double *xs, const double *lv, const double *tv,
                           size_t m, const char *title, nd_ude_plot *out, nd_error *err)
{
    memset(out, 0, sizeof *out);
    const nd_model *truth = nd_ude_truth(te->u);
    double sum = 0, lo = INFINITY, hi = -INFINITY;
    size_t cnt = 0;
    for (size_t r = 0; r < m; r++) {
        if (!isfinite(lv[r]) || !isfinite(tv[r])) continue;
        sum += (lv[r] - tv[r]) * (lv[r] - tv[r]);
        lo = fmin(lo, tv[r]);
        hi = fmax(hi, tv[r]);
        cnt++;
    }
    double rms = cnt ? sqrt(sum / (double)cnt) : NAN, rel = hi > lo ? rms / (hi - lo) : NAN;
    const nd_model_item *ti = nd_model_find(truth, true_name, NULL);
    const nd_model_item *xi = xunit ? NULL : nd_model_find(truth, xname, NULL);
    if (!xunit) xunit = xi ? xi->unit : "";
    char dname[300], l1[300];
    snprintf(dname, sizeof dname, te->true_is_state ? "d%s/dt" : "%s", term);
    snprintf(l1, sizeof l1, te->true_is_state ? "true d%s/dt" : "true %s", true_name);
    /* a state's learned right-hand side is a rate: its unit per unit of time */
    char *rate = te->true_is_state && ti
                     ? nd_fig_unit_per(ti->unit, nd_model_time_unit(truth)) : NULL;
    out->fig = nd_fig_create(title);
    int p = out->fig ? add_panel(out->fig, xname, xunit, dname,
                                 rate ? rate : ti && !te->true_is_state ? ti->unit : "")
                     : -1;
    free(rate);
    int rc = p < 0 ||
             nd_fig_add_series(out->fig, p, l1, xs, tv, m,
                               (nd_fig_style){ND_FIG_DASHED, 0, ND_FIG_BLACK, 0}) < 0 ||
             nd_fig_add_series(out->fig, p, "learned", xs, lv, m,
                               (nd_fig_style){ND_FIG_SOLID, 0, ND_FIG_VERMILLION, 0}) < 0;
    nd_sb cap;
    nd_sb_init(&cap);
    nd_sb_printf(&cap, te->true_is_state ? "%s.%s against the true d%s/dt"
                                         : "%s.%s against the true %s", net_name, term, true_name);
    nd_sb_printf(&cap, "%s: RMS difference %.4g = %.3g %% of the true range (%.4g … %.4g)",
                 along ? " along the trajectory" : "", rms, 100 * rel, lo, hi);
    out->caption = nd_sb_take(&cap);
    out->json = json_object();
    rc = rc || !out->caption || !out->json ||
         nd_json_put(out->json, "network", nd_json_utf8(net_name)) ||
         nd_json_put(out->json, "learned", nd_json_utf8(term)) ||
         nd_json_put(out->json, "true", nd_json_utf8(true_name)) ||
         nd_json_put(out->json, "rms", nd_json_real(rms)) ||
         nd_json_put(out->json, "rms_over_range", nd_json_real(rel)) ||
         nd_json_put(out->json, "points", json_integer((json_int_t)cnt));
    if (!rc) return ND_OK;
    nd_ude_plot_clear(out);
    return nd_error_fail(err, ND_ENOMEM, "out of memory");
}
