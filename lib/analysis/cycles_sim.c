/* Periodic orbits found by simulation: where a continuation cannot reach the stable
   spiking orbit from a Hopf point (it is born elsewhere, at a fold of cycles or a SNIC),
   a plain simulation settles on it. The trajectory's return to a point of its own past
   gives the period, and multiple shooting from there refines the orbit. The same
   simulations, one per parameter value, make the brute-force branch of models with
   resets, which shooting cannot follow. */
#include "cycles.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../models/model_ivp.h"
#include "../ode/solve.h"

/* Upward crossings kept to look for a return (the lag of a period-k orbit is k). */
enum { MAX_CROSS = 64 };

/* A point returns when every state lies within this fraction of its swing of the last
   crossing: loose, because crossings are interpolated linearly between solver steps and
   shooting corrects the rest. */
static const double RETURN_TOL = 1e-2;

/* What one simulation watches: the extent of every state from t_from on, and upward
   crossings of state v through level (their times and interpolated states). */
typedef struct watch {
    size_t n, v;
    double t_from, level;
    double *lo, *hi;        /* [n] extent after t_from */
    double *prev, tprev;    /* [n] the last point seen */
    int have_prev;
    double *cross;          /* [MAX_CROSS · n] ring of crossing states */
    double tcross[MAX_CROSS];
    size_t ncross;          /* crossings seen (the ring holds the last MAX_CROSS) */
} watch;

static int watch_point(void *ctx, double t, const double *y, int event, size_t which)
{
    (void)event, (void)which;
    watch *w = ctx;
    size_t n = w->n;
    if (t >= w->t_from) {
        for (size_t i = 0; i < n; i++) {
            w->lo[i] = fmin(w->lo[i], y[i]);
            w->hi[i] = fmax(w->hi[i], y[i]);
        }
        if (w->cross && w->have_prev && w->prev[w->v] < w->level && y[w->v] >= w->level) {
            double th = (w->level - w->prev[w->v]) / (y[w->v] - w->prev[w->v]);
            size_t k = w->ncross++ % MAX_CROSS;
            for (size_t i = 0; i < n; i++)
                w->cross[k * n + i] = w->prev[i] + th * (y[i] - w->prev[i]);
            w->tcross[k] = w->tprev + th * (t - w->tprev);
        }
    }
    memcpy(w->prev, y, n * sizeof *y);
    w->tprev = t;
    w->have_prev = 1;
    return 0;
}

/* Runs m with parameters p from y (left holding the end) over [0, t1], watched by w. A
   blow-up (ND_ESOLVER) is an answer about this parameter value, not a failure: it leaves
   err alone. */
static nd_status simulate(const nd_model *m, const double *p, double *y, double t1, watch *w,
                          nd_error *err)
{
    nd_error e = {0};
    nd_model_ivp *ivp = nd_model_ivp_create(m, p, NULL, -1, 0, t1, &e);
    if (!ivp) {
        if (err) *err = e;
        return e.code ? e.code : ND_ENOMEM;
    }
    for (size_t i = 0; i < w->n; i++) w->lo[i] = INFINITY, w->hi[i] = -INFINITY;
    w->have_prev = 0;
    w->ncross = 0;
    nd_ode_options o;
    nd_ode_options_default(&o);
    o.rtol = 1e-8;
    o.atol = 1e-9;
    nd_status st = nd_ode_solve(nd_model_ivp_problem(ivp), 0, t1, y, &o, NULL, 0, watch_point,
                                w, NULL, &e);
    nd_model_ivp_free(ivp);
    if (st != ND_OK && st != ND_ESOLVER && err) *err = e;
    return st;
}

/* The lag back to the most recent crossing that the last one returns to, as a period
   into *T with the last crossing's state into x; 0, or -1 when none returns. */
static int find_return(const watch *w, double *x, double *T)
{
    size_t n = w->n, have = w->ncross < MAX_CROSS ? w->ncross : MAX_CROSS;
    if (have < 3) return -1;
    size_t last = (w->ncross - 1) % MAX_CROSS;
    const double *xl = w->cross + last * n;
    for (size_t lag = 1; lag < have; lag++) {
        size_t j = (w->ncross - 1 - lag) % MAX_CROSS;
        int near = 1;
        for (size_t i = 0; near && i < n; i++)
            near = fabs(w->cross[j * n + i] - xl[i]) <= RETURN_TOL * (w->hi[i] - w->lo[i]) + 1e-12;
        if (near) {
            memcpy(x, xl, n * sizeof *x);
            *T = w->tcross[last] - w->tcross[j];
            return 0;
        }
    }
    return -1;
}

int nd_cycle_from_simulation(const nd_model *m, const double *p, const double *x0,
                             double tscale, nd_cycle *out, nd_error *err)
{
    memset(out, 0, sizeof *out);
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    double *buf = malloc((5 * n + MAX_CROSS * n + 1) * sizeof *buf);
    if (!buf) return nd_error_fail(err, ND_ENOMEM, "out of memory"), -1;
    double *y = buf, *x = y + n;
    watch w = {.n = n, .lo = x + n, .hi = x + 2 * n, .prev = x + 3 * n};
    memcpy(y, x0, n * sizeof *y);
    if (!(tscale > 0)) tscale = 1;
    double trans = fmax(1000, 100 * tscale), window = fmax(500, 50 * tscale), T = 0;
    int found = 0;
    /* first the transient, watching its last part for the swing of each state; then a
       window recording crossings of the widest-swinging state through its middle */
    w.t_from = trans - window;
    nd_status st = simulate(m, p, y, trans, &w, err);
    if (st == ND_OK) {
        double best = 0;
        for (size_t i = 0; i < n; i++) {
            double sw = (w.hi[i] - w.lo[i]) / (1 + fabs(w.hi[i]) + fabs(w.lo[i]));
            if (sw > best) best = sw, w.v = i;
        }
        if (best > 1e-6) {
            w.level = 0.5 * (w.lo[w.v] + w.hi[w.v]);
            w.cross = x + 4 * n;
            w.t_from = 0;
            st = simulate(m, p, y, window, &w, err);
            found = st == ND_OK && find_return(&w, x, &T) == 0;
        }
    }
    if (st != ND_OK && st != ND_ESOLVER) {
        free(buf);
        return -1;
    }
    if (found) {
        nd_error e2 = {0};
        found = nd_cycle_find(m, p, x, T, out, &e2) == ND_OK;
        if (!found && e2.code == ND_ENOMEM) {
            free(buf);
            return nd_error_fail(err, ND_ENOMEM, "out of memory"), -1;
        }
    }
    free(buf);
    return found;
}

nd_status nd_bif_brute_force(const nd_model *m, nd_bif_result *r, const nd_cycle_options *o,
                             nd_error *err)
{
    size_t n = r->dim, np = nd_model_count(m, ND_MODEL_PAR);
    size_t nv = o && o->brute_values ? o->brute_values : 41;
    if (nv < 2) nv = 2;
    double *buf = malloc((5 * n + np + 1) * sizeof *buf);
    if (!buf) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    double *y = buf, *p = y + n + n;
    watch w = {.n = n, .lo = y + n, .hi = p + np, .prev = p + np + n, .t_from = 500};
    memcpy(y, nd_model_inits(m), n * sizeof *y);
    memcpy(p, nd_model_pars(m), np * sizeof *p);
    nd_cycle_branch *c = nd_bif_add_cycle_branch(r, SIZE_MAX);
    nd_status st = c ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (c) c->simulated = 1, c->param_start = r->lo;
    for (size_t j = 0; st == ND_OK && j < nv; j++) {
        if (o && o->check && (st = o->check(o->check_ctx, err)) != ND_OK) break;
        double lam = r->lo + (r->hi - r->lo) * (double)j / (double)(nv - 1);
        p[r->par_index] = lam;
        st = simulate(m, p, y, 1000, &w, err);
        if (st == ND_ESOLVER) {   /* a blow-up at one value does not end the sweep */
            memcpy(y, nd_model_inits(m), n * sizeof *y);
            st = ND_OK;
            continue;
        }
        if (st == ND_OK && nd_cycle_branch_push(&r->cycles[r->ncycles - 1], n, lam, NAN, w.lo,
                                                w.hi, 1, NAN))
            st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    free(buf);
    return st;
}
