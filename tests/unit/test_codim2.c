/* Two-parameter continuation against normal forms whose curves and codimension-2 points
   are known in closed form (Kuznetsov, Elements of Applied Bifurcation Theory, 3rd ed.,
   §8.2 cusp, §8.3 Bautin, §8.4 Bogdanov–Takens). */
#include "test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/analysis/codim2.h"
#include "../../lib/analysis/equilibria.h"

static nd_c2_result *run(const char *src, int kinds, double lo1, double hi1, double lo2,
                         double hi2)
{
    nd_error e = {0};
    nd_model *m = nd_model_parse("nf", src, strlen(src), 1, 1, &e);
    if (!m) {
        printf("parse: %s\n", e.msg);
        return NULL;
    }
    nd_c2_result *r = NULL;
    if (nd_c2_continue(m, kinds, nd_model_index(m, ND_MODEL_PAR, "b1"), lo1, hi1,
                       nd_model_index(m, ND_MODEL_PAR, "b2"), lo2, hi2, NULL, &r, &e) != ND_OK)
        printf("codim2: %s\n", e.msg);
    nd_model_free(m);
    return r;
}

static size_t count(const nd_c2_result *r, nd_c2_kind k)
{
    size_t c = 0;
    for (size_t i = 0; r && i < r->npoints; i++) c += r->points[i].kind == k;
    return c;
}

static const nd_c2_point *find(const nd_c2_result *r, nd_c2_kind k)
{
    for (size_t i = 0; r && i < r->npoints; i++)
        if (r->points[i].kind == k) return &r->points[i];
    return NULL;
}

/* x' = y, y' = b1 + b2 x + x² − x y: folds on b1 = b2²/4 (x = −b2/2), Hopf on b1 = 0,
   b2 < 0 (x = 0, trace −x = 0, det −b2 > 0), both meeting at the BT point (0, 0). */
static const char *BT_SRC = "dx/dt = y\n"
                            "dy/dt = b1 + b2*x + x^2 - x*y\n"
                            "par b1 = 0, b2 = -1\ninit x = 0, y = 0\n";

TEST(codim2_bogdanov_takens_normal_form)
{
    nd_c2_result *r = run(BT_SRC, ND_C2_HOPF | ND_C2_FOLD, -0.5, 0.5, -1.5, 1);
    CHECK(r != NULL);
    if (!r) return;
    CHECK_INT((int)r->ncurves, 2);
    CHECK_INT((int)count(r, ND_C2_BT), 1);
    const nd_c2_point *bt = find(r, ND_C2_BT);
    CHECK(bt != NULL);
    if (bt) {
        CHECK_NEAR(bt->p1, 0, 1e-7);
        CHECK_NEAR(bt->p2, 0, 1e-7);
        CHECK_NEAR(bt->state[0], 0, 1e-6);
    }
    for (size_t c = 0; c < r->ncurves; c++) {
        const nd_c2_curve *cv = &r->curves[c];
        CHECK(cv->n > 10);
        for (size_t i = 0; i < cv->n; i++) {
            double b1 = cv->p1[i], b2 = cv->p2[i], x = cv->state[i * 2];
            if (cv->kind == ND_C2_HOPF) {
                CHECK_NEAR(b1, 0, 1e-8);
                CHECK(b2 <= 1e-7);
                CHECK_NEAR(cv->omega[i], sqrt(fmax(0, -b2)), 1e-6);
            } else {
                CHECK_NEAR(b1, b2 * b2 / 4, 1e-8);
                CHECK_NEAR(x, -b2 / 2, 1e-7);
            }
        }
    }
    /* the Hopf curve ends at BT; the fold curve runs from edge to edge */
    const nd_c2_curve *h = r->curves[0].kind == ND_C2_HOPF ? &r->curves[0] : &r->curves[1];
    CHECK(h->end && strstr(h->end, "Bogdanov"));
    CHECK_NEAR(h->p2[0], -1.5, 1e-9);
    nd_c2_free(r);
}

/* x' = b1 + b2 x − x³ (y' = −y): folds where b2 = 3x², b1 = −2x³, i.e.
   b1 = ±2(b2/3)^(3/2); the cusp at (0, 0). Both folds of the one-parameter start lie on
   the one curve. */
TEST(codim2_cusp_normal_form)
{
    nd_c2_result *r = run("dx/dt = b1 + b2*x - x^3\ndy/dt = -y\n"
                          "par b1 = 0, b2 = 1\ninit x = 1, y = 0\n",
                          ND_C2_FOLD, -1, 1, -0.5, 2);
    CHECK(r != NULL);
    if (!r) return;
    CHECK_INT((int)r->ncurves, 1);
    CHECK_INT((int)count(r, ND_C2_CUSP), 1);
    CHECK_INT((int)count(r, ND_C2_BT), 0);
    const nd_c2_point *cp = find(r, ND_C2_CUSP);
    if (cp) {
        CHECK_NEAR(cp->p1, 0, 1e-8);
        CHECK_NEAR(cp->p2, 0, 1e-7);
    }
    const nd_c2_curve *cv = &r->curves[0];
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < cv->n; i++) {
        double b1 = cv->p1[i], b2 = cv->p2[i], x = cv->state[i * 2];
        CHECK_NEAR(b2, 3 * x * x, 1e-8);
        CHECK_NEAR(b1, -2 * x * x * x, 1e-8);
        CHECK_NEAR(fabs(b1), 2 * pow(fmax(0, b2) / 3, 1.5), 1e-8);
        /* a = f_xx/2 = −3x: its sign flips at the cusp */
        if (fabs(x) > 1e-3) CHECK_NEAR(cv->a[i], -3 * x, 1e-4 * (1 + fabs(x)));
        lo = fmin(lo, b1);
        hi = fmax(hi, b1);
    }
    CHECK_NEAR(lo, -1, 1e-9);   /* both branches reach the box's b1 edges */
    CHECK_NEAR(hi, 1, 1e-9);
    nd_c2_free(r);
}

/* r' = b1 r + b2 r³ − r⁵, θ' = 1 in Cartesian form: the Hopf curve is b1 = 0 with
   l1 = 2 b2 (ż = (b1 + i)z + b2 z|z|²), the Bautin point at (0, 0). */
TEST(codim2_bautin_normal_form)
{
    nd_c2_result *r = run("dx/dt = x*(b1 + b2*(x^2 + y^2) - (x^2 + y^2)^2) - y\n"
                          "dy/dt = y*(b1 + b2*(x^2 + y^2) - (x^2 + y^2)^2) + x\n"
                          "par b1 = -0.5, b2 = -0.5\ninit x = 0, y = 0\n",
                          ND_C2_HOPF, -1, 1, -1, 1);
    CHECK(r != NULL);
    if (!r) return;
    CHECK_INT((int)r->ncurves, 1);
    CHECK_INT((int)count(r, ND_C2_BAUTIN), 1);
    const nd_c2_point *gh = find(r, ND_C2_BAUTIN);
    if (gh) {
        CHECK_NEAR(gh->p1, 0, 1e-9);
        CHECK_NEAR(gh->p2, 0, 1e-7);
        CHECK(gh->l1_before * gh->l1_after < 0);
    }
    const nd_c2_curve *cv = &r->curves[0];
    CHECK_NEAR(cv->p2[0], -1, 1e-9);
    CHECK_NEAR(cv->p2[cv->n - 1], 1, 1e-9);
    for (size_t i = 0; i < cv->n; i++) {
        CHECK_NEAR(cv->p1[i], 0, 1e-9);
        CHECK_NEAR(cv->omega[i], 1, 1e-7);
        CHECK_NEAR(cv->l1[i], 2 * cv->p2[i], 1e-4);
    }
    nd_c2_free(r);
}

TEST(codim2_reports_a_missing_start)
{
    nd_error e = {0};
    const char *src = "dx/dt = b1 - x\npar b1 = 0, b2 = 0\ninit x = 0\n";
    nd_model *m = nd_model_parse("lin", src, strlen(src), 1, 1, &e);
    nd_c2_result *r = NULL;
    CHECK(m != NULL);
    CHECK_INT(nd_c2_continue(m, ND_C2_HOPF, 0, -1, 1, 1, -1, 1, NULL, &r, &e), ND_ESOLVER);
    CHECK(r == NULL);
    CHECK(strstr(e.msg, "Hopf") != NULL);
    CHECK_INT(nd_c2_continue(m, ND_C2_HOPF, 0, -1, 1, 0, -1, 1, NULL, &r, &e), ND_EVALUE);
    nd_model_free(m);
}

/* A truncated zero-Hopf normal form (Kuznetsov §8.5) in Cartesian coordinates:
   x' = b1 + x² + s(y² + z²), (y + iz)' = (b2 + x + i)(y + iz). Equilibria y = z = 0,
   x = ±√(−b1): folds on b1 = 0 (eigenvalues 0, b2 ± i), Hopf points where b2 + x = 0,
   i.e. on b1 = −b2², x = −b2; the zero-Hopf point at (0, 0) on both. */
TEST(codim2_zero_hopf_normal_form)
{
    nd_c2_result *r = run("dx/dt = b1 + x^2 - (y^2 + z^2)\n"
                          "dy/dt = (b2 + x)*y - z\n"
                          "dz/dt = (b2 + x)*z + y\n"
                          "par b1 = -1, b2 = 0.5\ninit x = -1, y = 0, z = 0\n",
                          ND_C2_HOPF | ND_C2_FOLD, -1, 0.5, -0.8, 1);
    CHECK(r != NULL);
    if (!r) return;
    CHECK_INT((int)count(r, ND_C2_ZERO_HOPF), 1);
    CHECK_INT((int)count(r, ND_C2_BT), 0);
    CHECK_INT((int)count(r, ND_C2_BAUTIN), 0);   /* l1 has a pole here, not a zero */
    const nd_c2_point *zh = find(r, ND_C2_ZERO_HOPF);
    if (zh) {
        CHECK_NEAR(zh->p1, 0, 1e-8);
        CHECK_NEAR(zh->p2, 0, 1e-7);
        CHECK_NEAR(zh->omega, 1, 1e-6);
    }
    int kinds = 0;
    for (size_t c = 0; c < r->ncurves; c++) {
        const nd_c2_curve *cv = &r->curves[c];
        kinds |= cv->kind;
        for (size_t i = 0; i < cv->n; i++) {
            if (cv->kind == ND_C2_FOLD) CHECK_NEAR(cv->p1[i], 0, 1e-9);
            else CHECK_NEAR(cv->p1[i], -cv->p2[i] * cv->p2[i], 1e-8);
        }
    }
    CHECK_INT(kinds, ND_C2_HOPF | ND_C2_FOLD);
    nd_c2_free(r);
}

/* Wang–Buzsáki in (I, gK): the Hopf curve from the one-parameter Hopf point near gK = 35
   ends in a Bogdanov–Takens point on the fold curve. Checked without the continuation:
   two eigenvalues of the Jacobian (nd_eq_eigen) vanish there, and the Hopf curve's last
   point (κ → 0, located on the Hopf system) is the BT point located on the fold system
   (⟨w, v⟩ → 0). It also checks that a curve shorter than a few steps is not taken for a
   closed one. */
TEST(codim2_wb_hopf_curve_ends_at_the_bt_point_of_its_fold_curve)
{
    nd_error e = {0};
    nd_model *m = nd_model_builtin("wb", &e);
    CHECK(m != NULL);
    if (!m) return;
    nd_c2_result *r = NULL;
    CHECK_INT(nd_c2_continue(m, ND_C2_HOPF | ND_C2_FOLD, nd_model_index(m, ND_MODEL_PAR, "I"),
                             0, 20, nd_model_index(m, ND_MODEL_PAR, "gK"), 0, 40, NULL, &r, &e),
              ND_OK);
    const nd_c2_point *bt = find(r, ND_C2_BT);
    CHECK(bt != NULL);
    if (bt) {
        double *p = malloc(nd_model_count(m, ND_MODEL_PAR) * sizeof *p), re[3], im[3];
        memcpy(p, nd_model_pars(m), nd_model_count(m, ND_MODEL_PAR) * sizeof *p);
        p[nd_model_index(m, ND_MODEL_PAR, "I")] = bt->p1;
        p[nd_model_index(m, ND_MODEL_PAR, "gK")] = bt->p2;
        CHECK_INT(nd_eq_eigen(m, p, bt->state, re, im, &e), ND_OK);
        int small = 0;
        for (int i = 0; i < 3; i++) small += hypot(re[i], im[i]) < 1e-4;
        CHECK_INT(small, 2);
        free(p);
        const nd_c2_curve *h = NULL;
        for (size_t c = 0; c < r->ncurves; c++)
            if (r->curves[c].kind == ND_C2_HOPF && strstr(r->curves[c].end, "Bogdanov"))
                h = &r->curves[c];
        CHECK(h != NULL);
        if (h) {
            size_t last = strncmp(h->end, "a Bogdanov", 10) == 0 ? 0 : h->n - 1;
            CHECK_NEAR(h->p1[last], bt->p1, 1e-6);
            CHECK_NEAR(h->p2[last], bt->p2, 1e-5);
        }
    }
    for (size_t c = 0; c < r->ncurves; c++) CHECK(strstr(r->curves[c].end, "closed") == NULL);
    nd_c2_free(r);
    nd_model_free(m);
}

/* Two uncoupled oscillators, (x1 + iy1)' = (b1 + i)z1 − z1|z1|², (x2 + iy2)' =
   (b2 + 2i)z2 − z2|z2|²: Hopf curves b1 = 0 (ω = 1) and b2 = 0 (ω = 2), crossing in a
   double Hopf point at (0, 0), listed once. */
TEST(codim2_double_hopf_of_two_oscillators)
{
    nd_c2_result *r = run("dx1/dt = b1*x1 - y1 - x1*(x1^2 + y1^2)\n"
                          "dy1/dt = x1 + b1*y1 - y1*(x1^2 + y1^2)\n"
                          "dx2/dt = b2*x2 - 2*y2 - x2*(x2^2 + y2^2)\n"
                          "dy2/dt = 2*x2 + b2*y2 - y2*(x2^2 + y2^2)\n"
                          "par b1 = -0.5, b2 = -0.5\ninit x1 = 0, y1 = 0, x2 = 0, y2 = 0\n",
                          ND_C2_HOPF, -1, 1, -1, 1);
    CHECK(r != NULL);
    if (!r) return;
    CHECK_INT((int)r->ncurves, 2);
    CHECK_INT((int)count(r, ND_C2_DOUBLE_HOPF), 1);
    CHECK_INT((int)count(r, ND_C2_BAUTIN), 0);
    const nd_c2_point *hh = find(r, ND_C2_DOUBLE_HOPF);
    if (hh) {
        CHECK_NEAR(hh->p1, 0, 1e-8);
        CHECK_NEAR(hh->p2, 0, 1e-8);
    }
    for (size_t c = 0; c < r->ncurves; c++) {
        const nd_c2_curve *cv = &r->curves[c];
        int along_b2 = fabs(cv->omega[0] - 1) < 1e-6;   /* the b1 = 0 curve has ω = 1 */
        for (size_t i = 0; i < cv->n; i++) {
            CHECK_NEAR(along_b2 ? cv->p1[i] : cv->p2[i], 0, 1e-9);
            CHECK_NEAR(cv->omega[i], along_b2 ? 1 : 2, 1e-7);
        }
    }
    nd_c2_free(r);
}

/* The Bautin normal form r' = r(b1 + b2 r² − r⁴), θ' = 1 (Kuznetsov 3rd ed. §8.3): its
   folds of cycles lie on b1 = −b2²/4 (b2 > 0), where the double root r² = b2/2 of
   b1 + b2 r² − r⁴ = 0 sits, with the period 2π. The LPC curve starts at the fold of the
   one-parameter cycle branch at b2 = 1 (b1 = −1/4) and ends at the box's edge one way
   and at the Bautin point (0, 0) the other, where the cycle shrinks away. */
TEST(codim2_lpc_bautin_normal_form)
{
    nd_c2_result *r = run("dx/dt = x*(b1 + b2*(x^2 + y^2) - (x^2 + y^2)^2) - y\n"
                          "dy/dt = y*(b1 + b2*(x^2 + y^2) - (x^2 + y^2)^2) + x\n"
                          "par b1 = -0.5, b2 = 1\ninit x = 0.1, y = 0\n",
                          ND_C2_LPC, -1, 0.2, 0, 1.5);
    CHECK(r != NULL);
    if (!r) return;
    CHECK_INT((int)r->ncurves, 1);
    const nd_c2_curve *cv = &r->curves[0];
    CHECK_INT(cv->kind, ND_C2_LPC);
    CHECK(cv->n > 10);
    double b2min = INFINITY, b2max = -INFINITY;
    for (size_t i = 0; i < cv->n; i++) {
        double b1 = cv->p1[i], b2 = cv->p2[i], x = cv->state[2 * i], y = cv->state[2 * i + 1];
        CHECK_NEAR(b1, -b2 * b2 / 4, 1e-6);
        CHECK_NEAR(x * x + y * y, b2 / 2, 1e-6);
        CHECK_NEAR(cv->period[i], 2 * M_PI, 1e-6);
        CHECK_INT(cv->n_unstable[i], 0);
        b2min = fmin(b2min, b2);
        b2max = fmax(b2max, b2);
    }
    CHECK_NEAR(b2max, 1.5, 1e-9);        /* the edge b2 = 1.5 (b1 = −0.5625 inside) */
    CHECK(b2min < 0.01);                 /* down to the Bautin point */
    CHECK(cv->end && strstr(cv->end, "Bautin") && strstr(cv->end, "edge of the box"));
    nd_c2_free(r);
}
