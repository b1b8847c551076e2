/* What an ensemble of parameter fits shows (fit_ensemble.h): each parameter's spread
   across the members beside the single fit's standard error (ensemble_view.h). */
#ifndef ND_LEARN_FIT_ENSEMBLE_VIEW_H
#define ND_LEARN_FIT_ENSEMBLE_VIEW_H

#include "../base/bundle.h"
#include "../base/fields.h"
#include "fit_ensemble.h"

/* The table "fit ensemble" of rq's members (values: members × the parameters of
   rq->single, member-major, as nd_fit_ens_run wrote them; kept of them kept) beside the
   single fit's standard errors se, titled by how the members were made; mean and sd (p
   each, may be NULL) get each parameter's mean and SD across the members. NULL on
   ENOMEM. */
nd_bundle *nd_fit_ens_view(const nd_fit_ens_request *rq, const double *values, size_t kept,
                           const double *se, double *mean, double *sd);

/* The values an ensemble of fits adds to the fit's ("fit ensemble"): ensemble_size,
   ensemble_kept, ensemble_mean and ensemble_sd (as nd_fit_ens_view gave them),
   ensemble_values (members × parameters); NULL on ENOMEM (fit_fields.c). */
nd_fields *nd_fit_ens_fields(const nd_fit_ens_request *rq, const double *values, size_t kept,
                             const double *mean, const double *sd);

#endif
