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
       first firing tenth becomes the next bracket. */
    while (st == ND_OK && hi - lo > tol) {
        double step = (hi - lo) / DIVISIONS, x = lo;
        memcpy(y, rest, n * sizeof *y);
        for (int k = 1; k <= DIVISIONS && st == ND_OK; k++) {
            x = k == DIVISIONS ? hi : lo + k * step;
            st = nd_fi_run_value(m, pars, o, thr, hys, x, y, &r, &evals, err);
            if (st != ND_OK || r > 0) break;
            memcpy(rest, y, n * sizeof *y);
        }
        if (st != ND_OK) break;
        if (!(r > 0)) {
            st = nd_error_fail(err, ND_EVALUE, "the model stops firing at %g when approached "
                               "in smaller steps: no single onset in the range", hi);
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
