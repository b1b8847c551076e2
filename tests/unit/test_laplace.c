/* The Laplace approximation (lib/learn/laplace.h, ude_fit_jac.h, ude_laplace.h): the
   posterior of Bayesian linear regression against its closed form, the evidence maximum as
   MacKay's condition, and on a trained hybrid the adjoint Jacobian of the predictions
   against the loss's gradient and its Gauss–Newton matrix against central differences of
   the gradient (on data the hybrid itself produced, where the two coincide), the exactness
   of the learned term's Jacobian, and the band's SD against √(φᵀΣφ) worked out here. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/data/noise.h"
#include "../../lib/language/workspace.h"
#include "../../lib/learn/laplace.h"
#include "../../lib/learn/mlp.h"
#include "../../lib/learn/ude_laplace.h"
#include "../../lib/learn/ude_term.h"
#include "../../lib/learn/ude_verdict.h"
#include "rec_sink.h"
#include "test.h"
#include "ude_fixture.h"

/* The Hessian of fn in theta[first … first+p−1] by central differences of its exact
   gradient (step h·(1 + |θᵢ|)), symmetrised; theta (n long) restored. 0 or -1. */
static int fd_hessian(nd_objective fn, void *ctx, double *theta, size_t n, size_t first,
                      size_t p, double h, double *H)
{
    double *gp = malloc(n * sizeof *gp), *gm = malloc(n * sizeof *gm), f;
    int bad = !gp || !gm;
    for (size_t j = 0; !bad && j < p; j++) {
        double *x = &theta[first + j], x0 = *x, step = h * (1 + fabs(x0));
        *x = x0 + step;
        bad |= fn(ctx, theta, &f, gp);
        *x = x0 - step;
        bad |= fn(ctx, theta, &f, gm);
        *x = x0;
        for (size_t i = 0; i < p; i++) H[i * p + j] = (gp[first + i] - gm[first + i]) / (2 * step);
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < i; j++) H[i * p + j] = H[j * p + i] = 0.5 * (H[i * p + j] + H[j * p + i]);
    free(gp);
    free(gm);
    return bad ? -1 : 0;
}

/* y = Φθ + ε, σ = 0.5: the negative log-likelihood Σ (yⱼ − φⱼᵀθ)²/(2σ²). */
typedef struct linreg {
    const double *phi, *y;
    size_t n;
} linreg;

static int nll(void *ctx, const double *th, double *f, double *g)
{
    const linreg *l = ctx;
    *f = 0;
    if (g) g[0] = g[1] = 0;
    for (size_t j = 0; j < l->n; j++) {
        double r = l->y[j] - l->phi[2 * j] * th[0] - l->phi[2 * j + 1] * th[1];
        *f += r * r / (2 * 0.25);
        if (g) g[0] -= r * l->phi[2 * j] / 0.25, g[1] -= r * l->phi[2 * j + 1] / 0.25;
    }
    return 0;
}

TEST(laplace_posterior_of_linear_regression_is_the_closed_form)
{
    const double phi[] = {1, 0.2, 1, -0.5, 1, 1.3, 1, 2.1, 1, -1.7};
    const double y[] = {0.9, 0.1, 1.8, 2.4, -0.6};
    linreg l = {phi, y, 5};
    double th[2] = {0.7, 0.8}, H[4];
    CHECK_INT(fd_hessian(nll, &l, th, 2, 0, 2, 1e-4, H), 0);
    /* closed form: A = ΦᵀΦ/σ² + αI, Σ = A⁻¹ (2 × 2 by hand) */
    double s00 = 0, s01 = 0, s11 = 0, alpha = 0.3;
    for (int j = 0; j < 5; j++) {
        s00 += phi[2 * j] * phi[2 * j];
        s01 += phi[2 * j] * phi[2 * j + 1];
        s11 += phi[2 * j + 1] * phi[2 * j + 1];
    }
    double a = s00 / 0.25 + alpha, b = s01 / 0.25, d = s11 / 0.25 + alpha, det = a * d - b * b;
    nd_laplace_post post;
    CHECK_INT(nd_laplace_posterior(H, th, 2, alpha, &post, NULL), ND_OK);
    CHECK_NEAR(post.cov[0], d / det, 1e-9);
    CHECK_NEAR(post.cov[1], -b / det, 1e-9);
    CHECK_NEAR(post.cov[2], -b / det, 1e-9);
    CHECK_NEAR(post.cov[3], a / det, 1e-9);
    CHECK(!post.evidence && post.alpha == alpha && post.clipped == 0);
    /* the predictive SD of a new point x* = (1, 0.4) */
    const double xs[2] = {1, 0.4};
    double sd, v = (xs[0] * (d * xs[0] - b * xs[1]) + xs[1] * (-b * xs[0] + a * xs[1])) / det;
    nd_laplace_predictive_sd(&post, xs, 1, &sd);
    CHECK_NEAR(sd, sqrt(v), 1e-9);
    nd_laplace_post_free(&post);
    /* the evidence maximum: α‖θ‖² = γ = Σ λ/(λ + α) (MacKay 1992, eq. 4.9), and the log
       evidence lower on either side */
    CHECK_INT(nd_laplace_posterior(H, th, 2, -1, &post, NULL), ND_OK);
    CHECK(post.evidence && post.alpha > 0);
    double tr = a + d - 2 * alpha, dt = (a - alpha) * (d - alpha) - b * b;   /* of ΦᵀΦ/σ² */
    double l1 = 0.5 * (tr + sqrt(tr * tr - 4 * dt)), l2 = 0.5 * (tr - sqrt(tr * tr - 4 * dt));
    double al = post.alpha, gamma = l1 / (l1 + al) + l2 / (l2 + al);
    CHECK_NEAR(post.gamma, gamma, 1e-9);
    CHECK_NEAR(al * (th[0] * th[0] + th[1] * th[1]), gamma, 1e-9);
    nd_laplace_post lo, hi;
    CHECK_INT(nd_laplace_posterior(H, th, 2, 0.5 * al, &lo, NULL), ND_OK);
    CHECK_INT(nd_laplace_posterior(H, th, 2, 2 * al, &hi, NULL), ND_OK);
    CHECK(lo.log_evidence < post.log_evidence && hi.log_evidence < post.log_evidence);
    nd_laplace_post_free(&post);
    nd_laplace_post_free(&lo);
    nd_laplace_post_free(&hi);
}

TEST(laplace_of_a_trained_hybrid_is_exact_in_its_last_layer)
{
    nd_model *m = nd_model_builtin("hh_rinzel", NULL);
    nd_stim *stim = nd_stim_create();
    nd_stim_add_step(stim, 1, 20, 10);
    nd_dataset *full = ude_fx_simulate(m, stim, nd_model_index(m, ND_MODEL_PAR, "I"), 8, 0.1);
    const char *cols[] = {"t", "V"};
    nd_dataset *d = ude_fx_select(full, cols, 2);
    nd_ds_add_noise(d, "V", 0.05, 3, NULL);
    nd_ds_set_meta(d, "input", "I");
    nd_ds_set_stim(d, stim);
    const char *rep[] = {"INa"}, *in[] = {"V", "n"}, *obs[] = {"V"};
    size_t hidden[] = {5, 4};
    nd_ude_spec s = {rep, 1, in, 2, hidden, 2, ND_ACT_TANH, 3};
    nd_ude *u = nd_ude_create(m, &s, NULL);
    nd_ude_experiment ex;
    CHECK_INT(nd_ude_experiment_of(u, d, &ex, NULL), ND_OK);
    nd_ude_fit_options fo;
    nd_ude_fit_options_default(&fo);
    fo.observe = obs;
    fo.nobserve = 1;
    nd_error err = {0};
    nd_ude_fit *f = nd_ude_fit_create_multi(u, &ex, 1, &fo, &err);
    CHECK(f != NULL);
    nd_optim_options oo;
    nd_optim_options_default(&oo);
    CHECK(nd_ude_fit_run(f, ND_OPTIM_LBFGS, &oo, 20, NULL, &err) == ND_OK);
    size_t n = nd_ude_fit_nparams(f);
    double *theta = malloc(n * sizeof *theta);
    nd_ude_fit_theta(f, theta);

    nd_ude_laplace lp;
    CHECK_INT(nd_ude_laplace_fit(u, &ex, 1, &fo, -1, &lp, &err), ND_OK);
    size_t p = lp.post.p, np = nd_mlp_nparams(nd_ude_net(u));
    CHECK_INT(p, 5);   /* 4 weights and a bias */
    CHECK_INT(lp.first, np - 5);
    CHECK_INT(lp.nobs, nd_ds_rows(d));
    for (size_t i = 0; i < p; i++) {
        CHECK(lp.post.cov[i * p + i] > 0);
        for (size_t j = 0; j < p; j++) CHECK_NEAR(lp.post.cov[i * p + j], lp.post.cov[j * p + i], 1e-12 * fabs(lp.post.cov[i * p + i]));
    }
    /* the network is back at its trained weights */
    double *now = malloc(n * sizeof *now);
    nd_ude_fit_theta(f, now);
    for (size_t i = 0; i < np; i++) CHECK(now[i] == theta[i]);

    /* the adjoint Jacobian against the loss's own gradient: ∇L = (2/N) Σ rⱼ Jⱼ */
    nd_ude_fit_jac jac;
    CHECK_INT(nd_ude_fit_jacobian(f, theta, lp.first, p, &jac, &err), ND_OK);
    CHECK_INT(jac.rows, lp.nobs);
    double *g = malloc(n * sizeof *g), L;
    nd_ude_fit_options o0 = fo;
    nd_ude_fit *f0 = nd_ude_fit_create_multi(u, &ex, 1, &o0, &err);   /* l2 0: data alone */
    CHECK(nd_ude_fit_loss(f0, theta, &L, g) == 0);
    double ss = 0;
    for (size_t r = 0; r < jac.rows; r++) ss += jac.res[r] * jac.res[r];
    CHECK_NEAR(ss / (double)jac.rows, L, 1e-12 * L);
    CHECK_NEAR(lp.data_loss, L, 1e-12 * L);
    for (size_t a2 = 0; a2 < p; a2++) {
        double s2 = 0;
        for (size_t r = 0; r < jac.rows; r++) s2 += 2 * jac.res[r] * jac.J[r * p + a2] / (double)jac.rows;
        CHECK_NEAR(s2, g[lp.first + a2], 1e-8 * (1 + fabs(g[lp.first + a2])));
    }
    /* Σ⁻¹ = JᵀJ/L̂ + αI */
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            double s2 = 0;
            for (size_t k = 0; k < p; k++) {
                double h = 0;
                for (size_t r = 0; r < jac.rows; r++) h += jac.J[r * p + i] * jac.J[r * p + k];
                s2 += (h / lp.data_loss + (i == k) * lp.post.alpha) * lp.post.cov[k * p + j];
            }
            CHECK_NEAR(s2, i == j, 1e-6);
        }
    CHECK_INT(lp.post.clipped, 0);   /* JᵀJ has no negative curvature */
    nd_ude_fit_jac_free(&jac);
    nd_ude_fit_free(f0);

    /* the prediction's band on the training data: ŷ ∓ 2√(JΣJᵀ), the data beside it */
    nd_ude_laplace_pred pr;
    CHECK_INT(nd_ude_laplace_predict(u, &lp, &ex, &fo, &pr, &err), ND_OK);
    nd_ude_laplace_pred kept;   /* from the Jacobian the posterior kept: the same band */
    CHECK_INT(nd_ude_laplace_predict(u, &lp, NULL, &fo, &kept, &err), ND_OK);
    CHECK_INT(kept.band.m, pr.band.m);
    for (size_t j = 0; j < nd_ds_rows(d); j++) CHECK_NEAR(kept.band.sd[j], pr.band.sd[j], 1e-9 * (1 + pr.band.sd[j]));
    nd_ude_laplace_pred_free(&kept);
    CHECK_INT(pr.band.m, nd_ds_rows(d));
    for (size_t j = 0; j < nd_ds_rows(d); j++) {
        CHECK(isfinite(pr.band.sd[j]) && pr.band.sd[j] >= 0);
        CHECK(pr.data[j] == nd_ds_col(d, 1)[j]);
    }
    CHECK(pr.predictive >= pr.coverage);
    nd_ude_laplace_pred_free(&pr);

    /* on data the hybrid itself produced the residuals vanish and the Gauss–Newton matrix
       (2/N)·JᵀJ is the Hessian of the loss: against central differences of its gradient */
    size_t R = nd_ds_rows(d);
    double *yv = malloc(R * 4 * sizeof *yv), row[2];
    CHECK_INT(nd_ude_predict_under(u, stim, nd_model_index(m, ND_MODEL_PAR, "I"), nd_ds_col(d, 0),
                                   R, yv, NULL, &err), ND_OK);
    nd_dataset *self = nd_ds_create(2, cols, NULL);
    for (size_t j = 0; j < R; j++) {
        row[0] = nd_ds_col(d, 0)[j];
        row[1] = yv[j * nd_model_count(m, ND_MODEL_STATE)];
        nd_ds_append(self, row);
    }
    nd_ds_set_meta(self, "input", "I");
    nd_ds_set_stim(self, nd_stim_copy(stim));
    nd_ude_experiment ex2;
    CHECK_INT(nd_ude_experiment_of(u, self, &ex2, NULL), ND_OK);
    nd_ude_fit *f2 = nd_ude_fit_create_multi(u, &ex2, 1, &o0, &err);
    CHECK(f2 != NULL);
    double *th2 = malloc(nd_ude_fit_nparams(f2) * sizeof *th2), *H = malloc(p * p * sizeof *H);
    nd_ude_fit_theta(f2, th2);
    CHECK_INT(nd_ude_fit_jacobian(f2, th2, lp.first, p, &jac, &err), ND_OK);
    CHECK_INT(fd_hessian(nd_ude_fit_loss, f2, th2, nd_ude_fit_nparams(f2), lp.first, p, 1e-4, H), 0);
    double scale = 0;
    for (size_t i = 0; i < p * p; i++) scale = fmax(scale, fabs(H[i]));
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            double ggn = 0;
            for (size_t r = 0; r < jac.rows; r++) ggn += 2 * jac.J[r * p + i] * jac.J[r * p + j] / (double)jac.rows;
            CHECK_NEAR(ggn, H[i * p + j], 1e-3 * scale);
        }
    nd_ude_fit_jac_free(&jac);
    nd_ude_fit_free(f2);
    nd_ds_free(self);
    free(th2), free(yv), free(g);

    /* the Jacobian of INa in the last layer is exact: INa(θ + Δ) − INa(θ) = φ·Δ */
    const double v[5] = {0.3, -0.5, 0.2, 0.9, -0.4};
    size_t rows = nd_ds_rows(full);
    double *phi = malloc(rows * p * sizeof *phi), *a = malloc(rows * sizeof *a), *b = malloc(rows * sizeof *b);
    CHECK_INT(nd_ude_laplace_term_jacobian(u, &lp, "INa", full, phi, &err), ND_OK);
    nd_ude_term te;
    CHECK_INT(nd_ude_term_find(u, "INa", NULL, &te, &err), ND_OK);
    CHECK_INT(nd_ude_term_along(&te, full, a, NULL, &err), ND_OK);
    double *w = nd_mlp_params(nd_ude_net(u));
    double keep[5];
    memcpy(keep, w + lp.first, sizeof keep);
    for (size_t i = 0; i < p; i++) w[lp.first + i] += v[i];
    CHECK_INT(nd_ude_term_along(&te, full, b, NULL, &err), ND_OK);
    memcpy(w + lp.first, keep, sizeof keep);
    for (size_t r = 0; r < rows; r++) {
        double lin = 0;
        for (size_t i = 0; i < p; i++) lin += phi[r * p + i] * v[i];
        CHECK_NEAR(b[r] - a[r], lin, 1e-9 * (1 + fabs(a[r]) + fabs(b[r])));
    }
    /* the band: the trained term ∓ 2 √(φᵀΣφ), the truth beside it */
    nd_ens_band band;
    double *truth = malloc(rows * sizeof *truth);
    CHECK_INT(nd_ude_laplace_term_band(u, &lp, "INa", NULL, full, &band, truth, &err), ND_OK);
    for (size_t r = 0; r < rows; r += 7) {
        double q = 0;
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < p; j++) q += phi[r * p + i] * lp.post.cov[i * p + j] * phi[r * p + j];
        /* Σ has entries far larger than φᵀΣφ: the sums cancel, so rounding shows early */
        CHECK_NEAR(band.sd[r], sqrt(q), 1e-8 * (1 + sqrt(q)));
        CHECK_NEAR(band.mean[r], a[r], 1e-12 * (1 + fabs(a[r])));
        CHECK_NEAR(band.hi[r] - band.lo[r], 4 * band.sd[r], 1e-9 * (1 + band.sd[r]));
        CHECK(isfinite(truth[r]));
    }
    nd_ens_band_free(&band);
    nd_ude_laplace_free(&lp);
    free(truth), free(phi), free(a), free(b), free(H), free(theta), free(now);
    nd_ude_fit_free(f);
    nd_ude_free(u);
    nd_ds_free(d);
    nd_ds_free(full);
    nd_model_free(m);
}

TEST(laplace_command_binds_its_record_and_locates_errors)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use fhn\nset I = 0.5\n"
                                  "data = simulate t=20 sample=0.5 observe=v noise=0.05 seed=3\n"
                                  "truth = simulate t=20 sample=0.5\n"
                                  "net = ude replace=v inputs=v,w hidden=4 seed=3\n"
                                  "train net data lbfgs iters=20\n"
                                  "post = laplace net data truth=truth heldout=data"), ND_OK);
    nd_value *r = nd_ws_get(nd_interp_workspace(f.in), "post");
    CHECK(r && r->kind == ND_VAL_RECORD);
    if (r && r->kind == ND_VAL_RECORD) {
        nd_value *p = nd_record_get(r, "parameters"), *cov = nd_record_get(r, "covariance");
        CHECK(p && p->as.num == 5);   /* 4 weights and a bias */
        CHECK(cov && cov->kind == ND_VAL_VECTOR && cov->as.vec.n == 25);
        nd_value *tc = nd_record_get(r, "term_coverage");
        CHECK(tc && tc->as.num >= 0 && tc->as.num <= 1);
        /* held out = the training data: the band from a fresh Jacobian on a copy equals the
           one from the posterior's own */
        nd_value *c = nd_record_get(r, "coverage"), *hc = nd_record_get(r, "heldout_coverage");
        nd_value *s = nd_record_get(r, "spread"), *hs = nd_record_get(r, "heldout_spread");
        CHECK(c && hc && c->as.num == hc->as.num);
        CHECK(s && hs && fabs(s->as.num - hs->as.num) <= 1e-9 * s->as.num);
    }
    CHECK_INT(rec_fixture_run(&f, "laplace net data prior=-1"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "prior=");
    CHECK_INT(f.e.col, 24);   /* on the value */
    CHECK_INT(rec_fixture_run(&f, "laplace data net"), ND_ETYPE);
    CHECK_INT(rec_fixture_run(&f, "laplace net data truth=data"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "no column 'w'");
    rec_fixture_teardown(&f);
}
