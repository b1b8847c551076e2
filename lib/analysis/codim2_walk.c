/* Two-parameter continuation, the walk along one fold or Hopf curve and the
   codimension-2 points on it. Pseudo-arclength in scaled unknowns (states by max(1, |x|),
   parameters by the box's width) so that "a step" means the same in both parameters;
   Newton on the bordered system [G(w) = 0; t·(w − u) = ds] as in the one-parameter code.
   Between two accepted points the test functions are compared (Kuznetsov 3rd ed. §10.3;
   MatCont's choices, Dhooge, Govaerts & Kuznetsov 2003):
     Hopf curve — BT: κ = ω² through 0 (the curve ends there: beyond it the system
     describes a neutral saddle); zero-Hopf: det A through 0; Bautin: l1 through 0;
     double Hopf: another complex pair crosses the axis (counted, then tracked);
     fold curve — BT: ⟨w, v⟩ through 0 (left and right null vectors orthogonal: a Jordan
     block); cusp: ⟨w, B(v, v)⟩ through 0; zero-Hopf: a complex pair crosses the axis.
   Each sign change is located by the Illinois method on the arclength of the step, every
   trial re-corrected onto the curve. */
#include "codim2_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/root.h"

enum { MAX_NEWTON = 10, MAX_LOCATE = 60, MAX_EVENTS = 4 };
static const double MIN_COS = 0.99;

typedef struct walker {
    nd_c2_sys S;
    nd_c2_result *r;
    size_t ci;                 /* the curve being traced */
    double *F, *Jac, *Mat, *t_scratch, *w2;
    lapack_int *piv;
    double tol;
} walker;

typedef struct event {
    nd_c2_kind kind;
    double s;
    double *u;                 /* N values */
    double l1a, l1b;
} event;

static double dot(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

/* Newton from the predictor w on G(w) = 0, cᵀw = target; the iterations, or -1. */
static int correct(walker *W, const double *c, double target, double *w)
{
    nd_c2_sys *S = &W->S;
    size_t N = S->N, M = S->M;
    for (int it = 1; it <= MAX_NEWTON; it++) {
        if (nd_c2_eval(S, w, W->F, W->Jac)) return -1;
        memcpy(W->Mat, W->Jac, M * N * sizeof *W->Mat);
        memcpy(W->Mat + M * N, c, N * sizeof *c);
        W->F[M] = dot(c, w, N) - target;
        for (size_t i = 0; i < N; i++) W->F[i] = -W->F[i];
        if (LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)N, 1, W->Mat, (lapack_int)N, W->piv, W->F,
                          1))
            return -1;
        int small = 1;
        for (size_t i = 0; i < N; i++) {
            w[i] += W->F[i];
            if (!(fabs(W->F[i]) <= W->tol * (1 + fabs(w[i])))) small = 0;
        }
        if (small) return it;
    }
    return -1;
}

/* The step from u along t by s into w. */
static int step(walker *W, const double *u, const double *t, double s, double *w)
{
    size_t N = W->S.N;
    for (size_t i = 0; i < N; i++) w[i] = u[i] + s * t[i];
    return correct(W, t, dot(t, u, N) + s, w);
}

static void normalize(double *t, size_t N)
{
    double s = sqrt(dot(t, t, N));
    for (size_t i = 0; i < N; i++) t[i] /= s;
}

/* The unit tangent at u oriented along dir (the kernel of G' bordered by dir); 0 or -1. */
static int tangent(walker *W, const double *u, const double *dir, double *t)
{
    nd_c2_sys *S = &W->S;
    size_t N = S->N, M = S->M;
    if (nd_c2_eval(S, u, W->F, W->Jac)) return -1;
    memcpy(W->Mat, W->Jac, M * N * sizeof *W->Mat);
    memcpy(W->Mat + M * N, dir, N * sizeof *dir);
    memset(t, 0, N * sizeof *t);
    t[M] = 1;
    if (LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)N, 1, W->Mat, (lapack_int)N, W->piv, t, 1))
        return -1;
    normalize(t, N);
    if (dot(t, dir, N) < 0)
        for (size_t i = 0; i < N; i++) t[i] = -t[i];
    return 0;
}

/* The tangent at the start, where no direction is known yet: the right singular vector of
   G' for its smallest singular value, oriented to increase the second parameter (else the
   first). 0 or -1. */
static int first_tangent(walker *W, const double *u, double *t)
{
    nd_c2_sys *S = &W->S;
    size_t N = S->N, M = S->M;
    if (nd_c2_eval(S, u, W->F, W->Jac)) return -1;
    double *sv = malloc((N + N * N + N) * sizeof *sv);
    if (!sv) return -1;
    double *vt = sv + N, *sup = vt + N * N;
    memcpy(W->Mat, W->Jac, M * N * sizeof *W->Mat);
    int rc = LAPACKE_dgesvd(LAPACK_ROW_MAJOR, 'N', 'A', (lapack_int)M, (lapack_int)N, W->Mat,
                            (lapack_int)N, sv, NULL, 1, vt, (lapack_int)N, sup) ? -1 : 0;
    if (rc == 0) {
        memcpy(t, vt + (N - 1) * N, N * sizeof *t);
        size_t n = S->n;
        double s = fabs(t[n + 1]) > 1e-3 ? t[n + 1] : t[n];
        if (s < 0)
            for (size_t i = 0; i < N; i++) t[i] = -t[i];
    }
    free(sv);
    return rc;
}

/* ---- storage ---- */

static int grow_curve(nd_c2_curve *c, size_t dim)
{
    if (c->n < c->cap) return 0;
    size_t cap = c->cap ? 2 * c->cap : 64;
    double **arr[] = {&c->p1, &c->p2, &c->omega, &c->l1, &c->a, &c->period};
    for (size_t k = 0; k < sizeof arr / sizeof *arr; k++) {
        double *t = realloc(*arr[k], cap * sizeof *t);
        if (!t) return -1;
        *arr[k] = t;
    }
    double *st = realloc(c->state, cap * (dim ? dim : 1) * sizeof *st);
    if (!st) return -1;
    c->state = st;
    int *nu = realloc(c->n_unstable, cap * sizeof *nu);
    if (!nu) return -1;
    c->n_unstable = nu;
    c->cap = cap;
    return 0;
}

static int push_point(walker *W, const double *u, const nd_c2_test *t)
{
    nd_c2_curve *c = &W->r->curves[W->ci];
    if (grow_curve(c, W->S.n)) return -1;
    size_t i = c->n++;
    c->p1[i] = nd_c2_param(&W->S, u, 0);
    c->p2[i] = nd_c2_param(&W->S, u, 1);
    nd_c2_state(&W->S, u, c->state + i * W->S.n);
    c->omega[i] = t->omega;
    c->l1[i] = t->l1;
    c->a[i] = t->a;
    c->period[i] = t->period;
    c->n_unstable[i] = t->n_unstable;
    return 0;
}

/* Adds the codimension-2 point of e (at the curve's last point) unless the same kind was
   already found there (a BT lies on both curves); 0 or -1. */
static int push_c2(walker *W, const event *e)
{
    nd_c2_result *r = W->r;
    double p1 = nd_c2_param(&W->S, e->u, 0), p2 = nd_c2_param(&W->S, e->u, 1);
    for (size_t i = 0; i < r->npoints; i++)
        if (r->points[i].kind == e->kind &&
            fabs(r->points[i].p1 - p1) <= 1e-5 * (r->hi[0] - r->lo[0]) &&
            fabs(r->points[i].p2 - p2) <= 1e-5 * (r->hi[1] - r->lo[1]))
            return 0;
    nd_c2_point *pts = realloc(r->points, (r->npoints + 1) * sizeof *pts);
    if (!pts) return -1;
    r->points = pts;
    nd_c2_point *pt = &pts[r->npoints];
    memset(pt, 0, sizeof *pt);
    pt->state = malloc((W->S.n ? W->S.n : 1) * sizeof *pt->state);
    if (!pt->state) return -1;
    r->npoints++;
    pt->kind = e->kind;
    pt->p1 = p1;
    pt->p2 = p2;
    nd_c2_state(&W->S, e->u, pt->state);
    pt->curve = W->ci;
    pt->index = r->curves[W->ci].n - 1;
    pt->l1_before = e->l1a;
    pt->l1_after = e->l1b;
    pt->omega = r->curves[W->ci].omega[pt->index];
    return 0;
}

/* ---- locating ---- */

typedef struct probe {
    walker *W;
    nd_c2_kind kind;
    const double *a, *ta;
    double *w;
    double tr, ti;     /* the tracked eigenvalue (counted crossings) */
} probe;

/* The test function of the probe's kind at arclength s from a. */
static double probe_test(void *ctx, double s)
{
    probe *p = ctx;
    if (step(p->W, p->a, p->ta, s, p->w) < 0) return NAN;
    int hopf = p->W->S.kind == ND_C2_HOPF;
    if ((p->kind == ND_C2_ZERO_HOPF && !hopf) || p->kind == ND_C2_DOUBLE_HOPF)
        return nd_c2_track(&p->W->S, p->w, &p->tr, &p->ti);
    nd_c2_test t;
    if (nd_c2_tests(&p->W->S, p->w, &t)) return NAN;
    switch (p->kind) {
    case ND_C2_BT: return t.bt;
    case ND_C2_BAUTIN: return t.l1;
    default: return t.cusp_or_zh;
    }
}

static int locate(probe *p, double ds, double g0, double g1, event *e)
{
    p->w = e->u;
    e->kind = p->kind;
    e->l1a = e->l1b = NAN;
    return nd_root_illinois(probe_test, p, 0, g0, ds, g1, 1e-12 * fabs(ds), MAX_LOCATE, &e->s);
}

static int sign_change(double a, double b)
{
    return isfinite(a) && isfinite(b) && (a > 0) != (b > 0);
}

/* The crossing of a complex pair other than the critical one between a and b: the
   complex eigenvalue at a nearest the axis on the side it leaves, tracked. */
static int locate_crossing(walker *W, nd_c2_kind kind, const double *a, const double *ta,
                           const nd_c2_test *A, const nd_c2_test *B, double ds, event *e)
{
    int dc = B->other_cplx - A->other_cplx, dr = B->other_real - A->other_real;
    if (!((dc == 2 || dc == -2) && dr != -dc)) return 0;
    nd_c2_sys *S = &W->S;
    probe p = {W, kind, a, ta, e->u, 0, 0};
    /* the eigenvalues at a, then the pair nearest the axis on the side it leaves */
    double tr = 0, ti = 0;
    if (isnan(nd_c2_track(S, a, &tr, &ti))) return 0;
    double best = INFINITY;
    for (size_t i = 0; i < S->n; i++)
        if (S->im[i] > 0 && (dc > 0 ? S->re[i] <= 0 : S->re[i] > 0) && fabs(S->re[i]) < best)
            best = fabs(S->re[i]), p.tr = S->re[i], p.ti = S->im[i];
    if (best == INFINITY) return 0;
    double g0 = p.tr, r0 = p.tr, i0 = p.ti;
    double g1 = probe_test(&p, ds);
    p.tr = r0;
    p.ti = i0;
    if (!sign_change(g0, g1)) return 0;
    return locate(&p, ds, g0, g1, e) == 0;
}

/* The codimension-2 points between a and b (at arclength ds), sorted by s; their count. */
static int detect(walker *W, const double *a, const double *ta, const nd_c2_test *A,
                  const nd_c2_test *B, double ds, event *ev)
{
    int ne = 0, hopf = W->S.kind == ND_C2_HOPF;
    probe p = {W, ND_C2_BT, a, ta, NULL, 0, 0};
    if (sign_change(A->bt, B->bt) && locate(&p, ds, A->bt, B->bt, &ev[ne]) == 0) ne++;
    int bt = ne > 0;
    p.kind = hopf ? ND_C2_ZERO_HOPF : ND_C2_CUSP;
    if (!bt && sign_change(A->cusp_or_zh, B->cusp_or_zh) &&
        locate(&p, ds, A->cusp_or_zh, B->cusp_or_zh, &ev[ne]) == 0)
        ne++;
    p.kind = ND_C2_BAUTIN;
    /* l1 also changes sign through a pole (it has A⁻¹ in it: at a zero-Hopf point), where
       the located |l1| is larger than at either end instead of smaller */
    double l1;
    if (hopf && !bt && sign_change(A->l1, B->l1) && locate(&p, ds, A->l1, B->l1, &ev[ne]) == 0 &&
        (l1 = probe_test(&p, ev[ne].s), fabs(l1) < fmin(fabs(A->l1), fabs(B->l1)))) {
        ev[ne].l1a = A->l1;
        ev[ne].l1b = B->l1;
        ne++;
    }
    if (!bt)
        ne += locate_crossing(W, hopf ? ND_C2_DOUBLE_HOPF : ND_C2_ZERO_HOPF, a, ta, A, B, ds,
                              &ev[ne]);
    for (int i = 1; i < ne; i++)   /* insertion sort by s */
        for (int j = i; j > 0 && ev[j].s < ev[j - 1].s; j--) {
            event t = ev[j];
            ev[j] = ev[j - 1];
            ev[j - 1] = t;
        }
    return ne;
}

/* ---- the walk ---- */

static void note_end(walker *W, const char *why)
{
    nd_c2_curve *c = &W->r->curves[W->ci];
    size_t len = c->end ? strlen(c->end) : 0;
    char *t = realloc(c->end, len + strlen(why) + 3);
    if (!t) return;
    if (len) strcpy(t + len, "; "), len += 2;
    strcpy(t + len, why);
    c->end = t;
}

/* Where the segment u → w leaves the box: the fraction f of the way and the unknown's
   index and edge value; 0 when w is inside. */
static int leaves_box(walker *W, const double *u, const double *w, double *f, size_t *idx,
                      double *edge)
{
    size_t n = W->S.n;
    int out = 0;
    *f = 1;
    for (int j = 0; j < 2; j++) {
        double s = W->S.sc[n + (size_t)j];
        double lo = W->r->lo[j] / s, hi = W->r->hi[j] / s, e = NAN;
        if (w[n + (size_t)j] > hi) e = hi;
        else if (w[n + (size_t)j] < lo) e = lo;
        if (isnan(e)) continue;
        double fj = (e - u[n + (size_t)j]) / (w[n + (size_t)j] - u[n + (size_t)j]);
        if (fj < *f) *f = fj, *idx = n + (size_t)j, *edge = e;
        out = 1;
    }
    return out;
}

/* Distance between u and w in the states and parameters (v of a Hopf curve may come back
   rotated). */
static double dist(const walker *W, const double *u, const double *w)
{
    double s = 0;
    for (size_t i = 0; i < W->S.n + 2; i++) s += (u[i] - w[i]) * (u[i] - w[i]);
    return sqrt(s);
}

/* 1 when the parameter-plane parts of the tangents t and tw point opposite ways. */
static int turns_back(const walker *W, const double *t, const double *tw)
{
    size_t n = W->S.n;
    return t[n] * tw[n] + t[n + 1] * tw[n + 1] < 0;
}

/* Traces from u (tangent t) until an end; 1 when the curve closed on start, 0 otherwise,
   -1 on ENOMEM, -2 for an interrupt (err set). */
static int trace(walker *W, double *u, double *t, const double *start, const nd_c2_options *o,
                 nd_error *err, nd_status *st)
{
    nd_c2_sys *S = &W->S;
    size_t N = S->N;
    double ds = o->ds, ds_min = o->ds * 1e-6;
    double *w = malloc((2 + MAX_EVENTS) * N * sizeof *w);
    if (!w) return -1;
    double *tw = w + N;
    event ev[MAX_EVENTS];
    for (int i = 0; i < MAX_EVENTS; i++) ev[i].u = tw + N + (size_t)i * N;
    nd_c2_test A, B;
    if (nd_c2_tests(S, u, &A)) {
        free(w);
        note_end(W, "the test functions failed at the start");
        return 0;
    }
    size_t count = 0;
    int rc = 0;
    double far = 0;   /* the farthest the curve has gone from the start */
    for (;;) {
        if (count++ >= o->max_points) {
            note_end(W, "the maximum number of points");
            break;
        }
        if (o->check && (*st = o->check(o->check_ctx, err)) != ND_OK) {
            rc = -2;
            break;
        }
        int its = step(W, u, t, ds, w);
        int ok = its >= 0 && tangent(W, w, t, tw) == 0 && nd_c2_tests(S, w, &B) == 0;
        double turn = ok ? dot(t, tw, N) : 0;
        if (ok && turn < MIN_COS && ds > 16 * ds_min) ok = 0;
        if (!ok) {
            ds /= 2;
            if (ds < ds_min) {
                note_end(W, "the corrector failed");
                break;
            }
            continue;
        }
        double f;
        size_t idx = 0;
        double edge = 0;
        int out = leaves_box(W, u, w, &f, &idx, &edge);
        int ne = detect(W, u, t, &A, &B, ds, ev), stop_bt = 0;
        for (int i = 0; i < ne && rc == 0; i++) {
            double fe = ev[i].s / ds;
            if (out && fe > f) break;
            nd_c2_test T;
            if (nd_c2_tests(S, ev[i].u, &T) || push_point(W, ev[i].u, &T) || push_c2(W, &ev[i]))
                rc = -1;
            if (S->kind == ND_C2_HOPF && ev[i].kind == ND_C2_BT) {
                stop_bt = 1;
                break;
            }
        }
        if (rc) break;
        if (stop_bt) {
            note_end(W, "a Bogdanov-Takens point (beyond it the Hopf system describes "
                        "neutral saddles)");
            break;
        }
        if (!out && S->kind == ND_C2_LPC && turns_back(W, t, tw)) {
            /* the curve turns back on itself in the parameter plane: a cusp of cycles, or
               (the cycle small) the Bautin point, through which the shooting system
               continues onto the same cycles half a period shifted */
            note_end(W, nd_lpc_turn_reason(S));
            break;
        }
        if (!out && B.end) {
            /* the system cannot go on from w (an LPC cycle shrank, its period blew up) */
            if (push_point(W, w, &B)) rc = -1;
            note_end(W, B.end);
            break;
        }
        if (out) {
            /* end on the edge: the point of the curve with that parameter on the edge */
            double e_vec_target = edge;
            double *c = tw;   /* the unit vector of the edge's parameter */
            for (size_t i = 0; i < N; i++) w[i] = u[i] + f * (w[i] - u[i]);
            memset(c, 0, N * sizeof *c);
            c[idx] = 1;
            int ok = correct(W, c, e_vec_target, w) >= 0;
            /* the corrector meets the linear condition to rounding: the edge itself, not
               -2e-25 beside it, is what the table shows */
            if (ok) w[idx] = edge;
            if (ok && nd_c2_tests(S, w, &B) == 0 && push_point(W, w, &B)) rc = -1;
            note_end(W, "the edge of the box");
            break;
        }
        if (push_point(W, w, &B)) {
            rc = -1;
            break;
        }
        nd_c2_accept(S, w);
        /* closed: back near the start after having gone away from it (a short curve is
           near its start all along) */
        double d = dist(W, w, start);
        far = fmax(far, d);
        if (count > 8 && d < 1.5 * ds && d < 0.5 * far) {
            nd_c2_test T;
            if (nd_c2_tests(S, start, &T) == 0 && push_point(W, start, &T)) rc = -1;
            note_end(W, "a closed curve");
            if (rc == 0) rc = 1;
            break;
        }
        memcpy(u, w, N * sizeof *u);
        memcpy(t, tw, N * sizeof *t);
        A = B;
        if (its <= 3 && turn > 0.999) ds = fmin(ds * 1.5, o->ds_max);
        else if (its > 5) ds *= 0.6;
    }
    free(w);
    return rc;
}

/* Reverses the points of curve ci (and the indices of its codimension-2 points). */
static void reverse_curve(nd_c2_result *r, size_t ci, size_t dim)
{
    nd_c2_curve *c = &r->curves[ci];
    for (size_t i = 0, j = c->n ? c->n - 1 : 0; i < j; i++, j--) {
        double *arr[] = {c->p1, c->p2, c->omega, c->l1, c->a, c->period};
        for (size_t k = 0; k < sizeof arr / sizeof *arr; k++) {
            double t = arr[k][i];
            arr[k][i] = arr[k][j];
            arr[k][j] = t;
        }
        for (size_t d = 0; d < dim; d++) {
            double t = c->state[i * dim + d];
            c->state[i * dim + d] = c->state[j * dim + d];
            c->state[j * dim + d] = t;
        }
        int t = c->n_unstable[i];
        c->n_unstable[i] = c->n_unstable[j];
        c->n_unstable[j] = t;
    }
    for (size_t k = 0; k < r->npoints; k++)
        if (r->points[k].curve == ci) {
            nd_c2_point *p = &r->points[k];
            p->index = c->n - 1 - p->index;
            double t = p->l1_before;
            p->l1_before = p->l1_after;
            p->l1_after = t;
        }
}

/* Appends a new curve of S's kind; 0 or -1. */
static int add_curve(nd_c2_result *r, int kind, size_t *ci)
{
    nd_c2_curve *c = realloc(r->curves, (r->ncurves + 1) * sizeof *c);
    if (!c) return -1;
    r->curves = c;
    memset(&c[r->ncurves], 0, sizeof *c);
    c[r->ncurves].kind = kind;
    *ci = r->ncurves++;
    return 0;
}

/* Follows the curve through the start both ways; ND_OK (a failure at the start is
   noted, not fatal), ND_ENOMEM or an interrupt. */
nd_status nd_c2_follow(nd_c2_result *r, const nd_model *m, int kind, const int par[2],
                       const double *x, const double *p, double omega, const nd_c2_options *o,
                       nd_error *err)
{
    walker W = {.r = r, .tol = kind == ND_C2_LPC ? 1e-8 : 1e-10};
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    size_t N = kind == ND_C2_HOPF ? 2 * n + 3 : kind == ND_C2_LPC ? 8 * n + 3 : n + 2;
    double width[2] = {r->hi[0] - r->lo[0], r->hi[1] - r->lo[1]};
    double *mem = malloc((N * 6 + N * N * 2 + N) * sizeof *mem);
    W.piv = malloc(N * sizeof *W.piv);
    nd_status st = ND_OK;
    if (!mem || !W.piv) {
        free(mem);
        free(W.piv);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    double *u = mem, *t = u + N, *u0 = t + N, *t0 = u0 + N, *start = t0 + N;
    W.F = start + N;
    W.Jac = W.F + N;
    W.Mat = W.Jac + N * N;
    double *saved = NULL;
    int rc = 0;
    int init = kind == ND_C2_LPC
                   ? nd_lpc_init(&W.S, m, par, width, x, p, omega, o->lpc_max_period, u)
                   : nd_c2_sys_init(&W.S, m, kind, par, width, x, p, omega, u);
    /* an LPC's orbit comes from a one-parameter branch, located to that branch's
       tolerance: onto the curve first, normal to its tangent */
    if (init == 0 && kind == ND_C2_LPC &&
        (first_tangent(&W, u, t) || correct(&W, t, dot(t, u, N), u) < 0))
        init = -1;
    if (init || first_tangent(&W, u, t) ||
        add_curve(r, kind, &W.ci)) {
        nd_c2_note(r, kind == ND_C2_HOPF ? "a Hopf point could not start a curve"
                      : kind == ND_C2_LPC ? "a fold of cycles could not start a curve"
                                          : "a fold could not start a curve");
        goto done;
    }
    nd_c2_accept(&W.S, u);
    /* the auxiliary vectors at the start, restored for the second direction */
    size_t naux;
    double *aux = nd_c2_aux(&W.S, &naux);
    saved = malloc(naux * sizeof *saved);
    if (!saved) {
        rc = -1;
        goto done;
    }
    memcpy(saved, aux, naux * sizeof *saved);
    memcpy(u0, u, N * sizeof *u);
    memcpy(start, u, N * sizeof *u);
    for (size_t i = 0; i < N; i++) t0[i] = -t[i];
    nd_c2_test T;
    if (nd_c2_tests(&W.S, u, &T) || push_point(&W, u, &T)) {
        rc = -1;
        goto done;
    }
    rc = trace(&W, u, t0, start, o, err, &st);
    if (rc == 0) {
        reverse_curve(r, W.ci, n);
        memcpy(aux, saved, naux * sizeof *saved);
        nd_c2_accept(&W.S, u0);
        memcpy(u, u0, N * sizeof *u);
        rc = trace(&W, u, t, start, o, err, &st);
        if (rc == 1) rc = 0;
    } else if (rc == 1) {
        rc = 0;
    }
done:
    free(saved);
    free(mem);
    free(W.piv);
    nd_c2_sys_free(&W.S);
    if (rc == -2) return st;
    if (rc == -1) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    return ND_OK;
}

