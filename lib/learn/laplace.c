/* The Laplace posterior (laplace.h): the precision's eigenvalues
   (LAPACK dsyev), the evidence-maximising prior precision and the covariance. */
#include "laplace.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void nd_laplace_post_free(nd_laplace_post *post)
{
    free(post->cov);
    memset(post, 0, sizeof *post);
}

/* γ(α) = Σ λᵢ / (λᵢ + α). */
static double well_determined(const double *lam, size_t p, double alpha)
{
    double g = 0;
    for (size_t i = 0; i < p; i++) g += lam[i] / (lam[i] + alpha);
    return g;
}

nd_status nd_laplace_posterior(const double *H, const double *theta, size_t p, double alpha,
                               nd_laplace_post *post, nd_error *err)
{
    memset(post, 0, sizeof *post);
    for (size_t i = 0; i < p * p; i++)
        if (!isfinite(H[i])) return nd_error_fail(err, ND_EVALUE, "the Hessian is not finite");
    double *V = malloc((p * p + 1) * sizeof *V), *lam = malloc((p + 1) * sizeof *lam);
    post->cov = calloc(p * p + 1, sizeof *post->cov);
    if (!V || !lam || !post->cov) {
        free(V), free(lam);
        nd_laplace_post_free(post);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    memcpy(V, H, p * p * sizeof *V);
    if (LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'V', 'U', (lapack_int)p, V, (lapack_int)p, lam) != 0) {
        free(V), free(lam);
        nd_laplace_post_free(post);
        return nd_error_fail(err, ND_EVALUE, "the Hessian's eigenvalues did not converge");
    }
    post->p = p;
    for (size_t i = 0; i < p; i++)
        if (lam[i] < 0) lam[i] = 0, post->clipped++;
    double w2 = 0;
    for (size_t i = 0; i < p; i++) w2 += theta[i] * theta[i];
    post->evidence = alpha < 0;
    if (alpha < 0) {
        /* MacKay's fixed point α = γ(α)/‖θ‖² from α = 1; it converges monotonically. */
        alpha = 1;
        for (int it = 0; it < 500 && w2 > 0; it++) {
            double a = fmax(well_determined(lam, p, alpha), 1e-12) / w2;
            double done = fabs(a - alpha) <= 1e-12 * alpha;
            alpha = a;
            if (done) break;
        }
        if (!(w2 > 0)) alpha = 1;
    }
    post->alpha = alpha;
    post->gamma = well_determined(lam, p, alpha);
    double logdet = 0;
    for (size_t i = 0; i < p; i++) logdet += log(lam[i] + alpha);
    /* the α-dependent part of log p(D | α): (p/2) log α − (α/2)‖θ‖² − ½ log det(H + αI) */
    post->log_evidence = 0.5 * (double)p * log(alpha) - 0.5 * alpha * w2 - 0.5 * logdet;
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            double s = 0;
            for (size_t k = 0; k < p; k++) s += V[i * p + k] * V[j * p + k] / (lam[k] + alpha);
            post->cov[i * p + j] = s;
        }
    free(V);
    free(lam);
    return ND_OK;
}

void nd_laplace_predictive_sd(const nd_laplace_post *post, const double *phi, size_t m,
                              double *sd)
{
    size_t p = post->p;
    for (size_t j = 0; j < m; j++) {
        const double *f = phi + j * p;
        double q = 0;
        for (size_t a = 0; a < p; a++) {
            double s = 0;
            for (size_t b = 0; b < p; b++) s += post->cov[a * p + b] * f[b];
            q += f[a] * s;
        }
        sd[j] = isfinite(q) && q >= 0 ? sqrt(q) : NAN;
    }
}
