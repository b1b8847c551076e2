/* The last-layer Laplace posterior of a hybrid and the band of its learned term
   (ude_laplace.h). The likelihood: the data loss L is the mean of N squared normalised
   residuals, so with Gaussian noise of variance σ² (normalised) the negative
   log-likelihood is N·L/(2σ²); σ² is its maximum-likelihood value L̂ at the trained
   weights, so the Hessian of the negative log-likelihood is N/(2L̂)·∇²L. */
#include "ude_laplace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ude_term.h"

void nd_ude_laplace_free(nd_ude_laplace *lp)
{
    nd_laplace_post_free(&lp->post);
    memset(lp, 0, sizeof *lp);
}

static int observed(const nd_ude_fit_options *fo, const char *name)
{
    if (!fo->observe) return 1;
    for (size_t i = 0; i < fo->nobserve; i++)
        if (strcmp(fo->observe[i], name) == 0) return 1;
    return 0;
}

/* The finite observed values of the experiments' state columns. */
static size_t count_observed(const nd_ude *u, const nd_ude_experiment *ex, size_t nex,
                             const nd_ude_fit_options *fo)
{
    const nd_model *m = nd_ude_model(u);
    size_t N = 0;
    for (size_t k = 0; k < nex; k++)
        for (size_t s = 0; s < nd_model_count(m, ND_MODEL_STATE); s++) {
            const char *name = nd_model_item_at(m, ND_MODEL_STATE, s)->name;
            int c = nd_ds_find(ex[k].data, name);
            if (c < 1 || !observed(fo, name)) continue;
            const double *x = nd_ds_col(ex[k].data, (size_t)c);
            for (size_t r = 0; r < nd_ds_rows(ex[k].data); r++) N += isfinite(x[r]) != 0;
        }
    return N;
}

nd_status nd_ude_laplace_fit(nd_ude *u, const nd_ude_experiment *ex, size_t nex,
                             const nd_ude_fit_options *fo, double prior, nd_ude_laplace *lp,
                             nd_error *err)
{
    memset(lp, 0, sizeof *lp);
    nd_ude_fit_options o = *fo;
    o.l2 = 0;
    o.collocation = 0;
    const nd_mlp *net = nd_ude_net_const(u);
    size_t nh = nd_mlp_nhidden(net);
    size_t last = nh ? nd_mlp_hidden(net, nh - 1) : nd_mlp_nin(net);
    size_t p = nd_mlp_nout(net) * (last + 1);
    lp->first = nd_mlp_nparams(net) - p;
    lp->nobs = count_observed(u, ex, nex, fo);
    nd_ude_fit *f = nd_ude_fit_create_multi(u, ex, nex, &o, err);
    if (!f) return err && err->code ? err->code : ND_ENOMEM;
    size_t n = nd_ude_fit_nparams(f);
    double *theta = malloc(n * sizeof *theta), *H = malloc((p * p + 1) * sizeof *H);
    nd_status st = theta && H ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    double loss = NAN;
    if (st == ND_OK) {
        nd_ude_fit_theta(f, theta);
        if (nd_ude_fit_loss(f, theta, &loss, NULL) || !(nd_ude_fit_last(f).data > 0))
            st = nd_error_fail(err, ND_ESOLVER, "the trained network's loss is not finite "
                               "and positive on these data");
        lp->data_loss = nd_ude_fit_last(f).data;
    }
    /* A step of 1e-4 (relative): the loss is smooth in the output layer, and the central
       difference's O(h²) error stays far below the Hessian's own scale. */
    if (st == ND_OK) st = nd_laplace_hessian(nd_ude_fit_loss, f, theta, n, lp->first, p, 1e-4, H, err);
    if (st == ND_OK) {
        double scale = (double)lp->nobs / (2 * lp->data_loss);
        for (size_t i = 0; i < p * p; i++) H[i] *= scale;
        st = nd_laplace_posterior(H, theta + lp->first, p, prior, &lp->post, err);
    }
    if (theta) nd_ude_fit_loss(f, theta, &loss, NULL);   /* the network back at its mode */
    nd_ude_fit_free(f);
    free(theta);
    free(H);
    if (st != ND_OK) nd_ude_laplace_free(lp);
    return st;
}

nd_status nd_ude_laplace_term_jacobian(const nd_ude *u, const nd_ude_laplace *lp,
                                       const char *term, const nd_dataset *ds, double *phi,
                                       nd_error *err)
{
    nd_ude_term te;
    nd_status st = nd_ude_term_find(u, term, NULL, &te, err);
    if (st) return st;
    const nd_mlp *net = nd_ude_net_const(u);
    size_t m = nd_ds_rows(ds), nin = nd_mlp_nin(net), nout = nd_mlp_nout(net), p = lp->post.p;
    size_t last = p / nout - 1;
    double *X = malloc((m * nin + 1) * sizeof *X), *Z = malloc((m * nout + 1) * sizeof *Z);
    nd_mlp_work *w = m ? nd_mlp_work_create(net, m, err) : NULL;
    if (!X || !Z || (m && !w)) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) st = nd_ude_term_inputs(&te, ds, X, err);
    if (st == ND_OK && m && nd_mlp_forward(net, X, m, Z, w))
        st = nd_error_fail(err, ND_EVALUE, "the network could not be evaluated");
    const double *os;
    nd_mlp_scaling(net, NULL, NULL, NULL, &os);
    for (size_t j = 0; st == ND_OK && j < m; j++) {
        double *f = phi + j * p;
        const double *h = nd_mlp_work_last_input(w, j);
        memset(f, 0, p * sizeof *f);
        for (size_t i = 0; i < last; i++) f[te.out * last + i] = os[te.out] * h[i];
        f[nout * last + te.out] = os[te.out];
    }
    nd_mlp_work_free(w);
    free(X);
    free(Z);
    return st;
}

nd_status nd_ude_laplace_term_band(const nd_ude *u, const nd_ude_laplace *lp, const char *term,
                                   const char *true_name, const nd_dataset *ds, nd_ens_band *b,
                                   double *truth, nd_error *err)
{
    memset(b, 0, sizeof *b);
    size_t m = nd_ds_rows(ds), p = lp->post.p;
    double *mean = malloc((m + 1) * sizeof *mean), *sd = malloc((m + 1) * sizeof *sd);
    double *phi = malloc((m * p + 1) * sizeof *phi);
    nd_ude_term te;
    nd_status st = mean && sd && phi ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) st = nd_ude_term_find(u, term, true_name, &te, err);
    if (st == ND_OK) st = nd_ude_term_along(&te, ds, mean, truth, err);
    if (st == ND_OK) st = nd_ude_laplace_term_jacobian(u, lp, term, ds, phi, err);
    if (st == ND_OK) {
        nd_laplace_predictive_sd(&lp->post, phi, m, sd);
        st = nd_ens_band_of(mean, sd, m, b, err);
    }
    free(mean);
    free(sd);
    free(phi);
    return st;
}
