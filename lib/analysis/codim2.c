/* Two-parameter continuation, the driver: where curves start (the special points of
   one-parameter continuations along lines of the box) and which starts are new; the walk
   along each curve is codim2_walk.c. */
#include "codim2.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codim2_impl.h"
#include "continuation.h"
#include "equilibria.h"

int nd_c2_on_earlier(const nd_c2_result *r, int kind, double p1, double p2, int along)
{
    double q[2] = {p1, p2};
    int fix = along ? 0 : 1, free_ = 1 - fix;
    for (size_t c = 0; c < r->ncurves; c++) {
        const nd_c2_curve *cv = &r->curves[c];
        if (cv->kind != kind) continue;
        const double *P[2] = {cv->p1, cv->p2};
        for (size_t i = 0; i + 1 < cv->n; i++) {
            double a = P[fix][i] - q[fix], b = P[fix][i + 1] - q[fix];
            if ((a > 0) == (b > 0) && a != 0) continue;
            double f = a == b ? 0 : a / (a - b);
            double at = P[free_][i] + f * (P[free_][i + 1] - P[free_][i]);
            /* folds of cycles come in close pairs (born together at a cusp of cycles) */
            double tol = kind == ND_C2_LPC ? 1e-5 : 1e-3;
            if (fabs(at - q[free_]) <= tol * (r->hi[free_] - r->lo[free_])) return 1;
        }
    }
    return 0;
}

/* Where the other lines start: an equilibrium at the line's first point by Newton from
   the model's initial values, else from the first line's equilibrium nearest to it. The
   first line may fall back on a simulation (nd_bif_continue); the others are only a search
   for curves the first missed, and a simulation to rest costs far more than they do. 1
   and x set, or 0. */
static int line_start(const nd_model *mc, int along, double v,
                      const nd_bif_result *first, const nd_c2_result *r, double *x)
{
    size_t n = nd_model_count(mc, ND_MODEL_STATE);
    memcpy(x, nd_model_inits(mc), n * sizeof *x);
    double *p = (double *)nd_model_pars(mc);   /* not changed: Newton only reads it */
    if (nd_eq_newton(mc, p, x, 1e-12, 50, NULL) == ND_OK) return 1;
    if (!first || !first->nbranches || !first->branches[0].n) return 0;
    /* the first line runs along par[0] at the model's par[1]: its point nearest in par[0] */
    double target = along == 0 ? r->lo[0] : v;
    const nd_eq_branch *b = &first->branches[0];
    size_t best = 0;
    for (size_t i = 1; i < b->n; i++)
        if (fabs(b->param[i] - target) < fabs(b->param[best] - target)) best = i;
    memcpy(x, b->state + best * n, n * sizeof *x);
    return nd_eq_newton(mc, p, x, 1e-12, 50, NULL) == ND_OK;
}

/* The starting points: a one-parameter continuation along par[along] with the other
   parameter at v (line k; first: line 0's result, NULL for line 0 itself). *out NULL
   when a later line has no equilibrium to start from. */
static nd_status starts(const nd_model *m, const int par[2], const nd_c2_result *r, int along,
                        double v, const nd_bif_result *first, int k, nd_bif_result **out,
                        nd_error *err)
{
    *out = NULL;
    nd_model *mc = nd_model_copy(m);
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    double *x = malloc((n ? n : 1) * sizeof *x);
    if (!mc || !x) {
        nd_model_free(mc);
        free(x);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    const nd_model_item *it = nd_model_item_at(m, ND_MODEL_PAR, (size_t)par[1 - along]);
    nd_model_set_par(mc, it->name, v, NULL);
    it = nd_model_item_at(m, ND_MODEL_PAR, (size_t)par[along]);
    nd_model_set_par(mc, it->name, r->lo[along], NULL);
    nd_status st = ND_OK;
    if (k > 0 || along > 0) {
        if (!line_start(mc, along, v, first, r, x)) st = ND_ESOLVER;
        for (size_t i = 0; st == ND_OK && i < n; i++)
            nd_model_set_init(mc, nd_model_item_at(m, ND_MODEL_STATE, i)->name, x[i], NULL);
    }
    nd_cont_options co;
    nd_cont_options_default(&co);
    if (st == ND_OK)
        st = nd_bif_continue(mc, par[along], r->lo[along], r->hi[along], &co, out, err);
    nd_model_free(mc);
    free(x);
    return st;
}

/* The curves of kind through the special points of one-parameter result b (along
   par[along], the other parameter at v) not already on an earlier curve; *found is set
   when b has such a point. */
static nd_status follow_from(nd_c2_result *r, const nd_model *m, int kind, const int par[2],
                             int along, double v, const nd_bif_result *b,
                             const nd_c2_options *o, int *found, nd_error *err)
{
    size_t npar = nd_model_count(m, ND_MODEL_PAR);
    double *p = malloc(npar * sizeof *p);
    if (!p) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_status st = ND_OK;
    for (size_t i = 0; i < b->npoints && st == ND_OK; i++) {
        const nd_bif_point *bp = &b->points[i];
        if (bp->on_cycle || bp->kind != (kind == ND_C2_HOPF ? ND_BIF_HOPF : ND_BIF_FOLD))
            continue;
        *found = 1;
        memcpy(p, nd_model_pars(m), npar * sizeof *p);
        p[par[1 - along]] = v;
        p[par[along]] = bp->param;
        if (!nd_c2_on_earlier(r, kind, p[par[0]], p[par[1]], along))
            st = nd_c2_follow(r, m, kind, par, bp->state, p, bp->omega, o, err);
    }
    free(p);
    return st;
}

/* The lines searched for starting points: first along par1 at the model's par2 (the
   one-parameter diagram the user knows), then along each parameter at 4 more values of
   the other spread over the box (curves that miss the first line, such as isolas or a
   fold curve confined to another corner). */
enum { NLINES = 5 };

static double line_value(const nd_model *m, const nd_c2_result *r, const int par[2], int other,
                         int k)
{
    double v = nd_model_pars(m)[par[other]], lo = r->lo[other], hi = r->hi[other];
    if (k == 0) return v >= lo && v <= hi ? v : 0.5 * (lo + hi);
    return lo + (hi - lo) * (k - 0.5) / (NLINES - 1);
}

nd_status nd_c2_continue(const nd_model *m, int kinds, int par1, double lo1, double hi1,
                         int par2, double lo2, double hi2, const nd_c2_options *opts,
                         nd_c2_result **out, nd_error *err)
{
    *out = NULL;
    int npar = (int)nd_model_count(m, ND_MODEL_PAR);
    if (par1 < 0 || par2 < 0 || par1 >= npar || par2 >= npar || par1 == par2)
        return nd_error_fail(err, ND_EVALUE, "two different parameters of the model are needed");
    if (!(isfinite(lo1) && isfinite(hi1) && lo1 < hi1 && isfinite(lo2) && isfinite(hi2) &&
          lo2 < hi2))
        return nd_error_fail(err, ND_EVALUE, "each range needs two finite ends, a < b");
    if (!(kinds & (ND_C2_HOPF | ND_C2_FOLD | ND_C2_LPC)))
        return nd_error_fail(err, ND_EVALUE, "no curve kind asked for (hopf, fold, lpc)");
    nd_c2_options o;
    if (opts) o = *opts;
    else nd_c2_options_default(&o);
    if (!(o.ds > 0)) o.ds = 0.01;
    if (!(o.ds_max > 0)) o.ds_max = 0.05;
    if (!o.max_points) o.max_points = 1000;
    int par[2] = {par1, par2};
    double lo[2] = {lo1, lo2}, hi[2] = {hi1, hi2};
    nd_c2_result *r = nd_c2_create(m, par, lo, hi);
    if (!r) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_status st = ND_OK;
    int found = 0;
    nd_bif_result *first = NULL;
    for (int along = 0; along < 2 && st == ND_OK; along++)
        for (int k = 0; k < NLINES && st == ND_OK; k++) {
            double v = line_value(m, r, par, 1 - along, k);
            nd_bif_result *b = NULL;
            nd_error e1 = {0};
            st = starts(m, par, r, along, v, first, k, &b, &e1);
            if (st == ND_EINTERRUPT || st == ND_ENOMEM) {
                if (err) *err = e1;
                break;
            }
            st = ND_OK;   /* no equilibrium on this line: try the next */
            for (int kind = ND_C2_HOPF; b && kind <= ND_C2_FOLD && st == ND_OK; kind++)
                if (kinds & kind)
                    st = follow_from(r, m, kind, par, along, v, b, &o, &found, err);
            if (along == 0 && k == 0) first = b;
            else nd_bif_free(b);
        }
    if (st == ND_OK && (kinds & ND_C2_LPC) && first)
        st = nd_c2_lpc_curves(r, m, par, line_value(m, r, par, 1, 0), first, &o, &found, err);
    nd_bif_free(first);
    if (st == ND_OK && !found)
        st = nd_error_fail(err, ND_ESOLVER, "no %s to start from on the lines searched "
                           "(%d of %s over [%g, %g], %d of %s over [%g, %g])",
                           kinds == ND_C2_HOPF   ? "Hopf point"
                           : kinds == ND_C2_FOLD ? "fold"
                           : kinds == ND_C2_LPC  ? "fold of cycles"
                                                 : "special point",
                           NLINES, r->par[0], lo1, hi1, NLINES, r->par[1], lo2, hi2);
    if (st != ND_OK) {
        nd_c2_free(r);
        return st;
    }
    *out = r;
    return ND_OK;
}
