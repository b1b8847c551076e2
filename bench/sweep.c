/* The 40 x 40 firing-rate map of HH over (I, gK) = (0..20, 20..50), transient 200 ms
   then 1000 ms measured at each point, with 1 and then 2 threads: the times, the
   speed-up, and whether the two tables are identical to the last bit. Prints one JSON
   line for bench/sweep.py after the human-readable lines.

   Usage: build/bench/sweep [repeats [table.csv]]   (default 3; the best time of each is
   kept; the table is saved when a path is given) */
#include "clock.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/learn/psweep.h"

/* Runs the map repeats times; *best is the shortest wall time, *cpu_s the CPU time of that
   run (all threads): cpu / (threads × wall) below 1 means the cores were busy elsewhere. */
static nd_dataset *run(const nd_model *m, const nd_psweep_axis *ax, unsigned threads,
                       double *best, double *cpu_s, int repeats)
{
    nd_psweep_options o;
    nd_psweep_options_default(&o, ax, 2, nd_model_index(m, ND_MODEL_STATE, "V"));
    o.threads = threads;
    nd_dataset *ds = NULL;
    *best = INFINITY;
    for (int r = 0; r < repeats; r++) {
        nd_ds_free(ds);
        ds = NULL;
        nd_error e = {0};
        double t0 = bench_now(), c0 = bench_cpu();
        if (nd_psweep_run(m, &o, &ds, NULL, &e) != ND_OK) {
            fprintf(stderr, "sweep failed: %s\n", e.msg);
            exit(1);
        }
        double dt = bench_now() - t0, dc = bench_cpu() - c0;
        if (dt < *best) *best = dt, *cpu_s = dc;
    }
    return ds;
}

int main(int argc, char **argv)
{
    int repeats = argc > 1 ? atoi(argv[1]) : 3;
    if (repeats < 1) repeats = 1;
    nd_error e = {0};
    nd_model *m = nd_model_builtin("hh", &e);
    double *I = NULL, *gK = NULL;
    size_t nI, nK;
    if (!m || nd_psweep_range(0, 20, NAN, 40, &I, &nI, &e) != ND_OK ||
        nd_psweep_range(20, 50, NAN, 40, &gK, &nK, &e) != ND_OK) {
        fprintf(stderr, "setup failed: %s\n", e.msg);
        return 1;
    }
    nd_psweep_axis ax[] = {{"I", I, nI}, {"gK", gK, nK}};
    double t1, t2, c1, c2;
    nd_dataset *a = run(m, ax, 1, &t1, &c1, repeats);
    nd_dataset *b = run(m, ax, 2, &t2, &c2, repeats);
    int same = 1;
    for (size_t c = 0; c < nd_ds_cols(a); c++)
        same &= memcmp(nd_ds_col(a, c), nd_ds_col(b, c), nd_ds_rows(a) * sizeof(double)) == 0;
    size_t firing = 0;
    for (size_t i = 0; i < nd_ds_rows(a); i++) firing += nd_ds_col(a, 2)[i] > 0;
    printf("HH firing-rate map, 40 x 40 (I 0..20, gK 20..50), 200 + 1000 ms per point, "
           "best of %d\n", repeats);
    printf("  1 thread   %8.3f s  (%.2f ms per point), CPU %.3f s (%.0f %% of a core)\n", t1,
           1e3 * t1 / 1600, c1, 100 * c1 / t1);
    printf("  2 threads  %8.3f s  speed-up %.2fx, CPU %.3f s (%.0f %% of two cores)\n", t2,
           t1 / t2, c2, 100 * c2 / (2 * t2));
    /* The work of two threads split evenly over two free cores: 2 c1 / c2. */
    printf("  speed-up on two free cores, from CPU time (2 x CPU1 / CPU2): %.2fx\n",
           2 * c1 / c2);
    printf("  tables identical: %s; %zu of 1600 points fire\n", same ? "yes" : "NO", firing);
    printf("{\"points\": 1600, \"t1\": %.6f, \"t2\": %.6f, \"cpu1\": %.6f, \"cpu2\": %.6f, "
           "\"speedup\": %.4f, \"identical\": %s, \"firing\": %zu}\n", t1, t2, c1, c2,
           t1 / t2, same ? "true" : "false", firing);
    if (argc > 2 && nd_ds_save_csv(a, argv[2], &e) != ND_OK)
        fprintf(stderr, "could not save the table: %s\n", e.msg);
    nd_ds_free(a);
    nd_ds_free(b);
    free(I);
    free(gK);
    nd_model_free(m);
    return same ? 0 : 1;
}
