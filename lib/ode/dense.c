/* Points are stored row by row (t, y, left slope, right slope): the left and right slopes
   differ only at a break, where the right-hand side jumps (a stimulus edge), and using
   the slope of the wrong side there would bend the whole adjacent step. A reset gives two
   points at the same t; the zero-length segment between them is never interpolated. */
#include "dense.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Beyond this many stored numbers (160 MB) the record gives up rather than exhaust
   memory; the callers then fall back on the output samples. */
#define MAX_NUMBERS 20000000.0

struct nd_dense {
    size_t n, count, cap;
    char **names;
    double *t;         /* count */
    double *y;         /* count × n */
    double *fl, *fr;   /* count × n: slopes on the left and right of each point */
    /* While recording: */
    const nd_ode_problem *p;
    size_t ibreak;
    int failed;
};

nd_dense *nd_dense_create(size_t n, const char *const *names)
{
    nd_dense *d = calloc(1, sizeof *d);
    if (!d || !(d->names = calloc(n ? n : 1, sizeof *d->names))) {
        free(d);
        return NULL;
    }
    d->n = n;
    for (size_t i = 0; i < n; i++)
        if (!(d->names[i] = strdup(names[i] ? names[i] : ""))) {
            nd_dense_free(d);
            return NULL;
        }
    return d;
}

void nd_dense_free(nd_dense *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->n; i++) free(d->names[i]);
    free(d->names);
    free(d->t);
    free(d->y);
    free(d->fl);
    free(d->fr);
    free(d);
}

static int reserve(nd_dense *d, size_t cap)
{
    if (cap <= d->cap) return 0;
    if ((double)cap * (double)(1 + 3 * d->n) > MAX_NUMBERS) return -1;
    double *t = realloc(d->t, cap * sizeof *t);
    if (!t) return -1;
    d->t = t;
    double **arr[3] = {&d->y, &d->fl, &d->fr};
    for (size_t a = 0; a < 3; a++) {
        double *x = realloc(*arr[a], (cap * d->n + 1) * sizeof *x);
        if (!x) return -1;
        *arr[a] = x;
    }
    d->cap = cap;
    return 0;
}

nd_dense *nd_dense_copy(const nd_dense *d)
{
    nd_dense *c = nd_dense_create(d->n, (const char *const *)d->names);
    if (!c || reserve(c, d->count) != 0) {
        nd_dense_free(c);
        return NULL;
    }
    c->count = d->count;
    if (d->count) {
        memcpy(c->t, d->t, d->count * sizeof *c->t);
        memcpy(c->y, d->y, d->count * d->n * sizeof *c->y);
        memcpy(c->fl, d->fl, d->count * d->n * sizeof *c->fl);
        memcpy(c->fr, d->fr, d->count * d->n * sizeof *c->fr);
    }
    return c;
}

/* Is t one of p's breaks? Points come in time order, so the search only moves forward. */
static int at_break(nd_dense *d, double t)
{
    const nd_ode_problem *p = d->p;
    while (d->ibreak < p->nbreaks && p->breaks[d->ibreak] < t) d->ibreak++;
    return d->ibreak < p->nbreaks && p->breaks[d->ibreak] == t;
}

static int on_point(void *ctx, double t, const double *y, const double *f)
{
    nd_dense *d = ctx;
    if (d->failed) return 0;
    if (d->count == d->cap && reserve(d, d->cap ? 2 * d->cap : 1024) != 0) {
        d->failed = 1;   /* the solve goes on; only the record is lost */
        return 0;
    }
    size_t k = d->count, n = d->n;
    double *fr = d->fr + k * n, *fl = d->fl + k * n;
    if (at_break(d, t)) {   /* both one-sided slopes, evaluated afresh */
        if (d->p->rhs(d->p->ctx, t, y, fr) != 0) return -1;
        if (d->p->rhs(d->p->ctx, nextafter(t, -INFINITY), y, fl) != 0) return -1;
    } else {
        if (f) memcpy(fr, f, n * sizeof *fr);   /* the solver's own last stage: no extra call */
        else if (d->p->rhs(d->p->ctx, t, y, fr) != 0) return -1;
        memcpy(fl, fr, n * sizeof *fl);
    }
    d->t[k] = t;
    memcpy(d->y + k * n, y, n * sizeof *y);
    d->count++;
    return 0;
}

void nd_dense_attach(nd_dense *d, const nd_ode_problem *p, nd_ode_options *opt)
{
    d->p = p;
    d->ibreak = 0;
    d->failed = p->n != d->n;
    d->count = 0;
    opt->on_point = on_point;
    opt->point_ctx = d;
}

int nd_dense_detach(nd_dense *d, nd_ode_options *opt)
{
    opt->on_point = NULL;
    opt->point_ctx = NULL;
    d->p = NULL;
    return d->failed ? -1 : 0;
}

size_t nd_dense_count(const nd_dense *d)
{
    return d->count;
}

int nd_dense_find(const nd_dense *d, const char *name)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->names[i], name) == 0) return (int)i;
    return -1;
}

const double *nd_dense_times(const nd_dense *d)
{
    return d->t;
}

void nd_dense_values(const nd_dense *d, size_t var, double *out)
{
    for (size_t k = 0; k < d->count; k++) out[k] = d->y[k * d->n + var];
}

/* The Hermite cubic of segment k in s = (t - t_k)/h: H(s) = c0 + c1 s + c2 s^2 + c3 s^3. */
static void cubic(const nd_dense *d, size_t var, size_t k, double c[4], double *h)
{
    size_t n = d->n;
    double ya = d->y[k * n + var], yb = d->y[(k + 1) * n + var];
    *h = d->t[k + 1] - d->t[k];
    double ma = *h * d->fr[k * n + var], mb = *h * d->fl[(k + 1) * n + var];
    c[0] = ya;
    c[1] = ma;
    c[2] = 3 * (yb - ya) - 2 * ma - mb;
    c[3] = 2 * (ya - yb) + ma + mb;
}

static double horner(const double c[4], double s)
{
    return ((c[3] * s + c[2]) * s + c[1]) * s + c[0];
}

double nd_dense_cross(const nd_dense *d, size_t var, size_t k, double level)
{
    double c[4], h;
    cubic(d, var, k, c, &h);
    if (!(h > 0)) return d->t[k];
    /* The cubic may wiggle across level more than once: take the first sub-interval
       of a fine scan that brackets it, then bisect. */
    enum { SCAN = 32 };
    double a = 0, b = 1;
    for (int j = 1; j <= SCAN; j++) {
        double s = (double)j / SCAN;
        if (horner(c, s) >= level) {
            a = (double)(j - 1) / SCAN;
            b = s;
            break;
        }
    }
    for (int it = 0; it < 60 && b - a > 1e-15; it++) {
        double m = 0.5 * (a + b);
        if (horner(c, m) >= level) b = m;
        else a = m;
    }
    return d->t[k] + b * h;
}

double nd_dense_max(const nd_dense *d, size_t var, size_t k, double *tmax)
{
    double c[4], h;
    cubic(d, var, k, c, &h);
    double best = c[0], sbest = 0;
    double e = horner(c, 1);
    if (e > best) best = e, sbest = 1;
    /* Interior extrema: roots of H'(s) = 3 c3 s^2 + 2 c2 s + c1. */
    double qa = 3 * c[3], qb = 2 * c[2], qc = c[1], roots[2];
    int nr = 0;
    if (fabs(qa) < 1e-300) {
        if (qb != 0) roots[nr++] = -qc / qb;
    } else {
        double disc = qb * qb - 4 * qa * qc;
        if (disc >= 0) {
            /* The stable form: no cancellation between -qb and the root. */
            double q = -0.5 * (qb + copysign(sqrt(disc), qb));
            if (q != 0) roots[nr++] = qc / q;
            roots[nr++] = q / qa;
        }
    }
    for (int i = 0; i < nr; i++) {
        if (!(roots[i] > 0 && roots[i] < 1)) continue;
        double v = horner(c, roots[i]);
        if (v > best) best = v, sbest = roots[i];
    }
    *tmax = d->t[k] + sbest * h;
    return best;
}

double nd_dense_eval(const nd_dense *d, size_t var, double t)
{
    if (d->count == 0) return NAN;
    if (t <= d->t[0]) return d->y[var];
    size_t lo = 0, hi = d->count - 1;
    if (t >= d->t[hi]) return d->y[hi * d->n + var];
    /* The last segment starting at or before t (after a reset: the later of the pair). */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->t[mid] <= t) lo = mid;
        else hi = mid;
    }
    double c[4], h;
    cubic(d, var, lo, c, &h);
    return h > 0 ? horner(c, (t - d->t[lo]) / h) : d->y[hi * d->n + var];
}
