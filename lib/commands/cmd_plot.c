/* plot: variables of datasets against time (stacked panels, overlays across datasets)
   or against each other (trajectories). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "../plot/figure.h"
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

static const char *var_name(const source *s, size_t v)
{
    return s->vars[v] ? s->vars[v]->value->str : nd_ds_name(s->ds, 1);
}

/* "V [mV]", or just "V" when the unit is unknown. */
static char *axis_label(const nd_dataset *ds, int col)
{
    return nd_fig_label(nd_ds_name(ds, (size_t)col), nd_ds_unit(ds, (size_t)col));
}

/* Noisy measurements are drawn as dots, simulations as lines. */
static nd_fig_style style_for(const nd_dataset *ds)
{
    nd_fig_style st = {0};
    if (nd_ds_meta(ds, "noise")) {
        st.line = ND_FIG_NOLINE;
        st.marker = ND_FIG_DOT;
    }
    return st;
}

/* Finds the panel for a variable, adding one when it is new. */
static int panel_for(nd_figure *fig, const char **names, int *npanels, const char *var,
                     const char *xlabel, const nd_dataset *ds, int col)
{
    for (int p = 0; p < *npanels; p++)
        if (strcmp(names[p], var) == 0) return p;
    char *ylabel = axis_label(ds, col);
    int p = nd_fig_add_panel(fig, xlabel, ylabel);
    free(ylabel);
    if (p >= 0) names[(*npanels)++] = var;
    return p;
}

/* What the figure shows, for its title: "hh: V, m, h, n against time, I = 10, stimulus
   step 10 on [5, 55)" (the model, or the dataset's name, then the variables, the x axis,
   the parameters changed from the model's values and the stimulus); overlays of several
   datasets name them ("hh: V against time; sim, data"). */
static char *default_title(const plot_request *rq)
{
    const source *first = &rq->src[0];
    const char *model = nd_ds_meta(first->ds, "model");
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_printf(&sb, "%s: ", model ? model : first->name);
    for (size_t v = 0; v < first->nvars; v++)
        nd_sb_printf(&sb, "%s%s", v ? ", " : "", var_name(first, v));
    nd_sb_printf(&sb, " against %s", rq->vs ? rq->vs->value->str : "time");
    const char *pars = nd_ds_meta(first->ds, "parameters"), *stim = nd_ds_meta(first->ds, "stimulus");
    if (pars && *pars) nd_sb_printf(&sb, ", %s", pars);
    if (stim && *stim && strcmp(stim, "none") != 0) nd_sb_printf(&sb, ", stimulus %s", stim);
    if (rq->nsrc > 1) {
        nd_sb_puts(&sb, ";");
        for (size_t k = 0; k < rq->nsrc; k++)
            nd_sb_printf(&sb, "%s %s", k ? "," : "", rq->src[k].name);
    }
    return nd_sb_take(&sb);
}

static nd_status build(const nd_cmd_ctx *ctx, const plot_request *rq, const char *title,
                       nd_figure **out, nd_error *err)
{
    nd_figure *fig = nd_fig_create(title);
    if (!fig) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    const char *panels[MAX_SOURCES * MAX_VARS];
    int npanels = 0, labelled = rq->nsrc > 1;
    for (size_t k = 0; k < rq->nsrc; k++) {
        const source *s = &rq->src[k];
        int xcol = rq->vs ? nd_ds_find(s->ds, rq->vs->value->str) : 0;
        char *xlabel = axis_label(s->ds, xcol);
        for (size_t v = 0; v < s->nvars; v++) {
            const char *var = var_name(s, v);
            int col = nd_ds_find(s->ds, var);
            /* A trajectory puts every variable in one panel; time series get one each. */
            int p = rq->vs ? (npanels ? 0 : panel_for(fig, panels, &npanels, var, xlabel, s->ds, col))
                           : panel_for(fig, panels, &npanels, var, xlabel, s->ds, col);
            nd_sb label;
            nd_sb_init(&label);
            if (labelled && rq->vs && s->nvars > 1) nd_sb_printf(&label, "%s %s", s->name, var);
            else if (labelled) nd_sb_printf(&label, "%s", s->name);
            else if (rq->vs && s->nvars > 1) nd_sb_printf(&label, "%s", var);
            int ok = p >= 0 &&
                     nd_fig_add_series(fig, p, label.data, nd_ds_col(s->ds, (size_t)xcol),
                                       nd_ds_col(s->ds, (size_t)col), nd_ds_rows(s->ds),
                                       style_for(s->ds)) >= 0;
            nd_sb_free(&label);
            if (!ok) {
                free(xlabel);
                nd_fig_free(fig);
                return nd_error_fail(err, ND_ENOMEM, "out of memory");
            }
        }
        free(xlabel);
    }
    const nd_arg *range = nd_arg_opt(ctx, "t");
    if (range) {
        double lo, hi;
        nd_status st = nd_arg_range(ctx, range, &lo, &hi, err);
        if (st != ND_OK) {
            nd_fig_free(fig);
            return st;
        }
        nd_fig_set_xrange(fig, lo, hi);
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
    st = read_request(ctx, &rq, err);
    if (st != ND_OK) return st;
    char *title = NULL, *dflt = default_title(&rq);
    if (!dflt) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    st = nd_arg_opt_string(ctx, "title", dflt, &title, err);
    free(dflt);
    if (st != ND_OK) return st;
    nd_figure *fig = NULL;
    st = build(ctx, &rq, title, &fig, err);
    free(title);
    if (st != ND_OK) return st;
    double w, h;
    if ((st = nd_arg_opt_number(ctx, "width", 0, &w, err)) == ND_OK &&
        (st = nd_arg_opt_number(ctx, "height", 0, &h, err)) == ND_OK && (w > 0 || h > 0))
        nd_fig_set_size(fig, w > 0 ? (int)w : 720, h > 0 ? (int)h : 420);
    nd_bundle *b = NULL;
    if (st == ND_OK) st = nd_fig_render(fig, &b, err);
    if (st != ND_OK)
        nd_target_locate(err, &(nd_arg){.line = ctx->call->line, .col = ctx->call->col,
                                        .span = (int)strlen(ctx->call->name)});
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
    "plot NET DATA | plot NET.TERM vs TERM V=a..b | plot REC [N …]",
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
    "term's range.",
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
