/* Continuation of the HH equilibria over I = 0..200 (equilibria only, with the fold/Hopf
   tests, location and l1): wall time per run, median of repeated runs.

   Build and run from the top of the checkout (after `make build/libneurodyn.a`):
       cc -std=c11 -O2 -D_DEFAULT_SOURCE -o build/bench_continuation bench/continuation.c \
          build/libneurodyn.a -lcrypto -llapacke -lopenblas -lsundials_cvode \
          -lsundials_nvecserial -lsundials_sunlinsoldense -lsundials_sunmatrixdense \
          -lsundials_generic -lpthread -lm && build/bench_continuation
   Prints the median wall time, the number of branch points and the Hopf points found. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../lib/analysis/continuation.h"

enum { RUNS = 51 };

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    nd_error err = {0};
    nd_model *m = nd_model_builtin("hh", &err);
    if (!m) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    int par = nd_model_index(m, ND_MODEL_PAR, "I");
    double t[RUNS];
    nd_bif_result *r = NULL;
    for (int k = 0; k < RUNS; k++) {
        nd_bif_free(r);
        double t0 = now();
        if (nd_bif_continue(m, par, 0, 200, NULL, &r, &err) != ND_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        t[k] = now() - t0;
    }
    qsort(t, RUNS, sizeof t[0], cmp);
    printf("hh equilibria, I = 0..200: median %.3f ms (min %.3f, max %.3f) over %d runs, "
           "%zu branch points\n", 1e3 * t[RUNS / 2], 1e3 * t[0], 1e3 * t[RUNS - 1], RUNS,
           r->branches[0].n);
    for (size_t i = 0; i < r->npoints; i++)
        printf("  %s at I = %.8f  omega = %.6f  l1 = %.4g %s\n",
               nd_bif_kind_name(r->points[i].kind), r->points[i].param, r->points[i].omega,
               r->points[i].l1, nd_bif_criticality(&r->points[i]));
    nd_bif_free(r);
    nd_model_free(m);
    return 0;
}
