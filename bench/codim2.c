/* Two-parameter continuation of HH: the Hopf curves in (I, gK) over I = 0..200,
   gK = 20..50 (the target: well under 50 ms), Hopf and fold curves over
   gK = 0..50 with the Bautin point, and the same box with the folds of cycles (LPC
   curves: each Newton step shoots the cycle, so they cost far more than the others); median wall time of repeated runs, with the points
   per curve and the codimension-2 points found. The time includes finding the starting
   points (one-parameter continuations along 10 lines of the box).

   Build and run from the top of the checkout: make build/bench/codim2 && build/bench/codim2 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "clock.h"
#include "../lib/analysis/codim2.h"

enum { RUNS = 21, LPC_RUNS = 3 };

static const char *kinds_name(int kinds)
{
    return kinds == ND_C2_HOPF                  ? "hopf"
           : kinds == (ND_C2_HOPF | ND_C2_FOLD) ? "hopf + fold"
           : kinds == ND_C2_LPC                 ? "lpc"
                                                : "hopf + lpc";
}

static void bench(const nd_model *m, int kinds, double gk_lo, double gk_hi, int runs)
{
    double t[RUNS];
    nd_c2_result *r = NULL;
    nd_error err = {0};
    int I = nd_model_index(m, ND_MODEL_PAR, "I"), gK = nd_model_index(m, ND_MODEL_PAR, "gK");
    for (int k = 0; k < runs; k++) {
        nd_c2_free(r);
        double t0 = bench_now();
        if (nd_c2_continue(m, kinds, I, 0, 200, gK, gk_lo, gk_hi, NULL, &r, &err) != ND_OK) {
            printf("failed: %s\n", err.msg);
            return;
        }
        t[k] = bench_now() - t0;
    }
    qsort(t, (size_t)runs, sizeof *t, bench_cmp);
    printf("hh, I 0..200 x gK %g..%g, %s: median of %d %.2f ms;", gk_lo, gk_hi,
           kinds_name(kinds), runs, 1e3 * t[runs / 2]);
    for (size_t c = 0; c < r->ncurves; c++)
        printf(" %s curve %zu points;", nd_c2_curve_name(r->curves[c].kind), r->curves[c].n);
    for (size_t i = 0; i < r->npoints; i++)
        printf(" %s at I = %.6g, gK = %.6g;", nd_c2_kind_tag(r->points[i].kind), r->points[i].p1,
               r->points[i].p2);
    printf("\n");
    nd_c2_free(r);
}

int main(void)
{
    nd_error err = {0};
    nd_model *m = nd_model_builtin("hh", &err);
    if (!m) return 1;
    bench(m, ND_C2_HOPF, 20, 50, RUNS);
    bench(m, ND_C2_HOPF | ND_C2_FOLD, 0, 50, RUNS);
    bench(m, ND_C2_LPC, 0, 50, LPC_RUNS);
    bench(m, ND_C2_HOPF | ND_C2_LPC, 0, 50, LPC_RUNS);
    nd_model_free(m);
    return 0;
}
