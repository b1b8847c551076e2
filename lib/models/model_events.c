/* The derivatives of the `when`s: each event function g_k and each reset assignment
   differentiated by t, every state and every parameter, so that a sensitivity or adjoint
   can cross an event (the saltation matrix, lib/learn/saltation.c). Like the Jacobians
   they are optional: a when whose expressions cannot be differentiated is left without
   them, and the callers that need them say so. */
#include <stdlib.h>
#include <string.h>

#include "../expr/diff.h"
#include "model_impl.h"

/* Compiles the derivatives of e[0..ne) by [t, states, parameters] (row-major, one row of
   1 + n + np per expression) into *code; leaves *code NULL when one cannot be taken. */
static nd_status derivs(md_def *d, nd_expr *const *e, size_t ne, nd_code **code, nd_error *err)
{
    size_t n = d->list[ND_MODEL_STATE].count, np = d->list[ND_MODEL_PAR].count, w = 1 + n + np;
    nd_expr **D = calloc(ne * w > 0 ? ne * w : 1, sizeof *D);
    if (!D) return nd_error_fail(err, ND_ENOMEM, "out of memory while differentiating the model");
    nd_error derr;
    nd_error_clear(&derr);
    int ok = 1;
    for (size_t i = 0; ok && i < ne; i++)
        for (size_t j = 0; ok && j < w; j++) {
            const char *var = j == 0 ? "t" : j <= n ? d->list[ND_MODEL_STATE].items[j - 1].name
                                                    : d->list[ND_MODEL_PAR].items[j - 1 - n].name;
            ok = (D[i * w + j] = nd_expr_diff(e[i], var, &derr)) != NULL;
        }
    nd_status st = ND_OK;
    if (ok && ne && !(*code = nd_code_compile((const nd_expr *const *)D, ne * w, md_resolve, d, err)))
        st = err && err->code ? err->code : ND_EINTERNAL;
    else if (!ok && derr.code == ND_ENOMEM)
        st = nd_error_fail(err, ND_ENOMEM, "%s", derr.msg);
    for (size_t i = 0; i < ne * w; i++) nd_expr_free(D[i]);
    free(D);
    return st;
}

nd_status md_event_derivs(md_def *d, nd_expr *const *g, nd_error *err)
{
    nd_status st = ND_OK;
    for (size_t k = 0; k < d->nwhens && !st; k++) st = derivs(d, &g[k], 1, &d->whens[k].dg, err);
    return st;
}

nd_status md_reset_derivs(md_def *d, md_when *w, nd_expr *const *v, nd_error *err)
{
    return derivs(d, v, w->nassign, &w->dreset, err);
}

int nd_model_has_event_derivs(const nd_model *m)
{
    for (size_t k = 0; k < m->def->nwhens; k++)
        if (!m->def->whens[k].dg || !m->def->whens[k].dreset) return 0;
    return 1;
}

int nd_model_event_grad(const nd_model *m, size_t k, double t, const double *y, const double *p,
                        double *dg)
{
    if (k >= m->def->nwhens || !m->def->whens[k].dg) return -1;
    return md_run(m, m->def->whens[k].dg, t, y, p, dg);
}

int nd_model_reset_jac(const nd_model *m, size_t k, double t, const double *y, const double *p,
                       double *D)
{
    const md_def *d = m->def;
    if (k >= d->nwhens || !d->whens[k].dreset) return -1;
    const md_when *w = &d->whens[k];
    size_t n = d->list[ND_MODEL_STATE].count, wd = 1 + n + d->list[ND_MODEL_PAR].count;
    double *rows = malloc((w->nassign ? w->nassign : 1) * wd * sizeof *rows);
    if (!rows || md_run(m, w->dreset, t, y, p, rows)) {
        free(rows);
        return -1;
    }
    /* A state the reset does not assign keeps its value: an identity row. */
    memset(D, 0, n * wd * sizeof *D);
    for (size_t i = 0; i < n; i++) D[i * wd + 1 + i] = 1;
    for (size_t a = 0; a < w->nassign; a++)
        memcpy(D + w->state[a] * wd, rows + a * wd, wd * sizeof *D);
    free(rows);
    return 0;
}
