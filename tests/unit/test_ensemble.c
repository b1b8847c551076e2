/* Ensembles (lib/learn/ensemble.h, ude_ensemble.h, the train/plot/eval paths): member
   seeds, bootstrap draws, the band and coverage arithmetic against numbers worked out by
   hand, training identical on one and two threads and on two (thread) ranks, and `train … ensemble=N` end to end. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/data/noise.h"
#include "../../lib/language/objects.h"
#include "../../lib/language/workspace.h"
#include "../../lib/learn/ensemble.h"
#include "../../lib/learn/fit_ensemble.h"
#include "../../lib/learn/ude_ensemble.h"
#include "rec_sink.h"
#include "test.h"
#include "dist_fake.h"
#include "ude_fixture.h"

TEST(ens_member_seeds_are_distinct_and_never_typed_or_retries)
{
    enum { N = 256 };
    uint64_t s[N];
    for (size_t k = 0; k < N; k++) s[k] = nd_ens_member_seed(7, k);
    CHECK(s[0] == 7);   /* member 1 is the network `train` alone gives */
    for (size_t k = 1; k < N; k++) {
        CHECK(s[k] >> 63);   /* above every seed a user can type */
        for (size_t j = 0; j < k; j++) CHECK(s[j] != s[k]);
        /* no member starts where another member's (or the seed's own) retry starts */
        for (size_t j = 0; j < N; j++)
            for (int a = 2; a <= 3; a++) CHECK(nd_ude_attempt_seed(s[j], a) != s[k]);
    }
    CHECK(nd_ens_member_seed(8, 1) != s[1]);
}

TEST(ens_resample_is_reproducible_and_in_range)
{
    size_t a[50], b[50], c[50];
    nd_ens_resample(123, 50, a);
    nd_ens_resample(123, 50, b);
    nd_ens_resample(124, 50, c);
    int differ = 0, seen[50] = {0};
    for (size_t i = 0; i < 50; i++) {
        CHECK(a[i] < 50);
        CHECK(a[i] == b[i]);
        differ |= a[i] != c[i];
        seen[a[i]] = 1;
    }
    CHECK(differ);
    /* with replacement: 50 draws from 50 leave some out (all 50 distinct: p = 50!/50^50) */
    int distinct = 0;
    for (size_t i = 0; i < 50; i++) distinct += seen[i];
    CHECK(distinct < 50);
}

TEST(ens_band_and_coverage_match_a_hand_computation)
{
    /* 3 members × 4 points; member-major. Point 3 has one finite value only. */
    const double v[] = {1, 2, 3, NAN,
                        3, 2, 5, 1,
                        5, 2, 7, NAN};
    nd_ens_band b;
    CHECK_INT(nd_ens_band_compute(v, 3, 4, &b, NULL), ND_OK);
    /* point 0: mean 3, sd √((4 + 0 + 4)/2) = 2; point 1: 2 ± 0; point 2: 5 ± 2 */
    CHECK_NEAR(b.mean[0], 3, 1e-15);
    CHECK_NEAR(b.sd[0], 2, 1e-15);
    CHECK_NEAR(b.lo[0], -1, 1e-15);
    CHECK_NEAR(b.hi[0], 7, 1e-15);
    CHECK_NEAR(b.sd[1], 0, 1e-15);
    CHECK_NEAR(b.mean[2], 5, 1e-15);
    CHECK_NEAR(b.hi[2], 9, 1e-15);
    CHECK(isnan(b.sd[3]) && b.n[3] == 1 && b.n[0] == 3);
    CHECK_NEAR(b.mean[3], 1, 1e-15);
    /* x: 7 on the edge of [−1, 7] (inside), 2.5 outside [2, 2], 0 outside [1, 9], point 3
       not counted */
    const double x[] = {7, 2.5, 0, 1};
    size_t counted = 0;
    CHECK_NEAR(nd_ens_coverage(&b, x, 0, &counted), 1.0 / 3, 1e-15);
    CHECK_INT(counted, 3);
    /* noise 0.5: point 1's half-width 2√(0 + 0.25) = 1 holds 2.5; point 2's 2√4.25 = 4.12
       still misses 0 (5 away) */
    CHECK_NEAR(nd_ens_coverage(&b, x, 0.5, NULL), 2.0 / 3, 1e-15);
    CHECK_NEAR(nd_ens_mean_sd(&b), 4.0 / 3, 1e-15);
    nd_ens_band_free(&b);
    double m, sd;
    const double y[] = {2, NAN, 4, 9};
    nd_ens_mean_sd_of(y, 2, 2, &m, &sd);   /* y[0], y[2] */
    CHECK_NEAR(m, 3, 1e-15);
    CHECK_NEAR(sd, sqrt(2), 1e-15);
}

/* hh_rinzel for t1 ms under a step, V with 5 % noise, the stimulus attached. */
static nd_dataset *recording(const nd_model *m, double amp, double t1, unsigned long seed)
{
    nd_stim *stim = nd_stim_create();
    nd_stim_add_step(stim, 1, 20, amp);
    nd_dataset *full = ude_fx_simulate(m, stim, nd_model_index(m, ND_MODEL_PAR, "I"), t1, 0.1);
    const char *cols[] = {"t", "V"};
    nd_dataset *d = ude_fx_select(full, cols, 2);
    nd_ds_add_noise(d, "V", 0.05, seed, NULL);
    nd_ds_set_meta(d, "input", "I");
    nd_ds_set_stim(d, stim);
    nd_ds_free(full);
    return d;
}

/* Trains 3 members (bootstrap over two recordings, 15 L-BFGS iterations) on threads and
   the ranks of d (NULL: serial). */
static void train_three_on(unsigned threads, nd_dist *dist, nd_ude_ens *e)
{
    nd_model *m = nd_model_builtin("hh_rinzel", NULL);
    nd_dataset *d[2] = {recording(m, 10, 8, 1), recording(m, 14, 8, 2)};
    const char *rep[] = {"INa"}, *in[] = {"V", "n"};
    size_t hidden[] = {5, 4};
    nd_ude_spec s = {rep, 1, in, 2, hidden, 2, ND_ACT_TANH, 3};
    nd_ude *u = nd_ude_create(m, &s, NULL);
    nd_ude_experiment ex[2];
    for (int k = 0; k < 2; k++) CHECK_INT(nd_ude_experiment_of(u, d[k], &ex[k], NULL), ND_OK);
    nd_ude_train_stage st = {0};
    st.r.kind = ND_OPTIM_LBFGS;
    st.collocation = -1;
    st.iters = 15;
    nd_optim_options_default(&st.o);
    const char *obs[] = {"V"};
    nd_ude_ens_request rq = {.proto = u, .ex = ex, .nex = 2, .stages = &st, .nstages = 1,
                             .members = 3, .seed = 5, .bootstrap = 1, .threads = threads,
                             .dist = dist};
    nd_ude_fit_options_default(&rq.fo);
    rq.fo.observe = obs;
    rq.fo.nobserve = 1;
    rq.fo.segments = 4;
    nd_error err = {0};
    CHECK_INT(nd_ude_ens_train(&rq, e, &err), ND_OK);
    nd_ude_free(u);
    nd_ds_free(d[0]);
    nd_ds_free(d[1]);
    nd_model_free(m);
}

static void train_three(unsigned threads, nd_ude_ens *e)
{
    train_three_on(threads, NULL, e);
}

/* A member's whole state: the JSON that saving it writes. */
static char *member_text(const nd_ude *u)
{
    json_t *j = nd_ude_to_json(u);
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
    json_decref(j);
    return s;
}

typedef struct ens_rank {
    nd_dist d;
    nd_ude_ens e;
} ens_rank;

static void *ens_rank_main(void *arg)
{
    ens_rank *r = arg;
    train_three_on(2, &r->d, &r->e);
    return NULL;
}

TEST(ens_training_on_two_ranks_gives_every_rank_the_serial_members)
{
    nd_ude_ens a;
    train_three(1, &a);
    ens_rank r[2];
    memset(r, 0, sizeof r);
    nd_dist *d[2] = {&r[0].d, &r[1].d};
    void *args[2] = {&r[0], &r[1]};
    dist_fake_run(2, d, ens_rank_main, args);
    for (int k = 0; k < 2; k++) {
        nd_ude_ens *b = &r[k].e;
        CHECK_INT(b->n, 3);
        for (size_t i = 0; i < 3 && a.n == 3 && b->n == 3; i++) {
            char *ta = member_text(a.member[i]), *tb = member_text(b->member[i]);
            CHECK(ta && tb && strcmp(ta, tb) == 0);   /* weights, history, stages, starts */
            free(ta);
            free(tb);
            CHECK(memcmp(&a.loss[i], &b->loss[i], sizeof a.loss[i]) == 0);
            CHECK(memcmp(&a.rms_over_noise[i], &b->rms_over_noise[i], sizeof a.loss[i]) == 0);
            CHECK_INT(a.ok[i], b->ok[i]);
            CHECK(a.seed[i] == b->seed[i] && a.kept_seed[i] == b->kept_seed[i]);
            CHECK(a.draw[2 * i] == b->draw[2 * i] && a.draw[2 * i + 1] == b->draw[2 * i + 1]);
        }
        nd_ude_ens_clear(b);
    }
    /* the members were trained apart: one exchange for the verdicts' pool, one for the
       networks */
    CHECK_INT(r[0].d.steps, 2);
    nd_ude_ens_clear(&a);
}

TEST(ens_training_is_identical_on_one_and_two_threads)
{
    nd_ude_ens a, b;
    train_three(1, &a);
    train_three(2, &b);
    CHECK_INT(a.n, 3);
    CHECK_INT(b.n, 3);
    for (size_t i = 0; i < 3 && a.n == 3 && b.n == 3; i++) {
        CHECK(a.seed[i] == nd_ens_member_seed(5, i));
        CHECK(a.loss[i] == b.loss[i]);
        nd_mlp *ma = nd_ude_net(a.member[i]), *mb = nd_ude_net(b.member[i]);
        CHECK(memcmp(nd_mlp_params(ma), nd_mlp_params(mb),
                     nd_mlp_nparams(ma) * sizeof(double)) == 0);
        size_t draw[2];
        nd_ude_ens_draw(a.seed[i], 2, 1, draw);
        CHECK(draw[0] == a.draw[2 * i] && draw[1] == a.draw[2 * i + 1]);
        CHECK(a.draw[2 * i] == b.draw[2 * i] && a.draw[2 * i + 1] == b.draw[2 * i + 1]);
    }
    /* independent members: different weights, different losses */
    CHECK(a.n == 3 && a.loss[0] != a.loss[1] && a.loss[1] != a.loss[2]);
    nd_ude_ens_clear(&a);
    nd_ude_ens_clear(&b);
}

#define ENS_SETUP                                                                          \
    "use hh_rinzel\nstim step at=1 dur=20 amp=10\n"                                        \
    "truth = simulate t=8 sample=0.1\n"                                                    \
    "d1 = simulate t=8 sample=0.1 observe=V noise=0.05 seed=1\n"                           \
    "stim step at=1 dur=20 amp=14\n"                                                       \
    "d2 = simulate t=8 sample=0.1 observe=V noise=0.05 seed=2\n"                           \
    "net = ude replace=INa inputs=V,n hidden=5,4 seed=3\n"

static const rec_event *last_json(const rec_fixture *f, const char *needle)
{
    for (int i = f->r.n - 1; i >= 0; i--)
        if (f->r.ev[i].json && strstr(f->r.ev[i].json, needle)) return &f->r.ev[i];
    return NULL;
}

TEST(cmd_train_ensemble_binds_members_bands_and_coverage)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, ENS_SETUP "ens = train net d1 observe=V ensemble=3 "
                                  "heldout=d2 threads=2 lbfgs iters=5"), ND_OK);
    const rec_event *d = last_json(&f, "\"type\":\"ensemble\"");
    CHECK(d != NULL);
    if (d) {
        CHECK_CONTAINS(d->text, "ensemble of 3 net networks");
        CHECK_CONTAINS(d->text, "on held-out data (d2, V)");
        CHECK_CONTAINS(d->json, "\"size\":3");
        CHECK_CONTAINS(d->json, "\"seed\":3,");   /* member 1: the network's own seed */
        CHECK_CONTAINS(d->json, "\"band\":\"mean ± 2 SD of the members\"");
    }
    CHECK(last_json(&f, "\"band\":{\"data\":\"d2\"") != NULL);   /* the held-out figure */
    nd_value *e = nd_ws_get(nd_interp_workspace(f.in), "ens");
    nd_value *mem = e ? nd_record_get(e, "members") : NULL;
    CHECK(mem && mem->kind == ND_VAL_LIST && mem->as.list.n == 3);
    CHECK(mem && nd_value_as_ude(mem->as.list.items[2]) != NULL);
    nd_value *cov = e ? nd_record_get(e, "heldout_coverage") : NULL;
    CHECK(cov && cov->kind == ND_VAL_NUMBER && cov->as.num >= 0 && cov->as.num <= 1);
    /* a member is a network: bind it and use it */
    CHECK_INT(rec_fixture_run(&f, "m2 = ens.members[2]\nplot m2 d1"), ND_OK);
    /* the term band along the truth: mean, sd, band and the true term as columns */
    CHECK_INT(rec_fixture_run(&f, "b = eval ens.INa vs INa truth\nplot ens.INa vs INa truth\n"
                                  "plot ens d2"), ND_OK);
    nd_dataset *bd = nd_value_as_dataset(nd_ws_get(nd_interp_workspace(f.in), "b"));
    CHECK(bd && nd_ds_find(bd, "INa lo") > 0 && nd_ds_find(bd, "true INa") > 0);
    if (bd) {
        const double *mn = nd_ds_col(bd, (size_t)nd_ds_find(bd, "INa"));
        const double *sd = nd_ds_col(bd, (size_t)nd_ds_find(bd, "INa sd"));
        const double *hi = nd_ds_col(bd, (size_t)nd_ds_find(bd, "INa hi"));
        CHECK_NEAR(hi[40], mn[40] + 2 * sd[40], 1e-12);
    }
    CHECK(last_json(&f, "\"term_band\":{\"network\":\"ens\",\"members\":3") != NULL);
    rec_fixture_teardown(&f);
}

TEST(cmd_train_ensemble_errors_are_located)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, ENS_SETUP), ND_OK);
    nd_error err = {0};
    CHECK_INT(rec_run(f.in, "train net d1 observe=V ensemble=1", &f.r, &err), ND_EVALUE);
    CHECK_CONTAINS(err.msg, "ensemble must be a whole number from 2 to 256");
    CHECK_INT(err.col, 33);   /* on the value */
    CHECK_INT(rec_run(f.in, "train net d1 observe=V ensemble=3 bootstrap=true", &f.r, &err),
              ND_EVALUE);
    CHECK_CONTAINS(err.msg, "bootstrap resamples the datasets");
    CHECK_INT(rec_run(f.in, "train net d1 observe=V ensemble=2 heldout=nothing", &f.r, &err),
              ND_ENAME);
    rec_fixture_teardown(&f);
}

TEST(ude_reset_trains_as_a_fresh_network)
{
    nd_model *m = nd_model_builtin("hh_rinzel", NULL);
    nd_dataset *d = recording(m, 10, 8, 1);
    const char *rep[] = {"INa"}, *in[] = {"V", "n"}, *obs[] = {"V"};
    size_t hidden[] = {5, 4};
    nd_ude_spec s = {rep, 1, in, 2, hidden, 2, ND_ACT_TANH, 3};
    nd_ude *a = nd_ude_create(m, &s, NULL), *b = nd_ude_create(m, &s, NULL);
    nd_ude_fit_options o;
    nd_ude_fit_options_default(&o);
    o.observe = obs;
    o.nobserve = 1;
    o.segments = 4;
    nd_optim_options oo;
    nd_optim_options_default(&oo);
    /* a: trained (history, scaling, segment starts), then reset; b: fresh */
    nd_ude_fit *f = nd_ude_fit_create(a, d, &o, NULL);
    CHECK(f && nd_ude_fit_run(f, ND_OPTIM_LBFGS, &oo, 5, NULL, NULL) == ND_OK);
    nd_ude_fit_free(f);
    nd_ude_reset(a, 3);
    size_t n;
    nd_ude_history(a, &n);
    CHECK_INT(n, 0);
    CHECK_INT(nd_ude_nstages(a), 0);
    CHECK(memcmp(nd_mlp_params(nd_ude_net(a)), nd_mlp_params(nd_ude_net(b)),
                 nd_mlp_nparams(nd_ude_net(a)) * sizeof(double)) == 0);
    CHECK_INT(nd_mlp_has_scaling(nd_ude_net(a)), 0);
    for (int k = 0; k < 2; k++) {
        nd_ude *u = k ? b : a;
        f = nd_ude_fit_create(u, d, &o, NULL);
        CHECK(f && nd_ude_fit_run(f, ND_OPTIM_LBFGS, &oo, 5, NULL, NULL) == ND_OK);
        nd_ude_fit_free(f);
    }
    CHECK(memcmp(nd_mlp_params(nd_ude_net(a)), nd_mlp_params(nd_ude_net(b)),
                 nd_mlp_nparams(nd_ude_net(a)) * sizeof(double)) == 0);
    nd_ude_free(a);
    nd_ude_free(b);
    nd_ds_free(d);
    nd_model_free(m);
}

TEST(fit_ens_residual_resample_adds_drawn_residuals_to_the_fit)
{
    const double d[] = {1, 5, NAN, 2, 8}, fit[] = {0, 4, 3, 3, 6};
    /* residuals of the finite rows: 1, 1, −1, 2 */
    double y[5];
    nd_fit_ens_residual_resample(9, d, fit, 5, y);
    CHECK(isnan(y[2]));
    int seen_other = 0;
    for (int i = 0; i < 5; i++) {
        if (i == 2) continue;
        double r = y[i] - fit[i];
        CHECK(r == 1 || r == -1 || r == 2);
        seen_other |= y[i] != d[i];
    }
    CHECK(seen_other);   /* a resample, not the data (the draw of seed 9 is not the identity) */
    double z[5];
    nd_fit_ens_residual_resample(9, d, fit, 5, z);
    CHECK(memcmp(y, z, sizeof y) == 0 || (isnan(y[2]) && isnan(z[2])));
}

#define FIT_SWEEPS                                                                         \
    "use hh\nset gNa=100 gK=30\n"                                                          \
    "stim step at=2 dur=20 amp=8\ns1 = simulate t=30 sample=0.1 observe=V noise=0.01 seed=1\n" \
    "stim step at=2 dur=20 amp=15\ns2 = simulate t=30 sample=0.1 observe=V noise=0.01 seed=2\n" \
    "set gNa=120 gK=36\nstim none\n"

/* The vector field name of record r (NULL when absent). */
static const nd_value *vec(const nd_value *r, const char *name)
{
    const nd_value *v = r ? nd_record_get(r, name) : NULL;
    return v && v->kind == ND_VAL_VECTOR ? v : NULL;
}

TEST(cmd_fit_ensemble_same_on_one_and_two_threads_with_its_spread)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, FIT_SWEEPS
                              "a = fit hh s1 params=[gNa, gK] method=lm ensemble=4 bootstrap=true "
                              "threads=1\n"
                              "b = fit hh s1 params=[gNa, gK] method=lm ensemble=4 bootstrap=true "
                              "threads=2\n"
                              "c = fit hh s1 s2 params=[gNa, gK] method=lm ensemble=3 "
                              "bootstrap=true"), ND_OK);
    nd_ws *ws = nd_interp_workspace(f.in);
    const nd_value *ra = nd_value_as_model(nd_ws_get(ws, "a"))->fit;
    const nd_value *rb = nd_value_as_model(nd_ws_get(ws, "b"))->fit;
    const nd_value *va = vec(ra, "ensemble_values"), *vb = vec(rb, "ensemble_values");
    CHECK(va && vb && va->as.vec.n == 8 && vb->as.vec.n == 8);
    if (va && vb && va->as.vec.n == 8 && vb->as.vec.n == 8) {
        CHECK(memcmp(va->as.vec.x, vb->as.vec.x, 8 * sizeof(double)) == 0);
        /* the mean and SD are those of the kept members' values */
        const nd_value *mean = vec(ra, "ensemble_mean"), *sd = vec(ra, "ensemble_sd");
        double m = 0, q = 0;
        size_t k = 0;
        for (size_t i = 0; i < 4; i++)
            if (isfinite(va->as.vec.x[2 * i])) m += va->as.vec.x[2 * i], k++;
        m /= (double)k;
        for (size_t i = 0; i < 4; i++)
            if (isfinite(va->as.vec.x[2 * i]))
                q += (va->as.vec.x[2 * i] - m) * (va->as.vec.x[2 * i] - m);
        CHECK(mean && sd && k >= 2);
        if (mean && sd && k >= 2) {
            CHECK_NEAR(mean->as.vec.x[0], m, 1e-12);
            CHECK_NEAR(sd->as.vec.x[0], sqrt(q / (double)(k - 1)), 1e-12);
            /* resampled 1 % noise moves gNa by about its SE, not by tens */
            CHECK(sd->as.vec.x[0] > 0 && sd->as.vec.x[0] < 5);
            CHECK(fabs(m - 100) < 5);
        }
    }
    const rec_event *d = last_json(&f, "\"type\":\"fit ensemble\"");
    CHECK(d && strstr(d->text, "resampled datasets") && strstr(d->json, "\"extra_name\":\"single-fit SE\""));
    nd_error err = {0};
    CHECK_INT(rec_run(f.in, "fit hh s1 params=[gNa] ensemble=3 method=cmaes", &f.r, &err), ND_EVALUE);
    CHECK_CONTAINS(err.msg, "ensemble= is for the least-squares fit");
    rec_fixture_teardown(&f);
}

TEST(cmd_sindy_over_an_ensemble_gives_each_members_coefficients)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, ENS_SETUP "ens = train net d1 observe=V ensemble=3 "
                                  "lbfgs iters=5\n"
                                  "g = sindy ens.INa truth library=[mInf(V)^3*(0.89-1.1*n)*(V-ENa), 1]"),
              ND_OK);
    nd_ws *ws = nd_interp_workspace(f.in);
    const nd_value *g = nd_ws_get(ws, "g");
    const nd_value *c = g ? nd_record_get(g, "coefficients") : NULL, *mean = vec(g, "mean");
    CHECK(c && c->kind == ND_VAL_LIST && c->as.list.n == 3 && mean && mean->as.vec.n == 2);
    if (c && c->kind == ND_VAL_LIST && c->as.list.n == 3 && mean && mean->as.vec.n == 2) {
        double s = 0;
        for (size_t k = 0; k < 3; k++) s += c->as.list.items[k]->as.vec.x[0];
        CHECK_NEAR(mean->as.vec.x[0], s / 3, 1e-12);
        /* each member's coefficient is that member's own sindy */
        CHECK_INT(rec_fixture_run(&f, "m2 = ens.members[2]\n"
                                      "e2 = sindy m2.INa truth library=[mInf(V)^3*(0.89-1.1*n)*(V-ENa), 1]"),
                  ND_OK);
        nd_value *e2 = nd_ws_get(ws, "e2");
        nd_value *f2 = e2 ? nd_value_as_model(e2)->fit : NULL;
        nd_value *c2 = f2 ? nd_record_get(f2, "coefficients") : NULL;
        const nd_value *ina = vec(c2, "INa");   /* coefficients per target */
        CHECK(ina && ina->as.vec.n == 2);
        if (ina && ina->as.vec.n == 2)
            CHECK(memcmp(ina->as.vec.x, c->as.list.items[1]->as.vec.x, 2 * sizeof(double)) == 0);
    }
    rec_fixture_teardown(&f);
}
