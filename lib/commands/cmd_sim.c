/* simulate: a model integrated over time into a dataset, which keeps the solver's
   continuous solution for the analyses that need more than the samples (spikes). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../learn/simulate.h"
#include "../learn/ude.h"
#include "../ode/solve.h"
#include "../language/args.h"
#include "../language/exec.h"
#include "learn_cmd.h"
#include "modules.h"
#include "../language/target.h"

/* ---- simulate ---- */

typedef struct sim_request {
    double t_end, sample, noise;
    double *noise_sd;      /* noise_sd=: one for all, or one per observed variable */
    size_t nsd;
    double seed;
    int terms;
    char *method;
    nd_ode_options opt;
} sim_request;

static nd_status read_request(nd_cmd_ctx *ctx, sim_request *rq, nd_error *err)
{
    nd_status st;
    nd_ode_options_default(&rq->opt);
    rq->method = NULL;
    rq->noise_sd = NULL;
    rq->nsd = 0;
    if ((st = nd_arg_opt_number(ctx, "t", 100, &rq->t_end, err)) != ND_OK) return st;
    if (!(rq->t_end > 0) || !isfinite(rq->t_end))
        return nd_arg_error(nd_arg_opt(ctx, "t"), err, ND_EVALUE,
                            "t must be a positive, finite duration");
    if ((st = nd_arg_opt_number(ctx, "sample", nd_sim_default_sample(rq->t_end), &rq->sample, err)))
        return st;
    if (!(rq->sample > 0) || !isfinite(rq->sample))
        return nd_arg_error(nd_arg_opt(ctx, "sample"), err, ND_EVALUE,
                            "sample must be a positive interval");
    if ((st = nd_arg_opt_word(ctx, "method", "dp5", &rq->method, err)) != ND_OK) return st;
    if (nd_ode_method_parse(rq->method, &rq->opt.method) != 0)
        return nd_arg_error(nd_arg_opt(ctx, "method"), err, ND_EVALUE,
                            "unknown method '%s' (euler, rk4, expeuler, dp5, tsit5, bdf, adams)",
                            rq->method);
    if ((st = nd_arg_opt_number(ctx, "rtol", 1e-6, &rq->opt.rtol, err)) != ND_OK) return st;
    if ((st = nd_arg_opt_number(ctx, "atol", rq->opt.rtol, &rq->opt.atol, err)) != ND_OK)
        return st;
    double dt_default = nd_ode_method_is_fixed(rq->opt.method) ? 0.01 : 0;
    if ((st = nd_arg_opt_number(ctx, "dt", dt_default, &rq->opt.dt, err)) != ND_OK) return st;
    if ((st = nd_arg_opt_number(ctx, "noise", 0, &rq->noise, err)) != ND_OK) return st;
    const nd_arg *sd = nd_arg_opt(ctx, "noise_sd");
    if (sd && (st = nd_arg_numbers(ctx, sd, &rq->noise_sd, &rq->nsd, err)) != ND_OK) return st;
    if ((st = nd_arg_opt_number(ctx, "seed", 1, &rq->seed, err)) != ND_OK) return st;
    return nd_arg_opt_bool(ctx, "terms", 0, &rq->terms, err);
}

/* Keeps what the observe option names (and the driven input), with the noise asked for. */
static nd_status observe(nd_cmd_ctx *ctx, const sim_request *rq, const char *input,
                         nd_dataset **ds, nd_error *err)
{
    const nd_arg *obs = nd_arg_opt(ctx, "observe");
    const nd_expr *v = obs ? obs->value : NULL;
    size_t n = !v ? 0 : v->kind == ND_EXPR_LIST ? v->nitems : 1, bad = 0;
    const nd_expr *items[n ? n : 1];
    const char *names[n ? n : 1];
    for (size_t i = 0; i < n; i++) {
        items[i] = v->kind == ND_EXPR_LIST ? v->items[i] : v;
        names[i] = items[i]->kind == ND_EXPR_NAME ? items[i]->str : "?";
    }
    nd_noise nz = {rq->noise, rq->noise_sd, rq->nsd, (unsigned long)rq->seed};
    char warn[512];
    nd_status st = nd_sim_observe(ds, names, n, input, rq->noise > 0 || rq->nsd ? &nz : NULL,
                                  warn, sizeof warn, &bad, err);
    if (st == ND_OK && warn[0]) {
        ctx->sink->stream(ctx->sink->ctx, ND_STREAM_ERR, "warning: ");
        ctx->sink->stream(ctx->sink->ctx, ND_STREAM_ERR, warn);
        ctx->sink->stream(ctx->sink->ctx, ND_STREAM_ERR, "\n");
    }
    const nd_arg *noise = nd_arg_opt(ctx, "noise_sd") ? nd_arg_opt(ctx, "noise_sd")
                                                     : nd_arg_opt(ctx, "noise");
    if (st == ND_EVALUE && bad >= n && noise) nd_arg_error(noise, err, st, "%s", err->msg);
    if (bad < n) {
        err->line = items[bad]->line;
        err->col = items[bad]->col;
        err->span = items[bad]->span;
    }
    return st;
}

static nd_status run_simulate(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 0, 1, err);
    if (st != ND_OK) return st;
    /* A network (ude, node) simulates like its model, with the network in the loop. */
    nd_ude *net = nd_target_ude(ctx, nd_arg_pos(ctx, 0));
    nd_model_obj *mo = NULL;
    if (!net && (st = nd_target_model(ctx, nd_arg_pos(ctx, 0), &mo, err)) != ND_OK) return st;
    const nd_model *m = net ? nd_ude_model(net) : mo->model;
    sim_request rq;
    if ((st = read_request(ctx, &rq, err)) != ND_OK) {
        free(rq.method);
        free(rq.noise_sd);
        return st;
    }
    free(rq.method);
    rq.opt.interrupt = ctx->exec->interrupt;

    int input = -1;
    nd_stim *stim = net ? NULL : nd_model_obj_stim(mo, &input);
    const nd_stim *drive = net ? nd_ude_stim(net, &input) : stim;
    if (!drive || nd_stim_count(drive) == 0) input = -1;   /* `stim none` */
    size_t n = nd_model_count(m, ND_MODEL_STATE), nterms = rq.terms ? nd_model_count(m, ND_MODEL_TERM) : 0;
    if ((st = nd_sim_check_size(rq.t_end, rq.sample, 1.0 + (double)n + (input >= 0) +
                                (double)nterms, err)) != ND_OK) {
        nd_stim_free(stim);
        nd_learn_locate_call(ctx, err);
        return st;
    }
    nd_sim_options so;
    nd_sim_options_default(&so);
    so.ode = rq.opt;
    so.stim = stim;
    so.input = input;
    so.terms = rq.terms;
    so.dense = rq.noise <= 0 && !rq.nsd;   /* noisy data has no continuous solution behind it */
    size_t nt = 0;
    double *times = nd_sim_times(rq.t_end, rq.sample, &nt);
    nd_dataset *ds = NULL;
    nd_ode_stats stats = {0};
    if (!times)
        st = nd_error_fail(err, ND_ENOMEM, "out of memory for the simulation");
    else if (net)
        st = nd_sim_network(net, times, nt, rq.t_end, &so, &ds, &stats, err);
    else
        st = nd_sim_model(m, times, nt, rq.t_end, &so, &ds, &stats, err);
    if (st != ND_OK) nd_learn_locate_call(ctx, err);
    if (st == ND_OK && stats.warning[0]) {
        ctx->sink->stream(ctx->sink->ctx, ND_STREAM_ERR, "warning: ");
        ctx->sink->stream(ctx->sink->ctx, ND_STREAM_ERR, stats.warning);
        ctx->sink->stream(ctx->sink->ctx, ND_STREAM_ERR, "\n");
    }
    if (st == ND_OK) {
        if (net) nd_ds_set_meta(ds, "network", nd_arg_pos(ctx, 0)->value->str);
        const char *in_name = input >= 0 ? nd_model_item_at(m, ND_MODEL_PAR, (size_t)input)->name : NULL;
        st = observe(ctx, &rq, in_name, &ds, err);
    }
    if (st == ND_OK) {
        *result = nd_value_dataset(ds);
        ds = NULL;
        if (!*result) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    nd_ds_free(ds);
    nd_stim_free(stim);
    free(times);
    free(rq.noise_sd);
    return st;
}

static const nd_option simulate_options[] = {
    {"t", "100", "duration (the model's time unit: ms for the neuron models)"},
    {"method", "dp5", "euler, rk4, expeuler (fixed step); dp5, tsit5 (adaptive); bdf, adams (CVODE)"},
    {"rtol", "1e-6", "relative tolerance of the adaptive methods"},
    {"atol", "rtol", "absolute tolerance of the adaptive methods"},
    {"dt", "0.01 for fixed-step methods", "the step of euler, rk4 and expeuler"},
    {"sample", "about t/4000", "interval between stored samples"},
    {"observe", "all", "the variables to keep (observe=V or observe=V,n)"},
    {"noise", "0", "Gaussian measurement noise, as a fraction of each variable's range"},
    {"noise_sd", "none", "Gaussian measurement noise in the variables' units (mV for V): one standard deviation for all, or a list, one per observed variable"},
    {"seed", "1", "seed of the noise (the same numbers on every machine)"},
    {"terms", "false", "also store the model's terms (currents) at each sample"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_simulate = {
    "simulate", "integrate a model over time into a dataset",
    "NAME = simulate [MODEL|NET] t=… [method= rtol= atol= dt= sample= observe= noise= noise_sd= "
    "seed= terms=]",
    "Integrates MODEL (default: the current model) from its initial values with its "
    "parameters and stimulus, and returns a dataset sampled every `sample` time units: "
    "t, the states, the driven input, and the terms with terms=true. The solver's work "
    "(right-hand-side evaluations, accepted and rejected steps) is kept in the dataset's "
    "metadata; a fixed step beyond the method's stability limit is warned about, and a "
    "blow-up stops with a SolverError naming the time and variable. The dataset also keeps "
    "the solver's continuous solution (every computed point with its slope), so `spikes` "
    "places crossings and peaks between the samples; noise= drops it.\n\n"
    "Measurement noise is Gaussian, seeded, and added to every observed variable but the "
    "driven input: noise= as a fraction of each variable's range over the run (0.05 of a "
    "spiking trace's ~100 mV is 5 mV), which gives a trace that hardly moves (a cell at rest) "
    "next to none, and says so; noise_sd= in the variables' own units (noise_sd=0.5 is "
    "0.5 mV on V; noise_sd=[0.5, 0.01] with observe=V,n). The dataset's `noise` metadata "
    "records what was added.\n\n"
    "A network from `ude` or `node` simulates the same way, with the network in the loop "
    "and its own stimulus (change it with `stim NET …` to test generalisation); the "
    "dataset's metadata names the network, and terms=true stores the learned terms too.",
    simulate_options,
    "use hh\nset I = 10\nsim = simulate t=100\ndata = simulate t=50 sample=0.1 observe=V noise=0.05 seed=42\n"
    "rest = simulate hh t=50 sample=0.1 observe=V noise_sd=0.5",
    0, run_simulate
};

nd_status nd_cmd_register_sim(nd_cmd_registry *reg, nd_error *err)
{
    static const nd_command *const all[] = {&cmd_simulate};
    return nd_cmd_register_list(reg, all, sizeof all / sizeof all[0], err);
}
