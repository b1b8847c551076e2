/* `sindy`: sparse identification of equations from a dataset (derivatives estimated from
   the samples) or from what a network learned for one term (its outputs along samples of
   its inputs). This file reads the request into a job (lib/learn/sindy_job.h), runs it
   and shows its views; sindy_out.c makes the record the recovered model carries. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "../learn/deriv.h"
#include "../learn/simulate.h"
#include "../learn/sindy_job.h"
#include "../learn/ude.h"
#include "../language/args.h"
#include "../language/fields_value.h"
#include "deriv_args.h"
#include "../language/exec.h"
#include "learn_cmd.h"
#include "learn_plot.h"
#include "modules.h"
#include "sindy_cmd.h"
#include "ensemble_cmd.h"
#include "../language/target.h"
#include "../language/workspace.h"

enum { NET_SAMPLES = 2001, MIN_ROWS = 3 };

/* The job and what only the language knows about its source. */
typedef struct sindy_call {
    nd_sindy_job job;
    const nd_model_obj *model_obj; /* the workspace model behind a dataset, or NULL */
    char net_name[256];
} sindy_call;

static nd_status locate(nd_error *err, const nd_arg *a, nd_status st)
{
    nd_target_locate(err, a);
    return st;
}

/* ---- samples from a dataset: targets dX/dt ---- */

/* The model whose functions and parameters the library may use: model=NAME, else the
   model the dataset was simulated from (its "model" metadata) when it is still known. */
static nd_status find_model(const nd_cmd_ctx *ctx, const nd_dataset *ds, sindy_call *sc,
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
    sc->model_obj = mo;
    sc->job.fnmodel = sc->job.data_model = mo->model;
    return ND_OK;
}

static nd_status dataset_samples(const nd_cmd_ctx *ctx, const nd_arg *a0, nd_dataset *ds,
                                 sindy_call *sc, nd_error *err)
{
    nd_sindy_job *job = &sc->job;
    if (nd_ds_cols(ds) < 2 || strcmp(nd_ds_name(ds, 0), "t") != 0)
        return nd_arg_error(a0, err, ND_EVALUE, "the dataset has no time column 't' "
                            "(needed to estimate derivatives)");
    nd_status st = find_model(ctx, ds, sc, err);
    if (st == ND_OK && (st = nd_sindy_job_columns(job, ds, err)) != ND_OK) return locate(err, a0, st);
    if (st != ND_OK) return st;
    /* Targets: the VARs named, else the columns that are the model's states (every
       column when no model is known). */
    for (size_t i = 1; i < nd_arg_count(ctx); i++) {
        const nd_arg *a = nd_arg_pos(ctx, i);
        const char *name;
        if ((st = nd_arg_name(ctx, a, &name, err)) != ND_OK) return st;
        if ((st = nd_sindy_job_add_target(job, ds, name, err)) != ND_OK) return locate(err, a, st);
    }
    if (!job->ntargets && (st = nd_sindy_job_default_targets(job, err)) != ND_OK)
        return locate(err, a0, st);
    if (nd_ds_rows(ds) < MIN_ROWS)
        return nd_arg_error(a0, err, ND_EVALUE, "too few samples: %zu rows", nd_ds_rows(ds));
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
    if ((st = nd_deriv_args_read(ctx, &dopt, nd_ds_rows(ds), a0, err)) != ND_OK) return st;
    if ((st = nd_sindy_job_dataset_samples(job, ds, &dopt, err)) != ND_OK) {
        const nd_arg *da = nd_arg_opt(ctx, "deriv");
        return locate(err, da ? da : a0, st);
    }
    return ND_OK;
}

/* ---- samples from a network: its output for TERM along its inputs ---- */

static nd_status net_samples(const nd_cmd_ctx *ctx, const nd_arg *a0, nd_sindy_job *job,
                             const char *term, nd_error *err)
{
    size_t k;
    nd_status st = nd_sindy_job_net_term(job, term, &k, err);
    if (st != ND_OK) return locate(err, a0, st);
    const nd_arg *da = nd_arg_pos(ctx, 1);
    if (nd_arg_count(ctx) > 2)
        return nd_arg_error(nd_arg_pos(ctx, 2), err, ND_ESYNTAX,
                            "usage: sindy NET.TERM [DATASET] library=[…]");
    if (nd_arg_opt(ctx, "deriv"))
        return nd_arg_error(nd_arg_opt(ctx, "deriv"), err, ND_EVALUE, "a network's term "
                            "needs no derivatives: deriv= is for a dataset target");
    nd_value *holder;
    nd_dataset *ds;
    double T;
    nd_sim_options o;
    if ((st = nd_learn_net_source(ctx, da, &holder, &ds, &T, &o, err)) != ND_OK) return st;
    st = nd_sindy_job_net_samples(job, k, ds, T, NET_SAMPLES, &o, err);
    nd_value_unref(holder);
    if (st != ND_OK) return locate(err, da ? da : a0, st);
    if (job->rows < MIN_ROWS)
        return nd_arg_error(da ? da : a0, err, ND_EVALUE, "too few samples: %zu rows",
                            job->rows);
    return ND_OK;
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
    nd_sindy_field bad;
    nd_error e;
    if ((st = nd_sindy_check_options(o, &bad, &e)) != ND_OK) {
        static const char *const keys[] = {[ND_SINDY_FIELD_THRESHOLD] = "threshold",
                                           [ND_SINDY_FIELD_RIDGE] = "lambda",
                                           [ND_SINDY_FIELD_NU] = "nu"};
        return nd_arg_error(nd_arg_opt(ctx, keys[bad]), err, st, "%s", e.msg);
    }
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

/* The library as written, then the regression; errors on the library option (else the
   target), an interrupt on the command. */
static nd_status regress(const nd_cmd_ctx *ctx, nd_sindy_job *job, nd_error *err)
{
    const nd_arg *la = nd_arg_opt(ctx, "library"), *a0 = nd_arg_pos(ctx, 0);
    nd_status st = nd_sindy_job_library(job, la ? la->value : NULL, err);
    if (st != ND_OK) return la ? locate(err, la, st) : st;
    size_t p = nd_sindy_lib_size(job->lib);
    if (job->rows < p)
        return nd_arg_error(a0, err, ND_EVALUE, "too few samples: %zu rows for %zu library "
                            "terms (at least as many samples as terms are needed)", job->rows, p);
    if ((st = nd_sindy_job_regress(job, ctx->exec->interrupt, err)) != ND_OK)
        nd_learn_locate_run(ctx, err, la ? la : a0);
    return st;
}

static nd_figure *sweep_figure(const void *job, const char *title, char **caption)
{
    return nd_sindy_view_sweep(job, title, caption);
}

/* Shows the equations, the table and the sweep's figure; *model gets the recovered model
   when the statement binds one (NULL with a note when none can be built). */
static nd_status show(const nd_cmd_ctx *ctx, const nd_sindy_job *job, nd_model **model,
                      nd_error *err)
{
    nd_sb why;
    nd_sb_init(&why);
    if (ctx->bind) {
        nd_error merr = {0};
        *model = nd_sindy_job_model(job, &why, &merr);
    }
    nd_bundle *eqs = NULL, *table = NULL;
    nd_status st = nd_sindy_view(job, *model ? job->name : NULL,
                                 ctx->bind && !*model ? nd_sb_str(&why) : NULL, &eqs, &table,
                                 err);
    nd_sb_free(&why);
    if (st != ND_OK) {
        nd_bundle_free(eqs);
        nd_bundle_free(table);
    } else {
        st = nd_learn_show_found(ctx, eqs, table, "SINDy threshold sweep (Pareto front)",
                                 job->sw.n ? sweep_figure : NULL, job, err);
    }
    if (st != ND_OK) {
        nd_model_free(*model);
        *model = NULL;
    }
    return st;
}

/* `eq = sindy …` binds the recovered model, carrying the source's stimulus and the fit as
   its fields; or, when no model could be built, the fit alone. */
static nd_status bind_result(const sindy_call *sc, nd_model *model, nd_value **result,
                             nd_error *err)
{
    const nd_sindy_job *job = &sc->job;
    if (!model) {
        *result = nd_record_of_fields(nd_sindy_fields(job), NULL);
        return *result ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    nd_value *v = nd_value_model(model);
    nd_model_obj *mo = v ? nd_value_as_model(v) : NULL;
    if (!mo) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    /* The stimulus in force for the source carries over. */
    const nd_model_obj *src = sc->model_obj;
    int par = -1;
    if ((mo->stim = nd_sindy_job_stim(job, src ? src->stim : NULL, src ? src->stim_par : -1,
                                      mo->model, &par)))
        mo->stim_par = par;
    *result = v;
    return (mo->fit = nd_record_of_fields(nd_sindy_fields(job), NULL)) ? ND_OK
                                                  : nd_error_fail(err, ND_ENOMEM, "out of memory");
}

nd_status nd_sindy_net_job(const nd_cmd_ctx *ctx, const nd_ude *u, const char *net_name,
                           const char *term, nd_sindy_job *job, nd_error *err)
{
    memset(job, 0, sizeof *job);
    const nd_arg *a0 = nd_arg_pos(ctx, 0);
    job->name = "sindy";
    job->target_text = a0->value->str ? a0->value->str : "";
    job->net = u;
    job->net_name = net_name;
    nd_status st = read_options(ctx, job, err);
    if (st == ND_OK && nd_arg_opt(ctx, "model"))
        st = nd_arg_error(nd_arg_opt(ctx, "model"), err, ND_EVALUE, "model= is for a "
                          "dataset target: a network brings its own model");
    if (st == ND_OK) st = net_samples(ctx, a0, job, term, err);
    if (st == ND_OK) st = regress(ctx, job, err);
    return st;
}

static nd_status run_sindy(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 1, -1, err);
    if (st != ND_OK) return st;
    sindy_call sc;
    memset(&sc, 0, sizeof sc);
    nd_sindy_job *job = &sc.job;
    job->name = ctx->bind ? ctx->bind : "sindy";
    const nd_arg *a0 = nd_arg_pos(ctx, 0);
    job->target_text = a0->value->str ? a0->value->str : "";
    /* NET.TERM or a dataset. */
    const char *term = NULL;
    nd_ude *net = nd_learn_net_of(ctx, &term, sc.net_name, sizeof sc.net_name);
    if (a0->value->kind == ND_EXPR_NAME && strchr(a0->value->str, '.')) {
        const char *s = a0->value->str;
        nd_ude *mem[1];
        char en[256];
        const char *eterm;
        if (!net && nd_ens_target(ctx, mem, 1, &eterm, en, sizeof en))
            return nd_sindy_ens(ctx, result, err);
        if (!(job->net = net))
            return nd_arg_error(a0, err, ND_ENAME, "'%.*s' is not a network: sindy NET.TERM "
                                "needs a network made by ude", (int)(strchr(s, '.') - s), s);
        if (nd_ude_is_node(job->net))
            return nd_arg_error(a0, err, ND_EVALUE, "%s is a neural ODE; sindy NET.TERM needs "
                                "a ude (for a neural ODE, simulate it and run sindy on the "
                                "dataset)", sc.net_name);
        job->net_name = sc.net_name;
    }
    if ((st = read_options(ctx, job, err)) != ND_OK) return st;
    if (job->net) {
        if (nd_arg_opt(ctx, "model"))
            st = nd_arg_error(nd_arg_opt(ctx, "model"), err, ND_EVALUE, "model= is for a "
                              "dataset target: a network brings its own model");
        else
            st = net_samples(ctx, a0, job, term, err);
    } else {
        if (nd_arg_opt(ctx, "t"))
            return nd_arg_error(nd_arg_opt(ctx, "t"), err, ND_EVALUE, "t= is for a network "
                                "target without a dataset");
        nd_value *holder;
        nd_dataset *ds;
        if ((st = nd_target_dataset(ctx, a0, &holder, &ds, err)) != ND_OK) return st;
        st = dataset_samples(ctx, a0, ds, &sc, err);
        nd_value_unref(holder);
    }
    if (st == ND_OK) st = regress(ctx, job, err);
    nd_model *model = NULL;
    if (st == ND_OK) st = show(ctx, job, &model, err);
    if (st == ND_OK && ctx->bind) st = bind_result(&sc, model, result, err);
    else nd_model_free(model);
    if (st != ND_OK && err && err->line == 0) nd_learn_locate_call(ctx, err);
    nd_sindy_job_clear(job);
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
    "EQ = sindy DATA [VAR …] | NET.TERM [DATA] | ENS.TERM [DATA] [library=[…] "
    "optimizer=stlsq|sr3 threshold= lambda= nu= normalize=true ensemble=0 seed=1 sweep=false "
    "deriv=fd|savgol|tv window= order= alpha= model=]",
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
    "EQ.nterms (per target), EQ.targets, EQ.threshold.\n\n"
    "With ENS.TERM, ENS an ensemble (`ens = train … ensemble=N`), the same fit is made for "
    "every member's term and shown as each coefficient's mean ± SD, range and how many "
    "members kept it; EQ is bound to that record (EQ.mean, EQ.sd, EQ.nonzero, EQ.terms, "
    "EQ.coefficients: one vector per member).",
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
