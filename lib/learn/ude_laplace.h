/* The last-layer Laplace approximation of a trained hybrid (Daxberger et al. 2021 "Laplace
   Redux"; Ritter, Botev & Barber 2018): the network's output layer (weights and biases)
   gets a Gaussian posterior at its trained values, the precision being the Gauss–Newton
   matrix JᵀJ/σ² of the trajectory data loss (as trained: the ODE solved, the observed
   samples compared; J exact from the adjoint, ude_fit_jac.h) with σ² the residuals' mean
   square, plus a prior precision (the evidence maximum unless given); every other weight
   stays at its trained value. A learned term is affine in the output layer, so its
   predictive SD is exact given that posterior: √(φᵀ Σ φ) with φ the last hidden
   activations; a prediction's is linearised: √(J Σ Jᵀ). */
#ifndef ND_LEARN_UDE_LAPLACE_H
#define ND_LEARN_UDE_LAPLACE_H

#include <stddef.h>

#include "ensemble.h"
#include "laplace.h"
#include "ude.h"
#include "ude_fit_jac.h"

typedef struct nd_ude_laplace {
    nd_laplace_post post;   /* over the output layer: its weights (row-major), its biases */
    size_t first;           /* where the output layer starts in the network's parameters */
    size_t nobs;            /* observed samples in the data loss */
    double data_loss;       /* the mean squared normalised residual at the trained weights */
    nd_ude_fit_jac jac;     /* the observed predictions' Jacobian on the training data */
} nd_ude_laplace;

/* A prediction's linearised band at the observed samples of one variable of one
   experiment. */
typedef struct nd_ude_laplace_pred {
    nd_ens_band band;       /* ŷ ∓ 2·√(J Σ Jᵀ) (scaled back to the variable's unit) */
    double *data;           /* the observed values there */
    double *t;              /* their times */
    double noise;           /* the noise SD in the variable's unit: scale·√data_loss */
    double coverage;        /* share of the data inside the band */
    double predictive;      /* … inside ŷ ∓ 2√(SD² + noise²) */
} nd_ude_laplace_pred;

/* Computes lp for the trained u on nex experiments under fo (its l2 and collocation are
   ignored: the data loss alone is the likelihood); prior ≥ 0 is the prior precision, < 0
   the evidence maximum. Costs one adjoint per observed sample (nd_ude_fit_jacobian).
   Errors of nd_ude_fit_create_multi; ND_ESOLVER when the loss is not finite there. */
nd_status nd_ude_laplace_fit(nd_ude *u, const nd_ude_experiment *ex, size_t nex,
                             const nd_ude_fit_options *fo, double prior, nd_ude_laplace *lp,
                             nd_error *err);

/* Frees what lp holds and zeroes it. */
void nd_ude_laplace_free(nd_ude_laplace *lp);

/* The linearised band of the first observed variable (fo's observe, else the first state
   in the data) of u's prediction on experiment ex under lp: one adjoint per sample, as
   nd_ude_laplace_fit; ex NULL: on lp's first training experiment, from the Jacobian it
   kept (no solve). u is left as it was (the fit runs on a copy). Its errors. */
nd_status nd_ude_laplace_predict(const nd_ude *u, const nd_ude_laplace *lp, const nd_ude_experiment *ex,
                                 const nd_ude_fit_options *fo, nd_ude_laplace_pred *pr,
                                 nd_error *err);

/* Frees what pr holds and zeroes it. */
void nd_ude_laplace_pred_free(nd_ude_laplace_pred *pr);

/* Writes the Jacobian of the learned term `term` with respect to the output layer at the
   rows of ds into phi (rows × p, p = lp->post.p): the output scale times the last hidden
   activations for that output's weights and bias, 0 elsewhere. Errors of
   nd_ude_term_find / nd_ude_term_inputs; ND_ENOMEM. */
nd_status nd_ude_laplace_term_jacobian(const nd_ude *u, const nd_ude_laplace *lp,
                                       const char *term, const nd_dataset *ds, double *phi,
                                       nd_error *err);

/* The band of the learned term along ds's rows: the trained network's term ∓ 2 predictive
   SDs (nd_ens_band_of) and, when truth is not NULL, the true true_name (NULL: term) there.
   Errors of nd_ude_term_find / nd_ude_term_along. */
nd_status nd_ude_laplace_term_band(const nd_ude *u, const nd_ude_laplace *lp, const char *term,
                                   const char *true_name, const nd_dataset *ds, nd_ens_band *b,
                                   double *truth, nd_error *err);

#endif
