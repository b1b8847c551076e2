/* One value of an F-I sweep: the model's own problem wrapped with two extra events on the
   spiking state (an upward threshold crossing counts a spike, a fall below the re-arm
   level arms the next), so spikes cost the adaptive solver nothing but their location. */
#include "fi_run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../models/model_ivp.h"
#include "../ode/solve.h"

typedef struct counter {
    const nd_ode_problem *base;
    size_t v, nb;             /* spiking state; the model's own events come first */
    double thr, rearm;
    double t_count;           /* crossings before this are the transient */
    int armed;
    size_t count, want;       /* want > 0: stop the solve at that many counted spikes */
    double first, last;       /* first and last counted crossing */
} counter;

static int c_rhs(void *ctx, double t, const double *y, double *dydt)
{
    const counter *c = ctx;
    return c->base->rhs(c->base->ctx, t, y, dydt);
}

static int c_jac(void *ctx, double t, const double *y, double *J)
{
    const counter *c = ctx;
    return c->base->jac(c->base->ctx, t, y, J);
}

static int c_events(void *ctx, double t, const double *y, double *g)
{
    const counter *c = ctx;
    if (c->nb) {
        int rc = c->base->events(c->base->ctx, t, y, g);
        if (rc) return rc;
    }
    g[c->nb] = y[c->v] - c->thr;
    g[c->nb + 1] = c->rearm - y[c->v];
    return 0;
}

static int c_on_event(void *ctx, size_t k, double t, double *y)
{
    counter *c = ctx;
    if (k < c->nb) {
        /* A reset (integrate-and-fire) jumps V down without a crossing to locate. */
        int rc = c->base->on_event ? c->base->on_event(c->base->ctx, k, t, y) : 0;
        if (y[c->v] < c->rearm) c->armed = 1;
        return rc;
    }
    if (k == c->nb + 1) {
        c->armed = 1;
        return 0;
    }
    if (!c->armed) return 0;
    c->armed = 0;
    if (t < c->t_count) return 0;
    if (c->count++ == 0) c->first = t;
    c->last = t;
    return c->want && c->count >= c->want ? 1 : 0;
}

/* The steady rate from the counted spikes: the mean interval, unless the train stopped
   (the last spike lies more than two mean intervals before the end). */
static double steady_rate(const counter *c, double t_end, double scale)
{
    if (c->count < 2) return 0;
    double isi = (c->last - c->first) / (double)(c->count - 1);
    if (!(isi > 0) || t_end - c->last > 2 * isi) return 0;
    return scale / isi;
}

nd_status nd_fi_run_value(const nd_model *m, double *pars, const nd_fi_options *o,
                          double thr, double hys, double value, double *y, double *rate,
                          long *evals, nd_error *err)
{
    double t_end = o->transient + o->window;
    *rate = 0;
    pars[o->par] = value;
    nd_model_ivp *ivp = nd_model_ivp_create(m, pars, NULL, -1, 0, t_end, err);
    if (!ivp) return err ? err->code : ND_ENOMEM;
    const nd_ode_problem *base = nd_model_ivp_problem(ivp);
    counter c = {base, (size_t)o->state, base->nevents, thr, thr - hys, o->transient,
                 y[o->state] < thr, 0, o->min_spikes ? o->min_spikes + 1 : 0, 0, 0};
    nd_ode_problem p = *base;
    p.ctx = &c;
    p.rhs = c_rhs;
    p.jac = base->jac ? c_jac : NULL;
    /* Without a threshold nothing can spike: the model's own events only. */
    p.nevents = base->nevents + (isnan(thr) ? 0 : 2);
    p.events = p.nevents ? c_events : NULL;
    p.on_event = p.nevents ? c_on_event : NULL;
    nd_ode_options opt;
    nd_ode_options_default(&opt);
    opt.rtol = opt.atol = o->rtol;
    opt.interrupt = o->interrupt;
    nd_ode_stats stats = {0};
    nd_status st = nd_ode_solve(&p, 0, t_end, y, &opt, NULL, 0, NULL, NULL, &stats, err);
    *evals += stats.rhs_evals;
    if (st == ND_OK) *rate = steady_rate(&c, stats.t_end, o->rate_scale);
    nd_model_ivp_free(ivp);
    return st;
}

/* ---- the automatic threshold ---- */

/* Lowest and highest value of the spiking state in each half of the measuring window,
   seen at every step (coarse, but a threshold halfway up a spike need not be exact). */
typedef struct extent {
    size_t v;
    double t_from, t_half;
    double lo[2], hi[2];
} extent;

static int track(void *ctx, double t, const double *y, int event, size_t which)
{
    (void)event;
    (void)which;
    extent *e = ctx;
    if (t < e->t_from) return 0;
    int h = t >= e->t_half;
    e->lo[h] = fmin(e->lo[h], y[e->v]);
    e->hi[h] = fmax(e->hi[h], y[e->v]);
    return 0;
}

/* Runs m from its initial state at value; sets *amp to the amplitude of a sustained
   oscillation (the second half of the window swings at least 90 % as far as the first:
   a damped ringing shrinks) or 0, with *lo, *hi its extent. */
static nd_status pilot(const nd_model *m, double *pars, const nd_fi_options *o, double value,
                       double *amp, double *lo, double *hi, long *evals, nd_error *err)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    double t_end = o->transient + o->window, y[n ? n : 1];
    memcpy(y, nd_model_inits(m), n * sizeof *y);
    pars[o->par] = value;
    nd_model_ivp *ivp = nd_model_ivp_create(m, pars, NULL, -1, 0, t_end, err);
    if (!ivp) return err ? err->code : ND_ENOMEM;
    extent e = {(size_t)o->state, o->transient, o->transient + 0.5 * o->window,
                {INFINITY, INFINITY}, {-INFINITY, -INFINITY}};
    nd_ode_options opt;
    nd_ode_options_default(&opt);
    opt.rtol = opt.atol = o->rtol;
    opt.interrupt = o->interrupt;
    nd_ode_stats stats = {0};
    nd_status st = nd_ode_solve(nd_model_ivp_problem(ivp), 0, t_end, y, &opt, NULL, 0, track,
                                &e, &stats, err);
    nd_model_ivp_free(ivp);
    *evals += stats.rhs_evals;
    double a0 = e.hi[0] - e.lo[0], a1 = e.hi[1] - e.lo[1];
    double scale = fmax(fabs(e.hi[1]), fabs(e.lo[1]));
    *amp = a1 >= 0.9 * a0 && a1 > 1e-6 * (1 + scale) ? a1 : 0;
    *lo = e.lo[1];
    *hi = e.hi[1];
    return st;
}

nd_status nd_fi_threshold(const nd_model *m, const nd_fi_options *o, double *thr,
                          double *hys, long *evals, nd_error *err)
{
    *thr = o->threshold;
    *hys = isnan(o->hysteresis) ? 0 : o->hysteresis;
    if (!isnan(o->threshold)) return ND_OK;
    size_t np = nd_model_count(m, ND_MODEL_PAR);
    double *pars = malloc((np ? np : 1) * sizeof *pars), best = 0;
    if (!pars) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    memcpy(pars, nd_model_pars(m), np * sizeof *pars);
    const double at[] = {o->b, 0.5 * (o->a + o->b), o->a};
    nd_status st = ND_OK;
    for (size_t i = 0; i < 3 && st == ND_OK; i++) {
        double amp = 0, lo = 0, hi = 0;
        st = pilot(m, pars, o, at[i], &amp, &lo, &hi, evals, err);
        if (st == ND_OK && amp > best) {
            best = amp;
            *thr = 0.5 * (lo + hi);
            if (isnan(o->hysteresis)) *hys = 0.1 * amp;
        }
    }
    free(pars);
    return st;
}

nd_status nd_fi_check(const nd_model *m, const nd_fi_options *o, nd_error *err)
{
    if (o->par < 0 || (size_t)o->par >= nd_model_count(m, ND_MODEL_PAR))
        return nd_error_fail(err, ND_EVALUE, "no parameter to sweep");
    if (o->state < 0 || (size_t)o->state >= nd_model_count(m, ND_MODEL_STATE))
        return nd_error_fail(err, ND_EVALUE, "no state to count spikes on");
    if (!(o->a < o->b) || !isfinite(o->a) || !isfinite(o->b))
        return nd_error_fail(err, ND_EVALUE, "the range must be finite and increasing (a < b)");
    if (!(o->step > 0) || !isfinite(o->step) || (o->b - o->a) / o->step > 1e5)
        return nd_error_fail(err, ND_EVALUE, "step must be positive and give at most 100000 values");
    if (!(o->transient >= 0) || !isfinite(o->transient))
        return nd_error_fail(err, ND_EVALUE, "transient must be a finite time >= 0");
    if (!(o->window > 0) || !isfinite(o->window))
        return nd_error_fail(err, ND_EVALUE, "window must be a positive, finite time");
    if (!(o->rtol > 0 && o->rtol < 1))
        return nd_error_fail(err, ND_EVALUE, "rtol must lie between 0 and 1");
    if (!isnan(o->threshold) && !isfinite(o->threshold))
        return nd_error_fail(err, ND_EVALUE, "threshold must be finite");
    if (!isnan(o->hysteresis) && !(o->hysteresis >= 0 && isfinite(o->hysteresis)))
        return nd_error_fail(err, ND_EVALUE, "hysteresis must be a finite value >= 0");
    return ND_OK;
}
