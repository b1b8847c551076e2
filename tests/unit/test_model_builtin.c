/* The built-in models: they parse and compile, their right-hand sides match hand-computed
   values, their equilibria match docs/science.md, their symbolic Jacobians match finite
   differences, and their resets, parameter sets, LaTeX and tables work. */
#include "test.h"

#include <math.h>
#include <stdlib.h>

#include "../../lib/models/model.h"
#include "fhn_ref.h"
#include "ode_hh.h"

enum { MAXN = 8, MAXP = 32 };

static nd_model *builtin(const char *name)
{
    nd_error err;
    nd_model *m = nd_model_builtin(name, &err);
    if (!m) nd_test_fail(__FILE__, __LINE__, "%s: %s", name, err.msg);
    return m;
}

/* Solves A x = b (n x n, partial pivoting) in place: b becomes x. */
static void lin_solve(double *A, double *b, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t p = k;
        for (size_t i = k + 1; i < n; i++)
            if (fabs(A[i * n + k]) > fabs(A[p * n + k])) p = i;
        for (size_t j = 0; j < n; j++) {
            double t = A[k * n + j];
            A[k * n + j] = A[p * n + j];
            A[p * n + j] = t;
        }
        double t = b[k];
        b[k] = b[p];
        b[p] = t;
        for (size_t i = k + 1; i < n; i++) {
            double f = A[i * n + k] / A[k * n + k];
            for (size_t j = k; j < n; j++) A[i * n + j] -= f * A[k * n + j];
            b[i] -= f * b[k];
        }
    }
    for (size_t k = n; k-- > 0;) {
        for (size_t j = k + 1; j < n; j++) b[k] -= A[k * n + j] * b[j];
        b[k] /= A[k * n + k];
    }
}

/* Newton's method on f(y) = 0 with the model's Jacobian, from the model's initial values. */
static void rest(const nd_model *m, const double *p, double *y)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    double f[MAXN], J[MAXN * MAXN];
    memcpy(y, nd_model_inits(m), n * sizeof *y);
    for (int it = 0; it < 20; it++) {
        nd_model_rhs(m, 0, y, p, f);
        nd_model_jac(m, 0, y, p, J);
        lin_solve(J, f, n);
        for (size_t i = 0; i < n; i++) y[i] -= f[i];
    }
}

TEST(model_builtin_all_parse_and_compile)
{
    CHECK_INT(nd_model_builtin_count(), 8);
    const char *names[] = {"fhn", "hh", "hh_minf_hinf", "hh_rinzel", "izh", "lif", "ml", "wb"};
    for (size_t i = 0; i < nd_model_builtin_count(); i++) {
        CHECK_STR(nd_model_builtin_name(i), names[i]);
        nd_model *m = builtin(names[i]);
        if (!m) continue;
        CHECK(nd_model_has_jac(m));
        CHECK_STR(nd_model_notes(m), "");
        CHECK(strlen(nd_model_doc(m)) > 200);
        /* Documented: every parameter has a unit text (maybe "1") and a description,
           every state and term a description. */
        for (size_t k = 0; k < nd_model_count(m, ND_MODEL_PAR); k++) {
            const nd_model_item *it = nd_model_item_at(m, ND_MODEL_PAR, k);
            if (!*it->unit || !*it->summary) nd_test_fail(__FILE__, __LINE__, "%s.%s undocumented", names[i], it->name);
        }
        for (int kind = ND_MODEL_STATE; kind <= ND_MODEL_TERM; kind += 2)
            for (size_t k = 0; k < nd_model_count(m, (nd_model_kind)kind); k++) {
                const nd_model_item *it = nd_model_item_at(m, (nd_model_kind)kind, k);
                if (!*it->summary) nd_test_fail(__FILE__, __LINE__, "%s.%s undocumented", names[i], it->name);
            }
        nd_model_free(m);
    }
    CHECK(nd_model_builtin_name(99) == NULL);
    nd_error err;
    CHECK(nd_model_builtin("hx", &err) == NULL);
    CHECK_INT(err.code, ND_ENAME);
    CHECK_CONTAINS(err.msg, "no built-in model 'hx' (built-in models: fhn, hh,");
    CHECK(nd_model_builtin_text("hh") != NULL);
}

TEST(model_builtin_hh_rhs_by_hand)
{
    nd_model *m = builtin("hh");
    if (!m) return;
    CHECK_INT(nd_model_count(m, ND_MODEL_STATE), 4);
    double p[MAXP], y[4] = {-60, 0.1, 0.5, 0.4}, dy[4], terms[3];
    memcpy(p, nd_model_pars(m), nd_model_count(m, ND_MODEL_PAR) * sizeof *p);
    p[nd_model_index(m, ND_MODEL_PAR, "I")] = 5;
    CHECK_INT(nd_model_rhs(m, 0, y, p, dy), 0);
    /* INa = 120*0.1^3*0.5*(-110) = -6.6, IK = 36*0.4^4*17 = 15.6672,
       IL = 0.3*(-5.613) = -1.6839, dV = 5 + 6.6 - 15.6672 + 1.6839. */
    CHECK_NEAR(dy[0], -2.3833, 1e-12);
    /* The gates from Hodgkin & Huxley's rates written by hand (ode_hh.c). */
    double a[3], b[3];
    ode_hh_gate_rates(y[0], a, b);
    for (int g = 0; g < 3; g++) CHECK_NEAR(dy[g + 1], a[g] * (1 - y[g + 1]) - b[g] * y[g + 1], 1e-13);
    CHECK_INT(nd_model_terms(m, 0, y, p, terms), 0);
    CHECK_NEAR(terms[0], -6.6, 1e-12);
    CHECK_NEAR(terms[1], 15.6672, 1e-12);
    CHECK_NEAR(terms[2], -1.6839, 1e-12);
    nd_model_free(m);
}

TEST(model_builtin_hh_removable_singularity)
{
    nd_model *m = builtin("hh");
    if (!m) return;
    /* With m = 0 the m equation is am(V); with n = 0 the n equation is an(V). */
    double y[4] = {-40, 0, 0.5, 0}, dy[4], J[16];
    nd_model_rhs(m, 0, y, nd_model_pars(m), dy);
    CHECK_NEAR(dy[1], 1.0, 1e-9);
    CHECK(isfinite(dy[0]) && isfinite(dy[2]) && isfinite(dy[3]));
    y[0] = -55;
    nd_model_rhs(m, 0, y, nd_model_pars(m), dy);
    CHECK_NEAR(dy[3], 0.1, 1e-9);
    nd_model_jac(m, 0, y, nd_model_pars(m), J);
    for (int i = 0; i < 16; i++) CHECK(isfinite(J[i]));
    nd_model_free(m);
}

TEST(model_builtin_hh_rest)
{
    nd_model *m = builtin("hh");
    if (!m) return;
    double y[4], dy[4];
    rest(m, nd_model_pars(m), y);
    CHECK_NEAR(y[0], -65.0, 0.05 / 65);
    CHECK_NEAR(y[1], 0.053, 5e-4);
    CHECK_NEAR(y[2], 0.596, 5e-4);
    CHECK_NEAR(y[3], 0.318, 5e-4);
    /* The initial values are that rest, to the digits written. */
    nd_model_rhs(m, 0, nd_model_inits(m), nd_model_pars(m), dy);
    for (int i = 0; i < 4; i++) CHECK(fabs(dy[i]) < 1e-3);
    nd_model_free(m);
}

TEST(model_builtin_fhn_rest)
{
    nd_model *m = builtin("fhn");
    if (!m) return;
    double y[2];
    rest(m, nd_model_pars(m), y);
    CHECK_NEAR(y[0], -1.1994, 1e-4);   /* docs/science.md */
    CHECK_NEAR(y[1], -0.6243, 1e-4);
    CHECK_NEAR(y[0], fhn_ref_vstar(0), 1e-9);   /* the root of the cubic, by bisection */
    CHECK_NEAR(y[1], fhn_ref_wstar(y[0]), 1e-9);
    nd_model_free(m);
}

TEST(model_builtin_izh_rest_and_reset)
{
    nd_model *m = builtin("izh");
    if (!m) return;
    double y[2] = {-70, -14}, dy[2], g;
    nd_model_rhs(m, 0, y, nd_model_pars(m), dy);
    CHECK_NEAR(dy[0], 0, 1e-12);
    CHECK_NEAR(dy[1], 0, 1e-12);
    CHECK_INT(nd_model_nwhens(m), 1);
    CHECK_STR(nd_model_when_text(m, 0), "when v >= 30 { v = c; u = u + d }");
    nd_model_events(m, 0, y, nd_model_pars(m), &g);
    CHECK_NEAR(g, -100, 1e-12);
    y[0] = 30.5;
    y[1] = -3;
    nd_model_events(m, 0, y, nd_model_pars(m), &g);
    CHECK_NEAR(g, 0.5, 1e-12);
    CHECK_INT(nd_model_apply_reset(m, 0, 0, y, nd_model_pars(m)), 0);
    CHECK_NEAR(y[0], -65, 0);
    CHECK_NEAR(y[1], 5, 0);
    CHECK_INT(nd_model_apply_reset(m, 1, 0, y, nd_model_pars(m)), -1);
    nd_model_free(m);
}

TEST(model_builtin_reduced_hh)
{
    nd_model *r = builtin("hh_rinzel"), *q = builtin("hh_minf_hinf");
    if (!r || !q) goto out;
    CHECK_INT(nd_model_count(r, ND_MODEL_STATE), 2);
    CHECK_INT(nd_model_count(q, ND_MODEL_STATE), 2);
    /* Term h of hh_rinzel is 0.89 - 1.1 n. */
    double y[2] = {-60, 0.4}, terms[8];
    int h = nd_model_index(r, ND_MODEL_TERM, "h");
    CHECK(h >= 0);
    nd_model_terms(r, 0, y, nd_model_pars(r), terms);
    if (h >= 0) CHECK_NEAR(terms[h], 0.89 - 1.1 * 0.4, 1e-15);
    double yr[2], yq[2];
    rest(r, nd_model_pars(r), yr);
    rest(q, nd_model_pars(q), yq);
    CHECK_NEAR(yq[0], -65.0, 0.05 / 65);   /* same rest as hh: m, h at steady state */
    CHECK_NEAR(yr[0], -65.09, 0.01 / 65);
out:
    nd_model_free(r);
    nd_model_free(q);
}

/* Compares J and Jp with central differences of the right-hand side at y. */
static void check_jacobians(const char *name, const nd_model *m, const double *y, const double *p)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE), np = nd_model_count(m, ND_MODEL_PAR);
    double J[MAXN * MAXN], Jp[MAXN * MAXP], fp[MAXN], fm[MAXN], yy[MAXN], pp[MAXP];
    CHECK_INT(nd_model_jac(m, 0.5, y, p, J), 0);
    CHECK_INT(nd_model_jacp(m, 0.5, y, p, Jp), 0);
    for (size_t j = 0; j < n + np; j++) {
        memcpy(yy, y, n * sizeof *yy);
        memcpy(pp, p, np * sizeof *pp);
        double *x = j < n ? &yy[j] : &pp[j - n], x0 = *x, h = 1e-5 * fmax(1, fabs(x0));
        *x = x0 + h;
        nd_model_rhs(m, 0.5, yy, pp, fp);
        *x = x0 - h;
        nd_model_rhs(m, 0.5, yy, pp, fm);
        for (size_t i = 0; i < n; i++) {
            double fd = (fp[i] - fm[i]) / (2 * h);
            double an = j < n ? J[i * n + j] : Jp[i * np + (j - n)];
            /* Central differences are good to about h^2 |f'''| + eps |f| / h. */
            double scale = fmax(fabs(an), fmax(1e-3 * fabs(fp[i]), 1.0));
            if (!(fabs(an - fd) <= 1e-6 * scale))
                nd_test_fail(__FILE__, __LINE__, "%s: d f%zu / d %s: %.12g vs fd %.12g", name, i,
                             j < n ? nd_model_item_at(m, ND_MODEL_STATE, j)->name
                                   : nd_model_item_at(m, ND_MODEL_PAR, j - n)->name, an, fd);
        }
    }
}

TEST(model_builtin_jacobians_match_finite_differences)
{
    for (size_t b = 0; b < nd_model_builtin_count(); b++) {
        const char *name = nd_model_builtin_name(b);
        nd_model *m = builtin(name);
        if (!m) continue;
        size_t n = nd_model_count(m, ND_MODEL_STATE);
        double y[MAXN];
        const double *p = nd_model_pars(m);
        /* The initial state, and two others moved in every direction. */
        for (int s = 0; s < 3; s++) {
            for (size_t i = 0; i < n; i++) {
                double y0 = nd_model_inits(m)[i];
                y[i] = s == 0 ? y0 : y0 + (s == 1 ? 0.1 : -0.07) * (1 + fabs(y0)) * (i % 2 ? -1 : 1);
            }
            check_jacobians(name, m, y, p);
        }
        nd_model_free(m);
    }
    /* A spiking hh state, and V at the removable singularity's neighbourhood. */
    nd_model *m = builtin("hh");
    if (!m) return;
    double y1[4] = {20, 0.9, 0.3, 0.5}, y2[4] = {-40.3, 0.2, 0.4, 0.5};
    check_jacobians("hh", m, y1, nd_model_pars(m));
    check_jacobians("hh", m, y2, nd_model_pars(m));
    nd_model_free(m);
}

TEST(model_builtin_ml_parameter_sets)
{
    nd_model *m = builtin("ml");
    if (!m) return;
    CHECK_INT(nd_model_nsets(m), 2);
    CHECK_STR(nd_model_set_name(m, 0), "hopf");
    CHECK_STR(nd_model_set_name(m, 1), "snic");
    CHECK_STR(nd_model_set_text(m, 1), "gCa = 4, V3 = 12, V4 = 17.4, phi = 1/15");
    int gCa = nd_model_index(m, ND_MODEL_PAR, "gCa"), phi = nd_model_index(m, ND_MODEL_PAR, "phi");
    CHECK_NEAR(nd_model_pars(m)[gCa], 4.4, 0);  /* the default is hopf */
    nd_error err;
    CHECK_INT(nd_model_apply_set(m, "snic", &err), ND_OK);
    CHECK_NEAR(nd_model_pars(m)[gCa], 4, 0);
    CHECK_NEAR(nd_model_pars(m)[phi], 1.0 / 15, 1e-16);
    CHECK_INT(nd_model_apply_set(m, "hopf", &err), ND_OK);
    CHECK_NEAR(nd_model_pars(m)[phi], 0.04, 0);
    CHECK_INT(nd_model_apply_set(m, "sinc", &err), ND_ENAME);
    CHECK_CONTAINS(err.msg, "no parameter set 'sinc' (sets: hopf, snic)");
    nd_model_free(m);
    m = builtin("fhn");
    if (!m) return;
    CHECK_INT(nd_model_apply_set(m, "x", &err), ND_ENAME);
    CHECK_CONTAINS(err.msg, "has no parameter sets");
    nd_model_free(m);
}

TEST(model_builtin_set_par_init_copy)
{
    nd_model *m = builtin("hh");
    if (!m) return;
    nd_error err;
    CHECK_INT(nd_model_set_par(m, "I", 10, &err), ND_OK);
    CHECK_INT(nd_model_set_par(m, "gna", 1, &err), ND_ENAME);
    CHECK_CONTAINS(err.msg, "did you mean 'gNa'?");
    CHECK_INT(nd_model_set_init(m, "V", -70, &err), ND_OK);
    CHECK_INT(nd_model_set_init(m, "gNa", 1, &err), ND_ENAME);
    nd_model *c = nd_model_copy(m);
    CHECK(c != NULL);
    if (c) {
        int I = nd_model_index(c, ND_MODEL_PAR, "I");
        CHECK_NEAR(nd_model_pars(c)[I], 10, 0);
        CHECK_NEAR(nd_model_inits(c)[0], -70, 0);
        nd_model_set_par(c, "I", 3, NULL);
        CHECK_NEAR(nd_model_pars(m)[I], 10, 0);
        nd_model_reset_values(c);
        CHECK_NEAR(nd_model_pars(c)[I], 0, 0);
        CHECK_NEAR(nd_model_inits(c)[0], -64.9964, 0);   /* the value hh.nd writes */
    }
    nd_model_free(m);  /* the copy keeps the shared definition alive */
    if (c) {
        double dy[4];
        CHECK_INT(nd_model_rhs(c, 0, nd_model_inits(c), nd_model_pars(c), dy), 0);
    }
    nd_model_free(c);
}

TEST(model_builtin_latex_tables_explain)
{
    nd_model *m = builtin("hh");
    if (!m) return;
    char *tex = nd_model_latex(m);
    CHECK_CONTAINS(tex, "\\begin{aligned}\n\\frac{dV}{dt} &= \\frac{I - I_{\\mathrm{Na}} - ");
    CHECK_CONTAINS(tex, "I_{\\mathrm{Na}} &= g_{\\mathrm{Na}} \\cdot m^{3} \\cdot h");
    CHECK_CONTAINS(tex, "\\frac{dn}{dt} &= ");
    CHECK(tex && strstr(tex, "\\end{aligned}") && !strstr(tex, "\\\\\n\\end"));
    free(tex);
    const char *ik = nd_model_find(m, "IK", NULL)->latex;
    CHECK(strncmp(ik, "I_{", 3) == 0);
    CHECK_CONTAINS(ik, "} = g_{");
    CHECK_CONTAINS(ik, "n^{4}");
    nd_bundle *b = nd_model_table(m, ND_MODEL_PAR);
    CHECK(b != NULL);
    if (b) {
        CHECK_CONTAINS(nd_bundle_get(b, "text/plain"), "gNa        120      mS/cm^2  maximal sodium conductance");
        CHECK_CONTAINS(nd_bundle_get(b, "text/html"), ">mS/cm^2</td>");
        CHECK_CONTAINS(nd_bundle_get(b, ND_MIME_JSON),
                       "{\"name\":\"gNa\",\"value\":120.0,\"unit\":\"mS/cm^2\",\"description\":\"maximal sodium conductance\"}");
    }
    nd_bundle_free(b);
    b = nd_model_table(m, ND_MODEL_STATE);
    CHECK(b && strstr(nd_bundle_get(b, ND_MIME_JSON), "\"type\":\"model_states\""));
    nd_bundle_free(b);
    CHECK(nd_model_table(m, ND_MODEL_TERM) == NULL);
    char *e = nd_model_explain(m, "gNa");
    CHECK_CONTAINS(e, "gNa: parameter of hh = 120 mS/cm^2\nmaximal sodium conductance\n\nThe sodium");
    free(e);
    e = nd_model_explain(m, "V");
    CHECK_CONTAINS(e, "dV/dt = (I - INa - IK - IL) / C");
    free(e);
    e = nd_model_explain(m, "am");
    CHECK_CONTAINS(e, "am(V) = 0.1*(V + 40)/(1 - exp(-(V + 40)/10))");
    free(e);
    CHECK(nd_model_explain(m, "nope") == NULL);
    nd_model_free(m);
    m = builtin("izh");
    if (!m) return;
    tex = nd_model_latex(m);
    CHECK_CONTAINS(tex, "&\\text{when } v \\ge 30:\\quad v \\leftarrow c,\\; u \\leftarrow u + d\n\\end{aligned}");
    free(tex);
    nd_model_free(m);
}

TEST(model_builtin_inline_keeps_terms)
{
    nd_model *m = builtin("hh");
    if (!m) return;
    const char *keep[] = {"INa"};
    nd_error err;
    nd_expr *e = nd_model_inline(m, nd_model_item_at(m, ND_MODEL_STATE, 0)->expr, keep, 1, &err);
    nd_sb sb;
    nd_sb_init(&sb);
    if (e) nd_expr_text(e, &sb);
    CHECK_STR(nd_sb_str(&sb), "(I - INa - gK * n^4 * (V - EK) - gL * (V - EL)) / C");
    nd_sb_free(&sb);
    nd_expr_free(e);
    /* A call of a model function in an expression from outside, e.g. the rates command. */
    nd_expr call = {.kind = ND_EXPR_CALL, .line = 1, .col = 1, .span = 1, .str = "nope"};
    CHECK(nd_model_inline(m, &call, NULL, 0, &err) == NULL);
    CHECK_INT(err.code, ND_ENAME);
    nd_model_free(m);
}
