/* Training a UDE through `when` resets (lib/learn/ude_events.c): the loss gradient of a
   network in izh's recovery equation, alone and with a (flow) and d (reset map) trained, against
   central differences (single shooting and in segments, where the resets and the lifted
   residuals cross segment starts); and a network replacing izh's quadratic current,
   trained on v alone, that fires the spikes of the model as written (dp5 with its own
   event location) at their times and follows the trace between them. */
#include "../../lib/learn/ude.h"
#include "test.h"
#include "ude_fixture.h"

#define DRIVE 30.0

/* izh at I = DRIVE (regular spiking) simulated by dp5 with its own event location, v
   sampled every dt; *u gets a UDE whose network replaces du/dt from (v, u). */
static nd_dataset *izh_data(double T, double dt, nd_ude **u, uint64_t seed)
{
    nd_model *m = nd_model_builtin("izh", NULL);
    nd_model_set_par(m, "I", DRIVE, NULL);
    nd_dataset *full = ude_fx_simulate(m, NULL, -1, T, dt);
    const char *cols[] = {"t", "v"};
    nd_dataset *ds = full ? ude_fx_select(full, cols, 2) : NULL;
    const char *rep[] = {"u"}, *in[] = {"v", "u"};
    size_t hidden[] = {6};
    nd_ude_spec s = {rep, 1, in, 2, hidden, 1, ND_ACT_TANH, seed};
    *u = nd_ude_create(m, &s, NULL);
    nd_ds_free(full);
    nd_model_free(m);
    return ds;
}

/* The resets in column col of ds: falls of more than drop between samples. */
static size_t drops(const nd_dataset *ds, const char *col, double drop)
{
    const double *v = nd_ds_col(ds, (size_t)nd_ds_find(ds, col));
    size_t c = 0;
    for (size_t j = 1; j < nd_ds_rows(ds); j++) c += v[j - 1] - v[j] > drop;
    return c;
}

TEST(ude_events_gradient_matches_central_differences)
{
    nd_ude *u;
    nd_dataset *ds = izh_data(100, 0.5, &u, 7);
    CHECK(ds && u);
    if (!ds || !u) return;
    CHECK(drops(ds, "v", 20) >= 5);   /* the data spike often */
    const char *params[] = {"a", "d"};
    for (int with_params = 0; with_params < 2; with_params++)
        for (size_t segments = 1; segments <= 3; segments += 2) {
            nd_ude_fit_options o;
            nd_ude_fit_options_default(&o);
            o.segments = segments;
            o.dt = 0.1;
            o.l2 = 1e-3;
            o.continuity = 2;
            if (with_params) o.params = params, o.nparams = 2;
            nd_error err = {0};
            nd_ude_fit *f = nd_ude_fit_create(u, ds, &o, &err);
            if (!f) fprintf(stderr, "%s\n", err.msg);
            CHECK(f != NULL);
            if (!f) continue;
            double e = ude_fx_gradient_error(f);
            fprintf(stderr, "    %zu segment(s)%s: gradient vs central differences %.2e\n",
                    segments, with_params ? ", a and d trained" : "", e);
            CHECK(e < 1e-6);
            /* The grid's 200 intervals of 5 RK4 steps take 4000 stages, and each event cuts
               one step in two (4 more): the untrained model resets at least 3 times, fewer
               than the data, so the lifted residuals use its jumps. */
            CHECK(nd_ude_fit_last(f).rhs_evals >= 4000 + 3 * 4);
            nd_ude_fit_free(f);
        }
    nd_ude_free(u);
    nd_ds_free(ds);
}

/* izh with its quadratic current a named term, Iq, for a network to replace. */
static const char IZHQ[] =
    "dv/dt = Iq - u + I\n"
    "du/dt = a*(b*v - u)\n"
    "Iq = 0.04*v^2 + 5*v + 140\n"
    "par a = 0.02, b = 0.2, c = -65, d = 8, I = 10\n"
    "init v = -70, u = -14\n"
    "when v >= 30 { v = c; u = u + d }\n";

typedef struct spike_rec {
    double t[64], v[2048];
    size_t n, rows;
} spike_rec;

static int on_out(void *ctx, double t, const double *y, int event, size_t which)
{
    (void)which;
    spike_rec *r = ctx;
    if (event && r->n < 64) r->t[r->n++] = t;
    if (!event && r->rows < 2048) r->v[r->rows++] = y[0];
    return 0;
}

/* The trained hybrid simulated by dp5 (its own event location) from 0 to T, v every 0.1. */
static void simulate_ude(const nd_ude *u, double T, spike_rec *r)
{
    size_t rows = (size_t)(T / 0.1 + 0.5) + 1;
    double *tout = malloc(rows * sizeof *tout), y[2] = {-70, -14};
    for (size_t j = 0; j < rows; j++) tout[j] = (double)j * 0.1;
    nd_ude_ivp *v = nd_ude_ivp_create(u, NULL, -1, 0, T, NULL);
    nd_ode_options o;
    nd_ode_options_default(&o);
    o.rtol = o.atol = 1e-9;
    memset(r, 0, sizeof *r);
    CHECK(v && nd_ode_solve(nd_ude_ivp_problem(v), 0, T, y, &o, tout, rows, on_out, r, NULL,
                            NULL) == ND_OK);
    nd_ude_ivp_free(v);
    free(tout);
}

/* The largest gap between the spike times of a and b (INFINITY unless as many). */
static double worst_gap(const spike_rec *a, const spike_rec *b)
{
    if (a->n != b->n) return INFINITY;
    double w = 0;
    for (size_t k = 0; k < a->n; k++) w = fmax(w, fabs(a->t[k] - b->t[k]));
    return w;
}

TEST(ude_events_training_recovers_izh_spikes)
{
    nd_model *m = nd_model_parse("izhq", IZHQ, sizeof IZHQ - 1, 1, 1, NULL);
    CHECK(m != NULL);
    if (!m) return;
    const double T = 100;
    nd_dataset *full = ude_fx_simulate(m, NULL, -1, T, 0.1);
    const char *cols[] = {"t", "v"};
    nd_dataset *ds = ude_fx_select(full, cols, 2);
    const char *rep[] = {"Iq"}, *in[] = {"v"};
    size_t hidden[] = {8};
    nd_ude_spec s = {rep, 1, in, 1, hidden, 1, ND_ACT_TANH, 1};
    nd_ude *u = nd_ude_create(m, &s, NULL);
    CHECK(u != NULL);
    /* The truth: the spikes of the model as written, located by dp5. */
    spike_rec truth, colloc, got;
    {
        nd_model_ivp *v = nd_model_ivp_create(m, NULL, NULL, -1, 0, T, NULL);
        size_t rows = (size_t)(T / 0.1 + 0.5) + 1;
        double *tout = malloc(rows * sizeof *tout), y[2] = {-70, -14};
        for (size_t j = 0; j < rows; j++) tout[j] = (double)j * 0.1;
        nd_ode_options o;
        nd_ode_options_default(&o);
        o.rtol = o.atol = 1e-9;
        memset(&truth, 0, sizeof truth);
        CHECK(nd_ode_solve(nd_model_ivp_problem(v), 0, T, y, &o, tout, rows, on_out, &truth,
                           NULL, NULL) == ND_OK);
        nd_model_ivp_free(v);
        free(tout);
    }
    CHECK_INT(truth.n, 3);
    nd_ude_fit_options fo;
    nd_ude_fit_options_default(&fo);
    fo.segments = 10;
    fo.l2 = 1e-4;
    nd_optim_options oo;
    nd_optim_options_default(&oo);
    nd_error err = {0};
    /* Derivative matching first (it never integrates, so never meets a reset)... */
    nd_ude_fit *f = nd_ude_fit_create(u, ds, &fo, &err);
    CHECK(f && nd_ude_fit_set_collocation(f, 1, &err) == ND_OK);
    CHECK(f && nd_ude_fit_run(f, ND_OPTIM_LBFGS, &oo, 300, NULL, &err) == ND_OK);
    nd_ude_fit_free(f);
    simulate_ude(u, T, &colloc);
    /* ... then the trajectory through the resets: 10 segments, 2, single shooting. */
    const size_t stages[] = {10, 2, 1};
    for (int k = 0; k < 3; k++) {
        fo.segments = stages[k];
        f = nd_ude_fit_create(u, ds, &fo, &err);
        CHECK(f && nd_ude_fit_run(f, ND_OPTIM_LBFGS, &oo, 200, NULL, &err) == ND_OK);
        nd_ude_fit_free(f);
    }
    simulate_ude(u, T, &got);
    double ss = 0;
    size_t na = 0;
    for (size_t j = 0; j < got.rows && j < truth.rows; j++) {
        int near = 0;
        for (size_t k = 0; k < truth.n; k++) near |= fabs(0.1 * (double)j - truth.t[k]) < 1;
        if (!near) ss += (got.v[j] - truth.v[j]) * (got.v[j] - truth.v[j]), na++;
    }
    double rms = sqrt(ss / (double)na), gap0 = worst_gap(&colloc, &truth), gap = worst_gap(&got, &truth);
    fprintf(stderr, "    spikes %zu (truth %zu), worst spike-time error %.3f ms (%.3f after "
            "collocation alone), v RMS %.3f mV away from the spikes\n", got.n, truth.n, gap,
            gap0, rms);
    /* Every spike, each within 1.5 samples of the truth (the samples cannot place a reset
       on the fast upstroke much better), and the trace between spikes within 0.5 mV. */
    CHECK_INT(got.n, truth.n);
    CHECK(gap < 0.15);
    CHECK(gap < gap0);
    CHECK(rms < 0.5);
    nd_ude_free(u);
    nd_ds_free(ds);
    nd_ds_free(full);
    nd_model_free(m);
}
