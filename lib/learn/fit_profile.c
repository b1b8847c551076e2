/* Profile likelihood of one parameter: held at each value of a grid while the others are
   re-optimised, the residual sum of squares traces how much the data dislike that value
   once the others have adjusted. Its 95 % interval is where SSR − SSRmin ≤ 3.84 σ²
   (χ² with one degree of freedom; Raue et al. 2009). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit_impl.h"

void nd_fit_profile_free(nd_fit_profile *p)
{
    if (!p) return;
    free(p->value), free(p->ssr);
    memset(p, 0, sizeof *p);
}

/* The grid value where the profile crosses level between points a and b. */
static double crossing(const nd_fit_profile *p, size_t a, size_t b, double level)
{
    double fa = p->ssr[a], fb = p->ssr[b];
    if (!isfinite(fa) || !isfinite(fb) || fa == fb) return p->value[b];
    return p->value[a] + (level - fa) / (fb - fa) * (p->value[b] - p->value[a]);
}

static void interval(nd_fit_profile *p, double sigma2)
{
    size_t best = 0;
    for (size_t i = 1; i < p->n; i++)
        if (isfinite(p->ssr[i]) && !(p->ssr[i] >= p->ssr[best])) best = i;
    double level = p->ssr[best] + 3.84 * sigma2;
    p->lo = p->hi = NAN;
    for (size_t i = best; i-- > 0;)
        if (!(p->ssr[i] <= level)) {
            p->lo = crossing(p, i + 1, i, level);
            break;
        }
    for (size_t i = best + 1; i < p->n; i++)
        if (!(p->ssr[i] <= level)) {
            p->hi = crossing(p, i - 1, i, level);
            break;
        }
}

nd_status nd_fit_profile_run(nd_fit *f, size_t param, double lo, double hi, size_t n,
                             double sigma2, nd_fit_method method, long iters,
                             const nd_optim_callbacks *cb, nd_fit_profile *p, nd_error *err)
{
    memset(p, 0, sizeof *p);
    if (param >= f->np || n < 2 || !(lo < hi))
        return nd_error_fail(err, ND_EVALUE, "a profile needs a fitted parameter and a grid lo < hi");
    if (!(lo > f->lo[param]) || !(hi < f->hi[param]))
        return nd_error_fail(err, ND_EVALUE, "the profile's range [%g, %g] leaves the bounds of %s",
                             lo, hi, nd_fit_param_name(f, param));
    p->param = param;
    p->n = n;
    p->value = malloc(n * sizeof *p->value);
    p->ssr = malloc(n * sizeof *p->ssr);
    double *best = malloc(f->ntheta * sizeof *best), *th = malloc(f->ntheta * sizeof *th);
    nd_status st = p->value && p->ssr && best && th ? ND_OK
                 : nd_error_fail(err, ND_ENOMEM, "out of memory for the profile");
    if (!st) nd_fit_theta(f, best);
    f->fixed[param] = 1;
    for (size_t i = 0; !st && i < n; i++) {
        p->value[i] = lo + (hi - lo) * (double)i / (double)(n - 1);
        memcpy(th, best, f->ntheta * sizeof *th);
        th[param] = fit_tf_theta(f, param, p->value[i]);
        nd_fit_set_theta(f, th);
        p->ssr[i] = NAN;
        if (f->np > 1) {
            nd_fit_run_info info;
            st = nd_fit_run(f, method, iters, cb, &info, err);
            if (st == ND_ESOLVER) st = ND_OK;   /* a grid value the model cannot follow */
        }
        if (!st) p->ssr[i] = fit_ssr_single(f);
    }
    f->fixed[param] = 0;
    if (best) nd_fit_set_theta(f, best);
    free(best), free(th);
    if (!st) interval(p, sigma2);
    else nd_fit_profile_free(p);
    return st;
}

void nd_fit_profile_range(const nd_fit *f, size_t i, double se, int log, double lower,
                          double upper, double *lo, double *hi)
{
    double x = nd_fit_values(f)[i], w = isfinite(se) && se > 0 ? 4 * se : 0.5 * fabs(x);
    if (w == 0) w = 1;
    *lo = x - w;
    *hi = x + w;
    if (log && x > 0 && !(lower > -INFINITY) && *lo <= 0) *lo = x / 2;
    if (lower > -INFINITY && *lo <= lower) *lo = (lower + x) / 2;
    if (upper < INFINITY && *hi >= upper) *hi = (upper + x) / 2;
}
