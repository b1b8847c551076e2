/* One dataset solved with its sensitivities. The classical Runge–Kutta step and its
   derivative with respect to the sensitivity columns (the estimated parameters, then the
   segment's starting state):
     Y_s = y + h Σ a_sj K_j,   K_s = f(t_s, Y_s, p),   y' = y + h Σ b_s K_s
     SY_s = S + h Σ a_sj SK_j, SK_s = J_s SY_s + ∂f/∂p_s, S' = S + h Σ b_s SK_s
   which is the exact derivative of the discrete solution, so the gradient and the
   Gauss–Newton matrix built from it are exact for the discretised problem. A step that
   crosses a `when` event is split at it (fit_events.c). */
#include <math.h>
#include <string.h>

#include "fit_impl.h"

size_t fit_exp_nres(const nd_fit *f, size_t k, int single)
{
    const fit_exp *e = &f->ex[k];
    return e->rows * f->nobsv + (single ? 0 : (e->S - 1) * f->n);
}

void fit_pars_at(nd_fit *f, const fit_exp *e, double t)
{
    if (e->stim && e->stim_par >= 0)
        f->p[e->stim_par] = (e->whole ? 0 : nd_model_pars(f->m)[e->stim_par]) +
                            nd_stim_eval(e->stim, t);
}

int fit_step(nd_fit *f, const fit_exp *e, double t, double h, int sens)
{
    size_t n = f->n, ms = f->m_sens, np = f->np;
    const rk_scheme *rk = f->rk;
    for (int s = 0; s < rk->s; s++) {
        double ts = t + rk->c[s] * h;
        memcpy(f->Y, f->y, n * sizeof *f->Y);
        if (sens) memcpy(f->SY, f->Sy, n * ms * sizeof *f->SY);
        for (int j = 0; j < s; j++) {
            double a = h * rk->a[s][j];
            if (a == 0) continue;
            for (size_t i = 0; i < n; i++) f->Y[i] += a * f->K[(size_t)j * n + i];
            if (sens)
                for (size_t i = 0; i < n * ms; i++) f->SY[i] += a * f->SK[(size_t)j * n * ms + i];
        }
        /* The stimulus is read inside the step (its one-sided limits at the ends), so a
           jump on a step boundary — the steps divide the sample intervals — is taken
           exactly instead of leaking into the step before it. */
        fit_pars_at(f, e, t + fmin(fmax(rk->c[s], 1e-9), 1 - 1e-9) * h);
        double *K = f->K + (size_t)s * n;
        if (nd_model_rhs(f->m, ts, f->Y, f->p, K)) return -1;
        if (!sens) continue;
        if (nd_model_jac(f->m, ts, f->Y, f->p, f->Jy) || nd_model_jacp(f->m, ts, f->Y, f->p, f->Jp))
            return -1;
        double *SK = f->SK + (size_t)s * n * ms;
        for (size_t i = 0; i < n; i++) {
            double *row = SK + i * ms;
            for (size_t c = 0; c < ms; c++) row[c] = 0;
            for (size_t r = 0; r < n; r++) {
                double jv = f->Jy[i * n + r];
                if (jv == 0) continue;
                const double *sy = f->SY + r * ms;
                for (size_t c = 0; c < ms; c++) row[c] += jv * sy[c];
            }
            for (size_t c = 0; c < np; c++) row[c] += f->Jp[i * f->npar + (size_t)f->pidx[c]];
        }
    }
    for (int s = 0; s < rk->s; s++) {
        double b = h * rk->b[s];
        if (b == 0) continue;
        for (size_t i = 0; i < n; i++) f->y[i] += b * f->K[(size_t)s * n + i];
        if (sens)
            for (size_t i = 0; i < n * ms; i++) f->Sy[i] += b * f->SK[(size_t)s * n * ms + i];
    }
    for (size_t i = 0; i < n; i++)
        if (!isfinite(f->y[i]) || fabs(f->y[i]) > 1e12) return -1;
    return 0;
}

/* Writes sample j's residuals (and Jacobian rows) from the current y and Sy; seg: the
   segment (its start's θ columns), 0 for the first, whose start is fixed. */
static void sample_rows(nd_fit *f, const fit_exp *e, size_t j, size_t seg, double *r, double *J,
                        size_t ld)
{
    size_t ms = f->m_sens;
    for (size_t q = 0; q < f->nobsv; q++) {
        size_t row = j * f->nobsv + q, i = (size_t)f->obs[q];
        double d = e->d[row];
        int ok = isfinite(d);
        r[row] = ok ? f->y[i] - d : 0;
        if (!J) continue;
        double *Jr = J + row * ld;
        memset(Jr, 0, ld * sizeof *Jr);
        if (ok) fit_sens_row_add(f, e, seg, f->Sy + i * ms, 1, Jr);
    }
}

void fit_sens_row_add(const nd_fit *f, const fit_exp *e, size_t seg, const double *srow,
                      double w, double *Jr)
{
    for (size_t c = 0; c < f->np; c++) Jr[c] += w * srow[c];
    if (seg > 0)
        for (size_t c = 0; c < f->n; c++)
            Jr[e->theta_off + (seg - 1) * f->n + c] += w * srow[f->np + c] * f->sc[c];
}

int fit_solve(nd_fit *f, size_t k, int single, double *r, double *J, size_t ld)
{
    fit_exp *e = &f->ex[k];
    size_t n = f->n, ms = f->m_sens, S = single ? 1 : e->S;
    int sens = J != NULL;
    memcpy(f->p, nd_model_pars(f->m), f->npar * sizeof *f->p);
    f->nevents = 0;
    size_t crow = e->rows * f->nobsv;   /* the first continuity residual */
    for (size_t s = 0; s < S; s++) {
        size_t j0 = e->seg[s], j1 = single ? e->rows - 1 : e->seg[s + 1];
        memcpy(f->y, e->starts + s * n, n * sizeof *f->y);
        f->njump = 0;
        if (sens) {
            memset(f->Sy, 0, n * ms * sizeof *f->Sy);
            for (size_t i = 0; i < n; i++) f->Sy[i * ms + f->np + i] = 1;
        }
        if (s == 0) {
            sample_rows(f, e, 0, 0, r, J, ld);
            if (f->traj) memcpy(f->traj, f->y, n * sizeof *f->y);
        }
        for (size_t j = j0; j < j1; j++) {
            double h = (e->t[j + 1] - e->t[j]) / (double)e->sub[j];
            for (size_t m = 0; m < e->sub[j]; m++)
                if (fit_step_events(f, e, e->t[j] + (double)m * h, h, sens)) return -1;
            sample_rows(f, e, j + 1, s, r, J, ld);
            if (f->nm) f->nm[j + 1] = f->njump;
            if (f->traj) memcpy(f->traj + (j + 1) * n, f->y, n * sizeof *f->y);
        }
        if (e->dev) fit_lift(f, e, j0, j1, s, r, J, ld);
        if (s + 1 == S) break;
        /* The jump to the next segment's start, normalised by each state's scale. */
        const double *next = e->starts + (s + 1) * n;
        for (size_t i = 0; i < n; i++) {
            size_t row = crow + s * n + i;
            double w = e->cw * f->dscale / f->sc[i];
            r[row] = w * (f->y[i] - next[i]);
            if (!J) continue;
            double *Jr = J + row * ld;
            memset(Jr, 0, ld * sizeof *Jr);
            for (size_t c = 0; c < f->np; c++) Jr[c] = w * f->Sy[i * ms + c];
            if (s > 0)
                for (size_t c = 0; c < n; c++)
                    Jr[e->theta_off + (s - 1) * n + c] = w * f->Sy[i * ms + f->np + c] * f->sc[c];
            Jr[e->theta_off + s * n + i] -= w * f->sc[i];
        }
    }
    return 0;
}
