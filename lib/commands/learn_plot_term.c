/* `plot NET.TERM [vs TERM] V=a..b | DATASET`: what the network learned for a term against
   the model's true term, over a sweep of one input or along a trajectory. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../learn/ude.h"
#include "../learn/ude_plot.h"
#include "../learn/ude_term.h"
#include "../language/args.h"
#include "learn_cmd.h"
#include "learn_plot.h"
#include "../language/target.h"

enum { SWEEP_POINTS = 401 };

enum { MAX_FIXED = 64 };

/* The sweep options: the one that is a range is swept, the others fix values. */
typedef struct sweep_args {
    const nd_arg *sweep;
    double lo, hi;
    const char *names[MAX_FIXED];
    double values[MAX_FIXED];
    size_t nfix;
} sweep_args;

static nd_status read_sweep(const nd_cmd_ctx *ctx, const nd_model *truth, sweep_args *sa,
                            nd_error *err)
{
    sa->sweep = NULL;
    sa->nfix = 0;
    for (size_t i = 0; i < ctx->call->nargs; i++) {
        const nd_arg *a = &ctx->call->args[i];
        if (!a->key || nd_learn_plot_option(a->key)) continue;
        int known = strcmp(a->key, "t") == 0 ||
                    nd_model_index(truth, ND_MODEL_STATE, a->key) >= 0 ||
                    nd_model_index(truth, ND_MODEL_PAR, a->key) >= 0;
        if (!known)
            return nd_error_set(err, ND_ENAME, a->line, a->col, (int)strlen(a->key),
                                "%s has no state or parameter '%s' to sweep or fix",
                                nd_model_name(truth), a->key);
        nd_value *v;
        nd_status st = nd_arg_value(ctx, a, &v, err);
        if (st != ND_OK) return st;
        if (v->kind == ND_VAL_RANGE) {
            if (sa->sweep) st = nd_arg_error(a, err, ND_EVALUE, "sweep one input at a time "
                                             "(%s is already swept)", sa->sweep->key);
            else if (!(v->as.range.lo < v->as.range.hi) || !isfinite(v->as.range.lo) ||
                     !isfinite(v->as.range.hi))
                st = nd_arg_error(a, err, ND_EVALUE, "the range must be finite and increasing");
            sa->sweep = a;
            sa->lo = v->as.range.lo;
            sa->hi = v->as.range.hi;
        } else if (v->kind == ND_VAL_NUMBER && sa->nfix < MAX_FIXED) {
            sa->names[sa->nfix] = a->key;
            sa->values[sa->nfix++] = v->as.num;
        } else {
            st = nd_arg_error(a, err, ND_ETYPE, "%s= expects a number or a range a..b", a->key);
        }
        nd_value_unref(v);
        if (st != ND_OK) return st;
    }
    if (!sa->sweep)
        return nd_arg_error(nd_arg_pos(ctx, 0), err, ND_ESYNTAX, "give the input to sweep as "
                            "a range (plot %s vs … V=-90..40) or a dataset to follow",
                            nd_arg_pos(ctx, 0)->value->str);
    return ND_OK;
}

nd_status nd_learn_plot_term(const nd_cmd_ctx *ctx, nd_ude *u, const char *net_name,
                             const char *term, nd_value **result, nd_error *err)
{
    const nd_arg *a0 = nd_arg_pos(ctx, 0);
    const nd_model *truth_model = nd_ude_truth(u);
    /* [vs TRUE] [DATA] */
    size_t pos = 1;
    const nd_arg *b;
    nd_status st = nd_learn_vs(ctx, &pos, &b, err);
    if (st != ND_OK) return st;
    const char *true_name = b ? b->value->str : term;
    if (b && nd_model_index(truth_model, ND_MODEL_TERM, true_name) < 0 &&
        nd_model_index(truth_model, ND_MODEL_STATE, true_name) < 0)
        return nd_arg_error(b, err, ND_ENAME, "%s has no term '%s' to compare with",
                            nd_model_name(truth_model), true_name);
    nd_ude_term te;
    st = nd_ude_term_find(u, term, true_name, &te, err);
    if (st != ND_OK) {
        nd_target_locate(err, a0);
        return st;
    }
    nd_value *holder = NULL;
    nd_dataset *ds = NULL;
    if (nd_arg_pos(ctx, pos)) {
        if (nd_arg_pos(ctx, pos + 1))
            return nd_arg_error(nd_arg_pos(ctx, pos + 1), err, ND_ESYNTAX,
                                "usage: plot NET.TERM [vs TERM] V=a..b | DATASET");
        if ((st = nd_target_dataset(ctx, nd_arg_pos(ctx, pos), &holder, &ds, err)) != ND_OK)
            return st;
        for (size_t i = 0; i < ctx->call->nargs; i++)
            if (ctx->call->args[i].key && !nd_learn_plot_option(ctx->call->args[i].key)) {
                nd_value_unref(holder);
                return nd_arg_error(&ctx->call->args[i], err, ND_ESYNTAX, "give either a "
                                    "dataset to follow or values to sweep, not both");
            }
    }
    size_t m = ds ? nd_ds_rows(ds) : SWEEP_POINTS;
    double *xs = malloc((m + 1) * sizeof *xs), *lv = malloc((m + 1) * sizeof *lv);
    double *tv = malloc((m + 1) * sizeof *tv);
    sweep_args sa = {0};
    if (!xs || !lv || !tv)
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    else if (ds && m < 2)
        st = nd_arg_error(nd_arg_pos(ctx, pos), err, ND_EVALUE, "the dataset has no rows");
    if (st == ND_OK && ds) {
        memcpy(xs, nd_ds_col(ds, 0), m * sizeof *xs);
        if ((st = nd_ude_term_along(&te, ds, lv, tv, err)) != ND_OK)
            nd_target_locate(err, nd_arg_pos(ctx, pos));
    } else if (st == ND_OK) {
        st = read_sweep(ctx, truth_model, &sa, err);
        if (st == ND_OK &&
            (st = nd_ude_term_sweep(&te, sa.sweep->key, sa.lo, sa.hi, m, sa.names, sa.values,
                                    sa.nfix, xs, lv, tv, err)) != ND_OK)
            nd_target_locate(err, sa.sweep);
    }
    char dflt[300], *title = NULL;
    snprintf(dflt, sizeof dflt, "%s.%s learned vs %s", net_name, term, true_name);
    if (st == ND_OK) st = nd_learn_plot_title(ctx, dflt, &title, err);
    nd_ude_plot p = {0};
    if (st == ND_OK)
        st = nd_ude_plot_term(&te, net_name, term, true_name, ds ? "t" : sa.sweep->key,
                              ds ? nd_ds_unit(ds, 0) : NULL, ds != NULL, xs, lv, tv, m, title,
                              &p, err);
    if (st == ND_OK) {
        st = nd_learn_plot_show(ctx, p.fig, p.caption, "term", p.json, result, err);
        p.fig = NULL;
        p.json = NULL;
    }
    nd_ude_plot_clear(&p);
    free(title);
    free(xs);
    free(lv);
    free(tv);
    nd_value_unref(holder);
    return st;
}
