/* train: fit a network (ude, node) to data in stages (adam … then lbfgs …), with the loss
   curve shown live in one display, interruptible, and resumable. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../learn/ude.h"
#include "../language/args.h"
#include "../language/exec.h"
#include "learn_cmd.h"
#include "../language/progress.h"
#include "../language/target.h"
#include "train.h"
#include "ensemble_cmd.h"

/* Updates come at most this often, and drawing the curve (gnuplot, ~40 ms) takes at most
   a tenth of the training time. */
#define PROGRESS_EVERY 0.25
#define PROGRESS_SHARE 10

void nd_learn_locate_call(const nd_cmd_ctx *ctx, nd_error *err)
{
    nd_target_locate(err, &(nd_arg){.line = ctx->call->line, .col = ctx->call->col,
                                    .span = (int)strlen(ctx->call->name)});
}

void nd_learn_locate_run(const nd_cmd_ctx *ctx, nd_error *err, const nd_arg *a)
{
    nd_arg call = {.line = ctx->call->line, .col = ctx->call->col, .span = 1};
    nd_target_locate(err, err && err->code == ND_EINTERRUPT ? &call : a);
}


/* ---- live progress ---- */

typedef struct live {
    nd_progress pr;
    const char *net_name;
    double render_cost;
} live;

static void live_show(live *lv, const nd_ude_run *r, const char *state, int verdict)
{
    double t0 = nd_progress_now();
    /* no time once it ended, so that what stays in a notebook is the same on every run */
    nd_bundle *b = nd_ude_run_view(r, lv->net_name, *state ? -1 : t0 - lv->pr.start, state,
                                   verdict);
    if (b) nd_progress_show(&lv->pr, b);
    nd_bundle_free(b);
    lv->render_cost = nd_progress_now() - t0;
}

static void on_iteration(void *ctx, const nd_ude_run *r)
{
    live *lv = ctx;
    if (nd_progress_due(&lv->pr, 0, fmax(PROGRESS_EVERY, PROGRESS_SHARE * lv->render_cost)))
        live_show(lv, r, "", -1);
}

/* Runs the stages asked, or the recipe; a stage whose setup failed gets the error. */
static nd_status run(const nd_cmd_ctx *ctx, nd_train_call *tc, nd_ude_run *r,
                     nd_ude_auto_result *res, nd_error *err)
{
    if (tc->recipe) return nd_ude_run_recipe(r, tc->l2_given, ctx->exec->interrupt, res, err);
    nd_status st = nd_ude_run_stages(r, ctx->exec->interrupt, err);
    if (st != ND_OK && r->failed < tc->nst)
        nd_target_locate(err, r->failed_colloc ? tc->colloc_at[r->failed]
                              : tc->st_at[r->failed] ? tc->st_at[r->failed]
                                                     : nd_arg_pos(ctx, 1));
    return st;
}

/* Judges a finished training on every experiment (v[k]) and every held-out one (val[k]);
   the verdicts' status, or st when training did not finish. */
static nd_status judge(const nd_cmd_ctx *ctx, const nd_train_call *tc, nd_status st,
                       nd_ude_verdict *v, nd_ude_verdict *val, nd_error *err)
{
    if (st != ND_OK) return st;
    nd_status vs = nd_ude_verdicts(tc->u, tc->ex, tc->ndata, tc->fo.observe, tc->fo.nobserve,
                                   ctx->exec->interrupt, v, err);
    if (vs == ND_OK && (vs = nd_ude_verdicts(tc->u, tc->val_ex, tc->nval, tc->fo.observe,
                                             tc->fo.nobserve, ctx->exec->interrupt, val,
                                             err)) != ND_OK)
        for (size_t k = 0; k < tc->ndata; k++) nd_ude_verdict_clear(&v[k]);
    return vs;
}

static nd_status show_result(nd_cmd_ctx *ctx, nd_train_call *tc, const nd_ude_auto_result *res,
                             nd_status st, nd_status vs, nd_ude_verdict *v,
                             nd_ude_verdict *val, nd_value **result, nd_error *err)
{
    if (vs == ND_EINTERRUPT) st = vs;
    nd_bundle *view = nd_train_summary(tc, res, vs == ND_OK ? v : NULL, vs == ND_OK ? val : NULL);
    if (st == ND_OK && vs == ND_OK) {
        st = nd_cmd_give(ctx, view ? nd_train_record(tc, view, res, v, val) : NULL, result,
                         err);
    } else {
        nd_error keep = *err;
        nd_status shown = nd_cmd_display(ctx, view, err);
        if (st == ND_OK) st = vs != ND_OK ? vs : shown;
        if (vs != ND_OK) *err = keep;
    }
    return st;
}

/* Checks the data and options once, before any display: each dataset alone (the error on
   its argument), then that they observe the same variables. */
static nd_status probe(const nd_cmd_ctx *ctx, nd_train_call *tc, nd_error *err)
{
    for (size_t k = 0; k < tc->ndata; k++) {
        nd_ude_fit *f = nd_ude_fit_create_multi(tc->u, &tc->ex[k], 1, &tc->fo, err);
        if (!f) {
            nd_status st = err ? err->code : ND_ENOMEM;
            const nd_arg *obs = nd_arg_opt(ctx, "observe");
            nd_target_locate(err, st == ND_ENAME && obs ? obs : tc->data_arg[k]);
            return st;
        }
        nd_ude_fit_free(f);
    }
    size_t bad = nd_ude_experiments_differ(tc->u, tc->ex, tc->ndata, &tc->fo, err);
    if (bad) {
        nd_target_locate(err, tc->data_arg[bad]);
        return err ? err->code : ND_EVALUE;
    }
    return ND_OK;
}

static nd_status run_train(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_train_call tc;
    nd_status st = nd_train_read_call(ctx, &tc, err);
    if (st == ND_OK) st = probe(ctx, &tc, err);
    if (st == ND_OK && nd_arg_opt(ctx, "ensemble")) {
        st = nd_train_ensemble(ctx, &tc, result, err);
        nd_train_call_clear(&tc);
        return st;
    }
    live lv = {.net_name = tc.net_name};
    nd_ude_run r = {.u = tc.u, .ex = tc.ex, .nex = tc.ndata, .fo = tc.fo, .stages = tc.st,
                    .nstages = tc.nst, .cap = ND_TRAIN_MAX_STAGES, .on_iteration = on_iteration,
                    .ctx = &lv, .val = tc.val_ex, .nval = tc.nval};
    nd_ude_auto_result res = {0};
    if (st == ND_OK) {
        nd_ude_run_begin(&r);   /* a history it could not copy only shortens the curve */
        nd_progress_init(&lv.pr, ctx, "train-progress");
        nd_progress_text(&lv.pr, "training: starting…");
        st = run(ctx, &tc, &r, &res, err);
        tc.nst = r.nstages;
        nd_ude_verdict v[ND_TRAIN_MAX_DATA] = {{0}}, val[ND_UDE_MAX_VALIDATE] = {{0}};
        nd_status vs = judge(ctx, &tc, st, v, val, err);
        live_show(&lv, &r, st == ND_OK            ? " · done"
                           : st == ND_EINTERRUPT ? " · interrupted"
                                                 : " · stopped",
                  st == ND_OK && vs == ND_OK ? nd_ude_verdicts_ok(v, tc.ndata) : -1);
        /* The summary shows also after an interrupt or a failure, whose error stays. */
        st = show_result(ctx, &tc, tc.recipe ? &res : NULL, st, vs, v, val, result, err);
        for (size_t k = 0; k < tc.ndata; k++) nd_ude_verdict_clear(&v[k]);
        for (size_t k = 0; k < tc.nval; k++) nd_ude_verdict_clear(&val[k]);
    }
    if (st == ND_EINTERRUPT) {
        nd_error_set(err, ND_EINTERRUPT, ctx->call->line, ctx->call->col,
                     (int)strlen(ctx->call->name),
                     "interrupted at iteration %ld of %s; the network keeps the best "
                     "parameters (loss %.4g); run train again to continue", r.iter,
                     nd_optim_kind_name(r.cur ? r.cur->r.kind : ND_OPTIM_LBFGS),
                     nd_ude_run_best(&r));
    } else if (st != ND_OK) {
        nd_learn_locate_call(ctx, err);
    }
    nd_train_call_clear(&tc);
    nd_ude_run_free(&r);
    return st;
}

static const nd_option train_options[] = {
    {"observe", "every state in the data", "the state variables the loss compares with the "
                                           "data (observe=V); the others are hidden"},
    {"segments", "1", "multiple shooting: the data is cut into this many pieces, each "
                      "starting from a learned state (use 10 or more for spike trains); "
                      "before the stages for all of them, or on one stage"},
    {"collocation", "0", "weight of derivative matching added to the trajectory loss (keeps "
                         "the learned term near what the data imply); all stages or one"},
    {"continuity", "1", "weight of the penalty joining the segments"},
    {"l2", "0 (1e-4 in the default recipe)", "weight of the L2 penalty on the network's "
                                               "parameters"},
    {"dt", "the data's spacing", "the integration step (it must divide the spacing)"},
    {"params", "none", "physical parameters of the model trained with the network "
                       "(params=[gK, gL]): positive, searched through their logarithm, with "
                       "exact gradients from ∂f/∂p"},
    {"validate", "none", "held-out datasets (validate=s11 or validate=[s11, s12]): never in the "
                         "loss; the network is scored on them after every stage and at the "
                         "end (RMS of V, spike counts, Γ)"},
    {"method", "rk4", "fixed-step scheme: rk4, midpoint or euler"},
    {"iters", "1000 (adam, adamw), 200 (lbfgs)", "stage option: iterations of the stage"},
    {"lr", "0.01", "stage option (adam, adamw): learning rate"},
    {"wd", "0", "stage option (adam, adamw): weight decay"},
    {"memory", "10", "stage option (lbfgs): curvature pairs kept"},
    {"gtol", "1e-8", "stage option: stop when the gradient norm falls below it"},
    {"colloc", "false", "stage option: fit the network to the term values the data imply "
                        "(derivative matching, no solve): a cheap first stage"},
    ND_TRAIN_ENSEMBLE_OPTIONS,
    {NULL, NULL, NULL}
};

const nd_command nd_cmd_train = {
    "train", "fit a network (ude, node) to data: Adam(W) then L-BFGS",
    "train NET DATA [DATA …] [observe= segments= continuity= l2= dt= method= validate= "
    "params=] "
    "[adam|adamw|lbfgs [iters= lr= wd= memory= gtol= colloc=]] [then STAGE …] "
    "[ensemble=N bootstrap= seed= threads= heldout= truth= figures=]",
    "Fits the network's parameters so that the hybrid, integrated with a fixed-step scheme "
    "from the data's first sample, matches the observed columns of DATA (a column t and "
    "one column per observed state; the others are hidden). The loss is the mean squared "
    "error normalised by each variable's spread, plus the continuity penalty between "
    "segments (multiple shooting) and the L2 penalty. Gradients are exact for the "
    "discretised problem (discrete adjoint). Each dataset is fitted under the stimulus it "
    "was recorded with (simulate attaches it); a dataset that records none, under the "
    "network's own (stim NET …); a dataset with a column named like the stimulated "
    "parameter (a recorded sweep's I, in µA/cm² with `sweep rec N capacitance=C`) is fitted "
    "under that column, as fit takes it.\n\n"
    "validate=DATA or validate=[DATA, …] holds datasets out: they never enter the loss; "
    "after every stage and at the end the network is simulated under each one's stimulus "
    "and scored (RMS of V, spikes in the data and the model, matched, Γ as compare gives "
    "them), in the stage table, one line each and t.validation.\n\n"
    "params=[P, …] trains physical parameters of the model with the network (positive, "
    "searched through their logarithm, exact gradients from the model's ∂f/∂p); the "
    "summary shows each one's start and estimate (t.parameters, t.initial, "
    "t.estimates).\n\n"
    "Several datasets train one network on several experiments at once: the loss is the "
    "sum of the experiments' losses (each normalised by its own spread) plus one L2 "
    "penalty, the gradient the sum of their exact gradients. They must observe the same "
    "state variables. The verdict is given for each dataset and over all of them; "
    "t.experiments lists each one's.\n\n"
    "Stages run one after another from where the previous one stopped: `adam lr=0.01 "
    "iters=2000 then lbfgs iters=300`. One display shows the loss curve and the current "
    "iteration while training runs. An interrupt stops at the next iteration; the network "
    "keeps the best parameters so far, and `train` again continues from there. A step "
    "whose solve blows up is rejected, not fatal; the summary says how many were. The "
    "summary's JSON carries the whole loss history.\n\n"
    "Without a stage, train runs the default recipe: derivative matching, then L-BFGS on "
    "ever longer segments down to single shooting; a bad fit starts again from fresh "
    "weights (at most 3 attempts; retry seeds are derived from the network's seed and "
    "never equal a seed you type) and the best attempt is kept.\n\n"
    "Every training ends with a verdict measured against the data: the network simulated "
    "from its initial state at the data's samples must stay within 1.5 times the noise "
    "level estimated from the data (residual RMS), and, where the data spikes, fire the "
    "same spikes (each within 2 ms). The summary says plainly when the fit is not good and "
    "why (missed or extra spikes with their times, the residual as a multiple of the "
    "noise); spikes are paired as compare pairs them. `t = train …` binds the result: "
    "t.verdict, t.ok, t.loss, t.history, t.stages, t.noise, t.residual_rms, "
    "t.rms_over_noise, t.data_spikes, t.model_spikes, t.gamma, t.spike_time_errors, "
    "t.missed_spikes, t.extra_spikes (and t.validation…, t.estimates… with the options "
    "above).\n\n"
    "A stage with colloc=true fits the network directly to the values of the replaced "
    "terms that the data imply along a guessed trajectory (derivative matching): no "
    "solve, so it is cheap, and a good start: `adam colloc=true iters=500 then adam "
    "iters=1000 then lbfgs iters=200`.\n\n"
    "ensemble=N trains N networks (a deep ensemble) with the same stages or recipe, each "
    "from its own weights seed (member 1: seed=, default the network's; the others derived "
    "from it), at once on threads= threads (and, under mpirun, over the ranks), the same "
    "members for any number; "
    "bootstrap=true trains each on a resample of the datasets (two or more). "
    "`ens = train …` binds the ensemble: ens.members (networks: `m = ens.members[1]`), "
    "ens.seeds, ens.losses, ens.ok, ens.good_fits, and the calibration: the members "
    "predicted from their initial states against the first dataset (and heldout=DATA, not "
    "trained on) with the band mean ± 2 SD across them — ens.spread (mean SD), ens.noise, "
    "ens.coverage (share of the samples inside the band), ens.predictive_coverage (inside "
    "mean ± 2√(SD² + noise²), the band of a new observation), heldout_… the same. "
    "truth=DATA (noise-free, every state) adds the band of the learned term against the "
    "true one (ens.term_spread, ens.term_coverage); figures=false shows the summary "
    "without the band figures. `plot ens DATA`, `plot ens.TERM vs "
    "TERM DATA`, `eval ens.TERM vs TERM DATA` and `sindy ens.TERM …` take the ensemble.",
    train_options,
    "data = simulate hh_rinzel t=50 sample=0.1 observe=V noise=0.05\n"
    "net = ude hh_rinzel replace=INa inputs=V,n\n"
    "train net data observe=V segments=10 adam lr=0.01 iters=2000 then lbfgs iters=300\n"
    "fit = train net data observe=V\n"
    "use hh_rinzel\n"
    "stim ramp t0=0 t1=50 a0=0 a1=15\n"
    "ramp = simulate t=50 sample=0.1 observe=V noise=0.05\n"
    "both = train net data ramp observe=V\n"
    "held = train net data observe=V validate=ramp lbfgs iters=20\n"
    "phys = train net data observe=V params=[gK] lbfgs iters=20\n"
    "ens = train net data observe=V ensemble=8 heldout=ramp",
    ND_CMD_STAGES, run_train
};
