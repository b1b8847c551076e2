/* Sweeps as training experiments and held-out scores: the stimulus a dataset's I column
   gives (the column is the parameter's whole value), the missing and extra spike times of
   nd_compare_trains the verdict now reports, and a held-out score equal to the verdict's
   numbers on the same data. */
#include <math.h>
#include <stdlib.h>

#include "../../lib/analysis/compare.h"
#include "../../lib/learn/ude.h"
#include "../../lib/learn/ude_validate.h"
#include "../../lib/language/workspace.h"
#include "rec_sink.h"
#include "test.h"

/* hh_rinzel with I = 2 as its own value, a network of V and n in place of INa. */
static nd_ude *rinzel_net(void)
{
    nd_model *m = nd_model_builtin("hh_rinzel", NULL);
    nd_model_set_par(m, "I", 2, NULL);
    const char *rep[] = {"INa"}, *in[] = {"V", "n"};
    size_t hidden[] = {4};
    nd_ude_spec s = {rep, 1, in, 2, hidden, 1, ND_ACT_TANH, 1};
    nd_ude *u = nd_ude_create(m, &s, NULL);
    nd_model_free(m);
    return u;
}

TEST(ude_sweep_column_is_the_stimulus)
{
    nd_ude *u = rinzel_net();
    const char *names[] = {"t", "V", "I"};
    nd_dataset *d = nd_ds_create(3, names, NULL);
    CHECK(u && d);
    if (!u || !d) goto out;
    for (int j = 0; j <= 10; j++) {
        double row[3] = {0.5 * j, -65, j < 4 ? 0 : 7.5};   /* a step to 7.5 at t = 2 */
        nd_ds_append(d, row);
    }
    nd_ude_experiment ex;
    nd_stim *held = NULL;
    CHECK_INT(nd_ude_experiment_from(u, d, &ex, &held, NULL), ND_OK);
    CHECK(held != NULL && ex.stim == held && ex.data == d);
    CHECK_INT(ex.stim_par, nd_model_index(nd_ude_truth(u), ND_MODEL_PAR, "I"));
    if (held) {
        nd_stim *s = nd_stim_copy(held);
        CHECK_INT(nd_stim_prepare(s, 5, NULL), ND_OK);
        /* p + u(t) must be the column: u = column − 2, linear between samples */
        CHECK_NEAR(2 + nd_stim_eval(s, 0.5), 0, 1e-12);
        CHECK_NEAR(2 + nd_stim_eval(s, 2.0), 7.5, 1e-12);
        CHECK_NEAR(2 + nd_stim_eval(s, 1.75), 3.75, 1e-12);
        nd_stim_free(s);
    }
    nd_stim_free(held);
    /* data that records its stimulus keeps it: nothing made */
    nd_stim *att = nd_stim_create();
    nd_stim_add_step(att, 1, 3, 4);
    nd_ds_set_stim(d, att);
    nd_ds_set_meta(d, "input", "I");
    CHECK_INT(nd_ude_experiment_from(u, d, &ex, &held, NULL), ND_OK);
    CHECK(held == NULL && ex.stim == nd_ds_stim(d));
out:
    nd_ds_free(d);
    nd_ude_free(u);
}

TEST(compare_lists_missing_and_extra_times)
{
    const double a[] = {10, 30, 50}, b[] = {10.5, 40, 49.1, 50.2};
    nd_compare c;
    CHECK_INT(nd_compare_trains(a, 3, b, 4, 0, 100, 2, &c, NULL), ND_OK);
    CHECK_INT(c.matched, 2);
    CHECK_INT(c.missing, 1);
    CHECK_INT(c.extra, 2);
    CHECK(c.missing == 1 && c.missing_at[0] == 30);
    /* 50 takes its nearest partner (50.2), so 49.1 is the extra one */
    CHECK(c.extra == 2 && c.extra_at[0] == 40 && c.extra_at[1] == 49.1);
    CHECK(c.matched == 2 && fabs(c.dt[1] - 0.2) < 1e-12);
    nd_compare_clear(&c);
}

TEST(ude_held_out_score_is_the_verdicts_numbers)
{
    /* A trace that spikes, checked against a model trace one sample late. */
    enum { M = 400 };
    double t[M], y[M], m[M];
    for (int i = 0; i < M; i++) {
        t[i] = 0.1 * i;
        y[i] = -65 + 100 * exp(-pow(fmod(t[i], 10) - 5, 2));
        m[i] = -65 + 100 * exp(-pow(fmod(t[i] - 0.1, 10) - 5, 2));
    }
    nd_ude_verdict v = {0, 1, calloc(1, sizeof(nd_ude_check))};
    CHECK_INT(nd_ude_check_var(t, y, m, M, &v.var[0], NULL), ND_OK);
    nd_ude_val_score s = nd_ude_val_score_of(&v);
    double ss = 0;
    for (int i = 0; i < M; i++) ss += (m[i] - y[i]) * (m[i] - y[i]);
    CHECK_NEAR(s.rms, sqrt(ss / M), 1e-9);
    CHECK(s.spiking);
    CHECK_INT(s.data_spikes, 4);
    CHECK_INT(s.model_spikes, 4);
    CHECK_INT(s.matched, 4);
    CHECK_NEAR(s.gamma, 1.0, 1e-12);   /* every spike paired, none extra: Γ = 1 exactly */
    char *text = nd_ude_val_text(&v, "held");
    CHECK_CONTAINS(text, "held (held out): the variable RMS");
    CHECK_CONTAINS(text, "4 spikes in the data, 4 in the model, 4 matched");
    free(text);
    nd_ude_verdict_clear(&v);
}

TEST(cmd_train_validate_and_params_end_to_end)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh_rinzel\nstim step at=1 dur=20 amp=10\n"
                                  "d1 = simulate t=8 sample=0.1 observe=V noise=0.05 seed=1\n"
                                  "stim step at=1 dur=20 amp=15\n"
                                  "h = simulate t=8 sample=0.1 observe=V noise=0.05 seed=2\n"
                                  "net = ude replace=INa inputs=V,n hidden=5 seed=3\n"
                                  "t = train net d1 observe=V validate=[h] params=[gK] "
                                  "lbfgs iters=3 then lbfgs iters=2"),
              ND_OK);
    const rec_event *d = NULL;
    for (int i = f.r.n - 1; i >= 0 && !d; i--)
        if (f.r.ev[i].json && strstr(f.r.ev[i].json, "\"type\":\"training\"")) d = &f.r.ev[i];
    CHECK(d != NULL);
    if (d) {
        CHECK_CONTAINS(d->text, "held-out RMS");
        CHECK_CONTAINS(d->text, "h (held out): V RMS");
        CHECK_CONTAINS(d->text, "(start → estimate): gK 36 → ");
        CHECK_CONTAINS(d->json, "\"validation\":[{\"data\":\"h\",\"rows\":81");
        CHECK_CONTAINS(d->json, "\"parameters\":[{\"name\":\"gK\",\"initial\":36.0");
    }
    nd_value *t = nd_ws_get(nd_interp_workspace(f.in), "t");
    nd_value *v = t && t->kind == ND_VAL_RECORD ? nd_record_get(t, "validation") : NULL;
    CHECK(v && v->kind == ND_VAL_LIST && v->as.list.n == 1);
    nd_value *rms = t ? nd_record_get(t, "validation_rms") : NULL;
    CHECK(rms && rms->kind == ND_VAL_NUMBER && rms->as.num > 0);
    /* errors on the word that is wrong */
    CHECK_INT(rec_fixture_run(&f, "train net d1 observe=V params=[gk] lbfgs iters=1"),
              ND_ENAME);
    CHECK_CONTAINS(f.e.msg, "did you mean 'gK'");
    CHECK_INT(rec_fixture_run(&f, "train net d1 observe=V validate=[nothing] lbfgs iters=1"),
              ND_ENAME);
    rec_fixture_teardown(&f);
}
