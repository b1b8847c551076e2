/* sindy end to end: FitzHugh–Nagumo of docs/science.md (clean and with 1 % noise), Lorenz, the
   UDE bridge (a network fitted to the true INa, its coefficient gNa recovered), the sweep
   and the ensemble, the recovered model simulated, and located errors. */
#include "test.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/language/objects.h"
#include "../../lib/language/workspace.h"
#include "../../lib/learn/optim.h"
#include "../../lib/learn/sindy.h"
#include "../../lib/learn/ude.h"
#include "expr_fixture.h"
#include "rec_sink.h"
#include "tempdir.h"

#define FHN "use fhn\nset I = 0.5\ndata = simulate t=300 sample=0.1\n"

/* The JSON of the last sindy result (caller frees), or NULL. */
static json_t *sindy_json(const rec_fixture *f)
{
    for (int i = f->r.n - 1; i >= 0; i--)
        if (f->r.ev[i].json && strstr(f->r.ev[i].json, "\"type\":\"sindy\""))
            return json_loads(f->r.ev[i].json, 0, NULL);
    return NULL;
}

static const rec_event *event_with(const rec_fixture *f, const char *needle)
{
    for (int i = f->r.n - 1; i >= 0; i--)
        if (f->r.ev[i].text && strstr(f->r.ev[i].text, needle)) return &f->r.ev[i];
    return NULL;
}

static const rec_event *json_with(const rec_fixture *f, const char *needle)
{
    for (int i = f->r.n - 1; i >= 0; i--)
        if (f->r.ev[i].json && strstr(f->r.ev[i].json, needle)) return &f->r.ev[i];
    return NULL;
}

/* Index of the library term written as text, or -1. */
static int term_index(json_t *j, const char *text)
{
    json_t *lib = json_object_get(j, "library");
    for (size_t i = 0; i < json_array_size(lib); i++)
        if (strcmp(json_string_value(json_array_get(lib, i)), text) == 0) return (int)i;
    return -1;
}

static double coef(json_t *j, size_t eq, const char *term, const char *key)
{
    json_t *e = json_array_get(json_object_get(j, "equations"), eq);
    int i = term_index(j, term);
    json_t *v = i >= 0 ? json_array_get(json_object_get(e, key), (size_t)i) : NULL;
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* Checks that equation eq keeps exactly the n terms listed, with their values to tol
   (relative to max(1, |value|)); values NULL: only the support. */
static void check_support(json_t *j, size_t eq, const char *const *terms, const double *values,
                          size_t n, double tol)
{
    json_t *e = json_array_get(json_object_get(j, "equations"), eq);
    json_t *c = json_object_get(e, "coefficients");
    CHECK(c != NULL);
    size_t kept = 0;
    for (size_t i = 0; i < json_array_size(c); i++)
        kept += json_number_value(json_array_get(c, i)) != 0;
    CHECK_INT(kept, n);
    for (size_t k = 0; k < n; k++) {
        double v = coef(j, eq, terms[k], "coefficients");
        CHECK(v != 0 && !isnan(v));
        if (values) CHECK_NEAR(v, values[k], tol);
    }
}

static const char *const FHN_V[] = {"1", "v", "w", "v^3"};
static const double FHN_VC[] = {0.5, 1, -1, -1.0 / 3};
static const char *const FHN_W[] = {"1", "v", "w"};
static const double FHN_WC[] = {0.056, 0.08, -0.064};

TEST(cmd_sindy_fhn_reference_case)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    /* The smallest true coefficient, normalised by the RMS of its term and of dw/dt, is
       about 0.46 (w in dw/dt, computed below); 0.05 is well below it. */
    CHECK_INT(rec_fixture_run(&f, FHN "eq = sindy data library=[poly(3)] threshold=0.05 "
                                      "deriv=fd"), ND_OK);
    json_t *j = sindy_json(&f);
    CHECK(j != NULL);
    if (j) {
        check_support(j, 0, FHN_V, FHN_VC, 4, 1e-2);
        check_support(j, 1, FHN_W, FHN_WC, 3, 1e-2);
        CHECK(json_is_true(json_object_get(j, "normalized")));
        CHECK_STR(json_string_value(json_object_get(j, "model")), "eq");
        /* Normalised: −0.064 × RMS(w) / RMS(dw/dt), dw/dt = ε(v + a − b w) along the data. */
        const nd_dataset *ds = nd_value_as_dataset(nd_ws_get(nd_interp_workspace(f.in), "data"));
        double ss_w = 0, ss_dw = 0;
        size_t rows = ds ? nd_ds_rows(ds) : 0;
        const double *vs = ds ? nd_ds_col(ds, nd_ds_find(ds, "v")) : NULL;
        const double *ws = ds ? nd_ds_col(ds, nd_ds_find(ds, "w")) : NULL;
        for (size_t r = 0; r < rows; r++) {
            double v = vs[r], w = ws[r];
            ss_w += w * w;
            ss_dw += pow(0.08 * (v + 0.7 - 0.8 * w), 2);
        }
        CHECK(rows > 0);
        double nw = coef(j, 1, "w", "normalized_coefficients");
        CHECK_NEAR(nw, -0.064 * sqrt(ss_w / ss_dw), 1e-3);
        json_decref(j);
    }
    const rec_event *e = event_with(&f, "dv/dt = ");
    CHECK(e != NULL);
    if (e) {
        /* The equation as shown: the constant term I = 0.5 first, −1/3 as "- 0.33". */
        CHECK_NEAR(rec_json_number(e->text, "dv/dt = "), 0.5, 1e-2);
        CHECK_CONTAINS(e->text, " - 0.33");
        CHECK_CONTAINS(e->text, "v^3");
        CHECK_CONTAINS(e->text, "normalised");
    }
    CHECK(event_with(&f, "R²") != NULL);
    /* The recovered model is a model called eq, with the truth's parameters. */
    nd_model_obj *mo = nd_value_as_model(nd_ws_get(nd_interp_workspace(f.in), "eq"));
    CHECK(mo != NULL);
    if (mo) {
        CHECK_STR(nd_model_name(mo->model), "eq");
        CHECK_CONTAINS(nd_model_item_at(mo->model, ND_MODEL_STATE, 0)->text, "v^3");
    }
    CHECK_INT(rec_fixture_run(&f, "s = simulate eq t=50\nshow eq"), ND_OK);

    /* In original units, 0.1 is above every coefficient of dw/dt: the whole equation goes,
       and the result says so. */
    CHECK_INT(rec_fixture_run(&f, "eq2 = sindy data library=[poly(3)] normalize=false "
                                  "threshold=0.1"), ND_OK);
    j = sindy_json(&f);
    if (j) {
        check_support(j, 0, FHN_V, FHN_VC, 4, 1e-2);
        check_support(j, 1, NULL, NULL, 0, 0);
        json_decref(j);
    }
    e = event_with(&f, "every term fell below");
    CHECK(e != NULL);
    if (e) {
        /* The largest is ε = 0.08 of v (the others are εa = 0.056 and εb = 0.064). */
        CHECK_CONTAINS(e->text, "dw/dt: every term fell below threshold 0.1 (largest "
                                "|coefficient| ");
        CHECK_NEAR(rec_json_number(e->text, "(largest |coefficient| "), 0.08, 1e-3);
        CHECK_CONTAINS(e->text, "lower the threshold");
        CHECK_CONTAINS(e->text, "original units");
    }
    rec_fixture_teardown(&f);
}

TEST(cmd_sindy_fhn_with_noise_needs_a_smoothing_derivative)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use fhn\nset I = 0.5\n"
                                  "nd = simulate t=300 sample=0.1 noise=0.01 seed=7\n"
                                  "eq = sindy nd library=[poly(3)] threshold=0.2 "
                                  "deriv=savgol window=21"), ND_OK);
    json_t *j = sindy_json(&f);
    CHECK(j != NULL);
    if (j) {
        check_support(j, 0, FHN_V, NULL, 4, 0);
        check_support(j, 1, FHN_W, FHN_WC, 3, 2e-3);
        CHECK_STR(json_string_value(json_object_get(j, "deriv")), "savgol");
        json_decref(j);
    }
    /* Central differences amplify the noise: a poorer fit, and spurious terms as soon as
       the threshold is lowered. */
    double r2_savgol = 0;
    j = sindy_json(&f);
    if (j) {
        r2_savgol = json_number_value(json_object_get(
            json_array_get(json_object_get(j, "equations"), 0), "r2"));
        json_decref(j);
    }
    CHECK_INT(rec_fixture_run(&f, "sindy nd library=[poly(3)] threshold=0.05 deriv=fd"), ND_OK);
    j = sindy_json(&f);
    if (j) {
        json_t *e = json_array_get(json_object_get(j, "equations"), 0);
        CHECK(json_integer_value(json_object_get(e, "nterms")) > 4);
        CHECK(json_number_value(json_object_get(e, "r2")) < r2_savgol - 0.2);
        json_decref(j);
    }
    rec_fixture_teardown(&f);
}

TEST(cmd_sindy_lorenz)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f,
        "model lorenz {\n"
        "  dx/dt = sigma*(y - x)\n"
        "  dy/dt = x*(rho - z) - y\n"
        "  dz/dt = x*y - beta*z\n"
        "  par sigma = 10, rho = 28, beta = 8/3\n"
        "  init x = -8, y = 7, z = 27\n"
        "}\n"
        "ld = simulate lorenz t=20 sample=0.01 rtol=1e-10 atol=1e-10\n"
        "el = sindy ld library=[poly(2)] threshold=0.05 deriv=savgol window=9 order=5"),
              ND_OK);
    json_t *j = sindy_json(&f);
    CHECK(j != NULL);
    if (j) {
        static const char *const X[] = {"x", "y"}, *const Y[] = {"x", "y", "x*z"},
                                 *const Z[] = {"z", "x*y"};
        static const double XC[] = {-10, 10}, YC[] = {28, -1, -1}, ZC[] = {-8.0 / 3, 1};
        /* The library writes products as the variables joined by " * " or "*". */
        const char *xz = term_index(j, "x*z") >= 0 ? "x*z" : "x * z";
        const char *xy = term_index(j, "x*y") >= 0 ? "x*y" : "x * y";
        const char *Y2[] = {Y[0], Y[1], xz}, *Z2[] = {Z[0], xy};
        check_support(j, 0, X, XC, 2, 1e-2);
        check_support(j, 1, Y2, YC, 3, 1e-2);
        check_support(j, 2, Z2, ZC, 2, 1e-2);
        for (size_t k = 0; k < 3; k++)
            CHECK(json_number_value(json_object_get(
                      json_array_get(json_object_get(j, "equations"), k), "r2")) > 0.9999);
        json_decref(j);
    }
    CHECK_INT(rec_fixture_run(&f, "s = simulate el t=2"), ND_OK);
    /* Once the model is gone, the recovered model is written from scratch: states x, y, z
       started from the data's first row. */
    CHECK_INT(rec_fixture_run(&f, "del lorenz\n"
                                  "e3 = sindy ld library=[poly(2)] threshold=0.05 "
                                  "deriv=savgol window=9 order=5\n"
                                  "s3 = simulate e3 t=2"), ND_OK);
    nd_model_obj *mo = nd_value_as_model(nd_ws_get(nd_interp_workspace(f.in), "e3"));
    CHECK(mo != NULL);
    if (mo) {
        CHECK_STR(nd_model_name(mo->model), "e3");
        CHECK_INT(nd_model_count(mo->model, ND_MODEL_STATE), 3);
        CHECK_INT(nd_model_count(mo->model, ND_MODEL_PAR), 0);
        CHECK_NEAR(nd_model_inits(mo->model)[0], -8, 1e-12);
        CHECK_NEAR(nd_model_inits(mo->model)[2], 27, 1e-12);
    }
    rec_fixture_teardown(&f);
}

/* ---- the UDE bridge ---- */

typedef struct fit_ctx {
    nd_mlp *m;
    nd_mlp_work *w;
    const double *X, *T;
    double *Y, *dy;
    size_t n;
    double scale;
} fit_ctx;

static int fit_loss(void *ctx, const double *theta, double *f, double *g)
{
    fit_ctx *c = ctx;
    nd_mlp_set_params(c->m, theta);
    if (nd_mlp_forward(c->m, c->X, c->n, c->Y, c->w) != ND_OK) return 1;
    double s = 0;
    for (size_t i = 0; i < c->n; i++) {
        double d = (c->Y[i] - c->T[i]) / c->scale;
        s += d * d;
        c->dy[i] = 2 * d / c->scale / (double)c->n;
    }
    *f = s / (double)c->n;
    memset(g, 0, nd_mlp_nparams(c->m) * sizeof *g);
    return nd_mlp_backward(c->m, c->w, c->n, c->dy, g, NULL) != ND_OK;
}

/* Fits the network of u (inputs V, n) directly to the true INa column of ds. */
static void fit_to_ina(nd_ude *u, const nd_dataset *ds)
{
    size_t n = nd_ds_rows(ds);
    const double *V = nd_ds_col(ds, (size_t)nd_ds_find(ds, "V"));
    const double *N = nd_ds_col(ds, (size_t)nd_ds_find(ds, "n"));
    const double *I = nd_ds_col(ds, (size_t)nd_ds_find(ds, "INa"));
    double *X = malloc(2 * n * sizeof *X), *Y = malloc(n * sizeof *Y), *dy = malloc(n * sizeof *dy);
    double mean[2] = {0, 0}, sd[2] = {0, 0}, om = 0, os = 0;
    for (size_t i = 0; i < n; i++) {
        X[2 * i] = V[i], X[2 * i + 1] = N[i];
        mean[0] += V[i] / (double)n, mean[1] += N[i] / (double)n, om += I[i] / (double)n;
    }
    for (size_t i = 0; i < n; i++) {
        sd[0] += (V[i] - mean[0]) * (V[i] - mean[0]) / (double)n;
        sd[1] += (N[i] - mean[1]) * (N[i] - mean[1]) / (double)n;
        os += (I[i] - om) * (I[i] - om) / (double)n;
    }
    sd[0] = sqrt(sd[0]), sd[1] = sqrt(sd[1]), os = sqrt(os);
    nd_mlp *m = nd_ude_net(u);
    CHECK_INT(nd_mlp_set_scaling(m, mean, sd, &om, &os, NULL), ND_OK);
    fit_ctx c = {m, nd_mlp_work_create(m, n, NULL), X, I, Y, dy, n, os};
    nd_optim_options o;
    nd_optim_options_default(&o);
    nd_optim *opt = nd_optim_create(ND_OPTIM_LBFGS, nd_mlp_nparams(m), &o);
    double *theta = malloc(nd_mlp_nparams(m) * sizeof *theta);
    memcpy(theta, nd_mlp_params(m), nd_mlp_nparams(m) * sizeof *theta);
    CHECK_INT(nd_optim_run(opt, theta, fit_loss, &c, 600, NULL, NULL), ND_OK);
    nd_mlp_set_params(m, theta);
    double loss = 0;
    nd_optim_best(opt, &loss);
    if (getenv("ND_SINDY_VERBOSE")) fprintf(stderr, "fit loss %.3g\n", loss);
    CHECK(loss < 1e-3);
    nd_optim_free(opt);
    nd_mlp_work_free(c.w);
    free(theta);
    free(X);
    free(Y);
    free(dy);
}

TEST(cmd_sindy_ude_bridge_recovers_gna)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh_rinzel\nset I = 10\n"
                                  "truth = simulate t=50 sample=0.05 terms=true\n"
                                  "net = ude replace=INa inputs=V,n hidden=16,16"), ND_OK);
    nd_ws *ws = nd_interp_workspace(f.in);
    nd_ude *u = nd_value_as_ude(nd_ws_get(ws, "net"));
    nd_dataset *ds = nd_value_as_dataset(nd_ws_get(ws, "truth"));
    CHECK(u && ds);
    if (!u || !ds) {
        rec_fixture_teardown(&f);
        return;
    }
    fit_to_ina(u, ds);
    CHECK_INT(rec_fixture_run(&f, "eq = sindy net.INa truth "
                                  "library=[mInf(V)^3*(0.89-1.1*n)*(V-ENa), V, 1]"), ND_OK);
    json_t *j = sindy_json(&f);
    CHECK(j != NULL);
    if (j) {
        json_t *lib = json_object_get(j, "library");
        double g = json_number_value(json_array_get(
            json_object_get(json_array_get(json_object_get(j, "equations"), 0), "coefficients"),
            0));
        CHECK(json_array_size(lib) == 3);
        if (getenv("ND_SINDY_VERBOSE")) fprintf(stderr, "gNa recovered %.4f\n", g);
        CHECK(fabs(g - 120) < 0.05 * 120);
        CHECK_STR(json_string_value(json_object_get(j, "source")), "network");
        json_decref(j);
    }
    const rec_event *e = event_with(&f, "INa = ");
    CHECK(e != NULL);
    /* The recovered model is hh_rinzel with INa as recovered; it spikes. */
    nd_model_obj *mo = nd_value_as_model(nd_ws_get(ws, "eq"));
    CHECK(mo != NULL);
    if (mo) {
        const nd_model_item *it = nd_model_find(mo->model, "INa", NULL);
        CHECK(it && strstr(it->text, "mInf(V)"));
        CHECK(nd_model_find(mo->model, "IK", NULL) != NULL);
    }
    CHECK_INT(rec_fixture_run(&f, "s = simulate eq t=50\nspikes s"), ND_OK);
    e = event_with(&f, "spikes of V");
    CHECK(e != NULL);
    if (e) CHECK(strncmp(e->text, "0 spikes", 8) != 0);
    /* Without a dataset: along the network's own simulation. */
    CHECK_INT(rec_fixture_run(&f, "sindy net.INa t=50 "
                                  "library=[mInf(V)^3*(0.89-1.1*n)*(V-ENa), V, 1]"), ND_OK);
    j = sindy_json(&f);
    if (j) {
        double g = coef(j, 0, json_string_value(json_array_get(json_object_get(j, "library"), 0)),
                        "coefficients");
        if (getenv("ND_SINDY_VERBOSE")) fprintf(stderr, "gNa along its own run %.4f\n", g);
        CHECK(fabs(g - 120) < 0.15 * 120);
        json_decref(j);
    }
    rec_fixture_teardown(&f);
}

TEST(cmd_sindy_sweep_and_ensemble)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, FHN "eq = sindy data library=[poly(3)] sweep=true"), ND_OK);
    json_t *j = sindy_json(&f);
    CHECK(j != NULL);
    if (j) {
        json_t *s = json_object_get(j, "sweep");
        CHECK_INT(json_array_size(json_object_get(s, "thresholds")), 50);
        size_t knee = (size_t)json_integer_value(json_object_get(s, "knee"));
        CHECK_INT(json_integer_value(json_array_get(json_object_get(s, "nterms"), knee)), 7);
        /* The fit shown is at the suggested threshold: the true support. */
        CHECK_NEAR(json_number_value(json_object_get(j, "threshold")),
                   json_number_value(json_object_get(s, "suggested")), 1e-12);
        check_support(j, 0, FHN_V, FHN_VC, 4, 1e-2);
        check_support(j, 1, FHN_W, FHN_WC, 3, 1e-2);
        json_decref(j);
    }
    const rec_event *fig = json_with(&f, "\"type\":\"figure\"");
    CHECK(fig != NULL);
    if (fig) {
        CHECK_CONTAINS(fig->text, "knee");
        CHECK_CONTAINS(fig->text, "suggested threshold");
        CHECK_CONTAINS(fig->json, "number of terms");
    }
    CHECK_INT(rec_fixture_run(&f, "ens = sindy data library=[poly(3)] threshold=0.05 "
                                  "ensemble=20 seed=3"), ND_OK);
    j = sindy_json(&f);
    if (j) {
        for (size_t k = 0; k < 4; k++) CHECK_NEAR(coef(j, 0, FHN_V[k], "inclusion"), 1, 1e-12);
        for (size_t k = 0; k < 3; k++) CHECK_NEAR(coef(j, 1, FHN_W[k], "inclusion"), 1, 1e-12);
        CHECK(coef(j, 1, "w^3", "inclusion") < 0.5);
        CHECK(!isnan(coef(j, 0, "v", "std")));
        json_decref(j);
    }
    CHECK(event_with(&f, " ± ") != NULL);
    rec_fixture_teardown(&f);
}

/* The library calls a C program makes (samples, unthresholded fit, sweep, fit at the
   suggested threshold) give what `sindy … sweep=true` shows, to the last bit; and the
   truth of docs/science.md's FitzHugh–Nagumo case. */
TEST(cmd_sindy_sweep_is_the_library_sweep)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, FHN "eq = sindy data library=[poly(3)] sweep=true"), ND_OK);
    json_t *j = sindy_json(&f);
    const nd_dataset *ds = nd_value_as_dataset(nd_ws_get(nd_interp_workspace(f.in), "data"));
    CHECK(j != NULL && ds != NULL);
    if (!j || !ds) {
        json_decref(j);
        rec_fixture_teardown(&f);
        return;
    }
    const char *targets[] = {"v", "w"};
    nd_deriv_options d;
    nd_deriv_options_default(&d, ND_DERIV_FD);
    double *X = NULL, *Y = NULL;
    nd_error e = {0};
    size_t rows = nd_ds_rows(ds);
    CHECK_INT(nd_sindy_dataset_samples(ds, targets, 2, &d, &X, &Y, &e), ND_OK);
    nd_sindy_lib *lib = nd_sindy_lib_create(targets, 2);
    CHECK_INT(nd_sindy_lib_add_poly(lib, 3, NULL, 0, &e), ND_OK);
    size_t p = nd_sindy_lib_size(lib);
    CHECK_INT(p, 10);
    double *theta = malloc(rows * p * sizeof *theta);
    CHECK_INT(nd_sindy_lib_eval(lib, X, rows, theta, &e), ND_OK);
    nd_sindy_options o;
    nd_sindy_options_default(&o);
    o.threshold = 0;
    nd_sindy_fit *full = nd_sindy_regress(theta, rows, p, Y, 2, &o, &e);
    CHECK(full != NULL);
    nd_sindy_options_default(&o);
    nd_sindy_sweep_result sw;
    CHECK_INT(nd_sindy_sweep_auto(theta, rows, p, Y, 2, &o, nd_sindy_coef(full), &sw, &e),
              ND_OK);
    json_t *js = json_object_get(j, "sweep");
    CHECK_INT(sw.n, json_array_size(json_object_get(js, "thresholds")));
    for (size_t i = 0; i < sw.n; i++)
        CHECK(sw.threshold[i] ==
              json_number_value(json_array_get(json_object_get(js, "thresholds"), i)));
    CHECK_INT(sw.knee, json_integer_value(json_object_get(js, "knee")));
    CHECK_INT(sw.nterms[sw.knee], 7);   /* the true support: 4 terms in dv/dt, 3 in dw/dt */
    CHECK(sw.suggested == json_number_value(json_object_get(j, "threshold")));
    o.threshold = sw.suggested;
    nd_sindy_fit *fit = nd_sindy_regress(theta, rows, p, Y, 2, &o, &e);
    CHECK(fit != NULL);
    for (size_t eq = 0; fit && eq < 2; eq++) {
        json_t *c = json_object_get(json_array_get(json_object_get(j, "equations"), eq),
                                    "coefficients");
        CHECK_INT(json_array_size(c), p);
        for (size_t t = 0; t < p; t++)
            CHECK(nd_sindy_coef(fit)[t * 2 + eq] == json_number_value(json_array_get(c, t)));
    }
    /* The truth (docs/science.md): dv/dt = I + v − w − v³/3, dw/dt = ε(v + a − b w), to the
       tolerance of the reference case (finite differences at step 0.1). */
    for (size_t k = 0; fit && k < 4; k++)
        CHECK_NEAR(nd_sindy_coef(fit)[(size_t)term_index(j, FHN_V[k]) * 2], FHN_VC[k], 1e-2);
    for (size_t k = 0; fit && k < 3; k++)
        CHECK_NEAR(nd_sindy_coef(fit)[(size_t)term_index(j, FHN_W[k]) * 2 + 1], FHN_WC[k], 1e-2);
    /* The recovered model from C is the one `eq = sindy …` bound: fhn with both equations
       replaced, item for item. */
    nd_model_obj *eq = nd_value_as_model(nd_ws_get(nd_interp_workspace(f.in), "eq"));
    nd_model_obj *fhn = nd_value_as_model(nd_ws_get(nd_interp_workspace(f.in), "fhn"));
    CHECK(eq != NULL && fhn != NULL);
    if (fit && eq && fhn) {
        const int is_state[] = {1, 1};
        nd_sindy_recovery rc = {.name = "eq", .lib = lib, .coef = nd_sindy_coef(fit),
                                .targets = targets, .is_state = is_state, .m = 2, .first = X,
                                .optimizer = o.optimizer, .threshold = o.threshold,
                                .rows = rows, .base = fhn->model};
        nd_sb why;
        nd_sb_init(&why);
        nd_model *mine = nd_sindy_recovered_model(&rc, &why, &e);
        CHECK(mine != NULL);
        for (size_t k = 0; mine && k < 2; k++)
            CHECK_STR(nd_model_item_at(mine, ND_MODEL_STATE, k)->text,
                      nd_model_item_at(eq->model, ND_MODEL_STATE, k)->text);
        CHECK_CONTAINS(nd_model_item_at(eq->model, ND_MODEL_STATE, 0)->text, "v^3");
        nd_model_free(mine);
        nd_sb_free(&why);
    }
    nd_sindy_fit_free(fit);
    nd_sindy_fit_free(full);
    nd_sindy_lib_free(lib);
    free(theta), free(X), free(Y);
    json_decref(j);
    rec_fixture_teardown(&f);
}

TEST(cmd_sindy_errors_are_located)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, FHN "small = simulate t=0.2 sample=0.1"), ND_OK);
    CHECK_INT(rec_fixture_run(&f, "sindy data threshold=-1"), ND_EVALUE);
    CHECK_INT(f.e.col, 22);
    CHECK_INT(rec_fixture_run(&f, "sindy data library=[poly(2, v, q)]"), ND_ENAME);
    CHECK_INT(f.e.col, 32);
    CHECK_INT(rec_fixture_run(&f, "sindy data library=[v, foo(v)]"), ND_ENAME);
    CHECK_INT(f.e.col, 24);
    CHECK_INT(rec_fixture_run(&f, "sindy data q"), ND_ENAME);
    CHECK_INT(f.e.col, 12);
    CHECK_INT(rec_fixture_run(&f, "sindy data library=[v, 2*v, w]"), ND_EVALUE);
    CHECK_INT(f.e.line, 1);
    CHECK_INT(rec_fixture_run(&f, "sindy data library=[]"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "empty");
    CHECK_INT(rec_fixture_run(&f, "sindy small library=[poly(3)]"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "too few samples");
    CHECK_INT(rec_fixture_run(&f, "sindy data deriv=magic"), ND_EVALUE);
    CHECK_INT(f.e.col, 18);
    /* The derivative options follow deriv's rules, with deriv's messages: an even window
       is refused (a Savitzky–Golay fit is centred on its sample). */
    CHECK_INT(rec_fixture_run(&f, "sindy data deriv=savgol window=4"), ND_EVALUE);
    CHECK_INT(f.e.col, 32);
    char msg[sizeof f.e.msg];
    snprintf(msg, sizeof msg, "%s", f.e.msg);
    CHECK_CONTAINS(msg, "window must be odd");
    CHECK_INT(rec_fixture_run(&f, "d = deriv data method=savgol window=4"), ND_EVALUE);
    CHECK_STR(f.e.msg, msg);
    CHECK_INT(rec_fixture_run(&f, "sindy data deriv=savgol order=9"), ND_EVALUE);
    CHECK_INT(f.e.col, 31);
    CHECK_CONTAINS(f.e.msg, "order (9) must be below the window (9)");
    CHECK_INT(rec_fixture_run(&f, "sindy nosuch"), ND_ENAME);
    CHECK_INT(rec_fixture_run(&f, "sindy net.INa"), ND_ENAME);
    /* A dataset without time. */
    char dir[64], path[300], cmd[400];
    CHECK(nd_tempdir_make(dir) == 0);
    nd_tempdir_path(path, sizeof path, dir, "xy.csv");
    CHECK(nd_tempdir_write(path, "x,y\n1,2\n2,3\n3,5\n4,4\n") == 0);
    snprintf(cmd, sizeof cmd, "xy = load \"%s\"\nsindy xy", path);
    CHECK_INT(rec_fixture_run(&f, cmd), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "no time column");
    CHECK_INT(f.e.line, 2);
    /* A network whose inputs the dataset lacks. */
    CHECK_INT(rec_fixture_run(&f, "use hh_rinzel\nnet = ude replace=INa inputs=V,n hidden=4"),
              ND_OK);
    CHECK_INT(rec_fixture_run(&f, "sindy net.IK"), ND_ENAME);
    CHECK_CONTAINS(f.e.msg, "net.INa");
    CHECK_INT(rec_fixture_run(&f, "sindy net.INa data"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "no column 'V'");
    CHECK_INT(f.e.col, 15);
    /* Failed requests bind nothing. */
    CHECK_INT(rec_fixture_run(&f, "bad = sindy data threshold=-1"), ND_EVALUE);
    CHECK(nd_ws_get(nd_interp_workspace(f.in), "bad") == NULL);
    nd_tempdir_remove(dir);
    rec_fixture_teardown(&f);
}

TEST(model_redefine_keeps_the_rest_and_the_values)
{
    nd_model *m = nd_model_builtin("hh_rinzel", NULL);
    CHECK(m != NULL);
    if (!m) return;
    CHECK_INT(nd_model_set_par(m, "I", 7, NULL), ND_OK);
    nd_expr *e = fx_parse("100*m^3*h*(V - ENa)");
    const char *names[] = {"INa"};
    const nd_expr *exprs[] = {e};
    nd_error err = {0};
    nd_model *v = nd_model_redefine(m, names, exprs, 1, &err);
    CHECK(v != NULL);
    if (v) {
        CHECK_STR(nd_model_name(v), "hh_rinzel");
        CHECK_STR(nd_model_find(v, "INa", NULL)->text, "100 * m^3 * h * (V - ENa)");
        CHECK_STR(nd_model_find(v, "IK", NULL)->text, nd_model_find(m, "IK", NULL)->text);
        CHECK_NEAR(nd_model_pars(v)[nd_model_index(v, ND_MODEL_PAR, "I")], 7, 0);
        /* INa at rest is 100/120 of the original's. */
        double t0[8], t1[8];
        int ina = nd_model_index(m, ND_MODEL_TERM, "INa");
        nd_model_terms(m, 0, nd_model_inits(m), nd_model_pars(m), t0);
        nd_model_terms(v, 0, nd_model_inits(v), nd_model_pars(v), t1);
        CHECK_NEAR(t1[ina], t0[ina] * 100 / 120, 1e-12);
    }
    nd_model_free(v);
    /* A state's right-hand side, under a new name and description. */
    nd_expr *r = fx_parse("-n");
    const char *sn[] = {"n"};
    const nd_expr *se[] = {r};
    v = nd_model_redefine_named(m, "mine", "Mine.", sn, se, 1, &err);
    CHECK(v != NULL);
    if (v) {
        CHECK_STR(nd_model_name(v), "mine");
        CHECK_CONTAINS(nd_model_doc(v), "Mine.");
        CHECK_STR(nd_model_find(v, "n", NULL)->text, "-n");
    }
    nd_model_free(v);
    const char *bad[] = {"gNa"}, *twice[] = {"n", "n"}, *none[] = {"zz"};
    const nd_expr *two[] = {r, r};
    CHECK(nd_model_redefine(m, bad, se, 1, &err) == NULL);
    CHECK_INT(err.code, ND_ENAME);
    CHECK(nd_model_redefine(m, none, se, 1, &err) == NULL);
    CHECK_INT(err.code, ND_ENAME);
    CHECK(nd_model_redefine(m, twice, two, 2, &err) == NULL);
    CHECK_INT(err.code, ND_EVALUE);
    nd_expr *u = fx_parse("q*V");
    const nd_expr *ue[] = {u};
    CHECK(nd_model_redefine(m, names, ue, 1, &err) == NULL);
    CHECK_INT(err.code, ND_ENAME);
    CHECK_CONTAINS(err.msg, "q");
    nd_expr_free(u);
    nd_expr_free(e);
    nd_expr_free(r);
    nd_model_free(m);
}

/* A stimulus column is an input: poly(3) leaves it out (before, the constant stimulus
   made 'I' and 'I^2' proportional to '1' and the library singular); named, it is fitted,
   and the FitzHugh–Nagumo coefficients come back: dv/dt = v - v^3/3 - w + I,
   dw/dt = eps (v + a - b w) with a = 0.7, b = 0.8, eps = 0.08 (the model's parameters). */
TEST(cmd_sindy_stimulus_column_is_an_input)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    /* a constant stimulus: the old failure */
    CHECK_INT(rec_fixture_run(&f, "use fhn\nstim step at=0 amp=0.5\n"
                                  "data = simulate t=300 sample=0.1\n"
                                  "sindy data v w library=[poly(3)]"), ND_OK);
    json_t *j = sindy_json(&f);
    CHECK(j && term_index(j, "I") < 0 && term_index(j, "I^2") < 0);
    /* the constant input lands in the constant term: I = 0.5 */
    if (j) check_support(j, 0, FHN_V, FHN_VC, 4, 0.02);
    const rec_event *note = event_with(&f, "I is an input (the stimulus column)");
    CHECK(note != NULL);
    json_decref(j);
    /* a ramp through the Hopf points: the input's own coefficient, named */
    CHECK_INT(rec_fixture_run(&f, "stim ramp t0=0 t1=400 a0=0 a1=1\n"
                                  "ramp = simulate t=400 sample=0.01\n"
                                  "sindy ramp v w library=[poly(3), I]"), ND_OK);
    j = sindy_json(&f);
    static const char *const v_terms[] = {"v", "w", "v^3", "I"};
    static const double v_coefs[] = {1, -1, -1.0 / 3, 1};
    static const char *const w_terms[] = {"1", "v", "w"};
    static const double w_coefs[] = {0.08 * 0.7, 0.08, -0.08 * 0.8};
    if (j) {
        check_support(j, 0, v_terms, v_coefs, 4, 0.002);
        check_support(j, 1, w_terms, w_coefs, 3, 1e-4);
    }
    CHECK(j != NULL);
    json_decref(j);
    /* a loaded file keeps the mark (the "input" metadata line) */
    char dir[64], path[128], code[512];
    nd_tempdir_make(dir);
    nd_tempdir_path(path, sizeof path, dir, "ramp.csv");
    snprintf(code, sizeof code, "save ramp \"%s\"\nback = load \"%s\"\n"
                                "sindy back v w library=[poly(3)]", path, path);
    CHECK_INT(rec_fixture_run(&f, code), ND_OK);
    j = sindy_json(&f);
    CHECK(j && term_index(j, "I") < 0 && term_index(j, "v") >= 0);
    json_decref(j);
    nd_tempdir_remove(dir);
    rec_fixture_teardown(&f);
}
