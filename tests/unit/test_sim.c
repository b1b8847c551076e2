/* lib/learn/simulate.h: one integration over a time grid for a model and for a network.
   Its columns are checked bit for bit against a solve written here directly on the ODE
   layer (nd_ode_solve on the model's or the hybrid's problem, the grid 0, sample, …), and
   against what the `simulate` command binds, so a C program gets the notebook's numbers. */
#include "test.h"

#include <stdlib.h>
#include <string.h>

#include "../../lib/language/objects.h"
#include "../../lib/language/workspace.h"
#include "../../lib/data/select.h"
#include "../../lib/learn/simulate.h"
#include "../../lib/models/model_ivp.h"
#include "rec_sink.h"

/* Rows of states written by a direct solve (n values each). */
typedef struct direct_rows {
    double *y;
    size_t n, rows;
} direct_rows;

static int direct_out(void *ctx, double t, const double *y, int event, size_t which)
{
    (void)t;
    direct_rows *r = ctx;
    if (event) return 0;
    memcpy(r->y + which * r->n, y, r->n * sizeof *y);
    r->rows = which + 1;
    return 0;
}

/* Whether column 1 + j of ds equals rows[i * n + j] exactly for every row and state. */
static int same_states(const nd_dataset *ds, const double *rows, size_t n, size_t m)
{
    if (!ds || nd_ds_rows(ds) != m) return 0;
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < m; i++)
            if (nd_ds_col(ds, 1 + j)[i] != rows[i * n + j]) return 0;
    return 1;
}

/* Whether a and b have the same columns (names and every value, bit for bit). */
static int same_columns(const nd_dataset *a, const nd_dataset *b)
{
    if (!a || !b || nd_ds_cols(a) != nd_ds_cols(b) || nd_ds_rows(a) != nd_ds_rows(b)) return 0;
    for (size_t c = 0; c < nd_ds_cols(a); c++) {
        if (strcmp(nd_ds_name(a, c), nd_ds_name(b, c)) != 0) return 0;
        if (memcmp(nd_ds_col(a, c), nd_ds_col(b, c), nd_ds_rows(a) * sizeof(double)) != 0)
            return 0;
    }
    return 1;
}

static const nd_dataset *bound(rec_fixture *f, const char *name)
{
    return nd_value_as_dataset(nd_ws_get(nd_interp_workspace(f->in), name));
}

TEST(sim_times_are_the_decimal_grid)
{
    size_t n = 0;
    double *t = nd_sim_times(1, 0.1, &n);
    CHECK_INT(n, 11);
    CHECK(t && t[3] == 0.3 && t[10] == 1.0);   /* 3 * 0.1 would be 0.30000000000000004 */
    free(t);
    t = nd_sim_times(1.05, 0.1, &n);           /* none above t_end */
    CHECK_INT(n, 11);
    CHECK(t && t[10] == 1.0);
    free(t);
    CHECK(nd_sim_default_sample(100) == 0.05);   /* 100 / 4000 = 0.025, rounded up to 5e-2 */
}

TEST(sim_model_hh_matches_a_direct_solve_and_simulate)
{
    nd_error err = {0};
    nd_model *m = nd_model_builtin("hh", &err);
    CHECK(m != NULL);
    if (!m) return;
    CHECK_INT(nd_model_set_par(m, "I", 10, &err), ND_OK);
    size_t nt = 0, n = nd_model_count(m, ND_MODEL_STATE);
    double *t = nd_sim_times(100, nd_sim_default_sample(100), &nt);
    nd_sim_options o;
    nd_sim_options_default(&o);
    o.terms = 1;
    nd_dataset *ds = NULL;
    nd_ode_stats stats;
    CHECK_INT(nd_sim_model(m, t, nt, 100, &o, &ds, &stats, &err), ND_OK);

    /* The same problem solved directly: dp5 at 1e-6 from the model's initial values. */
    direct_rows r = {malloc(nt * n * sizeof(double)), n, 0};
    double y[8];
    memcpy(y, nd_model_inits(m), n * sizeof *y);
    nd_model_ivp *ivp = nd_model_ivp_create(m, NULL, NULL, -1, 0, 100, &err);
    nd_ode_options oo;
    nd_ode_options_default(&oo);
    CHECK_INT(nd_ode_solve(nd_model_ivp_problem(ivp), 0, 100, y, &oo, t, nt, direct_out, &r,
                           NULL, &err), ND_OK);
    CHECK(same_states(ds, r.y, n, nt));
    CHECK(ds && nd_ds_find(ds, "INa") > 0);   /* terms=true */
    CHECK(ds && strcmp(nd_ds_meta(ds, "parameters"), "I = 10") == 0);
    /* HH at I = 10 fires repetitively: V passes +30 mV (docs/science.md). */
    double vmax = -1e9;
    for (size_t i = 0; ds && i < nd_ds_rows(ds); i++) vmax = fmax(vmax, nd_ds_col(ds, 1)[i]);
    CHECK(vmax > 30);

    /* What `simulate` binds in the notebook: the same columns, bit for bit. */
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh\nset I = 10\nsim = simulate t=100 terms=true"), ND_OK);
    CHECK(same_columns(ds, bound(&f, "sim")));
    CHECK(bound(&f, "sim") && nd_ds_dense(bound(&f, "sim")) != NULL);
    rec_fixture_teardown(&f);

    nd_model_ivp_free(ivp);
    nd_ds_free(ds);
    nd_model_free(m);
    free(r.y);
    free(t);
}

TEST(sim_network_matches_a_direct_solve_and_simulate)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    /* A small untrained UDE of hh_rinzel under a current step: a hybrid that spikes. */
    CHECK_INT(rec_fixture_run(&f, "use hh_rinzel\nnet = ude replace=INa inputs=V,n hidden=4 "
                                  "seed=2\nstim net step at=5 dur=20 amp=10\n"
                                  "s = simulate net t=30 sample=0.1 terms=true"), ND_OK);
    nd_ude *u = nd_value_as_ude(nd_ws_get(nd_interp_workspace(f.in), "net"));
    CHECK(u != NULL);
    if (!u) {
        rec_fixture_teardown(&f);
        return;
    }
    nd_error err = {0};
    size_t nt = 0, n = nd_model_count(nd_ude_model(u), ND_MODEL_STATE);
    double *t = nd_sim_times(30, 0.1, &nt);
    nd_sim_options o;
    nd_sim_options_default(&o);
    o.terms = 1;
    nd_dataset *ds = NULL;
    CHECK_INT(nd_sim_network(u, t, nt, 30, &o, &ds, NULL, &err), ND_OK);
    CHECK(same_columns(ds, bound(&f, "s")));
    CHECK(ds && nd_ds_find(ds, "I") > 0 && strcmp(nd_ds_meta(ds, "input"), "I") == 0);

    /* Directly on the hybrid's problem under its own stimulus. */
    direct_rows r = {malloc(nt * n * sizeof(double)), n, 0};
    double y[8];
    memcpy(y, nd_model_inits(nd_ude_model(u)), n * sizeof *y);
    nd_ude_ivp *ivp = nd_ude_ivp_create(u, NULL, -1, 0, 30, &err);
    nd_ode_options oo;
    nd_ode_options_default(&oo);
    CHECK_INT(nd_ode_solve(nd_ude_ivp_problem(ivp), 0, 30, y, &oo, t, nt, direct_out, &r,
                           NULL, &err), ND_OK);
    CHECK(same_states(ds, r.y, n, nt));
    /* The input column is the step: 0 before 5 ms, 10 during it (I's own value is 0). */
    int in = ds ? nd_ds_find(ds, "I") : -1;
    CHECK(in > 0 && nd_ds_col(ds, (size_t)in)[10] == 0 && nd_ds_col(ds, (size_t)in)[100] == 10);

    nd_ude_ivp_free(ivp);
    nd_ds_free(ds);
    free(r.y);
    free(t);
    rec_fixture_teardown(&f);
}

TEST(sim_reports_resets_and_keeps_rows_before_a_failure)
{
    nd_error err = {0};
    nd_model *m = nd_model_builtin("lif", &err);
    CHECK(m != NULL);
    if (!m) return;
    /* R I = 20 mV over a 15 mV threshold: ISI = tau ln(20 / 5) = 13.86 ms, 7 spikes in
       100 ms (the closed form of docs/science.md). */
    CHECK_INT(nd_model_set_par(m, "I", 2, &err), ND_OK);
    size_t nt = 0;
    double *t = nd_sim_times(100, 0.5, &nt);
    unsigned char *jumps = malloc(nt);
    nd_sim_options o;
    nd_sim_options_default(&o);
    o.jumps = jumps;
    nd_dataset *ds = NULL;
    CHECK_INT(nd_sim_model(m, t, nt, 100, &o, &ds, NULL, &err), ND_OK);
    /* Every reset lies between a sample flagged as a jump and the next, where V drops. */
    size_t flagged = 0, drops = 0;
    for (size_t i = 0; ds && i + 1 < nt; i++) {
        flagged += jumps[i];
        drops += nd_ds_col(ds, 1)[i + 1] < nd_ds_col(ds, 1)[i];
        if (jumps[i]) CHECK(nd_ds_col(ds, 1)[i + 1] < nd_ds_col(ds, 1)[i]);
    }
    CHECK_INT(flagged, 7);
    CHECK_INT(flagged, drops);
    nd_ds_free(ds);

    /* A run cut by the step limit keeps the samples before it. */
    o.jumps = NULL;
    o.ode.max_steps = 20;
    CHECK_INT(nd_sim_model(m, t, nt, 100, &o, &ds, NULL, &err), ND_ESOLVER);
    CHECK(ds && nd_ds_rows(ds) > 0 && nd_ds_rows(ds) < nt);
    nd_ds_free(ds);
    nd_model_free(m);
    free(jumps);
    free(t);
}

/* observe= keeps t, the names in their order and the driven input; the size guard counts
   rows × columns before anything is allocated. */
TEST(sim_observe_keeps_the_named_columns_and_the_input)
{
    const char *names[] = {"t", "V", "n", "m", "I"};
    double t[] = {0, 1, 2}, v[] = {-65, -60, -55}, n[] = {.3, .31, .32}, m[] = {.05, .06, .07},
           in[] = {10, 10, 10};
    const double *cols[] = {t, v, n, m, in};
    nd_dataset *ds = nd_ds_from_columns(5, names, cols, 3);
    const char *keep[] = {"m", "V"};
    size_t bad = 7;
    nd_error err;
    CHECK_INT(nd_sim_observe(&ds, keep, 2, "I", NULL, NULL, 0, &bad, &err), ND_OK);
    CHECK_INT(bad, (size_t)-1);
    CHECK_INT(nd_ds_cols(ds), 4);
    CHECK_STR(nd_ds_name(ds, 1), "m");
    CHECK_STR(nd_ds_name(ds, 2), "V");
    CHECK_STR(nd_ds_name(ds, 3), "I");
    CHECK_NEAR(nd_ds_col(ds, 2)[1], -60, 0);
    const char *twice[] = {"V", "m", "V"};
    CHECK_INT(nd_sim_observe(&ds, twice, 3, NULL, NULL, NULL, 0, &bad, &err), ND_EVALUE);
    CHECK_INT(bad, 2);
    const char *missing[] = {"h"};
    CHECK_INT(nd_sim_observe(&ds, missing, 1, NULL, NULL, NULL, 0, &bad, &err), ND_ENAME);
    CHECK_INT(bad, 0);
    nd_ds_free(ds);
    /* 1e6 rows of 50 numbers is the limit; one more sample is over it */
    CHECK_INT(nd_sim_check_size(999999, 1, 50, &err), ND_OK);
    CHECK_INT(nd_sim_check_size(1000000, 1, 50, &err), ND_ENOMEM);
}
