/* Compiled model expressions vs the same function written by hand in C: the
   Hodgkin-Huxley right-hand side (4 states, 6 exponentials, shared subexpressions), on the
   interpreter and as native code (lib/expr/native.c).

   Build and run from the top of the checkout (after `make build/libneurodyn.a`):
       cc -std=c11 -O2 -D_DEFAULT_SOURCE -o build/expr_speed bench/expr_speed.c \
          build/libneurodyn.a -lcrypto -lm && build/expr_speed
   Prints ns per evaluation of each and their ratio to hand-written C (target: compiled
   <= 1.5 x hand), and the time nd_code_compile takes with a cold and a warm cache (the
   cold one in a temporary XDG_CACHE_HOME, removed afterwards). */
#define _XOPEN_SOURCE 700                /* nftw */
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "../lib/expr/ast.h"
#include "../lib/expr/compile.h"
#include "../lib/language/parser.h"

enum { NSLOTS = 12, NPTS = 1024 };

static const char *const slot_names[NSLOTS] = {
    "V", "m", "h", "n", "gNa", "gK", "gL", "ENa", "EK", "EL", "C", "I"
};

/* The model as its author writes it: terms, then the four right-hand sides. */
static const char *const term_names[] = {"am", "bm", "ah", "bh", "an", "bn"};
static const char *const term_texts[] = {
    "0.1 * (V + 40) / (1 - exp(-(V + 40) / 10))", "4 * exp(-(V + 65) / 18)",
    "0.07 * exp(-(V + 65) / 20)",                 "1 / (1 + exp(-(V + 35) / 10))",
    "0.01 * (V + 55) / (1 - exp(-(V + 55) / 10))", "0.125 * exp(-(V + 65) / 80)",
};
static const char *const rhs_texts[] = {
    "(I - gNa * m^3 * h * (V - ENa) - gK * n^4 * (V - EK) - gL * (V - EL)) / C",
    "am * (1 - m) - bm * m", "ah * (1 - h) - bh * h", "an * (1 - n) - bn * n",
};

static int resolve(void *ctx, const char *name)
{
    (void)ctx;
    for (int i = 0; i < NSLOTS; i++)
        if (strcmp(slot_names[i], name) == 0) return i;
    return -1;
}

/* The same right-hand side, by hand. */
static void hh_by_hand(const double *s, double *out)
{
    double V = s[0], m = s[1], h = s[2], n = s[3];
    double gNa = s[4], gK = s[5], gL = s[6], ENa = s[7], EK = s[8], EL = s[9], C = s[10], I = s[11];
    double am = 0.1 * (V + 40) / (1 - exp(-(V + 40) / 10));
    double bm = 4 * exp(-(V + 65) / 18);
    double ah = 0.07 * exp(-(V + 65) / 20);
    double bh = 1 / (1 + exp(-(V + 35) / 10));
    double an = 0.01 * (V + 55) / (1 - exp(-(V + 55) / 10));
    double bn = 0.125 * exp(-(V + 65) / 80);
    out[0] = (I - gNa * m * m * m * h * (V - ENa) - gK * n * n * n * n * (V - EK) - gL * (V - EL)) / C;
    out[1] = am * (1 - m) - bm * m;
    out[2] = ah * (1 - h) - bh * h;
    out[3] = an * (1 - n) - bn * n;
}

static double pts[NPTS][NSLOTS];

/* Best of 7 runs of `reps` sweeps over the points, in ns per evaluation. */
static double time_it(const nd_code *code, long reps, double *checksum)
{
    double best = INFINITY, sum = 0, out[4];
    for (int run = 0; run < 7; run++) {
        double t0 = bench_now();
        for (long r = 0; r < reps; r++)
            for (int i = 0; i < NPTS; i++) {
                if (code) nd_code_eval(code, pts[i], out);
                else hh_by_hand(pts[i], out);
                sum += out[0] + out[1] + out[2] + out[3];
            }
        double dt = (bench_now() - t0) / ((double)reps * NPTS) * 1e9;
        if (dt < best) best = dt;
    }
    *checksum = sum;
    return best;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* Compiles the HH right-hand side; *seconds gets the time nd_code_compile took. */
static nd_code *compile_hh(nd_expr **rhs, double *seconds)
{
    nd_error err;
    double t0 = bench_now();
    nd_code *code = nd_code_compile((const nd_expr *const *)rhs, 4, resolve, NULL, &err);
    *seconds = bench_now() - t0;
    if (!code) fprintf(stderr, "compile failed: %s\n", err.msg);
    return code;
}

int main(void)
{
    nd_error err;
    nd_expr *terms[6], *rhs[4];
    for (int i = 0; i < 6; i++) terms[i] = nd_parse_expression(term_texts[i], &err);
    for (int i = 0; i < 4; i++) {
        nd_expr *raw = nd_parse_expression(rhs_texts[i], &err);
        rhs[i] = nd_expr_subst(raw, term_names, (const nd_expr *const *)terms, 6);
        nd_expr_free(raw);
    }
    /* the interpreter, then native code into an empty cache (cold), then again (warm) */
    double t_vm_compile, t_cold, t_warm;
    setenv("NEURODYN_NATIVE", "0", 1);
    nd_code *vm = compile_hh(rhs, &t_vm_compile);
    unsetenv("NEURODYN_NATIVE");
    char cache[] = "/tmp/neurodyn-bench-XXXXXX";
    if (!mkdtemp(cache)) return 1;
    setenv("XDG_CACHE_HOME", cache, 1);
    nd_code *native = compile_hh(rhs, &t_cold);
    nd_code_free(native);
    native = compile_hh(rhs, &t_warm);
    if (!vm || !native) return 1;
    srand(1);
    for (int i = 0; i < NPTS; i++) {
        double par[] = {120, 36, 0.3, 50, -77, -54.387, 1, 10};
        pts[i][0] = -90 + 140.0 * rand() / RAND_MAX;
        for (int j = 1; j < 4; j++) pts[i][j] = (double)rand() / RAND_MAX;
        memcpy(&pts[i][4], par, sizeof par);
    }
    double maxdiff = 0, a[4], b[4], c[4];
    int identical = 1;
    for (int i = 0; i < NPTS; i++) {
        nd_code_eval(vm, pts[i], a);
        nd_code_eval(native, pts[i], c);
        hh_by_hand(pts[i], b);
        identical &= memcmp(a, c, sizeof a) == 0;
        for (int k = 0; k < 4; k++) maxdiff = fmax(maxdiff, fabs(a[k] - b[k]) / fmax(1, fabs(b[k])));
    }
    long reps = 2000;
    double cs1, cs2, cs3;
    double t_hand = time_it(NULL, reps, &cs1), t_vm = time_it(vm, reps, &cs2),
           t_native = time_it(native, reps, &cs3);
    printf("HH right-hand side: %zu instructions\n", nd_code_size(vm));
    printf("                    ns/eval   x hand\n");
    printf("hand-written C    : %7.2f    %5.2f\n", t_hand, 1.0);
    printf("compiled, VM      : %7.2f    %5.2f\n", t_vm, t_vm / t_hand);
    printf("compiled, native  : %7.2f    %5.2f   (%s)\n", t_native, t_native / t_hand,
           nd_code_backend(native));
    printf("native == VM bit for bit: %s; max relative difference to hand %.2g; "
           "checksums %.6g %.6g %.6g\n", identical ? "yes" : "NO", maxdiff, cs1, cs2, cs3);
    printf("nd_code_compile: VM %.2f ms, native cold cache %.1f ms, warm cache %.2f ms\n",
           1e3 * t_vm_compile, 1e3 * t_cold, 1e3 * t_warm);
    nd_code_free(vm);
    nd_code_free(native);
    if (nftw(cache, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        fprintf(stderr, "could not remove %s\n", cache);
    for (int i = 0; i < 6; i++) nd_expr_free(terms[i]);
    for (int i = 0; i < 4; i++) nd_expr_free(rhs[i]);
    return 0;
}
