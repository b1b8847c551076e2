/* The Laplace approximation of a posterior over a few parameters (MacKay 1992; Ritter,
   Botev & Barber 2018; Daxberger et al. 2021): a Gaussian at the trained values whose
   precision is the Hessian of the negative log-likelihood (or its Gauss–Newton matrix)
   plus an isotropic prior precision α, α chosen by maximising the evidence (MacKay's
   fixed point) unless given;
   and the predictive SD of a quantity linear in those parameters, √(φᵀ Σ φ). Plain
   linear algebra, shared by any model whose last layer is the parameter block. */
#ifndef ND_LEARN_LAPLACE_H
#define ND_LEARN_LAPLACE_H

#include <stddef.h>

#include "../base/error.h"

typedef struct nd_laplace_post {
    size_t p;
    double *cov;          /* p × p posterior covariance Σ = (H + αI)⁻¹ */
    double alpha;         /* the prior precision used */
    double gamma;         /* well-determined parameters Σ λᵢ/(λᵢ + α) (MacKay 1992) */
    double log_evidence;  /* log p(data | α) up to the Hessian-free constant, at α */
    size_t clipped;       /* eigenvalues of H below 0 set to 0 (not a minimum there) */
    int evidence;         /* α came from the evidence (else it was given) */
} nd_laplace_post;

/* Computes the posterior at the mode theta (p values) from H (p × p, the Hessian of the
   negative log-likelihood): alpha ≥ 0 is the prior precision, alpha < 0 asks for the
   evidence maximum (fixed point α = γ / ‖θ‖²). ND_EVALUE for a non-finite H, ND_ENOMEM. */
nd_status nd_laplace_posterior(const double *H, const double *theta, size_t p, double alpha,
                               nd_laplace_post *post, nd_error *err);

/* Frees what post holds and zeroes it. */
void nd_laplace_post_free(nd_laplace_post *post);

/* Writes into sd the predictive SD √(φⱼᵀ Σ φⱼ) of m quantities whose gradients with
   respect to the parameters are the rows of phi (m × p). */
void nd_laplace_predictive_sd(const nd_laplace_post *post, const double *phi, size_t m,
                              double *sd);

#endif
