/* Total-variation regularised differentiation (Chartrand 2011, "Numerical differentiation
   of noisy, nonsmooth data"): the derivative u of the samples x minimises

       α Σ_k |u_{k+1} − u_k|  +  ½ Σ_i (c + (∫u)(t_i) − x_i)²,

   a total variation that keeps u flat between few jumps, against the misfit of u's
   integral (plus a fitted constant c) to the data.

   How it is solved. With u on the midpoints between samples and ∫u by the rectangle rule,
   (c, u) ↔ y = c + ∫u is a one-to-one change of variables: y is a smoothed copy of x,
   u = Δy/h, and u_{k+1} − u_k = Δ²y_k/h. In y the problem is

       minimise  (α/h) Σ_k |Δ²y_k|  +  ½ ‖y − x‖²,

   the same functional, but its Hessian is pentadiagonal instead of the dense AᵀA of the
   u-form. We use Chartrand's lagged-diffusivity iteration: freeze the weights
   E_k = 1/sqrt((Δ²y_k)² + δ²) and take the exact minimiser of the frozen quadratic,
   (I + (α/h) Δ²ᵀ E Δ²) y = x, solved directly by a banded LDLᵀ in O(n) — this is his step
   u ← u − H⁻¹g, with an exact solve instead of conjugate gradients. Each step lowers the
   (smoothed) objective (it minimises a majorizer), so no line search is needed, every
   iteration costs O(n), and the result is the same on every machine. The derivative at
   the samples is then second-order finite differences of y (the mean of the two
   neighbouring midpoint slopes inside). Starting point: y = x, i.e. the FD derivative.
   Differences to Chartrand's code: the constant c is fitted instead of taken as x₀ (a
   noisy first sample would bias the whole integral), and midpoint rather than trapezoid
   integration (the trapezoid rule has a checkerboard mode in u that TV must suppress).

   Choosing α (alpha = 0). The residual r = x − y tells whether α fits: with too little
   smoothing y follows the noise and r is high-pass filtered noise (neighbours negatively
   correlated); with too much, r holds part of the signal too (smooth, positively
   correlated); in between it looks like white noise. The statistic
   W(α) = sqrt(n/5) Σ_{k=1..5} corr(r_i, r_{i+k}) is a standard normal deviate for white
   r, and α is found by bisection on log α where W = −1 (one deviation on the filtered
   side: measured on sines and FitzHugh–Nagumo traces of 200 … 10^5 samples with 1–5 %
   noise, the derivative's RMS error is then within 1.0–1.5× of the best α's, often
   within 5 %). Each trial α runs a few lagged-diffusivity iterations warm-started from
   the previous trial. We first tried the discrepancy principle (rms(r) = σ, with σ
   from the data): the residual is so flat in α near σ that a 1 % error in σ moves α by
   orders of magnitude (errors up to 4× the best); the whiteness test needs no σ. The
   noise level σ is still estimated — from fourth differences
   x_i − 4x_{i+1} + 6x_{i+2} − 4x_{i+3} + x_{i+4} (zero on cubics, so a smooth signal hardly
   leaks in; variance 70σ² for white noise), robustly by the median absolute value (a
   few spikes do not inflate it) — to set the search range, α ∈ [0.01, n²]·h·σ (α
   scales like σ·h·L^(3/2) for a smoothing length of L samples), and the tolerance δ.
   Noise below 10⁻⁶ of the data's range counts as none (clean simulated data: the
   solver's and the interpolation's errors, measured 10⁻¹¹ … 4·10⁻⁸ of the range, are
   not noise that the whiteness test understands): α = 0, plain FD. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "deriv_impl.h"

enum {
    SEARCH_STEPS = 10,   /* bisections of log α over a factor 100 n²: to a few % */
    SEARCH_ITERS = 6,    /* lagged-diffusivity iterations per trial α (warm-started) */
    LAGS = 5             /* autocorrelation lags of the whiteness statistic */
};

/* The whiteness statistic aimed at: one standard deviation on the "filtered" side. */
static const double WHITE_TARGET = -1.0;

/* Noise below this fraction of the range is no noise (alpha 0 stays 0). */
static const double CLEAN = 1e-6;

typedef struct tv_work {
    size_t n;
    double *y, *d, *e, *f, *z;   /* iterate; band of the matrix; solve's work */
    double *r;                   /* residual x − y */
} tv_work;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Robust noise level: 1.4826 × median |Δ⁴x| / sqrt(70) (second differences, sqrt(6),
   below 5 samples). */
static double noise_sigma(const double *x, size_t n, double *buf)
{
    size_t m;
    double norm;
    if (n >= 5) {
        m = n - 4;
        norm = sqrt(70.0);
        for (size_t i = 0; i < m; i++)
            buf[i] = fabs(x[i] - 4 * x[i + 1] + 6 * x[i + 2] - 4 * x[i + 3] + x[i + 4]);
    } else {
        m = n - 2;
        norm = sqrt(6.0);
        for (size_t i = 0; i < m; i++) buf[i] = fabs(x[i] - 2 * x[i + 1] + x[i + 2]);
    }
    qsort(buf, m, sizeof *buf, cmp_double);
    double med = m % 2 ? buf[m / 2] : 0.5 * (buf[m / 2 - 1] + buf[m / 2]);
    return 1.4826 * med / norm;
}

/* One lagged-diffusivity step: y ← (I + c Δ²ᵀ E(y) Δ²)⁻¹ x with c = α/h, by LDLᵀ of the
   symmetric pentadiagonal matrix (diagonal d, first and second superdiagonals e, f). */
static void tv_step(tv_work *w, const double *x, double c, double delta)
{
    size_t n = w->n;
    double *y = w->y, *d = w->d, *e = w->e, *f = w->f;
    for (size_t i = 0; i < n; i++) d[i] = 1, e[i] = 0, f[i] = 0;
    for (size_t k = 0; k + 2 < n; k++) {
        double z = y[k] - 2 * y[k + 1] + y[k + 2];
        double ck = c / sqrt(z * z + delta * delta);
        d[k] += ck, d[k + 1] += 4 * ck, d[k + 2] += ck;
        e[k] -= 2 * ck, e[k + 1] -= 2 * ck;
        f[k] += ck;
    }
    /* LDLᵀ in place: d ← D, e ← L(i+1, i), f ← L(i+2, i). */
    for (size_t i = 0; i < n; i++) {
        double di = d[i];
        if (i >= 1) di -= e[i - 1] * e[i - 1] * d[i - 1];
        if (i >= 2) di -= f[i - 2] * f[i - 2] * d[i - 2];
        d[i] = di;
        double ei = e[i];
        if (i >= 1) ei -= f[i - 1] * e[i - 1] * d[i - 1];
        e[i] = ei / di;
        f[i] /= di;
    }
    /* L z = x, then D, then Lᵀ y = z. */
    double *z = w->z;
    for (size_t i = 0; i < n; i++) {
        double s = x[i];
        if (i >= 1) s -= e[i - 1] * z[i - 1];
        if (i >= 2) s -= f[i - 2] * z[i - 2];
        z[i] = s;
    }
    for (size_t i = 0; i < n; i++) z[i] /= d[i];
    for (size_t i = n; i-- > 0;) {
        double s = z[i];
        if (i + 1 < n) s -= e[i] * y[i + 1];
        if (i + 2 < n) s -= f[i] * y[i + 2];
        y[i] = s;
    }
}

/* Whiteness of the residual r = x − y: Σ_{k=1..LAGS} autocorrelation(k), scaled by
   sqrt(n/LAGS) so that for white noise it is a standard normal deviate. */
static double whiteness(const double *y, const double *x, size_t n, double *r)
{
    double rr = 0, c = 0;
    for (size_t i = 0; i < n; i++) {
        r[i] = x[i] - y[i];
        rr += r[i] * r[i];
    }
    for (size_t k = 1; k <= LAGS; k++)
        for (size_t i = 0; i + k < n; i++) c += r[i] * r[i + k];
    return rr > 0 ? c / rr * sqrt((double)n / LAGS) : 0;
}

/* α where the residual turns from high-pass filtered noise (too little smoothing:
   negatively correlated) to noise plus signal (too much: positively correlated), by
   bisection on log α; y is left near the solution for the α returned. */
static double choose_alpha(tv_work *w, const double *x, double h, double sigma, double delta)
{
    size_t n = w->n;
    double lo = log(1e-2 * h * sigma), hi = log(h * sigma * (double)n * (double)n);
    memcpy(w->y, x, n * sizeof *x);
    for (int k = 0; k < SEARCH_ITERS; k++) tv_step(w, x, exp(hi) / h, delta);
    if (whiteness(w->y, x, n, w->r) <= WHITE_TARGET) return exp(hi);   /* a line plus noise */
    for (int s = 0; s < SEARCH_STEPS; s++) {
        double mid = 0.5 * (lo + hi);
        for (int k = 0; k < SEARCH_ITERS; k++) tv_step(w, x, exp(mid) / h, delta);
        if (whiteness(w->y, x, n, w->r) > WHITE_TARGET) hi = mid;
        else lo = mid;
    }
    return exp(0.5 * (lo + hi));
}

nd_status nd_deriv_tv(const double *x, size_t n, double h, double alpha, int iters,
                      double *dx, nd_deriv_info *info, nd_error *err)
{
    tv_work w = {.n = n};
    double *mem = malloc(6 * n * sizeof *mem);
    if (!mem) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    w.y = mem, w.d = mem + n, w.e = mem + 2 * n, w.f = mem + 3 * n, w.z = mem + 4 * n;
    w.r = mem + 5 * n;
    double sigma = noise_sigma(x, n, w.d);
    double lo = x[0], hi = x[0];
    for (size_t i = 1; i < n; i++) lo = fmin(lo, x[i]), hi = fmax(hi, x[i]);
    /* δ keeps the weights finite where y is straight; far below any curvature that
       matters, yet not so small that the matrix loses all its digits. */
    double delta = fmax(1e-3 * sigma, 1e-9 * (hi - lo));
    if (delta == 0) delta = 1e-300;   /* constant data */
    /* The search leaves y near the chosen α's solution: the iterations go on from there. */
    if (alpha == 0 && sigma > CLEAN * (hi - lo)) alpha = choose_alpha(&w, x, h, sigma, delta);
    else memcpy(w.y, x, n * sizeof *x);
    if (alpha > 0)
        for (int k = 0; k < iters; k++) tv_step(&w, x, alpha / h, delta);
    info->alpha = alpha;
    info->sigma = sigma;
    const double *y = w.y;
    dx[0] = (-3 * y[0] + 4 * y[1] - y[2]) / (2 * h);
    for (size_t i = 1; i + 1 < n; i++) dx[i] = (y[i + 1] - y[i - 1]) / (2 * h);
    dx[n - 1] = (y[n - 3] - 4 * y[n - 2] + 3 * y[n - 1]) / (2 * h);
    free(mem);
    return ND_OK;
}
