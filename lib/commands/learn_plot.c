/* The plot command's path for networks: `plot NET DATA` (the hybrid's prediction against
   the data) here, `plot NET.TERM vs TERM …` in learn_plot_term.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../learn/ude.h"
#include "../learn/ude_plot.h"
#include "../plot/annotate.h"
#include "../plot/figure.h"
#include "../language/args.h"
#include "../language/figure_value.h"
#include "../language/exec.h"
#include "learn_cmd.h"
#include "learn_plot.h"
#include "ensemble_cmd.h"
#include "../language/target.h"
#include "../language/workspace.h"

nd_ude *nd_learn_net_of(const nd_cmd_ctx *ctx, const char **term, char *name, size_t cap)
{
    const nd_arg *a = nd_arg_pos(ctx, 0);
    if (!a || a->value->kind != ND_EXPR_NAME) return NULL;
    const char *s = a->value->str, *dot = strchr(s, '.');
    size_t len = dot ? (size_t)(dot - s) : strlen(s);
    if (len >= cap) return NULL;
    memcpy(name, s, len);
    name[len] = '\0';
    *term = dot ? dot + 1 : NULL;
    return nd_value_as_ude(nd_ws_get(ctx->ws, name));
}

int nd_plot_net_target(const nd_cmd_ctx *ctx)
{
    char name[256];
    const char *term;
    nd_ude *mem[1];
    return nd_learn_net_of(ctx, &term, name, sizeof name) != NULL ||
           nd_ens_target(ctx, mem, 1, &term, name, sizeof name) > 0;
}

nd_status nd_learn_vs(const nd_cmd_ctx *ctx, size_t *pos, const nd_arg **true_at,
                      nd_error *err)
{
    const nd_arg *a = nd_arg_pos(ctx, *pos);
    *true_at = NULL;
    if (!a || a->value->kind != ND_EXPR_NAME || strcmp(a->value->str, "vs") != 0) return ND_OK;
    const nd_arg *b = nd_arg_pos(ctx, *pos + 1);
    if (!b || b->value->kind != ND_EXPR_NAME)
        return nd_arg_error(a, err, ND_ESYNTAX, "'vs' needs the true term after it");
    *true_at = b;
    *pos += 2;
    return ND_OK;
}

nd_status nd_learn_net_source(const nd_cmd_ctx *ctx, const nd_arg *da, nd_value **holder,
                              nd_dataset **ds, double *T, nd_sim_options *o, nd_error *err)
{
    *holder = NULL;
    *ds = NULL;
    *T = 100;
    nd_sim_options_default(o);
    o->ode.interrupt = ctx->exec->interrupt;
    if (da) return nd_target_dataset(ctx, da, holder, ds, err);
    nd_status st = nd_arg_opt_number(ctx, "t", 100, T, err);
    if (st == ND_OK && !(*T > 0 && isfinite(*T)))
        st = nd_arg_error(nd_arg_opt(ctx, "t"), err, ND_EVALUE, "t must be positive");
    return st;
}

int nd_learn_plot_option(const char *key)
{
    return strcmp(key, "title") == 0 || strcmp(key, "width") == 0 || strcmp(key, "height") == 0;
}

nd_status nd_learn_plot_show(const nd_cmd_ctx *ctx, nd_figure *fig, const char *caption,
                             const char *key, json_t *value, nd_value **result, nd_error *err)
{
    nd_status st = key && nd_fig_set_json(fig, key, value) != 0
                       ? nd_error_fail(err, ND_ENOMEM, "out of memory while rendering output")
                       : nd_cmd_figure_size(ctx, fig, err);
    if (!key) json_decref(value);
    nd_bundle *b = NULL;
    if (st == ND_OK) st = nd_fig_render(fig, &b, err);
    if (st != ND_OK) {
        nd_fig_free(fig);
        nd_learn_locate_call(ctx, err);
        return st;
    }
    if (nd_fig_caption(b, caption) != 0) {
        nd_bundle_free(b);
        b = NULL;
    }
    st = b ? nd_cmd_give_figure(ctx, fig, b, result, err)
           : nd_error_fail(err, ND_ENOMEM, "out of memory while rendering output");
    nd_fig_free(fig);
    return st;
}

nd_status nd_learn_plot_title(const nd_cmd_ctx *ctx, const char *dflt, char **title,
                              nd_error *err)
{
    return nd_arg_opt_string(ctx, "title", dflt, title, err);
}

/* ---- plot NET DATA: prediction against the data ---- */

static nd_status plot_fit(const nd_cmd_ctx *ctx, nd_ude *u, const char *net_name,
                          nd_value **result, nd_error *err)
{
    for (size_t i = 0; i < ctx->call->nargs; i++)
        if (ctx->call->args[i].key && !nd_learn_plot_option(ctx->call->args[i].key))
            return nd_arg_error(&ctx->call->args[i], err, ND_ENAME, "plot NET DATA takes "
                                "title=, width=, height= (not %s=)", ctx->call->args[i].key);
    const nd_arg *da = nd_arg_pos(ctx, 1);
    if (!da)
        return nd_arg_error(nd_arg_pos(ctx, 0), err, ND_ESYNTAX, "plot %s needs a dataset to "
                            "compare with (plot %s data), or a term (plot %s.TERM vs TERM "
                            "V=a..b)", net_name, net_name, net_name);
    nd_value *holder;
    nd_dataset *ds;
    nd_status st = nd_target_dataset(ctx, da, &holder, &ds, err);
    if (st != ND_OK) return st;
    const nd_model *mod = nd_ude_model(u);
    int state[ND_UDE_PLOT_MAX_VARS];
    size_t nv = 0;
    for (size_t i = 2; st == ND_OK && i < nd_arg_count(ctx); i++) {
        const nd_arg *a = nd_arg_pos(ctx, i);
        int s = a->value->kind == ND_EXPR_NAME
                    ? nd_model_index(mod, ND_MODEL_STATE, a->value->str) : -1;
        if (s < 0)
            st = nd_arg_error(a, err, ND_ENAME, "%s has no state variable here (plot NET DATA "
                              "[STATE …])", nd_model_name(mod));
        else if (nv == ND_UDE_PLOT_MAX_VARS)
            st = nd_arg_error(a, err, ND_EVALUE, "at most %d variables", ND_UDE_PLOT_MAX_VARS);
        else
            state[nv++] = s;
    }
    char dflt[300], *title = NULL;
    snprintf(dflt, sizeof dflt, "%s against %s", net_name, da->value->kind == ND_EXPR_NAME ?
             da->value->str : "the data");
    if (st == ND_OK) st = nd_learn_plot_title(ctx, dflt, &title, err);
    nd_ude_plot p = {0};
    /* the data's faults on the data, the prediction's on the command */
    if (st == ND_OK &&
        (st = nd_ude_plot_fit(u, net_name, ds, state, nv, title, ctx->exec->interrupt, &p,
                              err)) != ND_OK)
    {
        if (st == ND_EVALUE) nd_target_locate(err, da);
        else nd_learn_locate_call(ctx, err);
    }
    if (st == ND_OK) {
        st = nd_learn_plot_show(ctx, p.fig, p.caption, "fit", p.json, result, err);
        p.fig = NULL;
        p.json = NULL;
    }
    nd_ude_plot_clear(&p);
    free(title);
    nd_value_unref(holder);
    return st;
}

nd_status nd_plot_net(const nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    char name[256];
    const char *term;
    nd_ude *u = nd_learn_net_of(ctx, &term, name, sizeof name);
    if (!u) return nd_plot_ens(ctx, result, err);
    return term ? nd_learn_plot_term(ctx, u, name, term, result, err)
                : plot_fit(ctx, u, name, result, err);
}

nd_status nd_learn_show_found(const nd_cmd_ctx *ctx, nd_bundle *eqs, nd_bundle *table,
                              const char *dflt_title, nd_learn_figure_fn make,
                              const void *job, nd_error *err)
{
    nd_status st = nd_cmd_display(ctx, eqs, err);
    if (st == ND_OK) st = nd_cmd_display(ctx, table, err);
    else nd_bundle_free(table);
    if (st != ND_OK || !make) return st;
    char *title = NULL, *caption = NULL;
    st = nd_learn_plot_title(ctx, dflt_title, &title, err);
    nd_figure *fig = st == ND_OK ? make(job, title, &caption) : NULL;
    if (st == ND_OK)
        st = fig ? nd_learn_plot_show(ctx, fig, caption, NULL, NULL, NULL, err)
                 : nd_error_fail(err, ND_ENOMEM, "out of memory");
    free(title);
    free(caption);
    return st;
}
