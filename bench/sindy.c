/* SINDy timing (issue 6): 10,000 samples of the Lorenz system (σ 10, ρ 28, β 8/3) and a
   cubic polynomial library in (x, y, z) — 20 terms — fitted by STLSQ; then the threshold
   sweep `sindy … sweep=true` runs (nd_sindy_sweep_auto: the unthresholded fit, 50
   thresholds over its coefficients, the knee). Prints one JSON line for bench/sindy.py, and writes the samples
   (X and the exact derivatives) to --export FILE for the NumPy peer.

   Measured: the library's evaluation (Θ, 10,000 × 20), one STLSQ fit (Gram matrix, then
   thresholded solves), the sweep (with the unthresholded fit it starts from), each as the
   median of repeats. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "../lib/learn/sindy.h"
#include "../lib/models/model_ivp.h"
#include "../lib/ode/solve.h"

#define ROWS 10000

typedef struct rows {
    double *X, *Y;
    size_t n;
    const nd_model *m;
} rows;

static int take(void *ctx, double t, const double *y, int event, size_t which)
{
    rows *r = ctx;
    if (event || r->n >= ROWS) return 0;
    (void)which;
    memcpy(r->X + 3 * r->n, y, 3 * sizeof *y);
    nd_model_rhs(r->m, t, y, nd_model_pars(r->m), r->Y + 3 * r->n);   /* exact derivatives */
    r->n++;
    return 0;
}

int main(int argc, char **argv)
{
    const char *export = argc > 2 && !strcmp(argv[1], "--export") ? argv[2] : NULL;
    static const char text[] = "dx/dt = sigma*(y - x)\ndy/dt = x*(rho - z) - y\n"
                               "dz/dt = x*y - beta*z\npar sigma = 10, rho = 28, beta = 8/3\n"
                               "init x = -8, y = 7, z = 27\n";
    nd_error err = {0};
    nd_model *m = nd_model_parse("lorenz", text, sizeof text - 1, 1, 1, &err);
    nd_model_ivp *v = nd_model_ivp_create(m, NULL, NULL, -1, 0, 100, &err);
    rows r = {malloc(ROWS * 3 * sizeof(double)), malloc(ROWS * 3 * sizeof(double)), 0, m};
    double *tout = malloc(ROWS * sizeof *tout), y[3] = {-8, 7, 27};
    for (size_t i = 0; i < ROWS; i++) tout[i] = 0.01 * (double)i;
    nd_ode_options o;
    nd_ode_options_default(&o);
    o.rtol = o.atol = 1e-10;
    if (nd_ode_solve(nd_model_ivp_problem(v), 0, tout[ROWS - 1], y, &o, tout, ROWS, take, &r,
                     NULL, &err)) {
        fprintf(stderr, "sindy bench: %s\n", err.msg);
        return 1;
    }
    const char *vars[] = {"x", "y", "z"};
    nd_sindy_lib *lib = nd_sindy_lib_create(vars, 3);
    nd_sindy_lib_add_poly(lib, 3, NULL, 0, &err);
    size_t p = nd_sindy_lib_size(lib);
    double *theta = malloc(ROWS * p * sizeof *theta);
    nd_sindy_options so;
    nd_sindy_options_default(&so);
    nd_sindy_options full_o = so;
    full_o.threshold = 0;
    nd_sindy_sweep_result sw = {0};
    enum { REPS = 21 };
    double te[REPS], tf[REPS], ts[REPS];
    nd_sindy_fit *f = NULL;
    for (int k = 0; k < REPS; k++) {
        double t0 = bench_now();
        nd_sindy_lib_eval(lib, r.X, ROWS, theta, &err);
        double t1 = bench_now();
        nd_sindy_fit_free(f);
        f = nd_sindy_regress(theta, ROWS, p, r.Y, 3, &so, &err);
        double t2 = bench_now();
        nd_sindy_fit *full = nd_sindy_regress(theta, ROWS, p, r.Y, 3, &full_o, &err);
        if (full) nd_sindy_sweep_auto(theta, ROWS, p, r.Y, 3, &so, nd_sindy_coef(full), &sw, &err);
        nd_sindy_fit_free(full);
        double t3 = bench_now();
        te[k] = t1 - t0, tf[k] = t2 - t1, ts[k] = t3 - t2;
    }
    qsort(te, REPS, sizeof *te, bench_cmp);
    qsort(tf, REPS, sizeof *tf, bench_cmp);
    qsort(ts, REPS, sizeof *ts, bench_cmp);
    size_t terms = 0;
    for (size_t k = 0; k < 3; k++) terms += nd_sindy_nterms(f, k);
    json_t *out = json_pack("{s:i,s:i,s:f,s:f,s:f,s:i,s:i,s:f,s:f,s:f,s:f}", "rows", ROWS,
                            "terms", (int)p, "eval", te[REPS / 2], "fit", tf[REPS / 2], "sweep",
                            ts[REPS / 2], "nonzero", (int)terms, "knee_terms",
                            (int)sw.nterms[sw.knee], "knee_threshold", sw.threshold[sw.knee],
                            "suggested", sw.suggested, "sweep_lo", sw.threshold[0], "sweep_hi",
                            sw.threshold[sw.n - 1]);
    char *s = json_dumps(out, JSON_COMPACT | JSON_REAL_PRECISION(10));
    puts(s);
    free(s);
    json_decref(out);
    if (export) {
        FILE *fp = fopen(export, "w");
        for (size_t i = 0; fp && i < ROWS; i++)
            fprintf(fp, "%.17g %.17g %.17g %.17g %.17g %.17g\n", r.X[3 * i], r.X[3 * i + 1],
                    r.X[3 * i + 2], r.Y[3 * i], r.Y[3 * i + 1], r.Y[3 * i + 2]);
        if (fp) fclose(fp);
    }
    nd_sindy_fit_free(f);
    nd_sindy_lib_free(lib);
    nd_model_ivp_free(v);
    nd_model_free(m);
    free(theta), free(tout), free(r.X), free(r.Y);
    return 0;
}
