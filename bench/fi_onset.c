/* The brute-force way to find where Hodgkin–Huxley starts firing: simulations only, no
   continuation. nd_fi_onset refines a bracket of I by up-sweeps of tenths (each probe one
   simulation continuing from rest at the bracket's silent end) until it is narrower than
   the tolerance; the full F-I sweep (0..20 step 0.5, up and down) is timed too. Compare
   with the continuation benchmark of issue 4, which locates the Hopf point (I = 9.7754)
   directly.

   Build and run from the top of the checkout (after `make build/libneurodyn.a`):
       cc -std=c11 -O2 -D_DEFAULT_SOURCE -I. -o build/fi_onset bench/fi_onset.c \
          build/libneurodyn.a -lsundials_cvode -lsundials_nvecserial \
          -lsundials_sunlinsoldense -lsundials_sunmatrixdense -lsundials_generic \
          -llapacke -lopenblas -lcrypto -lpthread -lm && build/fi_onset
   Prints, for measuring windows of 500, 2000 and 10000 ms and tolerances 0.1, 0.01 and
   0.001, the onset found, its rate and the wall time (median of 5 runs). Just above a
   Hopf point the oscillation grows slowly, so short windows see the onset late. */
#include "clock.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lib/analysis/fi.h"

int main(void)
{
    nd_error e;
    nd_model *m = nd_model_builtin("hh", &e);
    if (!m) return 1;
    int par = nd_model_index(m, ND_MODEL_PAR, "I"), v = nd_model_index(m, ND_MODEL_STATE, "V");
    nd_fi_options o;
    nd_fi_options_default(&o, par, v, 0, 20);
    o.step = 0.5;
    o.rate_scale = 1000;
    double t[5];
    nd_fi_result r = {0};
    for (int k = 0; k < 5; k++) {
        double t0 = bench_now();
        nd_fi_result_clear(&r);
        if (nd_fi_sweep(m, &o, &r, &e) != ND_OK) return fprintf(stderr, "%s\n", e.msg), 1;
        t[k] = bench_now() - t0;
    }
    qsort(t, 5, sizeof *t, bench_cmp);
    printf("F-I sweep hh I = 0..20 step 0.5, up and down: %.3f s, %ld rhs evaluations\n",
           t[2], r.rhs_evals);
    nd_fi_result_clear(&r);
    printf("%8s %8s %10s %10s %9s\n", "window", "tol", "onset", "rate [Hz]", "time [s]");
    const double windows[] = {500, 2000, 10000}, tols[] = {0.1, 0.01, 0.001};
    for (int w = 0; w < 3; w++)
        for (int i = 0; i < 3; i++) {
            nd_fi_options_default(&o, par, v, 5, 15);
            o.window = windows[w];
            o.rate_scale = 1000;
            double onset = 0, rate = 0;
            for (int k = 0; k < 5; k++) {
                double t0 = bench_now();
                if (nd_fi_onset(m, &o, tols[i], &onset, &rate, &e) != ND_OK)
                    return fprintf(stderr, "%s\n", e.msg), 1;
                t[k] = bench_now() - t0;
            }
            qsort(t, 5, sizeof *t, bench_cmp);
            printf("%8g %8g %10.4f %10.3f %9.3f\n", windows[w], tols[i], onset, rate, t[2]);
        }
    nd_model_free(m);
    return 0;
}
