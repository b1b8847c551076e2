/* The exact Jacobian of a UDE fit's observed predictions with respect to a block of its
   parameters, from the discrete adjoint (no differences): what the Gauss–Newton matrix of
   the data loss and the linearised band of a prediction are made of (ude_laplace.c). */
#ifndef ND_LEARN_UDE_FIT_JAC_H
#define ND_LEARN_UDE_FIT_JAC_H

#include <stddef.h>

#include "ude.h"

typedef struct nd_ude_fit_jac {
    size_t rows, p;     /* observed samples (over every experiment), block size */
    double *J;          /* rows × p: ∂(ŷ/scale)/∂θ_block of each observed sample */
    double *res;        /* rows: the normalised residual (ŷ − data)/scale at θ */
    double *data;       /* rows: the observed value */
    double *scale;      /* rows: the variable's scale (the loss's normalisation) */
    double *t;          /* rows: the sample's time */
    size_t *exp;        /* rows: the experiment (0 for a fit of one dataset) */
    size_t *state;      /* rows: the state variable */
} nd_ude_fit_jac;

/* Computes jac at theta (nd_ude_fit_nparams(f) values, unchanged) for θ[first …
   first+p−1]: the data loss is the mean of ((ŷ − d)/scale)², so its adjoint gradient with
   every residual 0 but one, equal to its scale, is 2/N times that sample's row; one
   adjoint per observed sample (the fit's data are set for it and restored; the fit is left
   evaluated at theta). ND_ESOLVER when the loss is not finite there, ND_ENOMEM. */
nd_status nd_ude_fit_jacobian(nd_ude_fit *f, const double *theta, size_t first, size_t p,
                              nd_ude_fit_jac *jac, nd_error *err);

/* Frees what jac holds and zeroes it. */
void nd_ude_fit_jac_free(nd_ude_fit_jac *jac);

#endif
