/* The last-layer Laplace posterior of a hybrid and the bands it gives (ude_laplace.h).
   The likelihood: the data loss is the mean of N squared normalised residuals; with
   Gaussian noise of normalised variance σ² the negative log-likelihood is Σ rⱼ²/(2σ²),
   σ² its maximum-likelihood value (the residuals' mean square) at the trained weights,
   and its Gauss–Newton matrix JᵀJ/σ² (J the normalised predictions' Jacobian). */
#include "ude_laplace.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ude_term.h"

void nd_ude_laplace_free(nd_ude_laplace *lp)
{
    nd_laplace_post_free(&lp->post);
    nd_ude_fit_jac_free(&lp->jac);
    memset(lp, 0, sizeof *lp);
}

void nd_ude_laplace_pred_free(nd_ude_laplace_pred *pr)
{
    nd_ens_band_free(&pr->band);
    free(pr->data);
    free(pr->t);
    memset(pr, 0, sizeof *pr);
}

/* The data-loss fit of u on the experiments (no L2, no collocation), its θ and the output
   layer's place and size in it. */
static nd_ude_fit *data_fit(nd_ude *u, const nd_ude_experiment *ex, size_t nex,
                            const nd_ude_fit_options *fo, double **theta, size_t *first,
                            size_t *p, nd_error *err)
{
    nd_ude_fit_options o = *fo;
    o.l2 = 0;
    o.collocation = 0;
    const nd_mlp *net = nd_ude_net_const(u);
    size_t nh = nd_mlp_nhidden(net);
    size_t last = nh ? nd_mlp_hidden(net, nh - 1) : nd_mlp_nin(net);
    *p = nd_mlp_nout(net) * (last + 1);
    *first = nd_mlp_nparams(net) - *p;
    nd_ude_fit *f = nd_ude_fit_create_multi(u, ex, nex, &o, err);
    if (!f) return NULL;
    if (!(*theta = malloc(nd_ude_fit_nparams(f) * sizeof **theta))) {
        nd_ude_fit_free(f);
        nd_error_fail(err, ND_ENOMEM, "out of memory");
        return NULL;
    }
    nd_ude_fit_theta(f, *theta);
    return f;
}

nd_status nd_ude_laplace_fit(nd_ude *u, const nd_ude_experiment *ex, size_t nex,
                             const nd_ude_fit_options *fo, double prior, nd_ude_laplace *lp,
                             nd_error *err)
{
    memset(lp, 0, sizeof *lp);
    double *theta = NULL;
    size_t p;
    nd_ude_fit *f = data_fit(u, ex, nex, fo, &theta, &lp->first, &p, err);
    if (!f) return err && err->code ? err->code : ND_ENOMEM;
    nd_ude_fit_jac jac;
    nd_status st = nd_ude_fit_jacobian(f, theta, lp->first, p, &jac, err);
    lp->jac = jac;   /* kept for the band on the training data; freed with lp */
    double *H = st == ND_OK ? calloc(p * p + 1, sizeof *H) : NULL;
    if (st == ND_OK && !H) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) {
        double ss = 0;
        for (size_t r = 0; r < jac.rows; r++) ss += jac.res[r] * jac.res[r];
        lp->nobs = jac.rows;
        lp->data_loss = jac.rows ? ss / (double)jac.rows : NAN;
        if (!(lp->data_loss > 0))
            st = nd_error_fail(err, ND_EVALUE, "the network fits the data exactly (or there "
                               "are none): no noise to set the likelihood's width");
    }
    for (size_t r = 0; st == ND_OK && r < jac.rows; r++) {
        const double *J = jac.J + r * p;
        for (size_t a = 0; a < p; a++)
            for (size_t b = 0; b < p; b++) H[a * p + b] += J[a] * J[b] / lp->data_loss;
    }
    if (st == ND_OK) st = nd_laplace_posterior(H, theta + lp->first, p, prior, &lp->post, err);
    nd_ude_fit_free(f);
    free(theta);
    free(H);
    if (st != ND_OK) nd_ude_laplace_free(lp);
    return st;
}

/* The band of the first observed variable of experiment k's rows of jac. */
static nd_status band_of(const nd_ude_laplace *lp, const nd_ude_fit_jac *jac, size_t k,
                         nd_ude_laplace_pred *pr, nd_error *err)
{
    size_t m = 0, p = jac->p, state = SIZE_MAX;
    for (size_t r = 0; r < jac->rows; r++)
        if (jac->exp[r] == k && jac->state[r] < state) state = jac->state[r];
    for (size_t r = 0; r < jac->rows; r++) m += jac->exp[r] == k && jac->state[r] == state;
    double *mean = malloc((m + 1) * sizeof *mean), *sd = malloc((m + 1) * sizeof *sd);
    pr->data = malloc((m + 1) * sizeof *pr->data);
    pr->t = malloc((m + 1) * sizeof *pr->t);
    nd_status st = mean && sd && pr->data && pr->t ? ND_OK
                                                  : nd_error_fail(err, ND_ENOMEM, "out of memory");
    double scale = 1;
    for (size_t r = 0, i = 0; st == ND_OK && r < jac->rows; r++) {
        if (jac->exp[r] != k || jac->state[r] != state) continue;
        scale = jac->scale[r];
        double s;
        nd_laplace_predictive_sd(&lp->post, jac->J + r * p, 1, &s);
        mean[i] = jac->data[r] + jac->res[r] * scale;   /* ŷ (lifted across resets) */
        pr->data[i] = jac->data[r];
        pr->t[i] = jac->t[r];
        sd[i++] = s * scale;
    }
    if (st == ND_OK) st = nd_ens_band_of(mean, sd, m, &pr->band, err);
    if (st == ND_OK) {
        pr->noise = scale * sqrt(lp->data_loss);
        pr->coverage = nd_ens_coverage(&pr->band, pr->data, 0, NULL);
        pr->predictive = nd_ens_coverage(&pr->band, pr->data, pr->noise, NULL);
    }
    free(mean);
    free(sd);
    return st;
}

nd_status nd_ude_laplace_predict(const nd_ude *u, const nd_ude_laplace *lp, const nd_ude_experiment *ex,
                                 const nd_ude_fit_options *fo, nd_ude_laplace_pred *pr,
                                 nd_error *err)
{
    memset(pr, 0, sizeof *pr);
    nd_status st;
    if (!ex) {
        st = band_of(lp, &lp->jac, 0, pr, err);
    } else {
        /* A fit keeps its segment starts in the hybrid: a copy keeps u's for its own data. */
        nd_ude *c = nd_ude_copy(u);
        if (!c) return nd_error_fail(err, ND_ENOMEM, "out of memory");
        double *theta = NULL;
        size_t first, p;
        nd_ude_fit *f = data_fit(c, ex, 1, fo, &theta, &first, &p, err);
        if (!f) {
            nd_ude_free(c);
            return err && err->code ? err->code : ND_ENOMEM;
        }
        nd_ude_fit_jac jac;
        st = nd_ude_fit_jacobian(f, theta, first, p, &jac, err);
        if (st == ND_OK) st = band_of(lp, &jac, 0, pr, err);
        nd_ude_fit_jac_free(&jac);
        nd_ude_fit_free(f);
        nd_ude_free(c);
        free(theta);
    }
    if (st != ND_OK) nd_ude_laplace_pred_free(pr);
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
