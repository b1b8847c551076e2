/* Stages of a training and their log (ude_stages.h). */
#include "ude_stages.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"

static int push_loss(nd_ude_run *r, double f)
{
    if (r->n == r->loss_cap) {
        size_t cap = r->loss_cap ? 2 * r->loss_cap : 1024;
        double *p = realloc(r->loss, cap * sizeof *p);
        if (!p) return -1;
        r->loss = p;
        r->loss_cap = cap;
    }
    r->loss[r->n++] = f;
    return 0;
}

int nd_ude_run_begin(nd_ude_run *r)
{
    size_t n;
    const double *h = nd_ude_history(r->u, &n);
    r->failed = r->nstages;
    r->cur = r->nstages ? &r->stages[0] : NULL;   /* what the display names until one starts */
    for (size_t i = 0; i < n; i++)
        if (push_loss(r, h[i]) != 0) return -1;
    return 0;
}

void nd_ude_run_free(nd_ude_run *r)
{
    free(r->loss);
    r->loss = NULL;
    r->n = r->loss_cap = 0;
}

/* A stage begins: the losses from here on are its own (a series of the loss curve). */
static void begin_stage(nd_ude_run *r, const nd_ude_train_stage *s)
{
    r->cur = s;
    r->iter = 0;
    r->stage_first = r->n;
    if (r->nlogged < ND_UDE_MAX_STAGES) {
        r->starts[r->nlogged] = r->n;
        r->logged[r->nlogged++] = &s->r;
    }
}

/* Ends stage s's record: iterations, final loss, why it stopped. */
static void close_stage(nd_ude_run *r, nd_ude_train_stage *s, nd_status st,
                        const nd_optim_info *info)
{
    s->r.ran = 1;
    s->r.done = (long)(r->n - r->stage_first);
    s->r.stop = st == ND_EINTERRUPT ? ND_OPTIM_INTERRUPTED
              : st != ND_OK         ? ND_OPTIM_RUNNING
              : info                ? info->stop
                                    : ND_OPTIM_ITERS;
    s->r.failures = info ? info->failures : 0;
    s->r.loss = r->n > r->stage_first ? r->loss[r->n - 1] : NAN;
    /* The held-out experiments, scored with the weights the stage ends on; a score that
       cannot be computed (an interrupt) is left out, training goes on. */
    size_t nval = r->nval < ND_UDE_MAX_VALIDATE ? r->nval : ND_UDE_MAX_VALIDATE;
    nd_error e = {0};
    s->r.nval = 0;
    if (nval && st == ND_OK &&
        nd_ude_val_scores(r->u, r->val, nval, r->fo.observe, r->fo.nobserve, r->interrupt,
                          s->r.val, &e) == ND_OK)
        s->r.nval = nval;
}

static void on_progress(void *ctx, long iter, double f, double gnorm, double elapsed)
{
    (void)gnorm;
    (void)elapsed;
    nd_ude_run *r = ctx;
    r->iter = iter;
    push_loss(r, f);
    if (r->on_iteration) r->on_iteration(r->ctx, r);
}

nd_status nd_ude_run_stages(nd_ude_run *r, const atomic_int *interrupt, nd_error *err)
{
    nd_optim_callbacks cb = {interrupt, on_progress, r, NULL, NULL};
    r->interrupt = interrupt;
    nd_ude_fit *fit = NULL;
    nd_ude_fit_options fo = r->fo;
    nd_status st = ND_OK;
    for (size_t i = 0; i < r->nstages && st == ND_OK; i++) {
        nd_ude_train_stage *s = &r->stages[i];
        size_t S = s->r.segments ? s->r.segments : r->fo.segments;
        double cw = s->collocation >= 0 ? s->collocation : r->fo.collocation;
        s->r.segments = S;
        if (!fit || S != fo.segments || cw != fo.collocation) {
            nd_ude_fit_free(fit);
            fo.segments = S;
            fo.collocation = cw;
            if (!(fit = nd_ude_fit_create_multi(r->u, r->ex, r->nex, &fo, err))) {
                r->failed = i;
                return err ? err->code : ND_ENOMEM;
            }
        }
        begin_stage(r, s);
        if ((st = nd_ude_fit_set_collocation(fit, s->r.colloc, err)) != ND_OK) {
            r->failed = i;
            r->failed_colloc = 1;
            break;
        }
        st = nd_ude_fit_run(fit, s->r.kind, &s->o, s->iters, &cb, err);
        nd_optim_info info = nd_ude_fit_info(fit);
        close_stage(r, s, st, &info);
    }
    nd_ude_fit_free(fit);
    return st;
}

/* A stage of the recipe begins (or, stage NULL, the last one ended): closes the previous
   record with its counters and opens the next. */
static void on_recipe_stage(void *ctx, int attempt, const char *stage, size_t segments,
                            const nd_optim_info *ended)
{
    nd_ude_run *r = ctx;
    if (r->nstages && !r->stages[r->nstages - 1].r.ran)
        close_stage(r, &r->stages[r->nstages - 1], ND_OK, ended);
    if (!stage || r->nstages == r->cap) return;   /* the records stop; training goes on */
    nd_ude_train_stage *s = &r->stages[r->nstages++];
    memset(s, 0, sizeof *s);
    s->r.kind = ND_OPTIM_LBFGS;
    s->r.colloc = strcmp(stage, "collocation") == 0;
    s->r.segments = segments;
    s->r.attempt = attempt;
    s->collocation = -1;
    s->iters = s->r.colloc ? 300 : segments == 1 ? 300 : 500;
    begin_stage(r, s);
}

nd_status nd_ude_run_recipe(nd_ude_run *r, int l2_given, const atomic_int *interrupt,
                            nd_ude_auto_result *res, nd_error *err)
{
    nd_ude_auto_options ao;
    nd_ude_auto_options_default(&ao);
    double l2 = ao.fit.l2;
    ao.fit = r->fo;
    if (!l2_given) ao.fit.l2 = l2;
    nd_optim_callbacks cb = {interrupt, on_progress, r, NULL, NULL};
    r->interrupt = interrupt;
    nd_status st = nd_ude_train_auto_multi(r->u, r->ex, r->nex, &ao, &cb, on_recipe_stage, r,
                                           res, err);
    if (r->nstages && !r->stages[r->nstages - 1].r.ran)
        close_stage(r, &r->stages[r->nstages - 1], st, NULL);
    return st;
}

double nd_ude_run_best(const nd_ude_run *r)
{
    double best = INFINITY;
    for (size_t i = r->stage_first; i < r->n; i++) best = fmin(best, r->loss[i]);
    return best;
}

nd_bundle *nd_ude_run_view(const nd_ude_run *r, const char *net_name, double elapsed,
                           const char *state, int verdict)
{
    static const nd_ude_stage_report starting = {.kind = ND_OPTIM_LBFGS};
    char f[32] = "…", name[64], secs[32] = "";
    if (r->n) snprintf(f, sizeof f, "%.3g", r->loss[r->n - 1]);
    if (elapsed >= 0) snprintf(secs, sizeof secs, " · %.1f s", elapsed);
    nd_sb line;
    nd_sb_init(&line);
    nd_sb_printf(&line, "training %s: stage %s · iteration %ld/%ld · loss %s%s%s", net_name,
                 nd_ude_stage_label(r->cur ? &r->cur->r : &starting, name, sizeof name),
                 r->iter, r->cur ? r->cur->iters : 0, f, secs, state);
    if (verdict >= 0)
        nd_sb_puts(&line, verdict ? " · good fit" : " · NOT a good fit (see the summary)");
    nd_bundle *b = NULL;
    nd_figure *fig = r->n > 1 ? nd_ude_loss_figure(r->loss, r->n, r->starts, r->logged,
                                                   r->nlogged, nd_sb_str(&line))
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
