/* The values a hybrid's training, its Laplace posterior and an ensemble of hybrids expose
   (ude_train_view.h, ude_laplace_view.h, ude_ensemble_view.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ude_ensemble_view.h"
#include "ude_laplace_view.h"
#include "ude_params.h"
#include "ude_train_view.h"

/* The first observed variable's numbers of verdict v (V in a voltage fit; the JSON has
   them all). */
static void check(nd_fields *f, const nd_ude_verdict *v)
{
    const nd_ude_check *c = v->nvar ? &v->var[0] : NULL;
    if (!c) {
        nd_fields_fail(f, ND_EVALUE);   /* nothing observed: no record */
        return;
    }
    nd_fields_string(f, "variable", c->name);
    nd_fields_number(f, "noise", c->noise);
    nd_fields_number(f, "residual_rms", c->rms);
    nd_fields_number(f, "rms_over_noise", c->rms / c->scale);
    nd_fields_number(f, "data_spikes", c->spiking ? (double)c->spikes.n_a : NAN);
    nd_fields_number(f, "model_spikes", c->spiking ? (double)c->spikes.n_b : NAN);
    nd_fields_number(f, "gamma", c->spiking ? c->spikes.gamma : NAN);
    nd_fields_vector(f, "spike_time_errors", c->spikes.dt, c->spikes.matched);
    nd_fields_vector(f, "missed_spikes", c->spikes.missing_at, c->spikes.missing);
    nd_fields_vector(f, "extra_spikes", c->spikes.extra_at, c->spikes.extra);
}

static void stages(nd_fields *f, const nd_ude_train_report *r)
{
    nd_fields *l = nd_fields_list(f, "stages");
    for (size_t i = 0; i < r->nstages; i++) {
        const nd_ude_stage_report *s = r->stages[i];
        if (!s->ran) continue;
        char name[64];
        nd_fields *st = nd_fields_record(l, NULL, "training stage");
        nd_fields_string(st, "name", nd_ude_stage_label(s, name, sizeof name));
        nd_fields_number(st, "iterations", (double)s->done);
        nd_fields_number(st, "loss", s->loss);
        nd_fields_string(st, "stopped", nd_optim_stop_text(s->stop));
    }
}

/* The verdict's text (malloc'ed, freed here) as field name of f. */
static void text(nd_fields *f, const char *name, char *s)
{
    if (s) nd_fields_string(f, name, s);
    else nd_fields_fail(f, ND_ENOMEM);
    free(s);
}

static void experiments(nd_fields *f, const nd_ude_train_report *r)
{
    nd_fields *l = nd_fields_list(f, "experiments");
    for (size_t k = 0; k < r->ndata; k++) {
        nd_fields *e = nd_fields_record(l, NULL, "training experiment");
        nd_fields_string(e, "data", r->data_names[k]);
        nd_fields_bool(e, "ok", r->verdicts[k].ok);
        text(e, "verdict", nd_ude_verdict_text(&r->verdicts[k]));
        check(e, &r->verdicts[k]);
    }
}

static void validation(nd_fields *f, const nd_ude_train_report *r)
{
    nd_fields *l = nd_fields_list(f, "validation");
    for (size_t k = 0; k < r->nval; k++) {
        nd_ude_val_score s = nd_ude_val_score_of(&r->val_verdicts[k]);
        nd_fields *e = nd_fields_record(l, NULL, "held-out experiment");
        nd_fields_string(e, "data", r->val_names[k]);
        nd_fields_bool(e, "ok", s.ok);
        text(e, "text", nd_ude_val_text(&r->val_verdicts[k], r->val_names[k]));
        nd_fields_number(e, "rms", s.rms);
        nd_fields_number(e, "data_spikes", s.spiking ? (double)s.data_spikes : NAN);
        nd_fields_number(e, "model_spikes", s.spiking ? (double)s.model_spikes : NAN);
        nd_fields_number(e, "matched", s.spiking ? (double)s.matched : NAN);
        nd_fields_number(e, "gamma", s.gamma);
    }
    nd_ude_val_score s = nd_ude_val_score_of(&r->val_verdicts[0]);
    nd_fields_number(f, "validation_rms", s.rms);
    nd_fields_number(f, "validation_gamma", s.gamma);
}

nd_fields *nd_ude_train_fields(const nd_ude_train_report *r)
{
    nd_fields *f = nd_fields_create("training");
    size_t n;
    const double *h = nd_ude_history(r->u, &n);
    text(f, "verdict", nd_ude_verdicts_text(r->verdicts, r->ndata, r->data_names));
    nd_fields_bool(f, "ok", nd_ude_verdicts_ok(r->verdicts, r->ndata));
    nd_fields_number(f, "loss", n ? h[n - 1] : NAN);
    nd_fields_vector(f, "history", h, n);
    stages(f, r);
    check(f, &r->verdicts[0]);
    if (r->recipe && r->recipe->attempts) {
        nd_fields_number(f, "attempts", r->recipe->attempts);
        nd_fields_number(f, "attempt_kept", r->recipe->kept);
    }
    experiments(f, r);
    if (r->nparams) {
        nd_fields_strings(f, "parameters", r->params, r->nparams);
        nd_fields_vector(f, "initial", r->param_initial, r->nparams);
        double *est = nd_fields_vector_fill(f, "estimates", r->nparams);
        if (est) nd_ude_params_get(r->u, r->params, r->nparams, est);
    }
    if (r->nval) validation(f, r);
    return nd_fields_done(f);
}

nd_fields *nd_ude_laplace_fields(const nd_ude_laplace *lp, const nd_ude_laplace_check *c)
{
    nd_fields *f = nd_fields_create("laplace");
    nd_fields_number(f, "parameters", (double)lp->post.p);
    nd_fields_number(f, "prior_precision", lp->post.alpha);
    nd_fields_number(f, "well_determined", lp->post.gamma);
    nd_fields_number(f, "noise_rms", sqrt(lp->data_loss));
    nd_fields_vector(f, "covariance", lp->post.cov, lp->post.p * lp->post.p);
    nd_fields_number(f, "spread", nd_ens_mean_sd(&c->train->band));
    nd_fields_number(f, "coverage", c->train->coverage);
    nd_fields_number(f, "predictive_coverage", c->train->predictive);
    if (c->held) {
        nd_fields_number(f, "heldout_spread", nd_ens_mean_sd(&c->held->band));
        nd_fields_number(f, "heldout_coverage", c->held->coverage);
        nd_fields_number(f, "heldout_predictive_coverage", c->held->predictive);
    }
    if (c->band) {
        nd_fields_number(f, "term_spread", nd_ens_mean_sd(c->band));
        nd_fields_number(f, "term_coverage", c->coverage);
    }
    return nd_fields_done(f);
}

/* The numbers of check c, their names prefixed. */
static void ens_check(nd_fields *f, const char *prefix, const nd_ude_ens_check *c)
{
    static const char *const names[] = {"spread", "noise", "coverage", "predictive_coverage"};
    const double x[] = {c->spread, c->noise, c->coverage, c->predictive};
    char k[64];
    for (int i = 0; i < 4; i++) {
        snprintf(k, sizeof k, "%s%s", prefix, names[i]);
        nd_fields_number(f, k, x[i]);
    }
}

nd_fields *nd_ude_ens_fields(const nd_ude_ens *e, const nd_ude_ens_check *train,
                             const nd_ude_ens_check *held, const nd_ens_band *term,
                             double term_coverage)
{
    nd_fields *f = nd_fields_create(ND_UDE_ENS_TYPE);
    nd_fields *seeds = nd_fields_list(f, "seeds");
    char s[32];
    size_t nok = 0;
    for (size_t i = 0; i < e->n; i++) {
        snprintf(s, sizeof s, "%llu", (unsigned long long)e->seed[i]);
        nd_fields_string(seeds, NULL, s);
        nok += e->ok[i] != 0;
    }
    nd_fields_number(f, "size", (double)e->n);
    nd_fields_number(f, "good_fits", (double)nok);
    nd_fields_vector(f, "losses", e->loss, e->n);
    double *ok = nd_fields_vector_fill(f, "ok", e->n);
    for (size_t i = 0; ok && i < e->n; i++) ok[i] = e->ok[i] != 0;
    nd_fields_vector(f, "rms_over_noise", e->rms_over_noise, e->n);
    nd_fields_string(f, "band", "mean ± 2 SD of the members");
    ens_check(f, "", train);
    if (held) ens_check(f, "heldout_", held);
    if (term) {
        nd_fields_number(f, "term_spread", nd_ens_mean_sd(term));
        nd_fields_number(f, "term_coverage", term_coverage);
    }
    return nd_fields_done(f);
}
