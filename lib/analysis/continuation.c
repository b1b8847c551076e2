/* Pseudo-arclength continuation of equilibria. The unknown is u = (x, λ) in R^(n+1); a
   step predicts u + ds·t along the unit tangent t and corrects with Newton on the bordered
   system [f(u) = 0; t·(u − u_prev) = ds], whose matrix [f_x f_λ; tᵀ] stays regular at
   folds, so the branch turns around them. Test functions between consecutive points:
   fold — the λ-component of the tangent changes sign; Hopf — two more (or fewer)
   eigenvalues with nonzero imaginary part sit right of the axis while the real ones do
   not account for it (a neutral saddle, μ and −μ real, is never complex and so never
   counted). Each is then located by the Illinois method on the arclength of the step,
   re-correcting onto the branch at every trial, to ~1e-12 of the step. */
#include "continuation.h"

#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/root.h"
#include "equilibria.h"
#include "hopf.h"
#include "../models/model_ivp.h"
#include "../ode/solve.h"

/* Newton iterations per corrector before the step is halved. */
enum { MAX_NEWTON = 12, MAX_LOCATE = 100 };

/* Smallest cosine of the angle between consecutive tangents. */
static const double MIN_COS = 0.995;

typedef struct cont {
    const nd_model *m;
    double *p;           /* the parameter vector; p[par] follows λ */
    int par;
    size_t n, N, npar;   /* states, unknowns (n + 1), parameters */
    double *A, *rhs;     /* the bordered matrix (N x N) and right-hand side (N) */
    double *v;           /* N values of scratch for the λ-differences of fill_jac */
    double *J, *Jp;      /* ∂f/∂x (n x n), ∂f/∂p (n x npar) */
    double *F;           /* f (n values), then ∂f/∂λ (n values) */
    double *re, *im;     /* eigenvalues (n each) */
    double *tt, *wt;     /* scratch of N values for the locating (tangent, trial point) */
    lapack_int *piv;
    double tol;
} cont;

/* What the detection needs of a branch point. */
typedef struct bpoint {
    int nu_real, nu_cplx;  /* eigenvalues right of the axis: real, complex */
    double lead_re, lead_im;
} bpoint;

static int cont_init(cont *c, const nd_model *m, int par, double tol)
{
    memset(c, 0, sizeof *c);
    c->m = m;
    c->par = par;
    c->n = nd_model_count(m, ND_MODEL_STATE);
    c->N = c->n + 1;
    c->npar = nd_model_count(m, ND_MODEL_PAR);
    c->tol = tol;
    size_t n = c->n, N = c->N;
    size_t total = c->npar + N * N + 2 * N + n * n + n * c->npar + 2 * n + 2 * n + 2 * N;
    c->p = malloc(total * sizeof(double));
    c->piv = malloc(N * sizeof *c->piv);
    if (!c->p || !c->piv) return -1;
    memcpy(c->p, nd_model_pars(m), c->npar * sizeof *c->p);
    c->A = c->p + c->npar;
    c->rhs = c->A + N * N;
    c->v = c->rhs + N;
    c->J = c->v + N;
    c->Jp = c->J + n * n;
    c->F = c->Jp + n * c->npar;
    c->re = c->F + 2 * n;
    c->im = c->re + n;
    c->tt = c->im + n;
    c->wt = c->tt + N;
    return 0;
}

static void cont_free(cont *c)
{
    free(c->p);
    free(c->piv);
}

static void set_lambda(cont *c, double lam) { c->p[c->par] = lam; }

/* F(u) into c->F; 0 or -1 when not finite. */
static int eval_f(cont *c, const double *u)
{
    set_lambda(c, u[c->n]);
    nd_model_rhs(c->m, 0, u, c->p, c->F);
    for (size_t i = 0; i < c->n; i++)
        if (!isfinite(c->F[i])) return -1;
    return 0;
}

/* Fills the first n rows of the bordered matrix with [f_x f_λ] at u. */
static int fill_jac(cont *c, const double *u)
{
    size_t n = c->n, N = c->N;
    set_lambda(c, u[n]);
    if (nd_eq_jacobian(c->m, c->p, u, c->J, NULL) != ND_OK) return -1;
    double *fl = c->F + n;
    if (nd_model_has_jac(c->m) && nd_model_jacp(c->m, 0, u, c->p, c->Jp) == 0) {
        for (size_t i = 0; i < n; i++) fl[i] = c->Jp[i * c->npar + (size_t)c->par];
    } else {   /* central differences in λ, as nd_eq_jacobian does for x */
        double lam = u[n], h = 1e-6 * fmax(1, fabs(lam));
        double *fp = c->v;   /* scratch of N >= n values */
        set_lambda(c, lam + h);
        nd_model_rhs(c->m, 0, u, c->p, fp);
        set_lambda(c, lam - h);
        nd_model_rhs(c->m, 0, u, c->p, fl);
        for (size_t i = 0; i < n; i++) fl[i] = (fp[i] - fl[i]) / (2 * h);
        set_lambda(c, lam);
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(c->A + i * N, c->J + i * n, n * sizeof(double));
        c->A[i * N + n] = fl[i];
        if (!isfinite(fl[i])) return -1;
    }
    return 0;
}

static void normalize(double *t, size_t N)
{
    double s = 0;
    for (size_t i = 0; i < N; i++) s += t[i] * t[i];
    s = sqrt(s);
    for (size_t i = 0; i < N; i++) t[i] /= s;
}

static double dot(const double *a, const double *b, size_t N)
{
    double s = 0;
    for (size_t i = 0; i < N; i++) s += a[i] * b[i];
    return s;
}

/* The unit tangent at u (the kernel of [f_x f_λ]), oriented along dir; 0 or -1. */
static int tangent(cont *c, const double *u, const double *dir, double *t)
{
    size_t n = c->n, N = c->N;
    if (fill_jac(c, u)) return -1;
    memcpy(c->A + n * N, dir, N * sizeof(double));
    memset(t, 0, N * sizeof *t);
    t[n] = 1;
    if (LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)N, 1, c->A, (lapack_int)N, c->piv, t, 1))
        return -1;
    normalize(t, N);
    if (dot(t, dir, N) < 0)
        for (size_t i = 0; i < N; i++) t[i] = -t[i];
    return 0;
}

/* Corrects u + s·t onto the branch within the hyperplane t·(w − u) = s; the number of
   Newton iterations, or -1 without convergence. */
static int correct(cont *c, const double *u, const double *t, double s, double *w)
{
    size_t n = c->n, N = c->N;
    for (size_t i = 0; i < N; i++) w[i] = u[i] + s * t[i];
    for (int it = 1; it <= MAX_NEWTON; it++) {
        if (eval_f(c, w) || fill_jac(c, w)) return -1;
        memcpy(c->A + n * N, t, N * sizeof(double));
        for (size_t i = 0; i < n; i++) c->rhs[i] = -c->F[i];
        double g = -s;
        for (size_t i = 0; i < N; i++) g += t[i] * (w[i] - u[i]);
        c->rhs[n] = -g;
        if (LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)N, 1, c->A, (lapack_int)N, c->piv,
                          c->rhs, 1))
            return -1;
        int small = 1;
        for (size_t i = 0; i < N; i++) {
            w[i] += c->rhs[i];
            if (!(fabs(c->rhs[i]) <= c->tol * (1 + fabs(w[i])))) small = 0;
        }
        if (small) return it;
    }
    return -1;
}

/* Eigenvalues at u into c->re/im and the counts of bp; 0 or -1. */
static int spectrum(cont *c, const double *u, bpoint *bp)
{
    set_lambda(c, u[c->n]);
    if (nd_eq_eigen(c->m, c->p, u, c->re, c->im, NULL) != ND_OK) return -1;
    bp->nu_real = bp->nu_cplx = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (!(c->re[i] > 0)) continue;
        if (c->im[i] != 0) bp->nu_cplx++;
        else bp->nu_real++;
    }
    bp->lead_re = c->n ? c->re[0] : 0;
    bp->lead_im = c->n ? fabs(c->im[0]) : 0;
    return 0;
}

/* ---- locating special points ---- */

/* The Hopf test at w: the real part of the complex eigenvalue (Im > 0) nearest to
   *track, which is updated; NAN when no complex eigenvalue is left (no Hopf there). */
static double hopf_test(cont *c, const double *w, double *track_re, double *track_im)
{
    bpoint bp;
    if (spectrum(c, w, &bp)) return NAN;
    double best = INFINITY;
    size_t k = c->n;
    for (size_t i = 0; i < c->n; i++) {
        if (!(c->im[i] > 0)) continue;
        double d = hypot(c->re[i] - *track_re, c->im[i] - *track_im);
        if (d < best) best = d, k = i;
    }
    if (k == c->n) return NAN;
    *track_re = c->re[k];
    *track_im = c->im[k];
    return c->re[k];
}

/* Value of the test function of kind at arclength s from a (with tangent ta); the
   corrected point goes to w. */
static double test_at(cont *c, nd_bif_kind kind, const double *a, const double *ta, double s,
                      double *w, double *tr, double *ti)
{
    if (correct(c, a, ta, s, w) < 0) return NAN;
    if (kind == ND_BIF_FOLD) return tangent(c, w, ta, c->tt) ? NAN : c->tt[c->n];
    return hopf_test(c, w, tr, ti);
}

/* What the root finder needs to evaluate the test function along the step. */
typedef struct probe {
    cont *c;
    nd_bif_kind kind;
    const double *a, *ta;
    double *w, *tr, *ti;
} probe;

static double probe_test(void *ctx, double s)
{
    probe *p = ctx;
    return test_at(p->c, p->kind, p->a, p->ta, s, p->w, p->tr, p->ti);
}

/* Finds s in (0, ds) where the test changes sign (g0 at 0, g1 at ds); the point goes to
   w, its s to *s_out. 0, or -1 on failure. */
static int locate(cont *c, nd_bif_kind kind, const double *a, const double *ta, double ds,
                  double g0, double g1, double *w, double *s_out, double *tr, double *ti)
{
    probe p = {c, kind, a, ta, w, tr, ti};
    return nd_root_illinois(probe_test, &p, 0, g0, ds, g1, 1e-12 * fabs(ds), MAX_LOCATE,
                            s_out);
}

/* ---- the walk ---- */

typedef struct event {
    nd_bif_kind kind;
    double s;
    double *w;           /* N values */
    double omega;
} event;

typedef struct walk {
    cont c;
    nd_bif_result *r;
    nd_eq_branch *b;
    size_t branch;
    double lo, hi;       /* the interval, lo < hi */
} walk;

static nd_status push_point(walk *k, const double *u, nd_error *err)
{
    bpoint bp;
    if (spectrum(&k->c, u, &bp))
        return nd_error_fail(err, ND_ESOLVER, "eigenvalues failed at %s = %g", k->r->param,
                             u[k->c.n]);
    if (nd_eq_branch_push(k->b, k->c.n, u[k->c.n], u, bp.nu_real + bp.nu_cplx, bp.lead_re,
                          bp.lead_im))
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    return ND_OK;
}

static nd_status push_event(walk *k, const event *e, nd_error *err)
{
    nd_status st = push_point(k, e->w, err);
    if (st != ND_OK) return st;
    nd_bif_point pt = {.kind = e->kind, .param = e->w[k->c.n], .omega = NAN, .l1 = NAN,
                       .period = NAN, .branch = k->branch, .index = k->b->n - 1};
    if (e->kind == ND_BIF_HOPF) {
        pt.omega = e->omega;
        pt.period = 2 * M_PI / e->omega;
        set_lambda(&k->c, pt.param);
        double l1;
        if (nd_hopf_l1(k->c.m, k->c.p, e->w, e->omega, &l1, NULL) == ND_OK) pt.l1 = l1;
    }
    if (nd_bif_add_point(k->r, &pt, e->w)) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    return ND_OK;
}

/* Finds the special points between a (tangent ta) and the corrected point at
   arclength ds; appends them sorted by s into ev (at most 2). */
static int detect(walk *k, const double *a, const double *ta, const bpoint *pa,
                  const double *tb, const bpoint *pb, double ds, event *ev)
{
    cont *c = &k->c;
    int ne = 0;
    double tr = 0, ti = 0, s;
    if ((ta[c->n] > 0) != (tb[c->n] > 0) &&
        locate(c, ND_BIF_FOLD, a, ta, ds, ta[c->n], tb[c->n], ev[ne].w, &s, &tr, &ti) == 0) {
        ev[ne].kind = ND_BIF_FOLD;
        ev[ne].s = s;
        ev[ne++].omega = NAN;
    }
    int dc = pb->nu_cplx - pa->nu_cplx, dr = pb->nu_real - pa->nu_real;
    /* a complex pair moving across, not one splitting into two reals on the right */
    if ((dc == 2 || dc == -2) && dr != -dc) {
        /* start tracking the complex eigenvalue of a nearest to the axis on the side it
           leaves */
        bpoint tmp;
        if (spectrum(c, a, &tmp)) return ne;
        double best = INFINITY;
        for (size_t i = 0; i < c->n; i++)
            if (c->im[i] > 0 && (dc > 0 ? c->re[i] <= 0 : c->re[i] > 0) &&
                fabs(c->re[i]) < best)
                best = fabs(c->re[i]), tr = c->re[i], ti = c->im[i];
        if (best == INFINITY) return ne;
        double g0 = tr, r1 = tr, i1 = ti;
        double g1 = test_at(c, ND_BIF_HOPF, a, ta, ds, c->wt, &r1, &i1);
        if (!isnan(g1) && (g0 > 0) != (g1 > 0) &&
            locate(c, ND_BIF_HOPF, a, ta, ds, g0, g1, ev[ne].w, &s, &tr, &ti) == 0 &&
            ti > 1e-9) {
            ev[ne].kind = ND_BIF_HOPF;
            ev[ne].s = s;
            ev[ne++].omega = ti;
        }
    }
    if (ne == 2 && ev[1].s < ev[0].s) {
        event t = ev[0];
        ev[0] = ev[1];
        ev[1] = t;
    }
    return ne;
}

/* The equilibrium at λ = lam near x (Newton with λ fixed) into u; 0 or -1. */
static int solve_at(walk *k, double lam, double *u)
{
    set_lambda(&k->c, lam);
    u[k->c.n] = lam;
    return nd_eq_newton(k->c.m, k->c.p, u, 1e-12, 50, NULL) == ND_OK ? 0 : -1;
}

/* Lets a simulation run to rest from the model's initial values when Newton fails there. */
static int rest_by_simulation(walk *k, double *u)
{
    nd_model_ivp *ivp = nd_model_ivp_create(k->c.m, k->c.p, NULL, -1, 0, 2000, NULL);
    if (!ivp) return -1;
    nd_ode_options o;
    nd_ode_options_default(&o);
    o.max_steps = 200000;
    nd_status st = nd_ode_solve(nd_model_ivp_problem(ivp), 0, 2000, u, &o, NULL, 0, NULL,
                                NULL, NULL, NULL);
    nd_model_ivp_free(ivp);
    return st == ND_OK ? 0 : -1;
}

/* Searches for the equilibria at the current λ (Newton from a grid around the initial
   values, and from u, where a simulation ended) when neither Newton from the initial
   values nor a simulation to rest reached one: a model that oscillates at the interval's
   start still has an (unstable) equilibrium to continue from. Takes the one nearest the
   initial values, so the start does not depend on the grid's order; 0 or -1. */
static int rest_by_search(walk *k, double *u)
{
    size_t n = k->c.n;
    const double *x0 = nd_model_inits(k->c.m);
    double *lo = malloc(2 * n * sizeof *lo), *hi = lo ? lo + n : NULL;
    nd_eq_list l;
    nd_eq_list_init(&l, n);
    int found = -1;
    if (lo) {
        nd_eq_seeds seeds = {lo, hi, 0, u, 1};
        if (nd_eq_default_box(k->c.m, k->c.p, x0, lo, hi) == ND_OK &&
            nd_eq_find_all(k->c.m, k->c.p, &seeds, &l, NULL) == ND_OK) {
            double best = INFINITY;
            for (size_t j = 0; j < l.count; j++) {
                double d = 0;
                for (size_t i = 0; i < n; i++) {
                    double e = (l.x[j * n + i] - x0[i]) / (hi[i] - lo[i]);
                    d += e * e;
                }
                if (d < best) best = d, found = (int)j;
            }
            if (found >= 0) memcpy(u, l.x + (size_t)found * n, n * sizeof *u);
        }
    }
    nd_eq_list_free(&l);
    free(lo);
    return found >= 0 ? 0 : -1;
}

/* The walk from u (with tangent t) until the interval's end, max_points, or failure. */
static nd_status trace(walk *k, double *u, double *t, const nd_cont_options *o, double ds,
                       double ds_min, double ds_max, size_t max_points, nd_error *err)
{
    cont *c = &k->c;
    size_t N = c->N;
    double *w = malloc(4 * N * sizeof *w);
    if (!w) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    double *tw = w + N, *e0 = tw + N, *e1 = e0 + N;
    event ev[2] = {{.w = e0}, {.w = e1}};
    bpoint pa, pb;
    nd_status st = spectrum(c, u, &pa) ? nd_error_fail(err, ND_ESOLVER, "eigenvalues failed")
                                       : ND_OK;
    while (st == ND_OK) {
        if (k->b->n >= max_points) {
            nd_bif_note(k->r, "stopped at the maximum number of points (maxpoints=)");
            break;
        }
        if (o->check && (st = o->check(o->check_ctx, err)) != ND_OK) break;
        int its = correct(c, u, t, ds, w);
        /* a turn of more than ~6 degrees in one step would draw a corner and could skip
           over a pair of close special points: take a shorter step */
        int ok = its >= 0 && tangent(c, w, t, tw) == 0 && spectrum(c, w, &pb) == 0;
        double turn = ok ? dot(t, tw, N) : 0;
        if (ok && turn < MIN_COS && ds > 16 * ds_min) ok = 0;
        if (!ok) {
            ds /= 2;
            if (ds < ds_min) {
                char msg[160];
                snprintf(msg, sizeof msg, "the corrector failed near %s = %.6g; the branch "
                         "stops there", k->r->param, u[c->n]);
                nd_bif_note(k->r, msg);
                break;
            }
            continue;
        }
        double lam = w[c->n];
        int out = lam > k->hi || lam < k->lo;
        int ne = detect(k, u, t, &pa, tw, &pb, ds, ev);
        for (int i = 0; i < ne && st == ND_OK; i++)
            if (ev[i].w[c->n] >= k->lo && ev[i].w[c->n] <= k->hi) st = push_event(k, &ev[i], err);
        if (st != ND_OK) break;
        if (out) {
            /* end exactly on the interval's edge: interpolate, then Newton with λ fixed */
            double edge = lam > k->hi ? k->hi : k->lo, f = (edge - u[c->n]) / (lam - u[c->n]);
            for (size_t i = 0; i < N; i++) w[i] = u[i] + f * (w[i] - u[i]);
            if (solve_at(k, edge, w) == 0) st = push_point(k, w, err);
            break;
        }
        if ((st = push_point(k, w, err)) != ND_OK) break;
        memcpy(u, w, N * sizeof *u);
        memcpy(t, tw, N * sizeof *t);
        pa.nu_real = pb.nu_real;
        pa.nu_cplx = pb.nu_cplx;
        /* few iterations: the branch is straight here; many: it bends */
        if (its <= 3 && turn > 0.999) ds = fmin(ds * 1.5, ds_max);
        else if (its > 6) ds *= 0.6;
    }
    free(w);
    return st;
}

nd_status nd_bif_continue(const nd_model *m, int par, double lo, double hi,
                          const nd_cont_options *opts, nd_bif_result **out, nd_error *err)
{
    *out = NULL;
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    if (par < 0 || (size_t)par >= nd_model_count(m, ND_MODEL_PAR))
        return nd_error_fail(err, ND_EVALUE, "no such parameter");
    if (!(isfinite(lo) && isfinite(hi) && lo != hi))
        return nd_error_fail(err, ND_EVALUE, "the interval must have two different finite ends");
    if (n == 0) return nd_error_fail(err, ND_EVALUE, "the model has no state variables");
    nd_cont_options o;
    if (opts) o = *opts;
    else nd_cont_options_default(&o);
    double len = fabs(hi - lo);
    double ds = o.ds > 0 ? o.ds : len / 100, ds_max = o.ds_max > 0 ? o.ds_max : len / 20;
    double ds_min = o.ds_min > 0 ? o.ds_min : ds * 1e-6;
    ds = fmin(ds, ds_max);
    size_t maxp = o.max_points ? o.max_points : 2000;
    walk k = {.lo = fmin(lo, hi), .hi = fmax(lo, hi)};
    k.r = nd_bif_create(m, par, lo, hi);
    double *u = malloc(2 * (n + 1) * sizeof *u);
    if (!k.r || !u || cont_init(&k.c, m, par, o.tol > 0 ? o.tol : 1e-10)) {
        free(u);
        cont_free(&k.c);
        nd_bif_free(k.r);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    double *t = u + n + 1;
    nd_status st = ND_OK;
    memcpy(u, nd_model_inits(m), n * sizeof *u);
    if (solve_at(&k, lo, u)) {
        memcpy(u, nd_model_inits(m), n * sizeof *u);
        set_lambda(&k.c, lo);
        if ((rest_by_simulation(&k, u) || solve_at(&k, lo, u))
            && (rest_by_search(&k, u) || solve_at(&k, lo, u)))
            st = nd_error_fail(err, ND_ESOLVER, "no equilibrium found at %s = %g (Newton from "
                               "the initial values and from a grid around them failed, and a "
                               "simulation did not come to rest)", k.r->param, lo);
    }
    if (st == ND_OK) {
        double *dir = malloc((n + 1) * sizeof *dir);
        if (dir) {
            memset(dir, 0, (n + 1) * sizeof *dir);
            dir[n] = hi > lo ? 1 : -1;
        }
        k.b = dir ? nd_bif_add_branch(k.r) : NULL;
        if (!k.b) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        else if (tangent(&k.c, u, dir, t))
            st = nd_error_fail(err, ND_ESOLVER, "the equilibrium at %s = %g is singular: no "
                               "tangent to start from", k.r->param, lo);
        free(dir);
    }
    if (st == ND_OK) st = push_point(&k, u, err);
    if (st == ND_OK) st = trace(&k, u, t, &o, ds, ds_min, ds_max, maxp, err);
    free(u);
    cont_free(&k.c);
    if (st != ND_OK) {
        nd_bif_free(k.r);
        return st;
    }
    *out = k.r;
    return ND_OK;
}
