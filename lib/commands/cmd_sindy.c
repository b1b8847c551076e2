/* `sindy`: sparse identification of equations from a dataset (derivatives estimated from
   the samples) or from what a network learned for one term (its outputs along samples of
   its inputs). This file reads the request and gathers the samples; sindy_out.c shows
   the result and builds the recovered model. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "../learn/deriv.h"
#include "../learn/simulate.h"
#include "../learn/ude.h"
#include "../language/args.h"
#include "deriv_args.h"
#include "../language/exec.h"
#include "learn_cmd.h"
#include "modules.h"
#include "sindy_cmd.h"
#include "../language/target.h"
#include "../language/workspace.h"

enum { NET_SAMPLES = 2001, MIN_ROWS = 3 };

static nd_status locate(nd_error *err, const nd_arg *a, nd_status st)
{
    nd_target_locate(err, a);
    return st;
}

static nd_status locate_expr(nd_error *err, const nd_expr *e, nd_status st)
{
    if (err && err->line == 0 && e) {
        err->line = e->line;
        err->col = e->col;
        err->span = e->span > 0 ? e->span : 1;
    }
    return st;
}

static int has_name(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0) return 1;
    return 0;
}

/* ---- the library: [poly(3), poly(2, v, w), prod(poly(1), [exp(V/10)]), expr …] ---- */

static nd_status add_items(const nd_sindy_job *job, nd_sindy_lib *lib, const nd_expr *v,
                           nd_error *err);

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

static nd_status build_library(const nd_cmd_ctx *ctx, nd_sindy_job *job, nd_error *err)
{
    if (!(job->lib = new_library(job)))
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    const nd_arg *a = nd_arg_opt(ctx, "library");
    if (!a) return nd_sindy_lib_add_poly(job->lib, 3, NULL, 0, err);
    nd_status st = add_items(job, job->lib, a->value, err);
    if (st != ND_OK) return locate(err, a, st);
    if (nd_sindy_lib_size(job->lib) == 0)
        return nd_arg_error(a, err, ND_EVALUE, "the library is empty");
    return ND_OK;
}

/* ---- samples from a dataset: targets dX/dt ---- */

/* The model whose functions and parameters the library may use: model=NAME, else the
   model the dataset was simulated from (its "model" metadata) when it is still known. */
static nd_status find_model(const nd_cmd_ctx *ctx, const nd_dataset *ds, nd_sindy_job *job,
                            nd_error *err)
{
    const nd_arg *a = nd_arg_opt(ctx, "model");
    nd_model_obj *mo = NULL;
    if (a) {
        nd_status st = nd_target_model(ctx, a, &mo, err);
        if (st != ND_OK) return st;
    } else {
        const char *name = nd_ds_meta(ds, "model");
        if (!name || nd_ds_meta(ds, "network")) return ND_OK;
        nd_arg fake = {NULL, ctx->call->line, ctx->call->col, 1, NULL};
        nd_expr e = {.kind = ND_EXPR_NAME, .str = (char *)name, .span = 1};
        fake.value = &e;
        if (!nd_target_is_model(ctx, &fake)) return ND_OK;
        nd_status st = nd_target_model(ctx, &fake, &mo, err);
        if (st != ND_OK) return st;
    }
    job->model_obj = mo;
    job->fnmodel = mo->model;
    return ND_OK;
}

static nd_status dataset_samples(const nd_cmd_ctx *ctx, const nd_arg *a0, nd_dataset *ds,
                                 nd_sindy_job *job, nd_error *err)
{
    if (nd_ds_cols(ds) < 2 || strcmp(nd_ds_name(ds, 0), "t") != 0)
        return nd_arg_error(a0, err, ND_EVALUE, "the dataset has no time column 't' "
                            "(needed to estimate derivatives)");
    nd_status st = find_model(ctx, ds, job, err);
    if (st != ND_OK) return st;
    size_t rows = nd_ds_rows(ds), cols = nd_ds_cols(ds);
    if (cols - 1 > ND_SINDY_MAX_NAMES)
        return nd_arg_error(a0, err, ND_EVALUE, "the dataset has more than %d variables",
                            ND_SINDY_MAX_NAMES);
    /* Inputs: the stimulus column simulate marks ("input" metadata), and any column that is
       a parameter of the dataset's model (a driven input recorded under its name). */
    const char *input = nd_ds_meta(ds, "input");
    for (size_t j = 1; j < cols; j++) {
        const char *name = nd_ds_name(ds, j);
        job->is_input[job->nvars] = (input && strcmp(input, name) == 0) ||
                                    (job->fnmodel &&
                                     nd_model_index(job->fnmodel, ND_MODEL_PAR, name) >= 0 &&
                                     nd_model_index(job->fnmodel, ND_MODEL_STATE, name) < 0);
        job->vars[job->nvars++] = name;
    }
    /* Targets: the VARs named, else the columns that are the model's states (every
       column when no model is known). */
    for (size_t i = 1; i < nd_arg_count(ctx); i++) {
        const nd_arg *a = nd_arg_pos(ctx, i);
        const char *name;
        if ((st = nd_arg_name(ctx, a, &name, err)) != ND_OK) return st;
        if (nd_ds_find(ds, name) < 1)
            return nd_arg_error(a, err, ND_ENAME, "the dataset has no variable '%s'", name);
        if (has_name(job->targets, job->ntargets, name))
            return nd_arg_error(a, err, ND_EVALUE, "'%s' is named twice", name);
        job->targets[job->ntargets++] = name;
    }
    if (!job->ntargets)
        for (size_t j = 0; j < job->nvars; j++)
            if (!job->fnmodel || nd_model_index(job->fnmodel, ND_MODEL_STATE, job->vars[j]) >= 0)
                job->targets[job->ntargets++] = job->vars[j];
    if (!job->ntargets) {
        nd_sb cols_list;
        nd_sb_init(&cols_list);
        for (size_t j = 0; j < job->nvars; j++) nd_sb_printf(&cols_list, " %s", job->vars[j]);
        st = nd_arg_error(a0, err, ND_EVALUE, "nothing to fit: the dataset has no column that "
                          "is a state of %s (name the targets after the dataset:%s)",
                          nd_model_name(job->fnmodel), nd_sb_str(&cols_list));
        nd_sb_free(&cols_list);
        return st;
    }
    for (size_t k = 0; k < job->ntargets; k++) job->target_is_state[k] = 1;
    if (rows < MIN_ROWS)
        return nd_arg_error(a0, err, ND_EVALUE, "too few samples: %zu rows", rows);
    /* Derivatives. */
    char *method = NULL;
    nd_deriv_method dm = ND_DERIV_FD;
    if ((st = nd_arg_opt_word(ctx, "deriv", "fd", &method, err)) != ND_OK) return st;
    if (nd_deriv_parse(method, &dm) != 0)
        st = nd_arg_error(nd_arg_opt(ctx, "deriv"), err, ND_EVALUE,
                          "unknown derivative method '%s' (fd, savgol, tv)", method);
    free(method);
    if (st != ND_OK) return st;
    job->deriv_name = nd_deriv_name(dm);
    nd_deriv_options dopt;
    nd_deriv_options_default(&dopt, dm);
    if ((st = nd_deriv_args_read(ctx, &dopt, rows, a0, err)) != ND_OK) return st;
    job->rows = rows;
    st = nd_sindy_dataset_samples(ds, job->targets, job->ntargets, &dopt, &job->X, &job->Y, err);
    if (st != ND_OK) {
        const nd_arg *da = nd_arg_opt(ctx, "deriv");
        return locate(err, da ? da : a0, st);
    }
    if (!(job->first = malloc(job->nvars * sizeof *job->first)))
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t j = 0; j < job->nvars; j++) job->first[j] = job->X[j];
    return ND_OK;
}

/* ---- samples from a network: its output for TERM along its inputs ---- */

static nd_status net_samples(const nd_cmd_ctx *ctx, const nd_arg *a0, nd_sindy_job *job,
                             const char *term, nd_error *err)
{
    const nd_ude *u = job->net;
    size_t k, nout = nd_ude_nreplace(u);
    for (k = 0; k < nout && strcmp(nd_ude_replace(u, k), term) != 0; k++) {}
    if (k == nout) {
        nd_sb list;
        nd_sb_init(&list);
        for (size_t i = 0; i < nout; i++)
            nd_sb_printf(&list, "%s%s.%s", i ? ", " : "", job->net_name, nd_ude_replace(u, i));
        nd_status st = nd_arg_error(a0, err, ND_ENAME, "%s does not learn '%s' (it learns: %s)",
                                    job->net_name, term, nd_sb_str(&list));
        nd_sb_free(&list);
        return st;
    }
    const nd_model *truth = nd_ude_truth(u);
    job->fnmodel = truth;
    job->targets[0] = nd_ude_replace(u, k);
    job->ntargets = 1;
    job->target_is_state[0] = nd_model_index(truth, ND_MODEL_STATE, term) >= 0;
    job->nvars = nd_ude_ninputs(u);
    if (job->nvars > ND_SINDY_MAX_NAMES)
        return nd_arg_error(a0, err, ND_EVALUE, "the network has too many inputs");
    for (size_t i = 0; i < job->nvars; i++) job->vars[i] = nd_ude_input(u, i);
    nd_status st;
    const nd_arg *da = nd_arg_pos(ctx, 1);
    if (nd_arg_count(ctx) > 2)
        return nd_arg_error(nd_arg_pos(ctx, 2), err, ND_ESYNTAX,
                            "usage: sindy NET.TERM [DATASET] library=[…]");
    if (nd_arg_opt(ctx, "deriv"))
        return nd_arg_error(nd_arg_opt(ctx, "deriv"), err, ND_EVALUE, "a network's term "
                            "needs no derivatives: deriv= is for a dataset target");
    if (da) {
        nd_value *holder;
        nd_dataset *ds;
        if ((st = nd_target_dataset(ctx, da, &holder, &ds, err)) != ND_OK) return st;
        int cols[ND_SINDY_MAX_NAMES];
        for (size_t i = 0; st == ND_OK && i < job->nvars; i++)
            if ((cols[i] = nd_ds_find(ds, job->vars[i])) < 0)
                st = nd_arg_error(da, err, ND_EVALUE, "the dataset has no column '%s', an "
                                  "input of %s", job->vars[i], job->net_name);
        size_t rows = nd_ds_rows(ds);
        if (st == ND_OK) {
            job->rows = rows;
            if (!(job->X = malloc((rows + 1) * job->nvars * sizeof *job->X)))
                st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        }
        for (size_t i = 0; st == ND_OK && i < job->nvars; i++)
            for (size_t r = 0; r < rows; r++)
                job->X[r * job->nvars + i] = nd_ds_col(ds, (size_t)cols[i])[r];
        nd_value_unref(holder);
        if (st != ND_OK) return st;
    } else {
        double T;
        if ((st = nd_arg_opt_number(ctx, "t", 100, &T, err)) != ND_OK) return st;
        if (!(T > 0 && isfinite(T)))
            return nd_arg_error(nd_arg_opt(ctx, "t"), err, ND_EVALUE, "t must be positive");
        nd_sim_options o;
        nd_sim_options_default(&o);
        o.ode.interrupt = ctx->exec->interrupt;
        job->rows = NET_SAMPLES;
        if ((st = nd_sindy_net_run_inputs(u, T, NET_SAMPLES, &o, &job->X, err)) != ND_OK)
            return locate(err, a0, st);
    }
    if (job->rows < MIN_ROWS)
        return nd_arg_error(da ? da : a0, err, ND_EVALUE, "too few samples: %zu rows",
                            job->rows);
    if (!(job->first = malloc(job->nvars * sizeof *job->first)))
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    memcpy(job->first, job->X, job->nvars * sizeof *job->first);
    return nd_sindy_net_output(u, k, job->X, job->rows, &job->Y, err);
}

/* ---- options ---- */

static nd_status read_options(const nd_cmd_ctx *ctx, nd_sindy_job *job, nd_error *err)
{
    nd_sindy_options *o = &job->opt;
    nd_sindy_options_default(o);
    char *opt = NULL;
    nd_status st = nd_arg_opt_word(ctx, "optimizer", "stlsq", &opt, err);
    if (st != ND_OK) return st;
    if (strcmp(opt, "stlsq") == 0) o->optimizer = ND_SINDY_STLSQ;
    else if (strcmp(opt, "sr3") == 0) o->optimizer = ND_SINDY_SR3;
    else st = nd_arg_error(nd_arg_opt(ctx, "optimizer"), err, ND_EVALUE,
                           "unknown optimizer '%s' (stlsq, sr3)", opt);
    free(opt);
    if (st != ND_OK) return st;
    job->threshold_given = nd_arg_opt(ctx, "threshold") != NULL;
    double ens = 0, seed = (double)o->seed;
    if ((st = nd_arg_opt_number(ctx, "threshold", o->threshold, &o->threshold, err)) ||
        (st = nd_arg_opt_number(ctx, "lambda", o->ridge, &o->ridge, err)) ||
        (st = nd_arg_opt_number(ctx, "nu", o->nu, &o->nu, err)) ||
        (st = nd_arg_opt_bool(ctx, "normalize", o->normalize, &o->normalize, err)) ||
        (st = nd_arg_opt_number(ctx, "ensemble", 0, &ens, err)) ||
        (st = nd_arg_opt_number(ctx, "seed", seed, &seed, err)) ||
        (st = nd_arg_opt_bool(ctx, "sweep", 0, &job->sweep, err)))
        return st;
    if (!(o->threshold >= 0 && isfinite(o->threshold)))
        return nd_arg_error(nd_arg_opt(ctx, "threshold"), err, ND_EVALUE,
                            "threshold must be a finite number >= 0");
    if (!(o->ridge >= 0 && isfinite(o->ridge)))
        return nd_arg_error(nd_arg_opt(ctx, "lambda"), err, ND_EVALUE,
                            "lambda must be a finite number >= 0");
    if (!(o->nu > 0 && isfinite(o->nu)))
        return nd_arg_error(nd_arg_opt(ctx, "nu"), err, ND_EVALUE, "nu must be positive");
    if (!(ens >= 0 && ens <= 10000 && ens == floor(ens)))
        return nd_arg_error(nd_arg_opt(ctx, "ensemble"), err, ND_EVALUE,
                            "ensemble must be a whole number of models from 0 to 10000");
    if (!(seed >= 0 && seed <= 9007199254740992.0 && seed == floor(seed)))
        return nd_arg_error(nd_arg_opt(ctx, "seed"), err, ND_EVALUE,
                            "seed must be a whole number >= 0");
    o->ensemble = (size_t)ens;
    o->seed = (uint64_t)seed;
    return ND_OK;
}

/* ---- the regression ---- */

/* The unthresholded fit, the sweep (when asked) and the fit at the threshold. */
static nd_status regress(const nd_cmd_ctx *ctx, nd_sindy_job *job, nd_error *err)
{
    size_t p = nd_sindy_lib_size(job->lib), m = job->ntargets, rows = job->rows;
    const nd_arg *la = nd_arg_opt(ctx, "library");
    const nd_arg *a0 = nd_arg_pos(ctx, 0);
    if (rows < p)
        return nd_arg_error(a0, err, ND_EVALUE, "too few samples: %zu rows for %zu library "
                            "terms (at least as many samples as terms are needed)", rows, p);
    job->theta = malloc(rows * p * sizeof *job->theta);
    job->col_rms = malloc(p * sizeof *job->col_rms);
    job->y_rms = malloc(m * sizeof *job->y_rms);
    if (!job->theta || !job->col_rms || !job->y_rms)
        return nd_error_fail(err, ND_ENOMEM, "out of memory for %zu × %zu library values",
                             rows, p);
    nd_status st = nd_sindy_lib_eval(job->lib, job->X, rows, job->theta, err);
    if (st != ND_OK) return locate(err, la ? la : a0, st);
    if (!(job->term_names = malloc(p * sizeof *job->term_names)))
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t j = 0; j < p; j++) job->term_names[j] = nd_sindy_lib_text(job->lib, j);
    job->opt.names = job->term_names;
    nd_sindy_rms_cols(job->theta, rows, p, job->col_rms);
    nd_sindy_rms_cols(job->Y, rows, m, job->y_rms);
    if ((st = nd_cmd_check_interrupt(ctx, err)) != ND_OK) return st;
    nd_sindy_options o = job->opt;
    o.threshold = 0;
    o.ensemble = 0;
    if (!(job->full = nd_sindy_regress(job->theta, rows, p, job->Y, m, &o, err)))
        return locate(err, la ? la : a0, err ? err->code : ND_ENOMEM);
    if (job->sweep) {
        if ((st = nd_sindy_sweep_auto(job->theta, rows, p, job->Y, m, &job->opt,
                                      nd_sindy_coef(job->full), &job->sw, err)) != ND_OK)
            return locate(err, la ? la : a0, st);
        if (!job->threshold_given) job->opt.threshold = job->sw.suggested;
    }
    if ((st = nd_cmd_check_interrupt(ctx, err)) != ND_OK) return st;
    if (!(job->fit = nd_sindy_regress(job->theta, rows, p, job->Y, m, &job->opt, err)))
        return locate(err, la ? la : a0, err ? err->code : ND_ENOMEM);
    return ND_OK;
}

static void job_free(nd_sindy_job *job)
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
}

static nd_status run_sindy(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 1, -1, err);
    if (st != ND_OK) return st;
    nd_sindy_job job;
    memset(&job, 0, sizeof job);
    job.name = ctx->bind ? ctx->bind : "sindy";
    job.deriv_name = NULL;
    const nd_arg *a0 = nd_arg_pos(ctx, 0);
    /* NET.TERM or a dataset. */
    if (a0->value->kind == ND_EXPR_NAME && strchr(a0->value->str, '.')) {
        const char *s = a0->value->str, *dot = strchr(s, '.');
        size_t len = (size_t)(dot - s);
        if (len < sizeof job.net_buf) {
            memcpy(job.net_buf, s, len);
            job.net_buf[len] = '\0';
            job.net = nd_value_as_ude(nd_ws_get(ctx->ws, job.net_buf));
        }
        if (!job.net)
            return nd_arg_error(a0, err, ND_ENAME, "'%.*s' is not a network: sindy NET.TERM "
                                "needs a network made by ude", (int)len, s);
        if (nd_ude_is_node(job.net))
            return nd_arg_error(a0, err, ND_EVALUE, "%s is a neural ODE; sindy NET.TERM needs "
                                "a ude (for a neural ODE, simulate it and run sindy on the "
                                "dataset)", job.net_buf);
        job.term_mode = 1;
        job.net_name = job.net_buf;
    }
    if ((st = read_options(ctx, &job, err)) != ND_OK) return st;
    if (job.term_mode) {
        if (nd_arg_opt(ctx, "model"))
            st = nd_arg_error(nd_arg_opt(ctx, "model"), err, ND_EVALUE, "model= is for a "
                              "dataset target: a network brings its own model");
        else
            st = net_samples(ctx, a0, &job, strchr(a0->value->str, '.') + 1, err);
    } else {
        if (nd_arg_opt(ctx, "t"))
            return nd_arg_error(nd_arg_opt(ctx, "t"), err, ND_EVALUE, "t= is for a network "
                                "target without a dataset");
        nd_value *holder;
        nd_dataset *ds;
        if ((st = nd_target_dataset(ctx, a0, &holder, &ds, err)) != ND_OK) return st;
        st = dataset_samples(ctx, a0, ds, &job, err);
        nd_value_unref(holder);
    }
    if (st == ND_OK) st = build_library(ctx, &job, err);
    if (st == ND_OK) st = regress(ctx, &job, err);
    nd_model *model = NULL;
    if (st == ND_OK) st = nd_sindy_show(ctx, &job, &model, err);
    if (st == ND_OK && model && ctx->bind) {
        nd_value *v = nd_value_model(model);
        model = NULL;
        if (!v) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        nd_model_obj *mo = v ? nd_value_as_model(v) : NULL;
        /* The stimulus in force for the source carries over. */
        int par = -1;
        nd_stim *stim = NULL;
        if (mo && job.term_mode && nd_ude_stim(job.net, &par))
            stim = nd_stim_copy(nd_ude_stim(job.net, &par));
        else if (mo && job.model_obj && job.model_obj->stim)
            stim = nd_stim_copy(job.model_obj->stim), par = job.model_obj->stim_par;
        if (mo && stim && par >= 0 && par < (int)nd_model_count(mo->model, ND_MODEL_PAR)) {
            mo->stim = stim;
            mo->stim_par = par;
        } else {
            nd_stim_free(stim);
        }
        if (mo && !(mo->fit = nd_sindy_fit_record(&job)))
            st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        *result = v;
    } else if (st == ND_OK && ctx->bind && !(*result = nd_sindy_fit_record(&job))) {
        /* No model could be built: the name still gets the fit. */
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    nd_model_free(model);
    if (st != ND_OK && err && err->line == 0) nd_learn_locate_call(ctx, err);
    job_free(&job);
    return st;
}

static const nd_option sindy_options[] = {
    {"library", "[poly(3)]", "candidate terms: poly(D) or poly(D, v, w) (monomials up to "
                             "degree D; poly(D) leaves out inputs such as the stimulus "
                             "column I unless named), prod(A, B) (every product of two "
                             "libraries), or any expression (mInf(V)^3*hInf(V)*(V-ENa), "
                             "exp(V/10), I)"},
    {"optimizer", "stlsq", "stlsq (sequentially thresholded least squares) or sr3"},
    {"threshold", "0.1 (the knee with sweep=true)", "coefficients below it are dropped; "
                  "in normalised units unless normalize=false"},
    {"lambda", "1e-6", "ridge weight of the least squares (normalised units)"},
    {"nu", "1", "SR3 relaxation"},
    {"normalize", "true", "divide every term and target by its RMS before thresholding "
                          "(results are reported in original units)"},
    {"ensemble", "0", "bagging: fit this many models on resampled rows; report median ± std "
                      "and how often each term is kept"},
    {"seed", "1", "seed of the ensemble's resampling"},
    {"sweep", "false", "fit 50 thresholds, plot error against number of terms (Pareto) "
                       "and use the knee unless threshold= is given"},
    {"deriv", "fd", "dataset targets: derivative estimate fd (central differences), savgol "
                    "(Savitzky–Golay) or tv (total variation, for noisy data)"},
    {"window", "9", "savgol: samples in each local fit (odd)"},
    {"order", "3", "savgol: degree of the local polynomial"},
    {"alpha", "0 (from the noise)", "tv: regularisation weight"},
    {"model", "the dataset's model", "dataset targets: the model whose functions and "
                                     "parameters the library may use"},
    {"t", "100", "NET.TERM without a dataset: the span of the network's own simulation "
                 "whose inputs are sampled"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_sindy = {
    "sindy", "sparse identification of equations from data or from a network's term",
    "EQ = sindy DATA [VAR …] | NET.TERM [DATA] [library=[…] optimizer=stlsq|sr3 threshold= "
    "lambda= nu= normalize=true ensemble=0 seed=1 sweep=false deriv=fd|savgol|tv window= "
    "order= alpha= model=]",
    "Finds the few library terms that explain a target, by sparse regression (SINDy).\n\n"
    "With a dataset, the targets are the derivatives dX/dt of its variables (those named, "
    "else the states of the model it was simulated from, else every column besides t), "
    "estimated with deriv=; the library is over the dataset's columns (a stimulus column "
    "is an input: poly(D) leaves it out, name it to fit it: library=[poly(3), I]) and may use the "
    "functions and parameters of that model (model= names another). With NET.TERM, the "
    "target is what network NET learned for TERM, evaluated at its inputs along DATA (which "
    "must hold every input), or along the network's own simulation over t= when no dataset "
    "is given; no derivative is needed.\n\n"
    "Columns and targets are divided by their RMS before the regression (normalize=true), "
    "so threshold= is a dimensionless size: a term is kept when it moves the target by at "
    "least threshold × the target's typical size per typical size of the term. "
    "Coefficients are reported in original units. An equation that loses every term says "
    "so and gives its largest coefficient. ensemble=N fits N models on resampled rows "
    "(coefficients: medians ± std, and how often each term is kept); sweep=true plots the "
    "error against the number of terms over 50 thresholds and picks the knee.\n\n"
    "Shows the equations (LaTeX and text), a table of coefficients with R² and residual RMS "
    "per target; EQ is bound to the recovered model: the dataset's model (or, for NET.TERM, "
    "the network's model as written) with the recovered right-hand sides (or term), or a "
    "new model of the targets started at the data's first row, which `simulate`, `plot`, "
    "`show`, `spikes` and `continue` accept. Its fields are the fit's: EQ.coefficients.V "
    "(per target, a vector over EQ.library's terms), EQ.equations, EQ.r2, EQ.rms, "
    "EQ.nterms (per target), EQ.targets, EQ.threshold.",
    sindy_options,
    "use fhn\nset I = 0.5\ndata = simulate t=300 sample=0.1\n"
    "eq = sindy data library=[poly(3)] threshold=0.05\n"
    "eq = sindy net.INa truth library=[mInf(V)^3*(0.89-1.1*n)*(V-ENa), V, 1]",
    0, run_sindy
};

nd_status nd_cmd_register_sindy(nd_cmd_registry *reg, nd_error *err)
{
    return nd_cmd_register(reg, &cmd_sindy, err);
}
