/* A learned term and the model's true one at chosen points (nd_ude_term_along, _sweep):
   what `plot NET.TERM vs TERM` draws and what `eval NET.TERM DATA` returns. */
#include "ude_term.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"

nd_status nd_ude_term_find(const nd_ude *u, const char *term, const char *true_name,
                           nd_ude_term *t, nd_error *err)
{
    const nd_model *truth = nd_ude_truth(u);
    size_t k;
    for (k = 0; k < nd_ude_nreplace(u) && strcmp(nd_ude_replace(u, k), term) != 0; k++) {}
    if (k == nd_ude_nreplace(u)) {
        nd_sb list;
        nd_sb_init(&list);
        for (size_t i = 0; i < nd_ude_nreplace(u); i++)
            nd_sb_printf(&list, "%s%s", i ? ", " : "", nd_ude_replace(u, i));
        nd_status st = nd_error_fail(err, ND_ENAME, "the network does not learn '%s' (it "
                                     "learns: %s)", term, nd_sb_str(&list));
        nd_sb_free(&list);
        return st;
    }
    if (!true_name) true_name = term;
    *t = (nd_ude_term){u, k, nd_model_index(truth, ND_MODEL_TERM, true_name), 0};
    if (t->true_index < 0) {
        t->true_is_state = 1;
        t->true_index = nd_model_index(truth, ND_MODEL_STATE, true_name);
    }
    if (t->true_index < 0)
        return nd_error_fail(err, ND_ENAME, "%s has no term '%s' to compare with",
                             nd_model_name(truth), true_name);
    return ND_OK;
}

/* The points to evaluate at: rows of time, states and both models' parameters. */
typedef struct points {
    const nd_ude_term *t;
    const nd_model *open, *truth;
    size_t n, npt, npo, m;
    double *tt, *Y, *Pt, *Po;   /* m; m × n; m × npt; m × npo */
} points;

static nd_status points_init(points *p, const nd_ude_term *t, size_t m, nd_error *err)
{
    memset(p, 0, sizeof *p);
    p->t = t;
    p->open = nd_ude_model(t->u);
    p->truth = nd_ude_truth(t->u);
    p->n = nd_model_count(p->truth, ND_MODEL_STATE);
    p->npt = nd_model_count(p->truth, ND_MODEL_PAR);
    p->npo = nd_model_count(p->open, ND_MODEL_PAR);
    p->m = m;
    p->tt = malloc((m + 1) * sizeof *p->tt);
    p->Y = malloc((m * p->n + 1) * sizeof *p->Y);
    p->Pt = malloc((m * p->npt + 1) * sizeof *p->Pt);
    p->Po = malloc((m * p->npo + 1) * sizeof *p->Po);
    if (!p->tt || !p->Y || !p->Pt || !p->Po) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t r = 0; r < m; r++) {
        p->tt[r] = 0;
        memcpy(p->Y + r * p->n, nd_model_inits(p->truth), p->n * sizeof *p->Y);
        memcpy(p->Pt + r * p->npt, nd_model_pars(p->truth), p->npt * sizeof *p->Pt);
        memcpy(p->Po + r * p->npo, nd_model_pars(p->open), p->npo * sizeof *p->Po);
    }
    return ND_OK;
}

static void points_free(points *p)
{
    free(p->tt), free(p->Y), free(p->Pt), free(p->Po);
}

/* Sets state, parameter or t called name to x at row r; -1 when it is none of these. */
static int assign(points *p, size_t r, const char *name, double x)
{
    if (strcmp(name, "t") == 0) {
        p->tt[r] = x;
        return 0;
    }
    int s = nd_model_index(p->truth, ND_MODEL_STATE, name);
    if (s >= 0) {
        p->Y[r * p->n + (size_t)s] = x;
        return 0;
    }
    int pt = nd_model_index(p->truth, ND_MODEL_PAR, name);
    int po = nd_model_index(p->open, ND_MODEL_PAR, name);
    if (pt < 0) return -1;
    p->Pt[r * p->npt + (size_t)pt] = x;
    if (po >= 0) p->Po[r * p->npo + (size_t)po] = x;
    return 0;
}

/* Evaluates the network (one batch) and the truth at every point. */
static nd_status evaluate(points *p, double *learned, double *truth, nd_error *err)
{
    const nd_ude *u = p->t->u;
    size_t nin = nd_ude_ninputs(u), nout = nd_ude_nreplace(u), m = p->m;
    size_t nterms = nd_model_count(p->truth, ND_MODEL_TERM);
    double *X = malloc((m * nin + 1) * sizeof *X), *Z = malloc((m * nout + 1) * sizeof *Z);
    double *w = malloc((nterms + p->n + 1) * sizeof *w);
    nd_status st = X && Z && w ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t r = 0; st == ND_OK && r < m; r++) {
        const double *y = p->Y + r * p->n, *pt = p->Pt + r * p->npt;
        nd_ude_inputs_at(u, p->tt[r], y, p->Po + r * p->npo, X + r * nin);
        if (!truth) continue;
        int bad = p->t->true_is_state ? nd_model_rhs(p->truth, p->tt[r], y, pt, w)
                                      : nd_model_terms(p->truth, p->tt[r], y, pt, w);
        truth[r] = bad ? NAN : w[p->t->true_index];
    }
    if (st == ND_OK) st = nd_ude_net_eval(u, X, m, Z, err);
    for (size_t r = 0; st == ND_OK && r < m; r++) learned[r] = Z[r * nout + p->t->out];
    free(X);
    free(Z);
    free(w);
    return st;
}

/* 1 when the network reads state s (directly, as an input). */
static int reads_state(const nd_ude *u, const char *name)
{
    for (size_t i = 0; i < nd_ude_ninputs(u); i++)
        if (strcmp(nd_ude_input(u, i), name) == 0) return 1;
    return 0;
}

/* Fills p with ds's rows (points_free it on success or failure); truth: every
   state is needed. */
static nd_status points_along(points *p, const nd_ude_term *t, const nd_dataset *ds, int truth,
                              nd_error *err)
{
    size_t m = nd_ds_rows(ds);
    memset(p, 0, sizeof *p);
    if (m < 1 || nd_ds_cols(ds) < 1 || strcmp(nd_ds_name(ds, 0), "t") != 0)
        return nd_error_fail(err, ND_EVALUE, "the dataset needs a column t and at least one row");
    nd_status st = points_init(p, t, m, err);
    const double *tc = nd_ds_col(ds, 0);
    for (size_t r = 0; st == ND_OK && r < m; r++) p->tt[r] = tc[r];
    for (size_t s = 0; st == ND_OK && s < p->n; s++) {
        const char *name = nd_model_item_at(p->truth, ND_MODEL_STATE, s)->name;
        int c = nd_ds_find(ds, name);
        if (c >= 1) {
            const double *x = nd_ds_col(ds, (size_t)c);
            for (size_t r = 0; r < m; r++) p->Y[r * p->n + s] = x[r];
        } else if (truth || reads_state(t->u, name)) {
            st = nd_error_fail(err, ND_EVALUE, "the dataset has no column '%s': %s needs every "
                               "state read (simulate the model without observe=)", name,
                               truth ? "the comparison with the true term" : "the network");
        }
    }
    /* A stimulated parameter: its column when the data has one, else the stimulus. */
    int par = -1;
    const nd_stim *stim0 = nd_ude_stim(t->u, &par);
    if (st == ND_OK && stim0 && par >= 0) {
        const char *pn = nd_model_item_at(p->truth, ND_MODEL_PAR, (size_t)par)->name;
        int c = nd_ds_find(ds, pn);
        nd_stim *stim = c >= 1 ? NULL : nd_stim_copy(stim0);
        if (c < 1 && !stim) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        else if (stim) st = nd_stim_prepare(stim, tc[m - 1], err);
        double base = nd_model_pars(p->truth)[par];
        for (size_t r = 0; st == ND_OK && r < m; r++)
            assign(p, r, pn, c >= 1 ? nd_ds_col(ds, (size_t)c)[r]
                                     : base + nd_stim_eval(stim, tc[r]));
        nd_stim_free(stim);
    }
    return st;
}

nd_status nd_ude_term_along(const nd_ude_term *t, const nd_dataset *ds, double *learned,
                            double *truth, nd_error *err)
{
    points p;
    nd_status st = points_along(&p, t, ds, truth != NULL, err);
    if (st == ND_OK) st = evaluate(&p, learned, truth, err);
    points_free(&p);
    return st;
}

nd_status nd_ude_term_inputs(const nd_ude_term *t, const nd_dataset *ds, double *x, nd_error *err)
{
    points p;
    nd_status st = points_along(&p, t, ds, 0, err);
    size_t nin = nd_ude_ninputs(t->u);
    for (size_t r = 0; st == ND_OK && r < p.m; r++)
        nd_ude_inputs_at(t->u, p.tt[r], p.Y + r * p.n, p.Po + r * p.npo, x + r * nin);
    points_free(&p);
    return st;
}

nd_status nd_ude_term_sweep(const nd_ude_term *t, const char *sweep, double lo, double hi,
                            size_t m, const char *const *fix_names, const double *fix_values,
                            size_t nfix, double *xs, double *learned, double *truth,
                            nd_error *err)
{
    if (m < 2) return nd_error_fail(err, ND_EVALUE, "a sweep needs at least 2 points");
    points p;
    nd_status st = points_init(&p, t, m, err);
    for (size_t r = 0; st == ND_OK && r < m; r++) {
        for (size_t k = 0; st == ND_OK && k < nfix; k++)
            if (assign(&p, r, fix_names[k], fix_values[k]))
                st = nd_error_fail(err, ND_ENAME, "%s has no state or parameter '%s'",
                                   nd_model_name(p.truth), fix_names[k]);
        xs[r] = lo + (hi - lo) * (double)r / (double)(m - 1);
        if (st == ND_OK && assign(&p, r, sweep, xs[r]))
            st = nd_error_fail(err, ND_ENAME, "%s has no state or parameter '%s' to sweep",
                               nd_model_name(p.truth), sweep);
    }
    if (st == ND_OK) st = evaluate(&p, learned, truth, err);
    points_free(&p);
    return st;
}

nd_dataset *nd_ude_term_dataset(const nd_ude_term *te, const nd_dataset *ds, const char *term,
                                const char *true_name, const char *net_name,
                                const double *learned, const double *truth)
{
    const nd_model *tm = nd_ude_truth(te->u);
    const nd_model_item *it = te->true_is_state ? NULL : nd_model_find(tm, true_name, NULL);
    char lname[300], tname[300];
    snprintf(lname, sizeof lname, te->true_is_state ? "d%s/dt" : "%s", term);
    snprintf(tname, sizeof tname, te->true_is_state ? "true d%s/dt" : "true %s", true_name);
    const char *names[] = {"t", lname, tname};
    const char *unit = it && it->unit && it->unit[0] ? it->unit : NULL;
    const char *units[] = {nd_ds_unit(ds, 0), unit, unit};
    nd_dataset *out = nd_ds_create(truth ? 3 : 2, names, units);
    size_t m = nd_ds_rows(ds);
    if (!out || nd_ds_reserve(out, m) != 0) {
        nd_ds_free(out);
        return NULL;
    }
    const double *t = nd_ds_col(ds, 0);
    for (size_t r = 0; r < m; r++) {
        double row[3] = {t[r], learned[r], truth ? truth[r] : 0};
        if (nd_ds_append(out, row) != 0) {
            nd_ds_free(out);
            return NULL;
        }
    }
    nd_ds_set_meta(out, "network", net_name);
    nd_ds_set_meta(out, "term", term);
    return out;
}
