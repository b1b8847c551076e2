/* Continuation of HH over I = 0..200: the equilibria (with the fold/Hopf tests, location
   and l1; median of repeated runs), then the periodic orbits from the Hopf points (one
   timed run: multiple shooting, Floquet multipliers, folds of cycles).

   Build and run from the top of the checkout (after `make build/libneurodyn.a`):
       cc -std=c11 -O2 -D_DEFAULT_SOURCE -o build/bench_continuation bench/continuation.c \
          build/libneurodyn.a -lcrypto -llapacke -lopenblas -lsundials_cvode \
          -lsundials_nvecserial -lsundials_sunlinsoldense -lsundials_sunmatrixdense \
          -lsundials_generic -lpthread -lm && build/bench_continuation
   Prints the median wall time, the number of branch points and the Hopf points found, then
   the brute-force alternative: bisection on I in [5, 15] with simulations (dp5, rtol = atol
   = 1e-6) from the rest state nudged by a kick in V, "fires" meaning V > 0 within T ms,
   until the onset is bracketed to 0.01 µA/cm². Its answer depends on both choices: near a
   Hopf point the kick grows at a rate ∝ I − I_H (short T: onset too high), and below a
   subcritical Hopf point a large kick jumps past the small unstable cycle (onset too low).
   On the development machine: equilibria 0.35 ms, cycles 0.42 s CPU (1.12 s before the
   shooting was sped up; 94 orbits, folds of cycles at 6.2603, 7.8423, 7.9178); kick 1 mV / 2 s: [9.707, 9.717];
   0.01 mV / 2 s: [9.902, 9.912]; 0.01 mV / 40 s: [9.775, 9.785] in 184 ms.

   Then the whole of `continue` with its cycle branches (the command's default: from the
   Hopf points and from simulated orbits) for hh over I = 0..200 and hh_rinzel over 0..40,
   the median of REPS runs in CPU time of this process (the machine may be shared). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "../lib/analysis/continuation.h"
#include "../lib/analysis/cycles.h"
#include "../lib/base/blas.h"
#include "../lib/analysis/equilibria.h"
#include "../lib/models/model_ivp.h"
#include "../lib/ode/solve.h"

enum { RUNS = 51 };

static int spiked(void *ctx, double t, const double *y, int event, size_t which)
{
    (void)t, (void)event, (void)which;
    if (y[0] > 0) *(int *)ctx = 1;
    return y[0] > 0;   /* stop: the answer is known */
}

/* 1 when hh at current I, started kick mV above its rest state, spikes within T ms. */
static int fires(nd_model *m, double current, double T, double kick)
{
    nd_error err = {0};
    nd_model_set_par(m, "I", current, &err);
    double y[4];
    memcpy(y, nd_model_inits(m), sizeof y);
    nd_eq_newton(m, nd_model_pars(m), y, 1e-12, 50, &err);
    y[0] += kick;
    nd_model_ivp *ivp = nd_model_ivp_create(m, NULL, NULL, -1, 0, T, &err);
    nd_ode_options o;
    nd_ode_options_default(&o);
    int fired = 0;
    nd_ode_solve(nd_model_ivp_problem(ivp), 0, T, y, &o, NULL, 0, spiked, &fired, NULL, &err);
    nd_model_ivp_free(ivp);
    return fired;
}

static void brute_force(double T, double kick)
{
    nd_error err = {0};
    nd_model *m = nd_model_builtin("hh", &err);
    double lo = 5, hi = 15, t0 = bench_now();
    int sims = 0;
    while (hi - lo > 0.01) {
        double mid = 0.5 * (lo + hi);
        sims++;
        if (fires(m, mid, T, kick)) hi = mid;
        else lo = mid;
    }
    printf("brute force, kick %g mV, T = %5.0f ms: onset in [%.4f, %.4f] after %d "
           "simulations, %.1f ms\n", kick, T, lo, hi, sims, 1e3 * (bench_now() - t0));
    nd_model_free(m);
}

enum { REPS = 5 };

/* `continue PAR lo..hi` of a built-in model with its cycles, as the command runs it. */
static int whole(const char *name, const char *par, double lo, double hi)
{
    nd_error err = {0};
    nd_model *m = nd_model_builtin(name, &err);
    if (!m) return fprintf(stderr, "%s\n", err.msg), 1;
    int pi = nd_model_index(m, ND_MODEL_PAR, par);
    double tc[REPS];
    size_t orbits = 0, folds = 0;
    for (int k = 0; k < REPS; k++) {
        nd_bif_result *r = NULL;
        double c0 = bench_cpu();
        nd_cycle_options co;
        nd_cycle_options_default(&co);
        if (nd_bif_continue(m, pi, lo, hi, NULL, &r, &err) != ND_OK ||
            nd_bif_continue_cycles(m, r, &co, &err) != ND_OK)
            return fprintf(stderr, "%s\n", err.msg), 1;
        tc[k] = bench_cpu() - c0;
        orbits = folds = 0;
        for (size_t i = 0; i < r->ncycles; i++) orbits += r->cycles[i].n;
        for (size_t i = 0; i < r->npoints; i++) folds += r->points[i].kind == ND_BIF_CYCLE_FOLD;
        nd_bif_free(r);
    }
    qsort(tc, REPS, sizeof tc[0], bench_cmp);
    printf("continue %s %g..%g %s with cycles: median %.3f s CPU (min %.3f) over %d runs, "
           "%zu orbits, cycle folds: %zu\n", par, lo, hi, name, tc[REPS / 2], tc[0], REPS,
           orbits, folds);
    nd_model_free(m);
    return 0;
}

int main(void)
{
    /* as the kernel does: the small solves here gain nothing from BLAS threads, whose
       idle spinning would count in the CPU time */
    nd_blas_threads(1);
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
        double t0 = bench_now();
        if (nd_bif_continue(m, par, 0, 200, NULL, &r, &err) != ND_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        t[k] = bench_now() - t0;
    }
    qsort(t, RUNS, sizeof t[0], bench_cmp);
    printf("hh equilibria, I = 0..200: median %.3f ms (min %.3f, max %.3f) over %d runs, "
           "%zu branch points\n", 1e3 * t[RUNS / 2], 1e3 * t[0], 1e3 * t[RUNS - 1], RUNS,
           r->branches[0].n);
    for (size_t i = 0; i < r->npoints; i++)
        printf("  %s at I = %.8f  omega = %.6f  l1 = %.4g %s\n",
               nd_bif_kind_name(r->points[i].kind), r->points[i].param, r->points[i].omega,
               r->points[i].l1, nd_bif_criticality(&r->points[i]));
    /* The cycles from both Hopf points: the part of the diagram that costs. */
    double c0 = bench_cpu();
    nd_cycle_options co;
    nd_cycle_options_default(&co);
    if (nd_bif_continue_cycles(m, r, &co, &err) != ND_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    double tc = bench_cpu() - c0;
    size_t orbits = 0;
    for (size_t i = 0; i < r->ncycles; i++) orbits += r->cycles[i].n;
    printf("hh cycles from the Hopf points: %.3f s CPU for %zu orbits; equilibria + cycles %.3f s\n",
           tc, orbits, tc + t[RUNS / 2]);
    for (size_t i = 0; i < r->npoints; i++)
        if (r->points[i].kind == ND_BIF_CYCLE_FOLD)
            printf("  fold of cycles at I = %.6f (period %.3f ms)\n", r->points[i].param,
                   r->points[i].period);
    nd_bif_free(r);
    nd_model_free(m);
    brute_force(2000, 1);
    brute_force(2000, 0.01);
    brute_force(40000, 0.01);
    brute_force(40000, 1e-4);
    return whole("hh", "I", 0, 200) || whole("hh_rinzel", "I", 0, 40);
}
