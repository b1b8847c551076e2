/* (μ/μ_w, λ)-CMA-ES after Hansen's tutorial (arXiv:1604.00772, its Fig. 6 and Table 1):
   sample λ points from N(m, σ²C), rank them, move the mean to the weighted mean of the μ
   best, adapt σ by the length of the conjugate evolution path p_σ and C by the rank-one
   (p_c) and rank-μ updates. Only positive recombination weights (no active CMA). The
   eigendecomposition C = B D² Bᵀ is refreshed lazily, as the tutorial suggests, every
   1/(10 n (c1 + cμ)) generations, with LAPACK's dsyev: run on one thread, its result is
   the same on every machine once the BLAS kernels are pinned (kernel/blas_pin.c). */
#include "cmaes.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/blas.h"
#include "../base/rng.h"
#include "cmaes_impl.h"

/* The strategy's constants (tutorial, Table 1) and its state. */
typedef struct es {
    size_t n, lambda, mu;
    double *w, mueff, cs, ds, cc, c1, cmu, chin;
    double *m, *ps, *pc, *C, *B, *D, sigma;
    double *z, *y, *x, *xf, *val, *fit, *pen;
    double *tmp;           /* scratch: 2n for the update, λ for the spread of values */
    size_t *order;
    unsigned char *done;
    long eigen_gen;
    double *hist;          /* the best value of each generation */
    size_t nhist, caphist;
} es;

static void es_free(es *s)
{
    free(s->w), free(s->m), free(s->ps), free(s->pc), free(s->C), free(s->B), free(s->D);
    free(s->z), free(s->y), free(s->x), free(s->xf), free(s->val), free(s->fit), free(s->pen);
    free(s->tmp), free(s->order), free(s->done), free(s->hist);
}

static int es_init(es *s, size_t n, size_t lambda, const double *x0, double sigma0)
{
    memset(s, 0, sizeof *s);
    s->n = n, s->lambda = lambda, s->mu = lambda / 2;
    size_t nn = n * n, ln = lambda * n;
    s->w = malloc(s->mu * sizeof *s->w);
    s->m = malloc(n * sizeof *s->m), s->ps = calloc(n, sizeof *s->ps), s->pc = calloc(n, sizeof *s->pc);
    s->C = calloc(nn, sizeof *s->C), s->B = calloc(nn, sizeof *s->B), s->D = malloc(n * sizeof *s->D);
    s->z = malloc(ln * sizeof *s->z), s->y = malloc(ln * sizeof *s->y);
    s->x = malloc(ln * sizeof *s->x), s->xf = malloc(ln * sizeof *s->xf);
    s->val = malloc(lambda * sizeof *s->val), s->fit = malloc(lambda * sizeof *s->fit);
    s->pen = malloc(lambda * sizeof *s->pen), s->tmp = malloc((nn + n + lambda) * sizeof *s->tmp);
    s->order = malloc(lambda * sizeof *s->order), s->done = malloc(lambda);
    if (!s->w || !s->m || !s->ps || !s->pc || !s->C || !s->B || !s->D || !s->z || !s->y ||
        !s->x || !s->xf || !s->val || !s->fit || !s->pen || !s->tmp || !s->order || !s->done)
        return -1;
    double sum = 0, sum2 = 0;
    for (size_t i = 0; i < s->mu; i++) {
        s->w[i] = log((double)(lambda + 1) / 2) - log((double)(i + 1));
        sum += s->w[i];
    }
    for (size_t i = 0; i < s->mu; i++) s->w[i] /= sum, sum2 += s->w[i] * s->w[i];
    double dn = (double)n, me = s->mueff = 1 / sum2;
    s->cs = (me + 2) / (dn + me + 5);
    s->ds = 1 + 2 * fmax(0, sqrt((me - 1) / (dn + 1)) - 1) + s->cs;
    s->cc = (4 + me / dn) / (dn + 4 + 2 * me / dn);
    s->c1 = 2 / ((dn + 1.3) * (dn + 1.3) + me);
    s->cmu = fmin(1 - s->c1, 2 * (me - 2 + 1 / me) / ((dn + 2) * (dn + 2) + me));
    s->chin = sqrt(dn) * (1 - 1 / (4 * dn) + 1 / (21 * dn * dn));
    memcpy(s->m, x0, n * sizeof *x0);
    s->sigma = sigma0;
    for (size_t i = 0; i < n; i++) s->C[i * n + i] = s->B[i * n + i] = s->D[i] = 1;
    return 0;
}

/* B and D from C (row-major, symmetric); -1 when dsyev fails or C is no longer positive
   definite within 1e14 of its largest eigenvalue (the condition stop). */
static int es_eigen(es *s)
{
    size_t n = s->n;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) s->B[i * n + j] = s->C[i * n + j];
    /* one BLAS thread, whatever the caller had: the bits of dsyev depend on the count, and
       a generation's evaluation on several threads sets it to one (pool.c) */
    int blas = nd_blas_threads(1);
    int info = LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'V', 'U', (lapack_int)n, s->B, (lapack_int)n, s->D);
    nd_blas_threads(blas);
    if (info != 0) return -1;
    /* ascending: D[0] is the smallest */
    if (!(s->D[0] > 0) || s->D[n - 1] > 1e14 * s->D[0]) return -1;
    for (size_t i = 0; i < n; i++) s->D[i] = sqrt(s->D[i]);
    return 0;
}

/* Draws the generation: z ~ N(0, I), y = B D z, x = m + σ y, xf = x projected on the box. */
static void es_sample(es *s, nd_rng *rng, const double *lo, const double *hi)
{
    size_t n = s->n;
    for (size_t k = 0; k < s->lambda; k++) {
        double *z = s->z + k * n, *y = s->y + k * n, *x = s->x + k * n, *xf = s->xf + k * n;
        for (size_t i = 0; i < n; i++) z[i] = nd_rng_normal(rng);
        double pen = 0;
        for (size_t i = 0; i < n; i++) {
            double acc = 0;
            for (size_t j = 0; j < n; j++) acc += s->B[i * n + j] * s->D[j] * z[j];
            y[i] = acc;
            x[i] = s->m[i] + s->sigma * acc;
            xf[i] = x[i];
            if (lo && xf[i] < lo[i]) xf[i] = lo[i];
            if (hi && xf[i] > hi[i]) xf[i] = hi[i];
            pen += (x[i] - xf[i]) * (x[i] - xf[i]);
        }
        s->pen[k] = pen;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The interquartile range of the finite values (0 when fewer than two). */
static double finite_iqr(const double *v, size_t n, double *scratch)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) scratch[k++] = v[i];
    if (k < 2) return 0;
    qsort(scratch, k, sizeof *scratch, cmp_double);
    return scratch[(3 * (k - 1)) / 4] - scratch[(k - 1) / 4];
}

/* Ranks the generation by value plus the boundary penalty: a step of one standard
   deviation (σ·sqrt(mean C_ii)) outside the box costs one interquartile range of the
   generation's values (or 1 when they are all equal). */
static void es_rank(es *s)
{
    size_t n = s->n, lambda = s->lambda;
    double meanc = 0;
    for (size_t i = 0; i < n; i++) meanc += s->C[i * n + i] / (double)n;
    double spread = finite_iqr(s->val, lambda, s->tmp);
    if (!(spread > 0) || !isfinite(spread)) spread = 1;
    double gamma = spread / (s->sigma * s->sigma * meanc);
    for (size_t k = 0; k < lambda; k++) {
        s->fit[k] = s->val[k] + (s->pen[k] > 0 ? gamma * s->pen[k] : 0);
        s->order[k] = k;
    }
    /* insertion sort (λ is small): stable, so ties keep index order on every run, and
       reentrant, so that runs in different threads (an ensemble) do not meet */
    for (size_t k = 1; k < lambda; k++) {
        size_t key = s->order[k], j = k;
        for (; j > 0 && s->fit[s->order[j - 1]] > s->fit[key]; j--) s->order[j] = s->order[j - 1];
        s->order[j] = key;
    }
}

/* The tutorial's update of m, p_σ, p_c, C and σ from the ranked generation. */
static void es_update(es *s, long gen)
{
    size_t n = s->n;
    double *yw = s->tmp, *cy = s->tmp + n;
    for (size_t i = 0; i < n; i++) yw[i] = 0;
    for (size_t r = 0; r < s->mu; r++) {
        const double *y = s->y + s->order[r] * n;
        for (size_t i = 0; i < n; i++) yw[i] += s->w[r] * y[i];
    }
    for (size_t i = 0; i < n; i++) s->m[i] += s->sigma * yw[i];
    /* C^{-1/2} y_w = B D^{-1} Bᵀ y_w */
    for (size_t j = 0; j < n; j++) {
        double acc = 0;
        for (size_t i = 0; i < n; i++) acc += s->B[i * n + j] * yw[i];
        cy[j] = acc / s->D[j];
    }
    double a = sqrt(s->cs * (2 - s->cs) * s->mueff), ps2 = 0;
    for (size_t i = 0; i < n; i++) {
        double acc = 0;
        for (size_t j = 0; j < n; j++) acc += s->B[i * n + j] * cy[j];
        s->ps[i] = (1 - s->cs) * s->ps[i] + a * acc;
        ps2 += s->ps[i] * s->ps[i];
    }
    double psn = sqrt(ps2), dn = (double)n;
    double decay = sqrt(1 - pow(1 - s->cs, 2.0 * (double)(gen + 1)));
    int hs = psn / decay < (1.4 + 2 / (dn + 1)) * s->chin;
    double b = sqrt(s->cc * (2 - s->cc) * s->mueff);
    for (size_t i = 0; i < n; i++) s->pc[i] = (1 - s->cc) * s->pc[i] + (hs ? b * yw[i] : 0);
    double dh = hs ? 0 : s->cc * (2 - s->cc);
    double keep = 1 + s->c1 * dh - s->c1 - s->cmu;   /* the weights sum to 1 */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j <= i; j++) {
            double rmu = 0;
            for (size_t r = 0; r < s->mu; r++) {
                const double *y = s->y + s->order[r] * n;
                rmu += s->w[r] * y[i] * y[j];
            }
            double c = keep * s->C[i * n + j] + s->c1 * s->pc[i] * s->pc[j] + s->cmu * rmu;
            s->C[i * n + j] = s->C[j * n + i] = c;
        }
    s->sigma *= exp(s->cs / s->ds * (psn / s->chin - 1));
}

static int hist_push(es *s, double v)
{
    if (s->nhist == s->caphist) {
        size_t cap = s->caphist ? 2 * s->caphist : 256;
        double *h = realloc(s->hist, cap * sizeof *h);
        if (!h) return -1;
        s->hist = h, s->caphist = cap;
    }
    s->hist[s->nhist++] = v;
    return 0;
}

static double median_of(const double *v, size_t n, double *scratch)
{
    memcpy(scratch, v, n * sizeof *v);
    qsort(scratch, n, sizeof *scratch, cmp_double);
    return n % 2 ? scratch[n / 2] : 0.5 * (scratch[n / 2 - 1] + scratch[n / 2]);
}

/* The stop rules of the tutorial's appendix B.3 (and pycma's defaults) other than the
   budget, the target and the interrupt; -1 when none holds. */
static int es_converged(es *s, const nd_cmaes_options *o, long stag, double *scratch)
{
    size_t n = s->n;
    size_t win = 10 + (size_t)ceil(30.0 * (double)n / (double)s->lambda);
    if (s->nhist >= win) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t g = s->nhist - win; g < s->nhist; g++) lo = fmin(lo, s->hist[g]), hi = fmax(hi, s->hist[g]);
        for (size_t k = 0; k < s->lambda; k++) lo = fmin(lo, s->val[k]), hi = fmax(hi, s->val[k]);
        if (hi - lo < o->tolfun) return ND_CMAES_TOLFUN;
    }
    int small = 1;
    for (size_t i = 0; i < n && small; i++)
        small = s->sigma * fmax(fabs(s->pc[i]), sqrt(s->C[i * n + i])) < o->tolx;
    if (small) return ND_CMAES_TOLX;
    size_t w = (size_t)stag, part = (w + 4) / 5;
    if (s->nhist >= w && part >= 1) {
        double recent = median_of(s->hist + s->nhist - part, part, scratch);
        double early = median_of(s->hist + s->nhist - w, part, scratch);
        if (recent >= early) return ND_CMAES_STAGNATION;
    }
    return -1;
}

void nd_cmaes_options_default(nd_cmaes_options *o)
{
    memset(o, 0, sizeof *o);
    o->sigma0 = 0.3;
    o->seed = 1;
    o->threads = 1;
    o->ftarget = -INFINITY;
    o->tolfun = 1e-12;
    o->tolx = NAN;       /* 1e-12 · sigma0 */
}

static nd_status check(size_t n, const double *x0, const nd_cmaes_options *o, nd_error *err)
{
    if (n == 0) return nd_error_fail(err, ND_EVALUE, "CMA-ES needs at least one parameter");
    if (!(o->sigma0 > 0) || !isfinite(o->sigma0))
        return nd_error_fail(err, ND_EVALUE, "the initial step size must be positive, not %g", o->sigma0);
    if (o->threads < 1) return nd_error_fail(err, ND_EVALUE, "threads must be at least 1, not %d", o->threads);
    if (o->lambda == 1) return nd_error_fail(err, ND_EVALUE, "the population must be at least 2");
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x0[i]))
            return nd_error_fail(err, ND_EVALUE, "the start's coordinate %zu is not finite", i + 1);
        double lo = o->lower ? o->lower[i] : -INFINITY, hi = o->upper ? o->upper[i] : INFINITY;
        if (isnan(lo) || isnan(hi) || lo > hi)
            return nd_error_fail(err, ND_EVALUE, "coordinate %zu: the bounds [%g, %g] are empty",
                                 i + 1, lo, hi);
    }
    return ND_OK;
}

/* Keeps the best evaluated point of the generation if it beats *fbest. */
static void keep_best(const es *s, double *fbest, double *xbest)
{
    for (size_t k = 0; k < s->lambda; k++)
        if (s->done[k] && s->val[k] < *fbest) {
            *fbest = s->val[k];
            memcpy(xbest, s->xf + k * s->n, s->n * sizeof *xbest);
        }
}

nd_status nd_cmaes_minimize(nd_cmaes_fn f, void *ctx, size_t n, const double *x0,
                            const nd_cmaes_options *o, double *xbest, nd_cmaes_result *r,
                            nd_error *err)
{
    memset(r, 0, sizeof *r);
    r->fbest = INFINITY;
    nd_status st = check(n, x0, o, err);
    if (st) return st;
    size_t lambda = o->lambda ? o->lambda : 4 + (size_t)floor(3 * log((double)n));
    long max_evals = o->max_evals > 0 ? o->max_evals
                                      : (long)(1000 * (double)((n + 5) * (n + 5)) / sqrt((double)lambda));
    long stag = o->stagnation > 0 ? o->stagnation
                                  : (long)(100 + 100 * pow((double)n, 1.5) / (double)lambda);
    nd_cmaes_options opt = *o;
    if (isnan(opt.tolx)) opt.tolx = 1e-12 * o->sigma0;
    es s;
    double *scratch = malloc(((size_t)stag + lambda + 1) * sizeof *scratch);
    if (es_init(&s, n, lambda, x0, o->sigma0) != 0 || !scratch) {
        es_free(&s);
        free(scratch);
        return nd_error_fail(err, ND_ENOMEM, "out of memory for CMA-ES in %zu dimensions", n);
    }
    nd_rng rng;
    nd_rng_seed(&rng, o->seed);
    r->lambda = lambda;
    /* the start is a candidate too: the best is never worse than x0 (projected) */
    for (size_t i = 0; i < n; i++) {
        xbest[i] = x0[i];
        if (o->lower && xbest[i] < o->lower[i]) xbest[i] = o->lower[i];
        if (o->upper && xbest[i] > o->upper[i]) xbest[i] = o->upper[i];
    }
    double eigen_every = 1 / (10 * (double)n * (s.c1 + s.cmu));   /* generations */
    long stop = -1;
    for (long gen = 0; stop < 0; gen++) {
        if (o->interrupt && atomic_load(o->interrupt)) {
            stop = ND_CMAES_INTERRUPT;
            break;
        }
        if (gen > 0 && (double)(gen - s.eigen_gen) >= eigen_every) {
            s.eigen_gen = gen;
            if (es_eigen(&s) != 0) {
                stop = ND_CMAES_CONDITION;
                break;
            }
        }
        es_sample(&s, &rng, o->lower, o->upper);
        long evals = 0;
        st = cmaes_eval_population(f, ctx, n, lambda, s.xf, s.val, s.done, o->threads,
                                   o->interrupt, o->dist, &evals, err);
        r->evals += evals;
        if (st != ND_OK) break;
        keep_best(&s, &r->fbest, xbest);
        if (o->interrupt && atomic_load(o->interrupt)) {
            stop = ND_CMAES_INTERRUPT;
            break;
        }
        es_rank(&s);
        es_update(&s, gen);
        r->generations = gen + 1;
        double gbest = s.val[s.order[0]];
        for (size_t k = 0; k < lambda; k++) gbest = fmin(gbest, s.val[k]);
        if (hist_push(&s, gbest) != 0) {
            st = nd_error_fail(err, ND_ENOMEM, "out of memory");
            break;
        }
        if (o->progress) {
            nd_cmaes_state ps = {gen + 1, r->evals, r->fbest, gbest, s.sigma, xbest};
            o->progress(o->progress_ctx, &ps);
        }
        if (r->fbest <= o->ftarget) stop = ND_CMAES_TARGET;
        else if (r->evals >= max_evals) stop = ND_CMAES_MAXEVALS;
        else if (!isfinite(s.sigma) || s.sigma <= 0) stop = ND_CMAES_TOLX;
        else stop = es_converged(&s, &opt, stag, scratch);
    }
    r->stop = stop < 0 ? ND_CMAES_INTERRUPT : (nd_cmaes_stop)stop;
    r->sigma = s.sigma;
    es_free(&s);
    free(scratch);
    return st;
}

const char *nd_cmaes_stop_name(nd_cmaes_stop s)
{
    static const char *const names[] = {"target", "tolfun", "tolx", "max_evals",
                                        "stagnation", "condition", "interrupt"};
    return (unsigned)s < sizeof names / sizeof *names ? names[s] : "?";
}
