/* What a last-layer Laplace approximation shows (ude_laplace.h): its summary (the
   parameters it covers, the prior, the noise), the linearised band of the prediction on
   the training (and held-out) data with its coverage and, with a truth, the band of the
   learned term against the true one and its coverage; text, HTML and the JSON of
   docs/json-results.md ("laplace"). */
#ifndef ND_LEARN_UDE_LAPLACE_VIEW_H
#define ND_LEARN_UDE_LAPLACE_VIEW_H

#include "../base/bundle.h"
#include "../base/fields.h"
#include "ude_laplace.h"

/* The bands shown: the prediction's on the training and held-out data, the learned term's
   along a truth (NULL members when there is none). */
typedef struct nd_ude_laplace_check {
    const nd_ude_laplace_pred *train, *held;
    const char *variable;        /* the predicted variable */
    const char *held_name;
    const char *term;
    const nd_ens_band *band;     /* the term ∓ 2 predictive SDs */
    const double *truth;         /* the true term at the band's points */
    const double *t;             /* their times */
    double coverage;             /* share of the points inside the band (nd_ens_coverage) */
} nd_ude_laplace_check;

/* The summary of lp for network net_name trained on data_name, with check c (NULL or
   c->band NULL: none); NULL on ENOMEM. */
nd_bundle *nd_ude_laplace_view(const nd_ude_laplace *lp, const char *net_name,
                               const char *data_name, const nd_ude_laplace_check *c);

/* The values lp exposes with check c ("laplace"): parameters, prior_precision,
   well_determined, noise_rms, covariance (p × p, row-major), spread, coverage,
   predictive_coverage, the same prefixed heldout_ when c->held, and term_spread,
   term_coverage when c->band; NULL on ENOMEM (ude_fields.c). */
nd_fields *nd_ude_laplace_fields(const nd_ude_laplace *lp, const nd_ude_laplace_check *c);

#endif
