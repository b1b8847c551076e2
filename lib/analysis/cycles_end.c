/* The period at a branch's end fitted by the two laws of a diverging period. For a trial
   p* both laws are linear in (α, β), so the fit is a one-dimensional search over the
   distance δ = |p* − p_last|: a log-spaced scan, then golden sections around the best. */
#include "cycles_end.h"

#include <math.h>

enum { MIN_TAIL = 5, MAX_TAIL = 12, SCAN = 120, GOLDEN = 60 };

typedef struct tail {
    const double *p, *T;
    size_t n;
    double dir;    /* +1: the branch moved up in p at its end, −1 down */
    int snic;
} tail;

/* Residual sum of squares of the linear fit T = α g + β at distance delta; *alpha. */
static double rss(const tail *f, double delta, double *alpha)
{
    double ps = f->p[f->n - 1] + f->dir * delta, sg = 0, sT = 0, sgg = 0, sgT = 0;
    double g[MAX_TAIL];
    for (size_t i = 0; i < f->n; i++) {
        double d = fabs(f->p[i] - ps);
        g[i] = f->snic ? 1 / sqrt(d) : log(d);
        sg += g[i], sT += f->T[i], sgg += g[i] * g[i], sgT += g[i] * f->T[i];
    }
    double N = (double)f->n, den = N * sgg - sg * sg;
    if (!(fabs(den) > 0) || !isfinite(den)) return INFINITY;
    double a = (N * sgT - sg * sT) / den, b = (sT - a * sg) / N, r = 0;
    for (size_t i = 0; i < f->n; i++) {
        double e = f->T[i] - a * g[i] - b;
        r += e * e;
    }
    *alpha = a;
    return r;
}

/* The best δ of one law; its residual (INFINITY when α has the wrong sign throughout). */
static double best_delta(const tail *f, double span, double *delta)
{
    double lo = log(1e-13 * span), hi = log(2 * span), best = INFINITY, a;
    size_t bi = 0;
    for (size_t i = 0; i <= SCAN; i++) {
        double r = rss(f, exp(lo + (hi - lo) * (double)i / SCAN), &a);
        if ((f->snic ? a > 0 : a < 0) && r < best) best = r, bi = i;
    }
    if (!isfinite(best)) return INFINITY;
    double x0 = lo + (hi - lo) * (bi ? bi - 1.0 : 0.0) / SCAN;
    double x1 = lo + (hi - lo) * (bi < SCAN ? bi + 1.0 : (double)SCAN) / SCAN;
    const double gr = 0.5 * (sqrt(5) - 1);
    for (int it = 0; it < GOLDEN; it++) {
        double xa = x1 - gr * (x1 - x0), xb = x0 + gr * (x1 - x0);
        if (rss(f, exp(xa), &a) < rss(f, exp(xb), &a)) x1 = xb;
        else x0 = xa;
    }
    *delta = exp(0.5 * (x0 + x1));
    double r = rss(f, *delta, &a);
    return (f->snic ? a > 0 : a < 0) ? fmin(r, best) : best;
}

int nd_cycle_end_fit(const double *p, const double *T, size_t n, double *pstar)
{
    if (n < MIN_TAIL) return -1;
    double dir = p[n - 1] > p[n - 2] ? 1 : -1;
    size_t m = 1;   /* the tail: p monotone in dir, T growing */
    while (m < n && (p[n - m] - p[n - m - 1]) * dir > 0 && T[n - m] > T[n - m - 1]) m++;
    if (m < MIN_TAIL || !(T[n - 1] >= 2 * T[n - m])) return -1;
    /* at most MAX_TAIL orbits spread evenly over the tail, so that the fit sees the whole
       growth and not only its last few steps */
    size_t k = m < MAX_TAIL ? m : MAX_TAIL;
    double tp[MAX_TAIL], tT[MAX_TAIL];
    for (size_t j = 0; j < k; j++) {
        size_t i = n - m + (size_t)llround((double)j * (double)(m - 1) / (double)(k - 1));
        tp[j] = p[i];
        tT[j] = T[i];
    }
    double span = fabs(tp[k - 1] - tp[0]), dh = 0, ds = 0;
    tail hom = {tp, tT, k, dir, 0}, sn = {tp, tT, k, dir, 1};
    double rh = best_delta(&hom, span, &dh), rs = best_delta(&sn, span, &ds);
    if (!isfinite(rh) && !isfinite(rs)) return -1;
    int snic = rs <= rh;
    *pstar = p[n - 1] + dir * (snic ? ds : dh);
    return snic ? ND_BIF_SNIC : ND_BIF_HOMOCLINIC;
}
