/* The values an identification exposes: SINDy's (sindy_job.h) and symbolic regression's
   (symreg_job.h). */
#include <math.h>
#include <stdlib.h>

#include "symreg_job.h"

/* A "per target" record name with target k's value of what: 0 its coefficients, 1 its
   equation, 2 R², 3 RMS, 4 its number of terms. */
static void per_target(nd_fields *f, const char *name, const nd_sindy_job *job, int what)
{
    nd_fields *r = nd_fields_record(f, name, "per target");
    size_t p = nd_sindy_lib_size(job->lib), m = job->ntargets;
    for (size_t k = 0; k < m; k++) {
        const char *t = job->targets[k];
        if (what == 0) nd_fields_column(r, t, nd_sindy_coef(job->fit), p, m, k);
        if (what == 2) nd_fields_number(r, t, nd_sindy_r2(job->fit, k));
        if (what == 3) nd_fields_number(r, t, nd_sindy_rms(job->fit, k));
        if (what == 4) nd_fields_number(r, t, (double)nd_sindy_nterms(job->fit, k));
        if (what != 1) continue;
        nd_sb sb;
        nd_sb_init(&sb);
        nd_sindy_view_equation(job, k, &sb);
        char *text = nd_sb_take(&sb);
        if (text) nd_fields_string(r, t, text);
        else nd_fields_fail(r, ND_ENOMEM);
        free(text);
    }
}

nd_fields *nd_sindy_fields(const nd_sindy_job *job)
{
    nd_fields *f = nd_fields_create("sindy fit");
    nd_fields *lib = nd_fields_list(f, "library");
    for (size_t j = 0; j < nd_sindy_lib_size(job->lib); j++)
        nd_fields_string(lib, NULL, nd_sindy_lib_text(job->lib, j));
    nd_fields_strings(f, "targets", job->targets, job->ntargets);
    static const char *const names[] = {"coefficients", "equations", "r2", "rms", "nterms"};
    for (int w = 0; w < 5; w++) per_target(f, names[w], job, w);
    nd_fields_number(f, "threshold", job->opt.threshold);
    return nd_fields_done(f);
}

nd_fields *nd_symreg_fields(const nd_symreg_job *job)
{
    const nd_symreg_result *r = job->res;
    nd_fields *f = nd_fields_create("symreg");
    double *size = nd_fields_vector_fill(f, "sizes", r->nfront);
    double *err = nd_fields_vector_fill(f, "errors", r->nfront);
    nd_fields *front = nd_fields_list(f, "front");
    for (size_t n = 0; size && err && n < r->nfront; n++) {
        size[n] = r->front[n].size;
        err[n] = r->front[n].nrmse;
        nd_fields_string(front, NULL, r->front[n].text);
    }
    const nd_symreg_entry *e = nd_symreg_job_chosen(job);
    nd_fields_string(f, "target", job->target);
    nd_fields_string(f, "equation", e ? e->text : "");
    nd_fields_number(f, "size", e ? e->size : 0);
    nd_fields_number(f, "error", e ? e->nrmse : NAN);
    return nd_fields_done(f);
}
