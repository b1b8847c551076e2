/* Branches of periodic orbits from Hopf points and through orbits found by simulation
   (their first orbits: cycles_start.c). The unknown is u = (X, T, λ), X the starts
   x_0 … x_7 of the shooting segments. Pseudo-arclength steps in
   scaled unknowns with the phase condition Σ_k ⟨f(x_k_prev), x_k − x_k_prev⟩ = 0. A fold
   of cycles is where the λ-component of the tangent changes sign; it is located by the
   Illinois method on the arclength of the step. A period doubling (a real multiplier
   through −1) or torus point (a complex pair through |μ| = 1) is where the count of such
   multipliers outside the unit circle changes; it is located by bisection on the
   arclength. A branch ends at the interval's edges, when the period blows up (its growth
   fitted to a homoclinic or SNIC law, cycles_end.c), or when it shrinks back to an
   equilibrium (another Hopf point, which then starts no branch of its own). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/blas.h"
#include "../base/root.h"
#include "cycles_end.h"
#include "cycles_walk.h"

enum { MAX_LOCATE = 40, BISECT = 20 };

/* Beyond this Floquet multiplier, errors of the integration are amplified past what
   Newton on the shooting map can correct (orbits lingering near a saddle). */
static const double MAX_MULT = 1e9;

/* Smallest cosine between consecutive tangents (about 14°) before the step is
   shortened: the segment starts make the tangent turn more than an equilibrium's. */
static const double MIN_COS = 0.97;


/* f at each segment start of u into out (L values). */
void nd_cwalk_flow(nd_cwalk *k, const double *u, double *out)
{
    k->s.p[k->s.par] = u[k->L + 1];
    for (size_t i = 0; i < k->L; i += k->n) nd_model_rhs(k->s.m, 0, u + i, k->s.p, out + i);
}

/* Appends the orbit of the last shot at u to the branch; 0 or -1. */
static int push_orbit(nd_cwalk *k, const double *u, double *mx)
{
    int stable;
    if (nd_shoot_floquet(&k->s, k->re, k->im, &k->triv, &stable, mx)) return -1;
    return nd_cycle_branch_push(&k->r->cycles[k->ci], k->n, u[k->L + 1], u[k->L], k->s.xmin,
                                k->s.xmax, stable, *mx);
}

/* The period limit as a multiple of the first orbit's: the option's, or dflt. */
double nd_cwalk_period_limit(const nd_cycle_options *o, double dflt)
{
    return o->max_period > 0 ? o->max_period : dflt;
}

/* The Floquet multipliers of the last shot into k->re, k->im, k->triv; 0 or -1. */
static int floquet_of_shot(nd_cwalk *k, double *mx)
{
    int stable;
    return nd_shoot_floquet(&k->s, k->re, k->im, &k->triv, &stable, mx);
}

/* Tangents t live in scaled unknowns (u_i / sc_i), so that a millivolt, a millisecond
   and a µA/cm² do not weigh the same; k->row becomes t in unscaled form. */
static void set_row(nd_cwalk *k, const double *t)
{
    for (size_t i = 0; i < k->nu; i++) k->row[i] = t[i] / k->sc[i];
}

/* k->o->check, remembered once it has stopped the work: the locating loops, which may run
   for a good part of a second, ask it at each correction but cannot return a status. */
static nd_status check(nd_cwalk *k)
{
    if (k->stop == ND_OK && k->o->check) k->stop = k->o->check(k->o->check_ctx, &k->stop_err);
    return k->stop;
}

/* Corrects the prediction at scaled arclength s along t from u (phase reference u,
   k->fu) into w; iterations or -1 (also when k->o->check stops the work). */
static int correct(nd_cwalk *k, const double *u, const double *t, double s, double *w)
{
    if (check(k) != ND_OK) return -1;
    set_row(k, t);
    for (size_t i = 0; i < k->nu; i++) w[i] = u[i] + s * k->sc[i] * t[i];
    return nd_shoot_newton(&k->s, w, k->nu, u, k->fu, k->row, nd_shoot_dot(k->row, u, k->nu) + s);
}

/* The scaled unit tangent at w just corrected (phase reference f(w)), oriented along the
   scaled tangent dir; its λ-component, or NAN. */
double nd_cwalk_tangent(nd_cwalk *k, const double *w, const double *dir, double *tw, double *fw)
{
    nd_cwalk_flow(k, w, fw);
    set_row(k, dir);
    if (nd_shoot_tangent(&k->s, fw, k->row, tw)) return NAN;
    for (size_t i = 0; i < k->nu; i++) tw[i] /= k->sc[i];
    double norm = sqrt(nd_shoot_dot(tw, tw, k->nu));
    for (size_t i = 0; i < k->nu; i++) tw[i] /= norm;
    return tw[k->L + 1];
}

/* What the root finder needs to evaluate the λ-component of the tangent along the step. */
typedef struct fold_probe {
    nd_cwalk *k;
    const double *u, *t;
    double *fw;
} fold_probe;

static double fold_test(void *ctx, double s)
{
    fold_probe *p = ctx;
    if (correct(p->k, p->u, p->t, s, p->k->w2) < 0) return NAN;
    return nd_cwalk_tangent(p->k, p->k->w2, p->t, p->k->tt, p->fw);
}

/* Locates the fold between u (tangent t, λ-component g0) and the point at arclength ds
   (g1) into k->w2; 0 or -1. The shot of w2 is the last one taken. */
static int locate_fold(nd_cwalk *k, const double *u, const double *t, double ds, double g0,
                       double g1, double *fw)
{
    fold_probe p = {k, u, t, fw};
    double s;
    return nd_root_illinois(fold_test, &p, 0, g0, ds, g1, 1e-9 * fabs(ds), MAX_LOCATE, &s);
}

/* Records the special point of this kind at k->w2 (its shot is the last) on the branch
   and among the points. */
static nd_status push_special(nd_cwalk *k, nd_bif_kind kind, nd_error *err)
{
    const double *w = k->w2;
    double mx;
    if (push_orbit(k, w, &mx)) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_bif_point pt = {.kind = kind, .param = w[k->L + 1], .omega = NAN,
                       .l1 = NAN, .period = w[k->L], .on_cycle = 1, .branch = k->ci,
                       .index = k->r->cycles[k->ci].n - 1};
    if (nd_bif_add_point(k->r, &pt, w)) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    return ND_OK;
}

/* Ends the branch exactly on the interval's edge between u (inside) and w (outside):
   interpolates, corrects with λ fixed there, and appends that orbit (nothing when Newton
   fails). 0, or -1 on ENOMEM. */
static int end_on_edge(nd_cwalk *k, const double *u, double *w, double edge)
{
    size_t L = k->L, nu = k->nu;
    double f = (edge - u[L + 1]) / (w[L + 1] - u[L + 1]), mx;
    for (size_t i = 0; i < nu; i++) {
        w[i] = u[i] + f * (w[i] - u[i]);
        k->row[i] = i == L + 1;
    }
    if (nd_shoot_newton(&k->s, w, nu, u, k->fu, k->row, edge) < 0) return 0;
    return push_orbit(k, w, &mx);
}

/* Ends the branch at the Hopf point nearest in λ to where it shrank: marks it reached and
   closes the branch with that point as an orbit of zero extent (stability as the last
   orbit), so the diagram's cycle curves meet the equilibria there. With no Hopf point
   nearby (within 2 % of the interval) the corrector has fallen onto an equilibrium: that
   is noted instead. 0, or -1 on ENOMEM. */
static int reach_hopf(nd_cwalk *k, double lam, int *reached)
{
    const nd_bif_result *r = k->r;
    size_t best = r->npoints;
    for (size_t i = 0; i < r->npoints; i++)
        if (r->points[i].kind == ND_BIF_HOPF &&
            (best == r->npoints ||
             fabs(r->points[i].param - lam) < fabs(r->points[best].param - lam)))
            best = i;
    nd_cycle_branch *c = &k->r->cycles[k->ci];
    if (c->n == 0) return 0;
    if (best == r->npoints || fabs(r->points[best].param - lam) > 0.02 * (k->hi - k->lo)) {
        char msg[160];
        snprintf(msg, sizeof msg, "the cycle branch stops at %s = %.6g: the next orbit "
                 "collapsed onto an equilibrium away from any Hopf point", r->param,
                 c->param[c->n - 1]);
        nd_bif_note(k->r, msg);
        return 0;
    }
    reached[best] = 1;
    const nd_bif_point *h = &r->points[best];
    return nd_cycle_branch_push(c, k->n, h->param, h->period, h->state, h->state,
                                c->stable[c->n - 1], c->mult_max[c->n - 1]);
}

/* Beyond this multiplier the others carry an absolute error of order 1 (the monodromy's
   entries times the integration's 1e-9), and whether one lies beyond −1 is noise. */
static const double MAX_RELIABLE = 1e5;

/* The multipliers of the last Floquet computation outside the unit circle that can
   cross it away from +1: real ones below −1 and complex pairs (counted once); both -1
   when they are not reliable. */
static void mult_counts(const nd_cwalk *k, double mult_max, int *npd, int *nns)
{
    *npd = *nns = 0;
    /* the trivial multiplier is exactly 1: where it comes out far from 1 (a canard, whose
       monodromy is badly conditioned) the others are no better */
    if (!(mult_max <= MAX_RELIABLE) || hypot(k->re[k->triv] - 1, k->im[k->triv]) > 1e-2) {
        *npd = *nns = -1;
        return;
    }
    for (size_t i = 0; i < k->n; i++) {
        if (i == k->triv) continue;
        double re = k->re[i], im = k->im[i];
        if (fabs(im) <= 1e-9 * (1 + fabs(re))) *npd += re < -1;
        else *nns += im > 0 && hypot(re, im) > 1;
    }
}

/* Locates where the counts (npd, nns) of u change along the step to ds (bisection on the
   arclength, re-correcting onto the branch each time), leaving that point in k->w2 as
   the last shot; 0 or -1. */
static int locate_cross(nd_cwalk *k, const double *u, const double *t, double ds, int npd,
                        int nns, int torus)
{
    double a = 0, b = ds, mx;
    for (int it = 0; it < BISECT; it++) {
        double c = 0.5 * (a + b);
        int p2, n2;
        if (correct(k, u, t, c, k->w2) < 0 || floquet_of_shot(k, &mx)) return -1;
        mult_counts(k, mx, &p2, &n2);
        if (p2 < 0) return -1;
        if ((torus ? n2 == nns : p2 == npd)) a = c;
        else b = c;
    }
    return correct(k, u, t, 0.5 * (a + b), k->w2) < 0 ? -1 : 0;
}

/* 1 when the located point (the last shot) has a multiplier on the unit circle where
   the bifurcation puts it: a real one at −1 (period doubling) or a complex pair of modulus
   1 away from +1 (torus). The counts also change where two real multipliers beyond −1
   meet and turn complex, or where the multiplier crossing +1 at a fold of cycles pairs
   numerically with the trivial one; neither is a crossing of the circle. */
static int on_circle(nd_cwalk *k, int torus)
{
    double mx;
    if (floquet_of_shot(k, &mx)) return 0;
    for (size_t i = 0; i < k->n; i++) {
        if (i == k->triv) continue;
        double re = k->re[i], im = k->im[i];
        int real = fabs(im) <= 1e-9 * (1 + fabs(re));
        if (!torus && real && fabs(re + 1) < 1e-2) return 1;
        if (torus && !real && fabs(hypot(re, im) - 1) < 1e-2 && fabs(atan2(im, re)) > 0.05)
            return 1;
    }
    return 0;
}

/* The special point for a period that diverges at the branch's end (homoclinic or SNIC,
   fitted; nothing when it does not grow), at the segment start of the last orbit u where
   the flow is slowest — near the saddle or the ghost of the saddle-node — with a note.
   1 when labelled, 0 when not, -1 on ENOMEM. */
static int explain_end(nd_cwalk *k, const double *u, double from)
{
    const nd_cycle_branch *c = &k->r->cycles[k->ci];
    double ps;
    int kind = nd_cycle_end_fit(c->param, c->period, c->n, &ps);
    if (kind < 0) return 0;
    if (ps < k->lo || ps > k->hi) ps = fmin(fmax(ps, k->lo), k->hi);
    size_t slow = 0;
    double fmin_ = INFINITY;
    for (size_t j = 0; j < k->L; j += k->n) {
        double f = sqrt(nd_shoot_dot(k->fu + j, k->fu + j, k->n));
        if (f < fmin_) fmin_ = f, slow = j;
    }
    nd_bif_point pt = {.kind = (nd_bif_kind)kind, .param = ps, .omega = NAN, .l1 = NAN,
                       .period = c->period[c->n - 1], .on_cycle = 1, .branch = k->ci,
                       .index = c->n - 1};
    char msg[320];
    if (kind == ND_BIF_SNIC)
        snprintf(msg, sizeof msg, "the cycle branch through %s = %.6g ends where its period "
                 "diverges like π/√(c|%s − %s*|): a saddle-node on the invariant circle "
                 "(SNIC) at %s* ≈ %.6g", k->r->param, from, k->r->param, k->r->param,
                 k->r->param, ps);
    else
        snprintf(msg, sizeof msg, "the cycle branch through %s = %.6g ends where its period "
                 "diverges like −a ln|%s − %s*|: a homoclinic orbit to a saddle at %s* ≈ %.6g",
                 k->r->param, from, k->r->param, k->r->param, k->r->param, ps);
    nd_bif_note(k->r, msg);
    return nd_bif_add_point(k->r, &pt, u + slow) ? -1 : 1;
}

/* 1 when a fold at lam is the fold at last seen again: along a canard λ is constant to
   ~1e-9 and the sign of the tangent's λ-component flips at nearly every step. Such flips
   between two orbits both this close to the last fold are not even located (each
   locating costs some 20 corrections). */
static int same_fold(const nd_cwalk *k, double lam, double last)
{
    return fabs(lam - last) < 1e-6 * (k->hi - k->lo);
}

/* The walk from the first orbit u (tangent t) of a branch starting at parameter from,
   ending where the period exceeds tmax. skip_first: u is on the branch already (the
   second direction through a simulated orbit). */
nd_status nd_cwalk_trace(nd_cwalk *k, double from, double tmax, double *u, double *t, int *reached,
                       int skip_first, nd_error *err)
{
    size_t L = k->L, nu = k->nu;
    size_t maxp = (k->o->max_points ? k->o->max_points : 400) + k->r->cycles[k->ci].n;
    double ds = k->o->ds > 0 ? k->o->ds : 0.02, ds_max = fmax(ds, 0.1), ds_min = ds * 1e-5;
    double *w = malloc((2 * nu + k->L) * sizeof *w);
    if (!w) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    double *tw = w + nu, *fw = tw + nu;
    double amp0 = nd_shoot_extent(&k->s), amp_big = amp0, last_fold = NAN;
    char msg[200];
    double mx0;
    int diverging = 0, npd, nns;
    nd_status st = ND_OK;
    if (skip_first ? floquet_of_shot(k, &mx0) : push_orbit(k, u, &mx0))
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    mult_counts(k, mx0, &npd, &nns);
    while (st == ND_OK) {
        if (k->r->cycles[k->ci].n >= maxp) {
            snprintf(msg, sizeof msg, "the cycle branch through %s = %.6g stopped after %zu "
                     "orbits", k->r->param, from, maxp);
            nd_bif_note(k->r, msg);
            diverging = 1;
            break;
        }
        if ((st = check(k)) != ND_OK) {
            if (err) *err = k->stop_err;
            break;
        }
        int its = correct(k, u, t, ds, w);
        int ok = its >= 0 && !isnan(nd_cwalk_tangent(k, w, t, tw, fw));
        double turn = ok ? nd_shoot_dot(t, tw, nu) : 0;
        if (ok && turn < MIN_COS && ds > 16 * ds_min) ok = 0;
        if (!ok) {
            ds /= 2;
            if (ds < ds_min) {
                snprintf(msg, sizeof msg, "the cycle branch through %s = %.6g stops at %s = "
                         "%.6g: the corrector failed", k->r->param, from, k->r->param, u[L + 1]);
                nd_bif_note(k->r, msg);
                diverging = 1;
                break;
            }
            continue;
        }
        double lam = w[L + 1], amp = nd_shoot_extent(&k->s);
        if (lam < k->lo || lam > k->hi) {
            if (end_on_edge(k, u, w, lam > k->hi ? k->hi : k->lo))
                st = nd_error_fail(err, ND_ENOMEM, "out of memory");
            break;
        }
        /* shrunk back to an equilibrium: the branch has reached a Hopf point */
        if (amp_big > 8 * amp0 && amp < fmax(0.5 * amp0, 0.02 * amp_big)) {
            if (reach_hopf(k, lam, reached)) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
            break;
        }
        if (w[L] > tmax) {
            diverging = 1;
            break;
        }
        amp_big = fmax(amp_big, amp);
        /* the multipliers of w, from its shot, before any locating overwrites it */
        int npd1, nns1, reshoot = 0;
        if (floquet_of_shot(k, &mx0)) {
            st = nd_error_fail(err, ND_ENOMEM, "out of memory");
            break;
        }
        mult_counts(k, mx0, &npd1, &nns1);
        for (int torus = 0; torus < 2 && st == ND_OK && npd >= 0 && npd1 >= 0; torus++) {
            if (torus ? nns1 == nns : npd1 == npd) continue;
            reshoot = 1;
            if (locate_cross(k, u, t, ds, npd, nns, torus) == 0 && on_circle(k, torus))
                st = push_special(k, torus ? ND_BIF_TORUS : ND_BIF_PERIOD_DOUBLING, err);
        }
        npd = npd1, nns = nns1;
        /* the fold lies before w in arclength, so it goes first; the locating overwrites
           the shot, so w is shot again (folds are rare). A turn at a tiny amplitude is the
           branch passing through a Hopf point: it ends there. */
        if (st == ND_OK && (t[L + 1] > 0) != (tw[L + 1] > 0) &&
            !(same_fold(k, u[L + 1], last_fold) && same_fold(k, lam, last_fold))) {
            reshoot = 1;
            if (locate_fold(k, u, t, ds, t[L + 1], tw[L + 1], fw) == 0) {
                if (nd_shoot_extent(&k->s) < 0.1 * amp_big) {
                    if (reach_hopf(k, k->w2[L + 1], reached))
                        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
                    break;
                }
                /* one fold along a canard, not ten */
                if (!same_fold(k, k->w2[L + 1], last_fold)) {
                    last_fold = k->w2[L + 1];
                    if ((st = push_special(k, ND_BIF_CYCLE_FOLD, err)) != ND_OK) break;
                }
            }
        }
        if (st != ND_OK) break;
        if (reshoot && nd_shoot_run(&k->s, w, w[L], lam)) {
            snprintf(msg, sizeof msg, "the cycle branch through %s = %.6g stops at %s = %.6g: "
                     "the integration failed", k->r->param, from, k->r->param, lam);
            nd_bif_note(k->r, msg);
            break;
        }
        double mx;
        if (push_orbit(k, w, &mx)) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        if (st == ND_OK && mx > MAX_MULT) {
            snprintf(msg, sizeof msg, "the cycle branch through %s = %.6g stops at %s = %.6g: "
                     "its cycles grow too unstable (Floquet multiplier %.3g) for shooting",
                     k->r->param, from, k->r->param, lam, mx);
            nd_bif_note(k->r, msg);
            memcpy(u, w, nu * sizeof *u);
            nd_cwalk_flow(k, u, k->fu);
            diverging = 1;
            break;
        }
        memcpy(u, w, nu * sizeof *u);
        memcpy(t, tw, nu * sizeof *t);
        nd_cwalk_flow(k, u, k->fu);
        if (its <= 3 && turn > 0.99) ds = fmin(ds * 1.5, ds_max);
        else if (its > 5) ds *= 0.6;
    }
    int explained = st == ND_OK && diverging ? explain_end(k, u, from) : 0;
    if (explained < 0) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK && diverging && !explained && w[L] > tmax) {
        snprintf(msg, sizeof msg, "the cycle branch through %s = %.6g ends near %s = %.6g "
                 "where its period grows without bound", k->r->param, from, k->r->param,
                 u[L + 1]);
        nd_bif_note(k->r, msg);
    }
    free(w);
    return st;
}

nd_status nd_bif_continue_cycles(const nd_model *m, nd_bif_result *r,
                                 const nd_cycle_options *o, nd_error *err)
{
    if (nd_model_nwhens(m) > 0) {
        /* shooting follows the smooth flow only; a reset would need the event map */
        nd_bif_note(r, "cycles of a model with resets (when …) are not continued: shooting "
                       "follows the smooth flow, not the jump. Shown instead: the brute-force "
                       "branch, the min and max of each state over 500 time units after a "
                       "transient of 500, simulated at each parameter value");
        return nd_bif_brute_force(m, r, o, err);
    }
    nd_cycle_options dflt;
    if (!o) {
        nd_cycle_options_default(&dflt);
        o = &dflt;
    }
    nd_cwalk k = {.r = r, .o = o, .n = r->dim, .L = ND_CYCLE_SEGMENTS * r->dim,
               .nu = ND_CYCLE_SEGMENTS * r->dim + 2, .lo = fmin(r->lo, r->hi),
               .hi = fmax(r->lo, r->hi)};
    size_t n = k.n, nu = k.nu, np = r->npoints;
    double *buf = malloc((k.L + 2 * n + 6 * nu) * sizeof *buf);
    int *reached = calloc(np ? np : 1, sizeof *reached);
    if (!buf || !reached ||
        nd_shoot_init(&k.s, m, nd_model_pars(m), r->par_index, ND_CYCLE_SEGMENTS)) {
        free(buf);
        free(reached);
        nd_shoot_free(&k.s);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    k.fu = buf;
    k.re = k.fu + k.L;
    k.im = k.re + n;
    k.sc = k.im + n;
    k.row = k.sc + nu;
    k.tt = k.row + nu;
    k.w2 = k.tt + nu;
    double *u = k.w2 + nu, *t = u + nu;
    nd_status st = ND_OK;
    int blas = nd_blas_threads(1);   /* the bordered solves have L + 2 unknowns */
    for (size_t i = 0; i < np && st == ND_OK && o->from_hopf; i++) {
        nd_bif_point h = r->points[i];   /* a copy: r->points grows with folds */
        if (h.kind != ND_BIF_HOPF || reached[i] || !(h.omega > 0)) continue;
        reached[i] = 1;
        if (nd_cwalk_start_hopf(&k, &h, u, t)) {
            char msg[160];
            snprintf(msg, sizeof msg, "no cycle could be started from the Hopf point at %s = "
                     "%.6g", r->param, h.param);
            nd_bif_note(r, msg);
            continue;
        }
        if (!nd_bif_add_cycle_branch(r, i)) {
            st = nd_error_fail(err, ND_ENOMEM, "out of memory");
            break;
        }
        k.ci = r->ncycles - 1;
        r->cycles[k.ci].param_start = h.param;
        st = nd_cwalk_trace(&k, h.param, nd_cwalk_period_limit(o, 50) * 2 * M_PI / h.omega, u, t, reached, 0, err);
    }
    /* a time scale for the simulations: the shortest Hopf period, if any */
    double tscale = 0;
    for (size_t i = 0; i < np; i++)
        if (r->points[i].kind == ND_BIF_HOPF && r->points[i].omega > 0 &&
            (tscale == 0 || r->points[i].period < tscale))
            tscale = r->points[i].period;
    if (isfinite(o->start)) {
        if (st == ND_OK) st = nd_cwalk_from_simulation(&k, o->start, tscale, 0, u, t, reached, err);
    } else if (o->samples != SIZE_MAX) {
        size_t ns = o->samples ? o->samples : 8;
        for (size_t j = 0; j < ns && st == ND_OK; j++)
            st = nd_cwalk_from_simulation(&k, k.lo + (k.hi - k.lo) * ((double)j + 0.5) / (double)ns,
                                 tscale, 1, u, t, reached, err);
    }
    nd_blas_threads(blas);
    free(buf);
    free(reached);
    nd_shoot_free(&k.s);
    return st;
}
