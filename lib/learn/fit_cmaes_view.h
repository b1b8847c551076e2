/* How a gradient-free fit is shown: the parameters from start to best, the objective's
   value before and after, the search's work and why it stopped. */
#ifndef ND_LEARN_FIT_CMAES_VIEW_H
#define ND_LEARN_FIT_CMAES_VIEW_H

#include "../base/bundle.h"
#include "../base/fields.h"
#include "fit_cmaes.h"

/* Returns text/plain, text/html and ND_MIME_JSON {"type":"fit_cmaes","objective",
   "parameters":[{"name","start","estimate","lower","upper"}],"value","start_value",
   "evaluations","generations","population","restarts","features":[{["dataset"],"sweep",
   "feature","unit","data","model","scale","score","matched"}],"unmatched","stop"} of r,
   for np parameters names that started at x0, with a verdict naming the features not
   matched; the sweeps named by sweeps (NULL, or a NULL entry: by their place from 1);
   NULL on ENOMEM. */
nd_bundle *nd_fit_cmaes_bundle(const char *model, const char *const *names, size_t np,
                               const double *x0, nd_fit_kind kind,
                               const nd_fit_cmaes_result *r, const char *const *sweeps);

/* The values a gradient-free fit exposes ("fit_cmaes", the fields of the fitted model):
   value, start_value, evaluations, estimates, restarts, and when the features were
   compared unmatched, matched (all of them) and features (records: sweep, feature, data,
   model, score, matched); then each of the np parameters names by name; NULL on ENOMEM
   (fit_fields.c). */
nd_fields *nd_fit_cmaes_fields(const nd_fit_cmaes_result *r, const char *const *names,
                               size_t np);

#endif
