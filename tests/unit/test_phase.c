/* Nullcline contouring, slices and the phase-plane commands (fixed, stability, phase). */
#include "test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/analysis/contour.h"
#include "../../lib/analysis/phase_view.h"
#include "../../lib/analysis/slice.h"
#include "../../lib/learn/simulate.h"
#include "fhn_ref.h"
#include "ode_hh.h"
#include "rec_sink.h"

/* ---- contour ---- */

static double fhn_fv(void *ctx, double v, double w)
{
    double I = *(double *)ctx;
    return v - v * v * v / 3 - w + I;
}

TEST(contour_fhn_v_nullcline_is_the_cubic_in_one_piece)
{
    double I = 0.5;
    nd_contour c = {0};
    CHECK_INT(nd_contour_zero(fhn_fv, &I, -2.5, 2.5, -1, 2, 101, 101, &c, NULL), ND_OK);
    CHECK_INT(c.nlines, 1);        /* every branch of the N, joined */
    size_t pts = 0;
    for (size_t i = 0; i < c.n; i++) {
        if (isnan(c.x[i])) continue;
        pts++;
        CHECK_NEAR(c.y[i], c.x[i] - c.x[i] * c.x[i] * c.x[i] / 3 + I, 1e-9);
    }
    CHECK(pts > 150);
    nd_contour_free(&c);
}

static double hyperbola(void *ctx, double x, double y)
{
    (void)ctx;
    return y - 1 / x;   /* changes sign through the pole at x = 0 too */
}

TEST(contour_rejects_sign_changes_through_a_pole)
{
    nd_contour c = {0};
    CHECK_INT(nd_contour_zero(hyperbola, NULL, -2.05, 2.05, -3, 3, 80, 80, &c, NULL), ND_OK);
    CHECK_INT(c.nlines, 2);        /* the two branches, no vertical line at x = 0 */
    for (size_t i = 0; i < c.n; i++)
        if (!isnan(c.x[i])) {
            CHECK(fabs(c.x[i]) > 0.3);
            CHECK_NEAR(c.y[i], 1 / c.x[i], 1e-8);
        }
    nd_contour_free(&c);
}

static double circle(void *ctx, double x, double y)
{
    (void)ctx;
    return x * x + y * y - 1;
}

TEST(contour_closes_loops)
{
    nd_contour c = {0};
    CHECK_INT(nd_contour_zero(circle, NULL, -2, 2, -2, 2, 41, 41, &c, NULL), ND_OK);
    CHECK_INT(c.nlines, 1);
    CHECK(c.n > 10);
    CHECK_NEAR(c.x[0], c.x[c.n - 2], 1e-12);   /* the last point before the NaN is the first */
    CHECK_NEAR(c.y[0], c.y[c.n - 2], 1e-12);
    nd_contour_free(&c);
}

/* ---- slices ---- */

TEST(slice_hh_qss_plane_has_the_rest_state_and_n_inf_nullcline)
{
    nd_error e;
    nd_model *m = nd_model_builtin("hh", &e);
    int iv = nd_model_index(m, ND_MODEL_STATE, "V"), in = nd_model_index(m, ND_MODEL_STATE, "n");
    nd_slice s;
    CHECK_INT(nd_slice_init(&s, m, nd_model_pars(m), iv, in, nd_model_inits(m), 1, &e), ND_OK);
    double lo[2] = {-90, 0}, hi[2] = {50, 1};
    nd_eq_list l;
    nd_eq_list_init(&l, 2);
    CHECK_INT(nd_slice_equilibria(&s, lo, hi, &l, &e), ND_OK);
    CHECK_INT(l.count, 1);
    CHECK_NEAR(l.x[0], -65.0, 0.01 / 65);
    CHECK_NEAR(l.x[1], 0.318, 0.001);
    CHECK(nd_eq_kind_stable(l.kind[0]));
    /* at quasi-steady state m = m_inf(V): dm/dt vanishes at any (V, n) */
    double state[4], f[4];
    CHECK_INT(nd_slice_state(&s, -40, 0.5, state), 0);
    nd_model_rhs(m, 0, state, nd_model_pars(m), f);
    CHECK(fabs(f[1]) < 1e-10 && fabs(f[2]) < 1e-10);
    CHECK(state[1] > 0 && state[1] < 1);
    nd_eq_list_free(&l);
    nd_slice_free(&s);
    nd_model_free(m);
}

/* ---- commands ---- */

static const char *last_json(rec_fixture *f)
{
    return f->r.n ? f->r.ev[f->r.n - 1].json : NULL;
}

TEST(cmd_fixed_lists_equilibria_with_kinds_and_json)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use fhn\nfixed"), ND_OK);
    const char *j = last_json(&f);
    CHECK_CONTAINS(j, "{\"type\":\"equilibria\",\"model\":\"fhn\"");
    CHECK_NEAR(rec_json_number(j, "\"points\":[{\"state\":{\"v\":"), fhn_ref_vstar(0), 1e-9);
    CHECK_CONTAINS(j, "\"kind\":\"stable focus\"");
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].text, "stable focus");
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].html, "<table");
    CHECK_INT(rec_fixture_run(&f, "fixed izh"), ND_OK);
    j = last_json(&f);
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].text, "1  -70  -14");   /* table rows, 6 digits */
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].text, "2  -50  -10");
    CHECK_CONTAINS(j, "\"kind\":\"saddle\"");
    CHECK_INT(rec_fixture_run(&f, "use ml\nset snic\nfixed I=10"), ND_OK);
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].text, "3 equilibria");
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].text, "saddle");
    CHECK_INT(rec_fixture_run(&f, "fixed nosuch=1"), ND_ENAME);
    rec_fixture_teardown(&f);
}

TEST(cmd_fixed_finds_the_hh_rest_state)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "fixed hh"), ND_OK);
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].text, "1 equilibrium of hh");
    CHECK_CONTAINS(last_json(&f), "\"stable\":true");
    CHECK_NEAR(rec_json_number(last_json(&f), "\"V\":"), ode_hh_equilibrium_voltage(0), 1e-9);
    rec_fixture_teardown(&f);
}

TEST(cmd_stability_at_a_state_and_nearest)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use fhn\nstability at v=-1"), ND_OK);
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].text, "not an equilibrium");
    CHECK_CONTAINS(last_json(&f), "{\"type\":\"stability\"");
    CHECK_INT(rec_fixture_run(&f, "stability at v=-1 nearest=true"), ND_OK);
    CHECK_NEAR(rec_json_number(last_json(&f), "\"v\":"), fhn_ref_vstar(0), 1e-9);
    CHECK_CONTAINS(last_json(&f), "stable focus");
    CHECK_INT(rec_fixture_run(&f, "stability at v=0.5 I=0.5 nearest=true"), ND_OK);
    CHECK_CONTAINS(last_json(&f), "unstable focus");
    rec_fixture_teardown(&f);
}

TEST(cmd_phase_draws_nullclines_field_trajectories_and_equilibria)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use fhn\nphase v w v=-2.5..2.5 w=-1..2 nullclines field "
                                  "traj=3 I=0.5"), ND_OK);
    const char *t = f.r.ev[f.r.n - 1].text;
    CHECK_CONTAINS(t, "v-nullcline (dv/dt = 0)");
    CHECK_CONTAINS(t, "w-nullcline (dw/dt = 0)");
    CHECK_CONTAINS(t, "trajectories");
    CHECK_CONTAINS(t, "unstable equilibrium");
    /* The equilibrium at I = 0.5, shown to 6 digits (regression pin: the %.6g format). */
    char want[96];
    double v = fhn_ref_vstar(0.5);
    snprintf(want, sizeof want, "v = %.6g, w = %.6g: unstable focus", v, fhn_ref_wstar(v));
    CHECK_CONTAINS(t, want);
    CHECK_CONTAINS(last_json(&f), "\"phase\":{\"model\":\"fhn\",\"x\":\"v\",\"y\":\"w\"");
    CHECK_CONTAINS(last_json(&f), "\"kind\":\"unstable focus\"");
    CHECK_INT(rec_fixture_run(&f, "phase V n hh others=qss V=-90..50 n=0..1 traj=[[-60, 0.3]] t=20"),
              ND_OK);
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].text, "of the 2-D slice");
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].text, "stable");
    CHECK_INT(rec_fixture_run(&f, "phase v v"), ND_EVALUE);
    CHECK_INT(rec_fixture_run(&f, "phase v q fhn"), ND_ENAME);
    CHECK_INT(rec_fixture_run(&f, "phase v w fhn others=bogus"), ND_EVALUE);
    CHECK_INT(rec_fixture_run(&f, "phase v w fhn traj=[[1]]"), ND_EVALUE);
    rec_fixture_teardown(&f);
}

TEST(cmd_fixed_and_phase_work_on_a_user_model)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "model osc {\n  dx/dt = y\n  dy/dt = -k*x\n  par k = 4\n"
                                  "  init x = 1, y = 0\n}\nfixed"), ND_OK);
    CHECK_CONTAINS(last_json(&f), "\"kind\":\"centre\"");
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].text, "0 \u00b1 2i");
    CHECK_INT(rec_fixture_run(&f, "phase y x traj=[[1, 0]] t=3.2 k=1"), ND_OK);
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].text, "y-nullcline (dy/dt = 0)");
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].text, "y = 0, x = 0: centre");
    rec_fixture_teardown(&f);
}

/* ---- the plane from C (lib/analysis/phase_view.h) ---- */

/* What `phase X Y` prints as its JSON for code, run through the interpreter (caller frees). */
static char *command_json(const char *code)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    char *json = NULL;
    if (rec_fixture_run(&f, code) == ND_OK && last_json(&f)) json = strdup(last_json(&f));
    rec_fixture_teardown(&f);
    return json;
}

/* hh_rinzel's (V, n) plane at parameters p, the rest from the model's initial state. */
static nd_phase_plane rinzel_plane(const nd_model *m, const double *p)
{
    nd_phase_plane pp = {0};
    pp.m = m;
    pp.p = p;
    pp.x0 = nd_model_inits(m);
    pp.ix = nd_model_index(m, ND_MODEL_STATE, "V");
    pp.iy = nd_model_index(m, ND_MODEL_STATE, "n");
    pp.grid = 201;
    pp.t1 = 100;
    pp.path = nd_sim_path;
    return pp;
}

TEST(phase_bundle_from_c_is_the_command_s_figure_byte_for_byte)
{
    nd_error e;
    nd_model *m = nd_model_builtin("hh_rinzel", &e);
    CHECK(m != NULL);
    size_t npar = nd_model_count(m, ND_MODEL_PAR);
    double *p = malloc(npar * sizeof *p);
    memcpy(p, nd_model_pars(m), npar * sizeof *p);
    p[nd_model_index(m, ND_MODEL_PAR, "I")] = 10;
    nd_phase_plane pp = rinzel_plane(m, p);
    pp.lo[0] = -90, pp.hi[0] = 50, pp.lo[1] = 0, pp.hi[1] = 1;
    pp.nullclines = 1;
    double start[2] = {-60, 0.3};
    pp.starts = start;
    pp.ntraj = 1;
    nd_bundle *b = NULL;
    CHECK_INT(nd_phase_bundle(&pp, &b, &e), ND_OK);
    char *want = command_json("phase V n hh_rinzel V=-90..50 n=0..1 nullclines "
                              "traj=[[-60, 0.3]] I=10");
    CHECK(want != NULL && b != NULL);
    CHECK_STR(nd_bundle_get(b, ND_MIME_JSON), want);
    CHECK_CONTAINS(nd_bundle_get(b, ND_MIME_JSON), "\"phase\":{\"model\":\"hh_rinzel\"");
    nd_bundle_free(b);
    free(want);

    /* no ranges: both axes framed by a run from the initial state, spread starts, field */
    pp = rinzel_plane(m, p);
    pp.nullclines = pp.field = 1;
    CHECK_INT(nd_phase_frame(&pp, 1, 1, &e), ND_OK);
    double starts[6];
    nd_phase_spread(&pp, 3, starts);
    pp.starts = starts;
    pp.ntraj = 3;
    CHECK_INT(nd_phase_bundle(&pp, &b, &e), ND_OK);
    want = command_json("phase V n hh_rinzel traj=3 I=10");
    CHECK(want != NULL && b != NULL);
    CHECK_STR(nd_bundle_get(b, ND_MIME_JSON), want);
    nd_bundle_free(b);
    free(want);
    free(p);
    nd_model_free(m);
}

/* A stand-in integrator: state 0 moves linearly from y0 to y0 + *(double *)ctx. */
static nd_status line_path(void *ctx, const nd_model *m, const double *p, const double *y0,
                           double t1, size_t npts, double *out, unsigned char *breaks,
                           nd_error *err)
{
    (void)p, (void)t1, (void)breaks, (void)err;
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    for (size_t k = 0; k < npts; k++)
        for (size_t i = 0; i < n; i++)
            out[k * n + i] = y0[i] + (i == 0 ? *(double *)ctx * (double)k / (double)(npts - 1) : 0);
    return ND_OK;
}

TEST(phase_frame_pads_a_moving_axis_and_windows_a_resting_one)
{
    nd_error e;
    nd_model *m = nd_model_builtin("fhn", &e);
    CHECK(m != NULL);
    double x0[2] = {-1.2, -0.6}, move = 2;
    nd_phase_plane pp = {.m = m, .p = nd_model_pars(m), .x0 = x0, .ix = 0, .iy = 1, .t1 = 1,
                         .path = line_path, .path_ctx = &move};
    CHECK_INT(nd_phase_frame(&pp, 1, 1, &e), ND_OK);
    CHECK_NEAR(pp.lo[0], -1.2 - 0.15 * 2, 1e-12);   /* [-1.2, 0.8] padded by 15 % */
    CHECK_NEAR(pp.hi[0], 0.8 + 0.15 * 2, 1e-12);
    CHECK_NEAR(pp.lo[1], -0.6 - 0.5, 1e-12);         /* at rest: max(0.5, |y0|/4) */
    CHECK_NEAR(pp.hi[1], -0.6 + 0.5, 1e-12);
    x0[1] = -8;
    pp.lo[0] = 7, pp.hi[0] = 9;
    CHECK_INT(nd_phase_frame(&pp, 0, 1, &e), ND_OK);
    CHECK_NEAR(pp.lo[0], 7, 0);                      /* a given range stays */
    CHECK_NEAR(pp.lo[1], -10, 1e-12);                /* |y0|/4 = 2 */
    CHECK_NEAR(pp.hi[1], -6, 1e-12);
    double s[4];
    nd_phase_spread(&pp, 2, s);                     /* x stratified, y at the golden ratio */
    CHECK_NEAR(s[0], 7 + (0.05 + 0.9 * 0.25) * 2, 1e-12);
    CHECK_NEAR(s[1], -10 + (0.05 + 0.9 * 0.5) * 4, 1e-12);
    CHECK_NEAR(s[3], -10 + (0.05 + 0.9 * fmod(0.5 + 0.618033988749895, 1)) * 4, 1e-12);
    nd_model_free(m);
}
