/* Training a UDE through `when` resets (lib/learn/ude_events.c): the loss gradient of a
   network in izh's recovery equation, alone and with a (flow) and d (reset map) trained, against
   central differences (single shooting and in segments, where the resets and the lifted
   residuals cross segment starts). */
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
