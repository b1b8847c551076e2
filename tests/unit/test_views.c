/* The views next to the science (spikes_view, fi_view, eq_view, ds_figure, model_view,
   select, the JSON builders): values checked against what the inputs imply by hand. */
#include "test.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/analysis/eq_view.h"
#include "../../lib/analysis/fi_view.h"
#include "../../lib/analysis/phase_setup.h"
#include "../../lib/analysis/phase_view.h"
#include "../../lib/analysis/spikes_view.h"
#include "../../lib/base/json.h"
#include "../../lib/base/numfmt.h"
#include "../../lib/data/noise.h"
#include "../../lib/data/select.h"
#include "../../lib/models/model.h"
#include "../../lib/plot/ds_figure.h"

/* The parsed JSON of b (NULL when absent or invalid); json_decref it. */
static json_t *json_of(const nd_bundle *b)
{
    const char *s = b ? nd_bundle_get(b, ND_MIME_JSON) : NULL;
    return s ? json_loads(s, 0, NULL) : NULL;
}

static double num(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

TEST(json_builders_spell_nonfinite_and_repair_utf8)
{
    char *s = nd_json_dump(nd_json_reals((double[]){1.5, NAN, INFINITY, -INFINITY}, 4));
    CHECK_STR(s, "[1.5,\"nan\",\"inf\",\"-inf\"]");
    free(s);
    json_t *arr = json_array();
    CHECK_INT(nd_json_push(arr, nd_json_utf8("a\xff" "b\xed\xa0\x80" "c µ")), 0);
    s = nd_json_dump(arr);
    CHECK_STR(s, "[\"a?b???c µ\"]");
    free(s);
    json_t *o = json_object();
    CHECK_INT(nd_json_put(o, "x", NULL), -1);   /* a failed constructor is reported */
    json_decref(o);
}

/* Four spikes 20 ms apart in a 100 ms window: 50 Hz by the intervals, 40 Hz by count. */
TEST(spikes_view_rates_and_rule_once)
{
    double times[] = {10, 30, 50, 70}, peaks[] = {30, 31, 32, 33}, pt[] = {11, 31, 51, 71};
    nd_spikes s = {4, times, pt, peaks, -20, NAN, 0};
    nd_spikes_rule rule = {ND_SPIKES_VOLTAGE, -20, 10, 30};
    nd_spikes_report r = {&s, &rule, "V", "mV", "Hz", 0, 100};
    nd_bundle *b = nd_spikes_bundle(&r);
    json_t *j = json_of(b);
    CHECK(j != NULL);
    CHECK_INT((int)num(j, "count"), 4);
    CHECK_NEAR(num(j, "rate_hz"), 1000.0 / 20, 1e-12);
    CHECK_NEAR(num(j, "count_rate_hz"), 1000.0 * 4 / 100, 1e-12);
    CHECK_NEAR(json_real_value(json_array_get(json_object_get(j, "isi"), 2)), 20, 1e-12);
    CHECK_INT((int)json_array_size(json_object_get(j, "isi")), 3);
    CHECK_NEAR(num(j, "isi_cv"), 0, 0);                                   /* equal intervals */
    CHECK_STR(json_string_value(json_object_get(j, "block_start")), "nan");   /* no block */
    const char *text = json_string_value(json_object_get(json_object_get(j, "rule"), "text"));
    CHECK_CONTAINS(text, "crossing -20 mV upwards, back below -30 mV");
    /* the rule is written once in the text, and the JSON carries the same words */
    const char *plain = nd_bundle_get(b, "text/plain");
    CHECK_INT(count_of(plain, "crossing -20 mV"), 1);
    CHECK_CONTAINS(plain, text);
    CHECK_CONTAINS(plain, "4 spikes of V in [0, 100]");
    json_decref(j);
    nd_bundle_free(b);
}

/* Kistler's Γ by hand: A = {10, 20, 30}, B = {10.5, 31, 50} in [0, 100], Δ = 2:
   two coincidences, ν = 3/100, 2νΔN_A = 0.36, Γ = (2 − 0.36) / (3 (1 − 0.12)). */
TEST(compare_view_counts_and_gamma)
{
    double a[] = {10, 20, 30}, b[] = {10.5, 31, 50};
    nd_compare c = {0};
    nd_error e = {0};
    CHECK_INT(nd_compare_trains(a, 3, b, 3, 0, 100, 2, &c, &e), ND_OK);
    nd_compare_report r = {&c, a, b, 3, 3, NAN, NULL, NULL, 0, 100};
    nd_bundle *bu = nd_compare_bundle(&r);
    json_t *j = json_of(bu);
    CHECK_INT((int)num(j, "matched"), 2);
    CHECK_INT((int)num(j, "missing"), 1);
    CHECK_INT((int)num(j, "extra"), 1);
    CHECK_NEAR(num(j, "gamma"), (2 - 0.36) / (3 * (1 - 0.12)), 1e-12);
    CHECK(json_is_null(json_object_get(j, "variable")));
    CHECK_STR(json_string_value(json_object_get(j, "rms")), "nan");
    CHECK(strstr(nd_bundle_get(bu, "text/plain"), "RMS") == NULL);
    json_decref(j);
    nd_bundle_free(bu);
    nd_compare_clear(&c);
}

/* Up: silent until 3; down: fires down to 2: onset 3, offset 2, bistable at 2 only. */
TEST(fi_view_findings_text_json_dataset)
{
    nd_error e = {0};
    nd_model *m = nd_model_builtin("hh", &e);
    CHECK(m != NULL);
    if (!m) return;
    double v[] = {0, 1, 2, 3, 4}, up[] = {0, 0, 0, 10, 20}, down[] = {0, 0, 5, 10, 20};
    nd_fi_result r = {5, v, up, down, -20, 10, 0};
    nd_fi_options o;
    nd_fi_options_default(&o, nd_model_index(m, ND_MODEL_PAR, "I"), 0, 0, 4);
    nd_fi_findings f = nd_fi_find(&r);
    CHECK_INT(f.onset, 3);
    CHECK_INT(f.offset, 2);
    CHECK_INT(f.bist_lo, 2);
    CHECK_INT(f.bist_hi, 2);
    CHECK_NEAR(f.max_rate, 20, 0);
    nd_bundle *b = nd_fi_bundle(m, &o, &r, &f);
    /* 10 Hz at onset against 20 at most: above 0.35 of it, a nonzero onset frequency */
    CHECK_CONTAINS(nd_bundle_get(b, "text/plain"), "class 2-like onset");
    CHECK_CONTAINS(nd_bundle_get(b, "text/plain"), "Bistable window: I = 2 … 2");
    json_t *j = json_of(b);
    CHECK_NEAR(num(j, "onset"), 3, 0);
    CHECK_NEAR(num(j, "onset_rate"), 10, 0);
    CHECK_NEAR(num(j, "bistable_from"), 2, 0);
    CHECK_STR(json_string_value(json_object_get(j, "parameter")), "I");
    json_decref(j);
    nd_bundle_free(b);
    nd_dataset *ds = nd_fi_dataset(m, &o, &r, &f);
    CHECK(ds && nd_ds_rows(ds) == 5 && nd_ds_find(ds, "rate_down") == 2);
    CHECK_STR(ds ? nd_ds_meta(ds, "offset") : NULL, "2");
    CHECK_STR(ds ? nd_ds_unit(ds, 1) : NULL, "Hz");   /* hh's time is in ms */
    nd_ds_free(ds);
    o.down = 0;
    nd_figure *fig = nd_fi_figure(m, &o, &r);
    CHECK(fig && nd_fig_panel_count(fig) == 1);
    nd_fig_free(fig);
    nd_model_free(m);
}

/* FitzHugh–Nagumo at (v, w) = (0, 0): J = [[1, −1], [ε, −εb]], so the eigenvalues are
   (tr ± √(tr² − 4 det))/2 with tr = 1 − εb and det = ε − εb, both positive: an unstable
   node; the largest rate there is max(|I|, εa). */
TEST(eq_linearise_and_views)
{
    nd_error e = {0};
    nd_model *m = nd_model_builtin("fhn", &e);
    CHECK(m != NULL);
    if (!m) return;
    const double *p = nd_model_pars(m);
    double a = p[nd_model_index(m, ND_MODEL_PAR, "a")], b = p[nd_model_index(m, ND_MODEL_PAR, "b")];
    double eps = p[nd_model_index(m, ND_MODEL_PAR, "eps")], I = p[nd_model_index(m, ND_MODEL_PAR, "I")];
    double x[2] = {0, 0}, rate = -1;
    nd_eq_list l;
    nd_eq_list_init(&l, 2);
    CHECK_INT(nd_eq_linearise(m, p, x, &l, &rate, &e), ND_OK);
    double tr = 1 - eps * b, det = -eps * b + eps;
    double disc = sqrt(tr * tr - 4 * det);
    CHECK_INT((int)l.count, 1);
    CHECK_NEAR(fmax(l.re[0], l.re[1]), (tr + disc) / 2, 1e-9);
    CHECK_NEAR(fmin(l.re[0], l.re[1]), (tr - disc) / 2, 1e-9);
    CHECK_INT(l.kind[0], ND_EQ_UNSTABLE_NODE);
    CHECK_NEAR(rate, fmax(fabs(I), eps * a), 1e-12);
    nd_bundle *bu = nd_eq_view_stability(m, p, &l, 0, rate);
    json_t *j = json_of(bu);
    CHECK_STR(json_string_value(json_object_get(j, "type")), "stability");
    json_t *pt = json_array_get(json_object_get(j, "points"), 0);
    CHECK_STR(json_string_value(json_object_get(pt, "kind")), "unstable node");
    CHECK(json_is_false(json_object_get(pt, "stable")));
    CHECK_NEAR(num(json_object_get(j, "parameters"), "eps"), eps, 0);
    CHECK_CONTAINS(nd_bundle_get(bu, "text/plain"), "not an equilibrium");
    json_decref(j);
    nd_bundle_free(bu);
    double lo[2] = {-2, -1}, hi[2] = {2, 1};
    bu = nd_eq_view_fixed(m, p, &l, lo, hi, 0);
    CHECK_CONTAINS(nd_bundle_get(bu, "text/plain"),
                   "1 equilibrium of fhn (Newton from a grid over v \u2208 [-2, 2], w \u2208 [-1, 1]):");
    nd_bundle_free(bu);
    nd_eq_list_free(&l);
    nd_model_free(m);
}

static nd_dataset *three_columns(void)
{
    const char *names[] = {"t", "V", "I"}, *units[] = {"ms", "mV", NULL};
    nd_dataset *ds = nd_ds_create(3, names, units);
    for (int i = 0; ds && i < 50; i++)
        nd_ds_append(ds, (double[]){i, -65 + sin(i / 5.0) * 30, i < 25 ? 0 : 10});
    if (ds) nd_ds_set_meta(ds, "model", "hh");
    return ds;
}

TEST(select_and_noise_keep_what_they_should)
{
    nd_dataset *ds = three_columns();
    nd_dataset *sel = ds ? nd_ds_select(ds, (int[]){0, 2}, 2) : NULL;
    CHECK(sel && nd_ds_cols(sel) == 2 && nd_ds_rows(sel) == 50);
    CHECK_STR(sel ? nd_ds_name(sel, 1) : NULL, "I");
    CHECK(sel && nd_ds_col(sel, 1)[30] == 10);
    CHECK_STR(sel ? nd_ds_meta(sel, "model") : NULL, "hh");
    nd_ds_free(sel);
    nd_error e = {0};
    double v10 = nd_ds_col(ds, 1)[10], i10 = nd_ds_col(ds, 2)[10], t10 = nd_ds_col(ds, 0)[10];
    nd_noise nz = {.rel = 0.1, .seed = 7};
    CHECK_INT(nd_ds_add_noise_all(ds, &nz, "I", NULL, 0, &e), ND_OK);
    CHECK(nd_ds_col(ds, 1)[10] != v10);        /* measured: noisy */
    CHECK(nd_ds_col(ds, 2)[10] == i10);        /* the applied input: untouched */
    CHECK(nd_ds_col(ds, 0)[10] == t10);        /* time: untouched */
    nd_ds_free(ds);
    const double c0[] = {1, 2, 3}, c1[] = {4, 5, 6};
    nd_dataset *tab = nd_ds_from_columns(2, (const char *[]){"n", "err"},
                                         (const double *[]){c0, c1}, 3);
    CHECK(tab && nd_ds_rows(tab) == 3 && nd_ds_col(tab, 1)[2] == 6);
    nd_ds_free(tab);
    CHECK(nd_ds_from_columns(2, (const char *[]){"n", "n"}, (const double *[]){c0, c1}, 3) == NULL);
}

TEST(dataset_figure_panels_legends_title)
{
    nd_dataset *a = three_columns(), *b = three_columns();
    const char *vars[] = {"V", "I"};
    nd_ds_plot src[] = {{"sim", a, vars, 2}, {"data", b, vars, 1}};
    char *title = nd_ds_plot_title(src, 2, NULL);
    CHECK_STR(title, "hh: V, I against time; sim, data");
    nd_figure *fig = nd_ds_plot_figure(src, 2, NULL, title);
    /* V and I each get a panel; data's V joins sim's */
    CHECK(fig && nd_fig_panel_count(fig) == 2);
    nd_fig_free(fig);
    fig = nd_ds_plot_figure(src, 1, "I", "x");
    CHECK(fig && nd_fig_panel_count(fig) == 1);   /* a trajectory: one panel */
    nd_fig_free(fig);
    free(title);
    nd_ds_free(a);
    nd_ds_free(b);
}

TEST(model_views_equations_learned_and_summary)
{
    nd_error e = {0};
    nd_model *m = nd_model_builtin("fhn", &e);
    CHECK(m != NULL);
    if (!m) return;
    const char *learned[] = {"w"};
    nd_bundle *b = nd_model_equations(m, NULL, 0, learned, 1, "network(v)");
    const char *plain = b ? nd_bundle_get(b, "text/plain") : NULL;
    CHECK_CONTAINS(plain, "  dw/dt = network(v)\n");
    CHECK_CONTAINS(plain, "  dv/dt = v - v^3/3 - w + I\n");
    CHECK_CONTAINS(b ? nd_bundle_get(b, "text/latex") : NULL, "$$");
    nd_bundle_free(b);
    char *s = nd_model_summary(m);
    CHECK_STR(s, "model fhn: 2 states (v, w), 4 parameters");
    free(s);
    s = nd_model_using(m);
    CHECK_STR(s, "using fhn: The FitzHugh–Nagumo model (2 states, 4 parameters)\n");
    free(s);
    CHECK(nd_model_notes_text(m) == NULL);   /* nothing noticed in the built-in */
    b = nd_model_explain_bundle(m, "eps");
    CHECK_CONTAINS(b ? nd_bundle_get(b, "text/plain") : NULL, "eps");
    nd_bundle_free(b);
    CHECK(nd_model_explain_bundle(m, "gNa") == NULL);   /* fhn has no gNa */
    nd_model_free(m);
    static const char decay[] = "dx/dt = -x\n";
    m = nd_model_parse("d", decay, sizeof decay - 1, 1, 1, &e);
    s = m ? nd_model_notes_text(m) : NULL;
    CHECK_STR(s, "note (model d): init of x defaults to 0\n");
    free(s);
    nd_model_free(m);
}

/* A result drawn as a figure adds its own keys after the figure's (phase: "phase"). */
TEST(figure_json_carries_added_keys_last)
{
    nd_figure *fig = nd_fig_create("t");
    int p = nd_fig_add_panel(fig, "x", "y");
    nd_fig_add_series(fig, p, NULL, NULL, (double[]){1, 2}, 2, (nd_fig_style){0});
    CHECK_INT(nd_fig_set_json(fig, "extra", json_pack("{s:i}", "k", 3)), 0);
    nd_bundle *b = NULL;
    nd_error e = {0};
    CHECK_INT(nd_fig_render(fig, &b, &e), ND_OK);
    json_t *j = json_of(b);
    CHECK_INT((int)json_integer_value(json_object_get(json_object_get(j, "extra"), "k")), 3);
    const char *s = b ? nd_bundle_get(b, ND_MIME_JSON) : "";
    CHECK(strstr(s, "\"panels\"") && strstr(s, "\"extra\"") > strstr(s, "\"panels\""));
    json_decref(j);
    nd_bundle_free(b);
    nd_fig_free(fig);
}

static nd_status interrupted_path(void *ctx, const nd_model *m, const double *p,
                                  const double *y0, double t1, size_t npts, double *out,
                                  unsigned char *breaks, nd_error *err)
{
    (void)ctx, (void)m, (void)p, (void)y0, (void)t1, (void)npts, (void)out, (void)breaks;
    return nd_error_fail(err, ND_EINTERRUPT, "interrupted");
}

/* FitzHugh–Nagumo at I = 0 has one equilibrium, on both nullclines: w = (v + a)/b and
   v − v³/3 − w = 0, solved here by bisection on [−2, 0]. */
TEST(phase_find_equilibria_grid_and_interrupt)
{
    nd_error e = {0};
    nd_model *m = nd_model_builtin("fhn", &e);
    CHECK(m != NULL);
    if (!m) return;
    double p[4];
    memcpy(p, nd_model_pars(m), sizeof p);
    p[nd_model_index(m, ND_MODEL_PAR, "I")] = 0;
    double a = p[nd_model_index(m, ND_MODEL_PAR, "a")], b = p[nd_model_index(m, ND_MODEL_PAR, "b")];
    double lo = -2, hi = 0;
    for (int i = 0; i < 200; i++) {
        double v = (lo + hi) / 2, g = v - v * v * v / 3 - (v + a) / b;
        if (g > 0) lo = v; else hi = v;   /* g(-2) > 0 > g(0) */
    }
    double v = (lo + hi) / 2, blo[2] = {-3, -3}, bhi[2] = {3, 3};
    nd_eq_list l;
    nd_eq_list_init(&l, 2);
    CHECK_INT(nd_phase_find_equilibria(m, p, blo, bhi, 0, nd_model_inits(m), 0,
                                       interrupted_path, NULL, &l, &e), ND_OK);
    CHECK_INT((int)l.count, 1);
    CHECK_NEAR(l.x[0], v, 1e-9);
    CHECK_NEAR(l.x[1], (v + a) / b, 1e-9);
    nd_eq_list_free(&l);
    nd_eq_list_init(&l, 2);
    /* with t1 > 0 the trajectory runs, and an interrupt there stops the search */
    CHECK_INT(nd_phase_find_equilibria(m, p, blo, bhi, 0, nd_model_inits(m), 10,
                                       interrupted_path, NULL, &l, &e), ND_EINTERRUPT);
    nd_eq_list_free(&l);
    nd_model_free(m);
}

TEST(nice_steps_and_decimals)
{
    CHECK_NEAR(nd_nice_ceil(0.03), 0.05, 1e-15);
    CHECK_NEAR(nd_nice_ceil(0.2), 0.2, 1e-15);
    CHECK_NEAR(nd_nice_ceil(0.11), 0.2, 1e-15);
    CHECK_NEAR(nd_nice_ceil(7), 10, 1e-15);
    CHECK_NEAR(nd_nice_ceil(130), 200, 1e-15);
    CHECK_INT(nd_numfmt_decimals(0, 0.05), 2);
    CHECK_INT(nd_numfmt_decimals(-90, 1), 0);
    CHECK_INT(nd_numfmt_decimals(0.1, 0.25), 2);
    CHECK_INT(nd_numfmt_decimals(0, 1.0 / 3), 6);   /* no finite decimal writes 1/3 */
}

/* fi's progress line, and the rate unit of a millisecond model (spikes/ms × 1000 = Hz). */
TEST(fi_progress_line_and_rate_scale)
{
    char buf[160];
    nd_fi_progress_text("I", 0, 3.5, 11, 80, 1.25, buf, sizeof buf);
    CHECK_STR(buf, "fi: down sweep at I = 3.5 (12 of 80 runs, 1.2 s)");
    nd_error e = {0};
    nd_model *m = nd_model_builtin("hh", &e);
    CHECK(m && nd_model_rate_scale(m) == 1000);
    nd_model_free(m);
    m = nd_model_builtin("fhn", &e);   /* dimensionless time: rates stay per time unit */
    CHECK(m && nd_model_rate_scale(m) == 1);
    nd_model_free(m);
}

/* An analysis' copy of the model: its own values, and boxes x0 ± max(1, 2|x0|) where no
   range was given (fhn starts at v = -1.1994: [-3.5982, 1.1994]). */
TEST(phase_setup_copies_the_model_and_frames_the_states)
{
    nd_error e = {0};
    nd_model *m = nd_model_builtin("fhn", &e);
    nd_phase_setup s;
    CHECK_INT(m ? nd_phase_setup_init(&s, m, &e) : ND_EINTERNAL, ND_OK);
    if (!m) return;
    CHECK_INT(s.n, 2);
    CHECK_NEAR(s.x0[0], -1.1994, 1e-15);
    int ip = nd_model_index(m, ND_MODEL_PAR, "I");
    double before = nd_model_pars(m)[ip];
    s.p[ip] = before + 3;                                     /* the model keeps its I */
    CHECK_NEAR(nd_model_pars(m)[ip], before, 0);
    s.lo[1] = -5, s.hi[1] = 5, s.ranged[1] = 1;
    CHECK_INT(nd_phase_setup_frame(&s, m), ND_OK);
    CHECK_NEAR(s.lo[0], -3.5982, 1e-12);
    CHECK_NEAR(s.hi[0], 1.1994, 1e-12);
    CHECK_NEAR(s.lo[1], -5, 0);                               /* a given range stays */
    nd_phase_setup_free(&s);
    CHECK(s.p == NULL && s.n == 0);
    nd_model_free(m);
}
