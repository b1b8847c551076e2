/* Parameter-fit timing (issue 15): the synthetic Hodgkin–Huxley case of bench/fit.py —
   gNa and gK fitted from 120, 36 to a CSV of V under the step I = 10 on [5, 35) — with
   each method (and Levenberg–Marquardt once more with a 4× finer step, to show the
   discretisation's share of the difference from a tight adaptive solve), timed from nd_fit_create to the end of the search (the
   median of 5 runs). Prints one JSON line for bench/fit.py. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "clock.h"
#include "../lib/learn/fit.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: fit DATA.csv\n");
        return 2;
    }
    nd_error err = {0};
    nd_dataset *ds = nd_ds_load_csv(argv[1], &err);
    nd_model *m = ds ? nd_model_builtin("hh", &err) : NULL;
    if (!m) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    const char *params[] = {"gNa", "gK"}, *obs[] = {"V"};
    nd_fit_options o;
    nd_fit_options_default(&o);
    o.params = params, o.nparams = 2, o.observe = obs, o.nobserve = 1;
    nd_stim *stim = nd_stim_create();
    nd_stim_add_step(stim, 5, 30, 10);
    o.stim = stim;
    o.stim_par = nd_model_index(m, ND_MODEL_PAR, "I");
    const nd_dataset *d[] = {ds};
    printf("{\"methods\": [");
    static const struct { nd_fit_method m; double dt; const char *name; } runs[] = {
        {ND_FIT_LM, 0, "lm"}, {ND_FIT_LBFGS, 0, "lbfgs"}, {ND_FIT_LM, 0.0025, "lm dt=0.0025"}};
    for (int k = 0; k < 3; k++) {
        o.dt = runs[k].dt;
        double times[5], est[2] = {0};
        long iters = 0;
        for (int rep = 0; rep < 5; rep++) {
            double t0 = bench_now();
            nd_fit *f = nd_fit_create(m, d, 1, &o, &err);
            nd_fit_run_info info;
            if (!f || nd_fit_run(f, runs[k].m, 500, NULL, &info, &err) != ND_OK) {
                fprintf(stderr, "%s\n", err.msg);
                return 1;
            }
            times[rep] = bench_now() - t0;
            est[0] = nd_fit_values(f)[0], est[1] = nd_fit_values(f)[1];
            iters = info.iterations;
            nd_fit_free(f);
        }
        qsort(times, 5, sizeof *times, bench_cmp);
        printf("%s{\"method\": \"%s\", \"estimates\": [%.17g, %.17g], \"seconds\": %.6g, "
               "\"iterations\": %ld}", k ? ", " : "", runs[k].name,
               est[0], est[1], times[2], iters);
    }
    printf("]}\n");
    nd_stim_free(stim);
    nd_model_free(m);
    nd_ds_free(ds);
    return 0;
}
