/* plot: variables of datasets against time (stacked panels, overlays across datasets)
   or against each other (trajectories). */
#include <stdlib.h>
#include <string.h>

#include "../plot/ds_figure.h"
#include "../language/args.h"
#include "bif_plot.h"
#include "rec_plot.h"
#include "../language/figure_value.h"
#include "learn_cmd.h"
#include "modules.h"
#include "../language/target.h"
#include "../language/workspace.h"

enum { MAX_SOURCES = 8, MAX_VARS = 8 };

/* One dataset named in the call and the variables asked of it. */
typedef struct source {
    const char *name;          /* its workspace name */
    const nd_dataset *ds;
    const nd_arg *vars[MAX_VARS];
    size_t nvars;
} source;

typedef struct plot_request {
    source src[MAX_SOURCES];
    size_t nsrc;
    const nd_arg *vs;          /* the x variable of a trajectory, or NULL for time */
} plot_request;

static const nd_dataset *bound_dataset(const nd_cmd_ctx *ctx, const nd_arg *a, const char **name)
{
    if (a->value->kind != ND_EXPR_NAME) return NULL;
    *name = a->value->str;
    return nd_value_as_dataset(nd_ws_get(ctx->ws, *name));
}

/* Splits the positional items into datasets, each followed by its variables. */
static nd_status read_request(const nd_cmd_ctx *ctx, plot_request *rq, nd_error *err)
{
    memset(rq, 0, sizeof *rq);
    size_t n = nd_arg_count(ctx);
    if (n == 0)
        return nd_error_set(err, ND_ESYNTAX, ctx->call->line, ctx->call->col, 4,
                            "plot expects a dataset and variables: plot sim V");
    for (size_t i = 0; i < n; i++) {
        const nd_arg *a = nd_arg_pos(ctx, i);
        const char *name = NULL;
        const nd_dataset *ds = bound_dataset(ctx, a, &name);
        if (ds) {
            if (rq->nsrc == MAX_SOURCES)
                return nd_arg_error(a, err, ND_EVALUE, "at most %d datasets in one plot",
                                    MAX_SOURCES);
            rq->src[rq->nsrc++] = (source){name, ds, {0}, 0};
            continue;
        }
        if (a->value->kind != ND_EXPR_NAME)
            return nd_arg_error(a, err, ND_ESYNTAX, "expected a dataset or a variable name");
        if (rq->nsrc == 0)
            return nd_arg_error(a, err, ND_ENAME, "'%s' is not a dataset in the workspace; "
                                "plot expects a dataset first (plot sim V)", a->value->str);
        if (strcmp(a->value->str, "vs") == 0) {
            const nd_arg *x = nd_arg_pos(ctx, ++i);
            if (!x || x->value->kind != ND_EXPR_NAME)
                return nd_arg_error(a, err, ND_ESYNTAX, "'vs' needs a variable after it");
            rq->vs = x;
            continue;
        }
        source *s = &rq->src[rq->nsrc - 1];
        if (s->nvars == MAX_VARS)
            return nd_arg_error(a, err, ND_EVALUE, "at most %d variables per dataset",
                                MAX_VARS);
        s->vars[s->nvars++] = a;
    }
    /* plot tab n err: a first variable that is the dataset's x column (a table's first
       column) is the axis the others are drawn against, as with vs. */
    source *s0 = &rq->src[0];
    if (!rq->vs && s0->nvars >= 1 && nd_ds_find(s0->ds, s0->vars[0]->value->str) == 0) {
        if (s0->nvars == 1)
            return nd_arg_error(s0->vars[0], err, ND_EVALUE, "'%s' is the x axis of %s; name "
                                "what to plot against it (plot %s %s y)", s0->vars[0]->value->str,
                                s0->name, s0->name, s0->vars[0]->value->str);
        rq->vs = s0->vars[0];
        memmove(s0->vars, s0->vars + 1, (s0->nvars - 1) * sizeof s0->vars[0]);
        s0->nvars--;
    }
    for (size_t k = 0; k < rq->nsrc; k++) {
        source *s = &rq->src[k];
        /* A dataset without variables shows what the first one showed (overlay), or its
           first variable. */
        if (s->nvars == 0 && k > 0) {
            memcpy(s->vars, rq->src[0].vars, sizeof s->vars);
            s->nvars = rq->src[0].nvars;
        }
        for (size_t v = 0; v < s->nvars; v++) {
            if (nd_ds_find(s->ds, s->vars[v]->value->str) < 1)
                return nd_arg_error(s->vars[v], err, ND_ENAME, "dataset %s has no variable '%s'",
                                    s->name, s->vars[v]->value->str);
        }
        if (rq->vs && nd_ds_find(s->ds, rq->vs->value->str) < 0)
            return nd_arg_error(rq->vs, err, ND_ENAME, "dataset %s has no variable '%s'",
                                s->name, rq->vs->value->str);
    }
    if (rq->src[0].nvars == 0) {
        rq->src[0].nvars = 1;
        rq->src[0].vars[0] = NULL;   /* its first variable */
    }
    return ND_OK;
}

/* The library's view of the request: each dataset with its variables by name (a dataset
   given none draws its first). */
static void to_plots(const plot_request *rq, nd_ds_plot *plots,
                     const char *names[MAX_SOURCES][MAX_VARS])
{
    for (size_t k = 0; k < rq->nsrc; k++) {
        const source *s = &rq->src[k];
        for (size_t v = 0; v < s->nvars; v++)
            names[k][v] = s->vars[v] ? s->vars[v]->value->str : nd_ds_name(s->ds, 1);
        plots[k] = (nd_ds_plot){s->name, s->ds, names[k], s->nvars};
    }
}

/* The figure the call asks for, titled and sized by its options. */
static nd_status build(const nd_cmd_ctx *ctx, const plot_request *rq, nd_figure **out,
                       nd_error *err)
{
    nd_ds_plot plots[MAX_SOURCES];
    const char *names[MAX_SOURCES][MAX_VARS];
    to_plots(rq, plots, names);
    const char *vs = rq->vs ? rq->vs->value->str : NULL;
    char *title = NULL, *dflt = nd_ds_plot_title(plots, rq->nsrc, vs);
    if (!dflt) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_status st = nd_arg_opt_string(ctx, "title", dflt, &title, err);
    free(dflt);
    if (st != ND_OK) return st;
    nd_figure *fig = nd_ds_plot_figure(plots, rq->nsrc, vs, title);
    free(title);
    if (!fig) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    const nd_arg *range = nd_arg_opt(ctx, "t");
    double lo, hi;
    if (range && (st = nd_arg_range(ctx, range, &lo, &hi, err)) == ND_OK)
        nd_fig_set_xrange(fig, lo, hi);
    if (st == ND_OK) st = nd_cmd_figure_size(ctx, fig, err);
    if (st != ND_OK) {
        nd_fig_free(fig);
        return st;
    }
    *out = fig;
    return ND_OK;
}

static nd_status run_plot(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    /* A network's comparison plots also take the model's inputs as options (V=-90..40);
       every other plot checks its options as declared. */
    if (nd_plot_net_target(ctx)) return nd_plot_net(ctx, result, err);
    nd_command strict = *ctx->cmd;
    strict.flags &= ~(unsigned)ND_CMD_ANY_OPTIONS;
    nd_status st = nd_cmd_check_call(&strict, ctx->call, err);
    if (st != ND_OK) return st;
    const nd_bif_result *bif = nd_plot_bif_target(ctx);
    if (bif) return nd_plot_bif(ctx, bif, result, err);
    const nd_recording *rec = nd_plot_rec_target(ctx);
    if (rec) return nd_plot_rec(ctx, rec, result, err);
    plot_request rq;
    nd_figure *fig = NULL;
    if ((st = read_request(ctx, &rq, err)) != ND_OK || (st = build(ctx, &rq, &fig, err)) != ND_OK)
        return st;
    nd_bundle *b = NULL;
    st = nd_fig_render(fig, &b, err);
    if (st != ND_OK)
        nd_learn_locate_call(ctx, err);
    else
        st = nd_cmd_give_figure(ctx, fig, b, result, err);
    nd_fig_free(fig);
    return st;
}

static const nd_option plot_options[] = {
    {"title", "what is shown", "the figure's title (default: model, variables, changed "
                               "parameters and stimulus: \"hh: V against time, I = 10\")"},
    {"t", "all", "the range of the x axis (t=0..50)"},
    {"width", "720", "width in pixels"},
    {"height", "420 + 170 per extra panel", "height in pixels"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_plot = {
    "plot", "plot variables of datasets",
    "plot DATASET VAR [VAR …] [DATASET [VAR …] …] [vs X] [title= t= width= height=] | "
    "plot NET DATA | plot NET.TERM vs TERM V=a..b | plot ENS DATA | plot ENS.TERM vs TERM DATA "
    "| plot REC [N …]",
    "Plots variables of one or more datasets against time, one panel per variable "
    "(`plot sim V m h n`); a second dataset overlays the same variables (`plot sim V data`), "
    "noisy data as dots. `vs X` plots against X instead of time: a trajectory in the "
    "phase plane (`plot sim V vs n`). Long traces are thinned to min/max per pixel column, "
    "so no spike is lost. `plot BIF [VAR]` with a result of `continue` draws its bifurcation "
    "diagram: VAR against the parameter, stable equilibria solid, unstable dashed, special "
    "points marked. `plot REC [N …]` with a recording (`load \"cell.abf\"`) draws its sweeps "
    "(all, or those numbered) overlaid, each recorded channel in a panel over the command "
    "that drove them.\n\n"
    "With a network (from `ude` or `node`): `plot NET DATA [STATE …]` integrates the "
    "hybrid from its initial state over the data's time span and draws the prediction over "
    "the observed columns (data as dots), with the RMS error per variable. `plot NET.TERM "
    "[vs TERM] V=a..b [n=0.4 …]` draws what the network learned for TERM against the "
    "model's true TERM as one input sweeps a..b (the other states and parameters at the "
    "values given, else the model's initial values); `plot NET.TERM [vs TERM] DATASET` "
    "follows a dataset holding every state (a noise-free simulation) and plots both "
    "against time. The caption gives the RMS difference and its fraction of the true "
    "term's range.\n\n"
    "With an ensemble (`ens = train … ensemble=N`): `plot ENS DATA` draws the members' "
    "mean prediction with the band mean ± 2 SD across them over the data, with the spread "
    "and the share of the samples inside the band (and inside the band widened by the "
    "data's noise); `plot ENS.TERM [vs TERM] DATASET` the band of the learned term along a "
    "dataset of every state, with the share of the rows where the true term is inside.",
    plot_options,
    "plot sim V\nplot sim V m h n\nplot sim V vs n\nplot sim V data V\nplot net data\n"
    "plot net.INa vs INa V=-90..40 n=0.4\nplot net.INa vs INa truth",
    ND_CMD_ANY_OPTIONS, run_plot
};

nd_status nd_cmd_register_plot(nd_cmd_registry *reg, nd_error *err)
{
    static const nd_command *const all[] = {&cmd_plot};
    return nd_cmd_register_list(reg, all, sizeof all / sizeof all[0], err);
}
