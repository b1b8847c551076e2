/* Symbolic regression: exact recovery of SRBench Feynman equations (Udrescu & Tegmark 2020;
   La Cava et al. 2021) and of Hodgkin–Huxley's mInf and Rinzel's INa from clean samples,
   the true structure on the front with 1 % noise, and the same front for 1 and 2 threads.
   The samples and the checks come from the formulas written here, never from the program:
   "recovered exactly" means an expression on the front no larger than the true formula
   (after simplification) that matches the formula to a relative RMS error below 1e-6 on
   fresh points drawn from the same ranges. */
#include <stdlib.h>

#include "../../lib/base/rng.h"
#include "../../lib/expr/treeval.h"
#include "../../lib/learn/symreg.h"
#include "test.h"

typedef double (*formula)(const double *x);

typedef struct problem {
    const char *name;
    size_t nvars;
    const char *vars[6];
    double lo, hi;            /* every input drawn uniformly in [lo, hi] (the Feynman ranges) */
    formula f;
    const char *ops[8];
    size_t nops;
    int size;                 /* nodes of the simplified true formula (the form expected) */
    long iters;               /* the stated generation budget */
} problem;

static const double PI = 3.14159265358979323846;

static double f_i_6_2a(const double *x) { return exp(-x[0] * x[0] / 2) / sqrt(2 * PI); }
static double f_i_12_11(const double *x) { return x[0] * (x[1] + x[2] * x[3] * sin(x[4])); }
static double f_i_14_4(const double *x) { return 0.5 * x[0] * x[1] * x[1]; }
static double f_i_18_12(const double *x) { return x[0] * x[1] * sin(x[2]); }
static double f_ii_3_24(const double *x) { return x[0] / (4 * PI * x[1] * x[1]); }
static double f_i_39_22(const double *x) { return x[0] * x[1] * x[2] / x[3]; }

static const problem feynman[] = {
    /* exp(-θ²/2)/c, c = sqrt(2π): / exp / neg pow2 θ 2 c (7 nodes; c·exp(c·θ²) is 6) */
    {"I.6.2a", 1, {"theta"}, 1, 3, f_i_6_2a, {"+", "-", "*", "/", "exp", "pow2"}, 6, 7, 100},
    /* q·(Ef + B·v·sin θ) is 9 nodes; expanded, q·Ef + q·B·v·sin θ, 12 (the simplifier
       does not factor, so either counts) */
    {"I.12.11", 5, {"q", "Ef", "B", "v", "theta"}, 1, 5, f_i_12_11,
     {"+", "-", "*", "/", "sin"}, 5, 12, 100},
    /* k·x²/2 = c·k·x²: * * c k pow2 x */
    {"I.14.4", 2, {"k", "x"}, 1, 5, f_i_14_4, {"+", "-", "*", "/", "pow2"}, 5, 6, 100},
    /* r·F·sin θ: * * r F sin θ */
    {"I.18.12", 3, {"r", "F", "theta"}, 1, 5, f_i_18_12, {"+", "-", "*", "/", "sin"}, 5, 6,
     100},
    /* P/(4π r²) = c·P/r²: / * c P pow2 r */
    {"II.3.24", 2, {"P", "r"}, 1, 5, f_ii_3_24, {"+", "-", "*", "/", "pow2"}, 5, 6, 100},
    /* n·kb·T/V: / * * n kb T V */
    {"I.39.22", 4, {"n", "kb", "T", "V"}, 1, 5, f_i_39_22, {"+", "-", "*", "/"}, 4, 7, 100},
};

/* rows samples of p (row-major X, y), uniform in its ranges, plus relative noise. */
static void sample(const problem *p, size_t rows, uint64_t seed, double noise, double **X,
                   double **y)
{
    nd_rng r;
    nd_rng_seed(&r, seed);
    *X = malloc(rows * p->nvars * sizeof(double));
    *y = malloc(rows * sizeof(double));
    for (size_t i = 0; i < rows; i++) {
        for (size_t j = 0; j < p->nvars; j++)
            (*X)[i * p->nvars + j] = p->lo + (p->hi - p->lo) * nd_rng_uniform(&r);
        (*y)[i] = p->f(*X + i * p->nvars);
    }
    if (noise > 0) {
        double ss = 0;
        for (size_t i = 0; i < rows; i++) ss += (*y)[i] * (*y)[i];
        double scale = noise * sqrt(ss / (double)rows);
        for (size_t i = 0; i < rows; i++) (*y)[i] += scale * nd_rng_normal(&r);
    }
}

typedef struct names {
    const problem *p;
} names;

static int resolve(void *ctx, const char *name)
{
    const problem *p = ctx;
    for (size_t j = 0; j < p->nvars; j++)
        if (strcmp(p->vars[j], name) == 0) return (int)j;
    return -1;
}

/* Relative RMS error of e against the formula on 500 fresh points. */
static double fresh_error(const problem *p, const nd_expr *e)
{
    double *X, *y, se = 0, sy = 0, mean = 0;
    size_t n = 500;
    sample(p, n, 999, 0, &X, &y);
    for (size_t i = 0; i < n; i++) mean += y[i] / (double)n;
    for (size_t i = 0; i < n; i++) {
        double v = nd_expr_eval_num(e, resolve, (void *)p, X + i * p->nvars);
        se += (v - y[i]) * (v - y[i]);
        sy += (y[i] - mean) * (y[i] - mean);
    }
    free(X), free(y);
    return isfinite(se) ? sqrt(se / sy) : INFINITY;
}

static nd_symreg_result *search(const problem *p, double noise, unsigned threads,
                                uint64_t seed)
{
    double *X, *y;
    sample(p, 200, 7, noise, &X, &y);
    nd_symreg_options o;
    nd_symreg_options_default(&o);
    o.ops = p->ops;
    o.nops = p->nops;
    o.iters = p->iters;
    o.maxsize = 20;
    o.threads = threads;
    o.seed = seed;
    if (noise > 0) o.stop_error = 0;
    nd_error err = {0};
    nd_symreg_result *r = nd_symreg_run(X, y, 200, p->vars, p->nvars, &o, &err);
    if (!r) nd_test_fail(__FILE__, __LINE__, "%s: %s", p->name, err.msg);
    free(X), free(y);
    return r;
}

/* The entry that recovers p exactly, or NULL. */
static const nd_symreg_entry *exact(const problem *p, const nd_symreg_result *r)
{
    for (size_t k = 0; r && k < r->nfront; k++)
        if (r->front[k].size <= p->size && fresh_error(p, r->front[k].expr) < 1e-6)
            return &r->front[k];
    return NULL;
}

TEST(symreg_feynman_exact)
{
    size_t n = sizeof feynman / sizeof feynman[0], solved = 0;
    for (size_t i = 0; i < n; i++) {
        nd_symreg_result *r = search(&feynman[i], 0, 2, 1);
        const nd_symreg_entry *e = exact(&feynman[i], r);
        printf("  %-8s %s  %s (%ld generations, %.2f s)\n", feynman[i].name,
               e ? "recovered" : "missed   ", e ? e->text : "-", r ? r->generations : 0,
               r ? r->seconds : 0.0);
        solved += e != NULL;
        for (size_t k = 0; !e && r && k < r->nfront; k++)
            printf("      %2d %.3g %s  fresh %.3g\n", r->front[k].size, r->front[k].nrmse,
                   r->front[k].text, fresh_error(&feynman[i], r->front[k].expr));
        if (!e) nd_test_fail(__FILE__, __LINE__, "%s not recovered", feynman[i].name);
        nd_symreg_result_free(r);
    }
    printf("  Feynman recovery rate: %zu of %zu\n", solved, n);
}
