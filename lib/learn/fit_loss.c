/* θ and the parameters, the residuals of every dataset with their Jacobian, and the loss
   ‖r‖²/nobs with its gradient 2Jᵀr/nobs (an nd_objective). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit_impl.h"

double fit_tf_value(const nd_fit *f, size_t i, double th, double *dp)
{
    double lo = f->lo[i], hi = f->hi[i], e;
    switch (f->tf[i]) {
    case FIT_TF_LOWER: e = exp(th); *dp = e; return lo + e;
    case FIT_TF_UPPER: e = exp(th); *dp = -e; return hi - e;
    case FIT_TF_BOTH: {
        double s = 1 / (1 + exp(-th));
        *dp = (hi - lo) * s * (1 - s);
        return lo + (hi - lo) * s;
    }
    default: *dp = 1; return th;
    }
}

double fit_tf_theta(const nd_fit *f, size_t i, double v)
{
    double lo = f->lo[i], hi = f->hi[i];
    switch (f->tf[i]) {
    case FIT_TF_LOWER: return log(v - lo);
    case FIT_TF_UPPER: return log(hi - v);
    case FIT_TF_BOTH: { double s = (v - lo) / (hi - lo); return log(s / (1 - s)); }
    default: return v;
    }
}

void nd_fit_theta(const nd_fit *f, double *theta)
{
    for (size_t i = 0; i < f->np; i++) theta[i] = fit_tf_theta(f, i, f->value[i]);
    for (size_t k = 0; k < f->ndata; k++) {
        const fit_exp *e = &f->ex[k];
        for (size_t s = 1; !f->single && s < e->S; s++)
            for (size_t i = 0; i < f->n; i++)
                theta[e->theta_off + (s - 1) * f->n + i] = e->starts[s * f->n + i] / f->sc[i];
    }
}

void nd_fit_set_theta(nd_fit *f, const double *theta)
{
    for (size_t i = 0; i < f->np; i++) {
        double dp;
        f->value[i] = fit_tf_value(f, i, theta[i], &dp);
        nd_model_set_par(f->m, nd_fit_param_name(f, i), f->value[i], NULL);
    }
    for (size_t k = 0; k < f->ndata; k++) {
        fit_exp *e = &f->ex[k];
        for (size_t s = 1; !f->single && s < e->S; s++)
            for (size_t i = 0; i < f->n; i++)
                e->starts[s * f->n + i] = f->sc[i] * theta[e->theta_off + (s - 1) * f->n + i];
    }
}

int nd_fit_residuals(nd_fit *f, const double *theta, double *r, double *J, int natural)
{
    nd_fit_set_theta(f, theta);
    size_t ld = f->ntheta;
    for (size_t k = 0; k < f->ndata; k++) {
        size_t off = f->ex[k].res_off;
        if (fit_solve(f, k, f->single, r + off, J ? J + off * ld : NULL, ld)) return -1;
    }
    /* A held parameter's column is zero: no search direction moves it. */
    for (size_t c = 0; J && c < f->np; c++) {
        double dp = 1;
        if (!natural) fit_tf_value(f, c, theta[c], &dp);
        if (f->fixed[c]) dp = 0;
        if (dp != 1)
            for (size_t row = 0; row < f->nres; row++) J[row * ld + c] *= dp;
    }
    return 0;
}

int nd_fit_loss(void *fit, const double *theta, double *loss, double *grad)
{
    nd_fit *f = fit;
    size_t N = f->nres, P = f->ntheta;
    double *r = malloc(N * sizeof *r), *J = grad ? malloc(N * P * sizeof *J) : NULL;
    int bad = !r || (grad && !J) || nd_fit_residuals(f, theta, r, J, 0);
    if (!bad) {
        double s = 0;
        for (size_t i = 0; i < N; i++) s += r[i] * r[i];
        *loss = s / (double)f->nobs;
        bad = !isfinite(*loss);
        if (grad && !bad) {
            memset(grad, 0, P * sizeof *grad);
            for (size_t i = 0; i < N; i++) {
                double w = 2 * r[i] / (double)f->nobs;
                if (w != 0)
                    for (size_t c = 0; c < P; c++) grad[c] += w * J[i * P + c];
            }
        }
    }
    free(r);
    free(J);
    return bad ? 1 : 0;
}

double fit_ssr_single(nd_fit *f)
{
    double ssr = 0;
    for (size_t k = 0; k < f->ndata; k++) {
        size_t N = fit_exp_nres(f, k, 1);
        double *r = malloc(N * sizeof *r);
        int bad = !r || fit_solve(f, k, 1, r, NULL, 0);
        for (size_t i = 0; !bad && i < N; i++) ssr += r[i] * r[i];
        free(r);
        if (bad) return NAN;
    }
    return ssr;
}

size_t nd_fit_trajectory(nd_fit *f, size_t k, size_t j, double *out, const char **name)
{
    const fit_exp *e = &f->ex[k];
    size_t n = f->n, i = (size_t)f->obs[j];
    if (name) *name = nd_model_item_at(f->m, ND_MODEL_STATE, i)->name;
    double *r = malloc(fit_exp_nres(f, k, 1) * sizeof *r);
    f->traj = malloc(e->rows * n * sizeof *f->traj);
    int bad = !r || !f->traj || fit_solve(f, k, 1, r, NULL, 0);
    for (size_t q = 0; !bad && q < e->rows; q++) out[q] = f->traj[q * n + i];
    free(r);
    free(f->traj);
    f->traj = NULL;
    return bad ? 0 : e->rows;
}
