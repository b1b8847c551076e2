#include "fit_ensemble_view.h"

#include <stdio.h>
#include <stdlib.h>

#include "ensemble_view.h"

nd_bundle *nd_fit_ens_view(const nd_fit_ens_request *rq, const double *values, size_t kept,
                           const double *se, double *mean, double *sd)
{
    size_t np = nd_fit_nparams(rq->single), k = rq->members;
    const char **names = calloc(np + 1, sizeof *names);
    if (!names) return NULL;
    for (size_t i = 0; i < np; i++) names[i] = nd_fit_param_name(rq->single, i);
    char title[400], left[160] = "";
    if (kept < k)
        snprintf(left, sizeof left, "; %zu member%s left out: %s loss ended above %g × the "
                 "single fit's (another basin, far from the data)", k - kept,
                 k - kept == 1 ? "" : "s", k - kept == 1 ? "its" : "their", ND_FIT_MISFIT);
    snprintf(title, sizeof title, "ensemble of %zu fits (%s): each parameter's mean ± SD "
             "across the members, beside the single fit's standard error%s", k,
             !rq->bootstrap ? "scattered starts, the same data"
             : rq->ndata > 1 ? "scattered starts, resampled datasets"
                             : "scattered starts, resampled residuals", left);
    nd_ens_spread s = {"fit ensemble", title, names, np, k, values, "single-fit SE", se};
    nd_bundle *b = nd_ens_spread_view(&s);
    for (size_t i = 0; b && mean && sd && i < np; i++)
        nd_ens_mean_sd_of(values + i, k, np, &mean[i], &sd[i]);
    free(names);
    return b;
}
