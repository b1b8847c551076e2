/* Cycle branches that do not start at a Hopf point, and what ends them: the stable
   branch of Morris-Lecar `snic` (no Hopf point) found by simulation and ended at a SNIC
   inside the literature's bracket; the Rössler period doubling inside its known bracket;
   the brute-force branch of the leaky integrate-and-fire model against its closed form.
   (The tight checks against SciPy are in tests/python/test_bif_cycles.py.) */
#include "test.h"

#include <math.h>
#include <stdint.h>

#include "../../lib/analysis/continuation.h"
#include "../../lib/language/objects.h"
#include "../../lib/language/workspace.h"
#include "rec_sink.h"

static const nd_bif_result *run(rec_fixture *f, const char *code)
{
    CHECK_INT(rec_fixture_run(f, code), ND_OK);
    return nd_value_as_bif(nd_ws_get(nd_interp_workspace(f->in), "b"));
}

static size_t count(const nd_bif_result *r, nd_bif_kind kind, double *param)
{
    size_t c = 0;
    for (size_t i = 0; i < r->npoints; i++)
        if (r->points[i].kind == kind) c++, *param = r->points[i].param;
    return c;
}

TEST(cycles_morris_lecar_snic_branch_from_simulation_ends_at_the_snic)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    const nd_bif_result *r = run(&f, "use ml\nset snic\nb = continue I 0..100");
    CHECK(r != NULL);
    if (r) {
        double p = NAN;
        /* Rinzel & Ermentrout (1989): class 1 onset near I = 40 */
        CHECK_INT((int)count(r, ND_BIF_SNIC, &p), 1);
        CHECK(p > 39 && p < 41);
        CHECK_INT((int)r->ncycles, 1);
        if (r->ncycles == 1) {
            const nd_cycle_branch *c = &r->cycles[0];
            CHECK(c->from_point == SIZE_MAX);
            CHECK(!c->simulated);
            CHECK(c->n > 20);
            /* the branch reads in one direction: down to the SNIC after the reversal */
            CHECK(c->param[0] > c->param[c->n - 1]);
            CHECK(c->period[c->n - 1] > 10 * c->period[0]);
        }
        CHECK_CONTAINS(r->notes, "SNIC");
    }
    rec_fixture_teardown(&f);
}

TEST(cycles_rossler_period_doubling_is_found)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    const nd_bif_result *r = run(&f, "model ross {\n  x' = -y - z\n  y' = x + a*y\n"
                                     "  z' = b + z*(x - c)\n  par a = 0.2, b = 0.2, c = 2.5\n"
                                     "  init x = 1, y = 1, z = 0\n}\n"
                                     "b = continue c 2..3 from=2.5");
    CHECK(r != NULL);
    if (r) {
        double p = NAN;
        /* the first period doubling of the Rössler system with a = b = 0.2 lies near
           c = 2.83 (checked to 1e-4 against SciPy Floquet multipliers in the Python test) */
        CHECK(count(r, ND_BIF_PERIOD_DOUBLING, &p) >= 1);
        CHECK(p > 2.8 && p < 2.86);
        CHECK_INT((int)count(r, ND_BIF_TORUS, &p), 0);
    }
    rec_fixture_teardown(&f);
}

TEST(cycles_reset_model_gets_the_brute_force_branch)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    const nd_bif_result *r = run(&f, "b = continue I 0..3 lif");
    CHECK(r != NULL);
    if (r) {
        CHECK_CONTAINS(r->notes, "not continued");
        CHECK_INT((int)r->ncycles, 1);
        if (r->ncycles == 1) {
            const nd_cycle_branch *c = &r->cycles[0];
            CHECK(c->simulated);
            CHECK_INT((int)c->n, 41);
            for (size_t i = 0; i < c->n; i++) {
                double I = c->param[i];
                /* rest at EL + R I below the rheobase 1.5 nA; Vreset … Vth above it */
                if (I < 1.4) {
                    CHECK_NEAR(c->xmin[i], -65 + 10 * I, 1e-3);
                    CHECK_NEAR(c->xmax[i], -65 + 10 * I, 1e-3);
                } else if (I > 1.6) {
                    CHECK_NEAR(c->xmin[i], -65, 1e-6);
                    CHECK_NEAR(c->xmax[i], -50, 1e-6);
                }
            }
        }
    }
    rec_fixture_teardown(&f);
}
