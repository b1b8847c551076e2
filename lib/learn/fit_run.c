/* The searches: L-BFGS on the loss (lib/learn/optim.h), or Levenberg–Marquardt on the
   residuals, which uses the whole Jacobian the sensitivities give: Gauss–Newton steps
   (JᵀJ + μ diag JᵀJ) δ = −Jᵀr, μ raised on a rejected step and lowered on an accepted one. */
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fit_impl.h"

static const char *const method_names[] = {"lbfgs", "lm"};

int nd_fit_method_parse(const char *name, nd_fit_method *m)
{
    for (size_t i = 0; i < sizeof method_names / sizeof *method_names; i++)
        if (strcmp(name, method_names[i]) == 0) {
            *m = (nd_fit_method)i;
            return 0;
        }
    return -1;
}

const char *nd_fit_method_name(size_t i)
{
    return i < sizeof method_names / sizeof *method_names ? method_names[i] : NULL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double sumsq(const double *r, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += r[i] * r[i];
    return s;
}

static nd_status run_lm(nd_fit *f, long iters, const nd_optim_callbacks *cb,
                        nd_fit_run_info *info, nd_error *err)
{
    size_t N = f->nres, P = f->ntheta;
    double *th = malloc(P * sizeof *th), *tn = malloc(P * sizeof *tn);
    double *r = malloc(N * sizeof *r), *rn = malloc(N * sizeof *rn), *J = malloc(N * P * sizeof *J);
    double *A = malloc(P * P * sizeof *A), *M = malloc(P * P * sizeof *M), *g = malloc(P * sizeof *g);
    nd_status st = ND_OK;
    if (!th || !tn || !r || !rn || !J || !A || !M || !g) {
        st = nd_error_fail(err, ND_ENOMEM, "out of memory for the fit");
        goto done;
    }
    nd_fit_theta(f, th);
    double t0 = now();
    if (nd_fit_residuals(f, th, r, J, 0)) {
        st = nd_error_fail(err, ND_ESOLVER, "the model cannot be solved at the starting values");
        goto done;
    }
    double F = sumsq(r, N), mu = 1e-3;
    info->stop = "iteration limit";
    long it = 0;
    for (; it < iters; it++) {
        if (cb && cb->interrupt && atomic_load(cb->interrupt)) {
            st = nd_error_fail(err, ND_EINTERRUPT, "interrupted: the fit keeps the best parameters");
            break;
        }
        for (size_t a = 0; a < P; a++) {
            double s = 0;
            for (size_t i = 0; i < N; i++) s += J[i * P + a] * r[i];
            g[a] = s;
            for (size_t b = 0; b <= a; b++) {
                double v = 0;
                for (size_t i = 0; i < N; i++) v += J[i * P + a] * J[i * P + b];
                A[a * P + b] = A[b * P + a] = v;
            }
        }
        double gn = sqrt(sumsq(g, P)) * 2 / (double)f->nobs;
        if (cb && cb->progress) cb->progress(cb->progress_ctx, it, F / (double)f->nobs, gn, now() - t0);
        int accepted = 0;
        for (int tries = 0; tries < 30 && !accepted; tries++) {
            for (size_t i = 0; i < P * P; i++) M[i] = A[i];
            for (size_t a = 0; a < P; a++) {
                M[a * P + a] += mu * fmax(A[a * P + a], 1e-12);
                tn[a] = -g[a];
            }
            if (LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', (lapack_int)P, 1, M, (lapack_int)P, tn, 1) != 0) {
                mu *= 10;
                continue;
            }
            double step = sqrt(sumsq(tn, P)), size = sqrt(sumsq(th, P));
            for (size_t a = 0; a < P; a++) tn[a] += th[a];
            info->evaluations++;
            double Fn = INFINITY;
            if (!nd_fit_residuals(f, tn, rn, NULL, 0)) Fn = sumsq(rn, N);
            if (isfinite(Fn) && Fn < F) {
                double drop = (F - Fn) / fmax(F, 1e-300);
                memcpy(th, tn, P * sizeof *th);
                F = Fn;
                mu = fmax(mu / 3, 1e-12);
                accepted = 1;
                if (drop < 1e-12 || step < 1e-12 * (1 + size)) info->stop = "converged";
            } else {
                mu *= 4;
                if (step < 1e-14 * (1 + size)) break;
            }
        }
        if (!accepted) {
            info->stop = "converged (no further decrease)";
            break;
        }
        if (nd_fit_residuals(f, th, r, J, 0)) {
            st = nd_error_fail(err, ND_ESOLVER, "the solve failed at an accepted point");
            break;
        }
        if (strcmp(info->stop, "converged") == 0) {
            it++;
            break;
        }
    }
    info->iterations = it;
    info->evaluations += it + 1;
    info->loss = F / (double)f->nobs;
    nd_fit_set_theta(f, th);
done:
    free(th), free(tn), free(r), free(rn), free(J), free(A), free(M), free(g);
    return st;
}

static nd_status run_lbfgs(nd_fit *f, long iters, const nd_optim_callbacks *cb,
                           nd_fit_run_info *info, nd_error *err)
{
    nd_optim_options oo;
    nd_optim_options_default(&oo);
    oo.ftol = 1e-14;
    oo.gtol = 0;
    nd_optim *opt = nd_optim_create(ND_OPTIM_LBFGS, f->ntheta, &oo);
    double *th = malloc(f->ntheta * sizeof *th);
    if (!opt || !th) {
        nd_optim_free(opt);
        free(th);
        return nd_error_fail(err, ND_ENOMEM, "out of memory for the fit");
    }
    nd_fit_theta(f, th);
    nd_status st = nd_optim_run(opt, th, nd_fit_loss, f, iters, cb, err);
    double best;
    const double *b = nd_optim_best(opt, &best);
    if (b) {
        nd_fit_set_theta(f, b);
        info->loss = best;
    }
    nd_optim_info oi = nd_optim_get_info(opt);
    info->iterations = oi.iterations;
    info->evaluations = oi.evaluations;
    info->stop = nd_optim_stop_text(oi.stop);
    nd_optim_free(opt);
    free(th);
    return st;
}

nd_status nd_fit_run(nd_fit *f, nd_fit_method method, long iters, const nd_optim_callbacks *cb,
                     nd_fit_run_info *info, nd_error *err)
{
    nd_fit_run_info own;
    if (!info) info = &own;
    *info = (nd_fit_run_info){method, 0, 0, NAN, ""};
    return method == ND_FIT_LM ? run_lm(f, iters, cb, info, err)
                               : run_lbfgs(f, iters, cb, info, err);
}

nd_status nd_fit_run_polished(nd_fit *f, nd_fit_method method, long iters,
                              const nd_optim_callbacks *cb, void (*polishing)(void *ctx),
                              void *ctx, nd_fit_run_info *info, nd_error *err)
{
    nd_status st = nd_fit_run(f, method, iters, cb, info, err);
    if (st != ND_OK || !f->shoots) return st;
    long it = info->iterations;
    nd_fit_set_single(f, 1);
    if (polishing) polishing(ctx);
    st = nd_fit_run(f, method, iters, cb, info, err);
    info->iterations += it;
    return st;
}
