/* The up-sweep onset by bisection on simulations: the brute-force way to find where
   firing starts, kept as the yardstick continuation is compared against. */
#include "fi.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fi_run.h"

/* Sub-steps per refinement level: each level narrows the bracket tenfold. */
enum { DIVISIONS = 10 };

nd_status nd_fi_onset(const nd_model *m, const nd_fi_options *o, double tol, double *onset,
                      double *rate, nd_error *err)
{
    nd_fi_options whole = *o;   /* the sweep's step plays no part here */
    whole.step = o->b - o->a;
    nd_status st = nd_fi_check(m, &whole, err);
    if (st != ND_OK) return st;
    if (!(tol > 0)) return nd_error_fail(err, ND_EVALUE, "the tolerance must be positive");
    long evals = 0;
    double thr, hys;
    if ((st = nd_fi_threshold(m, o, &thr, &hys, &evals, err)) != ND_OK) return st;
    if (isnan(thr)) return nd_error_fail(err, ND_EVALUE, "the model fires nowhere in the range");
    size_t n = nd_model_count(m, ND_MODEL_STATE), np = nd_model_count(m, ND_MODEL_PAR);
    double *rest = malloc((n ? n : 1) * sizeof *rest), *y = malloc((n ? n : 1) * sizeof *y);
    double *pars = malloc((np ? np : 1) * sizeof *pars);
    if (!rest || !y || !pars) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    double lo = o->a, hi = o->b, r = 0, r_hi = 0;
    if (st == ND_OK) {
        memcpy(rest, nd_model_inits(m), n * sizeof *rest);
        memcpy(pars, nd_model_pars(m), np * sizeof *pars);
        st = nd_fi_run_value(m, pars, o, thr, hys, lo, rest, &r, &evals, err);
        if (st == ND_OK && r > 0)
            st = nd_error_fail(err, ND_EVALUE, "the model already fires at the lower end");
    }
    if (st == ND_OK) {
        memcpy(y, rest, n * sizeof *y);
        st = nd_fi_run_value(m, pars, o, thr, hys, hi, y, &r_hi, &evals, err);
        if (st == ND_OK && !(r_hi > 0))
            st = nd_error_fail(err, ND_EVALUE, "the model does not fire at the upper end");
    }
    /* A bisection would jump from rest at lo straight to the midpoint, and a big jump
       kicks a bistable neuron onto its firing cycle below the true onset. So each level
       sweeps the bracket up in tenths from rest at lo, as a slow up sweep would, and the
       first firing tenth becomes the next bracket. When the smaller steps no longer kick
       it into firing at hi (a bistable neuron: hh below its Hopf point, izh below its
       fold), the sweep goes on up in those steps to where it fires from rest: the onset
       of a slow ramp. */
    while (st == ND_OK && hi - lo > tol) {
        double step = (hi - lo) / DIVISIONS, x = lo;
        memcpy(y, rest, n * sizeof *y);
        for (int k = 1; st == ND_OK; k++) {
            x = k == DIVISIONS ? hi : lo + k * step;
            if (k > DIVISIONS && x > o->b) break;
            st = nd_fi_run_value(m, pars, o, thr, hys, x, y, &r, &evals, err);
            if (st != ND_OK || r > 0) break;
            memcpy(rest, y, n * sizeof *y);
        }
        if (st != ND_OK) break;
        if (!(r > 0)) {
            st = nd_error_fail(err, ND_EVALUE, "the model does not fire up to %g when "
                               "approached in steps of %g: no onset in the range", o->b, step);
            break;
        }
        r_hi = r;
        lo = x - step;
        hi = x;
    }
    if (st == ND_OK) {
        *onset = hi;
        if (rate) *rate = r_hi;
    }
    free(rest);
    free(y);
    free(pars);
    return st;
}

nd_status nd_fi_classify(const nd_model *m, const nd_fi_options *o, const nd_fi_result *r,
                         nd_fi_findings *f, nd_error *err)
{
    f->onset_value = f->onset_rate = NAN;
    f->onset_class = 0;
    if (f->onset < 1 || isnan(r->threshold)) return ND_OK;
    /* From the sweep's first value, as the sweep went (a bistable neuron, hh, started at
       rest next to its onset would be kicked onto its firing cycle by the jump there), to
       the last value of the first stretch that fires (approached slowly, it may start
       firing above the grid's onset; above the stretch, fhn is silent again). */
    size_t last = (size_t)f->onset;
    while (last + 1 < r->n && r->rate_up[last + 1] > 0) last++;
    nd_fi_options near = *o;
    near.a = r->value[0];
    near.b = r->value[last];
    near.threshold = r->threshold;
    near.hysteresis = r->hysteresis;
    near.progress = NULL;
    nd_error sub;
    double onset, rate;
    double step = r->value[f->onset] - r->value[f->onset - 1];
    nd_status st = nd_fi_onset(m, &near, 1e-3 * step, &onset, &rate, &sub);
    if (st == ND_EVALUE) return ND_OK;   /* no firing within the range when approached finely */
    if (st != ND_OK) {
        if (err) *err = sub;
        return st;
    }
    f->onset_value = onset;
    f->onset_rate = rate;
    f->onset_class = rate < 0.35 * f->max_rate ? 1 : 2;
    return ND_OK;
}
