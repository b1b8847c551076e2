/* The steps of one SINDy identification (sindy_job.h): samples, library, regression, the
   recovered model. */
#include "sindy_job.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nd_sindy_job_clear(nd_sindy_job *job)
{
    free(job->X);
    free(job->Y);
    free(job->theta);
    free(job->first);
    free(job->col_rms);
    free(job->y_rms);
    free(job->term_names);
    nd_sindy_lib_free(job->lib);
    nd_sindy_fit_free(job->fit);
    nd_sindy_fit_free(job->full);
    memset(job, 0, sizeof *job);
}

/* ---- samples ---- */

nd_status nd_sindy_job_columns(nd_sindy_job *job, const nd_dataset *ds, nd_error *err)
{
    size_t cols = nd_ds_cols(ds);
    if (cols - 1 > ND_SINDY_MAX_NAMES)
        return nd_error_fail(err, ND_EVALUE, "the dataset has more than %d variables",
                             ND_SINDY_MAX_NAMES);
    /* Inputs: the stimulus column simulate marks ("input" metadata), and any column that is
       a parameter of the dataset's model (a driven input recorded under its name). */
    const char *input = nd_ds_meta(ds, "input");
    const nd_model *m = job->fnmodel;
    job->nvars = 0;
    for (size_t j = 1; j < cols; j++) {
        const char *name = nd_ds_name(ds, j);
        job->is_input[job->nvars] = (input && strcmp(input, name) == 0) ||
                                    (m && nd_model_index(m, ND_MODEL_PAR, name) >= 0 &&
                                     nd_model_index(m, ND_MODEL_STATE, name) < 0);
        job->vars[job->nvars++] = name;
    }
    return ND_OK;
}

nd_status nd_sindy_job_add_target(nd_sindy_job *job, const nd_dataset *ds, const char *name,
                                  nd_error *err)
{
    if (nd_ds_find(ds, name) < 1)
        return nd_error_fail(err, ND_ENAME, "the dataset has no variable '%s'", name);
    for (size_t k = 0; k < job->ntargets; k++)
        if (strcmp(job->targets[k], name) == 0)
            return nd_error_fail(err, ND_EVALUE, "'%s' is named twice", name);
    if (job->ntargets == ND_SINDY_MAX_NAMES)
        return nd_error_fail(err, ND_EVALUE, "at most %d targets", ND_SINDY_MAX_NAMES);
    job->target_is_state[job->ntargets] = 1;
    job->targets[job->ntargets++] = name;
    return ND_OK;
}

nd_stim *nd_sindy_job_stim(const nd_sindy_job *job, const nd_stim *model_stim, int model_par,
                           const nd_model *m, int *par)
{
    const nd_stim *from = job->net ? nd_ude_stim(job->net, par) : NULL;
    if (!from) {
        from = model_stim;
        *par = model_par;
    }
    if (!from || *par < 0 || *par >= (int)nd_model_count(m, ND_MODEL_PAR)) return NULL;
    return nd_stim_copy(from);
}

nd_status nd_sindy_job_default_targets(nd_sindy_job *job, nd_error *err)
{
    const nd_model *m = job->fnmodel;
    for (size_t j = 0; j < job->nvars; j++)
        if (!m || nd_model_index(m, ND_MODEL_STATE, job->vars[j]) >= 0) {
            job->target_is_state[job->ntargets] = 1;
            job->targets[job->ntargets++] = job->vars[j];
        }
    if (job->ntargets) return ND_OK;
    nd_sb cols;
    nd_sb_init(&cols);
    for (size_t j = 0; j < job->nvars; j++) nd_sb_printf(&cols, " %s", job->vars[j]);
    nd_status st = nd_error_fail(err, ND_EVALUE, "nothing to fit: the dataset has no column "
                                 "that is a state of %s (name the targets after the dataset:%s)",
                                 nd_model_name(m), nd_sb_str(&cols));
    nd_sb_free(&cols);
    return st;
}

/* job->first from the first row of X. */
static nd_status keep_first(nd_sindy_job *job, nd_error *err)
{
    if (!(job->first = malloc(job->nvars * sizeof *job->first)))
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    memcpy(job->first, job->X, job->nvars * sizeof *job->first);
    return ND_OK;
}

nd_status nd_sindy_job_dataset_samples(nd_sindy_job *job, const nd_dataset *ds,
                                       const nd_deriv_options *o, nd_error *err)
{
    job->rows = nd_ds_rows(ds);
    nd_status st = nd_sindy_dataset_samples(ds, job->targets, job->ntargets, o, &job->X,
                                            &job->Y, err);
    return st == ND_OK ? keep_first(job, err) : st;
}

nd_status nd_sindy_job_net_term(nd_sindy_job *job, const char *term, size_t *k,
                                nd_error *err)
{
    const nd_ude *u = job->net;
    size_t nout = nd_ude_nreplace(u);
    for (*k = 0; *k < nout && strcmp(nd_ude_replace(u, *k), term) != 0; ++*k) {}
    if (*k == nout) {
        nd_sb list;
        nd_sb_init(&list);
        for (size_t i = 0; i < nout; i++)
            nd_sb_printf(&list, "%s%s.%s", i ? ", " : "", job->net_name, nd_ude_replace(u, i));
        nd_status st = nd_error_fail(err, ND_ENAME, "%s does not learn '%s' (it learns: %s)",
                                     job->net_name, term, nd_sb_str(&list));
        nd_sb_free(&list);
        return st;
    }
    const nd_model *truth = nd_ude_truth(u);
    job->fnmodel = truth;
    job->targets[0] = nd_ude_replace(u, *k);
    job->ntargets = 1;
    job->target_is_state[0] = nd_model_index(truth, ND_MODEL_STATE, term) >= 0;
    job->nvars = nd_ude_ninputs(u);
    if (job->nvars > ND_SINDY_MAX_NAMES)
        return nd_error_fail(err, ND_EVALUE, "the network has too many inputs");
    for (size_t i = 0; i < job->nvars; i++) job->vars[i] = nd_ude_input(u, i);
    return ND_OK;
}

nd_status nd_sindy_job_net_rows(nd_sindy_job *job, const nd_dataset *ds, nd_error *err)
{
    int cols[ND_SINDY_MAX_NAMES];
    for (size_t i = 0; i < job->nvars; i++)
        if ((cols[i] = nd_ds_find(ds, job->vars[i])) < 0)
            return nd_error_fail(err, ND_EVALUE, "the dataset has no column '%s', an input of "
                                 "%s", job->vars[i], job->net_name);
    size_t rows = nd_ds_rows(ds);
    job->rows = rows;
    if (!(job->X = malloc((rows + 1) * job->nvars * sizeof *job->X)))
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t i = 0; i < job->nvars; i++)
        for (size_t r = 0; r < rows; r++)
            job->X[r * job->nvars + i] = nd_ds_col(ds, (size_t)cols[i])[r];
    return ND_OK;
}

nd_status nd_sindy_job_net_output(nd_sindy_job *job, size_t k, nd_error *err)
{
    nd_status st = keep_first(job, err);
    return st == ND_OK ? nd_sindy_net_output(job->net, k, job->X, job->rows, &job->Y, err) : st;
}

nd_status nd_sindy_job_net_samples(nd_sindy_job *job, size_t k, const nd_dataset *ds, double T,
                                   size_t samples, const nd_sim_options *o, nd_error *err)
{
    nd_status st;
    if (ds) {
        st = nd_sindy_job_net_rows(job, ds, err);
    } else {
        job->rows = samples;
        st = nd_sindy_net_run_inputs(job->net, T, samples, o, &job->X, err);
    }
    return st == ND_OK ? nd_sindy_job_net_output(job, k, err) : st;
}

/* ---- the library: [poly(3), poly(2, v, w), prod(poly(1), [exp(V/10)]), expr …] ---- */

static nd_status locate_expr(nd_error *err, const nd_expr *e, nd_status st)
{
    if (err && err->line == 0 && e) {
        err->line = e->line;
        err->col = e->col;
        err->span = e->span > 0 ? e->span : 1;
    }
    return st;
}

static int is_call(const nd_expr *e, const char *name)
{
    return e->kind == ND_EXPR_CALL && strcmp(e->str, name) == 0;
}

static nd_status add_poly(nd_sindy_lib *lib, const nd_expr *e, nd_error *err)
{
    if (e->nitems < 1 || e->items[0]->kind != ND_EXPR_NUMBER ||
        e->items[0]->num != floor(e->items[0]->num))
        return nd_error_set(err, ND_ESYNTAX, e->line, e->col, e->span,
                            "poly needs a whole degree first: poly(3) or poly(2, v, w)");
    const char *names[ND_SINDY_MAX_NAMES];
    size_t n = e->nitems - 1;
    if (n > ND_SINDY_MAX_NAMES)
        return nd_error_set(err, ND_EVALUE, e->line, e->col, e->span, "too many variables");
    for (size_t i = 0; i < n; i++) {
        const nd_expr *it = e->items[i + 1];
        if (it->kind != ND_EXPR_NAME)
            return nd_error_set(err, ND_ESYNTAX, it->line, it->col, it->span,
                                "poly's variables must be names: poly(2, v, w)");
        names[i] = it->str;
    }
    nd_status st = nd_sindy_lib_add_poly(lib, (int)e->items[0]->num, n ? names : NULL, n, err);
    if (st != ND_OK && err && err->line == 0) {
        /* Point at the variable the message names, else at the call. */
        for (size_t i = 0; i < n; i++) {
            char q[300];
            snprintf(q, sizeof q, "'%s'", names[i]);
            if (strstr(err->msg, q)) return locate_expr(err, e->items[i + 1], st);
        }
        return locate_expr(err, e, st);
    }
    return st;
}

/* An empty library over the job's variables, its inputs marked; NULL on ENOMEM. */
static nd_sindy_lib *new_library(const nd_sindy_job *job)
{
    nd_sindy_lib *lib = nd_sindy_lib_create(job->vars, job->nvars);
    for (size_t i = 0; lib && i < job->nvars; i++)
        if (job->is_input[i]) nd_sindy_lib_set_input(lib, job->vars[i]);
    return lib;
}

static nd_status add_items(const nd_sindy_job *job, nd_sindy_lib *lib, const nd_expr *v,
                           nd_error *err);

static nd_status add_product(const nd_sindy_job *job, nd_sindy_lib *lib, const nd_expr *e,
                             nd_error *err)
{
    if (e->nitems != 2)
        return nd_error_set(err, ND_ESYNTAX, e->line, e->col, e->span,
                            "prod takes two libraries: prod(poly(1), [exp(V/10), 1])");
    nd_sindy_lib *part[2] = {new_library(job), new_library(job)};
    nd_status st = part[0] && part[1] ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (int i = 0; st == ND_OK && i < 2; i++) st = add_items(job, part[i], e->items[i], err);
    if (st == ND_OK && (st = nd_sindy_lib_add_product(lib, part[0], part[1], err)) != ND_OK)
        locate_expr(err, e, st);
    nd_sindy_lib_free(part[0]);
    nd_sindy_lib_free(part[1]);
    return st;
}

/* Adds one item, or each item of a list. */
static nd_status add_items(const nd_sindy_job *job, nd_sindy_lib *lib, const nd_expr *v,
                           nd_error *err)
{
    if (v->kind == ND_EXPR_LIST) {
        for (size_t i = 0; i < v->nitems; i++) {
            nd_status st = add_items(job, lib, v->items[i], err);
            if (st != ND_OK) return st;
        }
        return ND_OK;
    }
    if (is_call(v, "poly")) return add_poly(lib, v, err);
    if (is_call(v, "prod")) return add_product(job, lib, v, err);
    if (v->kind == ND_EXPR_STRING || v->kind == ND_EXPR_RANGE)
        return nd_error_set(err, ND_ESYNTAX, v->line, v->col, v->span,
                            "a library item is poly(D), prod(A, B) or an expression");
    nd_status st = nd_sindy_lib_add_expr(lib, v, job->fnmodel, err);
    return st == ND_OK ? ND_OK : locate_expr(err, v, st);
}

nd_status nd_sindy_job_library(nd_sindy_job *job, const nd_expr *spec, nd_error *err)
{
    if (!(job->lib = new_library(job))) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (!spec) return nd_sindy_lib_add_poly(job->lib, 3, NULL, 0, err);
    nd_status st = add_items(job, job->lib, spec, err);
    if (st == ND_OK && nd_sindy_lib_size(job->lib) == 0)
        st = nd_error_fail(err, ND_EVALUE, "the library is empty");
    return st;
}

/* ---- the regression ---- */

static nd_status check_interrupt(const atomic_int *interrupt, nd_error *err)
{
    if (interrupt && atomic_load(interrupt))
        return nd_error_fail(err, ND_EINTERRUPT, "interrupted by the user");
    return ND_OK;
}

nd_status nd_sindy_job_regress(nd_sindy_job *job, const atomic_int *interrupt, nd_error *err)
{
    size_t p = nd_sindy_lib_size(job->lib), m = job->ntargets, rows = job->rows;
    job->theta = malloc(rows * p * sizeof *job->theta);
    job->col_rms = malloc(p * sizeof *job->col_rms);
    job->y_rms = malloc(m * sizeof *job->y_rms);
    job->term_names = malloc(p * sizeof *job->term_names);
    if (!job->theta || !job->col_rms || !job->y_rms || !job->term_names)
        return nd_error_fail(err, ND_ENOMEM, "out of memory for %zu × %zu library values",
                             rows, p);
    nd_status st = nd_sindy_lib_eval(job->lib, job->X, rows, job->theta, err);
    if (st != ND_OK) return st;
    for (size_t j = 0; j < p; j++) job->term_names[j] = nd_sindy_lib_text(job->lib, j);
    job->opt.names = job->term_names;
    nd_sindy_rms_cols(job->theta, rows, p, job->col_rms);
    nd_sindy_rms_cols(job->Y, rows, m, job->y_rms);
    if ((st = check_interrupt(interrupt, err)) != ND_OK) return st;
    nd_sindy_options o = job->opt;
    o.threshold = 0;
    o.ensemble = 0;
    if (!(job->full = nd_sindy_regress(job->theta, rows, p, job->Y, m, &o, err)))
        return err ? err->code : ND_ENOMEM;
    if (job->sweep) {
        if ((st = nd_sindy_sweep_auto(job->theta, rows, p, job->Y, m, &job->opt,
                                      nd_sindy_coef(job->full), &job->sw, err)) != ND_OK)
            return st;
        if (!job->threshold_given) job->opt.threshold = job->sw.suggested;
    }
    if ((st = check_interrupt(interrupt, err)) != ND_OK) return st;
    if (!(job->fit = nd_sindy_regress(job->theta, rows, p, job->Y, m, &job->opt, err)))
        return err ? err->code : ND_ENOMEM;
    return ND_OK;
}

/* ---- the recovered model ---- */

nd_model *nd_sindy_job_model(const nd_sindy_job *job, nd_sb *why, nd_error *err)
{
    const nd_model *base = job->net ? nd_ude_truth(job->net) : job->data_model;
    if (base && !job->net)
        for (size_t k = 0; base && k < job->ntargets; k++)
            if (nd_model_index(base, ND_MODEL_STATE, job->targets[k]) < 0) base = NULL;
    nd_sindy_recovery r = {
        .name = job->name, .lib = job->lib, .coef = nd_sindy_coef(job->fit),
        .targets = job->targets, .is_state = job->target_is_state, .m = job->ntargets,
        .first = job->first, .optimizer = job->opt.optimizer, .threshold = job->opt.threshold,
        .rows = job->rows, .base = base, .from_network = job->net != NULL};
    return nd_sindy_recovered_model(&r, why, err);
}
