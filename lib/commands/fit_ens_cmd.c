/* `fit … ensemble=N`: reads the ensemble options, runs lib/learn/fit_ensemble.c and shows
   its spread (lib/learn/ensemble_view.c). */
#include "fit_ens_cmd.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../learn/ensemble_view.h"
#include "../learn/fit_ensemble.h"
#include "../language/args.h"
#include "../language/exec.h"
#include "../language/progress.h"

nd_status nd_fit_ensemble_cmd(const nd_cmd_ctx *ctx, const nd_model *m,
                              const nd_dataset *const *data, size_t ndata,
                              const nd_fit_options *o, nd_fit_method method, long iters,
                              nd_fit *single, const double *se, nd_value *rec, nd_error *err)
{
    double n, seed, threads;
    int boot;
    nd_status st;
    if ((st = nd_arg_opt_number(ctx, "ensemble", 0, &n, err)) ||
        (st = nd_arg_opt_number(ctx, "seed", 1, &seed, err)) ||
        (st = nd_arg_opt_number(ctx, "threads", 0, &threads, err)) ||
        (st = nd_arg_opt_bool(ctx, "bootstrap", 0, &boot, err)))
        return st;
    if (!(n >= 2 && n <= ND_ENS_MAX_MEMBERS && n == floor(n)))
        return nd_arg_error(nd_arg_opt(ctx, "ensemble"), err, ND_EVALUE, "ensemble must be a "
                            "whole number from 2 to %d", ND_ENS_MAX_MEMBERS);
    if (!(seed >= 0 && seed <= 9007199254740992.0 && seed == floor(seed)))
        return nd_arg_error(nd_arg_opt(ctx, "seed"), err, ND_EVALUE, "seed must be a whole "
                            "number >= 0");
    if (!(threads >= 0 && threads <= 256 && threads == floor(threads)))
        return nd_arg_error(nd_arg_opt(ctx, "threads"), err, ND_EVALUE, "threads must be a "
                            "whole number from 0 to 256");
    size_t np = nd_fit_nparams(single), k = (size_t)n;
    double *v = malloc((k * np + 1) * sizeof *v), *loss = malloc((k + 1) * sizeof *loss);
    if (!v || !loss) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_progress pr;
    nd_progress_init(&pr, ctx, "fit-ensemble-progress");
    nd_progress_text(&pr, "fitting the ensemble…");
    nd_fit_ens_request rq = {m, data, ndata, o, method, iters, single, k, (uint64_t)seed, boot,
                             (unsigned)threads, ctx->exec->interrupt, 0, NULL};
    size_t kept = 0;
    if (st == ND_OK) st = nd_fit_ens_run(&rq, v, loss, &kept, err);
    nd_progress_text(&pr, st == ND_OK ? "ensemble fitted" : "ensemble stopped");
    const char **names = calloc(np + 1, sizeof *names);
    for (size_t i = 0; names && i < np; i++) names[i] = nd_fit_param_name(single, i);
    if (st == ND_OK && !names) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) {
        char title[400], left[160] = "";
        if (kept < k)
            snprintf(left, sizeof left, "; %zu member%s left out: %s loss ended above %g × the "
                     "single fit's (another basin, far from the data)", k - kept,
                     k - kept == 1 ? "" : "s", k - kept == 1 ? "its" : "their", ND_FIT_MISFIT);
        snprintf(title, sizeof title, "ensemble of %zu fits (%s): each parameter's mean ± SD "
                 "across the members, beside the single fit's standard error%s", k,
                 !boot ? "scattered starts, the same data"
                 : ndata > 1 ? "scattered starts, resampled datasets"
                             : "scattered starts, resampled residuals", left);
        nd_ens_spread s = {"fit ensemble", title, names, np, k, v, "single-fit SE", se};
        st = nd_cmd_display(ctx, nd_ens_spread_view(&s), err);
        if (st == ND_OK && rec) {
            double *mean = calloc(np + 1, sizeof *mean), *sd = calloc(np + 1, sizeof *sd);
            size_t *nz = calloc(np + 1, sizeof *nz);
            if (mean && sd && nz) nd_ens_spread_stats(&s, mean, sd, nz);
            if (!mean || !sd || !nz || nd_record_add_number(rec, "ensemble_size", (double)k) ||
                nd_record_add_number(rec, "ensemble_kept", (double)kept) ||
                nd_record_add_vector(rec, "ensemble_mean", mean, np) ||
                nd_record_add_vector(rec, "ensemble_sd", sd, np) ||
                nd_record_add_vector(rec, "ensemble_values", v, k * np))
                st = nd_error_fail(err, ND_ENOMEM, "out of memory");
            free(mean), free(sd), free(nz);
        }
    }
    free(names);
    free(v);
    free(loss);
    return st;
}
