/* Equilibria, eigenvalues and classification (lib/analysis/equilibria.h) against
   docs/science.md and against independent computations done here by another route. */
#include "test.h"

#include <math.h>
#include <stdlib.h>

#include "../../lib/analysis/equilibria.h"
#include "../../lib/models/model.h"
#include "fhn_ref.h"

/* Finds all equilibria of a built-in model over lo/hi (n values each). */
static nd_model *find(const char *name, const char *set, double I, const double *lo,
                      const double *hi, nd_eq_list *l)
{
    nd_error e;
    nd_model *m = nd_model_builtin(name, &e);
    if (set) nd_model_apply_set(m, set, &e);
    nd_model_set_par(m, "I", I, &e);
    nd_eq_list_init(l, nd_model_count(m, ND_MODEL_STATE));
    nd_eq_seeds s = {lo, hi, 0, NULL, 0};
    CHECK_INT(nd_eq_find_all(m, nd_model_pars(m), &s, l, &e), ND_OK);
    return m;
}

TEST(eq_fhn_single_stable_focus_matches_the_2x2_formula)
{
    double lo[2] = {-2.5, -1}, hi[2] = {2.5, 2};
    nd_eq_list l;
    nd_model *m = find("fhn", NULL, 0, lo, hi, &l);
    CHECK_INT(l.count, 1);
    CHECK_NEAR(l.x[0], -1.1994, 1e-4);
    CHECK_NEAR(l.x[1], -0.6243, 1e-4);
    double v = fhn_ref_vstar(0);
    CHECK_NEAR(l.x[0], v, 1e-10);
    CHECK_INT(l.kind[0], ND_EQ_STABLE_FOCUS);
    /* J = [[1 - v^2, -1], [eps, -eps b]]: lambda = tr/2 +- i sqrt(det - tr^2/4) */
    double eps = 0.08, b = 0.8, tr = 1 - v * v - eps * b, det = -(1 - v * v) * eps * b + eps;
    CHECK(det - tr * tr / 4 > 0);
    CHECK_NEAR(l.re[0], tr / 2, 1e-10);
    CHECK_NEAR(l.re[1], tr / 2, 1e-10);
    CHECK_NEAR(l.im[0], sqrt(det - tr * tr / 4), 1e-10);
    CHECK_NEAR(l.im[1], -sqrt(det - tr * tr / 4), 1e-10);
    nd_eq_list_free(&l);
    nd_model_free(m);
}

TEST(eq_fhn_between_the_hopf_points_is_an_unstable_focus)
{
    double lo[2] = {-2.5, -1}, hi[2] = {2.5, 2};
    nd_eq_list l;
    nd_model *m = find("fhn", NULL, 0.5, lo, hi, &l);
    CHECK_INT(l.count, 1);
    CHECK_NEAR(l.x[0], fhn_ref_vstar(0.5), 1e-10);
    CHECK_INT(l.kind[0], ND_EQ_UNSTABLE_FOCUS);
    nd_eq_list_free(&l);
    nd_model_free(m);
}

TEST(eq_hh_rest_is_stable_and_eigenvalues_match_finite_differences)
{
    double lo[4] = {-120, 0, 0, 0}, hi[4] = {60, 1, 1, 1};
    nd_eq_list l;
    nd_model *m = find("hh", NULL, 0, lo, hi, &l);
    CHECK_INT(l.count, 1);
    CHECK_NEAR(l.x[0], -65.0, 0.01 / 65);
    CHECK_NEAR(l.x[1], 0.053, 0.001 / 0.053 * 0.053);
    CHECK_NEAR(l.x[2], 0.596, 0.001);
    CHECK_NEAR(l.x[3], 0.318, 0.001);
    CHECK(nd_eq_kind_stable(l.kind[0]));
    /* the characteristic polynomial of a finite-difference Jacobian vanishes at each
       eigenvalue: check |det(J_fd - lambda)| small via the trace and the product */
    double J[16], x[4], f0[4], f1[4];
    for (int i = 0; i < 4; i++) x[i] = l.x[i];
    nd_model_rhs(m, 0, x, nd_model_pars(m), f0);
    for (int j = 0; j < 4; j++) {
        double h = 1e-7 * fmax(1, fabs(x[j]));
        x[j] += h;
        nd_model_rhs(m, 0, x, nd_model_pars(m), f1);
        x[j] -= h;
        for (int i = 0; i < 4; i++) J[i * 4 + j] = (f1[i] - f0[i]) / h;
    }
    double tr = J[0] + J[5] + J[10] + J[15], sum = 0;
    for (int i = 0; i < 4; i++) sum += l.re[i];
    CHECK_NEAR(sum, tr, 1e-4);
    for (int i = 0; i < 4; i++) CHECK(l.re[i] < 0);
    nd_eq_list_free(&l);
    nd_model_free(m);
}

TEST(eq_izh_has_a_stable_node_and_a_saddle)
{
    double lo[2] = {-100, -30}, hi[2] = {0, 10};
    nd_eq_list l;
    nd_model *m = find("izh", NULL, 0, lo, hi, &l);
    CHECK_INT(l.count, 2);
    CHECK_NEAR(l.x[0], -70, 1e-9);
    CHECK_NEAR(l.x[1], -14, 1e-9);
    CHECK_INT(l.kind[0], ND_EQ_STABLE_NODE);
    CHECK_NEAR(l.x[2], -50, 1e-9);
    CHECK_NEAR(l.x[3], -10, 1e-9);
    CHECK_INT(l.kind[1], ND_EQ_SADDLE);
    nd_eq_list_free(&l);
    nd_model_free(m);
}

TEST(eq_ml_snic_has_node_saddle_and_unstable_point_at_low_current)
{
    double lo[2] = {-80, 0}, hi[2] = {40, 1};
    nd_eq_list l;
    nd_model *m = find("ml", "snic", 10, lo, hi, &l);
    CHECK_INT(l.count, 3);
    CHECK(nd_eq_kind_stable(l.kind[0]));      /* rest, lowest V */
    CHECK_INT(l.kind[1], ND_EQ_SADDLE);       /* the saddle it will merge with */
    CHECK(!nd_eq_kind_stable(l.kind[2]));
    nd_eq_list_free(&l);
    nd_model_free(m);
}

TEST(eq_classify_covers_every_kind)
{
    double re1[2] = {-1, -2}, im0[2] = {0, 0};
    CHECK_INT(nd_eq_classify(re1, im0, 2), ND_EQ_STABLE_NODE);
    double re2[2] = {2, 1};
    CHECK_INT(nd_eq_classify(re2, im0, 2), ND_EQ_UNSTABLE_NODE);
    double re3[2] = {1, -1};
    CHECK_INT(nd_eq_classify(re3, im0, 2), ND_EQ_SADDLE);
    double rf[2] = {-0.1, -0.1}, imf[2] = {1, -1};
    CHECK_INT(nd_eq_classify(rf, imf, 2), ND_EQ_STABLE_FOCUS);
    double ru[2] = {0.1, 0.1};
    CHECK_INT(nd_eq_classify(ru, imf, 2), ND_EQ_UNSTABLE_FOCUS);
    double rc[2] = {0, 0};
    CHECK_INT(nd_eq_classify(rc, imf, 2), ND_EQ_CENTER);
    double rz[2] = {0, -1};
    CHECK_INT(nd_eq_classify(rz, im0, 2), ND_EQ_NONHYPERBOLIC);
    CHECK_STR(nd_eq_kind_name(ND_EQ_STABLE_FOCUS), "stable focus");
}

TEST(eq_newton_reports_failure_without_a_root)
{
    nd_error e;
    const char *src = "dx/dt = 1 + x^2\ninit x = 0\n";
    nd_model *m = nd_model_parse("noroot", src, strlen(src), 1, 1, &e);
    CHECK(m != NULL);
    double x = 0.3;
    CHECK_INT(nd_eq_newton(m, nd_model_pars(m), &x, 1e-12, 50, &e), ND_ESOLVER);
    nd_model_free(m);
}

TEST(eq_ml_snic_node_and_saddle_merge_near_i_40)
{
    double lo[2] = {-80, 0}, hi[2] = {40, 1};
    nd_eq_list l;
    nd_model *m = find("ml", "snic", 39, lo, hi, &l);
    CHECK_INT(l.count, 3);
    CHECK_INT(l.kind[0], ND_EQ_STABLE_NODE);
    CHECK_INT(l.kind[1], ND_EQ_SADDLE);
    CHECK(l.x[2] - l.x[0] < 10);   /* node (V) and saddle (V) within a few mV */
    nd_eq_list_free(&l);
    nd_model_free(m);
    m = find("ml", "snic", 41, lo, hi, &l);
    CHECK_INT(l.count, 1);          /* gone: the saddle-node on the invariant circle */
    CHECK_INT(l.kind[0], ND_EQ_UNSTABLE_FOCUS);
    nd_eq_list_free(&l);
    nd_model_free(m);
}

TEST(eq_saddle_focus_is_named)
{
    /* HH rest just past its Hopf point: an unstable complex pair, two stable reals. */
    const double re[] = {0.0042, 0.0042, -0.1389, -4.774}, im[] = {0.5884, -0.5884, 0, 0};
    CHECK_STR(nd_eq_kind_name(nd_eq_classify(re, im, 4)), "saddle-focus");
    const double re2[] = {0.5, -0.1389, -4.774}, im2[] = {0, 0, 0};
    CHECK_STR(nd_eq_kind_name(nd_eq_classify(re2, im2, 3)), "saddle");
    CHECK(!nd_eq_kind_stable(ND_EQ_SADDLE_FOCUS));
}

/* The default box: [0, 1] for a gate (hh's m, h, n: αx(V)(1 − x) − βx(V)x ≥ 0 at 0 and ≤ 0
   at 1 for every V), init ± max(1, 2|init|) for the rest (V in mV; fhn's w, which is
   dimensionless but starts at −0.62); a dimensionless state starting at 0.5 whose flow
   leaves [0, 1] (x' = 1 − 2x + y, pushed past 1 where y > 1) keeps the wide box, whether
   it comes before or after y (a gate itself, probed over x's wide box). */
TEST(eq_default_box_gives_gates_the_unit_interval)
{
    nd_error e;
    nd_model *m = nd_model_builtin("hh", &e);
    double lo[4], hi[4];
    CHECK_INT(m ? nd_eq_default_box(m, nd_model_pars(m), nd_model_inits(m), lo, hi) : ND_EINTERNAL,
              ND_OK);
    CHECK_NEAR(lo[0], -64.9964 - 2 * 64.9964, 1e-9);
    CHECK_NEAR(hi[0], -64.9964 + 2 * 64.9964, 1e-9);
    for (int i = 1; i < 4; i++) CHECK(lo[i] == 0 && hi[i] == 1);
    nd_model_free(m);
    m = nd_model_builtin("fhn", &e);
    CHECK_INT(m ? nd_eq_default_box(m, nd_model_pars(m), nd_model_inits(m), lo, hi) : ND_EINTERNAL,
              ND_OK);
    CHECK_NEAR(lo[1], -0.6243 - 2 * 0.6243, 1e-4);
    nd_model_free(m);
    const char *src = "dx/dt = 1 - 2*x + y\ndy/dt = -y\ninit x = 0.5, y = 0.5\n";
    m = nd_model_parse("leaky", src, strlen(src), 1, 1, &e);
    CHECK_INT(m ? nd_eq_default_box(m, nd_model_pars(m), nd_model_inits(m), lo, hi) : ND_EINTERNAL,
              ND_OK);
    CHECK_NEAR(lo[0], -0.5, 1e-12);      /* y reaches 1.5 in its box: x' = 0.5 > 0 at x = 1 */
    CHECK_NEAR(hi[0], 1.5, 1e-12);
    CHECK(lo[1] == 0 && hi[1] == 1);
    nd_model_free(m);
    src = "dy/dt = -y\ndx/dt = 1 - 2*x + y\ninit x = 0.5, y = 0.5\n";
    m = nd_model_parse("leaky2", src, strlen(src), 1, 1, &e);
    CHECK_INT(m ? nd_eq_default_box(m, nd_model_pars(m), nd_model_inits(m), lo, hi) : ND_EINTERNAL,
              ND_OK);
    CHECK(lo[0] == 0 && hi[0] == 1);
    CHECK_NEAR(lo[1], -0.5, 1e-12);
    nd_model_free(m);
}
