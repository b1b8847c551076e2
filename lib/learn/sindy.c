/* Sparse regression for SINDy on the Gram matrix (see sindy.h): STLSQ (sequentially
   thresholded ridge least squares, Brunton et al. 2016), SR3 with an L0 penalty (Zheng et
   al. 2019, refitted on its support), bagging ensembles (Fasel et al. 2022), and the
   threshold sweep. */
#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/rng.h"
#include "sindy.h"

struct nd_sindy_fit {
    size_t p, m;
    double *coef, *std, *incl;   /* p × m */
    double *rms, *r2;            /* m */
    size_t *nterms;              /* m */
};

void nd_sindy_options_default(nd_sindy_options *o)
{
    *o = (nd_sindy_options){ND_SINDY_STLSQ, 0.1, 1e-6, 100.0, 1, 0, 0, 1, NULL};
}

void nd_sindy_fit_free(nd_sindy_fit *f)
{
    if (!f) return;
    free(f->coef), free(f->std), free(f->incl), free(f->rms), free(f->r2), free(f->nterms);
    free(f);
}

const double *nd_sindy_coef(const nd_sindy_fit *f) { return f->coef; }
const double *nd_sindy_coef_std(const nd_sindy_fit *f) { return f->std; }
const double *nd_sindy_inclusion(const nd_sindy_fit *f) { return f->incl; }
double nd_sindy_rms(const nd_sindy_fit *f, size_t k) { return f->rms[k]; }
double nd_sindy_r2(const nd_sindy_fit *f, size_t k) { return f->r2[k]; }
size_t nd_sindy_nterms(const nd_sindy_fit *f, size_t k) { return f->nterms[k]; }

/* ---- the normal equations of one data set (all rows, or a bag) ---- */

typedef struct gram {
    size_t p, m;
    double *G;       /* p × p: (Θ/s)ᵀ(Θ/s) / rows */
    double *b;       /* p × m: (Θ/s)ᵀ(Y/sy) / rows */
    double *yy;      /* m: mean of (Y/sy)² */
    double *sstot;   /* m: Σ (y − ȳ)² / rows, normalised */
} gram;

static void gram_free(gram *g)
{
    free(g->G), free(g->b), free(g->yy), free(g->sstot);
}

/* Forms the Gram data of the rows idx[0..n) (idx NULL: all rows) with column scales s and
   target scales sy. Returns 0 or -1 (ENOMEM). */
static int gram_build(gram *g, const double *theta, const double *Y, size_t p, size_t m,
                      const double *s, const double *sy, const size_t *idx, size_t n)
{
    g->p = p, g->m = m;
    g->G = calloc(p * p, sizeof *g->G);
    g->b = calloc(p * m, sizeof *g->b);
    g->yy = calloc(m, sizeof *g->yy);
    g->sstot = calloc(m, sizeof *g->sstot);
    double *A = malloc(n * p * sizeof *A), *B = malloc(n * m * sizeof *B);
    if (!g->G || !g->b || !g->yy || !g->sstot || !A || !B) {
        free(A), free(B);
        return -1;
    }
    for (size_t r = 0; r < n; r++) {
        size_t src = idx ? idx[r] : r;
        for (size_t j = 0; j < p; j++) A[r * p + j] = theta[src * p + j] / s[j];
        for (size_t k = 0; k < m; k++) B[r * m + k] = Y[src * m + k] / sy[k];
    }
    double w = 1.0 / (double)n;
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)p, (int)n, w, A, (int)p, 0.0, g->G,
                (int)p);
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < i; j++) g->G[i * p + j] = g->G[j * p + i];
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)p, (int)m, (int)n, w, A, (int)p,
                B, (int)m, 0.0, g->b, (int)m);
    for (size_t k = 0; k < m; k++) {
        double mean = 0, ss = 0, yy = 0;
        for (size_t r = 0; r < n; r++) mean += B[r * m + k], yy += B[r * m + k] * B[r * m + k];
        mean /= (double)n;
        for (size_t r = 0; r < n; r++) ss += (B[r * m + k] - mean) * (B[r * m + k] - mean);
        g->yy[k] = yy * w;
        g->sstot[k] = ss * w;
    }
    free(A), free(B);
    return 0;
}

/* Solves (G_AA + ridge I) x = b_A for the active set (act[j] != 0); writes x into xi
   (zeros outside the set). Returns 0, or -1 when the system is not positive definite. */
static int solve_active(const gram *g, size_t k, const int *act, double ridge, double *xi,
                        double *M, double *v, size_t *map)
{
    size_t p = g->p, q = 0;
    for (size_t j = 0; j < p; j++)
        if (act[j]) map[q++] = j;
    for (size_t j = 0; j < p; j++) xi[j] = 0;
    if (!q) return 0;
    for (size_t a = 0; a < q; a++) {
        for (size_t c = 0; c < q; c++) M[a * q + c] = g->G[map[a] * p + map[c]];
        M[a * q + a] += ridge;
        v[a] = g->b[map[a] * g->m + k];
    }
    if (LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', (int)q, 1, M, (int)q, v, 1) != 0) return -1;
    for (size_t a = 0; a < q; a++) xi[map[a]] = v[a];
    return 0;
}

typedef struct work {
    double *M, *v, *w, *x;
    size_t *map;
    int *act;
} work;

static int work_init(work *w, size_t p)
{
    w->M = malloc(p * p * sizeof *w->M);
    w->v = malloc(p * sizeof *w->v);
    w->w = malloc(p * sizeof *w->w);
    w->x = malloc(p * sizeof *w->x);
    w->map = malloc(p * sizeof *w->map);
    w->act = malloc(p * sizeof *w->act);
    return w->M && w->v && w->w && w->x && w->map && w->act ? 0 : -1;
}

static void work_free(work *w)
{
    free(w->M), free(w->v), free(w->w), free(w->x), free(w->map), free(w->act);
}

/* One target k: writes the normalised coefficients into xi. Returns 0 or -1 (singular). */
static int fit_target(const gram *g, size_t k, const nd_sindy_options *o, double *xi, work *w)
{
    size_t p = g->p;
    for (size_t j = 0; j < p; j++) w->act[j] = 1;
    if (o->optimizer == ND_SINDY_STLSQ) {
        int iters = o->max_iter > 0 ? o->max_iter : 20;
        for (int it = 0; it < iters; it++) {
            if (solve_active(g, k, w->act, o->ridge, xi, w->M, w->v, w->map)) return -1;
            int changed = 0;
            for (size_t j = 0; j < p; j++)
                if (w->act[j] && fabs(xi[j]) < o->threshold) w->act[j] = 0, changed = 1;
            if (!changed) return 0;
        }
        return solve_active(g, k, w->act, o->ridge, xi, w->M, w->v, w->map);
    }
    /* SR3: ξ = (G + I/ν)⁻¹(b + w/ν), w = ξ hard-thresholded; then the least squares on
       the support of w, so that the coefficients are not shrunk. */
    int iters = o->max_iter > 0 ? o->max_iter : 1000;
    double inu = 1.0 / o->nu;
    /* Start from the thresholded least squares, as the relaxation would otherwise first
       spread the weight over correlated terms and settle on a wrong support. */
    for (size_t j = 0; j < p; j++) w->act[j] = 1;
    if (solve_active(g, k, w->act, o->ridge, w->w, w->M, w->v, w->map)) return -1;
    for (size_t j = 0; j < p; j++)
        if (fabs(w->w[j]) < o->threshold) w->w[j] = 0;
    for (int it = 0; it < iters; it++) {
        for (size_t a = 0; a < p; a++) {
            for (size_t c = 0; c < p; c++) w->M[a * p + c] = g->G[a * p + c];
            w->M[a * p + a] += inu + o->ridge;
            w->x[a] = g->b[a * g->m + k] + inu * w->w[a];
        }
        if (LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', (int)p, 1, w->M, (int)p, w->x, 1) != 0)
            return -1;
        /* Converged when the thresholded point stops moving (not merely its support:
           the relaxed ξ approaches its fixed point slowly). */
        double change = 0, size = 0;
        for (size_t j = 0; j < p; j++) {
            double nw = fabs(w->x[j]) >= o->threshold ? w->x[j] : 0;
            change += fabs(nw - w->w[j]);
            size += fabs(nw);
            w->w[j] = nw;
        }
        if (change <= 1e-12 * size) break;
    }
    for (size_t j = 0; j < p; j++) w->act[j] = w->w[j] != 0;
    return solve_active(g, k, w->act, o->ridge, xi, w->M, w->v, w->map);
}

/* The normalised residual Σ(y − Θξ)²/rows of target k from the Gram data (xi: p × m). */
static double ssres(const gram *g, size_t k, const double *xi)
{
    size_t p = g->p, m = g->m;
    double r = g->yy[k];
    for (size_t i = 0; i < p; i++) {
        double a = xi[i * m + k];
        if (a == 0) continue;
        r -= 2 * a * g->b[i * m + k];
        for (size_t j = 0; j < p; j++) r += a * g->G[i * p + j] * xi[j * m + k];
    }
    return r > 0 ? r : 0;
}

/* ---- checks and scales ---- */

/* "'v^2'" when the terms have names, else "3" (counting from 1), into buf. */
static const char *term_name(const nd_sindy_options *o, size_t j, char *buf, size_t cap)
{
    if (o->names && o->names[j]) snprintf(buf, cap, "'%s'", o->names[j]);
    else snprintf(buf, cap, "%zu", j + 1);
    return buf;
}

nd_status nd_sindy_check_options(const nd_sindy_options *o, nd_sindy_field *bad,
                                 nd_error *err)
{
    nd_sindy_field f = !(o->threshold >= 0 && isfinite(o->threshold)) ? ND_SINDY_FIELD_THRESHOLD
                       : !(o->ridge >= 0 && isfinite(o->ridge))       ? ND_SINDY_FIELD_RIDGE
                       : !(o->nu > 0 && isfinite(o->nu))              ? ND_SINDY_FIELD_NU
                                                                      : ND_SINDY_FIELD_NONE;
    static const char *const why[] = {
        [ND_SINDY_FIELD_THRESHOLD] = "threshold must be a finite number >= 0",
        [ND_SINDY_FIELD_RIDGE] = "lambda must be a finite number >= 0",
        [ND_SINDY_FIELD_NU] = "nu must be positive"};
    if (bad) *bad = f;
    return f == ND_SINDY_FIELD_NONE ? ND_OK : nd_error_fail(err, ND_EVALUE, "%s", why[f]);
}

static nd_status check_inputs(const double *theta, size_t rows, size_t p, const double *Y,
                              size_t m, const nd_sindy_options *o, nd_error *err)
{
    if (!p || !m) return nd_error_fail(err, ND_EVALUE, "nothing to fit: %s is empty",
                                       p ? "the target list" : "the library");
    if (rows < p)
        return nd_error_fail(err, ND_EVALUE, "too few samples: %zu for %zu library terms "
                             "(need at least as many samples as terms)", rows, p);
    nd_status st = nd_sindy_check_options(o, NULL, err);
    if (st != ND_OK) return st;
    char nm[160];
    for (size_t i = 0; i < rows * p; i++)
        if (!isfinite(theta[i]))
            return nd_error_fail(err, ND_EVALUE, "library term %s is not finite at sample %zu",
                                 term_name(o, i % p, nm, sizeof nm), i / p + 1);
    for (size_t i = 0; i < rows * m; i++)
        if (!isfinite(Y[i]))
            return nd_error_fail(err, ND_EVALUE, "target %zu is not finite at sample %zu",
                                 i % m + 1, i / m + 1);
    return ND_OK;
}

/* RMS of every column (1 without normalisation); ValueError for a zero library column. */
static nd_status scales(const double *A, size_t rows, size_t cols, const nd_sindy_options *o,
                        int library, double *s, nd_error *err)
{
    int normalize = o->normalize;
    char nm[160];
    for (size_t j = 0; j < cols; j++) {
        double ss = 0;
        for (size_t r = 0; r < rows; r++) ss += A[r * cols + j] * A[r * cols + j];
        double rms = sqrt(ss / (double)rows);
        if (library && rms == 0)
            return nd_error_fail(err, ND_EVALUE, "library term %s is 0 on every sample",
                                 term_name(o, j, nm, sizeof nm));
        s[j] = normalize && rms > 0 ? rms : 1;
    }
    return ND_OK;
}

/* The rank test of G by pivoted Cholesky: returns 0 when G has full rank, else the
   (1-based) index of a term that the others make up, or p + 1 when none could be named
   (or memory ran out). */
static size_t dependent_term(const gram *g)
{
    size_t p = g->p, dep = 0;
    double *A = malloc(p * p * sizeof *A);
    lapack_int *piv = malloc(p * sizeof *piv), rank = (lapack_int)p;
    if (!A || !piv) dep = p + 1;
    else {
        memcpy(A, g->G, p * p * sizeof *A);
        LAPACKE_dpstrf(LAPACK_ROW_MAJOR, 'U', (lapack_int)p, A, (lapack_int)p, piv, &rank, 1e-12);
        if (rank < (lapack_int)p) dep = piv[rank] >= 1 ? (size_t)piv[rank] : p + 1;
    }
    free(A), free(piv);
    return dep;
}

/* Explains a singular library: two proportional terms, or one that the others make up. */
static nd_status singular(const gram *g, const nd_sindy_options *o, nd_error *err)
{
    size_t p = g->p;
    char a[160], b[160];
    for (size_t i = 0; i < p; i++)
        for (size_t j = i + 1; j < p; j++) {
            double c = g->G[i * p + j] / sqrt(g->G[i * p + i] * g->G[j * p + j]);
            if (fabs(c) > 1 - 1e-10)
                return nd_error_fail(err, ND_EVALUE, "the library is singular: terms %s and "
                                     "%s are proportional on these samples",
                                     term_name(o, i, a, sizeof a), term_name(o, j, b, sizeof b));
        }
    size_t dep = dependent_term(g);
    if (dep >= 1 && dep <= p)
        return nd_error_fail(err, ND_EVALUE, "the library is singular: term %s is a "
                             "combination of the others on these samples",
                             term_name(o, dep - 1, a, sizeof a));
    return nd_error_fail(err, ND_EVALUE, "the library is singular on these samples");
}

/* ---- fits ---- */

typedef struct problem {
    const double *theta, *Y;
    size_t rows, p, m;
    double *s, *sy;
    gram g;
    work w;
} problem;

static void problem_free(problem *P)
{
    free(P->s), free(P->sy);
    gram_free(&P->g);
    work_free(&P->w);
}

static nd_status problem_init(problem *P, const double *theta, size_t rows, size_t p,
                              const double *Y, size_t m, const nd_sindy_options *o,
                              nd_error *err)
{
    memset(P, 0, sizeof *P);
    P->theta = theta, P->Y = Y, P->rows = rows, P->p = p, P->m = m;
    nd_status st = check_inputs(theta, rows, p, Y, m, o, err);
    if (st) return st;
    P->s = malloc(p * sizeof *P->s);
    P->sy = malloc(m * sizeof *P->sy);
    if (!P->s || !P->sy || work_init(&P->w, p))
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    if ((st = scales(theta, rows, p, o, 1, P->s, err)) || (st = scales(Y, rows, m, o, 0, P->sy, err)))
        return st;
    if (gram_build(&P->g, theta, Y, p, m, P->s, P->sy, NULL, rows))
        return nd_error_fail(err, ND_ENOMEM, "out of memory for the library's Gram matrix");
    return dependent_term(&P->g) ? singular(&P->g, o, err) : ND_OK;
}

/* Fits every target on g into xi (p × m, normalised). */
static nd_status fit_all(const gram *g, const nd_sindy_options *o, work *w, double *xi,
                         nd_error *err)
{
    double *col = malloc(g->p * sizeof *col);
    if (!col) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_status st = ND_OK;
    for (size_t k = 0; k < g->m && !st; k++) {
        if (fit_target(g, k, o, col, w)) {
            st = singular(g, o, err);
            break;
        }
        for (size_t j = 0; j < g->p; j++) xi[j * g->m + k] = col[j];
    }
    free(col);
    return st;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Bagging: each member fits the rows drawn with replacement; the coefficient is the
   members' median, with their standard deviation and the fraction that kept the term. */
static nd_status ensemble(problem *P, const nd_sindy_options *o, nd_sindy_fit *f, double *xi,
                          nd_error *err)
{
    size_t B = o->ensemble, p = P->p, m = P->m, n = P->rows;
    double *all = malloc(B * p * m * sizeof *all), *vals = malloc(B * sizeof *vals);
    size_t *idx = malloc(n * sizeof *idx);
    nd_status st = all && vals && idx ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_rng rng;
    nd_rng_seed(&rng, o->seed);
    for (size_t b = 0; b < B && !st; b++) {
        for (size_t r = 0; r < n; r++) idx[r] = (size_t)(nd_rng_uniform(&rng) * (double)n) % n;
        gram g;
        if (gram_build(&g, P->theta, P->Y, p, m, P->s, P->sy, idx, n)) {
            gram_free(&g);
            st = nd_error_fail(err, ND_ENOMEM, "out of memory");
            break;
        }
        /* A bag can miss the rows that tell two terms apart; it then counts as keeping
           no term rather than ending the ensemble. */
        nd_error local;
        if (fit_all(&g, o, &P->w, all + b * p * m, &local))
            memset(all + b * p * m, 0, p * m * sizeof *all);
        gram_free(&g);
    }
    for (size_t i = 0; !st && i < p * m; i++) {
        size_t kept = 0;
        double mean = 0, ss = 0;
        for (size_t b = 0; b < B; b++) {
            vals[b] = all[b * p * m + i];
            kept += vals[b] != 0;
            mean += vals[b];
        }
        mean /= (double)B;
        for (size_t b = 0; b < B; b++) ss += (vals[b] - mean) * (vals[b] - mean);
        qsort(vals, B, sizeof *vals, cmp_double);
        xi[i] = B % 2 ? vals[B / 2] : 0.5 * (vals[B / 2 - 1] + vals[B / 2]);
        size_t j = i / m, k = i % m;
        f->std[i] = sqrt(ss / (double)(B > 1 ? B - 1 : 1)) * P->sy[k] / P->s[j];
        f->incl[i] = (double)kept / (double)B;
    }
    free(all), free(vals), free(idx);
    return st;
}

nd_sindy_fit *nd_sindy_regress(const double *theta, size_t rows, size_t p, const double *Y,
                               size_t m, const nd_sindy_options *o, nd_error *err)
{
    nd_sindy_options def;
    if (!o) {
        nd_sindy_options_default(&def);
        o = &def;
    }
    problem P;
    nd_status st = problem_init(&P, theta, rows, p, Y, m, o, err);
    nd_sindy_fit *f = st ? NULL : calloc(1, sizeof *f);
    double *xi = f ? malloc(p * m * sizeof *xi) : NULL;
    if (!st && (!f || !xi || !(f->coef = malloc(p * m * sizeof *f->coef)) ||
                !(f->rms = malloc(m * sizeof *f->rms)) || !(f->r2 = malloc(m * sizeof *f->r2)) ||
                !(f->nterms = calloc(m, sizeof *f->nterms)) ||
                (o->ensemble && (!(f->std = malloc(p * m * sizeof *f->std)) ||
                                 !(f->incl = malloc(p * m * sizeof *f->incl))))))
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (!st) {
        f->p = p, f->m = m;
        st = o->ensemble ? ensemble(&P, o, f, xi, err) : fit_all(&P.g, o, &P.w, xi, err);
    }
    if (!st) {
        /* Residuals exactly, from the samples, in original units. */
        for (size_t i = 0; i < p * m; i++) f->coef[i] = xi[i] * P.sy[i % m] / P.s[i / m];
        for (size_t k = 0; k < m; k++) {
            double ss = 0, mean = 0, tot = 0;
            for (size_t r = 0; r < rows; r++) mean += Y[r * m + k];
            mean /= (double)rows;
            for (size_t r = 0; r < rows; r++) {
                double pred = 0;
                for (size_t j = 0; j < p; j++) pred += theta[r * p + j] * f->coef[j * m + k];
                double e = Y[r * m + k] - pred, d = Y[r * m + k] - mean;
                ss += e * e, tot += d * d;
            }
            f->rms[k] = sqrt(ss / (double)rows);
            f->r2[k] = tot > 0 ? 1 - ss / tot : (ss == 0 ? 1 : 0);
            for (size_t j = 0; j < p; j++) f->nterms[k] += f->coef[j * m + k] != 0;
        }
    }
    free(xi);
    problem_free(&P);
    if (st) {
        nd_sindy_fit_free(f);
        return NULL;
    }
    return f;
}

nd_status nd_sindy_sweep(const double *theta, size_t rows, size_t p, const double *Y,
                         size_t m, const nd_sindy_options *o, const double *threshold,
                         size_t n, size_t *nterms, double *error, size_t *knee,
                         nd_error *err)
{
    nd_sindy_options def;
    if (!o) {
        nd_sindy_options_default(&def);
        o = &def;
    }
    problem P;
    nd_status st = problem_init(&P, theta, rows, p, Y, m, o, err);
    double *xi = st ? NULL : malloc(p * m * sizeof *xi);
    if (!st && !xi) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t i = 0; i < n && !st; i++) {
        nd_sindy_options oi = *o;
        oi.threshold = threshold[i];
        oi.ensemble = 0;
        if ((st = fit_all(&P.g, &oi, &P.w, xi, err))) break;
        nterms[i] = 0;
        error[i] = 0;
        for (size_t k = 0; k < m; k++) {
            for (size_t j = 0; j < p; j++) nterms[i] += xi[j * m + k] != 0;
            double tot = P.g.sstot[k];
            error[i] += tot > 0 ? sqrt(ssres(&P.g, k, xi) / tot) : 0;
        }
    }
    if (!st) {
        /* The knee: farthest from the chord between the ends, both axes scaled to [0, 1]. */
        *knee = 0;
        if (n >= 3) {
            double x0 = (double)nterms[0], x1 = (double)nterms[n - 1];
            double y0 = log10(fmax(error[0], 1e-300)), y1 = log10(fmax(error[n - 1], 1e-300));
            double xs = fabs(x1 - x0) > 0 ? fabs(x1 - x0) : 1, ys = fabs(y1 - y0) > 0 ? fabs(y1 - y0) : 1;
            double best = -1;
            for (size_t i = 0; i < n; i++) {
                double x = ((double)nterms[i] - x0) / xs, y = (log10(fmax(error[i], 1e-300)) - y0) / ys;
                double dx = (x1 - x0) / xs, dy = (y1 - y0) / ys;
                double d = fabs(dx * y - dy * x) / sqrt(dx * dx + dy * dy + 1e-300);
                if (d > best + 1e-12) best = d, *knee = i;
            }
        }
    }
    free(xi);
    problem_free(&P);
    return st;
}
