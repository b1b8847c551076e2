/* The Jacobian of the observed predictions by one adjoint per sample (ude_fit_jac.h). With
   the data replaced by the prediction itself (plus the lifts across resets) every residual
   is 0; moving one datum by its scale makes that sample's normalised residual exactly 1,
   and what the gradient gains over the all-zero one (continuity and L2 terms do not depend
   on the data) is 2/N times ∂(ŷ/scale)/∂θ of that sample. */
#include "ude_fit_jac.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ude_fit_impl.h"

void nd_ude_fit_jac_free(nd_ude_fit_jac *jac)
{
    free(jac->J), free(jac->res), free(jac->data), free(jac->scale), free(jac->t), free(jac->exp), free(jac->state);
    memset(jac, 0, sizeof *jac);
}

/* The rows of one single-dataset fit g at its θ th (ntheta values), appended to jac. */
static nd_status one(nd_ude_fit *g, const double *th, size_t first, size_t k, double *gb,
                     double *gk, nd_ude_fit_jac *jac, nd_error *err)
{
    size_t n = g->n, R = g->rows, p = jac->p;
    double L, *d0 = malloc((R * n + 1) * sizeof *d0);
    size_t *pos = malloc((g->nobs + 1) * sizeof *pos);   /* each row's datum, j·n + i */
    if (!d0 || !pos) {
        free(d0), free(pos);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    memcpy(d0, g->d, R * n * sizeof *d0);
    nd_status st = ND_OK;
    if (nd_ude_fit_loss(g, th, &L, NULL)) st = ND_ESOLVER;
    size_t r0 = jac->rows;
    for (size_t j = 0; st == ND_OK && j < R; j++)
        for (size_t i = 0; i < n; i++) {
            double d = g->d[j * n + i];
            if (!g->observed[i] || !isfinite(d)) continue;
            if (jac->rows - r0 == g->nobs) break;   /* (cannot happen: nobs counts them) */
            size_t r = jac->rows++;
            pos[r - r0] = j * n + i;
            jac->res[r] = g->res[j * n + i] / g->sc[i];
            jac->data[r] = d;
            jac->scale[r] = g->sc[i];
            jac->t[r] = g->t[j];
            jac->exp[r] = k;
            jac->state[r] = i;
            g->d[j * n + i] = d + g->res[j * n + i];   /* the residual 0 */
        }
    if (st == ND_OK && nd_ude_fit_loss(g, th, &L, gb)) st = ND_ESOLVER;
    double w = (double)g->nobs / 2;
    for (size_t r = r0; st == ND_OK && r < jac->rows; r++) {
        double *d = &g->d[pos[r - r0]], keep = *d;
        *d = keep - g->sc[jac->state[r]];
        if (nd_ude_fit_loss(g, th, &L, gk)) st = ND_ESOLVER;
        *d = keep;
        for (size_t a = 0; st == ND_OK && a < p; a++)
            jac->J[r * p + a] = w * (gk[first + a] - gb[first + a]);
    }
    memcpy(g->d, d0, R * n * sizeof *d0);
    free(d0);
    free(pos);
    if (nd_ude_fit_loss(g, th, &L, NULL) && st == ND_OK) st = ND_ESOLVER;
    return st == ND_ESOLVER ? nd_error_fail(err, ND_ESOLVER, "the loss could not be evaluated "
                                            "at the trained weights") : st;
}

static size_t count(const nd_ude_fit *g)
{
    return g->nparts ? 0 : g->nobs;
}

nd_status nd_ude_fit_jacobian(nd_ude_fit *f, const double *theta, size_t first, size_t p,
                              nd_ude_fit_jac *jac, nd_error *err)
{
    memset(jac, 0, sizeof *jac);
    size_t N = count(f), nt = f->ntheta;
    for (size_t k = 0; k < f->nparts; k++) {
        N += count(f->part[k]);
        if (f->part[k]->ntheta > nt) nt = f->part[k]->ntheta;
    }
    jac->p = p;
    jac->J = malloc((N * p + 1) * sizeof *jac->J);
    jac->res = malloc((N + 1) * sizeof *jac->res);
    jac->data = malloc((N + 1) * sizeof *jac->data);
    jac->scale = malloc((N + 1) * sizeof *jac->scale);
    jac->t = malloc((N + 1) * sizeof *jac->t);
    jac->exp = malloc((N + 1) * sizeof *jac->exp);
    jac->state = malloc((N + 1) * sizeof *jac->state);
    double *gb = malloc((nt + 1) * sizeof *gb), *gk = malloc((nt + 1) * sizeof *gk);
    nd_status st = ND_OK;
    if (!jac->J || !jac->res || !jac->data || !jac->scale || !jac->t || !jac->exp || !jac->state || !gb || !gk)
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK && !f->nparts) st = one(f, theta, first, 0, gb, gk, jac, err);
    size_t off = f->npar_net;
    for (size_t k = 0; st == ND_OK && k < f->nparts; k++) {
        /* first lies in the shared network head, the same place in every part's θ */
        ude_multi_part_theta(f, k, theta, off);
        double *th = malloc((f->part[k]->ntheta + 1) * sizeof *th);
        if (!th) {
            st = nd_error_fail(err, ND_ENOMEM, "out of memory");
            break;
        }
        memcpy(th, f->pth, f->part[k]->ntheta * sizeof *th);
        st = one(f->part[k], th, first, k, gb, gk, jac, err);
        free(th);
        off += f->part[k]->ntheta - f->npar_net;
    }
    free(gb);
    free(gk);
    if (st != ND_OK) nd_ude_fit_jac_free(jac);
    return st;
}
