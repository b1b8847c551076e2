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
#include "ensemble_cmd.h"
#include "learn_cmd.h"
#include "sindy_cmd.h"

/* The record: terms, mean, sd, nonzero and each member's coefficients. */
static nd_value *spread_record(const nd_ens_spread *s, nd_bundle *view)
{
    nd_value *r = nd_value_record("sindy ensemble", view);
    double *mean = calloc(s->p + 1, sizeof *mean), *sd = calloc(s->p + 1, sizeof *sd);
    double *nzd = calloc(s->p + 1, sizeof *nzd);
    size_t *nz = calloc(s->p + 1, sizeof *nz);
    nd_value **names = calloc(s->p + 1, sizeof *names), **rows = calloc(s->n + 1, sizeof *rows);
    int bad = !r || !mean || !sd || !nzd || !nz || !names || !rows;
    if (!bad) {
        nd_ens_spread_stats(s, mean, sd, nz);
        for (size_t i = 0; i < s->p; i++) {
            nzd[i] = (double)nz[i];
            bad |= !(names[i] = nd_value_string(s->names[i]));
        }
        for (size_t k = 0; k < s->n; k++) bad |= !(rows[k] = nd_value_vector(s->v + k * s->p, s->p));
    }
    if (!bad) {
        bad = nd_record_add(r, "terms", nd_value_list(names, s->p)) ||
              nd_record_add(r, "coefficients", nd_value_list(rows, s->n));
        free(names), free(rows);
        names = rows = NULL;
    }
    bad = bad || nd_record_add_number(r, "members", (double)s->n) ||
          nd_record_add_vector(r, "mean", mean, s->p) || nd_record_add_vector(r, "sd", sd, s->p) ||
          nd_record_add_vector(r, "nonzero", nzd, s->p);
    for (size_t i = 0; names && i < s->p; i++) nd_value_unref(names[i]);
    for (size_t k = 0; rows && k < s->n; k++) nd_value_unref(rows[k]);
    free(names), free(rows), free(mean), free(sd), free(nzd), free(nz);
    if (!bad) return r;
    nd_value_unref(r);
    return NULL;
}

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
        st = nd_cmd_give(ctx, view ? spread_record(&s, view) : NULL, result, err);
    }
    for (size_t i = 0; names && i < p; i++) free(names[i]);
    free(names);
    free(v);
    if (st != ND_OK && err && err->line == 0) nd_learn_locate_call(ctx, err);
    return st;
}
