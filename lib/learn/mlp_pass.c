/* Batched forward and reverse passes of dense networks through BLAS. A batch of one uses
   level-2 BLAS (dgemv/dger) because dgemm's packing overhead dominates there, and the
   solver's adjoint pulls single samples through the network at every step. */
#include "mlp_impl.h"

#include <cblas.h>
#include <stdlib.h>
#include <string.h>

struct nd_mlp_work {
    size_t nlayers;
    size_t *width;      /* copy of the network's widths, to reject a mismatched network */
    size_t max_batch;
    size_t batch;       /* batch of the last forward; 0 before any */
    double **a;         /* a[l]: input of layer l (a[0] is the scaled input), l < nlayers */
    double **z;         /* z[l]: pre-activation output of layer l - 1, 1 ≤ l ≤ nlayers */
    double *d0, *d1;    /* reverse-mode sensitivities, batch × widest layer each */
};

void nd_mlp_work_free(nd_mlp_work *w)
{
    if (!w) return;
    for (size_t l = 0; l <= w->nlayers; l++) {
        if (w->a) free(w->a[l]);
        if (w->z) free(w->z[l]);
    }
    free(w->a);
    free(w->z);
    free(w->width);
    free(w->d0);
    free(w->d1);
    free(w);
}

nd_mlp_work *nd_mlp_work_create(const nd_mlp *m, size_t max_batch, nd_error *err)
{
    size_t L = m->nlayers, widest = 0;
    for (size_t l = 0; l <= L; l++)
        if (m->width[l] > widest) widest = m->width[l];
    if (max_batch == 0 || max_batch > ((size_t)1 << 40) / widest) {
        nd_error_fail(err, ND_EVALUE, "network batch size %zu out of range", max_batch);
        return NULL;
    }
    nd_mlp_work *w = calloc(1, sizeof *w);
    if (!w) goto nomem;
    w->nlayers = L;
    w->max_batch = max_batch;
    w->width = malloc((L + 1) * sizeof *w->width);
    w->a = calloc(L + 1, sizeof *w->a);
    w->z = calloc(L + 1, sizeof *w->z);
    w->d0 = malloc(max_batch * widest * sizeof *w->d0);
    w->d1 = malloc(max_batch * widest * sizeof *w->d1);
    if (!w->width || !w->a || !w->z || !w->d0 || !w->d1) goto nomem;
    memcpy(w->width, m->width, (L + 1) * sizeof *w->width);
    for (size_t l = 0; l <= L; l++) {
        double **slot = l < L ? &w->a[l] : &w->z[l];
        *slot = malloc(max_batch * m->width[l] * sizeof **slot);
        if (l > 0 && l < L) w->z[l] = malloc(max_batch * m->width[l] * sizeof *w->z[l]);
        if (!*slot || (l > 0 && l < L && !w->z[l])) goto nomem;
    }
    return w;
nomem:
    nd_mlp_work_free(w);
    nd_error_fail(err, ND_ENOMEM, "out of memory for a network workspace");
    return NULL;
}

static int same_shape(const nd_mlp *m, const nd_mlp_work *w)
{
    return w->nlayers == m->nlayers &&
           memcmp(w->width, m->width, (m->nlayers + 1) * sizeof *w->width) == 0;
}

/* z (batch × fout) = a (batch × fin) · Wᵀ + b, W being fout × fin row-major. */
static void affine(const double *W, const double *b, const double *a, double *z,
                   size_t batch, size_t fin, size_t fout)
{
    for (size_t r = 0; r < batch; r++) memcpy(z + r * fout, b, fout * sizeof *b);
    if (batch == 1)
        cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)fout, (int)fin, 1.0, W, (int)fin, a, 1,
                    1.0, z, 1);
    else
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)batch, (int)fout, (int)fin,
                    1.0, a, (int)fin, W, (int)fin, 1.0, z, (int)fout);
}

/* The forward pass of rows row0 .. row0 + batch - 1 of w. */
static void forward_rows(const nd_mlp *m, const double *x, size_t batch, double *y,
                         nd_mlp_work *w, size_t row0)
{
    size_t L = m->nlayers, nin = m->width[0], nout = m->width[L];
    double *a0 = w->a[0] + row0 * nin;
    for (size_t r = 0; r < batch; r++)
        for (size_t i = 0; i < nin; i++)
            a0[r * nin + i] = (x[r * nin + i] - m->in_mean[i]) / m->in_std[i];
    for (size_t l = 0; l < L; l++) {
        size_t fin = m->width[l], fout = m->width[l + 1];
        const double *W = m->params + m->off[l];
        double *z = w->z[l + 1] + row0 * fout;
        affine(W, W + fout * fin, w->a[l] + row0 * fin, z, batch, fin, fout);
        if (l + 1 < L) {
            double *a = w->a[l + 1] + row0 * fout;
            memcpy(a, z, batch * fout * sizeof *a);
            nd_act_apply(m->act, a, batch * fout);
        }
    }
    const double *zL = w->z[L] + row0 * nout;
    for (size_t r = 0; r < batch; r++)
        for (size_t k = 0; k < nout; k++)
            y[r * nout + k] = m->out_mean[k] + m->out_std[k] * zL[r * nout + k];
}

nd_status nd_mlp_forward(const nd_mlp *m, const double *x, size_t batch, double *y,
                         nd_mlp_work *w)
{
    if (batch == 0 || batch > w->max_batch || !same_shape(m, w)) return ND_EVALUE;
    forward_rows(m, x, batch, y, w, 0);
    w->batch = batch;
    return ND_OK;
}

nd_status nd_mlp_forward_row(const nd_mlp *m, const double *x, double *y, nd_mlp_work *w,
                             size_t row)
{
    if (row >= w->max_batch || !same_shape(m, w)) return ND_EVALUE;
    forward_rows(m, x, 1, y, w, row);
    return ND_OK;
}

nd_status nd_mlp_work_set_batch(nd_mlp_work *w, size_t batch)
{
    if (batch == 0 || batch > w->max_batch) return ND_EVALUE;
    w->batch = batch;
    return ND_OK;
}

/* Adds ∂L/∂W = deltaᵀ · a and ∂L/∂b = column sums of delta for one layer. */
static void layer_grad(const double *delta, const double *a, double *gW, size_t batch,
                       size_t fin, size_t fout)
{
    if (batch == 1)
        cblas_dger(CblasRowMajor, (int)fout, (int)fin, 1.0, delta, 1, a, 1, gW, (int)fin);
    else
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)fout, (int)fin, (int)batch,
                    1.0, delta, (int)fout, a, (int)fin, 1.0, gW, (int)fin);
    double *gb = gW + fout * fin;
    for (size_t r = 0; r < batch; r++)
        for (size_t j = 0; j < fout; j++) gb[j] += delta[r * fout + j];
}

/* out (batch × fin) = delta (batch × fout) · W: the sensitivity of the layer's input. */
static void pullback(const double *W, const double *delta, double *out, size_t batch,
                     size_t fin, size_t fout)
{
    if (batch == 1)
        cblas_dgemv(CblasRowMajor, CblasTrans, (int)fout, (int)fin, 1.0, W, (int)fin, delta, 1,
                    0.0, out, 1);
    else
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)batch, (int)fin, (int)fout,
                    1.0, delta, (int)fout, W, (int)fin, 0.0, out, (int)fin);
}

nd_status nd_mlp_backward(const nd_mlp *m, nd_mlp_work *w, size_t batch, const double *dy,
                          double *grad_params, double *dx)
{
    if (batch == 0 || batch != w->batch || !same_shape(m, w)) return ND_EVALUE;
    size_t L = m->nlayers, nin = m->width[0], nout = m->width[L];
    double *delta = w->d0, *next = w->d1;
    for (size_t r = 0; r < batch; r++)
        for (size_t k = 0; k < nout; k++)
            delta[r * nout + k] = dy[r * nout + k] * m->out_std[k];
    for (size_t l = L; l-- > 0;) {
        size_t fin = m->width[l], fout = m->width[l + 1];
        const double *W = m->params + m->off[l];
        if (grad_params) layer_grad(delta, w->a[l], grad_params + m->off[l], batch, fin, fout);
        if (l == 0 && !dx) break;
        pullback(W, delta, next, batch, fin, fout);
        if (l > 0) nd_act_backprop(m->act, w->z[l], w->a[l], next, batch * fin);
        double *t = delta;
        delta = next;
        next = t;
    }
    if (dx)
        for (size_t r = 0; r < batch; r++)
            for (size_t i = 0; i < nin; i++) dx[r * nin + i] = delta[r * nin + i] / m->in_std[i];
    return ND_OK;
}

const double *nd_mlp_work_last_input(const nd_mlp_work *w, size_t row)
{
    size_t L = w->nlayers - 1;
    return w->a[L] + row * w->width[L];
}
