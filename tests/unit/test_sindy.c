/* SINDy's library and sparse regression: the FHN case of docs/science.md, Lorenz, SR3,
   ensembles, the threshold sweep, and the errors of bad requests. */
#include <math.h>
#include <stdlib.h>

#include "../../lib/learn/sindy.h"
#include "../../lib/expr/lexer.h"
#include "../../lib/expr/parse.h"
#include "test.h"
#include "ude_fixture.h"

/* Samples and central-difference derivatives of every state of ds (interior rows). */
typedef struct samples {
    size_t n, nv;
    double *X, *Y;
} samples;

static samples central(const nd_dataset *ds)
{
    size_t R = nd_ds_rows(ds), nv = nd_ds_cols(ds) - 1;
    samples s = {0, nv, malloc(R * nv * sizeof(double)), malloc(R * nv * sizeof(double))};
    const double *t = nd_ds_col(ds, 0);
    for (size_t j = 1; j + 1 < R; j++, s.n++)
        for (size_t i = 0; i < nv; i++) {
            const double *x = nd_ds_col(ds, i + 1);
            s.X[s.n * nv + i] = x[j];
            s.Y[s.n * nv + i] = (x[j + 1] - x[j - 1]) / (t[j + 1] - t[j - 1]);
        }
    return s;
}

static nd_expr *parse(const char *text)
{
    nd_tokens toks;
    if (nd_lex_all(text, strlen(text), 1, 1, &toks, NULL)) return NULL;
    size_t pos = 0;
    nd_expr *e = nd_expr_parse(&toks, &pos, NULL);
    nd_lex_free(&toks);
    return e;
}

/* The coefficient of the term written `term` for target k (NAN when not in the library). */
static double coef(const nd_sindy_lib *lib, const nd_sindy_fit *f, size_t m, const char *term,
                   size_t k)
{
    for (size_t j = 0; j < nd_sindy_lib_size(lib); j++)
        if (strcmp(nd_sindy_lib_text(lib, j), term) == 0) return nd_sindy_coef(f)[j * m + k];
    return NAN;
}

static nd_dataset *fhn_data(void)
{
    nd_model *m = nd_model_builtin("fhn", NULL);
    nd_model_set_par(m, "I", 0.5, NULL);
    nd_dataset *d = ude_fx_simulate(m, NULL, -1, 300, 0.1);
    nd_model_free(m);
    return d;
}

TEST(sindy_library_polynomials_products_and_expressions)
{
    const char *vars[] = {"v", "w"};
    nd_sindy_lib *lib = nd_sindy_lib_create(vars, 2);
    CHECK_INT(nd_sindy_lib_add_poly(lib, 2, NULL, 0, NULL), ND_OK);
    CHECK_INT(nd_sindy_lib_size(lib), 6);
    const char *want[] = {"1", "v", "w", "v^2", "v * w", "w^2"};
    for (size_t j = 0; j < 6; j++) CHECK_STR(nd_sindy_lib_text(lib, j), want[j]);
    CHECK_INT(nd_sindy_lib_add_poly(lib, 3, NULL, 0, NULL), ND_OK);   /* degree 3 adds 4 */
    CHECK_INT(nd_sindy_lib_size(lib), 10);
    /* poly(1) × poly(1) only adds what is new: nothing. */
    nd_sindy_lib *a = nd_sindy_lib_create(vars, 2);
    nd_sindy_lib_add_poly(a, 1, NULL, 0, NULL);
    CHECK_INT(nd_sindy_lib_add_product(lib, a, a, NULL), ND_OK);
    CHECK_INT(nd_sindy_lib_size(lib), 10);
    nd_expr *e = parse("exp(v/10)");
    nd_sindy_lib *b = nd_sindy_lib_create(vars, 2);
    CHECK_INT(nd_sindy_lib_add_expr(b, e, NULL, NULL), ND_OK);
    nd_error err = {0};
    CHECK_INT(nd_sindy_lib_add_expr(b, e, NULL, &err), ND_EVALUE);   /* twice */
    nd_expr_free(e);
    CHECK_INT(nd_sindy_lib_add_product(lib, a, b, NULL), ND_OK);     /* exp(v/10), v*exp(v/10), ... */
    CHECK_INT(nd_sindy_lib_size(lib), 13);
    CHECK_STR(nd_sindy_lib_text(lib, 11), "v * exp(v / 10)");
    double X[2] = {2, 3}, th[13];
    CHECK_INT(nd_sindy_lib_eval(lib, X, 1, th, NULL), ND_OK);
    CHECK_NEAR(th[4], 6, 0);
    CHECK_NEAR(th[11], 2 * exp(0.2), 1e-15);
    /* Unknown names are located errors; a model supplies functions and parameters. */
    e = parse("q*v");
    CHECK_INT(nd_sindy_lib_add_expr(b, e, NULL, &err), ND_ENAME);
    CHECK_INT(err.col, 1);
    nd_expr_free(e);
    const char *hv[] = {"V", "n"};
    nd_sindy_lib *h = nd_sindy_lib_create(hv, 2);
    nd_model *hr = nd_model_builtin("hh_rinzel", NULL);
    e = parse("mInf(V)^3*(0.89 - 1.1*n)*(V - ENa)");
    CHECK_INT(nd_sindy_lib_add_expr(h, e, hr, &err), ND_OK);
    double Xh[2] = {-40, 0.4}, y[2] = {-40, 0.4}, p[16], terms[16], ina;
    memcpy(p, nd_model_pars(hr), nd_model_count(hr, ND_MODEL_PAR) * sizeof *p);
    nd_model_terms(hr, 0, y, p, terms);
    CHECK_INT(nd_sindy_lib_eval(h, Xh, 1, &ina, NULL), ND_OK);
    CHECK_NEAR(120 * ina, terms[nd_model_index(hr, ND_MODEL_TERM, "INa")], 1e-10);
    CHECK_STR(nd_sindy_lib_text(h, 0), "mInf(V)^3 * (0.89 - 1.1 * n) * (V - ENa)");
    nd_expr_free(e);
    CHECK_INT(nd_sindy_lib_add_poly(h, 1, (const char *[]){"x"}, 1, &err), ND_ENAME);
    nd_model_free(hr);
    nd_sindy_lib_free(h), nd_sindy_lib_free(a), nd_sindy_lib_free(b), nd_sindy_lib_free(lib);
}

TEST(sindy_recovers_fitzhugh_nagumo)
{
    /* docs/science.md: every 0.1 over [0, 300], I = 0.5, noise-free, poly(3), central
       differences; the true support and coefficients to 1e-2. */
    nd_dataset *d = fhn_data();
    samples s = central(d);
    const char *vars[] = {"v", "w"};
    nd_sindy_lib *lib = nd_sindy_lib_create(vars, 2);
    nd_sindy_lib_add_poly(lib, 3, NULL, 0, NULL);
    size_t p = nd_sindy_lib_size(lib);
    double *th = malloc(s.n * p * sizeof *th);
    CHECK_INT(nd_sindy_lib_eval(lib, s.X, s.n, th, NULL), ND_OK);
    for (int opt = 0; opt < 4; opt++) {
        nd_sindy_options o;
        nd_sindy_options_default(&o);
        o.optimizer = opt % 2 ? ND_SINDY_SR3 : ND_SINDY_STLSQ;
        o.threshold = opt < 2 ? 0.05 : 0.1;
        nd_sindy_fit *f = nd_sindy_regress(th, s.n, p, s.Y, 2, &o, NULL);
        CHECK(f != NULL);
        if (!f) continue;
        if (nd_sindy_nterms(f, 0) != 4) nd_test_fail(__FILE__, __LINE__, "optimizer %d", opt);
        CHECK_INT(nd_sindy_nterms(f, 0), 4);
        CHECK_INT(nd_sindy_nterms(f, 1), 3);
        CHECK_NEAR(coef(lib, f, 2, "1", 0), 0.5, 1e-2);
        CHECK_NEAR(coef(lib, f, 2, "v", 0), 1, 1e-2);
        CHECK_NEAR(coef(lib, f, 2, "v^3", 0), -1.0 / 3, 1e-2);
        CHECK_NEAR(coef(lib, f, 2, "w", 0), -1, 1e-2);
        CHECK_NEAR(coef(lib, f, 2, "1", 1), 0.056, 1e-3);
        CHECK_NEAR(coef(lib, f, 2, "v", 1), 0.08, 1e-3);
        CHECK_NEAR(coef(lib, f, 2, "w", 1), -0.064, 1e-3);
        CHECK(nd_sindy_r2(f, 0) > 0.9999 && nd_sindy_r2(f, 1) > 0.9999);
        nd_sindy_fit_free(f);
    }
    /* Thresholds on raw coefficients: 0.1 is above every coefficient of dw/dt. */
    nd_sindy_options o;
    nd_sindy_options_default(&o);
    o.normalize = 0;
    nd_sindy_fit *f = nd_sindy_regress(th, s.n, p, s.Y, 2, &o, NULL);
    CHECK_INT(nd_sindy_nterms(f, 0), 4);
    CHECK_INT(nd_sindy_nterms(f, 1), 0);
    nd_sindy_fit_free(f);
    /* Bagging keeps the true terms in every member and no other term in any. */
    nd_sindy_options_default(&o);
    o.threshold = 0.05;
    o.ensemble = 20;
    f = nd_sindy_regress(th, s.n, p, s.Y, 2, &o, NULL);
    for (size_t j = 0; j < p; j++) {
        const char *t = nd_sindy_lib_text(lib, j);
        int in_v = !strcmp(t, "1") || !strcmp(t, "v") || !strcmp(t, "w") || !strcmp(t, "v^3");
        int in_w = !strcmp(t, "1") || !strcmp(t, "v") || !strcmp(t, "w");
        CHECK_NEAR(nd_sindy_inclusion(f)[j * 2], in_v, 0);
        CHECK_NEAR(nd_sindy_inclusion(f)[j * 2 + 1], in_w, 0);
        CHECK(nd_sindy_coef_std(f)[j * 2] < 1e-3);
    }
    CHECK_NEAR(coef(lib, f, 2, "v^3", 0), -1.0 / 3, 1e-2);
    nd_sindy_fit_free(f);
    /* The sweep's knee is the true model: 7 terms. */
    double thr[40], err_[40];
    size_t nt[40], knee;
    for (int i = 0; i < 40; i++) thr[i] = pow(10, -4 + 4.0 * i / 39);
    CHECK_INT(nd_sindy_sweep(th, s.n, p, s.Y, 2, NULL, thr, 40, nt, err_, &knee, NULL), ND_OK);
    CHECK_INT(nt[0], 20);
    CHECK_INT(nt[knee], 7);
    CHECK(err_[knee] < 1e-2);
    free(th), free(s.X), free(s.Y);
    nd_sindy_lib_free(lib);
    nd_ds_free(d);
}

TEST(sindy_recovers_lorenz)
{
    static const char text[] = "dx/dt = sigma*(y - x)\ndy/dt = x*(rho - z) - y\n"
                               "dz/dt = x*y - beta*z\npar sigma = 10, rho = 28, beta = 8/3\n"
                               "init x = -8, y = 7, z = 27\n";
    nd_model *m = nd_model_parse("lorenz", text, sizeof text - 1, 1, 1, NULL);
    nd_dataset *d = ude_fx_simulate(m, NULL, -1, 10, 0.002);
    samples s = central(d);
    const char *vars[] = {"x", "y", "z"};
    nd_sindy_lib *lib = nd_sindy_lib_create(vars, 3);
    nd_sindy_lib_add_poly(lib, 2, NULL, 0, NULL);
    size_t p = nd_sindy_lib_size(lib);
    double *th = malloc(s.n * p * sizeof *th);
    nd_sindy_lib_eval(lib, s.X, s.n, th, NULL);
    nd_sindy_options o;
    nd_sindy_options_default(&o);
    nd_sindy_fit *f = nd_sindy_regress(th, s.n, p, s.Y, 3, &o, NULL);
    CHECK(f != NULL);
    if (f) {
        CHECK_INT(nd_sindy_nterms(f, 0), 2);
        CHECK_INT(nd_sindy_nterms(f, 1), 3);
        CHECK_INT(nd_sindy_nterms(f, 2), 2);
        CHECK_NEAR(coef(lib, f, 3, "x", 0), -10, 1e-2);
        CHECK_NEAR(coef(lib, f, 3, "y", 0), 10, 1e-2);
        CHECK_NEAR(coef(lib, f, 3, "x", 1), 28, 1e-2);
        CHECK_NEAR(coef(lib, f, 3, "y", 1), -1, 1e-2);
        CHECK_NEAR(coef(lib, f, 3, "x * z", 1), -1, 1e-2);
        CHECK_NEAR(coef(lib, f, 3, "x * y", 2), 1, 1e-2);
        CHECK_NEAR(coef(lib, f, 3, "z", 2), -8.0 / 3, 1e-2);
    }
    nd_sindy_fit_free(f);
    free(th), free(s.X), free(s.Y);
    nd_sindy_lib_free(lib);
    nd_ds_free(d);
    nd_model_free(m);
}

TEST(sindy_bad_requests_say_what_is_wrong)
{
    double th[6 * 2], Y[6];
    for (int r = 0; r < 6; r++) {
        th[r * 2] = r + 1;
        th[r * 2 + 1] = 2 * (r + 1);   /* proportional to the first column */
        Y[r] = r;
    }
    nd_error err = {0};
    CHECK(nd_sindy_regress(th, 6, 2, Y, 1, NULL, &err) == NULL);
    CHECK_CONTAINS(err.msg, "terms 1 and 2 are proportional");
    nd_sindy_options named;
    nd_sindy_options_default(&named);
    named.names = (const char *const[]){"v", "2*v"};
    CHECK(nd_sindy_regress(th, 6, 2, Y, 1, &named, &err) == NULL);
    CHECK_CONTAINS(err.msg, "terms 'v' and '2*v' are proportional");
    for (int r = 0; r < 6; r++) th[r * 2 + 1] = 0;
    CHECK(nd_sindy_regress(th, 6, 2, Y, 1, NULL, &err) == NULL);
    CHECK_CONTAINS(err.msg, "term 2 is 0 on every sample");
    CHECK(nd_sindy_regress(th, 1, 2, Y, 1, NULL, &err) == NULL);
    CHECK_CONTAINS(err.msg, "too few samples");
    th[3] = NAN;
    CHECK(nd_sindy_regress(th, 6, 2, Y, 1, NULL, &err) == NULL);
    CHECK_CONTAINS(err.msg, "not finite");
    /* A dependent combination that is not a proportional pair. */
    double t3[8 * 3];
    for (int r = 0; r < 8; r++) {
        t3[r * 3] = 1;
        t3[r * 3 + 1] = r;
        t3[r * 3 + 2] = 3 + 2 * r;
        Y[r % 6] = r;
    }
    double Y8[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    CHECK(nd_sindy_regress(t3, 8, 3, Y8, 1, NULL, &err) == NULL);
    CHECK_CONTAINS(err.msg, "combination of the others");
    nd_sindy_options o;
    nd_sindy_options_default(&o);
    o.threshold = -1;
    t3[2] = 0;
    CHECK(nd_sindy_regress(t3, 8, 3, Y8, 1, &o, &err) == NULL);
    CHECK_CONTAINS(err.msg, "threshold");
}

/* The option rules live once in the library: the command and nd_sindy_regress both ask. */
TEST(sindy_options_checked_by_one_rule)
{
    nd_sindy_options o;
    nd_sindy_options_default(&o);
    nd_sindy_field bad = ND_SINDY_FIELD_THRESHOLD;
    nd_error err;
    CHECK_INT(nd_sindy_check_options(&o, &bad, &err), ND_OK);
    CHECK_INT(bad, ND_SINDY_FIELD_NONE);
    o.threshold = 0;                      /* 0 keeps every term: allowed */
    CHECK_INT(nd_sindy_check_options(&o, &bad, &err), ND_OK);
    o.ridge = -1e-9;
    CHECK_INT(nd_sindy_check_options(&o, &bad, &err), ND_EVALUE);
    CHECK_INT(bad, ND_SINDY_FIELD_RIDGE);
    CHECK_STR(err.msg, "lambda must be a finite number >= 0");
    o.ridge = 0;
    o.nu = 0;
    CHECK_INT(nd_sindy_check_options(&o, &bad, &err), ND_EVALUE);
    CHECK_INT(bad, ND_SINDY_FIELD_NU);
    o.threshold = NAN;                    /* the first wrong one is named */
    CHECK_INT(nd_sindy_check_options(&o, &bad, &err), ND_EVALUE);
    CHECK_INT(bad, ND_SINDY_FIELD_THRESHOLD);
    double theta[4] = {1, 2, 3, 4}, y[2] = {1, 2};
    CHECK(!nd_sindy_regress(theta, 2, 2, y, 1, &o, &err));
    CHECK_STR(err.msg, "threshold must be a finite number >= 0");
}
