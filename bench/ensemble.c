/* An ensemble of 8 networks (nd_ude_ens_train, what `train NET DATA ensemble=8` runs) on
   one thread and on two. The flagship of docs/learning.md — hh_rinzel, INa replaced by a
   2-16-16-1 tanh network of (V, n), V every 0.1 ms over 60 ms with 5 % noise, n hidden —
   each member trained by the default recipe from its own weight seed. Prints the wall
   time of each run, the speed-up, the cores the two-thread run kept busy (its CPU time
   over its wall time: the speed-up the machine allowed), and whether both runs gave the
   same members to the bit (they must: each member is trained alone, stored by index).

   Build and run from the top of the checkout (`make build/bench/ensemble`):
       OPENBLAS_CORETYPE=Haswell build/bench/ensemble [members] */
#include "clock.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/data/noise.h"
#include "lib/learn/ude_ensemble.h"
#include "tests/unit/ude_fixture.h"

enum { MAX_MEMBERS = 256 };
static double done_at[MAX_MEMBERS + 1];

static void on_done(void *ctx, size_t done, size_t total)
{
    (void)ctx;
    (void)total;
    if (done <= MAX_MEMBERS) done_at[done] = bench_thread_cpu();
}

/* The wall time two free cores would take: members claimed in index order by whichever
   worker is free first (as nd_pool_run hands them out), each taking its one-thread cost. */
static double two_core_makespan(const double *cost, size_t n)
{
    double w[2] = {0, 0};
    for (size_t i = 0; i < n; i++) w[w[1] < w[0]] += cost[i];
    return w[0] > w[1] ? w[0] : w[1];
}

int main(int argc, char **argv)
{
    size_t members = argc > 1 ? (size_t)atoi(argv[1]) : 8;
    nd_model *m = nd_model_builtin("hh_rinzel", NULL);
    int par = nd_model_index(m, ND_MODEL_PAR, "I");
    nd_stim *st = nd_stim_create();
    nd_stim_add_step(st, 5, 50, 10);
    nd_stim_add_step(st, 30, 25, 5);
    nd_dataset *full = ude_fx_simulate(m, st, par, 60, 0.1);
    const char *cols[] = {"t", "V"}, *obs[] = {"V"};
    nd_dataset *d = ude_fx_select(full, cols, 2);
    nd_ds_add_noise(d, "V", 0.05, 42, NULL);
    size_t hidden[] = {16, 16};
    const char *rep[] = {"INa"}, *in[] = {"V", "n"};
    nd_ude_spec sp = {rep, 1, in, 2, hidden, 2, ND_ACT_TANH, 1};
    nd_ude *u = nd_ude_create(m, &sp, NULL);
    nd_ude_set_stim(u, st, par, NULL);
    nd_ude_experiment ex = {d, NULL, -1};
    nd_ude_ens e[2];
    double secs[2], busy[2];
    for (int k = 0; k < 2; k++) {
        nd_ude_ens_request rq = {.proto = u, .ex = &ex, .nex = 1, .members = members,
                                 .seed = 1, .threads = (unsigned)(k + 1),
                                 .progress = k == 0 ? on_done : NULL};
        nd_ude_fit_options_default(&rq.fo);
        rq.fo.observe = obs;
        rq.fo.nobserve = 1;
        nd_error err = {0};
        double t0 = bench_now(), c0 = bench_cpu();
        if (k == 0) done_at[0] = bench_thread_cpu();
        if (nd_ude_ens_train(&rq, &e[k], &err) != ND_OK) {
            fprintf(stderr, "ensemble: %s\n", err.msg);
            return 1;
        }
        secs[k] = bench_now() - t0;
        busy[k] = (bench_cpu() - c0) / secs[k];
    }
    int same = e[0].n == e[1].n;
    size_t good = 0;
    for (size_t i = 0; same && i < e[0].n; i++) {
        nd_mlp *a = nd_ude_net(e[0].member[i]), *b = nd_ude_net(e[1].member[i]);
        same = e[0].loss[i] == e[1].loss[i] &&
               memcmp(nd_mlp_params(a), nd_mlp_params(b), nd_mlp_nparams(a) * sizeof(double)) == 0;
        good += e[0].ok[i] != 0;
    }
    /* each member's CPU cost on one thread, and what two free cores would make of them */
    double cost[MAX_MEMBERS], total = 0;
    for (size_t i = 0; i < members && i < MAX_MEMBERS; i++)
        total += cost[i] = done_at[i + 1] - done_at[i];
    double ideal = total / two_core_makespan(cost, members < MAX_MEMBERS ? members : MAX_MEMBERS);
    printf("members  1 thread  2 threads  speed-up  busy (1, 2)  ideal on 2 free cores  "
           "good fits  same bits\n");
    printf("%7zu  %7.1fs  %8.1fs  %7.2fx  %4.2f  %4.2f  %20.2fx  %4zu of %zu  %s\n", members,
           secs[0], secs[1], secs[0] / secs[1], busy[0], busy[1], ideal, good, e[0].n,
           same ? "yes" : "NO");
    printf("member CPU seconds (one thread):");
    for (size_t i = 0; i < members && i < MAX_MEMBERS; i++) printf(" %.2f", cost[i]);
    printf("\n");
    nd_ude_ens_clear(&e[0]);
    nd_ude_ens_clear(&e[1]);
    nd_ude_free(u);
    nd_ds_free(d);
    nd_ds_free(full);
    nd_stim_free(st);
    nd_model_free(m);
    return same ? 0 : 1;
}
