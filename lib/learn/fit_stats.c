/* Uncertainty at the estimates: the Gauss–Newton matrix JᵀJ of a single-shooting solve
   (with respect to the parameters themselves), σ² from the residuals, standard errors
   and correlations from σ²(JᵀJ)⁻¹, and identifiability from the eigenvalues of the
   Fisher matrix scaled to unit diagonal (the correlation form, so units do not matter):
   a tiny eigenvalue is a direction the data cannot see, and its eigenvector names the
   parameters that trade off along it. */
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "../data/noise.h"
#include "fit_impl.h"

void nd_fit_stats_free(nd_fit_stats *s)
{
    if (!s) return;
    free(s->se), free(s->corr), free(s->weak), free(s->warning);
    memset(s, 0, sizeof *s);
}

char *nd_fit_direction_names(const nd_fit *f, const double *v, char *out, size_t cap)
{
    double top = 0;
    size_t count = 0, said = 0;
    for (size_t i = 0; i < f->np; i++) top = fmax(top, fabs(v[i]));
    for (size_t i = 0; i < f->np; i++) count += fabs(v[i]) >= 0.3 * top;
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < f->np && len < cap; i++) {
        if (fabs(v[i]) < 0.3 * top) continue;
        said++;
        const char *sep = said == 1 ? "" : said == count ? " and " : ", ";
        int w = snprintf(out + len, cap - len, "%s%s", sep, nd_fit_param_name(f, i));
        if (w < 0) break;
        len += (size_t)w;
    }
    return out;
}

/* JᵀJ (natural parameters) and the residual sum of squares of a single-shooting solve. */
static nd_status gauss_newton(nd_fit *f, double *A, double *ssr, nd_error *err)
{
    size_t np = f->np;
    memset(A, 0, np * np * sizeof *A);
    *ssr = 0;
    for (size_t k = 0; k < f->ndata; k++) {
        size_t N = fit_exp_nres(f, k, 1);
        double *r = malloc(N * sizeof *r), *J = malloc(N * np * sizeof *J);
        int bad = !r || !J || fit_solve(f, k, 1, r, J, np);
        for (size_t i = 0; !bad && i < N; i++) {
            *ssr += r[i] * r[i];
            for (size_t a = 0; a < np; a++)
                for (size_t b = 0; b < np; b++) A[a * np + b] += J[i * np + a] * J[i * np + b];
        }
        free(r), free(J);
        if (bad) return nd_error_fail(err, ND_ESOLVER, "the model cannot be solved at the "
                                      "estimates on dataset %zu", k + 1);
    }
    return ND_OK;
}

/* The noise SD of the observed data, pooled over datasets and columns by sample count. */
static double data_noise(const nd_fit *f)
{
    double sum = 0, count = 0;
    for (size_t k = 0; k < f->ndata; k++) {
        const fit_exp *e = &f->ex[k];
        double *col = malloc(e->rows * sizeof *col);
        for (size_t q = 0; col && q < f->nobsv; q++) {
            for (size_t i = 0; i < e->rows; i++) col[i] = e->d[i * f->nobsv + q];
            double sd = nd_noise_sd_estimate(e->t, col, e->rows);
            if (isfinite(sd)) sum += sd * sd * (double)e->rows, count += (double)e->rows;
        }
        free(col);
    }
    return count > 0 ? sqrt(sum / count) : NAN;
}

/* The identifiability part of the warning into sb: a parameter without effect, or the
   parameters that trade off (one parameter alone never trades off). */
static void identifiability(const nd_fit *f, const nd_fit_stats *s, const double *diag,
                            nd_sb *sb)
{
    char names[512];
    size_t dead = f->np;
    for (size_t i = 0; i < f->np; i++)
        if (!(diag[i] > 0)) dead = i;
    if (dead < f->np) {
        nd_sb_printf(sb, "%s has no effect on the observed data: it cannot be estimated",
                     nd_fit_param_name(f, dead));
    } else if (f->np > 1) {
        nd_fit_direction_names(f, s->weak, names, sizeof names);
        nd_sb_printf(sb, "%s trade off: the data determine only a combination of them "
                     "(condition number %.3g of the scaled Fisher matrix), so their "
                     "estimates are not identifiable; fix some of them or add data that "
                     "separates them", names, s->cond);
    }
}

static nd_status warn(const nd_fit *f, nd_fit_stats *s, const double *diag)
{
    nd_sb sb;
    nd_sb_init(&sb);
    if (!s->identifiable) identifiability(f, s, diag, &sb);
    if (s->misfit)
        nd_sb_printf(&sb, "%sthe residuals (SD %.3g) are %.3g times the noise in the data "
                     "(SD %.3g, estimated from the data alone): the model misses structure "
                     "in the data, and the standard errors, which assume independent noise, "
                     "understate the uncertainty", sb.len ? "; " : "", s->sigma,
                     s->sigma / s->noise, s->noise);
    if (s->resets_data >= 0 && s->resets != s->resets_data)
        nd_sb_printf(&sb, "%sthe fitted model resets %ld times and the data %ld: the loss jumps "
                     "where the count changes, so the search may have stopped on such a step; "
                     "start from values that give the data's count", sb.len ? "; " : "",
                     s->resets, s->resets_data);
    if (!sb.len) {
        nd_sb_free(&sb);
        return ND_OK;
    }
    s->warning = nd_sb_take(&sb);
    return s->warning ? ND_OK : ND_ENOMEM;
}

nd_status nd_fit_stats_compute(nd_fit *f, nd_fit_stats *s, nd_error *err)
{
    size_t np = f->np;
    memset(s, 0, sizeof *s);
    s->np = np;
    s->nobs = f->nobs;
    double *A = malloc(np * np * sizeof *A), *V = malloc(np * np * sizeof *V);
    double *w = malloc(np * sizeof *w), *dg = malloc(np * sizeof *dg);
    s->se = malloc(np * sizeof *s->se);
    s->corr = malloc(np * np * sizeof *s->corr);
    s->weak = malloc(np * sizeof *s->weak);
    nd_status st = !A || !V || !w || !dg || !s->se || !s->corr || !s->weak
                       ? nd_error_fail(err, ND_ENOMEM, "out of memory") : ND_OK;
    if (!st) st = gauss_newton(f, A, &s->ssr, err);
    if (st) goto done;
    s->sigma = f->nobs > np ? sqrt(s->ssr / (double)(f->nobs - np)) : NAN;
    for (size_t i = 0; i < np; i++) dg[i] = A[i * np + i];
    for (size_t a = 0; a < np; a++)
        for (size_t b = 0; b < np; b++)
            V[a * np + b] = dg[a] > 0 && dg[b] > 0 ? A[a * np + b] / sqrt(dg[a] * dg[b])
                                                    : 0;
    if (LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'V', 'U', (lapack_int)np, V, (lapack_int)np, w) != 0) {
        st = nd_error_fail(err, ND_EVALUE, "the Fisher matrix has no eigen-decomposition");
        goto done;
    }
    /* w ascending; column 0 of V is the weakest direction. */
    for (size_t i = 0; i < np; i++) s->weak[i] = V[i * np];
    double lmin = fmax(w[0], 0), lmax = w[np - 1];
    s->cond = lmin > 0 ? lmax / lmin : INFINITY;
    s->identifiable = s->cond <= ND_FIT_COND_LIMIT;
    for (size_t i = 0; i < np; i++) {
        int ok = dg[i] > 0 && lmin > lmax * 1e-15;
        double var = 0;
        for (size_t q = 0; ok && q < np; q++) var += V[i * np + q] * V[i * np + q] / w[q];
        s->se[i] = ok ? s->sigma * sqrt(var / dg[i]) : NAN;
    }
    for (size_t a = 0; a < np; a++)
        for (size_t b = 0; b < np; b++) {
            double c = 0, va = 0, vb = 0;
            for (size_t q = 0; q < np && lmin > 0; q++) {
                c += V[a * np + q] * V[b * np + q] / w[q];
                va += V[a * np + q] * V[a * np + q] / w[q];
                vb += V[b * np + q] * V[b * np + q] / w[q];
            }
            s->corr[a * np + b] = a == b ? 1 : lmin > 0 ? c / sqrt(va * vb) : NAN;
        }
    s->noise = data_noise(f);
    s->misfit = s->noise > 0 && s->sigma > ND_FIT_MISFIT * s->noise;
    s->resets = f->nw ? (long)nd_fit_events(f) : -1;
    s->resets_data = f->nw ? fit_data_resets(f) : -1;
    int count = s->resets_data >= 0 && s->resets != s->resets_data;
    if ((!s->identifiable || s->misfit || count) && warn(f, s, dg) != ND_OK)
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
done:
    free(A), free(V), free(w), free(dg);
    if (st) nd_fit_stats_free(s);
    return st;
}
