/* Ensembles of networks in the commands (ensemble_cmd.h): reading the ensemble options of
   `train`, binding the members as one record, and the ensemble's paths of plot and eval.
   The science — training, bands, coverage, views — is lib/learn/ude_ensemble*.c. */
#include "ensemble_cmd.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../learn/ude_ensemble.h"
#include "../learn/ude_ensemble_check.h"
#include "../learn/ude_term.h"
#include "../language/args.h"
#include "../language/exec.h"
#include "../language/fields_value.h"
#include "../language/figure_value.h"
#include "../language/progress.h"
#include "../language/target.h"
#include "learn_cmd.h"
#include "learn_plot.h"

/* ---- train … ensemble=N ---- */

typedef struct ens_args {
    size_t members;
    int bootstrap;
    uint64_t seed;
    unsigned threads;
    nd_value *held_holder;
    nd_dataset *held;
    const char *held_name;
    nd_ude_experiment held_ex;
    nd_value *truth_holder;
    nd_dataset *truth;        /* truth=: every state, noise-free, for the term band */
    int figures;              /* show the band figures (a study loop may not want them) */
} ens_args;

static nd_status read_ens_args(const nd_cmd_ctx *ctx, const nd_train_call *tc, ens_args *ea,
                               nd_error *err)
{
    double n, seed, threads;
    nd_status st;
    if ((st = nd_arg_opt_whole(ctx, "ensemble", 0, 2, ND_ENS_MAX_MEMBERS, &n, err)) ||
        (st = nd_arg_opt_whole(ctx, "seed", (double)nd_mlp_seed(nd_ude_net_const(tc->u)), 0,
                    9007199254740992.0, &seed, err)) ||
        (st = nd_arg_opt_whole(ctx, "threads", 0, 0, 256, &threads, err)) ||
        (st = nd_arg_opt_bool(ctx, "bootstrap", 0, &ea->bootstrap, err)) ||
        (st = nd_arg_opt_bool(ctx, "figures", 1, &ea->figures, err)))
        return st;
    ea->members = (size_t)n;
    ea->seed = (uint64_t)seed;
    ea->threads = (unsigned)threads;
    if (ea->bootstrap && tc->ndata < 2)
        return nd_arg_error(nd_arg_opt(ctx, "bootstrap"), err, ND_EVALUE, "bootstrap resamples "
                            "the datasets: give at least two (train NET DATA1 DATA2 … "
                            "ensemble=%zu bootstrap=true)", ea->members);
    const nd_arg *tr = nd_arg_opt(ctx, "truth");
    if (tr && (st = nd_target_dataset(ctx, tr, &ea->truth_holder, &ea->truth, err)) != ND_OK)
        return st;
    const nd_arg *h = nd_arg_opt(ctx, "heldout");
    if (!h) return ND_OK;
    ea->held_name = h->value->kind == ND_EXPR_NAME ? h->value->str : "held-out data";
    if ((st = nd_target_dataset(ctx, h, &ea->held_holder, &ea->held, err)) == ND_OK &&
        (st = nd_ude_experiment_of(tc->u, ea->held, &ea->held_ex, err)) != ND_OK)
        nd_target_locate(err, h);
    return st;
}

static void on_member(void *ctx, size_t done, size_t total)
{
    nd_progress *pr = ctx;
    char text[128];
    snprintf(text, sizeof text, "training the ensemble: %zu of %zu members done", done, total);
    nd_progress_text(pr, text);
}

/* Shows p's figure with its caption and JSON member key (nd_learn_plot_show takes the
   figure and the member), bound to *result when result is not NULL. */
static nd_status show_plot(const nd_cmd_ctx *ctx, nd_ude_plot *p, const char *key,
                           nd_value **result, nd_error *err)
{
    nd_figure *fig = p->fig;
    json_t *json = p->json;
    p->fig = NULL;
    p->json = NULL;
    return nd_learn_plot_show(ctx, fig, p->caption, key, json, result, err);
}

/* The record: the members (taken out of e: networks are values of the language) and
   the ensemble's fields (nd_ude_ens_fields, taken over). */
static nd_value *ens_record(nd_ude_ens *e, nd_bundle *view, nd_fields *f)
{
    nd_value *r = nd_value_record(ND_UDE_ENS_TYPE, view);
    nd_value **items = calloc(e->n, sizeof *items);
    size_t k = 0;
    for (; r && items && k < e->n; k++) {
        items[k] = nd_value_ude(e->member[k]);
        e->member[k] = NULL;   /* the value owns it now (or freed it) */
        if (!items[k]) break;
    }
    int bad = !r || !items || k < e->n || nd_record_add(r, "members", nd_value_list(items, k)) ||
              nd_record_add_fields(r, f);
    if (bad && items && k < e->n)
        while (k-- > 0) nd_value_unref(items[k]);
    free(items);
    nd_fields_free(f);
    if (!bad) return r;
    nd_value_unref(r);
    return NULL;
}

/* The checks on the training data (its first dataset) and the held-out data, and with
   truth= the first replaced term against the true one, their figures shown after the
   summary. */
static nd_status check_and_show(nd_cmd_ctx *ctx, nd_train_call *tc, ens_args *ea,
                                nd_ude_ens *e, nd_value **result, nd_error *err)
{
    nd_ude_ens_checked k[2];
    memset(k, 0, sizeof k);
    const atomic_int *intr = ctx->exec->interrupt;
    const char *const *obs = tc->fo.nobserve ? tc->fo.observe : NULL;
    nd_status st = nd_ude_ens_check_figure(e->member, e->n, tc->net_name, &tc->ex[0],
                                           tc->data[0], tc->data_name[0], obs, intr, NULL, &k[0],
                                           err);
    if (st == ND_OK && ea->held)
        st = nd_ude_ens_check_figure(e->member, e->n, tc->net_name, &ea->held_ex, ea->held,
                                     ea->held_name, obs, intr, NULL, &k[1], err);
    nd_ude_plot tp = {0};
    nd_ens_band tb = {0};
    double *tv = NULL, term_cover = NAN;
    if (st == ND_OK && ea->truth &&
        (st = nd_ude_ens_truth_check(e->member, e->n, tc->u, tc->net_name, ea->truth, &tb, &tv,
                                     &term_cover, &tp, err)) != ND_OK)
        nd_target_locate(err, nd_arg_opt(ctx, "truth"));
    if (st == ND_OK) {
        nd_bundle *view = nd_ude_ens_view(e, tc->net_name, tc->data_name, tc->ndata, &k[0].c,
                                          ea->held ? &k[1].c : NULL);
        nd_fields *f = view ? nd_ude_ens_fields(e, &k[0].c, ea->held ? &k[1].c : NULL,
                                                ea->truth ? &tb : NULL, term_cover) : NULL;
        st = nd_cmd_give(ctx, view ? ens_record(e, view, f) : NULL, result, err);
    }
    for (int i = 0; st == ND_OK && ea->figures && i < 1 + (ea->held != NULL); i++)
        st = show_plot(ctx, &k[i].p, "band", NULL, err);
    if (st == ND_OK && ea->figures && ea->truth) st = show_plot(ctx, &tp, "term_band", NULL, err);
    nd_ude_plot_clear(&tp);
    nd_ens_band_free(&tb);
    free(tv);
    for (int i = 0; i < 2; i++) nd_ude_ens_checked_clear(&k[i]);
    return st;
}

nd_status nd_train_ensemble(nd_cmd_ctx *ctx, nd_train_call *tc, nd_value **result,
                            nd_error *err)
{
    ens_args ea = {0};
    nd_status st = read_ens_args(ctx, tc, &ea, err);
    nd_progress pr;
    nd_ude_ens e = {0};
    if (st == ND_OK) {
        nd_progress_init(&pr, ctx, "ensemble-progress");
        char text[128];
        snprintf(text, sizeof text, "training an ensemble of %zu: starting…", ea.members);
        nd_progress_text(&pr, text);
        nd_ude_ens_request rq = {
            .proto = tc->u, .ex = tc->ex, .nex = tc->ndata, .fo = tc->fo, .stages = tc->st,
            .nstages = tc->recipe ? 0 : tc->nst, .l2_given = tc->l2_given,
            .members = ea.members, .seed = ea.seed, .bootstrap = ea.bootstrap,
            .threads = ea.threads, .interrupt = ctx->exec->interrupt, .progress = on_member,
            .progress_ctx = &pr};
        st = nd_ude_ens_train(&rq, &e, err);
        nd_progress_text(&pr, st == ND_OK ? "ensemble trained" : "ensemble stopped");
        if (st != ND_OK) nd_learn_locate_run(ctx, err, nd_arg_pos(ctx, 0));
    }
    if (st == ND_OK) st = check_and_show(ctx, tc, &ea, &e, result, err);
    if (st != ND_OK && err && err->line == 0) nd_learn_locate_call(ctx, err);
    nd_ude_ens_clear(&e);
    nd_value_unref(ea.held_holder);
    nd_value_unref(ea.truth_holder);
    return st;
}

/* ---- the record where a network is accepted ---- */

size_t nd_ens_target(const nd_cmd_ctx *ctx, nd_ude **out, size_t cap, const char **term,
                     char *name, size_t namecap)
{
    const nd_arg *a = nd_arg_pos(ctx, 0);
    if (!a || a->value->kind != ND_EXPR_NAME) return 0;
    const char *s = a->value->str, *dot = strchr(s, '.');
    size_t len = dot ? (size_t)(dot - s) : strlen(s);
    if (len >= namecap) return 0;
    memcpy(name, s, len);
    name[len] = '\0';
    *term = dot ? dot + 1 : NULL;
    const nd_value *v = nd_ws_get(ctx->ws, name);
    if (!v || v->kind != ND_VAL_RECORD || strcmp(v->as.rec.type, ND_UDE_ENS_TYPE) != 0) return 0;
    const nd_value *m = nd_record_get(v, "members");
    size_t n = 0;
    for (size_t i = 0; m && m->kind == ND_VAL_LIST && i < m->as.list.n && n < cap; i++)
        if ((out[n] = nd_value_as_ude(m->as.list.items[i]))) n++;
    return n;
}

/* ENS.TERM [vs TRUE] DATA: the band along DATA (*holder keeps it) and the true values. */
static nd_status term_band(const nd_cmd_ctx *ctx, nd_ude *const *mem, size_t n,
                           const char *term, const char **true_name, nd_value **holder,
                           nd_dataset **ds, nd_ens_band *b, double **tv, nd_error *err)
{
    size_t pos = 1;
    const nd_arg *true_at;
    nd_status st = nd_learn_vs(ctx, &pos, &true_at, err);
    if (st != ND_OK) return st;
    *true_name = true_at ? true_at->value->str : NULL;
    const nd_arg *da = nd_arg_pos(ctx, pos);
    if (!da || nd_arg_pos(ctx, pos + 1))
        return nd_arg_error(da ? nd_arg_pos(ctx, pos + 1) : nd_arg_pos(ctx, 0), err, ND_ESYNTAX,
                            "an ensemble's term is followed along a dataset: ENS.TERM [vs "
                            "TERM] DATA");
    if ((st = nd_target_dataset(ctx, da, holder, ds, err)) != ND_OK) return st;
    size_t m = nd_ds_rows(*ds);
    *tv = *true_name ? malloc((m + 1) * sizeof **tv) : NULL;
    if (*true_name && !*tv) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    st = nd_ude_ens_term_band(mem, n, term, *true_name, *ds, b, *tv, err);
    if (st != ND_OK)
        nd_target_locate(err, st == ND_ENAME ? (true_at && strstr(err->msg, "compare") ? true_at
                                                                                      : nd_arg_pos(ctx, 0))
                                             : da);
    return st;
}

nd_status nd_plot_ens(const nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_ude *mem[ND_ENS_MAX_MEMBERS];
    char name[256];
    const char *term;
    size_t n = nd_ens_target(ctx, mem, ND_ENS_MAX_MEMBERS, &term, name, sizeof name);
    if (n < 2) return nd_arg_error(nd_arg_pos(ctx, 0), err, ND_EVALUE, "%s has fewer than two "
                                   "members", name);
    for (size_t i = 0; i < ctx->call->nargs; i++)
        if (ctx->call->args[i].key && !nd_learn_plot_option(ctx->call->args[i].key))
            return nd_arg_error(&ctx->call->args[i], err, ND_ENAME, "plot of an ensemble takes "
                                "title=, width=, height= (not %s=)", ctx->call->args[i].key);
    nd_value *holder = NULL;
    nd_dataset *ds = NULL;
    nd_ude_ens_checked k;
    memset(&k, 0, sizeof k);
    double *tv = NULL;
    char *title = NULL;
    nd_status st;
    const char *key = term ? "term_band" : "band";
    if (term) {
        const char *true_name;
        st = term_band(ctx, mem, n, term, &true_name, &holder, &ds, &k.b, &tv, err);
        if (st == ND_OK) st = nd_learn_plot_title(ctx, NULL, &title, err);
        if (st == ND_OK)
            st = nd_ude_ens_term_figure(mem[0], &k.b, n, ds, tv, name, term, true_name, title,
                                        &k.p, err);
    } else {
        const nd_arg *da = nd_arg_pos(ctx, 1);
        if (!da || nd_arg_pos(ctx, 2))
            return nd_arg_error(da ? nd_arg_pos(ctx, 2) : nd_arg_pos(ctx, 0), err, ND_ESYNTAX,
                                "usage: plot ENS DATA or plot ENS.TERM [vs TERM] DATA");
        nd_ude_experiment ex;
        st = nd_target_dataset(ctx, da, &holder, &ds, err);
        if (st == ND_OK && (st = nd_ude_experiment_of(mem[0], ds, &ex, err)) != ND_OK)
            nd_target_locate(err, da);
        if (st == ND_OK) st = nd_learn_plot_title(ctx, NULL, &title, err);
        if (st == ND_OK &&
            (st = nd_ude_ens_check_figure(mem, n, name, &ex, ds, da->value->kind == ND_EXPR_NAME
                                                                 ? da->value->str : "the data",
                                          NULL, ctx->exec->interrupt, title, &k, err)) != ND_OK)
            nd_learn_locate_run(ctx, err, da);
    }
    if (st == ND_OK) st = show_plot(ctx, &k.p, key, result, err);
    nd_ude_ens_checked_clear(&k);
    free(tv);
    free(title);
    nd_value_unref(holder);
    return st;
}

nd_status nd_eval_ens(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_ude *mem[ND_ENS_MAX_MEMBERS];
    char name[256];
    const char *term, *true_name = NULL;
    size_t n = nd_ens_target(ctx, mem, ND_ENS_MAX_MEMBERS, &term, name, sizeof name);
    if (n < 2 || !term)
        return nd_arg_error(nd_arg_pos(ctx, 0), err, ND_ETYPE, "eval needs an ensemble's term: "
                            "eval ENS.TERM [vs TERM] DATA");
    nd_value *holder = NULL;
    nd_dataset *ds = NULL, *out = NULL;
    nd_ens_band b = {0};
    double *tv = NULL;
    nd_status st = term_band(ctx, mem, n, term, &true_name, &holder, &ds, &b, &tv, err);
    if (st == ND_OK && (st = nd_ude_ens_term_dataset(mem[0], &b, ds, tv, name, term, true_name,
                                                     &out, err)) == ND_OK)
        st = nd_cmd_give(ctx, nd_value_dataset(out), result, err);
    nd_ens_band_free(&b);
    free(tv);
    nd_value_unref(holder);
    return st;
}
