/* The gradient-free features fit (nd_fit_cmaes, objective features) of the unit test —
   Wang–Buzsáki sweeps at -50, 100, 300 and 600 pA from a cell with gNa = 30, gK = 14,
   fitted from the model's 35 and 9 — with the population evaluated by one thread and by
   two, and (a second case) with a population of 12 instead of the default 6. Prints the
   wall time of each (the fastest of 3 runs: the machine may be shared), the speed-up, the
   cores the two-thread run kept busy (its CPU time over its wall time: what the speed-up
   would be with both cores free), and whether the two runs agree to the bit (they must:
   each evaluation is stored by its index).

   Build and run from the top of the checkout (`make build/bench/cmaes`):
       OPENBLAS_CORETYPE=Haswell build/bench/cmaes */
#include "clock.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/learn/fit_cmaes.h"
/* the synthetic recordings of the tests, compiled in: a bench program is one file */
#include "tests/unit/fit_fixture.c"

enum { NSWEEPS = 4, RUNS = 3 };

/* One fit; the fastest wall time of RUNS into *secs, that run's CPU time over it in *busy. */
static int fit(const nd_model *m, nd_dataset **sw, int threads, size_t lambda,
               nd_fit_cmaes_result *r, double *secs, double *busy)
{
    static const char *const names[2] = {"gNa", "gK"};
    double lo[2] = {10, 2}, hi[2] = {100, 40};
    *secs = INFINITY;
    for (int k = 0; k < RUNS; k++) {
        nd_fit_cmaes_options o;
        nd_fit_cmaes_options_default(&o);
        o.setup.capacitance_pf = FIT_FX_CAP_PF;
        o.cmaes.seed = 5;
        o.cmaes.threads = threads;
        o.cmaes.lambda = lambda;
        nd_error e;
        if (k) nd_fit_cmaes_result_clear(r);
        double t0 = bench_now();
        clock_t c0 = clock();
        if (nd_fit_cmaes(m, names, 2, NULL, lo, hi, (const nd_dataset *const *)sw, NSWEEPS, &o, r, &e)) {
            fprintf(stderr, "fit failed: %s\n", e.msg);
            return -1;
        }
        double wall = bench_now() - t0, cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
        if (wall < *secs) *secs = wall, *busy = cpu / wall;
    }
    return 0;
}

int main(void)
{
    nd_error e;
    nd_model *m = nd_model_builtin("wb", &e);
    const double amps[NSWEEPS] = {-50, 100, 300, 600};
    nd_dataset *sw[NSWEEPS];
    for (int k = 0; k < NSWEEPS; k++)
        if (!m || !(sw[k] = fit_fx_sweep(m, 30, 14, amps[k]))) return 1;
    printf("CMA-ES features fit of wb (gNa, gK) to 4 synthetic sweeps, fastest of %d runs\n", RUNS);
    printf("%-10s %9s %9s %8s %6s %6s %8s %8s %s\n", "population", "1 thread", "2 threads",
           "speed-up", "busy", "evals", "gNa", "gK", "same bits");
    size_t lambdas[2] = {0, 12};
    for (int c = 0; c < 2; c++) {
        nd_fit_cmaes_result r1, r2;
        double s1, s2, b1, b2;
        if (fit(m, sw, 1, lambdas[c], &r1, &s1, &b1) || fit(m, sw, 2, lambdas[c], &r2, &s2, &b2))
            return 1;
        int same = r1.evals == r2.evals && memcmp(r1.best, r2.best, 2 * sizeof *r1.best) == 0 &&
                   memcmp(&r1.value, &r2.value, sizeof r1.value) == 0;
        printf("%-10zu %8.2fs %8.2fs %7.2fx %6.2f %6ld %8.4f %8.4f %s\n", r1.lambda, s1, s2,
               s1 / s2, b2, r1.evals, r1.best[0], r1.best[1], same ? "yes" : "NO");
        nd_fit_cmaes_result_clear(&r1);
        nd_fit_cmaes_result_clear(&r2);
    }
    for (int k = 0; k < NSWEEPS; k++) nd_ds_free(sw[k]);
    nd_model_free(m);
    return 0;
}
