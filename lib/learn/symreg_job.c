/* The steps of one `symreg`: samples, search, recovered model. */
#include <stdlib.h>
#include <string.h>

#include "symreg_job.h"

void nd_symreg_job_clear(nd_symreg_job *job)
{
    if (job->X != job->sj.X) free(job->X);
    if (job->y != job->sj.Y) free(job->y);
    nd_sindy_job_clear(&job->sj);
    nd_symreg_result_free(job->res);
    memset(job, 0, sizeof *job);
}

nd_status nd_symreg_job_dataset(nd_symreg_job *job, const nd_dataset *ds, const char *target,
                                const char *const *inputs, size_t n, nd_error *err)
{
    int ty = nd_ds_find(ds, target), cols[ND_SYMREG_MAX_VARS];
    if (ty < 0) return nd_error_fail(err, ND_ENAME, "the dataset has no column '%s'", target);
    size_t nv = 0;
    if (n) {
        if (n > ND_SYMREG_MAX_VARS)
            return nd_error_fail(err, ND_EVALUE, "more than %d inputs", ND_SYMREG_MAX_VARS);
        for (size_t i = 0; i < n; i++) {
            int c = nd_ds_find(ds, inputs[i]);
            if (c < 0)
                return nd_error_fail(err, ND_ENAME, "the dataset has no column '%s'", inputs[i]);
            if (c == ty)
                return nd_error_fail(err, ND_EVALUE, "'%s' is the target; it cannot also be "
                                     "an input", target);
            cols[nv++] = c;
        }
    } else {
        for (size_t c = 0; c < nd_ds_cols(ds); c++) {
            if ((int)c == ty || strcmp(nd_ds_name(ds, c), "t") == 0) continue;
            if (nv == ND_SYMREG_MAX_VARS)
                return nd_error_fail(err, ND_EVALUE, "more than %d inputs: name them",
                                     ND_SYMREG_MAX_VARS);
            cols[nv++] = (int)c;
        }
        if (!nv) return nd_error_fail(err, ND_EVALUE, "the dataset has no input column besides '%s'",
                                      target);
    }
    size_t rows = nd_ds_rows(ds);
    if (rows < 5)
        return nd_error_fail(err, ND_EVALUE, "too few samples: %zu rows (at least 5)", rows);
    job->X = malloc(rows * nv * sizeof(double));
    job->y = malloc(rows * sizeof(double));
    if (!job->X || !job->y) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t j = 0; j < nv; j++) {
        const double *col = nd_ds_col(ds, (size_t)cols[j]);
        for (size_t i = 0; i < rows; i++) job->X[i * nv + j] = col[i];
        job->vars[j] = nd_ds_name(ds, (size_t)cols[j]);
        job->units[j] = nd_ds_unit(ds, (size_t)cols[j]);
    }
    job->opt.units = job->units;
    memcpy(job->y, nd_ds_col(ds, (size_t)ty), rows * sizeof(double));
    job->rows = rows;
    job->nvars = nv;
    job->target = nd_ds_name(ds, (size_t)ty);
    return ND_OK;
}

nd_status nd_symreg_job_net(nd_symreg_job *job, const nd_ude *u, const char *net_name,
                            const char *term, const nd_dataset *ds, double T, size_t samples,
                            const nd_sim_options *o, nd_error *err)
{
    nd_sindy_job *sj = &job->sj;
    sj->net = u;
    sj->net_name = net_name;
    size_t k;
    nd_status st = nd_sindy_job_net_term(sj, term, &k, err);
    if (st != ND_OK) return st;
    if (sj->nvars > ND_SYMREG_MAX_VARS)
        return nd_error_fail(err, ND_EVALUE, "the network has more than %d inputs",
                             ND_SYMREG_MAX_VARS);
    if ((st = nd_sindy_job_net_samples(sj, k, ds, T, samples, o, err)) != ND_OK) return st;
    job->X = sj->X;
    job->y = sj->Y;
    job->rows = sj->rows;
    job->nvars = sj->nvars;
    for (size_t i = 0; i < sj->nvars; i++) job->vars[i] = sj->vars[i];
    job->target = sj->targets[0];
    job->base = nd_ude_truth(u);
    job->from_network = 1;
    return ND_OK;
}

nd_status nd_symreg_job_run(nd_symreg_job *job, nd_error *err)
{
    job->res = nd_symreg_run(job->X, job->y, job->rows, job->vars, job->nvars, &job->opt, err);
    if (!job->res) return err && err->code ? err->code : ND_ENOMEM;
    nd_symreg_pick(job->res, job->pick_size);
    return ND_OK;
}

const nd_symreg_entry *nd_symreg_job_chosen(const nd_symreg_job *job)
{
    return job->res && job->res->nfront ? &job->res->front[job->res->pick] : NULL;
}

nd_model *nd_symreg_job_model(const nd_symreg_job *job, nd_sb *why, nd_error *err)
{
    const nd_symreg_entry *e = nd_symreg_job_chosen(job);
    if (!job->base) {
        nd_sb_puts(why, "the data name no model whose term it could replace");
        return NULL;
    }
    if (!e) {
        nd_sb_puts(why, "the front is empty");
        return NULL;
    }
    int state = nd_model_index(job->base, ND_MODEL_STATE, job->target) >= 0;
    if (!state && nd_model_index(job->base, ND_MODEL_TERM, job->target) < 0) {
        nd_sb_printf(why, "%s is neither a term nor a state of %s", job->target,
                     nd_model_name(job->base));
        return NULL;
    }
    nd_sb doc;
    nd_sb_init(&doc);
    nd_sb_printf(&doc, "Recovered by symreg (size %d, relative error %.3g, %zu samples): %s "
                 "with %s%s%s as found%s; the rest is %s as written.", e->size, e->nrmse,
                 job->rows, nd_model_name(job->base), state ? "d" : "", job->target,
                 state ? "/dt" : "", job->from_network ? " from the network" : " in the data",
                 nd_model_name(job->base));
    const char *names[1] = {job->target};
    const nd_expr *ex[1] = {e->expr};
    nd_model *m = nd_model_redefine_named(job->base, job->name, nd_sb_str(&doc), names, ex, 1,
                                          err);
    nd_sb_free(&doc);
    if (!m) nd_sb_printf(why, "%s", err && err->msg[0] ? err->msg : "out of memory");
    return m;
}
