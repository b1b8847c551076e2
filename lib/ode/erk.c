/* The adaptive explicit Runge–Kutta driver for FSAL 5(4) pairs (dp5, tsit5): Hairer's
   error norm and starting step, a PI step-size controller, the pair's own continuous
   extension for outputs and events, exact steps onto breakpoints with a restart after
   each. All memory is allocated once per solve. */
#include "drivers.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const nd_ode_tableau *tab;
    size_t n;
    double t, h;              /* the accepted step [t, t + h] */
    const double *ya;         /* state at t */
    double *k[ND_ODE_ERK_STAGES];
} erk_dense;

static void erk_interp(const void *ctx, double t, double *y)
{
    const erk_dense *d = ctx;
    double w[ND_ODE_ERK_STAGES];
    d->tab->dense((t - d->t) / d->h, w);
    int s = d->tab->stages;
    for (size_t i = 0; i < d->n; i++) {
        double acc = 0;
        for (int j = 0; j < s; j++) acc += w[j] * d->k[j][i];
        y[i] = d->ya[i] + d->h * acc;
    }
}

/* Weighted RMS norm with the tolerance scale of Hairer's codes. */
static double wnorm(const double *v, const double *y0, const double *y1, size_t n,
                    double rtol, double atol)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        double sc = atol + rtol * fmax(fabs(y0[i]), fabs(y1[i]));
        double q = v[i] / sc;
        sum += q * q;
    }
    return sqrt(sum / (double)n);
}

/* Hairer's starting step (HINIT): a step whose explicit Euler error would be about the
   tolerance, refined by an estimate of the second derivative (one extra f). */
static nd_status initial_step(nd_ode_run *r, const nd_ode_tableau *tab, double t,
                              const double *y, const double *f0, double *y1, double *f1,
                              double hmax, double *h_out)
{
    size_t n = r->n;
    double rtol = r->opt->rtol, atol = r->opt->atol;
    if (r->opt->err_n > 0 && r->opt->err_n < n) n = r->opt->err_n;
    double dnf = wnorm(f0, y, y, n, rtol, atol), dny = wnorm(y, y, y, n, rtol, atol);
    double h = (dnf <= 1e-5 || dny <= 1e-5) ? 1e-6 : 0.01 * dny / dnf;
    h = fmin(h, hmax);
    for (size_t i = 0; i < r->n; i++) y1[i] = y[i] + h * f0[i];
    nd_status s = nd_ode_run_rhs(r, t + h, y1, f1);
    if (s) return s;
    for (size_t i = 0; i < n; i++) y1[i] = f1[i] - f0[i];
    double der2 = wnorm(y1, y, y, n, rtol, atol) / h;
    double der12 = fmax(fabs(der2), dnf);
    double h1 = der12 <= 1e-15 ? fmax(1e-6, h * 1e-3) : pow(0.01 / der12, 1.0 / tab->order);
    h = fmin(fmin(100 * h, h1), hmax);
    *h_out = isfinite(h) && h > 0 ? h : 1e-6;
    return ND_OK;
}

/* The variable whose state is largest relative to its tolerance: the likely culprit
   when the step size collapses. */
static long worst_component(const nd_ode_run *r, const double *y)
{
    long worst = 0;
    double big = -1;
    for (size_t i = 0; i < r->n; i++) {
        double q = isfinite(y[i]) ? fabs(y[i]) : INFINITY;
        if (q > big) big = q, worst = (long)i;
    }
    return worst;
}

/* bad: a variable (of the state, or of f when deriv) that came out non-finite. */
static nd_status underflow(nd_ode_run *r, double t, double h, const double *y,
                           long bad, double vbad, int deriv)
{
    char buf[32];
    if (bad >= 0)
        return nd_ode_run_blowup(r, t, vbad, bad, deriv, h, "the step size shrank to "
                                 "nothing without a finite step; the solution blows up "
                                 "here or the model is undefined there");
    long w = worst_component(r, y);
    return nd_error_fail(r->err, ND_ESOLVER,
                         "step size underflow at t = %g (%s, dt = %g, %s = %g): the "
                         "solution may blow up here, or the problem is too stiff (try "
                         "method=bdf)", t, r->method, h,
                         nd_ode_run_varname(r, (size_t)w, buf), y[w]);
}

nd_status nd_ode_erk_solve(nd_ode_run *r, const nd_ode_tableau *tab, double *y)
{
    const nd_ode_options *o = r->opt;
    const size_t n = r->n, nerr = o->err_n > 0 && o->err_n < n ? o->err_n : n;
    const int s = tab->stages;
    nd_ode_stats *st = r->st;
    double *mem = malloc((size_t)(s + 3) * n * sizeof(double));
    if (!mem) return nd_error_fail(r->err, ND_ENOMEM, "out of memory for the solver");
    double *k[ND_ODE_ERK_STAGES];
    for (int j = 0; j < s; j++) k[j] = mem + (size_t)j * n;
    double *ya = mem + (size_t)s * n, *ynew = ya + n, *ys = ynew + n;
    memcpy(ya, y, n * sizeof(double));

    const double safe = 0.9, fac_min = 0.2, fac_max = 10.0;
    const double hmax = o->dt_max > 0 ? o->dt_max : INFINITY;
    double t = r->t0, h = 0, err_old = 1e-4;
    int restart = 1, last_rejected = 0;
    nd_status rc = nd_ode_run_start(r, ya);
    double tstop = nd_ode_run_next_stop(r, t);

    while (!rc && t < r->t1) {
        if (restart) {
            /* f is discontinuous at breaks and resets: start afresh from the right
               limit, and forget the controller's memory. */
            if ((rc = nd_ode_run_rhs(r, t, ya, k[0]))) break;
            long bad = nd_ode_nonfinite(k[0], n);
            if (bad >= 0) {
                rc = nd_ode_run_blowup(r, t, k[0][bad], bad, 1, 0, "the model cannot be "
                                       "evaluated in this state");
                break;
            }
            if (o->dt > 0 && t == r->t0) h = o->dt;
            else if ((rc = initial_step(r, tab, t, ya, k[0], ynew, ys, hmax, &h))) break;
            err_old = 1e-4;
            restart = 0;
        }
        if ((rc = nd_ode_run_poll(r, t))) break;

        h = fmin(h, hmax);
        int hit = 0;
        if (t + 1.01 * h >= tstop) h = tstop - t, hit = 1;
        if (h <= 16 * DBL_EPSILON * fabs(t) || h < DBL_MIN) {
            rc = underflow(r, t, h, ya, -1, 0, 0);
            break;
        }
        /* At a break the stages at the step's end must see f's left limit, or the
           solution and the error estimate would take in the next piece of f. */
        double tb = hit ? tstop : t + h;
        double tlast = hit && tstop < r->t1 ? nextafter(tb, -INFINITY) : tb;

        for (int i = 1; i < s; i++) {
            double *dst = i == s - 1 ? ynew : ys;
            memcpy(dst, ya, n * sizeof(double));
            for (int j = 0; j < i; j++) {
                double ha = h * tab->a[i][j];
                if (ha == 0) continue;
                const double *kj = k[j];
                for (size_t c = 0; c < n; c++) dst[c] += ha * kj[c];
            }
            if ((rc = nd_ode_run_rhs(r, tab->c[i] == 1 ? tlast : t + tab->c[i] * h, dst, k[i])))
                break;
        }
        if (rc) break;
        st->steps++;

        for (size_t c = 0; c < nerr; c++) {
            double e = 0;
            for (int j = 0; j < s; j++) e += tab->e[j] * k[j][c];
            ys[c] = h * e;
        }
        double err = wnorm(ys, ya, ynew, nerr, o->rtol, o->atol);
        if (!isfinite(err)) {
            /* A stage left the model's domain or overflowed: shrink hard and retry. */
            st->rejected++;
            last_rejected = 1;
            long bad = nd_ode_nonfinite(ynew, n);
            double vbad = bad >= 0 ? ynew[bad] : 0;
            int deriv = 0;
            for (int j = 1; j < s && bad < 0; j++)
                if ((bad = nd_ode_nonfinite(k[j], n)) >= 0) vbad = k[j][bad], deriv = 1;
            h *= 0.25;
            if (h <= 16 * DBL_EPSILON * fabs(t) || h < DBL_MIN) {
                rc = underflow(r, t, h, ya, bad, vbad, deriv);
                break;
            }
            continue;
        }
        /* PI control (Gustafsson; Hairer's DOPRI5 form): err^-β1 · err_old^β2. */
        double fac11 = pow(err, tab->beta1);
        if (err > 1) {
            st->rejected++;
            last_rejected = 1;
            h /= fmin(1 / fac_min, fac11 / safe);
            continue;
        }
        double fac = fac11 / pow(err_old, tab->beta2) / safe;
        fac = fmax(1 / fac_max, fmin(1 / fac_min, fac));
        double hnew = h / fac;
        if (last_rejected) hnew = fmin(hnew, h);
        err_old = fmax(err, 1e-4);
        last_rejected = 0;
        st->accepted++;

        erk_dense d = {tab, n, t, tb - t, ya, {0}};
        memcpy(d.k, k, sizeof(double *) * (size_t)s);
        double tnext;
        int action;
        if ((rc = nd_ode_run_step(r, t, tb, ynew, erk_interp, &d, &tnext, &action))) break;
        double *sw = ya;
        ya = ynew, ynew = sw;
        /* the last stage is f(tb, ynew) when the step ran to tb unchanged by an event */
        const double *f_end = tnext == tb && action == ND_ODE_GO ? k[s - 1] : NULL;
        t = tnext;
        if (action == ND_ODE_STOP) break;
        if ((rc = nd_ode_run_every_step(r, t, ya, f_end))) break;
        sw = k[0], k[0] = k[s - 1], k[s - 1] = sw;    /* FSAL */
        h = hnew;
        if (action == ND_ODE_RESTART || (hit && t < r->t1)) restart = 1;
        if (hit || action == ND_ODE_RESTART) tstop = nd_ode_run_next_stop(r, t);
    }
    if (!rc) {
        memcpy(y, ya, n * sizeof(double));
        st->t_end = t;
    }
    free(mem);
    return rc;
}
