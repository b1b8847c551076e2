/* The science and views the learning commands call, used from C without the language:
   a SINDy job on samples of a known equation, derivatives of a known polynomial, the
   training summary's words, and the JSON helpers they are built with. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>

#include "../../lib/base/json.h"
#include "../../lib/learn/deriv_set.h"
#include "../../lib/learn/hybrid_view.h"
#include "../../lib/learn/sindy_job.h"
#include "../../lib/learn/ude_stages.h"
#include "../../lib/learn/ude_train_view.h"
#include "../../lib/plot/annotate.h"
#include "test.h"
#include "ude_fixture.h"

/* t and x = exp(-2 t) on [0, 2] every 0.001: dx/dt = -2 x exactly. */
static nd_dataset *decay(void)
{
    const char *names[] = {"t", "x"}, *units[] = {"s", ""};
    nd_dataset *ds = nd_ds_create(2, names, units);
    for (int i = 0; ds && i <= 2000; i++) {
        double row[2] = {0.001 * i, exp(-0.002 * i)};
        nd_ds_append(ds, row);
    }
    return ds;
}

TEST(sindy_job_recovers_a_decay_rate_and_shows_it)
{
    nd_dataset *ds = decay();
    nd_sindy_job job = {.name = "rec", .target_text = "data"};
    nd_sindy_options_default(&job.opt);
    nd_deriv_options d;
    nd_deriv_options_default(&d, ND_DERIV_FD);
    nd_error err = {0};
    CHECK_INT(nd_sindy_job_columns(&job, ds, &err), ND_OK);
    CHECK_INT(nd_sindy_job_default_targets(&job, &err), ND_OK);   /* no model: every column */
    CHECK_INT(job.ntargets, 1);
    CHECK_INT(nd_sindy_job_dataset_samples(&job, ds, &d, &err), ND_OK);
    CHECK_INT(nd_sindy_job_library(&job, NULL, &err), ND_OK);     /* poly(3): 1, x, x^2, x^3 */
    CHECK_INT(nd_sindy_lib_size(job.lib), 4);
    CHECK_INT(nd_sindy_job_regress(&job, NULL, &err), ND_OK);
    const double *c = nd_sindy_coef(job.fit);
    /* second-order differences at h = 1e-3: relative error about h² · 4 / 6 */
    CHECK_NEAR(c[1], -2.0, 1e-5);
    CHECK(c[0] == 0 && c[2] == 0 && c[3] == 0);
    nd_sb eq;
    nd_sb_init(&eq);
    nd_sindy_view_equation(&job, 0, &eq);
    CHECK_STR(nd_sb_str(&eq), "dx/dt = -2.000 x");
    nd_sb_free(&eq);

    nd_bundle *eqs = NULL, *table = NULL;
    CHECK_INT(nd_sindy_view(&job, "rec", NULL, &eqs, &table, &err), ND_OK);
    json_t *j = eqs ? json_loads(nd_bundle_get(eqs, ND_MIME_JSON), 0, NULL) : NULL;
    json_t *e0 = json_array_get(json_object_get(j, "equations"), 0);
    CHECK_STR(json_string_value(json_object_get(j, "type")), "sindy");
    CHECK_INT(json_integer_value(json_object_get(j, "rows")), 2001);
    CHECK(json_is_null(json_object_get(j, "deriv")));    /* the caller did not name it */
    CHECK_STR(json_string_value(json_object_get(j, "model")), "rec");
    CHECK_INT(json_integer_value(json_object_get(e0, "nterms")), 1);
    CHECK_NEAR(json_real_value(json_array_get(json_object_get(e0, "coefficients"), 1)), -2.0,
               1e-5);
    CHECK(table && !strcmp(nd_bundle_get(table, ND_MIME_JSON), nd_bundle_get(eqs, ND_MIME_JSON)));
    CHECK_CONTAINS(table ? nd_bundle_get(table, "text/plain") : NULL, "residual RMS");
    json_decref(j);
    nd_bundle_free(eqs);
    nd_bundle_free(table);

    /* the recovered model is a model of x whose right-hand side at x = 1 is -2 */
    nd_sb why;
    nd_sb_init(&why);
    nd_model *m = nd_sindy_job_model(&job, &why, &err);
    CHECK(m != NULL);
    if (m) {
        double y = 1, dy = 0;
        CHECK_INT(nd_model_count(m, ND_MODEL_STATE), 1);
        nd_model_rhs(m, 0, &y, nd_model_pars(m), &dy);
        CHECK_NEAR(dy, -2.0, 1e-5);
    }
    nd_model_free(m);
    nd_sb_free(&why);
    nd_sindy_job_clear(&job);
    nd_ds_free(ds);
}

TEST(sindy_job_library_errors_name_the_problem)
{
    nd_dataset *ds = decay();
    nd_sindy_job job = {.name = "rec"};
    nd_error err = {0};
    nd_sindy_job_columns(&job, ds, &err);
    nd_expr empty = {.kind = ND_EXPR_LIST, .line = 1, .col = 5, .span = 2};
    CHECK_INT(nd_sindy_job_library(&job, &empty, &err), ND_EVALUE);
    CHECK_STR(err.msg, "the library is empty");
    nd_sindy_job_clear(&job);
    nd_ds_free(ds);
}

/* t and x = t² on [0, 1] every 0.01: dx/dt = 2t, which fd and Savitzky–Golay (order ≥ 2)
   give exactly, and whose total variation over [0, 1] is 2. */
TEST(deriv_set_differentiates_and_compares_a_quadratic)
{
    const char *names[] = {"t", "x"}, *units[] = {"ms", "mV"};
    nd_dataset *ds = nd_ds_create(2, names, units);
    for (int i = 0; i <= 100; i++) {
        double row[2] = {0.01 * i, 0.0001 * i * i};
        nd_ds_append(ds, row);
    }
    int cols[] = {1};
    nd_deriv_set s = {.ds = ds, .src = "q", .cols = cols, .nvars = 1, .method = -1,
                      .compare = 1};
    nd_deriv_options all = nd_deriv_set_shared(&s);   /* a comparison computes savgol */
    CHECK_INT(all.method, ND_DERIV_SAVGOL);
    all.window = 7;
    nd_deriv_set_options(&s, &all);
    CHECK_INT(s.o[ND_DERIV_TV].method, ND_DERIV_TV);   /* each keeps its own method */
    CHECK_INT(s.o[ND_DERIV_FD].window, 7);
    s.method = ND_DERIV_FD;
    s.compare = 0;
    CHECK_INT(nd_deriv_set_shared(&s).method, ND_DERIV_FD);   /* no window to check */
    s.method = -1;
    s.compare = 1;
    nd_error err = {0};
    CHECK_INT(nd_deriv_set_run(&s, NULL, &err), ND_OK);
    nd_dataset *res = nd_deriv_set_dataset(&s);
    CHECK(res && nd_ds_cols(res) == 4);
    if (res) {
        CHECK_STR(nd_ds_name(res, 1), "dx/dt_fd");
        CHECK_STR(nd_ds_unit(res, 2), "mV/ms");
        CHECK_NEAR(nd_ds_col(res, 1)[37], 0.74, 1e-12);
        CHECK_NEAR(nd_ds_col(res, 2)[100], 2.0, 1e-9);
        CHECK_STR(nd_ds_meta(res, "derivative_method"), "all");
    }
    nd_bundle *b = nd_deriv_view_compare(&s, 0);
    json_t *j = b ? json_loads(nd_bundle_get(b, ND_MIME_JSON), 0, NULL) : NULL;
    json_t *fd = json_array_get(json_object_get(j, "methods"), 0);
    CHECK_STR(json_string_value(json_object_get(j, "type")), "derivative_comparison");
    CHECK_NEAR(json_real_value(json_object_get(fd, "total_variation")), 2.0, 1e-9);
    CHECK_NEAR(json_real_value(json_object_get(json_object_get(fd, "rms_difference"), "savgol")),
               0.0, 1e-9);
    json_decref(j);
    nd_bundle_free(b);
    b = res ? nd_deriv_view_summary(&s, res) : NULL;
    CHECK_CONTAINS(b ? nd_bundle_get(b, "text/plain") : NULL, "dx/dt in q by fd, savgol and tv");
    nd_bundle_free(b);
    nd_ds_free(res);
    nd_deriv_set_clear(&s);
    nd_ds_free(ds);
}

TEST(train_view_names_stages_and_verdicts)
{
    char buf[64];
    nd_ude_stage_report s = {.kind = ND_OPTIM_LBFGS, .segments = 10, .attempt = 2};
    CHECK_STR(nd_ude_stage_label(&s, buf, sizeof buf), "lbfgs ×10 attempt 2");
    s.colloc = 1;   /* derivative matching has no segments */
    CHECK_STR(nd_ude_stage_label(&s, buf, sizeof buf), "lbfgs (colloc) attempt 2");
    nd_ude_verdict v[3] = {{.ok = 1}, {.ok = 0}, {.ok = 1}};
    const char *names[] = {"step", "ramp", "noise"};
    char *t = nd_ude_verdicts_text(v, 3, names);
    CHECK_STR(t, "NOT a good fit on 1 of the 3 datasets (ramp)");
    free(t);
    CHECK(!nd_ude_verdicts_ok(v, 3));
    v[1].ok = 1;
    t = nd_ude_verdicts_text(v, 3, names);
    CHECK_STR(t, "good fit on all 3 datasets");
    free(t);
    CHECK(nd_ude_verdicts_ok(v, 3));
    CHECK_STR(nd_optim_stop_text(ND_OPTIM_GTOL), "gradient below gtol");
}

TEST(json_seeds_and_figure_annotations)
{
    json_t *a = nd_json_u64(5), *b = nd_json_u64(9223372036854775813ULL);
    CHECK(json_is_integer(a) && json_integer_value(a) == 5);
    CHECK_STR(json_string_value(b), "9223372036854775813");   /* beyond json_int_t */
    json_decref(a);
    json_decref(b);
    nd_bundle *fig = nd_bundle_create();
    nd_bundle_set(fig, "text/plain", "figure: V against t");
    nd_bundle_set(fig, ND_MIME_JSON, "{\"type\":\"figure\",\"panels\":2}");
    CHECK_INT(nd_fig_caption(fig, "RMS 0.5"), 0);
    CHECK_STR(nd_bundle_get(fig, "text/plain"), "figure: V against t\nRMS 0.5");
    CHECK_INT(nd_fig_caption(fig, NULL), 0);
    CHECK_STR(nd_bundle_get(fig, "text/plain"), "figure: V against t\nRMS 0.5");
    nd_bundle_set(fig, "text/plain", "");   /* no text yet: the caption alone */
    CHECK_INT(nd_fig_caption(fig, "RMS 0.5"), 0);
    CHECK_STR(nd_bundle_get(fig, "text/plain"), "RMS 0.5");
    nd_bundle_free(fig);
}

/* Two explicit stages on a Lotka–Volterra UDE: each logs exactly the iterations it was
   given (Adam never stops early), after the network's earlier history, and reports them. */
TEST(ude_run_logs_each_stage_after_the_history)
{
    static const char lv[] = "dx/dt = alpha*x + U1\ndy/dt = -delta*y + gamma*x*y\n"
                             "U1 = -beta*x*y\npar alpha = 1.3, beta = 0.9, gamma = 0.8, "
                             "delta = 1.8\ninit x = 0.4425, y = 4.628\n";
    nd_model *m = nd_model_parse("lv", lv, sizeof lv - 1, 1, 1, NULL);
    nd_dataset *data = m ? ude_fx_simulate(m, NULL, -1, 2, 0.1) : NULL;
    const char *rep[] = {"U1"}, *in[] = {"x", "y"};
    size_t hidden[] = {4};
    nd_ude_spec spec = {rep, 1, in, 2, hidden, 1, ND_ACT_TANH, 1};
    nd_ude *u = m ? nd_ude_create(m, &spec, NULL) : NULL;
    nd_bundle *eqs = u ? nd_ude_equations(u) : NULL;   /* the term reads the network */
    CHECK_CONTAINS(eqs ? nd_bundle_get(eqs, "text/plain") : NULL, "  U1 = network(x, y)\n");
    CHECK_CONTAINS(eqs ? nd_bundle_get(eqs, "text/plain") : NULL, "  dy/dt = -delta*y");
    nd_bundle_free(eqs);
    nd_ude_experiment ex = {data, NULL, -1};
    nd_ude_train_stage st[2] = {{.r.kind = ND_OPTIM_ADAM, .iters = 4, .collocation = -1},
                                {.r.kind = ND_OPTIM_ADAM, .r.segments = 2, .iters = 3,
                                 .collocation = -1}};
    nd_optim_options_default(&st[0].o);
    st[1].o = st[0].o;
    nd_ude_run r = {.u = u, .ex = &ex, .nex = 1, .stages = st, .nstages = 2, .cap = 2};
    nd_ude_fit_options_default(&r.fo);
    nd_error err = {0};
    CHECK(u && data);
    if (u && data) {
        CHECK_INT(nd_ude_run_begin(&r), 0);
        CHECK_INT(r.n, 0);                       /* untrained: no history yet */
        CHECK_INT(nd_ude_run_stages(&r, NULL, &err), ND_OK);
        CHECK_INT(r.n, 7);
        CHECK_INT(r.nlogged, 2);
        CHECK_INT(r.starts[1], 4);
        CHECK(st[0].r.ran && st[0].r.done == 4 && st[1].r.done == 3);
        CHECK_INT(st[0].r.segments, 1);          /* the run's default */
        CHECK_INT(st[1].r.segments, 2);
        CHECK(st[1].r.loss == r.loss[6]);
        CHECK(nd_ude_run_best(&r) <= st[1].r.loss);
        size_t n;
        nd_ude_history(u, &n);
        CHECK_INT(n, 7);                         /* the network keeps the same history */
        nd_bundle *b = nd_ude_run_view(&r, "net", -1, " · done", 1);
        CHECK_CONTAINS(b ? nd_bundle_get(b, "text/plain") : NULL,
                       "training net: stage adam ×2 · iteration 3/3 · loss ");
        CHECK_CONTAINS(b ? nd_bundle_get(b, "text/plain") : NULL, " · done · good fit");
        nd_bundle_free(b);
    }
    nd_ude_run_free(&r);
    nd_ude_free(u);
    nd_ds_free(data);
    nd_model_free(m);
}

/* Named targets are checked by the job (a column, once); the recovered model carries the
   source's stimulus only when it drives one of its own parameters. */
TEST(sindy_job_targets_and_carried_stimulus)
{
    nd_dataset *ds = decay();
    nd_sindy_job job = {.name = "rec", .target_text = "data"};
    nd_error err = {0};
    CHECK_INT(nd_sindy_job_columns(&job, ds, &err), ND_OK);
    CHECK_INT(nd_sindy_job_add_target(&job, ds, "x", &err), ND_OK);
    CHECK_INT(nd_sindy_job_add_target(&job, ds, "x", &err), ND_EVALUE);
    CHECK_STR(err.msg, "'x' is named twice");
    CHECK_INT(nd_sindy_job_add_target(&job, ds, "t", &err), ND_ENAME);   /* time is no target */
    CHECK_INT(job.ntargets, 1);
    static const char src[] = "dx/dt = -k*x + I\npar k = 2, I = 0\ninit x = 1\n";
    nd_model *m = nd_model_parse("d", src, sizeof src - 1, 1, 1, &err);
    nd_stim *s = nd_stim_create();
    CHECK(s && nd_stim_add_step(s, 1, 2, 3) == ND_OK);
    int par = -7;
    nd_stim *c = m ? nd_sindy_job_stim(&job, s, 1, m, &par) : NULL;
    CHECK(c && par == 1 && nd_stim_eval(c, 2) == 3);
    nd_stim_free(c);
    CHECK(m && nd_sindy_job_stim(&job, s, 2, m, &par) == NULL);        /* no parameter 2 */
    CHECK(m && nd_sindy_job_stim(&job, NULL, -1, m, &par) == NULL);
    nd_stim_free(s);
    nd_model_free(m);
    nd_sindy_job_clear(&job);
    nd_ds_free(ds);
}
