/* `sindy ENS.TERM …`: SINDy of every member's learned term, through the same job as
   `sindy NET.TERM` (nd_sindy_net_job), shown and bound as each coefficient's spread over
   the members (lib/learn/ensemble_view.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../learn/ensemble.h"
#include "../learn/ensemble_view.h"
#include "../learn/ude.h"
#include "../language/args.h"
#include "../language/fields_value.h"
#include "ensemble_cmd.h"
#include "learn_cmd.h"
#include "sindy_cmd.h"

nd_status nd_sindy_ens(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_ude *mem[ND_ENS_MAX_MEMBERS];
    char name[256];
    const char *term;
    size_t n = nd_ens_target(ctx, mem, ND_ENS_MAX_MEMBERS, &term, name, sizeof name);
    if (!term || nd_ude_is_node(mem[0]))
        return nd_arg_error(nd_arg_pos(ctx, 0), err, ND_EVALUE, "sindy of an ensemble needs a "
                            "learned term of ude networks: sindy ENS.TERM …");
    double *v = NULL;
    char **names = NULL;
    size_t p = 0;
    nd_status st = ND_OK;
    for (size_t k = 0; st == ND_OK && k < n; k++) {
        nd_sindy_job job;
        st = nd_sindy_net_job(ctx, mem[k], name, term, &job, err);
        if (st == ND_OK && k == 0) {
            p = nd_sindy_lib_size(job.lib);
            v = calloc(n * p + 1, sizeof *v);
            names = calloc(p + 1, sizeof *names);
            for (size_t i = 0; v && names && i < p; i++) names[i] = strdup(job.term_names[i]);
            if (!v || !names) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        }
        /* one target (the term): coefficient i of it is row i of the p × 1 matrix */
        for (size_t i = 0; st == ND_OK && i < p; i++)
            v[k * p + i] = nd_sindy_coef(job.fit)[i * job.ntargets];
        nd_sindy_job_clear(&job);
    }
    for (size_t i = 0; st == ND_OK && i < p; i++)
        if (!names[i]) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) {
        char title[400];
        snprintf(title, sizeof title, "SINDy of %.100s.%.60s over its %zu members: each "
                 "coefficient's mean ± SD across them", name, term, n);
        nd_ens_spread s = {"sindy ensemble", title, (const char *const *)names, p, n, v,
                           NULL, NULL};
        nd_bundle *view = nd_ens_spread_view(&s);
        nd_fields *f = view ? nd_ens_spread_fields(&s) : NULL;
        st = nd_cmd_give(ctx, view ? nd_record_of_fields(f, view) : NULL, result, err);
    }
    for (size_t i = 0; names && i < p; i++) free(names[i]);
    free(names);
    free(v);
    if (st != ND_OK && err && err->line == 0) nd_learn_locate_call(ctx, err);
    return st;
}
