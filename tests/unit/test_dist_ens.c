/* Ensembles of fits and CMA-ES generations spread over "ranks" that are threads
   (dist_fake.h): every rank ends with the members a serial run gives, bit for bit, on one
   or two threads per rank; each rank evaluates exactly its share of a generation; and a
   pool started inside a point of a distributed pool runs on its rank alone. */
#include "test.h"
#include "dist_fake.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/learn/cmaes.h"
#include "../../lib/learn/fit_ensemble.h"
#include "../../lib/learn/pool_dist.h"

enum { MEMBERS = 5, NPTS = 51 };

/* dx/dt = b − x from x(0) = 0 against y_i = 2.5 (1 − e^−t_i) plus a deterministic wiggle:
   linear in b, so b̂ = Σ g y / Σ g² and SE = σ/√Σ g² in closed form (g = 1 − e^−t). */
typedef struct decay {
    nd_model *m;
    nd_dataset *ds;
    nd_fit *single;
    nd_fit_options o;
    const char *params[1];
    double bhat, se;
} decay;

static int decay_setup(decay *dc)
{
    memset(dc, 0, sizeof *dc);
    const char *src = "dx/dt = b - x\npar b = 1\ninit x = 0\n", *names[] = {"t", "x"};
    nd_error e = {0};
    dc->m = nd_model_parse("relax", src, strlen(src), 1, 1, &e);
    dc->ds = nd_ds_create(2, names, NULL);
    if (!dc->m || !dc->ds) return -1;
    double sgg = 0, sgy = 0, y[NPTS], g[NPTS];
    for (int i = 0; i < NPTS; i++) {
        double t = 0.1 * i, row[2];
        g[i] = 1 - exp(-t);
        y[i] = 2.5 * g[i] + 0.01 * sin(7.3 * i);
        row[0] = t, row[1] = y[i];
        nd_ds_append(dc->ds, row);
        sgg += g[i] * g[i], sgy += g[i] * y[i];
    }
    dc->bhat = sgy / sgg;
    double ssr = 0;
    for (int i = 0; i < NPTS; i++) ssr += (y[i] - dc->bhat * g[i]) * (y[i] - dc->bhat * g[i]);
    dc->se = sqrt(ssr / (NPTS - 1)) / sqrt(sgg);
    dc->params[0] = "b";
    nd_fit_options_default(&dc->o);
    dc->o.params = dc->params, dc->o.nparams = 1, dc->o.dt = 0.005;
    const nd_dataset *d[] = {dc->ds};
    if (!(dc->single = nd_fit_create(dc->m, d, 1, &dc->o, &e))) return -1;
    nd_fit_run_info info;
    return nd_fit_run(dc->single, ND_FIT_LM, 200, NULL, &info, &e) == ND_OK ? 0 : -1;
}

static void decay_free(decay *dc)
{
    nd_fit_free(dc->single);
    nd_ds_free(dc->ds);
    nd_model_free(dc->m);
}

/* One rank's (or the serial run's) ensemble. */
typedef struct ens_run {
    nd_dist d;
    const decay *dc;
    unsigned threads;
    int use_dist;
    double values[MEMBERS], loss[MEMBERS];
    size_t kept;
    nd_status st;
} ens_run;

static void *ens_main(void *arg)
{
    ens_run *r = arg;
    const nd_dataset *d[] = {r->dc->ds};
    nd_fit_ens_request rq = {.model = r->dc->m, .data = d, .ndata = 1, .o = &r->dc->o,
                             .method = ND_FIT_LM, .iters = 200, .single = r->dc->single,
                             .members = MEMBERS, .seed = 11, .bootstrap = 1,
                             .threads = r->threads, .dist = r->use_dist ? &r->d : NULL};
    nd_error e = {0};
    r->st = nd_fit_ens_run(&rq, r->values, r->loss, &r->kept, &e);
    return NULL;
}

TEST(dist_fit_ensemble_on_ranks_gives_the_serial_members_bit_for_bit)
{
    decay dc;
    CHECK_INT(decay_setup(&dc), 0);
    ens_run serial = {.dc = &dc, .threads = 1};
    ens_main(&serial);
    CHECK_INT(serial.st, ND_OK);
    CHECK_INT(serial.kept, MEMBERS);
    /* resampled residuals move b̂ by about its SE: distinct members near the closed form */
    for (int i = 0; i < MEMBERS; i++) {
        CHECK(fabs(serial.values[i] - dc.bhat) < 5 * dc.se);
        CHECK(i == 0 || serial.values[i] != serial.values[0]);
    }
    for (int size = 1; size <= 3; size++)
        for (unsigned threads = 1; threads <= 2; threads++) {
            /* each rank its own single fit, as each process has: a fit's loss is not
               for several threads at once */
            decay own[3];
            ens_run runs[3];
            nd_dist *d[3];
            void *args[3];
            for (int k = 0; k < size; k++) {
                CHECK_INT(decay_setup(&own[k]), 0);
                runs[k] = (ens_run){.dc = &own[k], .threads = threads, .use_dist = 1};
                d[k] = &runs[k].d;
                args[k] = &runs[k];
            }
            dist_fake_run(size, d, ens_main, args);
            for (int k = 0; k < size; k++) {
                decay_free(&own[k]);
                CHECK_INT(runs[k].st, ND_OK);
                CHECK_INT(runs[k].kept, MEMBERS);
                CHECK(memcmp(runs[k].values, serial.values, sizeof serial.values) == 0);
                CHECK(memcmp(runs[k].loss, serial.loss, sizeof serial.loss) == 0);
            }
        }
    decay_free(&dc);
}

/* ---- CMA-ES: a shifted sphere, counting who evaluates ---- */

typedef struct cma_run {
    nd_dist d;
    int threads, use_dist;
    atomic_long evals;        /* evaluations made by this rank */
    double x[3];
    nd_cmaes_result r;
    nd_status st;
} cma_run;

static int shifted_sphere(void *ctx, const double *x, size_t n, double *v)
{
    cma_run *c = ctx;
    atomic_fetch_add(&c->evals, 1);
    double s = 0;
    for (size_t i = 0; i < n; i++) s += (x[i] - (double)i) * (x[i] - (double)i);
    *v = s;
    return 0;
}

static void *cma_main(void *arg)
{
    cma_run *c = arg;
    nd_cmaes_options o;
    nd_cmaes_options_default(&o);
    o.lambda = 7;   /* odd: rank 0 of 2 evaluates 4 of each generation, rank 1 three */
    o.seed = 4;
    o.threads = c->threads;
    o.max_evals = 7 * 40;
    o.dist = c->use_dist ? &c->d : NULL;
    double x0[3] = {3, 3, 3};
    nd_error e = {0};
    c->st = nd_cmaes_minimize(shifted_sphere, c, 3, x0, &o, c->x, &c->r, &e);
    return NULL;
}

TEST(dist_cmaes_ranks_share_each_generation_and_agree_with_a_serial_run)
{
    cma_run serial = {.threads = 1};
    cma_main(&serial);
    CHECK_INT(serial.st, ND_OK);
    CHECK_INT(serial.r.evals, 7 * 40);
    CHECK(serial.r.fbest < 1e-3);   /* the minimum is at (0, 1, 2) */
    CHECK(fabs(serial.x[2] - 2) < 0.05);
    for (int threads = 1; threads <= 2; threads++) {
        cma_run runs[2] = {{.threads = threads, .use_dist = 1}, {.threads = threads, .use_dist = 1}};
        nd_dist *d[2] = {&runs[0].d, &runs[1].d};
        void *args[2] = {&runs[0], &runs[1]};
        dist_fake_run(2, d, cma_main, args);
        for (int k = 0; k < 2; k++) {
            CHECK_INT(runs[k].st, ND_OK);
            CHECK(memcmp(runs[k].x, serial.x, sizeof serial.x) == 0);
            CHECK(memcmp(&runs[k].r.fbest, &serial.r.fbest, sizeof serial.r.fbest) == 0);
            CHECK_INT(runs[k].r.evals, serial.r.evals);
            CHECK_INT(runs[k].r.generations, 40);
        }
        CHECK_INT(atomic_load(&runs[0].evals), 4 * 40);
        CHECK_INT(atomic_load(&runs[1].evals), 3 * 40);
    }
}

/* ---- a pool inside a point ---- */

typedef struct nest_run {
    nd_dist d;
    double out[6];
    nd_status st;
} nest_run;

static nd_status inner_eval(void *w, size_t i, double *out, nd_error *err)
{
    (void)w, (void)err;
    out[0] = (double)(i + 1);
    return ND_OK;
}

/* Point i: 10 i plus the sum of an inner pool of i + 1 points (1 + 2 + …), started with
   the rank's own distribution as a nested library call would. */
static nd_status outer_eval(void *w, size_t i, double *out, nd_error *err)
{
    nest_run *r = w;
    nd_pool_job job = {.npoints = i + 1, .nout = 1, .threads = 1, .eval = inner_eval};
    double v[8];
    nd_status st = nd_pool_run_dist(&job, &r->d, NULL, NULL, v, NULL, NULL, err);
    out[0] = 10.0 * (double)i;
    for (size_t k = 0; k <= i; k++) out[0] += v[k];
    return st;
}

static void *nest_main(void *arg)
{
    nest_run *r = arg;
    nd_pool_job job = {.npoints = 6, .nout = 1, .threads = 2, .eval = outer_eval, .ctx = r};
    nd_error e = {0};
    r->st = nd_pool_run_dist(&job, &r->d, NULL, NULL, r->out, NULL, NULL, &e);
    return NULL;
}

TEST(dist_a_pool_inside_a_point_runs_on_its_rank_alone)
{
    nest_run runs[2];
    memset(runs, 0, sizeof runs);
    nd_dist *d[2] = {&runs[0].d, &runs[1].d};
    void *args[2] = {&runs[0], &runs[1]};
    dist_fake_run(2, d, nest_main, args);
    for (int k = 0; k < 2; k++) {
        CHECK_INT(runs[k].st, ND_OK);
        for (size_t i = 0; i < 6; i++)
            CHECK_NEAR(runs[k].out[i], 10.0 * (double)i + (double)((i + 1) * (i + 2) / 2), 0);
        /* the outer pool was the only exchange: one step each */
        CHECK_INT(runs[k].d.steps, 1);
    }
}
