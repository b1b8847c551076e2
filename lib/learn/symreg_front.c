/* The Pareto front of size against error from the halls of fame, its errors over every
   sample, and the choice of one equation on it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symreg_impl.h"

enum { CHUNK = 256 };

/* t's mean squared error over all rows, evaluated CHUNK rows at a time. */
static double full_mse(const sr_world *w, const sr_tree *t, const double *X, const double *y,
                       size_t rows, sr_scratch *s, double *Xc)
{
    double sum = 0;
    for (size_t r0 = 0; r0 < rows; r0 += CHUNK) {
        size_t m = rows - r0 < CHUNK ? rows - r0 : CHUNK;
        s->rows = m;
        for (size_t k = 0; k < m; k++)
            for (size_t j = 0; j < w->nvars; j++) Xc[j * m + k] = X[(r0 + k) * w->nvars + j];
        if (sr_eval(t, &w->ops, Xc, s, 0) != 0) return INFINITY;
        for (size_t k = 0; k < m; k++) {
            double d = s->pred[k] - y[r0 + k];
            sum += d * d;
        }
    }
    return sum / (double)rows;
}

/* Ten significant digits for the constants the user sees and a model uses. */
static void round_consts(sr_tree *t)
{
    for (int i = 0; i < t->n; i++)
        if (t->nodes[i].kind == SR_CONST) {
            char digits[32];
            snprintf(digits, sizeof digits, "%.10g", t->nodes[i].c);
            t->nodes[i].c = strtod(digits, NULL);
        }
}

static int fill_entry(const sr_world *w, const sr_tree *t, double mse, double var,
                      nd_symreg_entry *e)
{
    sr_tree r = *t;
    round_consts(&r);
    /* Fitted signs may leave n + (-0.8) behind; the simplifier writes n - 0.8. A constant
       rounded to 1 that carries a unit (V + 1·n, the 1 in mV) is kept: simplified away it
       would show V + n, which the units refuse. */
    sr_tree rounded = r;
    sr_simplify(&r, &w->ops, w->vars, w->nvars, ND_SYMREG_MAX_SIZE);
    if (!sr_units_ok(&r, &w->ops, w->dims)) r = rounded;
    e->size = r.n;
    e->mse = mse;
    e->nrmse = sqrt(mse / var);
    e->expr = sr_to_expr(&r, &w->ops, w->vars);
    nd_sb sb;
    nd_sb_init(&sb);
    if (e->expr) nd_expr_text(e->expr, &sb);
    e->text = strdup(nd_sb_str(&sb));
    nd_sb_free(&sb);
    nd_sb_init(&sb);
    if (e->expr) nd_expr_latex(e->expr, &sb);
    e->latex = strdup(nd_sb_str(&sb));
    nd_sb_free(&sb);
    return e->expr && e->text && e->latex ? 0 : -1;
}

static double variance(const double *y, size_t n)
{
    double mean = 0, var = 0;
    for (size_t i = 0; i < n; i++) mean += y[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++) var += (y[i] - mean) * (y[i] - mean);
    return fmax(var / (double)n, 1e-300);
}

nd_symreg_result *sr_result_build(const sr_world *w, const sr_hof *h, const double *X,
                                  const double *y, size_t rows)
{
    nd_symreg_result *r = calloc(1, sizeof *r);
    sr_scratch s = {0};
    double *Xc = NULL, mse[ND_SYMREG_MAX_SIZE + 1];
    if (!r) return NULL;
    r->front = calloc(ND_SYMREG_MAX_SIZE, sizeof *r->front);
    r->nvars = w->nvars;
    for (size_t j = 0; j < w->nvars; j++)
        if (!(r->vars[j] = strdup(w->vars[j]))) goto fail;
    if (!r->front) goto fail;
    double var = w->var_y;
    if (X) {
        if (sr_scratch_init(&s, CHUNK) != 0 || !(Xc = malloc(CHUNK * w->nvars * sizeof *Xc)))
            goto fail;
        var = variance(y, rows);
        r->rows = rows;
    } else {
        r->rows = w->rows;
    }
    double best = INFINITY;
    for (int k = 1; k <= w->o->maxsize; k++) {
        const sr_tree *t = &h->best[k];
        if (!t->n) continue;
        mse[k] = X ? full_mse(w, t, X, y, rows, &s, Xc) : t->loss;
        if (!(mse[k] < best)) continue;
        best = mse[k];
        if (fill_entry(w, t, mse[k], var, &r->front[r->nfront++]) != 0) goto fail;
    }
    sr_scratch_free(&s);
    free(Xc);
    nd_symreg_pick(r, 0);
    return r;
fail:
    sr_scratch_free(&s);
    free(Xc);
    nd_symreg_result_free(r);
    return NULL;
}

void nd_symreg_pick(nd_symreg_result *r, int pick_size)
{
    r->pick = 0;
    if (!r->nfront) return;
    if (pick_size > 0) {
        for (size_t k = 0; k < r->nfront && r->front[k].size <= pick_size; k++) r->pick = k;
        return;
    }
    double best = r->front[r->nfront - 1].nrmse, limit = 1.5 * best + 1e-9;
    for (size_t k = 0; k < r->nfront; k++)
        if (r->front[k].nrmse <= limit) {
            r->pick = k;
            return;
        }
}

void nd_symreg_result_free(nd_symreg_result *r)
{
    if (!r) return;
    for (size_t k = 0; r->front && k < r->nfront; k++) {
        nd_expr_free(r->front[k].expr);
        free(r->front[k].text);
        free(r->front[k].latex);
    }
    free(r->front);
    for (size_t j = 0; j < r->nvars; j++) free(r->vars[j]);
    free(r);
}
