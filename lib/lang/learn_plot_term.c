/* `plot NET.TERM [vs TERM] V=a..b | DATASET`: what the network learned for a term against
   the model's true term, over a sweep of one input or along a trajectory. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "../base/textfmt.h"
#include "../learn/ude.h"
#include "../plot/figure.h"
#include "args.h"
#include "learn_plot.h"
#include "target.h"

enum { SWEEP_POINTS = 401 };

typedef struct term_eval {
    const nd_ude *u;
    const nd_model *open, *truth;
    size_t out;              /* the network output of the learned term */
    int is_state, index;     /* the true quantity: a state's derivative or a term */
    size_t n;
    double *p_open, *p_truth, *terms;
    const char *sweep;       /* the swept input's name (sweeps) */
} term_eval;

/* Sets parameter or state name to x in both models' vectors (and y); 0, or -1 when the
   name is neither (t is handled by the caller). */
static int assign(term_eval *te, double *y, const char *name, double x)
{
    int s = nd_model_index(te->truth, ND_MODEL_STATE, name);
    if (s >= 0) {
        y[s] = x;
        return 0;
    }
    int pt = nd_model_index(te->truth, ND_MODEL_PAR, name);
    int po = nd_model_index(te->open, ND_MODEL_PAR, name);
    if (pt < 0) return -1;
    te->p_truth[pt] = x;
    if (po >= 0) te->p_open[po] = x;
    return 0;
}

static double true_value(term_eval *te, double t, const double *y)
{
    if (te->is_state) {
        double dy[te->n];
        return nd_model_rhs(te->truth, t, y, te->p_truth, dy) == 0 ? dy[te->index] : NAN;
    }
    return nd_model_terms(te->truth, t, y, te->p_truth, te->terms) == 0 ? te->terms[te->index]
                                                                         : NAN;
}

/* The swept input: the one option that is a range; the other options set values. */
static nd_status read_sweep(const nd_cmd_ctx *ctx, term_eval *te, double *y, double *tfix,
                            const nd_arg **sweep, double *lo, double *hi, nd_error *err)
{
    *sweep = NULL;
    for (size_t i = 0; i < ctx->call->nargs; i++) {
        const nd_arg *a = &ctx->call->args[i];
        if (!a->key || nd_learn_plot_option(a->key)) continue;
        int known = strcmp(a->key, "t") == 0 ||
                    nd_model_index(te->truth, ND_MODEL_STATE, a->key) >= 0 ||
                    nd_model_index(te->truth, ND_MODEL_PAR, a->key) >= 0;
        if (!known)
            return nd_error_set(err, ND_ENAME, a->line, a->col, (int)strlen(a->key),
                                "%s has no state or parameter '%s' to sweep or fix",
                                nd_model_name(te->truth), a->key);
        nd_value *v;
        nd_status st = nd_arg_value(ctx, a, &v, err);
        if (st != ND_OK) return st;
        if (v->kind == ND_VAL_RANGE) {
            if (*sweep) st = nd_arg_error(a, err, ND_EVALUE, "sweep one input at a time "
                                          "(%s is already swept)", (*sweep)->key);
            else if (!(v->as.range.lo < v->as.range.hi) || !isfinite(v->as.range.lo) ||
                     !isfinite(v->as.range.hi))
                st = nd_arg_error(a, err, ND_EVALUE, "the range must be finite and increasing");
            *sweep = a;
            *lo = v->as.range.lo;
            *hi = v->as.range.hi;
        } else if (v->kind == ND_VAL_NUMBER) {
            if (strcmp(a->key, "t") == 0) *tfix = v->as.num;
            else assign(te, y, a->key, v->as.num);
        } else {
            st = nd_arg_error(a, err, ND_ETYPE, "%s= expects a number or a range a..b", a->key);
        }
        nd_value_unref(v);
        if (st != ND_OK) return st;
    }
    if (!*sweep)
        return nd_arg_error(nd_arg_pos(ctx, 0), err, ND_ESYNTAX, "give the input to sweep as "
                            "a range (plot %s vs … V=-90..40) or a dataset to follow",
                            nd_arg_pos(ctx, 0)->value->str);
    return ND_OK;
}

/* Fills the rows of the comparison: x (swept value or time), learned and true. */
static nd_status evaluate(const nd_cmd_ctx *ctx, term_eval *te, const nd_dataset *ds,
                          size_t m, double *xs, double *learned, double *truth, nd_error *err)
{
    size_t nin = nd_ude_ninputs(te->u), nout = nd_ude_nreplace(te->u);
    double *X = malloc(m * nin * sizeof *X), *Z = malloc(m * nout * sizeof *Z);
    double y0[te->n], y[te->n], tfix = 0, lo = 0, hi = 1;
    const nd_arg *sweep = NULL;
    nd_status st = X && Z ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    memcpy(y0, nd_model_inits(te->truth), te->n * sizeof *y0);
    if (st == ND_OK && !ds) st = read_sweep(ctx, te, y0, &tfix, &sweep, &lo, &hi, err);
    if (sweep) te->sweep = sweep->key;
    int cols[te->n];
    int stim_par = -1, stim_col = -1;
    const nd_stim *stim0 = nd_ude_stim(te->u, &stim_par);
    nd_stim *stim = NULL;
    if (st == ND_OK && ds) {
        for (size_t s = 0; st == ND_OK && s < te->n; s++) {
            const char *name = nd_model_item_at(te->truth, ND_MODEL_STATE, s)->name;
            if ((cols[s] = nd_ds_find(ds, name)) < 1)
                st = nd_arg_error(nd_arg_pos(ctx, nd_arg_count(ctx) - 1), err, ND_EVALUE,
                                  "the dataset has no column '%s': following a trajectory "
                                  "needs every state (simulate the model without observe=)",
                                  name);
        }
        if (stim0 && stim_par >= 0) {
            const char *pn = nd_model_item_at(te->truth, ND_MODEL_PAR, (size_t)stim_par)->name;
            stim_col = nd_ds_find(ds, pn);
            if (stim_col < 1 && st == ND_OK) {
                stim = nd_stim_copy(stim0);
                const double *tc = nd_ds_col(ds, 0);
                if (!stim) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
                else st = nd_stim_prepare(stim, tc[m - 1], err);
            }
        }
    }
    size_t npt = nd_model_count(te->truth, ND_MODEL_PAR);
    size_t npo = nd_model_count(te->open, ND_MODEL_PAR);
    double pt_fixed[npt], po_fixed[npo];
    memcpy(pt_fixed, te->p_truth, npt * sizeof *pt_fixed);
    memcpy(po_fixed, te->p_open, npo * sizeof *po_fixed);
    for (size_t r = 0; st == ND_OK && r < m; r++) {
        double t = tfix;
        memcpy(te->p_truth, pt_fixed, npt * sizeof *pt_fixed);
        memcpy(te->p_open, po_fixed, npo * sizeof *po_fixed);
        memcpy(y, y0, te->n * sizeof *y);
        if (ds) {
            t = nd_ds_col(ds, 0)[r];
            for (size_t s = 0; s < te->n; s++) y[s] = nd_ds_col(ds, (size_t)cols[s])[r];
            if (stim_par >= 0 && (stim_col > 0 || stim)) {
                const char *pn = nd_model_item_at(te->truth, ND_MODEL_PAR, (size_t)stim_par)->name;
                double pv = stim_col > 0 ? nd_ds_col(ds, (size_t)stim_col)[r]
                                         : pt_fixed[stim_par] + nd_stim_eval(stim, t);
                assign(te, y, pn, pv);
            }
            xs[r] = t;
        } else {
            double x = lo + (hi - lo) * (double)r / (double)(m - 1);
            if (strcmp(sweep->key, "t") == 0) t = x;
            else assign(te, y, sweep->key, x);
            xs[r] = x;
        }
        nd_ude_inputs_at(te->u, t, y, te->p_open, X + r * nin);
        truth[r] = true_value(te, t, y);
    }
    if (st == ND_OK) st = nd_ude_net_eval(te->u, X, m, Z, err);
    for (size_t r = 0; st == ND_OK && r < m; r++) learned[r] = Z[r * nout + te->out];
    nd_stim_free(stim);
    free(X);
    free(Z);
    return st;
}

nd_status nd_learn_plot_term(const nd_cmd_ctx *ctx, nd_ude *u, const char *net_name,
                             const char *term, nd_value **result, nd_error *err)
{
    const nd_arg *a0 = nd_arg_pos(ctx, 0);
    term_eval te = {u, nd_ude_model(u), nd_ude_truth(u), 0, 0, -1, 0, NULL, NULL, NULL, "x"};
    te.n = nd_model_count(te.truth, ND_MODEL_STATE);
    size_t k;
    for (k = 0; k < nd_ude_nreplace(u) && strcmp(nd_ude_replace(u, k), term) != 0; k++) {}
    if (k == nd_ude_nreplace(u)) {
        nd_sb list;
        nd_sb_init(&list);
        for (size_t i = 0; i < nd_ude_nreplace(u); i++)
            nd_sb_printf(&list, "%s%s.%s", i ? ", " : "", net_name, nd_ude_replace(u, i));
        nd_status st = nd_arg_error(a0, err, ND_ENAME, "%s does not learn '%s' (it learns: %s)",
                                    net_name, term, nd_sb_str(&list));
        nd_sb_free(&list);
        return st;
    }
    te.out = k;
    /* [vs TRUE] [DATA] */
    size_t pos = 1;
    const char *true_name = term;
    const nd_arg *a = nd_arg_pos(ctx, pos);
    if (a && a->value->kind == ND_EXPR_NAME && strcmp(a->value->str, "vs") == 0) {
        const nd_arg *b = nd_arg_pos(ctx, pos + 1);
        if (!b || b->value->kind != ND_EXPR_NAME)
            return nd_arg_error(a, err, ND_ESYNTAX, "'vs' needs the true term after it");
        true_name = b->value->str;
        int ti = nd_model_index(te.truth, ND_MODEL_TERM, true_name);
        int si = nd_model_index(te.truth, ND_MODEL_STATE, true_name);
        if (ti < 0 && si < 0)
            return nd_arg_error(b, err, ND_ENAME, "%s has no term '%s' to compare with",
                                nd_model_name(te.truth), true_name);
        pos += 2;
    }
    te.index = nd_model_index(te.truth, ND_MODEL_TERM, true_name);
    if (te.index < 0) {
        te.is_state = 1;
        te.index = nd_model_index(te.truth, ND_MODEL_STATE, true_name);
    }
    if (te.index < 0)
        return nd_arg_error(a0, err, ND_ENAME, "%s has no term '%s' to compare with",
                            nd_model_name(te.truth), true_name);
    nd_value *holder = NULL;
    nd_dataset *ds = NULL;
    nd_status st = ND_OK;
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
    size_t npt = nd_model_count(te.truth, ND_MODEL_PAR);
    size_t npo = nd_model_count(te.open, ND_MODEL_PAR);
    te.p_truth = malloc((npt + 1) * sizeof *te.p_truth);
    te.p_open = malloc((npo + 1) * sizeof *te.p_open);
    te.terms = malloc((nd_model_count(te.truth, ND_MODEL_TERM) + 1) * sizeof *te.terms);
    double *xs = malloc((m + 1) * sizeof *xs), *lv = malloc((m + 1) * sizeof *lv);
    double *tv = malloc((m + 1) * sizeof *tv);
    if (!te.p_truth || !te.p_open || !te.terms || !xs || !lv || !tv)
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    else if (ds && m < 2)
        st = nd_arg_error(nd_arg_pos(ctx, pos), err, ND_EVALUE, "the dataset has no rows");
    if (st == ND_OK) {
        memcpy(te.p_truth, nd_model_pars(te.truth), npt * sizeof *te.p_truth);
        memcpy(te.p_open, nd_model_pars(te.open), npo * sizeof *te.p_open);
        st = evaluate(ctx, &te, ds, m, xs, lv, tv, err);
    }
    /* The comparison's numbers. */
    double sum = 0, lo = INFINITY, hi = -INFINITY;
    size_t cnt = 0;
    for (size_t r = 0; st == ND_OK && r < m; r++) {
        if (!isfinite(lv[r]) || !isfinite(tv[r])) continue;
        sum += (lv[r] - tv[r]) * (lv[r] - tv[r]);
        lo = fmin(lo, tv[r]);
        hi = fmax(hi, tv[r]);
        cnt++;
    }
    double rms = cnt ? sqrt(sum / (double)cnt) : NAN, rel = hi > lo ? rms / (hi - lo) : NAN;
    nd_figure *fig = NULL;
    char title[300], xl[160], yl[160];
    snprintf(title, sizeof title, "%s.%s learned vs %s", net_name, term, true_name);
    if (st == ND_OK) fig = nd_learn_plot_figure(ctx, title, &st, err);
    if (st == ND_OK) {
        const char *xname = ds ? "t" : te.sweep;
        const nd_model_item *xi = nd_model_find(te.truth, xname, NULL);
        nd_learn_plot_label(xl, sizeof xl, xname, ds ? nd_ds_unit(ds, 0) : xi ? xi->unit : "");
        const nd_model_item *ti = nd_model_find(te.truth, true_name, NULL);
        char dname[300];
        snprintf(dname, sizeof dname, te.is_state ? "d%s/dt" : "%s", term);
        /* a state's learned right-hand side is a rate: its unit per unit of time */
        char *rate = te.is_state && ti ? nd_fig_unit_per(ti->unit, nd_model_time_unit(te.truth))
                                       : NULL;
        nd_learn_plot_label(yl, sizeof yl, dname, rate ? rate : ti && !te.is_state ? ti->unit : "");
        free(rate);
        int p = nd_fig_add_panel(fig, xl, yl);
        char l1[300];
        snprintf(l1, sizeof l1, te.is_state ? "true d%s/dt" : "true %s", true_name);
        if (p < 0 ||
            nd_fig_add_series(fig, p, l1, xs, tv, m,
                              (nd_fig_style){ND_FIG_DASHED, 0, ND_FIG_BLACK, 0}) < 0 ||
            nd_fig_add_series(fig, p, "learned", xs, lv, m,
                              (nd_fig_style){ND_FIG_SOLID, 0, ND_FIG_VERMILLION, 0}) < 0)
            st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    if (st == ND_OK) {
        nd_sb cap, json;
        nd_sb_init(&cap);
        nd_sb_init(&json);
        nd_sb_printf(&cap, te.is_state ? "%s.%s against the true d%s/dt" : "%s.%s against "
                     "the true %s", net_name, term, true_name);
        nd_sb_printf(&cap, "%s: RMS difference %.4g = %.3g %% of the true range (%.4g … %.4g)",
                     ds ? " along the trajectory" : "", rms, 100 * rel, lo, hi);
        nd_sb_puts(&json, ",\"term\":{\"network\":");
        nd_json_string(&json, net_name);
        nd_sb_puts(&json, ",\"learned\":");
        nd_json_string(&json, term);
        nd_sb_puts(&json, ",\"true\":");
        nd_json_string(&json, true_name);
        nd_sb_puts(&json, ",\"rms\":");
        nd_json_number(&json, rms);
        nd_sb_puts(&json, ",\"rms_over_range\":");
        nd_json_number(&json, rel);
        nd_sb_printf(&json, ",\"points\":%zu}", cnt);
        st = nd_learn_plot_show(ctx, fig, cap.data ? cap.data : "", json.data ? json.data : "",
                                result, err);
        fig = NULL;
        nd_sb_free(&cap);
        nd_sb_free(&json);
    }
    nd_fig_free(fig);
    free(te.p_truth);
    free(te.p_open);
    free(te.terms);
    free(xs);
    free(lv);
    free(tv);
    nd_value_unref(holder);
    return st;
}
