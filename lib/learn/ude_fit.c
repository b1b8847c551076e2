/* The training loss of a UDE on a dataset and its exact gradient.

   The hybrid is integrated on a fixed grid (each sample interval split into equal
   substeps) by an explicit Runge–Kutta scheme, optionally in segments whose starting
   states are trained too (multiple shooting). The gradient is the discrete adjoint of
   that scheme, so it is exact for the discretised problem:
     forward  K_s = f(t + c_s h, Y_s),  Y_s = y + h Σ_{j<s} a_sj K_j,  y' = y + h Σ b_s K_s
     reverse  K̄_s = h b_s ȳ',  then for s = last..first:  Ȳ_s = J_sᵀ K̄_s,  ȳ += Ȳ_s,
              K̄_j += h a_sj Ȳ_s (j < s),  and the network output's cotangent F_sᵀ K̄_s.
   The network is evaluated one sample at a time along the solve (the stages depend on
   each other), but everything the adjoint needs from it afterwards — its input Jacobian at
   every stage and the parameter gradient — is computed in batches over all stages. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ude_fit_impl.h"

void nd_ude_fit_free(nd_ude_fit *f)
{
    if (!f) return;
    for (size_t k = 0; k < f->nparts; k++) nd_ude_fit_free(f->part[k]);
    free(f->part), free(f->pth), free(f->pgr);
    ude_eval_free(&f->ev);
    ude_params_free(f);
    ude_events_free(f);
    free(f->Fp);
    nd_stim_free(f->stim);
    nd_mlp_work_free(f->wb);
    nd_mlp_work_free(f->wc);
    free(f->Xc), free(f->Zc), free(f->Dc);
    free(f->t), free(f->d), free(f->observed), free(f->sub), free(f->seg);
    free(f->c), free(f->sc), free(f->Jm), free(f->Fz), free(f->dzdx), free(f->DZ);
    free(f->E), free(f->DX), free(f->Kt), free(f->ypred), free(f->yend), free(f->starts);
    free(f->K), free(f->Ys), free(f->ybar), free(f->Kbar), free(f->Ybar), free(f->dy);
    free(f);
}

size_t nd_ude_fit_nparams(const nd_ude_fit *f) { return f->ntheta; }
nd_ude_fit_parts nd_ude_fit_last(const nd_ude_fit *f) { return f->last; }

/* ---- the forward solve ---- */

/* Stage time and state of stage s of the step from (t, y) with step h. */
static void stage_state(const nd_ude_fit *f, int s, double h, const double *y, double *Ys)
{
    size_t n = f->n;
    memcpy(Ys, y, n * sizeof *Ys);
    for (int j = 0; j < s; j++) {
        double a = f->rk->a[s][j];
        if (a != 0)
            for (size_t i = 0; i < n; i++) Ys[i] += h * a * f->K[j * n + i];
    }
}

/* Linear interpolation of observed column i between samples j and j + 1. */
static double data_at(const nd_ude_fit *f, size_t j, size_t i, double t)
{
    double d0 = f->d[j * f->n + i], d1 = f->d[(j + 1) * f->n + i];
    if (!isfinite(d1)) return d0;
    if (!isfinite(d0)) return d1;
    double w = (t - f->t[j]) / (f->t[j + 1] - f->t[j]);
    return d0 + w * (d1 - d0);
}

int ude_rk_step(nd_ude_fit *f, size_t j, double t, double h, double *y, int record, size_t q,
                int forced)
{
    size_t n = f->n;
    for (int s = 0; s < f->rk->s; s++) {
        double ts = t + f->rk->c[s] * h;
        stage_state(f, s, h, y, f->Ys);
        if (forced)
            for (size_t i = 0; i < n; i++)
                if (f->observed[i]) f->Ys[i] = data_at(f, j, i, ts);
        double *K = f->K + (size_t)s * n;
        if (!record) {
            if (ude_eval_rhs(&f->ev, ts, f->Ys, K)) return -1;
        } else {
            /* The network's activations stay in row `at` of the batch workspace, for the
               batched reverse passes after the solve. */
            size_t at = q + (size_t)s;
            ude_eval_inputs(&f->ev, ts, f->Ys);
            nd_mlp_forward_row(f->u->net, f->ev.x, f->ev.z, f->wb, at);
            ude_eval_outputs(&f->ev);
            if (nd_model_rhs(f->u->open, ts, f->Ys, f->ev.p, K) ||
                nd_model_jac(f->u->open, ts, f->Ys, f->ev.p, f->Jm + at * n * n) ||
                nd_model_jacp(f->u->open, ts, f->Ys, f->ev.p, f->ev.Jp))
                return -1;
            if (f->nphys) ude_params_tape(f, at, f->ev.Jp, f->ev.npar);
            memcpy(f->Kt + at * n, K, n * sizeof *K);
            double *Fz = f->Fz + at * n * f->nout;
            for (size_t i = 0; i < n; i++)
                for (size_t k = 0; k < f->nout; k++)
                    Fz[i * f->nout + k] = f->ev.Jp[i * f->ev.npar + f->u->rep_par[k]];
        }
    }
    for (int s = 0; s < f->rk->s; s++) {
        double b = f->rk->b[s];
        if (b != 0)
            for (size_t i = 0; i < n; i++) y[i] += h * b * f->K[(size_t)s * n + i];
    }
    for (size_t i = 0; i < n; i++)
        if (!isfinite(y[i]) || fabs(y[i]) > 1e12) return -1;
    if (forced)
        for (size_t i = 0; i < n; i++)
            if (f->observed[i] && isfinite(f->d[(j + 1) * n + i])) y[i] = f->d[(j + 1) * n + i];
    return 0;
}

/* Integrates every segment from its start, filling ypred and yend, the record of steps
   and events (and the tape). */
static int forward_once(nd_ude_fit *f, int record)
{
    size_t n = f->n, q = 0;
    double *y = f->dy;   /* scratch */
    f->nent = f->nev = 0;
    f->short_tape = 0;
    memcpy(f->ypred, f->starts, n * sizeof *f->ypred);
    for (size_t k = 0; k < f->S; k++) {
        f->segev[k] = f->nev;
        memcpy(y, f->starts + k * n, n * sizeof *y);
        for (size_t j = f->seg[k]; j < f->seg[k + 1]; j++) {
            double h = (f->t[j + 1] - f->t[j]) / (double)f->sub[j];
            f->first[j] = f->nent;
            for (size_t m = 0; m < f->sub[j]; m++)
                if (ude_step(f, j, f->t[j] + (double)m * h, h, y, record, &q)) return -1;
            memcpy(f->ypred + (j + 1) * n, y, n * sizeof *y);
            f->nm[j + 1] = f->nev - f->segev[k];
        }
        memcpy(f->yend + k * n, y, n * sizeof *y);
    }
    f->first[f->rows - 1] = f->nent;
    f->segev[f->S] = f->nev;
    f->nq = q;
    return 0;
}

/* forward_once, again on a longer tape when the events made the recording outgrow it. */
static int forward(nd_ude_fit *f, int record)
{
    if (forward_once(f, record)) return -1;
    if (!record || !f->short_tape) return 0;
    if (ude_tape_reserve(f, f->nq + f->nq / 4 + (size_t)f->rk->s, NULL)) return -1;
    return forward_once(f, record);
}

/* ---- the loss and its adjoint ---- */

void ude_fit_set_theta(nd_ude_fit *f, const double *theta)
{
    if (f->nparts) {
        ude_multi_set_theta(f, theta);
        return;
    }
    nd_mlp_set_params(f->u->net, theta);
    if (f->nphys) ude_params_set(f, theta);
    size_t n = f->n;
    for (size_t k = 1; k < f->S; k++)
        for (size_t i = 0; i < n; i++)
            f->starts[k * n + i] = f->c[i] + f->sc[i] * theta[f->npar_net + (k - 1) * n + i];
}

void nd_ude_fit_theta(const nd_ude_fit *f, double *theta)
{
    if (f->nparts) {
        ude_multi_theta(f, theta);
        return;
    }
    memcpy(theta, nd_mlp_params(f->u->net), f->nmlp * sizeof *theta);
    if (f->nphys) ude_params_get(f, theta);
    size_t n = f->n;
    for (size_t k = 1; k < f->S; k++)
        for (size_t i = 0; i < n; i++)
            theta[f->npar_net + (k - 1) * n + i] =
                (f->starts[k * n + i] - f->c[i]) / f->sc[i];
}

/* Adds ∂(data loss)/∂y at sample j to ybar. */
static void add_data_grad(const nd_ude_fit *f, size_t j, double *ybar)
{
    size_t n = f->n;
    for (size_t i = 0; i < n; i++) {
        double d = f->d[j * n + i];
        if (f->observed[i] && isfinite(d))
            ybar[i] += 2 * f->res[j * n + i] / (f->sc[i] * f->sc[i] * (double)f->nobs);
    }
}

void ude_rk_adjoint(nd_ude_fit *f, double h, size_t q, double *ybar)
{
    size_t n = f->n, nout = f->nout, nin = f->nin;
    int S = f->rk->s;
    for (int s = 0; s < S; s++)
        for (size_t i = 0; i < n; i++) f->Kbar[(size_t)s * n + i] = h * f->rk->b[s] * ybar[i];
    for (int s = S - 1; s >= 0; s--) {
        size_t at = q + (size_t)s;
        const double *Kb = f->Kbar + (size_t)s * n, *J = f->Jm + at * n * n;
        const double *Fz = f->Fz + at * n * nout, *D = f->dzdx + at * nout * nin;
        double *dz = f->DZ + at * nout;
        for (size_t i = 0; i < n; i++) {
            double acc = 0;
            for (size_t r = 0; r < n; r++) acc += J[r * n + i] * Kb[r];
            f->Ybar[i] = acc;
        }
        for (size_t k = 0; k < nout; k++) {
            double acc = 0;
            for (size_t r = 0; r < n; r++) acc += Fz[r * nout + k] * Kb[r];
            dz[k] = acc;
            if (acc != 0)
                for (size_t m = 0; m < nin; m++)
                    if (f->u->in_kind[m] == UDE_IN_STATE)
                        f->Ybar[f->u->in_index[m]] += acc * D[k * nin + m];
        }
        if (f->nphys) ude_params_adjoint(f, at, Kb);
        for (size_t i = 0; i < n; i++) ybar[i] += f->Ybar[i];
        for (int j = 0; j < s; j++) {
            double a = f->rk->a[s][j];
            if (a != 0)
                for (size_t i = 0; i < n; i++) f->Kbar[(size_t)j * n + i] += h * a * f->Ybar[i];
        }
    }
}

/* The network's input Jacobian at every taped stage, in one batch per output. */
static int batch_jacobians(nd_ude_fit *f)
{
    size_t N = f->nq, nout = f->nout, nin = f->nin;
    if (nd_mlp_work_set_batch(f->wb, N)) return -1;
    for (size_t k = 0; k < nout; k++) {
        memset(f->E, 0, N * nout * sizeof *f->E);
        for (size_t q = 0; q < N; q++) f->E[q * nout + k] = 1;
        if (nd_mlp_backward(f->u->net, f->wb, N, f->E, NULL, f->DX)) return -1;
        for (size_t q = 0; q < N; q++)
            memcpy(f->dzdx + (q * nout + k) * nin, f->DX + q * nin, nin * sizeof *f->DX);
    }
    return 0;
}

int nd_ude_fit_loss(void *fit, const double *theta, double *loss, double *grad)
{
    nd_ude_fit *f = fit;
    if (f->nparts) return ude_multi_loss(f, theta, loss, grad);
    size_t n = f->n, S = f->S, P = f->npar_net, M = f->nmlp;   /* L2: the network's alone */
    if (f->colloc) {
        double l2 = 0;
        for (size_t i = 0; i < M; i++) l2 += f->l2 * theta[i] * theta[i];
        *loss = l2;
        if (grad) {
            memset(grad, 0, f->ntheta * sizeof *grad);
            for (size_t i = 0; i < M; i++) grad[i] = 2 * f->l2 * theta[i];
        }
        if (ude_colloc_add(f, theta, 1, loss, grad)) return 1;
        f->last = (nd_ude_fit_parts){*loss - l2, 0, 0, l2, 0};
        return 0;
    }
    ude_fit_set_theta(f, theta);
    if (forward(f, grad != NULL)) return 1;
    double data = 0, cont = 0, l2 = 0;
    /* Sample j > 0 belongs to the segment that ends at or after it. */
    for (size_t k = 0; k < S; k++)
        for (size_t j = k ? f->seg[k] + 1 : 0; j <= f->seg[k + 1]; j++)
            for (size_t i = 0; i < n; i++) {
                double d = f->d[j * n + i], *r = f->res + j * n + i;
                if (!f->observed[i] || !isfinite(d)) continue;
                *r = f->ypred[j * n + i] + ude_lift(f, j, k, i, 0) - d;
                double z = *r / f->sc[i];   /* scaled first: the loss's bits as before */
                data += z * z;
            }
    data /= (double)f->nobs;
    double wc = S > 1 ? f->continuity / (double)(S - 1) : 0;
    for (size_t k = 1; k < S; k++)
        for (size_t i = 0; i < n; i++) {
            double r = (f->yend[(k - 1) * n + i] - f->starts[k * n + i]) / f->sc[i];
            cont += wc * r * r;
        }
    for (size_t i = 0; i < M; i++) l2 += f->l2 * theta[i] * theta[i];
    double colloc = 0;
    if (f->colloc_weight > 0 && ude_colloc_add(f, theta, f->colloc_weight, &colloc, NULL)) return 1;
    f->last = (nd_ude_fit_parts){data, cont, colloc, l2, (long)f->nq};
    *loss = data + cont + colloc + l2;
    if (!isfinite(*loss)) return 1;
    if (!grad) return 0;

    if (batch_jacobians(f)) return 1;
    memset(grad, 0, f->ntheta * sizeof *grad);
    if (f->nphys) memset(f->gp, 0, f->nphys * sizeof *f->gp);
    if (f->dev) {   /* the jumps' cotangents from the lifted residuals */
        for (size_t e = 0; e < f->nev; e++) memset(f->evd + (e * 2 + 1) * n, 0, n * sizeof *f->evd);
        for (size_t k = 0; k < S; k++)
            for (size_t j = f->seg[k] + 1; j <= f->seg[k + 1]; j++)
                for (size_t i = 0; i < n; i++)
                    if (f->observed[i] && isfinite(f->d[j * n + i]))
                        ude_lift(f, j, k, i, 2 * f->res[j * n + i] /
                                                 (f->sc[i] * f->sc[i] * (double)f->nobs));
    }
    for (size_t k = 0; k < S; k++) {
        double *ybar = f->ybar;
        memset(ybar, 0, n * sizeof *ybar);
        size_t last = f->seg[k + 1];
        add_data_grad(f, last, ybar);
        if (k + 1 < S)
            for (size_t i = 0; i < n; i++)
                ybar[i] += 2 * wc * (f->yend[k * n + i] - f->starts[(k + 1) * n + i]) /
                           (f->sc[i] * f->sc[i]);
        for (size_t j = last; j-- > f->seg[k];) {
            ude_interval_adjoint(f, j, ybar);
            if (j > f->seg[k]) add_data_grad(f, j, ybar);
        }
        if (k > 0)
            for (size_t i = 0; i < n; i++) {
                double dstart = ybar[i] - 2 * wc * (f->yend[(k - 1) * n + i] -
                                                    f->starts[k * n + i]) / (f->sc[i] * f->sc[i]);
                grad[P + (k - 1) * n + i] = f->sc[i] * dstart;
            }
    }
    /* wb still holds the activations taped along the solve. */
    if (nd_mlp_backward(f->u->net, f->wb, f->nq, f->DZ, grad, NULL)) return 1;
    for (size_t i = 0; i < M; i++) grad[i] += 2 * f->l2 * theta[i];
    if (f->nphys) ude_params_grad(f, grad);
    if (f->colloc_weight > 0 && ude_colloc_add(f, theta, f->colloc_weight, &colloc, grad)) return 1;
    return 0;
}
