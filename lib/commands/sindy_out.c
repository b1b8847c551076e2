/* The record of a SINDy fit, the fields of the model `eq = sindy …` binds (its views
   are lib/learn/sindy_view.c's). */
#include <stdlib.h>

#include "../base/strbuf.h"
#include "sindy_cmd.h"

/* A record with one field per target, made by make(job, k). */
static nd_value *per_target(const nd_sindy_job *job,
                            nd_value *(*make)(const nd_sindy_job *, size_t))
{
    nd_value *rec = nd_value_record("per target", NULL);
    for (size_t k = 0; rec && k < job->ntargets; k++)
        if (nd_record_add(rec, job->targets[k], make(job, k)) != 0) {
            nd_value_unref(rec);
            rec = NULL;
        }
    return rec;
}

static nd_value *coef_of(const nd_sindy_job *job, size_t k)
{
    size_t p = nd_sindy_lib_size(job->lib), m = job->ntargets;
    const double *c = nd_sindy_coef(job->fit);
    nd_value *v = nd_value_vector_alloc(p);
    for (size_t j = 0; v && j < p; j++) v->as.vec.x[j] = c[j * m + k];
    return v;
}

static nd_value *r2_of(const nd_sindy_job *job, size_t k)
{
    return nd_value_number(nd_sindy_r2(job->fit, k));
}

static nd_value *rms_of(const nd_sindy_job *job, size_t k)
{
    return nd_value_number(nd_sindy_rms(job->fit, k));
}

static nd_value *nterms_of(const nd_sindy_job *job, size_t k)
{
    return nd_value_number((double)nd_sindy_nterms(job->fit, k));
}

static nd_value *equation_of(const nd_sindy_job *job, size_t k)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sindy_view_equation(job, k, &sb);
    char *text = nd_sb_take(&sb);
    nd_value *v = text ? nd_value_string(text) : NULL;
    free(text);
    return v;
}

/* A list of n strings name(i). */
static nd_value *strings(size_t n, const char *(*name)(const nd_sindy_job *, size_t),
                         const nd_sindy_job *job)
{
    nd_value **items = calloc(n ? n : 1, sizeof *items);
    size_t k = 0;
    while (items && k < n && (items[k] = nd_value_string(name(job, k)))) k++;
    nd_value *list = items && k == n ? nd_value_list(items, n) : NULL;
    if (!list)
        while (items && k-- > 0) nd_value_unref(items[k]);
    free(items);
    return list;
}

static const char *term_name(const nd_sindy_job *job, size_t j)
{
    return nd_sindy_lib_text(job->lib, j);
}

static const char *target_name(const nd_sindy_job *job, size_t k)
{
    return job->targets[k];
}

nd_value *nd_sindy_fit_record(const nd_sindy_job *job)
{
    nd_value *rec = nd_value_record("sindy fit", NULL);
    if (rec &&
        (nd_record_add(rec, "library", strings(nd_sindy_lib_size(job->lib), term_name, job)) ||
         nd_record_add(rec, "targets", strings(job->ntargets, target_name, job)) ||
         nd_record_add(rec, "coefficients", per_target(job, coef_of)) ||
         nd_record_add(rec, "equations", per_target(job, equation_of)) ||
         nd_record_add(rec, "r2", per_target(job, r2_of)) ||
         nd_record_add(rec, "rms", per_target(job, rms_of)) ||
         nd_record_add(rec, "nterms", per_target(job, nterms_of)) ||
         nd_record_add_number(rec, "threshold", job->opt.threshold))) {
        nd_value_unref(rec);
        rec = NULL;
    }
    return rec;
}
