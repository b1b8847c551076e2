/* `fit … ensemble=N`: reads the ensemble options, runs lib/learn/fit_ensemble.c and shows
   its spread (lib/learn/fit_ensemble_view.c). */
#include "fit_ens_cmd.h"

#include <math.h>
#include <stdlib.h>

#include "../learn/fit_ensemble_view.h"
#include "../language/args.h"
#include "../language/exec.h"
#include "../language/fields_value.h"
#include "../language/progress.h"

nd_status nd_fit_ensemble_cmd(const nd_cmd_ctx *ctx, const nd_model *m,
                              const nd_dataset *const *data, size_t ndata,
                              const nd_fit_options *o, nd_fit_method method, long iters,
                              nd_fit *single, const double *se, nd_value *rec, nd_error *err)
{
    double n, seed, threads;
    int boot;
    nd_status st;
    if ((st = nd_arg_opt_whole(ctx, "ensemble", 0, 2, ND_ENS_MAX_MEMBERS, &n, err)) ||
        (st = nd_arg_opt_number(ctx, "seed", 1, &seed, err)))
        return st;
    if (!(seed >= 0 && seed <= 9007199254740992.0 && seed == floor(seed)))
        return nd_arg_error(nd_arg_opt(ctx, "seed"), err, ND_EVALUE, "seed must be a whole "
                            "number >= 0");
    if ((st = nd_arg_opt_whole(ctx, "threads", 0, 0, 256, &threads, err)) ||
        (st = nd_arg_opt_bool(ctx, "bootstrap", 0, &boot, err)))
        return st;
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
    if (st == ND_OK) {
        double *mean = calloc(np + 1, sizeof *mean), *sd = calloc(np + 1, sizeof *sd);
        nd_bundle *view = mean && sd ? nd_fit_ens_view(&rq, v, kept, se, mean, sd) : NULL;
        st = view ? nd_cmd_display(ctx, view, err) : nd_error_fail(err, ND_ENOMEM, "out of memory");
        nd_fields *f = st == ND_OK && rec ? nd_fit_ens_fields(&rq, v, kept, mean, sd) : NULL;
        if (st == ND_OK && rec && nd_record_add_fields(rec, f))
            st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        nd_fields_free(f);
        free(mean), free(sd);
    }
    free(v);
    free(loss);
    return st;
}
