/* The saltation matrix of an event (see saltation.h for the formula and its sources). */
#include "saltation.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/root.h"

int nd_salt_init(nd_salt *s, const nd_model *m)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE), np = nd_model_count(m, ND_MODEL_PAR);
    size_t w = 1 + n + np;
    *s = (nd_salt){.n = n, .npar = np};
    s->Sy = malloc(n * n * sizeof *s->Sy);
    s->Sp = malloc((n * np > 0 ? n * np : 1) * sizeof *s->Sp);
    s->ty = malloc(n * sizeof *s->ty);
    s->tp = malloc((np ? np : 1) * sizeof *s->tp);
    s->dg = malloc(w * sizeof *s->dg);
    s->D = malloc(n * w * sizeof *s->D);
    if (s->Sy && s->Sp && s->ty && s->tp && s->dg && s->D) return 0;
    nd_salt_free(s);
    return -1;
}

void nd_salt_free(nd_salt *s)
{
    free(s->Sy), free(s->Sp), free(s->ty), free(s->tp), free(s->dg), free(s->D);
    *s = (nd_salt){0};
}

int nd_salt_load(nd_salt *s, const nd_model *m, size_t k, double t, const double *p,
                 const double *ym)
{
    return nd_model_event_grad(m, k, t, ym, p, s->dg) || nd_model_reset_jac(m, k, t, ym, p, s->D)
               ? -1 : 0;
}

/* Whether the crossing rate den (of magnitude scale) is too small for the event time to
   be differentiable. */
static int grazing(double den, double scale)
{
    return !(fabs(den) > 1e3 * DBL_EPSILON * scale);
}

int nd_salt_compute(nd_salt *s, const nd_model *m, size_t k, double t, const double *p,
                    const double *ym, const double *fm, const double *fp)
{
    size_t n = s->n, np = s->npar, w = 1 + n + np;
    if (nd_salt_load(s, m, k, t, p, ym)) return -1;
    const double *gy = s->dg + 1, *gp = s->dg + 1 + n;
    double den = s->dg[0], scale = fabs(s->dg[0]);
    for (size_t i = 0; i < n; i++) den += gy[i] * fm[i], scale += fabs(gy[i] * fm[i]);
    /* A crossing at a vanishing rate: the event time is not differentiable. */
    if (grazing(den, scale)) return -1;
    for (size_t j = 0; j < n; j++) s->ty[j] = -gy[j] / den;
    for (size_t j = 0; j < np; j++) s->tp[j] = -gp[j] / den;
    for (size_t i = 0; i < n; i++) {
        const double *Di = s->D + i * w;
        /* v_i = f⁺ − H_y f⁻ − H_t: how the state after the event moves when t* moves. */
        double v = fp[i] - Di[0];
        for (size_t j = 0; j < n; j++) v -= Di[1 + j] * fm[j];
        for (size_t j = 0; j < n; j++) s->Sy[i * n + j] = Di[1 + j] - v * s->ty[j];
        for (size_t j = 0; j < np; j++) s->Sp[i * np + j] = Di[1 + n + j] - v * s->tp[j];
    }
    return 0;
}

void nd_salt_forward(const nd_salt *s, double *S, size_t ms, const int *col, double *work)
{
    size_t n = s->n;
    memcpy(work, S, n * ms * sizeof *work);
    for (size_t i = 0; i < n; i++) {
        double *row = S + i * ms;
        for (size_t c = 0; c < ms; c++) {
            double v = col[c] >= 0 ? s->Sp[i * s->npar + (size_t)col[c]] : 0;
            for (size_t j = 0; j < n; j++) v += s->Sy[i * n + j] * work[j * ms + c];
            row[c] = v;
        }
    }
}

double nd_salt_reset_adjoint(const nd_salt *s, const double *lp, const double *c, double *lm,
                             double *mu)
{
    size_t n = s->n, np = s->npar, w = 1 + n + np;
    double tbar = 0;
    for (size_t j = 0; j < n; j++) lm[j] = c ? c[j] : 0;
    for (size_t i = 0; i < n; i++) {
        double l = lp[i] - (c ? c[i] : 0);
        if (l == 0) continue;
        const double *Di = s->D + i * w;
        tbar += Di[0] * l;
        for (size_t j = 0; j < n; j++) lm[j] += Di[1 + j] * l;
        for (size_t j = 0; mu && j < np; j++) mu[j] += Di[1 + n + j] * l;
    }
    return tbar;
}

int nd_salt_time_adjoint(const nd_salt *s, double tbar, const double *dphi, double *lm,
                         double *mu)
{
    size_t n = s->n, np = s->npar;
    const double *gy = s->dg + 1, *gp = s->dg + 1 + n;
    double den = s->dg[0], scale = fabs(s->dg[0]), num = tbar;
    for (size_t i = 0; i < n; i++) {
        den += gy[i] * dphi[i], scale += fabs(gy[i] * dphi[i]);
        num += lm[i] * dphi[i];
    }
    if (grazing(den, scale)) return -1;
    double lambda = -num / den;
    for (size_t i = 0; i < n; i++) lm[i] += lambda * gy[i];
    for (size_t j = 0; mu && j < np; j++) mu[j] += lambda * gp[j];
    return 0;
}

typedef struct crossing {
    nd_salt_event_fn g;
    void *ctx;
    size_t k;
} crossing;

static double event_at(void *ctx, double s)
{
    crossing *c = ctx;
    return c->g(c->ctx, c->k, s);
}

int nd_salt_first_crossing(size_t nw, const double *ga, const double *gb, double len,
                           nd_salt_event_fn g, void *ctx, double *s, size_t *k)
{
    double best = INFINITY;
    crossing c = {g, ctx, 0};
    for (c.k = 0; c.k < nw; c.k++) {
        if (!(ga[c.k] < 0 && gb[c.k] >= 0)) continue;
        double r;
        if (nd_root_illinois(event_at, &c, 0, ga[c.k], len, gb[c.k], 1e-15 * len + 1e-300,
                             200, &r))
            return -1;
        if (r < best) best = r, *k = c.k;
    }
    if (best == INFINITY) return 0;
    *s = best;
    return 1;
}
