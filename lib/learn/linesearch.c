/* Strong Wolfe line search: bracketing then zoom (Nocedal & Wright, Algorithms 3.5 and
   3.6) with safeguarded cubic interpolation. A trial point where the objective fails is
   treated as "too far": it becomes the upper end of the bracket and the search bisects
   back towards the last good point, which is how L-BFGS backtracks out of a blow-up. */
#include <math.h>
#include <string.h>

#include "optim_impl.h"

/* One end of a bracket: α, φ(α), φ'(α), and whether φ could be evaluated there. */
typedef struct ls_pt {
    double a, f, slope;
    int ok;
} ls_pt;

/* Evaluates φ(a) into (xt, ft, gt). */
static ls_pt ls_eval(nd_optim *opt, const nd_optim_fn *r, double a)
{
    ls_pt p = { a, INFINITY, NAN, 0 };
    for (size_t i = 0; i < opt->n; i++) opt->xt[i] = opt->x[i] + a * opt->d[i];
    if (nd_optim_eval(opt, r, opt->xt, &opt->ft, opt->gt) == 0) {
        p.ok = 1;
        p.f = opt->ft;
        p.slope = nd_optim_dot(opt->gt, opt->d, opt->n);
    }
    return p;
}

/* The minimiser of the cubic through lo and hi, kept at least a tenth of the interval
   away from either end so the bracket shrinks; bisection when the cubic is unusable. */
static double ls_cubic(ls_pt lo, ls_pt hi)
{
    double mid = 0.5 * (lo.a + hi.a), a = mid;
    if (hi.ok) {
        double d1 = lo.slope + hi.slope - 3.0 * (lo.f - hi.f) / (lo.a - hi.a);
        double disc = d1 * d1 - lo.slope * hi.slope;
        if (disc >= 0) {
            double d2 = copysign(sqrt(disc), hi.a - lo.a);
            double den = hi.slope - lo.slope + 2.0 * d2;
            if (den != 0) a = hi.a - (hi.a - lo.a) * (hi.slope + d2 - d1) / den;
        }
    }
    double w = hi.a - lo.a, a1 = lo.a + 0.1 * w, a2 = hi.a - 0.1 * w;
    if (!isfinite(a)) return mid;
    if ((a - a1) * (a - a2) > 0) a = fabs(a - a1) < fabs(a - a2) ? a1 : a2;
    return a;
}

/* Sufficient decrease: φ(α) ≤ φ(0) + c1·α·φ'(0) at an evaluable point. */
static int ls_armijo(ls_pt p, double f0, double slope0, double c1)
{
    return p.ok && p.f <= f0 + c1 * p.a * slope0;
}

/* Remembers p (just evaluated, in xt/gt) as the best sufficient-decrease point. */
static void ls_keep(nd_optim *opt, ls_pt p, ls_pt *lo)
{
    *lo = p;
    memcpy(opt->xlo, opt->xt, opt->n * sizeof *opt->xlo);
    memcpy(opt->glo, opt->gt, opt->n * sizeof *opt->glo);
}

/* Records the accepted point p in st; returns wolfe (1 strong Wolfe, 0 fallback). */
static int ls_done(nd_optim_step *st, ls_pt p, int wolfe)
{
    st->alpha = p.a;
    st->f = p.f;
    st->slope = p.slope;
    st->wolfe = wolfe;
    return wolfe;
}

/* Falls back to the best sufficient-decrease point, if the search found one. */
static int ls_fallback(nd_optim *opt, ls_pt lo, nd_optim_step *st)
{
    if (lo.a <= 0) return -1;
    memcpy(opt->xt, opt->xlo, opt->n * sizeof *opt->xt);
    memcpy(opt->gt, opt->glo, opt->n * sizeof *opt->gt);
    opt->ft = lo.f;
    return ls_done(st, lo, 0);
}

int nd_optim_wolfe(nd_optim *opt, const nd_optim_fn *r, double alpha0, double slope0,
                   nd_optim_step *st)
{
    const double c1 = opt->o.c1, c2 = opt->o.c2, f0 = opt->f;
    *st = (nd_optim_step){ .f0 = f0, .slope0 = slope0, .c1 = c1, .c2 = c2 };
    ls_pt zero = { 0.0, f0, slope0, 1 }, lo = zero, hi = zero, prev = zero;
    int evals = 0, zoom = 0;
    double a = alpha0;
    /* Bracketing: grow α until the interval [lo, hi] must contain a Wolfe point. */
    while (evals < opt->o.max_ls) {
        ls_pt p = ls_eval(opt, r, a);
        evals++;
        if (!ls_armijo(p, f0, slope0, c1) || (prev.a > 0 && p.f >= prev.f)) {
            hi = p;   /* lo is already prev, kept when it was evaluated */
            zoom = 1;
            break;
        }
        ls_keep(opt, p, &lo);
        if (fabs(p.slope) <= -c2 * slope0) return ls_done(st, p, 1);
        if (p.slope >= 0) {
            hi = prev;
            zoom = 1;
            break;
        }
        prev = p;
        a *= 4.0;
    }
    if (!zoom) return ls_fallback(opt, lo, st);
    /* Zoom: lo always satisfies sufficient decrease with the lowest φ so far, and the
       interval between lo and hi contains a strong Wolfe point. */
    while (evals < opt->o.max_ls && fabs(hi.a - lo.a) > 1e-16 * fmax(1.0, lo.a)) {
        ls_pt p = ls_eval(opt, r, ls_cubic(lo, hi));
        evals++;
        if (!ls_armijo(p, f0, slope0, c1) || p.f >= lo.f) {
            hi = p;
            continue;
        }
        if (fabs(p.slope) <= -c2 * slope0) return ls_done(st, p, 1);
        if (p.slope * (hi.a - lo.a) >= 0) hi = lo;
        ls_keep(opt, p, &lo);
    }
    return ls_fallback(opt, lo, st);
}
