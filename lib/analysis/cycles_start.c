/* The first orbits of cycle branches. At a Hopf point: a fixed small amplitude ε along
   the real part a of the critical eigenvector q (⟨a, x_0 − x*⟩ = ε, ⟨b, x_0 − x*⟩ = 0 with
   b the part of Im q orthogonal to a), which excludes the equilibrium itself and lets
   Newton choose the side of λ_H where the cycles exist, so sub- and supercritical points
   need no case distinction. Through an orbit found by simulation: that orbit with λ held,
   then the branch traced up, reversed, and traced down from the start again, so that it
   reads in one direction. */
#include <lapacke.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cycles_walk.h"
#include "equilibria.h"

/* The first orbit's amplitude along a, relative to max(1, |x*|). */
static const double START_AMP = 1e-2;

/* The real and (orthogonalised) imaginary parts a, b of the eigenvector of J at the Hopf
   point for the eigenvalue nearest iω, both unit vectors; 0 or -1. */
static int hopf_plane(nd_cwalk *k, const nd_bif_point *h, double *a, double *b)
{
    size_t n = k->n;
    double *w = malloc((2 * n + 2 * n * n) * sizeof *w);
    if (!w) return -1;
    double *wr = w, *wi = wr + n, *J = wi + n, *vr = J + n * n;
    k->s.p[k->s.par] = h->param;
    int rc = -1;
    if (nd_eq_jacobian(k->s.m, k->s.p, h->state, J, NULL) == ND_OK &&
        LAPACKE_dgeev(LAPACK_ROW_MAJOR, 'N', 'V', (lapack_int)n, J, (lapack_int)n, wr, wi, NULL,
                      1, vr, (lapack_int)n) == 0) {
        size_t c = n;
        double best = INFINITY;
        for (size_t i = 0; i + 1 < n; i++)
            if (wi[i] > 0 && hypot(wr[i], wi[i] - h->omega) < best)
                best = hypot(wr[i], wi[i] - h->omega), c = i;
        if (c < n) {
            /* columns c, c+1 hold Re q, Im q; rotate q so its largest entry is real, so
               that a carries the oscillation's main component */
            size_t big = 0;
            for (size_t i = 1; i < n; i++)
                if (hypot(vr[i * n + c], vr[i * n + c + 1]) >
                    hypot(vr[big * n + c], vr[big * n + c + 1]))
                    big = i;
            double cr = vr[big * n + c], ci = -vr[big * n + c + 1], mod = hypot(cr, ci);
            for (size_t i = 0; i < n; i++) {
                double qr = vr[i * n + c], qi = vr[i * n + c + 1];
                a[i] = (qr * cr - qi * ci) / mod;
                b[i] = (qr * ci + qi * cr) / mod;
            }
            double na = sqrt(nd_shoot_dot(a, a, n));
            for (size_t i = 0; i < n; i++) a[i] /= na;
            double pr = nd_shoot_dot(a, b, n);
            for (size_t i = 0; i < n; i++) b[i] -= pr * a[i];
            double nb = sqrt(nd_shoot_dot(b, b, n));
            if (nb > 0) {
                for (size_t i = 0; i < n; i++) b[i] /= nb;
                rc = 0;
            }
        }
    }
    free(w);
    return rc;
}

/* The first orbit near Hopf point h into u, with its tangent (growing amplitude) into t;
   0 or -1. */
int nd_cwalk_start_hopf(nd_cwalk *k, const nd_bif_point *h, double *u, double *t)
{
    size_t n = k->n, L = k->L, nu = k->nu;
    double *ab = malloc((3 * L + nu) * sizeof *ab);
    if (!ab) return -1;
    /* a, b padded with zeros to L values: the conditions involve x_0 only */
    double *a = ab, *b = a + L, *xs = b + L, *row = xs + L;
    memset(ab, 0, 2 * L * sizeof *ab);
    int rc = hopf_plane(k, h, a, b);
    for (size_t i = 0; i < L; i++) xs[i] = h->state[i % n];
    double scale = 1, T0 = 2 * M_PI / h->omega;
    /* the states appear nseg times among the unknowns: together they weigh as one */
    for (size_t i = 0; i < n; i++) scale = fmax(scale, fabs(h->state[i]));
    for (size_t i = 0; i < L; i++)
        k->sc[i] = fmax(1, fabs(h->state[i % n])) * sqrt((double)k->s.nseg);
    k->sc[L] = T0;
    k->sc[L + 1] = k->hi - k->lo;
    memset(row, 0, nu * sizeof *row);
    memcpy(row, a, n * sizeof *row);
    /* smaller amplitudes if Newton misses: the normal form holds closer to the point */
    for (double eps = START_AMP * scale, tries = 0; rc == 0 && tries < 3; tries++, eps /= 4) {
        for (size_t i = 0; i < n; i++) u[i] = h->state[i] + eps * a[i];
        u[L] = T0;
        u[L + 1] = h->param;
        if (nd_shoot_spread(&k->s, u, T0, h->param, u) == 0 &&
            nd_shoot_newton(&k->s, u, nu, xs, b, row, nd_shoot_dot(a, h->state, n) + eps) >= 0)
            break;
        if (tries == 2) rc = -1;
    }
    /* the growing amplitude as a scaled direction: its unscaled row is (a, 0, …, 0) */
    for (size_t i = 0; i < nu; i++) row[i] *= k->sc[i];
    if (rc == 0) rc = isnan(nd_cwalk_tangent(k, u, row, t, k->fu)) ? -1 : 0;
    free(ab);
    return rc;
}

/* The first orbit of a branch through orbit c found at λ = lam into u (λ among the
   unknowns, scales from the orbit's extent and period) with the tangent towards larger λ
   into t; 0 or -1. */
static int start_orbit(nd_cwalk *k, const nd_cycle *c, double lam, double *u, double *t)
{
    size_t n = k->n, L = k->L, nu = k->nu;
    for (size_t i = 0; i < L; i++)
        k->sc[i] = fmax(1, fmax(fabs(c->xmin[i % n]), fabs(c->xmax[i % n]))) *
                   sqrt((double)k->s.nseg);
    k->sc[L] = c->period;
    k->sc[L + 1] = k->hi - k->lo;
    memcpy(u, c->x0, n * sizeof *u);
    u[L] = c->period;
    u[L + 1] = lam;
    if (nd_shoot_spread(&k->s, u, c->period, lam, u)) return -1;
    /* the phase reference: the spread orbit itself; λ held by the last row */
    memcpy(k->w2, u, nu * sizeof *u);
    nd_cwalk_flow(k, u, k->fu);
    for (size_t i = 0; i < nu; i++) k->row[i] = i == L + 1;
    if (nd_shoot_newton(&k->s, u, nu, k->w2, k->fu, k->row, lam) < 0) return -1;
    nd_cwalk_flow(k, u, k->fu);
    for (size_t i = 0; i < nu; i++) k->tt[i] = (i == L + 1) * k->sc[i];
    return isnan(nd_cwalk_tangent(k, u, k->tt, t, k->fu)) ? -1 : 0;
}

/* Reverses the orbits of the branch (and the indices of its special points), so that a
   branch traced up from its start and then down reads in one direction. */
static void reverse_branch(nd_bif_result *r, size_t ci)
{
    nd_cycle_branch *c = &r->cycles[ci];
    size_t n = r->dim;
    for (size_t i = 0, j = c->n ? c->n - 1 : 0; i < j; i++, j--) {
        double d;
        int s;
        d = c->param[i], c->param[i] = c->param[j], c->param[j] = d;
        d = c->period[i], c->period[i] = c->period[j], c->period[j] = d;
        d = c->mult_max[i], c->mult_max[i] = c->mult_max[j], c->mult_max[j] = d;
        s = c->stable[i], c->stable[i] = c->stable[j], c->stable[j] = s;
        for (size_t q = 0; q < n; q++) {
            d = c->xmin[i * n + q], c->xmin[i * n + q] = c->xmin[j * n + q], c->xmin[j * n + q] = d;
            d = c->xmax[i * n + q], c->xmax[i * n + q] = c->xmax[j * n + q], c->xmax[j * n + q] = d;
        }
    }
    for (size_t i = 0; i < r->npoints; i++)
        if (r->points[i].on_cycle && r->points[i].branch == ci)
            r->points[i].index = c->n - 1 - r->points[i].index;
}

/* 1 when a continued branch holds stable orbits on both sides of lam next to each other. */
static int covered(const nd_bif_result *r, double lam)
{
    for (size_t c = 0; c < r->ncycles; c++) {
        const nd_cycle_branch *b = &r->cycles[c];
        for (size_t i = 0; !b->simulated && i + 1 < b->n; i++)
            if (b->stable[i] && b->stable[i + 1] &&
                (b->param[i] - lam) * (b->param[i + 1] - lam) <= 0)
                return 1;
    }
    return 0;
}

/* The branch through the stable orbit a simulation at lam settles on, both ways, unless
   nothing stable is found or (when asked) lam is covered already. */
nd_status nd_cwalk_from_simulation(nd_cwalk *k, double lam, double tscale, int skip_covered,
                                 double *u, double *t, int *reached, nd_error *err)
{
    if (skip_covered && covered(k->r, lam)) return ND_OK;
    nd_cycle c;
    k->s.p[k->s.par] = lam;
    int found = nd_cycle_from_simulation(k->s.m, k->s.p, nd_model_inits(k->s.m), tscale, &c, err);
    if (found < 0) return err ? err->code : ND_ENOMEM;
    if (!found) return ND_OK;
    int usable = c.stable && start_orbit(k, &c, lam, u, t) == 0;
    /* 20 periods of the start suffice to tell a SNIC from a homoclinic end */
    double tmax = nd_cwalk_period_limit(k->o, 20) * c.period;
    nd_cycle_free(&c);
    if (!usable) return ND_OK;
    nd_cycle_branch *b = nd_bif_add_cycle_branch(k->r, SIZE_MAX);
    if (!b) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    b->param_start = lam;
    k->ci = k->r->ncycles - 1;
    double *keep = malloc(2 * k->nu * sizeof *keep);
    if (!keep) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    memcpy(keep, u, k->nu * sizeof *u);
    memcpy(keep + k->nu, t, k->nu * sizeof *t);
    nd_status st = nd_cwalk_trace(k, lam, tmax, u, t, reached, 0, err);
    if (st == ND_OK) {
        reverse_branch(k->r, k->ci);
        memcpy(u, keep, k->nu * sizeof *u);
        for (size_t i = 0; i < k->nu; i++) t[i] = -keep[k->nu + i];
        nd_cwalk_flow(k, u, k->fu);
        if (nd_shoot_run(&k->s, u, u[k->L], u[k->L + 1]) == 0)
            st = nd_cwalk_trace(k, lam, tmax, u, t, reached, 1, err);
    }
    free(keep);
    return st;
}
