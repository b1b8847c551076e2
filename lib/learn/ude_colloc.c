/* Derivative matching ("collocation"): before integrating anything, the data already say
   what the replaced terms must be along the guessed trajectory (ude_estimate_output), so
   the network can first be fitted to those values by plain regression. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ude_fit_impl.h"

nd_status ude_colloc_targets(nd_ude_fit *f, const double *traj, nd_error *err)
{
    nd_ude *u = f->u;
    size_t R = f->rows, nout = f->nout, nin = f->nin;
    double *z = malloc(R * nout * sizeof *z), *avg = malloc(R * sizeof *avg);
    double *rate = malloc(R * sizeof *rate), *zk = malloc(R * sizeof *zk);
    f->Xc = malloc(R * nin * sizeof *f->Xc);
    f->Zc = malloc(R * nout * sizeof *f->Zc);
    f->Dc = malloc(R * nout * sizeof *f->Dc);
    nd_status st = ND_OK;
    if (!z || !avg || !rate || !zk || !f->Xc || !f->Zc || !f->Dc) {
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < nout; k++) {
        if (ude_estimate_output(f, k, traj, zk, avg, rate)) goto done;   /* unavailable */
        for (size_t j = 0; j < R; j++) z[j * nout + k] = zk[j];
    }
    for (size_t j = 0; j < R; j++) {
        int ok = 1;
        for (size_t k = 0; k < nout; k++) ok &= isfinite(z[j * nout + k]);
        if (!ok) continue;
        ude_eval_point(&f->ev, f->t[j], traj + j * f->n);
        memcpy(f->Xc + f->ncol * nin, f->ev.x, nin * sizeof *f->Xc);
        memcpy(f->Zc + f->ncol * nout, z + j * nout, nout * sizeof *f->Zc);
        f->ncol++;
    }
    if (f->ncol && !(f->wc = nd_mlp_work_create(u->net, f->ncol, err))) st = err->code;
done:
    free(z), free(avg), free(rate), free(zk);
    return st;
}

nd_status nd_ude_fit_set_collocation(nd_ude_fit *f, int on, nd_error *err)
{
    for (size_t k = 0; k < f->nparts; k++) {
        nd_status st = nd_ude_fit_set_collocation(f->part[k], on, err);
        if (st) return st;
    }
    if (f->nparts) {
        f->colloc = on;
        return ND_OK;
    }
    if (on && !f->ncol)
        return nd_error_fail(err, ND_EVALUE, "collocation needs an observed state whose rate "
                             "of change depends on the network's output");
    f->colloc = on;
    return ND_OK;
}

int ude_colloc_add(nd_ude_fit *f, const double *theta, double w, double *loss, double *grad)
{
    size_t N = f->ncol, nout = f->nout;
    nd_mlp *net = f->u->net;
    nd_mlp_set_params(net, theta);
    const double *os;
    nd_mlp_scaling(net, NULL, NULL, NULL, &os);
    if (nd_mlp_forward(net, f->Xc, N, f->Dc, f->wc)) return 1;
    double sum = 0;
    for (size_t j = 0; j < N; j++)
        for (size_t k = 0; k < nout; k++) {
            double r = (f->Dc[j * nout + k] - f->Zc[j * nout + k]) / os[k];
            sum += r * r;
            f->Dc[j * nout + k] = 2 * w * r / (os[k] * (double)N);   /* ∂(w·loss)/∂z */
        }
    *loss += w * sum / (double)N;
    if (!isfinite(*loss)) return 1;
    return grad && nd_mlp_backward(net, f->wc, N, f->Dc, grad, NULL) ? 1 : 0;
}
