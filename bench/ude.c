/* The flagship UDE of issue 5, the C side: hh_rinzel with its sodium current INa replaced
   by a network of (V, n), trained on noisy V alone.

   Problem: hh_rinzel under a current step (STIM_* below), V sampled every 0.1 ms over
   50 ms (501 samples; dp5 at rtol = atol = 1e-10) plus 5 % Gaussian noise (σ = 5 % of V's
   range, nd_ds_add_noise, seed NOISE_SEED); n unobserved. The UDE: nd_ude_create with
   replace INa, inputs V and n, hidden 16, 16, tanh, seed 1, scaled by nd_ude_scale_from.
   Loss: nd_ude_fit_loss, fixed-step RK4 with dt = 0.05 ms (2 steps per sample).

   Measured (one core: run it under taskset -c 0 with OPENBLAS_NUM_THREADS=1, as
   bench/ude.py does):
     forward    median wall time of one loss evaluation without gradient (single shooting;
                3 rounds alternating with the next, >= --min-time s in all);
     gradient   the same with the gradient; gradient / forward is the "gradient
                cost relative to one forward solve";
     adam       seconds per Adam iteration (lr 0.01), --adam-iters iterations, single
                shooting: the same thing PyTorch is timed on;
     flagship   the full training — the default recipe (nd_ude_train_auto, what `train NET
                DATA` runs) or --recipe's stages — wall time, then the
                errors: RMS of the learned INa against the true INa along the noise-free
                trajectory divided by the true INa's range, and the upward −20 mV crossing
                times of the trained hybrid (dp5, 1e-8, from the true initial state) against
                the truth, under the training stimulus and under a different one
                (TEST_* below).

   --problem FILE writes the problem for bench/ude_torch.py: hh_rinzel's parameter values,
   the stimulus steps, the initial state, the RK4 step dt, the data, the loss scale, the
   network (nd_mlp_to_json, scaling included) and the Adam settings.

   Output: one JSON object per line (kind = "problem", "timing", "adam", "flagship"),
   read by bench/ude.py.

   Build: `make build/bench/ude` (the Makefile builds every C file of bench/ against
   build/libneurodyn.a). Run: build/bench/ude [--problem FILE] [--torch-iters 10]
       [--adam-iters 200] [--min-time 0.5] [--recipe "adam,25,0.005,1000;lbfgs,25,0,300"]
       (without --recipe: the default recipe)
       (stages KIND,SEGMENTS,LR,ITERS[,CONTINUITY]; lr is ignored by lbfgs)
       [--no-flagship] */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "../lib/data/dataset.h"
#include "../lib/data/noise.h"
#include "../lib/learn/mlp.h"
#include "../lib/learn/optim.h"
#include "../lib/learn/simulate.h"
#include "../lib/learn/ude.h"
#include "../lib/models/model.h"
#include "../lib/ode/stim.h"

#define T_END 60.0
#define SAMPLE 0.1
#define NSAMPLES 601          /* t = 0, 0.1, ..., 60 */
#define DT 0.05               /* RK4 step of the loss: 2 per sample */
#define NOISE 0.05            /* σ = 5 % of V's range */
#define NOISE_SEED 42
#define LR 0.01

/* The training stimulus (steps on [at, at + dur), added) and the generalisation test's:
   the same as the flagship test (tests/python/test_ude_flagship.py). */
#define STIM_AT 5.0
#define STIM_DUR 50.0
#define STIM_AMP 10.0
#define STIM2_AT 30.0
#define STIM2_DUR 25.0
#define STIM2_AMP 5.0
#define TEST_AT 10.0
#define TEST_DUR 60.0
#define TEST_AMP 12.0

#define FINE 0.01             /* grid on which spike crossings are located (ms) */
#define NFINE 6001            /* 0, 0.01, ..., 60 ms */
#define MAXSPIKES 64
#define MAXSTAGES 8


static double min_time = 0.5;

static void die(const char *what, const nd_error *err)
{
    fprintf(stderr, "ude bench: %s: %s\n", what, err && err->msg[0] ? err->msg : "failed");
    exit(1);
}

static nd_stim *step_stim(double at, double dur, double amp)
{
    nd_stim *s = nd_stim_create();
    if (!s || nd_stim_add_step(s, at, dur, amp) != ND_OK) die("stimulus", NULL);
    return s;
}

/* ---- simulations: the truth, and the trained hybrid ------------------------------- */

typedef struct {
    size_t n;             /* samples stored */
    double t[NFINE], V[NFINE], nn[NFINE], ina[NFINE];
} trace;

/* Simulates the model as written (u NULL; the true INa kept) or the hybrid u from y0, as
   `simulate` does (nd_sim_model / nd_sim_network), at rtol = atol = tol on the grid 0, h,
   ..., T_END; 0, or -1 when the solve fails. */
static int simulate(const nd_model *m, const nd_ude *u, const nd_stim *stim, int par,
                    const double *y0, double h, double tol, trace *tr)
{
    nd_error err = {0};
    nd_sim_options o;
    nd_sim_options_default(&o);
    o.ode.rtol = o.ode.atol = tol;
    o.stim = stim, o.input = par, o.y0 = y0, o.terms = !u;
    size_t npts;
    double *tout = nd_sim_times(T_END, h, &npts);
    nd_dataset *ds = NULL;
    if (!tout || npts > NFINE) die("grid", NULL);
    nd_status st = u ? nd_sim_network(u, tout, npts, T_END, &o, &ds, NULL, &err)
                     : nd_sim_model(m, tout, npts, T_END, &o, &ds, NULL, &err);
    free(tout);
    if (!ds) return -1;
    int ina = nd_ds_find(ds, "INa");
    memset(tr, 0, sizeof *tr);
    tr->n = nd_ds_rows(ds);
    for (size_t i = 0; i < tr->n; i++) {
        tr->t[i] = nd_ds_col(ds, 0)[i], tr->V[i] = nd_ds_col(ds, 1)[i];
        tr->nn[i] = nd_ds_col(ds, 2)[i];
        tr->ina[i] = ina > 0 ? nd_ds_col(ds, (size_t)ina)[i] : NAN;
    }
    nd_ds_free(ds);
    return st == ND_OK ? 0 : -1;
}

/* The truth (dp5, 1e-10) on the grid 0, h, ..., T_END. */
static void simulate_truth(const nd_model *m, const nd_stim *stim, int par, double h,
                           trace *tr)
{
    if (simulate(m, NULL, stim, par, NULL, h, 1e-10, tr) != 0) die("truth simulation", NULL);
}

/* Upward −20 mV crossings, linearly interpolated between grid points. */
static int crossings(const trace *tr, double *ts)
{
    int k = 0;
    for (size_t i = 1; i < tr->n; i++)
        if (tr->V[i - 1] < -20 && tr->V[i] >= -20 && k < MAXSPIKES)
            ts[k++] = tr->t[i - 1] + (tr->t[i] - tr->t[i - 1]) * (-20 - tr->V[i - 1]) /
                                         (tr->V[i] - tr->V[i - 1]);
    return k;
}

static json_t *json_vec(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, isfinite(v[i]) ? json_real(v[i]) : json_null());
    return a;
}

/* Spike times of truth and hybrid under stim; adds them and their max difference to o. */
static void spike_report(json_t *o, const char *key, const nd_ude *u, const nd_model *truth,
                         const nd_stim *stim, int par)
{
    trace *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    double sa[MAXSPIKES], sb[MAXSPIKES];
    simulate_truth(truth, stim, par, FINE, a);
    int na = crossings(a, sa), nb = -1;
    if (simulate(NULL, u, stim, par, nd_model_inits(truth), FINE, 1e-8, b) == 0)
        nb = crossings(b, sb);
    double d = na == nb ? 0 : INFINITY;
    for (int i = 0; na == nb && i < na; i++) d = fmax(d, fabs(sa[i] - sb[i]));
    json_t *r = json_object();
    json_object_set_new(r, "true", json_vec(sa, (size_t)na));
    json_object_set_new(r, "learned", nb >= 0 ? json_vec(sb, (size_t)nb) : json_null());
    json_object_set_new(r, "max_diff", isfinite(d) ? json_real(d) : json_null());
    json_object_set_new(o, key, r);
    free(a);
    free(b);
}

/* RMS of learned − true INa along the noise-free trajectory, over the true INa's range. */
static double ina_error(const nd_ude *u, const trace *tr, double *range)
{
    size_t n = tr->n, nin = nd_ude_ninputs(u);
    const double *p = nd_model_pars(nd_ude_model(u));
    double *x = malloc(n * nin * sizeof *x), *z = malloc(n * sizeof *z);
    for (size_t i = 0; i < n; i++) {
        double y[2] = {tr->V[i], tr->nn[i]};
        nd_ude_inputs_at(u, tr->t[i], y, p, x + i * nin);
    }
    nd_error err = {0};
    if (nd_ude_net_eval(u, x, n, z, &err) != ND_OK) die("network evaluation", &err);
    double lo = INFINITY, hi = -INFINITY, s = 0;
    for (size_t i = 0; i < n; i++) {
        lo = fmin(lo, tr->ina[i]), hi = fmax(hi, tr->ina[i]);
        s += (z[i] - tr->ina[i]) * (z[i] - tr->ina[i]);
    }
    free(x);
    free(z);
    *range = hi - lo;
    return sqrt(s / n) / (hi - lo);
}

/* ---- the problem ---------------------------------------------------------------------- */

typedef struct {
    nd_model *m;          /* hh_rinzel as written */
    int par;              /* index of I */
    nd_stim *stim;
    nd_dataset *data;     /* t, V (noisy) */
    trace *truth;         /* noise-free, on the data grid, with the true INa */
    nd_ude *u;            /* the untrained hybrid, scaled */
} problem;

static void problem_build(problem *P)
{
    nd_error err = {0};
    if (!(P->m = nd_model_builtin("hh_rinzel", &err))) die("hh_rinzel", &err);
    P->par = nd_model_index(P->m, ND_MODEL_PAR, "I");
    P->stim = step_stim(STIM_AT, STIM_DUR, STIM_AMP);
    if (nd_stim_add_step(P->stim, STIM2_AT, STIM2_DUR, STIM2_AMP) != ND_OK) die("stimulus", NULL);
    P->truth = malloc(sizeof *P->truth);
    simulate_truth(P->m, P->stim, P->par, SAMPLE, P->truth);
    const char *names[] = {"t", "V"}, *units[] = {"ms", "mV"};
    if (!(P->data = nd_ds_create(2, names, units)) || nd_ds_reserve(P->data, NSAMPLES))
        die("dataset", NULL);
    if (P->truth->n != NSAMPLES) die("data grid", NULL);
    for (size_t i = 0; i < NSAMPLES; i++) {
        double row[2] = {P->truth->t[i], P->truth->V[i]};
        nd_ds_append(P->data, row);
    }
    if (nd_ds_add_noise(P->data, "V", NOISE, NOISE_SEED, &err) != ND_OK) die("noise", &err);

    const char *replace[] = {"INa"}, *inputs[] = {"V", "n"};
    const size_t hidden[] = {16, 16};
    nd_ude_spec s = {replace, 1, inputs, 2, hidden, 2, ND_ACT_TANH, 1};
    if (!(P->u = nd_ude_create(P->m, &s, &err))) die("nd_ude_create", &err);
    if (nd_ude_set_stim(P->u, P->stim, P->par, &err) != ND_OK) die("nd_ude_set_stim", &err);
    if (nd_ude_scale_from(P->u, P->data, &err) != ND_OK) die("nd_ude_scale_from", &err);
}

static nd_ude_fit *fit_for(nd_ude *u, const nd_dataset *data, size_t segments,
                           double continuity)
{
    nd_error err = {0};
    nd_ude_fit_options o;
    nd_ude_fit_options_default(&o);
    o.segments = segments;
    o.continuity = continuity;
    o.dt = DT;
    nd_ude_fit *f = nd_ude_fit_create(u, data, &o, &err);
    if (!f) die("nd_ude_fit_create", &err);
    return f;
}

/* The scale the loss divides residuals by, as lib/learn/ude_fit_setup.c computes it for an
   observed state: the sample standard deviation (n - 1) of the observed V. */
static double loss_scale(const nd_dataset *d)
{
    const double *v = nd_ds_col(d, (size_t)nd_ds_find(d, "V"));
    size_t n = nd_ds_rows(d);
    double mu = 0, s = 0;
    for (size_t i = 0; i < n; i++) mu += v[i];
    mu /= n;
    for (size_t i = 0; i < n; i++) s += (v[i] - mu) * (v[i] - mu);
    return sqrt(s / (n - 1));
}

static void write_problem(const problem *P, const char *path, int torch_iters)
{
    const nd_model *m = P->m;
    json_t *pars = json_object();
    for (size_t i = 0; i < nd_model_count(m, ND_MODEL_PAR); i++)
        json_object_set_new(pars, nd_model_item_at(m, ND_MODEL_PAR, i)->name,
                            json_real(nd_model_pars(m)[i]));
    json_t *stim = json_pack("[[f,f,f],[f,f,f]]", STIM_AT, STIM_AT + STIM_DUR, STIM_AMP,
                             STIM2_AT, STIM2_AT + STIM2_DUR, STIM2_AMP);
    json_t *net = nd_mlp_to_json(nd_ude_net_const(P->u));
    nd_optim_options oo;
    nd_optim_options_default(&oo);
    size_t n = nd_ds_rows(P->data);
    json_t *j = json_pack(
        "{s:s,s:o,s:s,s:o,s:o,s:f,s:o,s:o,s:f,s:o,s:i,s:f,s:f,s:f,s:f}", "model",
        "hh_rinzel", "params", pars, "stim_par", "I", "stim", stim, "y0",
        json_vec(nd_model_inits(m), 2), "dt", DT, "data_t", json_vec(nd_ds_col(P->data, 0), n), "data_V",
        json_vec(nd_ds_col(P->data, 1), n), "loss_scale", loss_scale(P->data), "net", net,
        "iters", torch_iters, "lr", LR, "beta1", oo.beta1, "beta2", oo.beta2, "eps", oo.eps);
    if (!j || json_dump_file(j, path, JSON_COMPACT | JSON_REAL_PRECISION(17)) != 0)
        die("writing the problem file", NULL);
    json_decref(j);
}

/* ---- timings ---------------------------------------------------------------------------- */

/* Wall times of nd_ude_fit_loss at theta without (grad NULL) and with the gradient, in 3
   rounds alternating between the two so that a passing disturbance spreads over both;
   writes the medians and the loss. */
enum { MAXREP = 20000 };
static double tfwd[MAXREP], tgrad[MAXREP];

static void time_losses(nd_ude_fit *f, const double *theta, double *grad, double *t_fwd,
                        double *t_grad, double *loss)
{
    int nf = 0, ng = 0;
    for (int round = 0; round < 3; round++)
        for (int which = 0; which < 2; which++) {
            double *ts = which ? tgrad : tfwd;
            int *k = which ? &ng : &nf, k0 = *k;
            double t_start = bench_now();
            while (*k < MAXREP && (*k - k0 < 3 || bench_now() - t_start < min_time / 6)) {
                double t = bench_now();
                if (nd_ude_fit_loss(f, theta, loss, which ? grad : NULL) != 0)
                    die("nd_ude_fit_loss", NULL);
                ts[(*k)++] = bench_now() - t;
            }
        }
    qsort(tfwd, (size_t)nf, sizeof tfwd[0], bench_cmp);
    qsort(tgrad, (size_t)ng, sizeof tgrad[0], bench_cmp);
    *t_fwd = tfwd[nf / 2];
    *t_grad = tgrad[ng / 2];
}

/* One training stage: KIND,SEGMENTS,LR,ITERS[,CONTINUITY] (lr ignored by lbfgs;
   continuity: the weight of the continuity penalty, default 1). */
typedef struct {
    size_t segments;
    nd_optim_kind kind;
    double lr;
    long iters;
    double continuity;
} stage;

static int parse_recipe(const char *s, stage *st)
{
    int n = 0;
    while (s && *s && n < MAXSTAGES) {
        char kind[16];
        int used = 0, extra = 0;
        if (sscanf(s, " %15[a-z] , %zu , %lf , %ld%n", kind, &st[n].segments, &st[n].lr,
                   &st[n].iters, &used) != 4)
            return -1;
        st[n].continuity = 1;
        if (sscanf(s + used, " , %lf%n", &st[n].continuity, &extra) == 1) used += extra;
        st[n].kind = !strcmp(kind, "adam") ? ND_OPTIM_ADAM
                     : !strcmp(kind, "adamw") ? ND_OPTIM_ADAMW : ND_OPTIM_LBFGS;
        if (strcmp(kind, "adam") && strcmp(kind, "adamw") && strcmp(kind, "lbfgs")) return -1;
        n++;
        s += used;
        while (*s == ';' || *s == ' ') s++;
    }
    return n;
}

int main(int argc, char **argv)
{
    const char *problem_path = NULL;
    const char *recipe = NULL;   /* NULL: the default recipe (nd_ude_train_auto) */
    int torch_iters = 10, flagship = 1;
    long adam_iters = 200;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--problem") && i + 1 < argc) problem_path = argv[++i];
        else if (!strcmp(argv[i], "--torch-iters") && i + 1 < argc) torch_iters = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--adam-iters") && i + 1 < argc) adam_iters = atol(argv[++i]);
        else if (!strcmp(argv[i], "--min-time") && i + 1 < argc) min_time = atof(argv[++i]);
        else if (!strcmp(argv[i], "--recipe") && i + 1 < argc) recipe = argv[++i];
        else if (!strcmp(argv[i], "--no-flagship")) flagship = 0;
        else {
            fprintf(stderr, "usage: %s [--problem FILE] [--torch-iters K] [--adam-iters N] "
                            "[--min-time S] [--recipe KIND,SEGMENTS,LR,ITERS;...] "
                            "[--no-flagship]\n", argv[0]);
            return 2;
        }
    }
    stage stages[MAXSTAGES];
    int nstages = recipe ? parse_recipe(recipe, stages) : 0;
    if (recipe && nstages <= 0) {
        fprintf(stderr, "ude bench: bad --recipe '%s'\n", recipe);
        return 2;
    }
    if (adam_iters < torch_iters) adam_iters = torch_iters;

    double t_build = bench_now();
    problem P;
    problem_build(&P);
    t_build = bench_now() - t_build;
    if (problem_path) write_problem(&P, problem_path, torch_iters);
    {
        double sa[MAXSPIKES], lo = INFINITY, hi = -INFINITY, sc = loss_scale(P.data);
        int ns = crossings(P.truth, sa);
        for (size_t i = 0; i < P.truth->n; i++)
            lo = fmin(lo, P.truth->V[i]), hi = fmax(hi, P.truth->V[i]);
        /* the loss of the true model: the noise's variance over the scale's square */
        double floor_ = NOISE * (hi - lo) / sc;
        json_t *o = json_pack("{s:s,s:i,s:f,s:f,s:f,s:i,s:f,s:o,s:f,s:f}", "kind", "problem",
                              "samples", NSAMPLES, "t_end", T_END, "dt", DT, "noise", NOISE,
                              "nparams_net", (int)nd_mlp_nparams(nd_ude_net_const(P.u)),
                              "loss_scale", sc, "spikes", json_vec(sa, (size_t)ns),
                              "build_seconds", t_build, "noise_floor", floor_ * floor_);
        json_object_set_new(o, "stim", json_pack("[[f,f,f],[f,f,f]]", STIM_AT, STIM_AT + STIM_DUR,
                                                 STIM_AMP, STIM2_AT, STIM2_AT + STIM2_DUR,
                                                 STIM2_AMP));
        json_object_set_new(o, "test_stim", json_pack("[f,f,f]", TEST_AT, TEST_AT + TEST_DUR,
                                                      TEST_AMP));
        char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(17));
        puts(s);
        free(s);
        json_decref(o);
    }
    fflush(stdout);

    /* (a), (b): one loss without and with its gradient, single shooting. */
    {
        nd_ude *u = nd_ude_copy(P.u);
        nd_ude_fit *f = fit_for(u, P.data, 1, 1);
        size_t np = nd_ude_fit_nparams(f);
        double *theta = malloc(np * sizeof *theta), *grad = malloc(np * sizeof *grad);
        nd_ude_fit_theta(f, theta);
        double l_fwd, l_grad, t_fwd, t_grad;
        if (nd_ude_fit_loss(f, theta, &l_fwd, NULL) != 0) die("nd_ude_fit_loss", NULL);
        long evals = nd_ude_fit_last(f).rhs_evals;
        time_losses(f, theta, grad, &t_fwd, &t_grad, &l_grad);
        json_t *o = json_pack("{s:s,s:f,s:f,s:f,s:f,s:f,s:I,s:i,s:o,s:o}", "kind", "timing",
                              "forward", t_fwd, "loss_and_grad", t_grad, "ratio", t_grad / t_fwd,
                              "loss0", l_fwd, "loss0_grad", l_grad, "rhs_evals", (json_int_t)evals,
                              "nparams", (int)np, "theta0", json_vec(theta, np), "grad0",
                              json_vec(grad, np));
        char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(17));
        puts(s);
        free(s);
        json_decref(o);
        fflush(stdout);

        /* (c) Adam, single shooting, as PyTorch does it. */
        nd_optim_options oo;
        nd_optim_options_default(&oo);
        oo.lr = LR;
        oo.gtol = 0;
        nd_error err = {0};
        double t0 = bench_now();
        if (nd_ude_fit_run(f, ND_OPTIM_ADAM, &oo, adam_iters, NULL, &err) != ND_OK)
            die("nd_ude_fit_run (adam)", &err);
        double t_adam = bench_now() - t0;
        size_t nh;
        const double *h = nd_ude_history(u, &nh);
        o = json_pack("{s:s,s:I,s:f,s:f,s:o}", "kind", "adam", "iters", (json_int_t)adam_iters,
                      "seconds", t_adam, "per_iter", t_adam / adam_iters, "history",
                      json_vec(h, nh));
        s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(17));
        puts(s);
        free(s);
        json_decref(o);
        fflush(stdout);
        free(theta);
        free(grad);
        nd_ude_fit_free(f);
        nd_ude_free(u);
    }

    /* (d) the flagship training, from the untrained hybrid. */
    if (flagship) {
        nd_ude *u = nd_ude_copy(P.u);
        json_t *st = json_array();
        size_t nh0 = 0;
        double t0 = bench_now();
        if (!recipe) {
            nd_error err = {0};
            nd_ude_auto_result res;
            nd_status rc = nd_ude_train_auto(u, P.data, NULL, NULL, NULL, NULL, &res, &err);
            json_array_append_new(
                st, json_pack("{s:s,s:i,s:i,s:I,s:f,s:b,s:s}", "kind", "default recipe",
                              "attempts", res.attempts, "kept", res.kept, "seed",
                              (json_int_t)res.seed, "final_loss", res.loss, "ok", res.ok,
                              "status", rc == ND_OK ? "ok" : err.msg));
        }
        for (int k = 0; k < nstages; k++) {
            double ts = bench_now();
            nd_ude_fit *f = fit_for(u, P.data, stages[k].segments, stages[k].continuity);
            nd_optim_options oo;
            nd_optim_options_default(&oo);
            if (stages[k].kind != ND_OPTIM_LBFGS) oo.lr = stages[k].lr;
            nd_error err = {0};
            nd_status rc = nd_ude_fit_run(f, stages[k].kind, &oo, stages[k].iters, NULL, &err);
            /* the last loss of the stage and the best one (the point it leaves behind) */
            double loss = NAN, best = INFINITY;
            size_t nh;
            const double *h = nd_ude_history(u, &nh);
            if (nh) loss = h[nh - 1];
            for (size_t i = nh0; i < nh; i++) best = fmin(best, h[i]);
            nh0 = nh;
            json_array_append_new(
                st, json_pack("{s:s,s:I,s:f,s:f,s:I,s:f,s:f,s:f,s:s}", "kind",
                              nd_optim_kind_name(stages[k].kind), "segments",
                              (json_int_t)stages[k].segments, "continuity", stages[k].continuity,
                              "lr", stages[k].lr, "iters", (json_int_t)stages[k].iters,
                              "seconds", bench_now() - ts, "final_loss", loss, "best_loss", best,
                              "status", rc == ND_OK ? "ok" : err.msg));
            nd_ude_fit_free(f);
        }
        double wall = bench_now() - t0;
        /* The errors: single-shooting loss of the result, learned INa, spike times. */
        nd_ude_fit *f1 = fit_for(u, P.data, 1, 1);
        size_t np = nd_ude_fit_nparams(f1);
        double *theta = malloc(np * sizeof *theta), loss1 = NAN;
        nd_ude_fit_theta(f1, theta);
        nd_ude_fit_loss(f1, theta, &loss1, NULL);
        free(theta);
        nd_ude_fit_free(f1);
        double range, rms = ina_error(u, P.truth, &range);
        json_t *o = json_pack("{s:s,s:f,s:o,s:f,s:f,s:f}", "kind", "flagship", "seconds", wall,
                              "stages", st, "loss_single_shooting", loss1, "ina_rms_rel", rms,
                              "ina_range", range);
        spike_report(o, "spikes_train", u, P.m, P.stim, P.par);
        nd_stim *test = step_stim(TEST_AT, TEST_DUR, TEST_AMP);
        spike_report(o, "spikes_test", u, P.m, test, P.par);
        nd_stim_free(test);
        char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(17));
        puts(s);
        free(s);
        json_decref(o);
        nd_ude_free(u);
    }
    nd_ude_free(P.u);
    nd_ds_free(P.data);
    nd_stim_free(P.stim);
    nd_model_free(P.m);
    free(P.truth);
    return 0;
}
