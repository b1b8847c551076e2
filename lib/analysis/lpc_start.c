/* Where LPC curves start. A fold of cycles is a point of a one-parameter cycle branch, so
   the simplest start is the branches of the first line of the box (par1 over the box at
   m's par2): each fold of cycles there starts a curve. A curve of folds of cycles also
   emanates from every Bautin point (Kuznetsov 3rd ed. §8.3: near it the normal form
   r' = r(β1 + β2 r² − r⁴) has its folds of cycles on β1 = −β2²/4, r² = β2/2), but there the
   cycles are of zero amplitude and the system degenerates; so the curve is started
   instead at the fold of the small cycles born at a subcritical Hopf point a little way
   along the Hopf curve from the Bautin point, found by a short one-parameter cycle
   continuation from that Hopf point across the Hopf curve. */
#include "codim2_impl.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cycles.h"

static nd_status check_interrupt(void *ctx, nd_error *err)
{
    const nd_c2_options *o = ctx;
    return o->check ? o->check(o->check_ctx, err) : ND_OK;
}

static void cycle_options(const nd_c2_options *o, nd_cycle_options *co)
{
    nd_cycle_options_default(co);
    co->from_hopf = 1;
    co->samples = o->lpc_samples;
    co->start = o->lpc_start;
    co->check = check_interrupt;
    co->check_ctx = (void *)o;
}

/* The curves through the folds of cycles of b (cycles continued in par[along] with the
   other parameter at v, m's otherwise); at most max of them (SIZE_MAX: all), nearest to
   near first when max is 1. */
static nd_status follow_folds(nd_c2_result *r, const nd_model *m, const int par[2], int along,
                              double v, const nd_bif_result *b, double near, size_t max,
                              const nd_c2_options *o, int *found, nd_error *err)
{
    size_t npar = nd_model_count(m, ND_MODEL_PAR);
    double *p = malloc(npar * sizeof *p);
    if (!p) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_status st = ND_OK;
    size_t best = b->npoints;
    for (size_t i = 0; i < b->npoints; i++)
        if (b->points[i].kind == ND_BIF_CYCLE_FOLD &&
            (best == b->npoints ||
             fabs(b->points[i].param - near) < fabs(b->points[best].param - near)))
            best = i;
    for (size_t i = 0; i < b->npoints && st == ND_OK; i++) {
        const nd_bif_point *bp = &b->points[i];
        if (bp->kind != ND_BIF_CYCLE_FOLD || (max == 1 && i != best)) continue;
        *found = 1;
        memcpy(p, nd_model_pars(m), npar * sizeof *p);
        p[par[1 - along]] = v;
        p[par[along]] = bp->param;
        if (!nd_c2_on_earlier(r, ND_C2_LPC, p[par[0]], p[par[1]], along))
            st = nd_c2_follow(r, m, ND_C2_LPC, par, bp->state, p, bp->period, o, err);
    }
    free(p);
    return st;
}

/* How far along the Hopf curve from a Bautin point its small cycles are taken (in the box
   scaled to the unit square): near enough for the fold to belong to the curve from the
   Bautin point, far enough for the fold's cycles to be larger than the first orbit of a
   cycle branch (1 % of the state's size). */
static const double BAUTIN_AWAY = 0.05;

/* The LPC curve next to Bautin point gh: the Hopf point on its curve at BAUTIN_AWAY on the
   subcritical side, a one-parameter cycle continuation from it (in the parameter across
   which the curve runs more steeply) and the curve through the fold of its cycles nearest
   the Hopf point. */
static nd_status from_bautin(nd_c2_result *r, const nd_model *m, const int par[2],
                             const nd_c2_point *gh, const nd_c2_options *o, int *found,
                             nd_error *err)
{
    const nd_c2_curve *cv = &r->curves[gh->curve];
    double w0 = r->hi[0] - r->lo[0], w1 = r->hi[1] - r->lo[1];
    size_t j = gh->index;
    int dir = 0;
    if (j + 1 < cv->n && cv->l1[j + 1] > 0) dir = 1;
    else if (j > 0 && cv->l1[j - 1] > 0) dir = -1;
    if (!dir) return ND_OK;
    while (j + (size_t)dir < cv->n && (dir > 0 || j > 0) &&
           hypot((cv->p1[j] - gh->p1) / w0, (cv->p2[j] - gh->p2) / w1) < BAUTIN_AWAY &&
           cv->l1[j + (size_t)dir] > 0)
        j += (size_t)dir;
    if (j == gh->index) return ND_OK;
    /* across the curve: along par1 where the curve runs more along par2 */
    size_t a = j > 0 ? j - 1 : j, b = j + 1 < cv->n ? j + 1 : j;
    int along = fabs(cv->p2[b] - cv->p2[a]) / w1 >= fabs(cv->p1[b] - cv->p1[a]) / w0 ? 0 : 1;
    nd_model *mc = nd_model_copy(m);
    const nd_model_item *it1 = nd_model_item_at(m, ND_MODEL_PAR, (size_t)par[1 - along]);
    double v = along ? cv->p1[j] : cv->p2[j], at = along ? cv->p2[j] : cv->p1[j];
    nd_bif_result *br = nd_bif_create(m, par[along], r->lo[along], r->hi[along]);
    nd_status st = ND_OK;
    if (!mc || !br || nd_model_set_par(mc, it1->name, v, NULL) != ND_OK) {
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    } else {
        nd_bif_point h = {.kind = ND_BIF_HOPF, .param = at, .omega = cv->omega[j],
                          .l1 = cv->l1[j], .period = 2 * M_PI / cv->omega[j]};
        if (nd_bif_add_point(br, &h, cv->state + j * r->dim)) {
            st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        } else {
            nd_cycle_options co;
            cycle_options(o, &co);
            co.samples = SIZE_MAX;
            co.max_points = 60;   /* the fold is near the Hopf point */
            st = nd_bif_continue_cycles(mc, br, &co, err);
            if (st == ND_OK)
                st = follow_folds(r, m, par, along, v, br, at, 1, o, found, err);
        }
    }
    nd_bif_free(br);
    nd_model_free(mc);
    return st;
}

nd_status nd_c2_lpc_curves(nd_c2_result *r, const nd_model *m, const int par[2], double v,
                           nd_bif_result *line, const nd_c2_options *o, int *found,
                           nd_error *err)
{
    nd_model *mc = nd_model_copy(m);
    if (!mc) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    const nd_model_item *it = nd_model_item_at(m, ND_MODEL_PAR, (size_t)par[1]);
    nd_status st = nd_model_set_par(mc, it->name, v, err);
    nd_cycle_options co;
    cycle_options(o, &co);
    if (st == ND_OK) st = nd_bif_continue_cycles(mc, line, &co, err);
    nd_model_free(mc);
    if (st == ND_OK) st = follow_folds(r, m, par, 0, v, line, 0, SIZE_MAX, o, found, err);
    /* the Bautin points of the Hopf curves (r->points grows: copy each) */
    for (size_t i = 0; st == ND_OK && i < r->npoints; i++) {
        if (r->points[i].kind != ND_C2_BAUTIN) continue;
        nd_c2_point gh = r->points[i];
        st = from_bautin(r, m, par, &gh, o, found, err);
    }
    return st;
}
