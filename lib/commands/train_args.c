/* Reading the train command: NET DATA, the options of the whole training, then the
   stages (an optimizer word and its options) separated by `then`. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../language/args.h"
#include "../language/target.h"
#include "../learn/ude_params.h"
#include "train.h"

static int is_word(const nd_arg *a, const char *w)
{
    return !a->key && a->value->kind == ND_EXPR_NAME && strcmp(a->value->str, w) == 0;
}

static int parse_kind(const nd_arg *a, nd_optim_kind *k)
{
    static const struct { const char *name; nd_optim_kind kind; } kinds[] = {
        {"adam", ND_OPTIM_ADAM}, {"adamw", ND_OPTIM_ADAMW}, {"lbfgs", ND_OPTIM_LBFGS}};
    for (size_t i = 0; i < 3; i++)
        if (is_word(a, kinds[i].name)) {
            *k = kinds[i].kind;
            return 1;
        }
    return 0;
}

/* Options that may be given to the whole training or to one stage. */
static int is_either_option(const char *key)
{
    return strcmp(key, "segments") == 0 || strcmp(key, "collocation") == 0;
}

/* segments= (a whole number ≥ 1) or collocation= (a weight ≥ 0) into *segments / *w. */
static nd_status either_option(const nd_cmd_ctx *ctx, const nd_arg *a, size_t *segments,
                               double *w, nd_error *err)
{
    double x;
    nd_status st = nd_arg_number(ctx, a, &x, err);
    if (st != ND_OK) return st;
    if (strcmp(a->key, "segments") == 0) {
        if (!(x >= 1 && x <= 1e6) || x != floor(x))
            return nd_arg_error(a, err, ND_EVALUE, "segments must be a whole number >= 1");
        *segments = (size_t)x;
    } else {
        if (!(x >= 0) || !isfinite(x))
            return nd_arg_error(a, err, ND_EVALUE, "collocation must be a finite weight >= 0");
        *w = x;
    }
    return ND_OK;
}

static int is_stage_option(const char *key)
{
    static const char *const keys[] = {"iters", "lr", "wd", "memory", "gtol", "colloc"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(key, keys[i]) == 0) return 1;
    return 0;
}

/* One option (iters=, lr=, wd=, memory=, gtol=, colloc=) of tc's last stage. */
static nd_status stage_option(const nd_cmd_ctx *ctx, const nd_arg *a, nd_train_call *tc,
                              nd_error *err)
{
    nd_ude_train_stage *s = &tc->st[tc->nst - 1];
    if (strcmp(a->key, "colloc") == 0) {
        tc->colloc_at[tc->nst - 1] = a;
        return nd_arg_bool(ctx, a, &s->r.colloc, err);
    }
    double x;
    nd_status st = nd_arg_number(ctx, a, &x, err);
    if (st != ND_OK) return st;
    const char *k = a->key;
    if (strcmp(k, "iters") == 0) {
        if (!(x >= 1 && x <= 1e9) || x != floor(x))
            return nd_arg_error(a, err, ND_EVALUE, "iters must be a whole number from 1 to 1e9");
        s->iters = (long)x;
        return ND_OK;
    }
    if (strcmp(k, "memory") == 0) {
        if (s->r.kind != ND_OPTIM_LBFGS)
            return nd_arg_error(a, err, ND_EVALUE, "memory= is an option of lbfgs");
        if (!(x >= 1 && x <= 1000) || x != floor(x))
            return nd_arg_error(a, err, ND_EVALUE, "memory must be a whole number from 1 to 1000");
        s->o.memory = (int)x;
        return ND_OK;
    }
    if ((strcmp(k, "lr") == 0 || strcmp(k, "wd") == 0) && s->r.kind == ND_OPTIM_LBFGS)
        return nd_arg_error(a, err, ND_EVALUE, "%s= is an option of adam and adamw (lbfgs "
                            "chooses its steps by a line search)", k);
    double *dst = strcmp(k, "lr") == 0 ? &s->o.lr : strcmp(k, "wd") == 0 ? &s->o.weight_decay
                                                                          : &s->o.gtol;
    *dst = x;
    nd_error probe;
    if (nd_optim_check(s->r.kind, &s->o, &probe) != ND_OK)
        return nd_arg_error(a, err, ND_EVALUE, "%s", probe.msg);
    return ND_OK;
}

/* Appends a stage of kind, named by the word at, with its defaults. */
static void add_stage(nd_train_call *tc, nd_optim_kind kind, const nd_arg *at)
{
    nd_ude_train_stage *s = &tc->st[tc->nst];
    memset(s, 0, sizeof *s);
    tc->st_at[tc->nst++] = at;
    s->r.kind = kind;
    s->collocation = -1;
    nd_optim_options_default(&s->o);
    if (kind != ND_OPTIM_LBFGS) s->o.lr = 1e-2;
    s->iters = kind == ND_OPTIM_LBFGS ? 200 : 1000;
}

/* Walks the arguments after NET DATA: global options first, then STAGE [options]
   [then STAGE [options]]…; no stage means the default recipe. segments= and collocation=
   go either before the stages (all of them) or on one stage. */
static nd_status read_stages(const nd_cmd_ctx *ctx, nd_train_call *tc, size_t *segments,
                             double *collocation, nd_error *err)
{
    size_t npos = 0;
    int after_then = 0;
    const nd_arg *then_arg = NULL;
    tc->nst = 0;
    for (size_t i = 0; i < ctx->call->nargs; i++) {
        const nd_arg *a = &ctx->call->args[i];
        if (a->key && is_either_option(a->key)) {
            nd_ude_train_stage *s = tc->nst ? &tc->st[tc->nst - 1] : NULL;
            nd_status st = either_option(ctx, a, s ? &s->r.segments : segments,
                                         s ? &s->collocation : collocation, err);
            if (st != ND_OK) return st;
            continue;
        }
        if (a->key) {
            int staged = is_stage_option(a->key);
            if (staged && tc->nst == 0)
                return nd_arg_error(a, err, ND_ESYNTAX, "%s= belongs to a stage: put it after "
                                    "adam, adamw or lbfgs (train net data adam %s=…)", a->key,
                                    a->key);
            if (!staged && tc->nst > 0)
                return nd_arg_error(a, err, ND_ESYNTAX, "%s= applies to the whole training: "
                                    "put it before the first stage", a->key);
            if (staged) {
                nd_status st = stage_option(ctx, a, tc, err);
                if (st != ND_OK) return st;
            }
            continue;
        }
        if (npos++ == 0) continue;    /* NET */
        nd_optim_kind kind;
        int stage_word = is_word(a, "then") || parse_kind(a, &kind);
        if (!stage_word && tc->nst == 0) {   /* the datasets, before any stage */
            if (tc->ndata == ND_TRAIN_MAX_DATA)
                return nd_arg_error(a, err, ND_EVALUE, "at most %d datasets",
                                    ND_TRAIN_MAX_DATA);
            tc->data_name[tc->ndata] = a->value->kind == ND_EXPR_NAME ? a->value->str
                                                                      : "the data";
            tc->data_arg[tc->ndata++] = a;
            continue;
        }
        if (is_word(a, "then")) {
            if (tc->nst == 0 || after_then)
                return nd_arg_error(a, err, ND_ESYNTAX, "'then' goes between two stages "
                                    "(adam iters=1000 then lbfgs iters=200)");
            after_then = 1;
            then_arg = a;
            continue;
        }
        if (!parse_kind(a, &kind))
            return nd_arg_error(a, err, ND_ESYNTAX, "expected a training stage (adam, adamw "
                                "or lbfgs)%s", tc->nst ? " after 'then'" : "");
        if (tc->nst > 0 && !after_then)
            return nd_arg_error(a, err, ND_ESYNTAX, "put 'then' between two stages");
        if (tc->nst == ND_TRAIN_MAX_STAGES)
            return nd_arg_error(a, err, ND_EVALUE, "at most %d stages", ND_TRAIN_MAX_STAGES);
        add_stage(tc, kind, a);
        after_then = 0;
    }
    if (after_then)
        return nd_arg_error(then_arg, err, ND_ESYNTAX, "'then' needs a stage after it "
                            "(adam, adamw or lbfgs)");
    tc->recipe = tc->nst == 0;
    return ND_OK;
}

/* params=[gK, gL]: physical parameters trained with the network, with their values now
   (what the summary shows as the start). The fit checks the names. */
static nd_status read_params(const nd_cmd_ctx *ctx, nd_train_call *tc, nd_error *err)
{
    const nd_arg *a = nd_arg_opt(ctx, "params");
    if (!a) return ND_OK;
    const nd_expr *v = a->value;
    size_t k = v->kind == ND_EXPR_LIST ? v->nitems : 1;
    if (k == 0 || k > ND_TRAIN_MAX_OBSERVE) return nd_arg_error(a, err, ND_EVALUE, "too many names");
    const nd_model *m = nd_ude_truth(tc->u);
    for (size_t i = 0; i < k; i++) {
        const nd_expr *item = v->kind == ND_EXPR_LIST ? v->items[i] : v;
        if (item->kind != ND_EXPR_NAME)
            return nd_error_set(err, ND_ESYNTAX, item->line, item->col, item->span,
                                "params expects parameter names (params=[gK, gL])");
        nd_status st = nd_ude_param_check(tc->u, item->str, err);
        if (st != ND_OK) {
            nd_target_locate(err, &(nd_arg){NULL, item->line, item->col, item->span, NULL});
            return st;
        }
        int p = nd_model_index(m, ND_MODEL_PAR, item->str);
        tc->params[i] = item->str;
        tc->param_initial[i] = p >= 0 ? nd_model_pars(m)[p] : NAN;
    }
    tc->fo.params = tc->params;
    tc->fo.nparams = k;
    return ND_OK;
}

static nd_status read_fit_options(const nd_cmd_ctx *ctx, nd_train_call *tc, nd_error *err)
{
    nd_ude_fit_options *o = &tc->fo;
    nd_ude_fit_options_default(o);
    const nd_arg *a = nd_arg_opt(ctx, "observe");
    if (a) {
        const nd_expr *v = a->value;
        size_t k = v->kind == ND_EXPR_LIST ? v->nitems : 1;
        if (k > ND_TRAIN_MAX_OBSERVE) return nd_arg_error(a, err, ND_EVALUE, "too many names");
        for (size_t i = 0; i < k; i++) {
            const nd_expr *item = v->kind == ND_EXPR_LIST ? v->items[i] : v;
            if (item->kind != ND_EXPR_NAME)
                return nd_error_set(err, ND_ESYNTAX, item->line, item->col, item->span,
                                    "observe expects state names (observe=V)");
            tc->observe[i] = item->str;
        }
        o->observe = tc->observe;
        o->nobserve = k;
    }
    nd_status st = read_params(ctx, tc, err);
    if (st != ND_OK) return st;
    tc->l2_given = nd_arg_opt(ctx, "l2") != NULL;
    static const struct { const char *key; size_t off; } nums[] = {
        {"continuity", offsetof(nd_ude_fit_options, continuity)},
        {"l2", offsetof(nd_ude_fit_options, l2)},
        {"dt", offsetof(nd_ude_fit_options, dt)},
    };
    for (size_t i = 0; i < 3; i++) {
        double *x = (double *)((char *)o + nums[i].off);
        if ((st = nd_arg_opt_number(ctx, nums[i].key, *x, x, err)) != ND_OK) return st;
        if (!(*x >= 0) || !isfinite(*x))
            return nd_arg_error(nd_arg_opt(ctx, nums[i].key), err, ND_EVALUE,
                                "%s must be a finite number >= 0", nums[i].key);
    }
    const nd_arg *m = nd_arg_opt(ctx, "method");
    if (m) {
        size_t k = 0;
        while (m->value->kind == ND_EXPR_NAME && nd_ude_method_name(k) &&
               strcmp(m->value->str, nd_ude_method_name(k)) != 0)
            k++;
        if (m->value->kind != ND_EXPR_NAME || !nd_ude_method_name(k))
            return nd_arg_error(m, err, ND_EVALUE, "method must be rk4, midpoint or euler "
                                "(training uses a fixed-step scheme)");
        o->method = m->value->str;
    }
    return ND_OK;
}

/* validate=DATA or validate=[DATA, …]: the held-out datasets, each an expression. */
static nd_status read_validate(const nd_cmd_ctx *ctx, nd_train_call *tc, nd_error *err)
{
    const nd_arg *a = nd_arg_opt(ctx, "validate");
    if (!a) return ND_OK;
    const nd_expr *v = a->value;
    size_t k = v->kind == ND_EXPR_LIST ? v->nitems : 1;
    if (k == 0 || k > ND_UDE_MAX_VALIDATE)
        return nd_arg_error(a, err, ND_EVALUE, "validate= takes 1 to %d held-out datasets",
                            ND_UDE_MAX_VALIDATE);
    nd_status st = ND_OK;
    for (size_t i = 0; st == ND_OK && i < k; i++) {
        const nd_expr *item = v->kind == ND_EXPR_LIST ? v->items[i] : v;
        nd_arg *ia = &tc->val_arg[i];
        *ia = (nd_arg){NULL, item->line, item->col, item->span, (nd_expr *)item};
        tc->val_name[i] = item->kind == ND_EXPR_NAME ? item->str : "held-out data";
        nd_dataset *ds;
        st = nd_target_dataset(ctx, ia, &tc->val_holder[i], &ds, err);
        tc->nval = i + 1;
        if (st == ND_OK)
            st = nd_ude_experiment_from(tc->u, ds, &tc->val_ex[i], &tc->val_stim[i], err);
        if (st != ND_OK) nd_target_locate(err, ia);
    }
    return st;
}

nd_status nd_train_read_call(const nd_cmd_ctx *ctx, nd_train_call *tc, nd_error *err)
{
    memset(tc, 0, sizeof *tc);
    const nd_arg *na = nd_arg_pos(ctx, 0);
    nd_optim_kind kind;
    const nd_arg *da = nd_arg_pos(ctx, 1);
    if (!na || !da || is_word(da, "then") || parse_kind(da, &kind))
        return nd_error_set(err, ND_ESYNTAX, ctx->call->line, ctx->call->col, 5,
                            "train needs a network and a dataset (usage: %s)", ctx->cmd->usage);
    if (!(tc->u = nd_target_ude(ctx, na))) {
        nd_value *v = NULL;
        char kind[64];
        nd_status st = nd_arg_value(ctx, na, &v, err);
        if (st == ND_OK)
            st = nd_arg_error(na, err, ND_ETYPE, "train expects a network (made by `ude` or "
                              "`node`), not %s", nd_value_a_type(v, kind, sizeof kind));
        nd_value_unref(v);
        return st;
    }
    tc->net_name = na->value->str;
    size_t segments = 1;
    double collocation = 0;
    nd_status st = read_stages(ctx, tc, &segments, &collocation, err);
    if (st == ND_OK) st = read_fit_options(ctx, tc, err);
    tc->fo.segments = segments;
    tc->fo.collocation = collocation;
    for (size_t k = 0; st == ND_OK && k < tc->ndata; k++) {
        const nd_arg *a = tc->data_arg[k];
        st = nd_target_dataset(ctx, a, &tc->data_holder[k], &tc->data[k], err);
        /* An unknown word after the first dataset is more likely a misspelt stage. */
        if (st == ND_ENAME && k > 0)
            st = nd_arg_error(a, err, ND_ESYNTAX, "expected a dataset or a training stage "
                              "(adam, adamw or lbfgs)");
        if (st == ND_OK && (st = nd_ude_experiment_from(tc->u, tc->data[k], &tc->ex[k],
                                                        &tc->stim_held[k], err)))
            nd_target_locate(err, a);
    }
    if (st == ND_OK) st = read_validate(ctx, tc, err);
    return st;
}

void nd_train_call_clear(nd_train_call *tc)
{
    for (size_t k = 0; k < tc->ndata; k++) {
        nd_value_unref(tc->data_holder[k]);
        nd_stim_free(tc->stim_held[k]);
    }
    for (size_t k = 0; k < tc->nval; k++) {
        nd_value_unref(tc->val_holder[k]);
        nd_stim_free(tc->val_stim[k]);
    }
    memset(tc->data_holder, 0, sizeof tc->data_holder);
    memset(tc->stim_held, 0, sizeof tc->stim_held);
    memset(tc->val_holder, 0, sizeof tc->val_holder);
    memset(tc->val_stim, 0, sizeof tc->val_stim);
    tc->nval = 0;
}
