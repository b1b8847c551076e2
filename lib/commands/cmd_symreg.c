/* `symreg`: symbolic regression of a dataset column or of a network's learned term. This
   file reads the request into a job (lib/learn/symreg_job.h), runs it with live progress
   and shows its views; the search, the views and the recovered model live in lib/learn. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../learn/simulate.h"
#include "../learn/symreg_job.h"
#include "../learn/ude.h"
#include "../language/args.h"
#include "../language/exec.h"
#include "../language/fields_value.h"
#include "../language/objects.h"
#include "../language/progress.h"
#include "../language/target.h"
#include "../language/workspace.h"
#include "learn_cmd.h"
#include "learn_plot.h"
#include "modules.h"

enum { NET_SAMPLES = 2001, MAX_WORDS = ND_SYMREG_MAX_OPS };

typedef struct symreg_call {
    nd_symreg_job job;
    const char *ops[MAX_WORDS], *fns[MAX_WORDS];
    char net_name[256];
    nd_value *holder;              /* the dataset's value, held while the job runs */
    const nd_model_obj *model_obj; /* the workspace model behind a dataset, or NULL */
    nd_progress pr;
} symreg_call;

/* The words of list option key ([exp, "+", mInf]: names or strings), borrowed from the
   call; *n 0 when the option is absent. */
static nd_status words(const nd_cmd_ctx *ctx, const char *key, const char **out, size_t *n,
                       nd_error *err)
{
    const nd_arg *a = nd_arg_opt(ctx, key);
    *n = 0;
    if (!a) return ND_OK;
    const nd_expr *e = a->value;
    size_t count = e->kind == ND_EXPR_LIST ? e->nitems : 1;
    if (count > MAX_WORDS) return nd_arg_error(a, err, ND_EVALUE, "at most %d entries", MAX_WORDS);
    for (size_t i = 0; i < count; i++) {
        const nd_expr *w = e->kind == ND_EXPR_LIST ? e->items[i] : e;
        if (w->kind != ND_EXPR_NAME && w->kind != ND_EXPR_STRING)
            return nd_error_set(err, ND_ESYNTAX, w->line, w->col, w->span, "%s= takes a list "
                                "of names or quoted symbols: [\"+\", \"-\", \"*\", \"/\", exp]",
                                key);
        out[(*n)++] = w->str;
    }
    if (!*n) return nd_arg_error(a, err, ND_EVALUE, "%s= is empty", key);
    return ND_OK;
}

static nd_status read_options(const nd_cmd_ctx *ctx, symreg_call *sc, nd_error *err)
{
    nd_symreg_options *o = &sc->job.opt;
    nd_symreg_options_default(o);
    double maxsize, iters, seed, pick, islands, pop, threads, rows;
    nd_status st;
    if ((st = words(ctx, "ops", sc->ops, &o->nops, err)) ||
        (st = words(ctx, "functions", sc->fns, &o->nfunctions, err)) ||
        (st = nd_arg_opt_whole(ctx, "maxsize", o->maxsize, 3, ND_SYMREG_MAX_SIZE, &maxsize, err)) ||
        (st = nd_arg_opt_whole(ctx, "iters", (double)o->iters, 1, 1e6, &iters, err)) ||
        (st = nd_arg_opt_whole(ctx, "seed", (double)o->seed, 0, 9007199254740992.0, &seed, err)) ||
        (st = nd_arg_opt_whole(ctx, "pick", 0, 0, ND_SYMREG_MAX_SIZE, &pick, err)) ||
        (st = nd_arg_opt_whole(ctx, "islands", o->islands, 1, 256, &islands, err)) ||
        (st = nd_arg_opt_whole(ctx, "population", (double)o->population, 4, 100000, &pop, err)) ||
        (st = nd_arg_opt_whole(ctx, "threads", 0, 0, 1024, &threads, err)) ||
        (st = nd_arg_opt_whole(ctx, "rows", (double)o->max_rows, 5, 1e7, &rows, err)) ||
        (st = nd_arg_opt_number(ctx, "parsimony", o->parsimony, &o->parsimony, err)))
        return st;
    if (!(o->parsimony >= 0 && isfinite(o->parsimony)))
        return nd_arg_error(nd_arg_opt(ctx, "parsimony"), err, ND_EVALUE,
                            "parsimony must be a finite number >= 0");
    if (o->nops) o->ops = sc->ops;
    o->functions = sc->fns;
    o->maxsize = (int)maxsize;
    o->iters = (long)iters;
    o->seed = (uint64_t)seed;
    o->islands = (unsigned)islands;
    o->population = (size_t)pop;
    o->threads = (unsigned)threads;
    o->max_rows = (size_t)rows;
    o->interrupt = ctx->exec->interrupt;
    sc->job.pick_size = (int)pick;
    return ND_OK;
}

/* The model of a dataset: model=NAME, else the one its "model" metadata names. */
static nd_status dataset_model(const nd_cmd_ctx *ctx, const nd_dataset *ds, symreg_call *sc,
                               nd_error *err)
{
    const nd_arg *a = nd_arg_opt(ctx, "model");
    nd_model_obj *mo = NULL;
    if (a) {
        nd_status st = nd_target_model(ctx, a, &mo, err);
        if (st != ND_OK) return st;
    } else {
        const char *name = nd_ds_meta(ds, "model");
        nd_model_obj *cand = name ? nd_value_as_model(nd_ws_get(ctx->ws, name)) : NULL;
        if (cand && !nd_ds_meta(ds, "network")) mo = cand;
    }
    if (mo) sc->job.base = sc->job.opt.fnmodel = mo->model;
    sc->model_obj = mo;
    return ND_OK;
}

static nd_status dataset_samples(const nd_cmd_ctx *ctx, symreg_call *sc, nd_error *err)
{
    const nd_arg *a0 = nd_arg_pos(ctx, 0), *ay = nd_arg_pos(ctx, 1);
    if (!ay)
        return nd_arg_error(a0, err, ND_ESYNTAX, "usage: symreg DATA Y [X …] or symreg "
                            "NET.TERM [DATA]: name the column to explain");
    if (nd_arg_opt(ctx, "t"))
        return nd_arg_error(nd_arg_opt(ctx, "t"), err, ND_EVALUE, "t= is for a network target "
                            "without a dataset");
    nd_dataset *ds;
    nd_status st = nd_target_dataset(ctx, a0, &sc->holder, &ds, err);
    if (st != ND_OK) return st;
    if ((st = dataset_model(ctx, ds, sc, err)) != ND_OK) return st;
    const char *target, *inputs[ND_SYMREG_MAX_VARS];
    size_t n = 0;
    if ((st = nd_arg_name(ctx, ay, &target, err)) != ND_OK) return st;
    for (size_t i = 2; i < nd_arg_count(ctx); i++) {
        if (n == ND_SYMREG_MAX_VARS)
            return nd_arg_error(nd_arg_pos(ctx, i), err, ND_EVALUE, "more than %d inputs",
                                ND_SYMREG_MAX_VARS);
        if ((st = nd_arg_name(ctx, nd_arg_pos(ctx, i), &inputs[n++], err)) != ND_OK) return st;
    }
    st = nd_symreg_job_dataset(&sc->job, ds, target, inputs, n, err);
    if (st != ND_OK) nd_target_locate(err, ay);
    return st;
}

static nd_status net_samples(const nd_cmd_ctx *ctx, symreg_call *sc, const nd_ude *u,
                             const char *term, nd_error *err)
{
    const nd_arg *a0 = nd_arg_pos(ctx, 0), *da = nd_arg_pos(ctx, 1);
    if (nd_arg_count(ctx) > 2)
        return nd_arg_error(nd_arg_pos(ctx, 2), err, ND_ESYNTAX,
                            "usage: symreg NET.TERM [DATA] ops=[…] functions=[…]");
    if (nd_arg_opt(ctx, "model"))
        return nd_arg_error(nd_arg_opt(ctx, "model"), err, ND_EVALUE, "model= is for a dataset "
                            "target: a network brings its own model");
    nd_dataset *ds;
    double T;
    nd_sim_options o;
    nd_status st = nd_learn_net_source(ctx, da, &sc->holder, &ds, &T, &o, err);
    if (st != ND_OK) return st;
    st = nd_symreg_job_net(&sc->job, u, sc->net_name, term, ds, T, NET_SAMPLES, &o, err);
    if (st != ND_OK) nd_target_locate(err, da && st != ND_ENAME ? da : a0);
    sc->job.opt.fnmodel = sc->job.base;
    return st;
}

static void on_progress(void *p, const nd_symreg_result *front, long gen, long total)
{
    symreg_call *sc = p;
    if (!nd_progress_due(&sc->pr, 0.5, 0.3)) return;
    nd_sb sb;
    nd_sb_init(&sb);
    nd_symreg_view_progress(front, gen, total, &sb);
    nd_progress_text(&sc->pr, nd_sb_str(&sb));
    nd_sb_free(&sb);
}

static nd_figure *front_figure(const void *job, const char *title, char **caption)
{
    return nd_symreg_view_figure(job, title, caption);
}

/* Shows the equation, the front and its figure; *model gets the recovered model when the
   statement binds one. */
static nd_status show(const nd_cmd_ctx *ctx, symreg_call *sc, nd_model **model, nd_error *err)
{
    const nd_symreg_job *job = &sc->job;
    nd_sb why;
    nd_sb_init(&why);
    if (ctx->bind && job->base) {
        nd_error merr = {0};
        *model = nd_symreg_job_model(job, &why, &merr);
    }
    nd_bundle *eq = NULL, *front = NULL;
    nd_status st = nd_symreg_view(job, *model ? job->name : NULL,
                                  job->base && !*model ? nd_sb_str(&why) : NULL, &eq, &front,
                                  err);
    nd_sb_free(&why);
    if (st != ND_OK) {
        nd_bundle_free(eq);
        nd_bundle_free(front);
    } else {
        st = nd_learn_show_found(ctx, eq, front, "symreg: Pareto front (error against size)",
                                 job->res->nfront ? front_figure : NULL, job, err);
    }
    return st;
}

/* `eq = symreg …` binds the model with the equation in place of the term (the fit as its
   fields), or the fit alone when there is no model. */
static nd_status bind_result(const symreg_call *sc, nd_model *model, nd_value **result,
                             nd_error *err)
{
    nd_value *fit = nd_record_of_fields(nd_symreg_fields(&sc->job), NULL);
    if (!fit) {
        nd_model_free(model);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    if (!model) {
        *result = fit;
        return ND_OK;
    }
    nd_value *v = nd_value_model(model);
    nd_model_obj *mo = v ? nd_value_as_model(v) : NULL;
    if (!mo) {
        nd_value_unref(fit);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    /* The stimulus in force for the source (the network's, or the dataset model's)
       carries over, as for sindy. */
    const nd_model_obj *src = sc->model_obj;
    int par = -1;
    if ((mo->stim = nd_sindy_job_stim(&sc->job.sj, src ? src->stim : NULL,
                                      src ? src->stim_par : -1, mo->model, &par)))
        mo->stim_par = par;
    mo->fit = fit;
    *result = v;
    return ND_OK;
}

static nd_status run_symreg(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 1, -1, err);
    if (st != ND_OK) return st;
    symreg_call *sc = calloc(1, sizeof *sc);
    if (!sc) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_symreg_job *job = &sc->job;
    const nd_arg *a0 = nd_arg_pos(ctx, 0);
    job->name = ctx->bind ? ctx->bind : "symreg";
    job->target_text = a0->value->str ? a0->value->str : "";
    const char *term = NULL;
    nd_ude *u = nd_learn_net_of(ctx, &term, sc->net_name, sizeof sc->net_name);
    if ((st = read_options(ctx, sc, err)) == ND_OK) {
        if (u && !term)
            st = nd_arg_error(a0, err, ND_EVALUE, "name the term: symreg %s.TERM", sc->net_name);
        else if (u && nd_ude_is_node(u))
            st = nd_arg_error(a0, err, ND_EVALUE, "%s is a neural ODE; symreg NET.TERM needs a "
                              "ude (simulate it and run symreg on the dataset)", sc->net_name);
        else if (u)
            st = net_samples(ctx, sc, u, term, err);
        else
            st = dataset_samples(ctx, sc, err);
    }
    if (st == ND_OK) {
        nd_progress_init(&sc->pr, ctx, "symreg-progress");
        job->opt.progress = on_progress;
        job->opt.progress_ctx = sc;
        st = nd_symreg_job_run(job, err);
        if (st == ND_OK && !(job->res && job->res->interrupted)) {
            nd_progress_end(&sc->pr);
        } else if (sc->pr.shown) {
            char text[96];
            snprintf(text, sizeof text, "symreg: stopped after %.1f s",
                     nd_progress_now() - sc->pr.start);
            nd_progress_text(&sc->pr, text);
        }
        if (st != ND_OK) nd_learn_locate_run(ctx, err, nd_arg_opt(ctx, "ops") ? nd_arg_opt(ctx, "ops") : a0);
    }
    /* Interrupted: the front found so far is shown and bound; the interrupt stays
       pending, so the rest of the cell stops as usual. */
    nd_model *model = NULL;
    if (st == ND_OK) st = show(ctx, sc, &model, err);
    if (st == ND_OK && ctx->bind) st = bind_result(sc, model, result, err);
    else nd_model_free(model);
    if (st != ND_OK && err && err->line == 0) nd_learn_locate_call(ctx, err);
    nd_value_unref(sc->holder);
    nd_symreg_job_clear(job);
    free(sc);
    return st;
}

static const nd_option symreg_options[] = {
    {"ops", "[\"+\", \"-\", \"*\", \"/\", exp, pow2]", "operators: \"+\" \"-\" \"*\" \"/\" (or "
     "add sub mul div), pow, neg, exp, log, sqrt, sin, cos, tanh, abs, inv, pow2, pow3"},
    {"functions", "[]", "the model's own functions used as primitives (mInf, hInf …): a "
     "network's model, or the dataset's (model=)"},
    {"maxsize", "30", "largest expression, in nodes (3 to 60)"},
    {"iters", "300", "generations per island (the search stops earlier once an expression "
     "is exact to 1e-9 and has not shrunk for 5 migrations)"},
    {"seed", "1", "seed of the search: the same seed gives the same front on any number of "
     "threads"},
    {"pick", "0 (the rule)", "the front's entry of this size (or the largest below it); "
     "else the smallest expression within 1.5x of the best error"},
    {"islands", "8", "populations evolving apart, exchanging their best every 10 generations"},
    {"population", "48", "expressions per island"},
    {"threads", "0 (all cores)", "worker threads (the result does not depend on it)"},
    {"rows", "256", "samples the search fits (evenly spaced); errors are reported on all"},
    {"parsimony", "0.02", "score = log(relative MSE) + parsimony × size"},
    {"model", "the dataset's model", "dataset targets: the model whose functions may be "
     "primitives and whose term the equation replaces"},
    {"t", "100", "NET.TERM without a dataset: the span of the network's own run that is "
     "sampled"},
    {"title", "symreg: Pareto front (error against size)", "title of the figure"},
    {"width", NULL, "figure width in pixels"},
    {"height", NULL, "figure height in pixels"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_symreg = {
    "symreg", "symbolic regression: a search over expressions for a column or a learned term",
    "EQ = symreg DATA Y [X …] | NET.TERM [DATA] [ops=[…] functions=[…] maxsize=30 iters=300 "
    "seed=1 pick= islands=8 population=48 threads= rows=256 parsimony=0.02 model= t=100]",
    "Searches the space of expressions for formulas that explain a target, by genetic "
    "programming (Koza 1992; Schmidt & Lipson 2009) in the manner of SymbolicRegression.jl "
    "(Cranmer 2023): populations of expression trees on several islands evolve by mutation "
    "and crossover, every candidate is simplified by the expression engine and its "
    "constants are fitted by Levenberg–Marquardt with exact derivatives. The result is the "
    "Pareto front of size (nodes) against error.\n\n"
    "With DATA Y [X …] the target is column Y of dataset DATA as a function of the columns "
    "X (all but t and Y when none is named). With NET.TERM the target is what network NET "
    "learned for TERM, at its inputs along DATA, or along the network's own run over t= "
    "when no dataset is given (the samples SINDy uses). The model's own functions "
    "(functions=[mInf]) may be primitives, so known pieces of physics combine with the "
    "operators. Operators given as symbols are quoted: ops=[\"+\", \"*\", exp].\n\n"
    "Where the dataset gives its columns' units (mV, ms, pA, uA/cm^2, 1), a candidate that "
    "adds two inputs of different dimensions or takes exp, log, sin, cos or tanh of a "
    "dimensional one is refused; fitted constants carry any unit (gNa·(V − ENa) is fine).\n\n"
    "The search is seeded and deterministic: the same seed gives the same front whatever "
    "the number of threads, and under `mpirun -np N neurodyn run` whatever the number of "
    "ranks (the islands are divided over them). An interrupt keeps the front found so far "
    "(shown and bound). "
    "Shows the chosen equation (LaTeX and text), the front as a table and a figure of "
    "error against size. EQ is bound to the model with TERM (or Y, when the dataset's model "
    "has such a term or state) replaced by the chosen equation, which `simulate` accepts; "
    "without such a model, to the fit. The fit's fields: EQ.equation, EQ.size, EQ.error "
    "(relative RMS error), EQ.front (the expressions), EQ.sizes, EQ.errors, EQ.target.",
    symreg_options,
    "use hh_rinzel\nstim step at=5 dur=50 amp=10\n"
    "truth = simulate t=60 sample=0.1 terms=true\n"
    "eq = symreg truth INa V n functions=[mInf] ops=[\"+\", \"-\", \"*\", pow3]\n"
    "data = load \"feynman.csv\"\n"
    "f = symreg data F q Ef B v theta ops=[\"+\", \"*\", sin]\n"
    "sr = symreg net.INa truth functions=[mInf] ops=[add, sub, mul, pow3] pick=13",
    0, run_symreg
};

nd_status nd_cmd_register_symreg(nd_cmd_registry *reg, nd_error *err)
{
    return nd_cmd_register(reg, &cmd_symreg, err);
}
