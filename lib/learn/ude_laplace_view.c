/* The summary of a last-layer Laplace approximation (ude_laplace_view.h). */
#include "ude_laplace_view.h"

#include <math.h>
#include <stdlib.h>

#include "../base/json.h"
#include "../base/strbuf.h"
#include "../base/textfmt.h"

static json_t *pred_json(const nd_ude_laplace_pred *pr, const char *data, const char *var)
{
    json_t *o = json_object();
    int rc = !o || nd_json_put(o, "data", nd_json_utf8(data)) ||
             nd_json_put(o, "variable", nd_json_utf8(var)) ||
             nd_json_put(o, "band", nd_json_utf8("prediction ± 2 SD (linearised)")) ||
             nd_json_put(o, "points", json_integer((json_int_t)pr->band.m)) ||
             nd_json_put(o, "spread", nd_json_real(nd_ens_mean_sd(&pr->band))) ||
             nd_json_put(o, "noise", nd_json_real(pr->noise)) ||
             nd_json_put(o, "coverage", nd_json_real(pr->coverage)) ||
             nd_json_put(o, "predictive_coverage", nd_json_real(pr->predictive));
    return nd_json_ok(o, rc);
}

static void pred_text(nd_sb *s, const nd_ude_laplace_pred *pr, const char *data, const char *var)
{
    nd_sb_printf(s, "  %s on %s: mean SD %.3g (noise %.3g); inside ± 2 SD %.1f %%, inside "
                 "± 2√(SD² + noise²) %.1f %% of %zu samples\n", var, data,
                 nd_ens_mean_sd(&pr->band), pr->noise, 100 * pr->coverage, 100 * pr->predictive,
                 pr->band.m);
}

static char *laplace_json(const nd_ude_laplace *lp, const char *net_name, const char *data_name,
                          const nd_ude_laplace_check *c)
{
    json_t *j = json_object();
    int rc = !j || nd_json_put(j, "type", nd_json_utf8("laplace")) ||
             nd_json_put(j, "network", nd_json_utf8(net_name)) ||
             nd_json_put(j, "data", nd_json_utf8(data_name)) ||
             nd_json_put(j, "parameters", json_integer((json_int_t)lp->post.p)) ||
             nd_json_put(j, "samples", json_integer((json_int_t)lp->nobs)) ||
             nd_json_put(j, "noise_rms", nd_json_real(sqrt(lp->data_loss))) ||
             nd_json_put(j, "prior_precision", nd_json_real(lp->post.alpha)) ||
             nd_json_put(j, "prior", nd_json_utf8(lp->post.evidence ? "evidence" : "given")) ||
             nd_json_put(j, "well_determined", nd_json_real(lp->post.gamma)) ||
             nd_json_put(j, "clipped", json_integer((json_int_t)lp->post.clipped)) ||
             nd_json_put(j, "covariance", nd_json_reals(lp->post.cov, lp->post.p * lp->post.p));
    if (!rc && c && c->train) rc = nd_json_put(j, "train", pred_json(c->train, data_name, c->variable));
    if (!rc && c && c->held) rc = nd_json_put(j, "heldout", pred_json(c->held, c->held_name, c->variable));
    if (!rc && c && c->band) {
        const nd_ens_band *b = c->band;
        json_t *tb = json_object();
        rc = nd_json_put(j, "term_band", tb) ||
             nd_json_put(tb, "term", nd_json_utf8(c->term)) ||
             nd_json_put(tb, "band", nd_json_utf8("learned ± 2 predictive SD")) ||
             nd_json_put(tb, "points", json_integer((json_int_t)b->m)) ||
             nd_json_put(tb, "spread", nd_json_real(nd_ens_mean_sd(b))) ||
             nd_json_put(tb, "coverage", nd_json_real(c->coverage)) ||
             nd_json_put(tb, "t", nd_json_reals(c->t, b->m)) ||
             nd_json_put(tb, "learned", nd_json_reals(b->mean, b->m)) ||
             nd_json_put(tb, "sd", nd_json_reals(b->sd, b->m)) ||
             nd_json_put(tb, "true", nd_json_reals(c->truth, b->m));
    }
    return nd_json_dump(nd_json_ok(j, rc));
}

nd_bundle *nd_ude_laplace_view(const nd_ude_laplace *lp, const char *net_name,
                               const char *data_name, const nd_ude_laplace_check *c)
{
    nd_sb s;
    nd_sb_init(&s);
    nd_sb_printf(&s, "Laplace approximation of %s's output layer (%zu weights and biases) on %s\n",
                 net_name, lp->post.p, data_name);
    nd_sb_printf(&s, "  noise: residual RMS %.3g of the data's spread over %zu samples\n",
                 sqrt(lp->data_loss), lp->nobs);
    nd_sb_printf(&s, "  prior precision %.4g (%s), %.3g of %zu parameters well determined\n",
                 lp->post.alpha, lp->post.evidence ? "evidence maximum" : "given",
                 lp->post.gamma, lp->post.p);
    if (lp->post.clipped)
        nd_sb_printf(&s, "  %zu negative curvature directions set to the prior alone\n",
                     lp->post.clipped);
    if (c && c->train) pred_text(&s, c->train, data_name, c->variable);
    if (c && c->held) pred_text(&s, c->held, c->held_name, c->variable);
    if (c && c->band)
        nd_sb_printf(&s, "  %s ± 2 SD: mean SD %.4g; covers the true %s on %.1f %% of %zu points\n",
                     c->term, nd_ens_mean_sd(c->band), c->term, 100 * c->coverage, c->band->m);
    nd_sb html;
    nd_sb_init(&html);
    nd_sb_puts(&html, "<pre>");
    nd_html_escape(&html, nd_sb_str(&s));
    nd_sb_puts(&html, "</pre>");
    return nd_bundle_take3(nd_sb_take(&s), nd_sb_take(&html), laplace_json(lp, net_name, data_name, c));
}
