/* HH solver benchmark, the C side: neurodyn's dp5, tsit5 and bdf (through nd_ode_solve)
   on the hand-written right-hand side of hh_c.h (with an analytic Jacobian) and on the
   compiled built-in model `hh`, against SUNDIALS CVODE called directly (Adams and BDF,
   dense linear solver, the same hand-written model and Jacobian), plus the cost of one
   right-hand-side evaluation, compiled model against hand-written C.

   Problem: HH with I = 10 uA/cm^2, 100 ms from the model's initial values (rest), output
   grid t = 0, 0.1, ..., 100 ms, rtol = atol = tol.

   For every entry:
     time   median wall time of one complete solve (set-up included), over enough repeats
            for >= --min-time seconds in total, taken in 3 rounds through all entries;
     evals  right-hand-side evaluations of one solve (finite-difference Jacobians included);
     err_v  max |V - Vref| over the output grid;
     err_spike  max |ts - ts_ref| over the upward -20 mV crossings (Infinity when the
            number of crossings differs). The crossings come from a second solve with the
            same settings plus the event V + 20 (located on the solver's own dense output:
            neurodyn's events, CVODE's root finding), which leaves the steps unchanged;
            event_shift is that solve's max |dV| from the timed one on the grid (0 expected).
   The reference is dp5 at rtol = atol = 1e-12 on the hand-written model; CVODE BDF (and
   tsit5, CVODE Adams) at 1e-12 are reported against it as a cross-check.

   Output: one JSON object per line (kind = "ref", "refcheck", "run", "rhs", "info"), read
   by bench/ode.py. --ref FILE writes the reference (grid, V, spike times, y0) for
   bench/ode_scipy.py.

   Build (from the top of the checkout, after `make all`):
       cc -std=c11 -O2 -D_DEFAULT_SOURCE -o build/bench/ode_hh bench/ode_hh.c \
          build/libneurodyn.a <LIBS of the Makefile>
   Run: build/bench/ode_hh [--min-time 0.3] [--nd-tols 1e-6,1e-8]
                           [--peer-tols 1e-5,...,1e-10] [--ref FILE] */
#include <cvode/cvode.h>
#include <math.h>
#include <nvector/nvector_serial.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>
#include <time.h>

#include "clock.h"
#include "../lib/models/model.h"
#include "../lib/models/model_ivp.h"
#include "../lib/ode/solve.h"
#include "hh_c.h"

#define I_STIM 10.0
#define T_END 100.0
#define NOUT 1001      /* t = 0, 0.1, ..., 100 */
#define MAXSPIKES 64
#define MAXTOLS 16

static double tout[NOUT];
static double y0_model[HH_N];     /* the built-in model's initial values (rest) */
static double min_time = 0.3;

/* ---- a solve's result --------------------------------------------------------------- */

typedef struct {
    double Y[NOUT][HH_N];          /* the state on the output grid */
    double spikes[MAXSPIKES];
    int nspikes;
    long evals;
    int ok;
} trace;

static int trace_out(void *ctx, double t, const double *y, int event, size_t which)
{
    trace *tr = ctx;
    if (event) {
        if (tr->nspikes < MAXSPIKES) tr->spikes[tr->nspikes] = t;
        tr->nspikes++;
    } else if (which < NOUT) {
        memcpy(tr->Y[which], y, sizeof tr->Y[which]);
    }
    return 0;
}

static double err_v(const trace *a, const trace *b)
{
    double e = 0;
    for (int i = 0; i < NOUT; i++) e = fmax(e, fabs(a->Y[i][0] - b->Y[i][0]));
    return e;
}

static double err_spike(const trace *a, const trace *b)
{
    if (a->nspikes != b->nspikes || a->nspikes > MAXSPIKES) return INFINITY;
    double e = 0;
    for (int i = 0; i < a->nspikes; i++) e = fmax(e, fabs(a->spikes[i] - b->spikes[i]));
    return e;
}

/* JSON has no inf/nan: Infinity (Python's json reads it) or null. */
static void pnum(const char *key, double v)
{
    if (isnan(v)) printf(", \"%s\": null", key);
    else if (isinf(v)) printf(", \"%s\": %sInfinity", key, v < 0 ? "-" : "");
    else printf(", \"%s\": %.6g", key, v);
}

/* ---- the hand-written model: RHS from hh_c.h, analytic Jacobian -------------------------- */

static int hand_rhs(void *ctx, double t, const double *y, double *dy)
{
    (void)ctx, (void)t;
    hh_rhs(I_STIM, y, dy);
    return 0;
}

/* d/dx of x / (1 - exp(-x/k)) (hh_vtrap), with its series near x = 0 (limit 1/2). */
static double vtrap_dx(double x, double k)
{
    if (fabs(x) < 1e-6) return 0.5 + x / (6 * k);
    double d = -expm1(-x / k);            /* 1 - exp(-x/k) */
    return 1 / d - x * (1 - d) / (k * d * d);
}

/* The Jacobian of hh_rhs, row-major 4 x 4. */
static void hh_jac(const double *y, double *J)
{
    const double V = y[0], m = y[1], h = y[2], n = y[3];
    const double am = 0.1 * hh_vtrap(V + 40, 10), dam = 0.1 * vtrap_dx(V + 40, 10);
    const double bm = 4 * exp(-(V + 65) / 18), dbm = -bm / 18;
    const double ah = 0.07 * exp(-(V + 65) / 20), dah = -ah / 20;
    const double bh = 1 / (1 + exp(-(V + 35) / 10)), dbh = bh * (1 - bh) / 10;
    const double an = 0.01 * hh_vtrap(V + 55, 10), dan = 0.01 * vtrap_dx(V + 55, 10);
    const double bn = 0.125 * exp(-(V + 65) / 80), dbn = -bn / 80;
    memset(J, 0, HH_N * HH_N * sizeof(double));
    J[0] = -120 * m * m * m * h - 36 * n * n * n * n - 0.3;
    J[1] = -360 * m * m * h * (V - 50);
    J[2] = -120 * m * m * m * (V - 50);
    J[3] = -144 * n * n * n * (V + 77);
    J[4] = dam * (1 - m) - dbm * m;
    J[5] = -am - bm;
    J[8] = dah * (1 - h) - dbh * h;
    J[10] = -ah - bh;
    J[12] = dan * (1 - n) - dbn * n;
    J[15] = -an - bn;
}

static int hand_jac(void *ctx, double t, const double *y, double *J)
{
    (void)ctx, (void)t;
    hh_jac(y, J);
    return 0;
}

static int spike_event(void *ctx, double t, const double *y, double *g)
{
    (void)ctx, (void)t;
    g[0] = y[0] + 20;
    return 0;
}

static const char *const hh_names[HH_N] = {"V", "m", "h", "n"};

static nd_ode_problem hand_problem = {
    .n = HH_N, .rhs = hand_rhs, .jac = hand_jac, .names = hh_names,
};

/* Checks hh_jac against central differences along the reference trajectory; returns the
   largest error relative to max(1, |J|). */
static double check_jac(const trace *ref)
{
    double worst = 0;
    for (int i = 0; i < NOUT; i += 7) {
        double J[16], y[HH_N], fp[HH_N], fm[HH_N];
        hh_jac(ref->Y[i], J);
        for (int j = 0; j < HH_N; j++) {
            memcpy(y, ref->Y[i], sizeof y);
            double hstep = 1e-6 * fmax(1, fabs(y[j]));
            y[j] += hstep;
            hh_rhs(I_STIM, y, fp);
            y[j] -= 2 * hstep;
            hh_rhs(I_STIM, y, fm);
            for (int k = 0; k < HH_N; k++) {
                double fd = (fp[k] - fm[k]) / (2 * hstep);
                worst = fmax(worst, fabs(fd - J[k * HH_N + j]) / fmax(1, fabs(J[k * HH_N + j])));
            }
        }
    }
    return worst;
}

/* ---- neurodyn ---------------------------------------------------------------------- */

typedef struct {
    const nd_ode_problem *p;
    nd_ode_method method;
    double tol;
    int events;            /* 1: add the V + 20 event (accuracy solve) */
} nd_job;

static void run_nd(const nd_job *job, trace *tr)
{
    nd_ode_problem p = *job->p;
    if (job->events) {
        p.nevents = 1;
        p.events = spike_event;
        p.on_event = NULL;
    } else {
        p.nevents = 0;
    }
    nd_ode_options o;
    nd_ode_options_default(&o);
    o.method = job->method;
    o.rtol = o.atol = job->tol;
    double y[HH_N];
    memcpy(y, y0_model, sizeof y);
    nd_ode_stats st;
    nd_error err;
    tr->nspikes = 0;
    nd_status s = nd_ode_solve(&p, 0, T_END, y, &o, tout, NOUT, trace_out, tr, &st, &err);
    tr->ok = s == ND_OK;
    tr->evals = st.rhs_evals;
    if (s != ND_OK) fprintf(stderr, "ode_hh: %s tol %g failed: %s\n",
                            nd_ode_method_name(job->method), job->tol, err.msg);
}

/* ---- SUNDIALS CVODE, used directly -------------------------------------------------- */

typedef struct {
    int lmm;               /* CV_ADAMS or CV_BDF */
    double tol;
    int jac;               /* 1: analytic Jacobian, 0: CVODE's difference quotients */
    int events;            /* 1: root finding on V + 20 */
} cv_job;

static int cv_rhs(sunrealtype t, N_Vector y, N_Vector ydot, void *ud)
{
    (void)t;
    const double *I = ud;
    hh_rhs(*I, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot));
    return 0;
}

static int cv_jac(sunrealtype t, N_Vector y, N_Vector fy, SUNMatrix Jm, void *ud,
                  N_Vector t1, N_Vector t2, N_Vector t3)
{
    (void)t, (void)fy, (void)ud, (void)t1, (void)t2, (void)t3;
    double J[16];
    hh_jac(N_VGetArrayPointer(y), J);
    for (int j = 0; j < HH_N; j++) {
        double *col = SUNDenseMatrix_Column(Jm, j);
        for (int i = 0; i < HH_N; i++) col[i] = J[i * HH_N + j];
    }
    return 0;
}

static int cv_root(sunrealtype t, N_Vector y, sunrealtype *g, void *ud)
{
    (void)t, (void)ud;
    g[0] = N_VGetArrayPointer(y)[0] + 20;
    return 0;
}

static void run_cvode(const cv_job *job, trace *tr)
{
    static double I = I_STIM;
    SUNContext sunctx;
    tr->ok = 0;
    tr->nspikes = 0;
    if (SUNContext_Create(NULL, &sunctx)) return;
    N_Vector y = N_VNew_Serial(HH_N, sunctx);
    memcpy(N_VGetArrayPointer(y), y0_model, sizeof y0_model);
    void *mem = CVodeCreate(job->lmm, sunctx);
    SUNMatrix A = SUNDenseMatrix(HH_N, HH_N, sunctx);
    SUNLinearSolver LS = SUNLinSol_Dense(y, A, sunctx);
    int flag = CVodeInit(mem, cv_rhs, 0.0, y);
    flag |= CVodeSStolerances(mem, job->tol, job->tol);
    flag |= CVodeSetUserData(mem, &I);
    flag |= CVodeSetMaxNumSteps(mem, 1000000);
    flag |= CVodeSetLinearSolver(mem, LS, A);
    if (job->jac) flag |= CVodeSetJacFn(mem, cv_jac);
    if (job->events) {
        flag |= CVodeRootInit(mem, 1, cv_root);
        int dir = 1;                                  /* upward crossings only */
        flag |= CVodeSetRootDirection(mem, &dir);
    }
    if (flag == CV_SUCCESS) {
        memcpy(tr->Y[0], y0_model, sizeof y0_model);
        double t = 0;
        int i = 1;
        while (i < NOUT) {
            flag = CVode(mem, tout[i], y, &t, CV_NORMAL);
            if (flag < 0) break;
            if (flag == CV_ROOT_RETURN) {
                if (tr->nspikes < MAXSPIKES) tr->spikes[tr->nspikes] = t;
                tr->nspikes++;
                continue;
            }
            memcpy(tr->Y[i], N_VGetArrayPointer(y), sizeof tr->Y[i]);
            i++;
        }
        if (flag >= 0) {
            long nfe = 0, nfeLS = 0;
            CVodeGetNumRhsEvals(mem, &nfe);
            CVodeGetNumLinRhsEvals(mem, &nfeLS);
            tr->evals = nfe + nfeLS;
            tr->ok = 1;
        } else {
            fprintf(stderr, "ode_hh: CVODE %s tol %g failed: flag %d at t = %g\n",
                    job->lmm == CV_BDF ? "bdf" : "adams", job->tol, flag, t);
        }
    }
    CVodeFree(&mem);
    SUNLinSolFree(LS);
    SUNMatDestroy(A);
    N_VDestroy(y);
    SUNContext_Free(&sunctx);
}

/* ---- timing --------------------------------------------------------------------------- */

typedef void (*solve_fn)(const void *job, trace *tr);

static void solve_nd(const void *job, trace *tr) { run_nd(job, tr); }
static void solve_cv(const void *job, trace *tr) { run_cvode(job, tr); }

static trace ref, timed, acc;

/* One benchmark entry: a solver configuration and the wall times of its timed solves. */
typedef struct {
    const char *solver, *method, *model;
    double tol;
    solve_fn fn;
    nd_job nd;
    cv_job cv;
    long per_round;         /* timed solves per round */
    double *times;
    long ntimes;
} bench_entry;

enum { ROUNDS = 3, MAXENTRIES = 128 };

static bench_entry entries[MAXENTRIES];
static int nentries;

static const void *entry_job(bench_entry *e) { return e->fn == solve_nd ? (void *)&e->nd : (void *)&e->cv; }
static int *entry_events(bench_entry *e) { return e->fn == solve_nd ? &e->nd.events : &e->cv.events; }

/* Times every entry: a warm-up solve each (which sets how many solves a round needs for
   min_time / ROUNDS seconds), then ROUNDS rounds going through all entries in turn, so
   that a passing disturbance on a shared machine spreads over the entries instead of
   spoiling one. Each entry's time is the median of its >= ROUNDS timed solves. */
static void time_all(void)
{
    for (int i = 0; i < nentries; i++) {
        bench_entry *e = &entries[i];
        double t0 = bench_now();
        e->fn(entry_job(e), &timed);
        double one = bench_now() - t0;
        e->per_round = (long)ceil(min_time / ROUNDS / fmax(one, 1e-7));
        if (e->per_round > 30000) e->per_round = 30000;
        e->times = malloc(ROUNDS * e->per_round * sizeof *e->times);
        e->ntimes = 0;
    }
    for (int round = 0; round < ROUNDS; round++)
        for (int i = 0; i < nentries; i++) {
            bench_entry *e = &entries[i];
            for (long r = 0; r < e->per_round; r++) {
                double t0 = bench_now();
                e->fn(entry_job(e), &timed);
                e->times[e->ntimes++] = bench_now() - t0;
            }
        }
}

/* Prints entry e's line: its median time, then its accuracy from one more solve without
   and one with the spike event. */
static void report(bench_entry *e)
{
    qsort(e->times, e->ntimes, sizeof *e->times, bench_cmp);
    long n = e->ntimes;
    double med = n % 2 ? e->times[n / 2] : 0.5 * (e->times[n / 2 - 1] + e->times[n / 2]);
    const void *job = entry_job(e);
    e->fn(job, &timed);
    *entry_events(e) = 1;
    e->fn(job, &acc);
    *entry_events(e) = 0;
    printf("{\"kind\": \"run\", \"solver\": \"%s\", \"method\": \"%s\", \"model\": \"%s\"",
           e->solver, e->method, e->model);
    pnum("tol", e->tol);
    pnum("time", timed.ok ? med : NAN);
    printf(", \"repeats\": %ld, \"evals\": %ld, \"ok\": %s", n, timed.evals,
           timed.ok && acc.ok ? "true" : "false");
    pnum("err_v", err_v(&timed, &ref));
    pnum("err_spike", err_spike(&acc, &ref));
    printf(", \"nspikes\": %d", acc.nspikes);
    pnum("event_shift", err_v(&timed, &acc));
    printf("}\n");
    fflush(stdout);
    free(e->times);
}

/* ---- RHS cost ------------------------------------------------------------------------- */

typedef enum { RHS_HAND, RHS_HAND_EXP, RHS_HAND_PTR, RHS_MODEL, RHS_MODEL_IVP } rhs_kind;

/* hh_rhs with the textbook x / (1 - exp(-x/k)) in place of hh_vtrap's expm1 (which is
   slower than exp in glibc), guarded at the removable singularity: shows what expm1 costs
   the hand-written baseline. */
static inline double vtrap_exp(double x, double k)
{
    return fabs(x) < 1e-9 ? k : x / (1 - exp(-x / k));
}

static inline void hh_rhs_exp(double I, const double *y, double *dy)
{
    hh_rhs_with(vtrap_exp, I, y, dy);
}

static double sweep(rhs_kind kind, const nd_model *m, const double *pars,
                    const nd_ode_problem *ivp, long reps)
{
    const nd_ode_problem *volatile hp = &hand_problem;   /* called like a solver calls it */
    double sum = 0, out[HH_N];
    for (long r = 0; r < reps; r++)
        for (int i = 0; i < NOUT; i++) {
            const double *y = ref.Y[i];
            switch (kind) {
            case RHS_HAND: hh_rhs(I_STIM, y, out); break;
            case RHS_HAND_EXP: hh_rhs_exp(I_STIM, y, out); break;
            case RHS_HAND_PTR: hp->rhs(hp->ctx, tout[i], y, out); break;
            case RHS_MODEL: nd_model_rhs(m, tout[i], y, pars, out); break;
            case RHS_MODEL_IVP: ivp->rhs(ivp->ctx, tout[i], y, out); break;
            }
            sum += out[0] + out[1] + out[2] + out[3];
        }
    return sum;
}

static volatile double sink;

/* ns per evaluation over the reference trajectory's grid states: best of 7 runs of
   >= 20 ms each. */
static double time_rhs(rhs_kind kind, const nd_model *m, const double *pars,
                       const nd_ode_problem *ivp)
{
    long reps = 1;
    for (;;) {
        double t0 = bench_now();
        sink = sweep(kind, m, pars, ivp, reps);
        if (bench_now() - t0 >= 0.02) break;
        reps *= 2;
    }
    double best = INFINITY;
    for (int run = 0; run < 7; run++) {
        double t0 = bench_now();
        sink = sweep(kind, m, pars, ivp, reps);
        best = fmin(best, (bench_now() - t0) * 1e9 / ((double)reps * NOUT));
    }
    return best;
}

/* The largest difference between nd_model_rhs and hh_rhs over the grid states, relative
   to max(1, |f|): both must evaluate the same function. */
static double rhs_agreement(const nd_model *m, const double *pars)
{
    double worst = 0, a[HH_N], b[HH_N];
    for (int i = 0; i < NOUT; i++) {
        hh_rhs(I_STIM, ref.Y[i], a);
        nd_model_rhs(m, tout[i], ref.Y[i], pars, b);
        for (int k = 0; k < HH_N; k++)
            worst = fmax(worst, fabs(a[k] - b[k]) / fmax(1, fabs(a[k])));
    }
    return worst;
}

/* ---- main ----------------------------------------------------------------------------- */

static int parse_tols(const char *s, double *tols)
{
    int n = 0;
    char *end;
    while (*s && n < MAXTOLS) {
        tols[n++] = strtod(s, &end);
        if (end == s) break;
        s = *end == ',' ? end + 1 : end;
    }
    return n;
}

int main(int argc, char **argv)
{
    double nd_tols[MAXTOLS] = {1e-6, 1e-8}, peer_tols[MAXTOLS];
    int n_nd = 2, n_peer = parse_tols("1e-5,1e-6,1e-7,1e-8,1e-9,1e-10", peer_tols);
    const char *ref_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--min-time") && i + 1 < argc) min_time = atof(argv[++i]);
        else if (!strcmp(argv[i], "--nd-tols") && i + 1 < argc) n_nd = parse_tols(argv[++i], nd_tols);
        else if (!strcmp(argv[i], "--peer-tols") && i + 1 < argc) n_peer = parse_tols(argv[++i], peer_tols);
        else if (!strcmp(argv[i], "--ref") && i + 1 < argc) ref_path = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--min-time S] [--nd-tols a,b] [--peer-tols a,b,...] "
                    "[--ref FILE]\n", argv[0]);
            return 2;
        }
    }
    for (int i = 0; i < NOUT; i++) tout[i] = i * (T_END / (NOUT - 1));

    nd_error err;
    nd_model *model = nd_model_builtin("hh", &err);
    if (!model || nd_model_set_par(model, "I", I_STIM, &err)) {
        fprintf(stderr, "ode_hh: %s\n", err.msg);
        return 1;
    }
    memcpy(y0_model, nd_model_inits(model), sizeof y0_model);
    nd_model_ivp *ivp = nd_model_ivp_create(model, NULL, NULL, -1, 0, T_END, &err);
    if (!ivp) {
        fprintf(stderr, "ode_hh: %s\n", err.msg);
        return 1;
    }
    const nd_ode_problem *model_problem = nd_model_ivp_problem(ivp);

    /* The reference and its cross-checks. */
    nd_job rj = {&hand_problem, ND_ODE_DP5, 1e-12, 1};
    double t0 = bench_now();
    run_nd(&rj, &ref);
    if (!ref.ok) return 1;
    printf("{\"kind\": \"ref\", \"method\": \"dp5\", \"model\": \"hand\"");
    pnum("tol", 1e-12);
    pnum("time", bench_now() - t0);
    printf(", \"evals\": %ld, \"nspikes\": %d, \"spikes\": [", ref.evals, ref.nspikes);
    for (int k = 0; k < ref.nspikes && k < MAXSPIKES; k++)
        printf("%s%.12g", k ? ", " : "", ref.spikes[k]);
    printf("]}\n");
    struct { const char *solver, *method; int cv; int lmm; nd_ode_method m; } checks[] = {
        {"cvode", "bdf", 1, CV_BDF, 0}, {"cvode", "adams", 1, CV_ADAMS, 0},
        {"neurodyn", "tsit5", 0, 0, ND_ODE_TSIT5},
    };
    for (size_t c = 0; c < sizeof checks / sizeof *checks; c++) {
        if (checks[c].cv) {
            cv_job j = {checks[c].lmm, 1e-12, 1, 1};
            run_cvode(&j, &acc);
        } else {
            nd_job j = {&hand_problem, checks[c].m, 1e-12, 1};
            run_nd(&j, &acc);
        }
        printf("{\"kind\": \"refcheck\", \"solver\": \"%s\", \"method\": \"%s\"",
               checks[c].solver, checks[c].method);
        pnum("tol", 1e-12);
        printf(", \"evals\": %ld, \"nspikes\": %d", acc.evals, acc.nspikes);
        pnum("err_v", err_v(&acc, &ref));
        pnum("err_spike", err_spike(&acc, &ref));
        printf("}\n");
    }
    printf("{\"kind\": \"info\", \"what\": \"sundials\", \"version\": \"%s\"}\n",
           SUNDIALS_VERSION);
    printf("{\"kind\": \"info\", \"what\": \"jacobian_check\"");
    pnum("max_rel_err", check_jac(&ref));
    printf("}\n");
    fflush(stdout);

    if (ref_path) {
        FILE *f = fopen(ref_path, "w");
        if (!f) {
            perror(ref_path);
            return 1;
        }
        fprintf(f, "{\"I\": %.17g, \"t_end\": %.17g, \"y0\": [%.17g, %.17g, %.17g, %.17g],\n",
                I_STIM, T_END, y0_model[0], y0_model[1], y0_model[2], y0_model[3]);
        fprintf(f, " \"spikes\": [");
        for (int k = 0; k < ref.nspikes && k < MAXSPIKES; k++)
            fprintf(f, "%s%.17g", k ? ", " : "", ref.spikes[k]);
        fprintf(f, "],\n \"t\": [");
        for (int i = 0; i < NOUT; i++) fprintf(f, "%s%.17g", i ? ", " : "", tout[i]);
        fprintf(f, "],\n \"V\": [");
        for (int i = 0; i < NOUT; i++) fprintf(f, "%s%.17g", i ? ", " : "", ref.Y[i][0]);
        fprintf(f, "]}\n");
        fclose(f);
    }

    /* neurodyn through nd_ode_solve. */
    static const struct { nd_ode_method m; const char *name; } nd_methods[] = {
        {ND_ODE_DP5, "dp5"}, {ND_ODE_TSIT5, "tsit5"}, {ND_ODE_BDF, "bdf"}};
    for (int mi = 0; mi < 3; mi++)
        for (int model_i = 0; model_i < 2; model_i++)
            for (int k = 0; k < n_nd && nentries < MAXENTRIES; k++)
                entries[nentries++] = (bench_entry){
                    .solver = "neurodyn", .method = nd_methods[mi].name,
                    .model = model_i ? "hh" : "hand", .tol = nd_tols[k], .fn = solve_nd,
                    .nd = {model_i ? model_problem : &hand_problem, nd_methods[mi].m,
                           nd_tols[k], 0}};

    /* CVODE directly, Adams and BDF with the analytic Jacobian, and BDF with CVODE's own
       difference-quotient Jacobian (what a user who writes no Jacobian gets). */
    static const struct { int lmm, jac; const char *name; } cv_methods[] = {
        {CV_ADAMS, 1, "adams"}, {CV_BDF, 1, "bdf"}, {CV_BDF, 0, "bdf-dqjac"}};
    for (int mi = 0; mi < 3; mi++)
        for (int k = 0; k < n_peer && nentries < MAXENTRIES; k++)
            entries[nentries++] = (bench_entry){
                .solver = "cvode", .method = cv_methods[mi].name, .model = "hand",
                .tol = peer_tols[k], .fn = solve_cv,
                .cv = {cv_methods[mi].lmm, peer_tols[k], cv_methods[mi].jac, 0}};

    time_all();
    for (int i = 0; i < nentries; i++) report(&entries[i]);

    /* One right-hand-side evaluation. */
    const double *pars = nd_model_pars(model);
    printf("{\"kind\": \"rhs\"");
    pnum("hand_ns", time_rhs(RHS_HAND, model, pars, model_problem));
    pnum("hand_exp_ns", time_rhs(RHS_HAND_EXP, model, pars, model_problem));
    pnum("hand_ptr_ns", time_rhs(RHS_HAND_PTR, model, pars, model_problem));
    pnum("model_ns", time_rhs(RHS_MODEL, model, pars, model_problem));
    pnum("model_ivp_ns", time_rhs(RHS_MODEL_IVP, model, pars, model_problem));
    pnum("max_rel_diff", rhs_agreement(model, pars));
    printf("}\n");

    nd_model_ivp_free(ivp);
    nd_model_free(model);
    return 0;
}
