/* train: fit a network (ude, node) to data in stages (adam … then lbfgs …), with the loss
   curve shown live in one display, interruptible, and resumable. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "../learn/ude.h"
#include "../plot/figure.h"
#include "../language/args.h"
#include "../language/exec.h"
#include "learn_cmd.h"
#include "../language/progress.h"
#include "../language/target.h"
#include "train.h"

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
    double *loss;             /* the history before this call, then every iteration */
    size_t n, cap;
    const nd_train_stage *cur;
    size_t stage_first;       /* where the current stage's losses start */
    long iter;
    double render_cost;
    /* the stages of this call, for the loss curve: where each starts and what it is */
    size_t starts[ND_TRAIN_MAX_STAGES];
    const nd_ude_stage_report *stages[ND_TRAIN_MAX_STAGES];
    size_t nstages;
    int verdict;              /* after training: 1 a good fit, 0 not, -1 not judged */
} live;

/* A stage begins: the losses from here on are its own (a series of the loss curve). */
static void begin_stage(live *lv, const nd_train_stage *s)
{
    lv->cur = s;
    lv->iter = 0;
    lv->stage_first = lv->n;
    if (lv->nstages < ND_TRAIN_MAX_STAGES) {
        lv->starts[lv->nstages] = lv->n;
        lv->stages[lv->nstages++] = &s->r;
    }
}

static int push_loss(live *lv, double f)
{
    if (lv->n == lv->cap) {
        size_t cap = lv->cap ? 2 * lv->cap : 1024;
        double *p = realloc(lv->loss, cap * sizeof *p);
        if (!p) return -1;
        lv->loss = p;
        lv->cap = cap;
    }
    lv->loss[lv->n++] = f;
    return 0;
}

/* "stage adam · iteration 1200/2000 · loss 3.1e-3 · 4.2 s" while it runs; without the
   time once it ended (state not ""), so that what stays in a notebook is the same on
   every run. */
static void status_line(const live *lv, const char *state, nd_sb *sb)
{
    char f[32] = "…";
    if (lv->n) snprintf(f, sizeof f, "%.3g", lv->loss[lv->n - 1]);
    char name[64], secs[32] = "";
    if (!*state) snprintf(secs, sizeof secs, " · %.1f s", nd_progress_now() - lv->pr.start);
    nd_sb_printf(sb, "training %s: stage %s · iteration %ld/%ld · loss %s%s%s", lv->net_name,
                 nd_ude_stage_label(&lv->cur->r, name, sizeof name), lv->iter, lv->cur->iters, f, secs,
                 state);
}

/* The loss curve (log10) and the status line as one bundle; text alone when there is
   nothing to draw or the figure fails. After training the title says the verdict. */
static nd_bundle *live_bundle(const live *lv, const char *state)
{
    nd_sb line;
    nd_sb_init(&line);
    status_line(lv, state, &line);
    if (lv->verdict >= 0)
        nd_sb_puts(&line, lv->verdict ? " · good fit" : " · NOT a good fit (see the summary)");
    nd_bundle *b = NULL;
    nd_figure *fig = lv->n > 1 ? nd_ude_loss_figure(lv->loss, lv->n, lv->starts, lv->stages,
                                                    lv->nstages, line.data)
                               : NULL;
    nd_error e;
    if (fig && nd_fig_render(fig, &b, &e) != ND_OK) b = NULL;
    nd_fig_free(fig);
    if (!b) b = nd_bundle_create();
    if (b && nd_bundle_set(b, "text/plain", line.data ? line.data : "training") != 0) {
        nd_bundle_free(b);
        b = NULL;
    }
    nd_sb_free(&line);
    return b;
}

static void live_show(live *lv, const char *state)
{
    double t0 = nd_progress_now();
    nd_bundle *b = live_bundle(lv, state);
    if (b) nd_progress_show(&lv->pr, b);
    nd_bundle_free(b);
    lv->render_cost = nd_progress_now() - t0;
}

static void on_progress(void *ctx, long iter, double f, double gnorm, double elapsed)
{
    (void)gnorm;
    (void)elapsed;
    live *lv = ctx;
    lv->iter = iter;
    push_loss(lv, f);
    if (nd_progress_due(&lv->pr, 0, fmax(PROGRESS_EVERY, PROGRESS_SHARE * lv->render_cost)))
        live_show(lv, "");
}

/* ---- running ---- */

/* Ends the running stage's record: iterations, final loss, why it stopped. */
static void close_stage(live *lv, nd_train_stage *ts, nd_status st, const nd_optim_info *info)
{
    nd_ude_stage_report *s = &ts->r;
    s->ran = 1;
    s->done = (long)(lv->n - lv->stage_first);
    s->stop = st == ND_EINTERRUPT ? ND_OPTIM_INTERRUPTED
            : st != ND_OK         ? ND_OPTIM_RUNNING
            : info                ? info->stop
                                  : ND_OPTIM_ITERS;
    s->failures = info ? info->failures : 0;
    s->loss = lv->n > lv->stage_first ? lv->loss[lv->n - 1] : NAN;
}

/* The explicit stages, each on a fit with its own segments and collocation weight. */
static nd_status run_stages(const nd_cmd_ctx *ctx, nd_train_call *tc, live *lv, nd_error *err)
{
    nd_optim_callbacks cb = {ctx->exec->interrupt, on_progress, lv, NULL, NULL};
    nd_ude_fit *fit = NULL;
    nd_ude_fit_options fo = tc->fo;
    nd_status st = ND_OK;
    for (size_t i = 0; i < tc->nst && st == ND_OK; i++) {
        nd_train_stage *s = &tc->st[i];
        size_t S = s->r.segments ? s->r.segments : tc->fo.segments;
        double cw = s->collocation >= 0 ? s->collocation : tc->fo.collocation;
        s->r.segments = S;
        if (!fit || S != fo.segments || cw != fo.collocation) {
            nd_ude_fit_free(fit);
            fo.segments = S;
            fo.collocation = cw;
            if (!(fit = nd_ude_fit_create_multi(tc->u, tc->ex, tc->ndata, &fo, err))) {
                st = err->code;
                nd_target_locate(err, s->at ? s->at : nd_arg_pos(ctx, 1));
                break;
            }
        }
        begin_stage(lv, s);
        if ((st = nd_ude_fit_set_collocation(fit, s->r.colloc, err)) != ND_OK) {
            nd_target_locate(err, s->colloc_at);
            break;
        }
        st = nd_ude_fit_run(fit, s->r.kind, &s->o, s->iters, &cb, err);
        nd_optim_info info = nd_ude_fit_info(fit);
        close_stage(lv, s, st, &info);
    }
    nd_ude_fit_free(fit);
    return st;
}

/* ---- the default recipe ---- */

typedef struct recipe_ctx {
    nd_train_call *tc;
    live *lv;
} recipe_ctx;

/* A stage of nd_ude_train_auto begins (or, stage NULL, the last one ended): closes the
   previous record with its counters and opens the next. */
static void on_recipe_stage(void *ctx, int attempt, const char *stage, size_t segments,
                            const nd_optim_info *ended)
{
    recipe_ctx *r = ctx;
    nd_train_call *tc = r->tc;
    if (tc->nst && !tc->st[tc->nst - 1].r.ran) close_stage(r->lv, &tc->st[tc->nst - 1], ND_OK, ended);
    if (!stage || tc->nst == ND_TRAIN_MAX_STAGES) return;   /* the records stop; training goes on */
    nd_train_stage *s = &tc->st[tc->nst++];
    memset(s, 0, sizeof *s);
    s->r.kind = ND_OPTIM_LBFGS;
    s->r.colloc = strcmp(stage, "collocation") == 0;
    s->r.segments = segments;
    s->r.attempt = attempt;
    s->collocation = -1;
    s->iters = s->r.colloc ? 300 : segments == 1 ? 300 : 500;
    begin_stage(r->lv, s);
}

static nd_status run_recipe(const nd_cmd_ctx *ctx, nd_train_call *tc, live *lv,
                            nd_ude_auto_result *res, nd_error *err)
{
    nd_ude_auto_options ao;
    nd_ude_auto_options_default(&ao);
    double l2 = ao.fit.l2;
    ao.fit = tc->fo;
    if (!tc->l2_given) ao.fit.l2 = l2;
    nd_optim_callbacks cb = {ctx->exec->interrupt, on_progress, lv, NULL, NULL};
    recipe_ctx r = {tc, lv};
    nd_status st = nd_ude_train_auto_multi(tc->u, tc->ex, tc->ndata, &ao, &cb, on_recipe_stage,
                                           &r, res, err);
    if (tc->nst && !tc->st[tc->nst - 1].r.ran) close_stage(lv, &tc->st[tc->nst - 1], st, NULL);
    return st;
}

/* Judges the trained network on every experiment (the verdicts) and shows the summary; a
   finished training gives its record (bound by `t = train …`), an interrupted or failed
   one only shows what it did and keeps its status. */
/* Judges a finished training on every experiment (v[k]); the verdicts' status, or st when
   training did not finish. */
static nd_status judge(const nd_cmd_ctx *ctx, const nd_train_call *tc, nd_status st,
                       nd_ude_verdict *v, nd_error *err)
{
    nd_status vs = st;
    for (size_t k = 0; st == ND_OK && vs == ND_OK && k < tc->ndata; k++)
        vs = nd_ude_verdict_experiment(tc->u, &tc->ex[k], tc->fo.observe, tc->fo.nobserve,
                                       ctx->exec->interrupt, &v[k], err);
    return vs;
}

static nd_status show_result(nd_cmd_ctx *ctx, nd_train_call *tc, const nd_ude_auto_result *res,
                             nd_status st, nd_status vs, nd_ude_verdict *v, nd_value **result,
                             nd_error *err)
{
    if (vs == ND_EINTERRUPT) st = vs;
    nd_bundle *view = nd_train_summary(tc, res, vs == ND_OK ? v : NULL);
    if (st == ND_OK && vs == ND_OK) {
        st = nd_cmd_give(ctx, view ? nd_train_record(tc, view, res, v) : NULL, result, err);
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
    nd_train_stage starting = {.r.kind = ND_OPTIM_LBFGS, .collocation = -1};
    live lv = {.net_name = tc.net_name, .cur = tc.nst ? &tc.st[0] : &starting, .verdict = -1};
    nd_ude_auto_result res = {0};
    if (st == ND_OK) {
        size_t n;
        const double *h = nd_ude_history(tc.u, &n);
        for (size_t i = 0; i < n && push_loss(&lv, h[i]) == 0; i++) {}
        nd_progress_init(&lv.pr, ctx, "train-progress");
        nd_progress_text(&lv.pr, "training: starting…");
        st = tc.recipe ? run_recipe(ctx, &tc, &lv, &res, err) : run_stages(ctx, &tc, &lv, err);
        nd_ude_verdict v[ND_TRAIN_MAX_DATA] = {{0}};
        nd_status vs = judge(ctx, &tc, st, v, err);
        if (st == ND_OK && vs == ND_OK) {
            lv.verdict = 1;
            for (size_t k = 0; k < tc.ndata; k++) lv.verdict = lv.verdict && v[k].ok;
        }
        live_show(&lv, st == ND_OK            ? " · done"
                       : st == ND_EINTERRUPT ? " · interrupted"
                                             : " · stopped");
        /* The summary shows also after an interrupt or a failure, whose error stays. */
        st = show_result(ctx, &tc, tc.recipe ? &res : NULL, st, vs, v, result, err);
        for (size_t k = 0; k < tc.ndata; k++) nd_ude_verdict_clear(&v[k]);
    }
    if (st == ND_EINTERRUPT) {
        double best = INFINITY;   /* of the interrupted stage: the point it keeps */
        for (size_t i = lv.stage_first; i < lv.n; i++) best = fmin(best, lv.loss[i]);
        nd_error_set(err, ND_EINTERRUPT, ctx->call->line, ctx->call->col,
                     (int)strlen(ctx->call->name),
                     "interrupted at iteration %ld of %s; the network keeps the best "
                     "parameters (loss %.4g); run train again to continue", lv.iter,
                     nd_optim_kind_name(lv.cur->r.kind), best);
    } else if (st != ND_OK) {
        nd_learn_locate_call(ctx, err);
    }
    nd_train_call_clear(&tc);
    free(lv.loss);
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
    {"method", "rk4", "fixed-step scheme: rk4, midpoint or euler"},
    {"iters", "1000 (adam, adamw), 200 (lbfgs)", "stage option: iterations of the stage"},
    {"lr", "0.01", "stage option (adam, adamw): learning rate"},
    {"wd", "0", "stage option (adam, adamw): weight decay"},
    {"memory", "10", "stage option (lbfgs): curvature pairs kept"},
    {"gtol", "1e-8", "stage option: stop when the gradient norm falls below it"},
    {"colloc", "false", "stage option: fit the network to the term values the data imply "
                        "(derivative matching, no solve): a cheap first stage"},
    {NULL, NULL, NULL}
};

const nd_command nd_cmd_train = {
    "train", "fit a network (ude, node) to data: Adam(W) then L-BFGS",
    "train NET DATA [DATA …] [observe= segments= continuity= l2= dt= method=] "
    "[adam|adamw|lbfgs [iters= lr= wd= memory= gtol= colloc=]] [then STAGE …]",
    "Fits the network's parameters so that the hybrid, integrated with a fixed-step scheme "
    "from the data's first sample, matches the observed columns of DATA (a column t and "
    "one column per observed state; the others are hidden). The loss is the mean squared "
    "error normalised by each variable's spread, plus the continuity penalty between "
    "segments (multiple shooting) and the L2 penalty. Gradients are exact for the "
    "discretised problem (discrete adjoint). Each dataset is fitted under the stimulus it "
    "was recorded with (simulate attaches it); a dataset that records none, under the "
    "network's own (stim NET …).\n\n"
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
    "noise). `t = train …` binds the result: t.verdict, t.ok, t.loss, t.history, "
    "t.stages, t.noise, t.residual_rms, t.rms_over_noise, t.data_spikes, t.model_spikes, "
    "t.spike_time_errors, t.missed_spikes, t.extra_spikes.\n\n"
    "A stage with colloc=true fits the network directly to the values of the replaced "
    "terms that the data imply along a guessed trajectory (derivative matching): no "
    "solve, so it is cheap, and a good start: `adam colloc=true iters=500 then adam "
    "iters=1000 then lbfgs iters=200`.",
    train_options,
    "data = simulate hh_rinzel t=50 sample=0.1 observe=V noise=0.05\n"
    "net = ude hh_rinzel replace=INa inputs=V,n\n"
    "train net data observe=V segments=10 adam lr=0.01 iters=2000 then lbfgs iters=300\n"
    "fit = train net data observe=V\n"
    "use hh_rinzel\n"
    "stim ramp t0=0 t1=50 a0=0 a1=15\n"
    "ramp = simulate t=50 sample=0.1 observe=V noise=0.05\n"
    "both = train net data ramp observe=V",
    ND_CMD_STAGES, run_train
};
