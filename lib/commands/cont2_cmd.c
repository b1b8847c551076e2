/* continue hopf|fold|lpc P1=a..b P2=c..d [MODEL]: reads the call, runs nd_c2_continue, shows
   its table and figure and binds its record. */
#include "cont2_cmd.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/codim2.h"
#include "../language/args.h"
#include "../language/fields_value.h"
#include "../language/figure_value.h"
#include "../language/objects.h"
#include "../language/target.h"
#include "../language/workspace.h"

/* The curve kind a positional names (ND_C2_HOPF, ND_C2_FOLD), or 0. */
static int kind_word(const nd_arg *a)
{
    if (!a || a->value->kind != ND_EXPR_NAME) return 0;
    return strcmp(a->value->str, "hopf") == 0   ? ND_C2_HOPF
           : strcmp(a->value->str, "fold") == 0 ? ND_C2_FOLD
           : strcmp(a->value->str, "lpc") == 0  ? ND_C2_LPC
                                                : 0;
}

int nd_cont2_cmd_is_two(const nd_cmd_ctx *ctx)
{
    return kind_word(nd_arg_pos(ctx, 0)) != 0;
}

static nd_status check_interrupt(void *ctx, nd_error *err)
{
    return nd_cmd_check_interrupt(ctx, err);
}

/* The two NAME=a..b arguments (those that are not options of continue). */
static nd_status read_params(nd_cmd_ctx *ctx, const nd_model *m, int par[2], double lo[2],
                             double hi[2], const nd_arg **where, nd_error *err)
{
    size_t k = 0;
    for (size_t i = 0; i < ctx->call->nargs; i++) {
        const nd_arg *a = &ctx->call->args[i];
        if (!a->key || nd_cmd_option(ctx->cmd, a->key)) continue;
        if (k == 2)
            return nd_arg_error(a, err, ND_ESYNTAX, "a two-parameter continuation takes two "
                                "ranges (I=0..200 gK=20..50)");
        par[k] = nd_model_index(m, ND_MODEL_PAR, a->key);
        if (par[k] < 0)
            return nd_arg_error(a, err, ND_ENAME, "model %s has no parameter '%s'",
                                nd_model_name(m), a->key);
        nd_status st = nd_arg_range(ctx, a, &lo[k], &hi[k], err);
        if (st != ND_OK) return st;
        if (!(lo[k] < hi[k]))
            return nd_arg_error(a, err, ND_EVALUE, "the range of %s must go up (a..b, a < b)",
                                a->key);
        where[k++] = a;
    }
    if (k < 2)
        return nd_error_set(err, ND_ESYNTAX, ctx->call->line, ctx->call->col,
                            (int)strlen(ctx->call->name), "a two-parameter continuation needs "
                            "two ranges: continue hopf I=0..200 gK=20..50");
    if (par[0] == par[1])
        return nd_arg_error(where[1], err, ND_EVALUE, "the two parameters must differ");
    return ND_OK;
}

/* The kinds (one or two positionals) and the model (the positional after them). */
static nd_status read_kinds(nd_cmd_ctx *ctx, int *kinds, size_t *npos, nd_error *err)
{
    *kinds = 0;
    size_t i = 0;
    int k;
    while ((k = kind_word(nd_arg_pos(ctx, i))) != 0) {
        *kinds |= k;
        i++;
    }
    *npos = i;
    return nd_arg_expect(ctx, i, (long)i + 1, err);
}

nd_status nd_cont_read_from(nd_cmd_ctx *ctx, const char *param, size_t *samples,
                            double *start, nd_error *err)
{
    const nd_arg *a = nd_arg_opt(ctx, "from");
    if (!a) return ND_OK;
    if (a->value->kind == ND_EXPR_NAME) {
        char *w = NULL;
        nd_status st = nd_arg_opt_word(ctx, "from", NULL, &w, err);
        if (st != ND_OK) return st;
        int hopf = strcmp(w, "hopf") == 0, sim = strcmp(w, "simulation") == 0;
        free(w);
        if (!hopf && !sim)
            return nd_arg_error(a, err, ND_EVALUE, "from= is hopf, simulation or a value of "
                                "%s (from=10)", param);
        if (hopf) *samples = SIZE_MAX;
        return ND_OK;
    }
    return nd_arg_number(ctx, a, start, err);
}

static nd_status read_map(nd_cmd_ctx *ctx, const nd_dataset **map, nd_error *err)
{
    *map = NULL;
    const nd_arg *a = nd_arg_opt(ctx, "map");
    if (!a) return ND_OK;
    const char *name;
    nd_status st = nd_arg_name(ctx, a, &name, err);
    if (st != ND_OK) return st;
    *map = nd_value_as_dataset(nd_ws_get(ctx->ws, name));
    if (!*map)
        return nd_arg_error(a, err, ND_EVALUE, "map= names a sweep result (m = sweep "
                            "I=0..200 n=41 gK=20..50 n=31)");
    return ND_OK;
}

nd_status nd_cont2_cmd_run(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    int kinds, par[2], plot = 1;
    size_t npos;
    double lo[2], hi[2], ds, maxp;
    const nd_arg *where[2] = {NULL, NULL};
    nd_model_obj *mo;
    const nd_dataset *map;
    char *title = NULL;
    nd_status st = read_kinds(ctx, &kinds, &npos, err);
    if (st == ND_OK) st = nd_target_model(ctx, nd_arg_pos(ctx, npos), &mo, err);
    if (st == ND_OK) st = read_params(ctx, mo->model, par, lo, hi, where, err);
    if (st == ND_OK) st = nd_arg_opt_number(ctx, "ds", 0, &ds, err);
    if (st == ND_OK) st = nd_arg_opt_number(ctx, "maxpoints", 1000, &maxp, err);
    if (st == ND_OK) st = nd_arg_opt_bool(ctx, "plot", 1, &plot, err);
    if (st == ND_OK) st = read_map(ctx, &map, err);
    if (st == ND_OK && !(ds >= 0 && ds < 1))
        st = nd_arg_error(nd_arg_opt(ctx, "ds"), err, ND_EVALUE, "ds is a step in the box "
                          "scaled to the unit square: 0 < ds < 1");
    if (st == ND_OK && !(maxp >= 2 && maxp <= 1e6))
        st = nd_arg_error(nd_arg_opt(ctx, "maxpoints"), err, ND_EVALUE,
                          "maxpoints must be 2 … 1e6");
    if (st == ND_OK) st = nd_arg_opt_string(ctx, "title", NULL, &title, err);
    if (st != ND_OK) return st;
    nd_c2_options o;
    nd_c2_options_default(&o);
    o.ds = ds;
    o.max_points = (size_t)maxp;
    o.check = check_interrupt;
    o.check_ctx = ctx;
    st = nd_cont_read_from(ctx, "the first parameter", &o.lpc_samples, &o.lpc_start, err);
    if (st != ND_OK) {
        free(title);
        return st;
    }
    nd_c2_result *r = NULL;
    st = nd_c2_continue(mo->model, kinds, par[0], lo[0], hi[0], par[1], lo[1], hi[1], &o, &r,
                        err);
    if (st != ND_OK) {
        if (st != ND_EINTERRUPT) nd_target_locate(err, where[0]);
        free(title);
        return st;
    }
    nd_figure *fig = NULL;
    nd_bundle *fb = NULL;
    if (plot && (st = nd_c2_figure(r, map, title, &fig, err)) != ND_OK)
        nd_target_locate(err, nd_arg_opt(ctx, "map"));
    if (st == ND_OK && fig && (st = nd_cmd_figure_size(ctx, fig, err)) == ND_OK)
        st = nd_fig_render(fig, &fb, err);
    nd_fig_free(fig);
    free(title);
    /* With a figure the table is shown first and the record shows the figure (so that
       `save NAME "x.svg"` writes it); without one the record shows the table. */
    if (st == ND_OK && fb) st = nd_cmd_display(ctx, nd_c2_bundle(r), err);
    if (st == ND_OK) {
        nd_bundle *view = fb ? fb : nd_c2_bundle(r);
        fb = NULL;
        st = nd_cmd_give(ctx, nd_record_of_fields(nd_c2_fields(r), view), result, err);
    }
    nd_bundle_free(fb);
    nd_c2_free(r);
    return st;
}
