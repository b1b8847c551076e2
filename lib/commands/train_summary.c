/* What `train` leaves behind: its summary (the view is lib/learn/ude_train_view.c's) and
   the record `t = train …` binds. */
#include <math.h>
#include <stdlib.h>

#include "../learn/ude_params.h"
#include "train.h"

nd_bundle *nd_train_summary(const nd_train_call *tc, const nd_ude_auto_result *res,
                            const nd_ude_verdict *v, const nd_ude_verdict *val)
{
    const nd_ude_stage_report *stages[ND_TRAIN_MAX_STAGES];
    for (size_t i = 0; i < tc->nst; i++) stages[i] = &tc->st[i].r;
    nd_ude_train_report r = {tc->u, tc->net_name, tc->ndata, tc->data_name, tc->ex,
                             stages, tc->nst, res, v, tc->nval, tc->val_name, tc->val_ex, val,
                             tc->fo.nparams, tc->params, tc->param_initial};
    return nd_ude_train_view(&r);
}

/* The stages as a list of records {name, iterations, loss, stopped}. */
static nd_value *stage_list(const nd_train_call *tc)
{
    nd_value *items[ND_TRAIN_MAX_STAGES];
    size_t k = 0;
    int bad = 0;
    for (size_t i = 0; i < tc->nst; i++) {
        const nd_ude_stage_report *s = &tc->st[i].r;
        if (!s->ran) continue;
        char name[64];
        nd_value *r = nd_value_record("training stage", NULL);
        if (!r || nd_record_add_string(r, "name", nd_ude_stage_label(s, name, sizeof name)) ||
            nd_record_add_number(r, "iterations", (double)s->done) ||
            nd_record_add_number(r, "loss", s->loss) ||
            nd_record_add_string(r, "stopped", nd_optim_stop_text(s->stop)))
            bad = 1;
        items[k++] = r;
    }
    if (bad) {
        for (size_t i = 0; i < k; i++) nd_value_unref(items[i]);
        return NULL;
    }
    return nd_value_list(items, k);
}

/* The first observed variable's numbers of verdict v (V in a voltage fit; the JSON has
   them all) added to record r; nonzero on ENOMEM. */
static int add_check(nd_value *r, const nd_ude_verdict *v)
{
    const nd_ude_check *c = v->nvar ? &v->var[0] : NULL;
    return !c || nd_record_add_string(r, "variable", c->name) ||
           nd_record_add_number(r, "noise", c->noise) ||
           nd_record_add_number(r, "residual_rms", c->rms) ||
           nd_record_add_number(r, "rms_over_noise", c->rms / c->scale) ||
           nd_record_add_number(r, "data_spikes", c->spiking ? (double)c->spikes.n_a : NAN) ||
           nd_record_add_number(r, "model_spikes", c->spiking ? (double)c->spikes.n_b : NAN) ||
           nd_record_add_number(r, "gamma", c->spiking ? c->spikes.gamma : NAN) ||
           nd_record_add_vector(r, "spike_time_errors", c->spikes.dt, c->spikes.matched) ||
           nd_record_add_vector(r, "missed_spikes", c->spikes.missing_at, c->spikes.missing) ||
           nd_record_add_vector(r, "extra_spikes", c->spikes.extra_at, c->spikes.extra);
}

/* The experiments as a list of records {data, ok, verdict, variable, noise, …}. */
static nd_value *experiment_list(const nd_train_call *tc, const nd_ude_verdict *v)
{
    nd_value *items[ND_TRAIN_MAX_DATA];
    int bad = 0;
    for (size_t k = 0; k < tc->ndata; k++) {
        char *text = nd_ude_verdict_text(&v[k]);
        nd_value *r = nd_value_record("training experiment", NULL);
        if (!text || !r || nd_record_add_string(r, "data", tc->data_name[k]) ||
            nd_record_add(r, "ok", nd_value_bool(v[k].ok)) ||
            nd_record_add_string(r, "verdict", text) || add_check(r, &v[k]))
            bad = 1;
        free(text);
        items[k] = r;
    }
    if (bad) {
        for (size_t k = 0; k < tc->ndata; k++) nd_value_unref(items[k]);
        return NULL;
    }
    return nd_value_list(items, tc->ndata);
}

/* The held-out experiments as a list of records {data, ok, text, rms, data_spikes,
   model_spikes, matched, gamma}. */
static nd_value *validation_list(const nd_train_call *tc, const nd_ude_verdict *val)
{
    nd_value *items[ND_UDE_MAX_VALIDATE];
    int bad = 0;
    for (size_t k = 0; k < tc->nval; k++) {
        nd_ude_val_score s = nd_ude_val_score_of(&val[k]);
        char *text = nd_ude_val_text(&val[k], tc->val_name[k]);
        nd_value *r = nd_value_record("held-out experiment", NULL);
        if (!text || !r || nd_record_add_string(r, "data", tc->val_name[k]) ||
            nd_record_add(r, "ok", nd_value_bool(s.ok)) ||
            nd_record_add_string(r, "text", text) ||
            nd_record_add_number(r, "rms", s.rms) ||
            nd_record_add_number(r, "data_spikes", s.spiking ? (double)s.data_spikes : NAN) ||
            nd_record_add_number(r, "model_spikes", s.spiking ? (double)s.model_spikes : NAN) ||
            nd_record_add_number(r, "matched", s.spiking ? (double)s.matched : NAN) ||
            nd_record_add_number(r, "gamma", s.gamma))
            bad = 1;
        free(text);
        items[k] = r;
    }
    if (bad) {
        for (size_t k = 0; k < tc->nval; k++) nd_value_unref(items[k]);
        return NULL;
    }
    return nd_value_list(items, tc->nval);
}

/* The physical parameters trained: names, initial values and estimates, as `fit` binds
   them; nonzero on ENOMEM. */
static int add_params(nd_value *r, const nd_train_call *tc)
{
    size_t n = tc->fo.nparams;
    nd_value *names[ND_TRAIN_MAX_OBSERVE];
    double est[ND_TRAIN_MAX_OBSERVE];
    size_t k = 0;
    while (k < n && (names[k] = nd_value_string(tc->params[k]))) k++;
    nd_value *list = k == n ? nd_value_list(names, n) : NULL;
    if (!list)
        while (k-- > 0) nd_value_unref(names[k]);
    nd_ude_params_get(tc->u, tc->params, n, est);
    return !list || nd_record_add(r, "parameters", list) ||
           nd_record_add_vector(r, "initial", tc->param_initial, n) ||
           nd_record_add_vector(r, "estimates", est, n);
}

nd_value *nd_train_record(const nd_train_call *tc, nd_bundle *view,
                          const nd_ude_auto_result *res, const nd_ude_verdict *v,
                          const nd_ude_verdict *val)
{
    nd_value *r = nd_value_record("training", view);
    if (!r) return NULL;
    size_t n;
    const double *h = nd_ude_history(tc->u, &n);
    char *text = nd_ude_verdicts_text(v, tc->ndata, tc->data_name);
    int bad = !text || nd_record_add_string(r, "verdict", text) ||
              nd_record_add(r, "ok", nd_value_bool(nd_ude_verdicts_ok(v, tc->ndata))) ||
              nd_record_add_number(r, "loss", n ? h[n - 1] : NAN) ||
              nd_record_add_vector(r, "history", h, n) ||
              nd_record_add(r, "stages", stage_list(tc));
    if (!bad) bad = add_check(r, &v[0]);
    if (!bad && res && res->attempts)
        bad = nd_record_add_number(r, "attempts", res->attempts) ||
              nd_record_add_number(r, "attempt_kept", res->kept);
    if (!bad) bad = nd_record_add(r, "experiments", experiment_list(tc, v));
    if (!bad && tc->fo.nparams) bad = add_params(r, tc);
    if (!bad && tc->nval) {
        nd_ude_val_score s = nd_ude_val_score_of(&val[0]);
        bad = nd_record_add(r, "validation", validation_list(tc, val)) ||
              nd_record_add_number(r, "validation_rms", s.rms) ||
              nd_record_add_number(r, "validation_gamma", s.gamma);
    }
    free(text);
    if (bad) {
        nd_value_unref(r);
        return NULL;
    }
    return r;
}
