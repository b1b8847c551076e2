/* Networks in models: ude (a term becomes a network), node (a neural ODE) and train. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "../learn/ude.h"
#include "../language/args.h"
#include "../language/exec.h"
#include "learn_cmd.h"
#include "modules.h"
#include "../language/target.h"
#include "../learn/ude_view.h"

enum { MAX_NAMES = 64, MAX_LAYERS = 16, MAX_WIDTH = 4096 };

/* ---- ude, node ---- */

/* The names an option lists (replace=INa, inputs=V,n), pointing into the call. */
static nd_status option_names(const nd_arg *a, const char **names, const nd_expr **items,
                              size_t *n, nd_error *err)
{
    const nd_expr *v = a->value;
    size_t k = v->kind == ND_EXPR_LIST ? v->nitems : 1;
    if (k > MAX_NAMES)
        return nd_arg_error(a, err, ND_EVALUE, "%s lists more than %d names", a->key, MAX_NAMES);
    for (size_t i = 0; i < k; i++) {
        const nd_expr *item = v->kind == ND_EXPR_LIST ? v->items[i] : v;
        if (item->kind != ND_EXPR_NAME)
            return nd_error_set(err, ND_ESYNTAX, item->line, item->col, item->span,
                                "%s expects names (%s=a,b)", a->key, a->key);
        names[i] = item->str;
        items[i] = item;
    }
    *n = k;
    return ND_OK;
}

/* hidden=16,16: the layer widths. */
static nd_status read_hidden(const nd_cmd_ctx *ctx, size_t *hidden, size_t *n, nd_error *err)
{
    const nd_arg *a = nd_arg_opt(ctx, "hidden");
    if (!a) {
        hidden[0] = hidden[1] = 16;
        *n = 2;
        return ND_OK;
    }
    nd_value *v;
    nd_status st = nd_arg_value(ctx, a, &v, err);
    if (st != ND_OK) return st;
    size_t k = v->kind == ND_VAL_LIST ? v->as.list.n : 1;
    for (size_t i = 0; st == ND_OK && i < k; i++) {
        const nd_value *w = v->kind == ND_VAL_LIST ? v->as.list.items[i] : v;
        double x = w->kind == ND_VAL_NUMBER ? w->as.num : NAN;
        if (k > MAX_LAYERS || !(x >= 1 && x <= MAX_WIDTH) || x != floor(x))
            st = nd_arg_error(a, err, ND_EVALUE,
                              "hidden must list 1 to %d layer widths, whole numbers from 1 to "
                              "%d (hidden=16,16)", MAX_LAYERS, MAX_WIDTH);
        else
            hidden[i] = (size_t)x;
    }
    *n = k;
    nd_value_unref(v);
    return st;
}

/* An error about a name that the library could not place goes to the item it quotes
   (the repetition, for a name given twice). */
static void locate_name(nd_error *err, const nd_expr *const *items, size_t n)
{
    const char *q = strchr(err->msg, '\'');
    const char *e = q ? strchr(q + 1, '\'') : NULL;
    if (!e) return;
    int last = strstr(err->msg, "twice") != NULL;
    for (size_t k = 0; k < n; k++) {
        size_t i = last ? n - 1 - k : k;
        if (strlen(items[i]->str) == (size_t)(e - q - 1) &&
            strncmp(items[i]->str, q + 1, (size_t)(e - q - 1)) == 0) {
            err->line = items[i]->line;
            err->col = items[i]->col;
            err->span = items[i]->span;
            return;
        }
    }
}

static nd_status make_net(nd_cmd_ctx *ctx, int node, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 0, 1, err);
    if (st != ND_OK) return st;
    nd_model_obj *mo;
    if ((st = nd_target_model(ctx, nd_arg_pos(ctx, 0), &mo, err)) != ND_OK) return st;
    const char *rep[MAX_NAMES], *in[MAX_NAMES];
    const nd_expr *items[2 * MAX_NAMES];
    size_t nrep = 0, nin = 0;
    const nd_arg *ra = nd_arg_opt(ctx, "replace"), *ia = nd_arg_opt(ctx, "inputs");
    if (!node && !ra)
        return nd_error_set(err, ND_ESYNTAX, ctx->call->line, ctx->call->col, 3,
                            "ude needs replace=TERM: the term(s) the network learns (e.g. "
                            "replace=INa)");
    if (ra && (st = option_names(ra, rep, items, &nrep, err)) != ND_OK) return st;
    if (ia && (st = option_names(ia, in, items + nrep, &nin, err)) != ND_OK) return st;
    nd_ude_spec spec = {rep, nrep, ia ? in : NULL, nin, NULL, 0, ND_ACT_TANH, 1};
    size_t hidden[MAX_LAYERS];
    if ((st = read_hidden(ctx, hidden, &spec.nhidden, err)) != ND_OK) return st;
    spec.hidden = hidden;
    char *act = NULL;
    if ((st = nd_arg_opt_word(ctx, "act", "tanh", &act, err)) != ND_OK) return st;
    spec.act = nd_act_parse(act);
    if (spec.act == ND_ACT_COUNT || spec.act == ND_ACT_IDENTITY)
        st = nd_arg_error(nd_arg_opt(ctx, "act"), err, ND_EVALUE,
                          "unknown activation '%s' (%s)", act, nd_act_names());
    free(act);
    if (st != ND_OK) return st;
    double seed;
    if ((st = nd_arg_opt_number(ctx, "seed", 1, &seed, err)) != ND_OK) return st;
    if (!(seed >= 0 && seed <= 9007199254740992.0) || seed != floor(seed))
        return nd_arg_error(nd_arg_opt(ctx, "seed"), err, ND_EVALUE,
                            "seed must be a whole number >= 0");
    spec.seed = (uint64_t)seed;

    nd_ude *u = node ? nd_ude_create_node(mo->model, &spec, err)
                     : nd_ude_create(mo->model, &spec, err);
    if (!u) {
        /* A message about an input names an input; otherwise look at replace first. */
        int about_input = err && strstr(err->msg, "input") != NULL;
        if (err && err->line == 0 && !about_input) locate_name(err, items, nrep);
        if (err && err->line == 0) locate_name(err, items + nrep, nin);
        nd_target_locate(err, ra ? ra : ia ? ia : nd_arg_pos(ctx, 0));
        if (err && err->line == 0) nd_learn_locate_call(ctx, err);
        return err ? err->code : ND_ENOMEM;
    }
    int par;
    nd_stim *stim = nd_model_obj_stim(mo, &par);
    if (stim && nd_stim_count(stim) > 0) st = nd_ude_set_stim(u, stim, par, err);
    nd_stim_free(stim);
    if (st == ND_OK) st = nd_cmd_display(ctx, nd_ude_view_bundle(u), err);
    if (st != ND_OK) {
        nd_ude_free(u);
        return st;
    }
    *result = nd_value_ude(u);
    return *result ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
}

static nd_status run_ude(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    return make_net(ctx, 0, result, err);
}

static nd_status run_node(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    return make_net(ctx, 1, result, err);
}

static const nd_option ude_options[] = {
    {"replace", NULL, "the term(s) the network replaces (replace=INa or replace=INa,IK); a "
                      "state variable stands for its whole right-hand side"},
    {"inputs", "every state", "the network's inputs: states, parameters (a stimulated one "
                              "carries the stimulus) and t (inputs=V,n)"},
    {"hidden", "16,16", "widths of the hidden layers"},
    {"act", "tanh", "hidden activation: tanh, relu, softplus, sigmoid, gaussian (rbf), swish"},
    {"seed", "1", "seed of the initial weights (the same numbers on every machine)"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_ude = {
    "ude", "replace a term of a model by a neural network (universal differential equation)",
    "NAME = ude [MODEL] replace=TERM[,TERM…] [inputs=… hidden=16,16 act=tanh seed=1]",
    "Makes a hybrid of MODEL (default: the current model, with its current parameters, "
    "initial values and stimulus) in which each replaced term is the output of a dense "
    "network of the inputs; the rest of the model stays the physics as written. Inputs and "
    "outputs are standardised from the data when the network is first trained, so their "
    "units do not matter. Train it with `train NAME DATA …`, compare it with the data with "
    "`plot NAME DATA`, and the learned term with the true one with `plot NAME.TERM vs TERM "
    "V=a..b`.",
    ude_options, "use hh_rinzel\nnet = ude replace=INa inputs=V,n hidden=16,16 act=tanh seed=1",
    0, run_ude
};

static const nd_option node_options[] = {
    {"inputs", "every state", "the network's inputs: states, parameters and t"},
    {"hidden", "16,16", "widths of the hidden layers"},
    {"act", "tanh", "hidden activation: tanh, relu, softplus, sigmoid, gaussian (rbf), swish"},
    {"seed", "1", "seed of the initial weights"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_node = {
    "node", "a neural ODE: the whole right-hand side of a model learned by a network",
    "NAME = node [MODEL] [inputs=… hidden=16,16 act=tanh seed=1]",
    "Makes a neural ODE with the states of MODEL (default: the current model): every "
    "derivative is an output of one dense network of the inputs, with no physics kept. "
    "The model supplies the state names, initial values and stimulus. Useful as a "
    "comparison for a `ude` of the same data; trained, plotted, saved like one.",
    node_options, "use fhn\nnn = node hidden=32,32 act=tanh", 0, run_node
};

nd_status nd_cmd_register_learn(nd_cmd_registry *reg, nd_error *err)
{
    static const nd_command *const all[] = {&cmd_ude, &cmd_node, &nd_cmd_train, &nd_cmd_eval,
                                              &nd_cmd_laplace};
    return nd_cmd_register_list(reg, all, sizeof all / sizeof all[0], err);
}
