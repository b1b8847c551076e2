/* Continuation of equilibria: fold and Hopf points against analytic values (FHN, Izhikevich,
   a normal form), HH against docs/science.md with an independent eigenvalue check, and l1. */
#include "test.h"

#include <lapacke.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/analysis/bif_view.h"
#include "../../lib/analysis/continuation.h"
#include "../../lib/analysis/equilibria.h"
#include "fhn_ref.h"

/* Continues model name (parameter set set, may be NULL) in I over [lo, hi]. */
static nd_bif_result *run(const char *name, const char *set, double lo, double hi)
{
    nd_error e = {0};
    nd_model *m = nd_model_builtin(name, &e);
    if (!m) return NULL;
    if (set) nd_model_apply_set(m, set, &e);
    nd_bif_result *r = NULL;
    nd_bif_continue(m, nd_model_index(m, ND_MODEL_PAR, "I"), lo, hi, NULL, &r, &e);
    nd_model_free(m);
    return r;
}

/* The k-th special point of kind, or NULL. */
static const nd_bif_point *point(const nd_bif_result *r, nd_bif_kind kind, int k)
{
    for (size_t i = 0; r && i < r->npoints; i++)
        if (r->points[i].kind == kind && k-- == 0) return &r->points[i];
    return NULL;
}

static size_t count(const nd_bif_result *r, nd_bif_kind kind)
{
    size_t c = 0;
    for (size_t i = 0; r && i < r->npoints; i++) c += r->points[i].kind == kind;
    return c;
}

TEST(continuation_fhn_hopf_points_match_the_analytic_values)
{
    nd_bif_result *r = run("fhn", NULL, 0, 2);
    CHECK(r != NULL);
    CHECK_INT((int)count(r, ND_BIF_HOPF), 2);
    CHECK_INT((int)count(r, ND_BIF_FOLD), 0);
    const nd_bif_point *h1 = point(r, ND_BIF_HOPF, 0), *h2 = point(r, ND_BIF_HOPF, 1);
    CHECK(h1 && h2);
    if (h1 && h2) {
        CHECK_NEAR(h1->param, fhn_ref_hopf_I(-1), 1e-8);
        CHECK_NEAR(h2->param, fhn_ref_hopf_I(1), 1e-8);
        CHECK_NEAR(h1->param, 0.3313, 1e-4);
        CHECK_NEAR(h2->param, 1.4187, 1e-4);
        CHECK_NEAR(h1->state[0], -sqrt(1 - 0.064), 1e-7);
        /* at the Hopf point (trace 0) ω² = det J = ε − bε(1 − v²) */
        double v = h1->state[0], eps = 0.08, b = 0.8;
        double det = -(1 - v * v) * b * eps + eps;
        CHECK_NEAR(h1->omega, sqrt(det), 1e-7);
        CHECK(h1->l1 > 0);   /* both FHN Hopf points are subcritical for these values */
        CHECK_STR(nd_bif_criticality(h1), "subcritical");
    }
    /* stable before the first Hopf point, unstable between, stable after the second */
    const nd_eq_branch *br = &r->branches[0];
    CHECK_INT(br->n_unstable[0], 0);
    CHECK_INT(br->n_unstable[br->n - 1], 0);
    CHECK_NEAR(br->param[br->n - 1], 2, 1e-12);
    for (size_t i = 0; i < br->n; i++)
        if (br->param[i] > 0.5 && br->param[i] < 1.2) CHECK_INT(br->n_unstable[i], 2);
    nd_bif_free(r);
}

/* The largest real part of the Jacobian's eigenvalues of hh at its equilibrium for I,
   computed without the continuation: Newton from rest, nd_model_jac, dgeev. */
static double hh_lead_re(double current)
{
    nd_error e = {0};
    nd_model *m = nd_model_builtin("hh", &e);
    nd_model_set_par(m, "I", current, &e);
    double x[4], J[16], wr[4], wi[4];
    memcpy(x, nd_model_inits(m), sizeof x);
    double lead = NAN;
    if (nd_eq_newton(m, nd_model_pars(m), x, 1e-13, 100, &e) == ND_OK &&
        nd_model_jac(m, 0, x, nd_model_pars(m), J) == 0 &&
        LAPACKE_dgeev(LAPACK_ROW_MAJOR, 'N', 'N', 4, J, 4, wr, wi, NULL, 1, NULL, 1) == 0) {
        lead = wr[0];
        for (int i = 1; i < 4; i++) lead = fmax(lead, wr[i]);
    }
    nd_model_free(m);
    return lead;
}

TEST(continuation_hh_hopf_points_and_criticality)
{
    nd_bif_result *r = run("hh", NULL, 0, 200);
    CHECK(r != NULL);
    CHECK_INT((int)count(r, ND_BIF_HOPF), 2);
    const nd_bif_point *h1 = point(r, ND_BIF_HOPF, 0), *h2 = point(r, ND_BIF_HOPF, 1);
    CHECK(h1 && h2);
    if (h1 && h2) {
        CHECK(fabs(h1->param - 9.78) <= 0.01);      /* docs/science.md */
        CHECK(hh_lead_re(h1->param - 0.01) < 0);    /* independent: stability changes there */
        CHECK(hh_lead_re(h1->param + 0.01) > 0);
        CHECK(hh_lead_re(h1->param - 1e-6) < 0);    /* located far better than asked */
        CHECK(hh_lead_re(h1->param + 1e-6) > 0);
        CHECK(h1->l1 > 0);                          /* subcritical: bistable window below */
        CHECK(h1->omega > 0.5 && h1->omega < 0.7);  /* ~10.7 ms period: class 2 onset */
        CHECK(fabs(h2->param - 154.5) < 0.1);       /* depolarisation block */
        CHECK(hh_lead_re(h2->param - 0.01) > 0);
        CHECK(hh_lead_re(h2->param + 0.01) < 0);
        CHECK(h2->l1 < 0);                          /* supercritical */
    }
    nd_bif_free(r);
}

TEST(continuation_izhikevich_fold_at_4_turns_around)
{
    nd_bif_result *r = run("izh", NULL, 0, 10);
    CHECK(r != NULL);
    const nd_bif_point *f = point(r, ND_BIF_FOLD, 0);
    CHECK(f != NULL);
    if (f) {
        CHECK_NEAR(f->param, 4, 1e-8);              /* 0.04v² + 4.8v + 140 + I = 0, double root */
        CHECK_NEAR(f->state[0], -60, 1e-5);
    }
    /* the rest state also loses stability in a Hopf point just before: trace
       0.08v + 5 − a = 0 at v = −62.25, I = 3.7975 */
    const nd_bif_point *h = point(r, ND_BIF_HOPF, 0);
    CHECK(h != NULL);
    if (h) CHECK_NEAR(h->param, 3.7975, 1e-8);
    /* past the fold the branch comes back to I = 0 as the saddle (threshold) v = −50 */
    const nd_eq_branch *br = &r->branches[0];
    CHECK_NEAR(br->param[br->n - 1], 0, 1e-12);
    CHECK_NEAR(br->state[(br->n - 1) * r->dim], -50, 1e-8);
    CHECK_INT(br->n_unstable[br->n - 1], 1);
    nd_bif_free(r);
}

TEST(continuation_morris_lecar_snic_has_a_fold_and_no_hopf)
{
    nd_bif_result *r = run("ml", "snic", 0, 100);
    CHECK(r != NULL);
    CHECK_INT((int)count(r, ND_BIF_FOLD), 1);
    CHECK_INT((int)count(r, ND_BIF_HOPF), 0);
    const nd_bif_point *f = point(r, ND_BIF_FOLD, 0);
    if (f) CHECK(f->param > 39 && f->param < 41);   /* models.md: "near I = 40" */
    nd_bif_free(r);
}

/* The Hopf normal form in Cartesian coordinates, ω = 1 at mu = 0. With Kuznetsov's
   normalisation ⟨q, q⟩ = 1 (q = (1, −i)/√2, so x = zq + z̄q̄ has |x|² = 2|z|²) it reads
   ż = iz + 2s z|z|², hence l1 = 2s exactly (MatCont's convention too). */
static nd_bif_result *normal_form(const char *s)
{
    char src[512];
    snprintf(src, sizeof src,
             "dx/dt = mu*x - y + s*x*(x^2 + y^2)\n"
             "dy/dt = x + mu*y + s*y*(x^2 + y^2)\n"
             "par mu = -1, s = %s\ninit x = 0, y = 0\n", s);
    nd_error e = {0};
    nd_model *m = nd_model_parse("nf", src, strlen(src), 1, 1, &e);
    if (!m) return NULL;
    nd_bif_result *r = NULL;
    nd_bif_continue(m, nd_model_index(m, ND_MODEL_PAR, "mu"), -1, 1, NULL, &r, &e);
    nd_model_free(m);
    return r;
}

TEST(continuation_user_model_normal_form_gives_l1)
{
    const char *s[] = {"-1", "1", "0.25"};
    double want[] = {-2, 2, 0.5};
    for (int k = 0; k < 3; k++) {
        nd_bif_result *r = normal_form(s[k]);
        CHECK(r != NULL);
        const nd_bif_point *h = point(r, ND_BIF_HOPF, 0);
        CHECK(h != NULL);
        if (h) {
            CHECK_NEAR(h->param, 0, 1e-10);
            CHECK_NEAR(h->omega, 1, 1e-9);
            CHECK_NEAR(h->l1, want[k], 1e-5);
        }
        nd_bif_free(r);
    }
}

TEST(continuation_neutral_saddle_is_not_a_hopf)
{
    /* x' = y, y' = x + c y: real eigenvalues (c ± sqrt(c² + 4))/2 of opposite signs whose
       sum c crosses 0 at c = 0 — a neutral saddle, which a test on sums of eigenvalue
       pairs would flag as a Hopf point. */
    const char *src = "dx/dt = y\ndy/dt = x + c*y\ndz/dt = -z\n"
                      "par c = -1\ninit x = 0, y = 0, z = 0\n";
    nd_error e = {0};
    nd_model *m = nd_model_parse("ns", src, strlen(src), 1, 1, &e);
    CHECK(m != NULL);
    nd_bif_result *r = NULL;
    CHECK_INT(nd_bif_continue(m, nd_model_index(m, ND_MODEL_PAR, "c"), -1, 1, NULL, &r, &e),
              ND_OK);
    CHECK_INT((int)count(r, ND_BIF_HOPF), 0);
    nd_bif_free(r);
    nd_model_free(m);
}

TEST(continuation_bad_interval_and_parameter)
{
    nd_error e = {0};
    nd_model *m = nd_model_builtin("fhn", &e);
    nd_bif_result *r = NULL;
    CHECK_INT(nd_bif_continue(m, 99, 0, 1, NULL, &r, &e), ND_EVALUE);
    CHECK_INT(nd_bif_continue(m, 0, 1, 1, NULL, &r, &e), ND_EVALUE);
    CHECK(r == NULL);
    /* backwards intervals are continued from a towards b */
    CHECK_INT(nd_bif_continue(m, nd_model_index(m, ND_MODEL_PAR, "I"), 2, 0, NULL, &r, &e),
              ND_OK);
    CHECK_INT((int)count(r, ND_BIF_HOPF), 2);
    if (r) CHECK_NEAR(r->branches[0].param[r->branches[0].n - 1], 0, 1e-12);
    nd_bif_free(r);
    nd_model_free(m);
}

TEST(continuation_max_points_stops_with_a_note)
{
    nd_error e = {0};
    nd_model *m = nd_model_builtin("hh", &e);
    nd_cont_options o;
    nd_cont_options_default(&o);
    o.max_points = 5;
    nd_bif_result *r = NULL;
    CHECK_INT(nd_bif_continue(m, nd_model_index(m, ND_MODEL_PAR, "I"), 0, 200, &o, &r, &e),
              ND_OK);
    if (r) {
        CHECK(r->branches[0].n <= 6);
        CHECK_CONTAINS(r->notes, "maximum number of points");
    }
    nd_bif_free(r);
    nd_model_free(m);
}

TEST(continuation_result_carries_cycle_branches_to_json_and_diagram)
{
    nd_bif_result *r = run("fhn", NULL, 0, 2);
    CHECK(r != NULL);
    if (!r) return;
    /* what the periodic-orbit code will do: a branch from the first Hopf point */
    nd_cycle_branch *c = nd_bif_add_cycle_branch(r, 0);
    CHECK(c != NULL);
    double lo[] = {-1.5, -0.5}, hi[] = {1.5, 1.2};
    for (int i = 0; c && i < 3; i++)
        CHECK_INT(nd_cycle_branch_push(c, r->dim, 0.3 + 0.1 * i, 40, lo, hi, i > 0, 0.5), 0);
    double x[2] = {1.9, 0.5};
    nd_bif_point pt = {.kind = ND_BIF_CYCLE_FOLD, .param = 0.31, .omega = NAN, .l1 = NAN,
                       .period = 38, .on_cycle = 1, .branch = 0, .index = 1};
    CHECK_INT(nd_bif_add_point(r, &pt, x), 0);
    nd_bundle *b = nd_bif_bundle(r);
    const char *json = nd_bundle_get(b, ND_MIME_JSON);
    json_t *doc = json_loads(json ? json : "", 0, NULL);
    json_t *cyc = json_array_get(json_object_get(doc, "cycles"), 0);
    CHECK_INT((int)json_integer_value(json_object_get(cyc, "from_point")), 0);
    CHECK(json_real_value(json_array_get(json_object_get(cyc, "param"), 1)) == 0.3 + 0.1);
    json_decref(doc);
    CHECK_CONTAINS(json, "\"kind\":\"cycle fold\"");
    CHECK_CONTAINS(json, "\"stable\":[0,1,1]");
    CHECK_CONTAINS(nd_bundle_get(b, "text/plain"), "1 cycle branch");
    nd_bundle_free(b);
    nd_figure *fig = NULL;
    nd_error e = {0};
    CHECK_INT(nd_bif_figure(r, 1, "t", &fig, &e), ND_OK);
    CHECK(fig != NULL);
    nd_fig_free(fig);
    CHECK_INT(nd_bif_figure(r, 2, NULL, &fig, &e), ND_EVALUE);
    nd_bif_free(r);
}
