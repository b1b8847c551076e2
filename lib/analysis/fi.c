/* F-I sweeps: each value continues from the state the previous value left, which is
   what lets a bistable neuron stay at rest going up and keep firing coming down. */
#include "fi.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fi_run.h"

void nd_fi_options_default(nd_fi_options *o, int par, int state, double a, double b)
{
    *o = (nd_fi_options){
        .par = par, .a = a, .b = b, .step = (b - a) / 50, .state = state,
        .transient = 200, .window = 1000, .min_spikes = 20,
        .threshold = NAN, .hysteresis = NAN, .rate_scale = 1, .rtol = 1e-6,
        .up = 1, .down = 1,
    };
}

void nd_fi_result_clear(nd_fi_result *r)
{
    free(r->value);
    free(r->rate_up);
    free(r->rate_down);
    memset(r, 0, sizeof *r);
}

nd_fi_findings nd_fi_find(const nd_fi_result *r)
{
    nd_fi_findings f = {-1, -1, -1, -1, 0, NAN, NAN, 0};
    long n = (long)r->n;
    for (long i = 0; i < n && f.onset < 0; i++)
        if (r->rate_up[i] > 0) f.onset = i;
    long top = n - 1;
    while (top >= 0 && !(r->rate_down[top] > 0)) top--;
    for (long i = top; i >= 0 && r->rate_down[i] > 0; i--) f.offset = i;
    for (long i = 0; i < n; i++) {
        f.max_rate = fmax(f.max_rate, fmax(isnan(r->rate_up[i]) ? 0 : r->rate_up[i],
                                           isnan(r->rate_down[i]) ? 0 : r->rate_down[i]));
        if (r->rate_up[i] == 0 && r->rate_down[i] > 0) {
            if (f.bist_lo < 0) f.bist_lo = i;
            f.bist_hi = i;
        }
    }
    return f;
}

/* One sweep over the values in the order dir (+1 up, -1 down), starting from m's
   initial state; rate[i] belongs to value[i]. */
static nd_status sweep(const nd_model *m, const nd_fi_options *o, nd_fi_result *r, int dir,
                       double *rate, nd_error *err)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE), np = nd_model_count(m, ND_MODEL_PAR);
    double *y = malloc((n ? n : 1) * sizeof *y), *pars = malloc((np ? np : 1) * sizeof *pars);
    nd_status st = y && pars ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) {
        memcpy(y, nd_model_inits(m), n * sizeof *y);
        memcpy(pars, nd_model_pars(m), np * sizeof *pars);
    }
    size_t done0 = dir < 0 && o->up ? r->n : 0, total = r->n * (size_t)(!!o->up + !!o->down);
    for (size_t k = 0; k < r->n && st == ND_OK; k++) {
        size_t i = dir > 0 ? k : r->n - 1 - k;
        if (o->interrupt && atomic_load(o->interrupt))
            st = nd_error_fail(err, ND_EINTERRUPT, "interrupted by the user");
        else {
            if (o->progress) o->progress(o->progress_ctx, done0 + k, total, dir > 0, r->value[i]);
            st = nd_fi_run_value(m, pars, o, r->threshold, r->hysteresis, r->value[i], y,
                                 &rate[i], &r->rhs_evals, err);
        }
    }
    free(y);
    free(pars);
    return st;
}

/* x to 12 significant digits, so that 0 + 282 × 0.1 is 28.2 and prints as such. */
static double tidy(double x)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.12g", x);
    return strtod(buf, NULL);
}

nd_status nd_fi_sweep(const nd_model *m, const nd_fi_options *o, nd_fi_result *out,
                      nd_error *err)
{
    memset(out, 0, sizeof *out);
    nd_status st = nd_fi_check(m, o, err);
    if (st != ND_OK) return st;
    /* The relative slack keeps b itself when (b − a)/step is a whole number in decimal. */
    size_t n = (size_t)floor((o->b - o->a) / o->step * (1 + 1e-12)) + 1;
    out->n = n;
    out->value = malloc(n * sizeof *out->value);
    out->rate_up = malloc(n * sizeof *out->rate_up);
    out->rate_down = malloc(n * sizeof *out->rate_down);
    if (!out->value || !out->rate_up || !out->rate_down) {
        nd_fi_result_clear(out);
        return nd_error_fail(err, ND_ENOMEM, "out of memory for %zu values", n);
    }
    for (size_t i = 0; i < n; i++) {
        out->value[i] = tidy(fmin(o->a + (double)i * o->step, o->b));
        out->rate_up[i] = out->rate_down[i] = NAN;
    }
    st = nd_fi_threshold(m, o, &out->threshold, &out->hysteresis, &out->rhs_evals, err);
    if (st == ND_OK && o->up) st = sweep(m, o, out, +1, out->rate_up, err);
    if (st == ND_OK && o->down) st = sweep(m, o, out, -1, out->rate_down, err);
    if (st != ND_OK) nd_fi_result_clear(out);
    return st;
}
