/* The continue command and `plot BIF` end to end: the bound object, the summary table and
   JSON, the diagram, and located errors. */
#include "test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/analysis/bif_view.h"
#include "../../lib/language/objects.h"
#include "../../lib/language/workspace.h"
#include "fhn_ref.h"
#include "rec_sink.h"

static const nd_bif_result *bound(rec_fixture *f, const char *name)
{
    return nd_value_as_bif(nd_ws_get(nd_interp_workspace(f->in), name));
}

TEST(cmd_continue_binds_a_diagram_and_shows_the_points)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "bif = continue I 0..2 fhn cycles=false"), ND_OK);
    const nd_bif_result *r = bound(&f, "bif");
    CHECK(r != NULL);
    if (r) CHECK_INT((int)r->npoints, 2);
    CHECK_STR(rec_kinds(&f.r), "display");
    const rec_event *ev = &f.r.ev[f.r.n - 1];
    CHECK_CONTAINS(ev->json, "{\"type\":\"bifurcation\",\"model\":\"fhn\",\"parameter\":\"I\"");
    /* The lower Hopf point where v*² = 1 − bε (fhn_ref.c). */
    CHECK_NEAR(rec_json_number(ev->json, "\"points\":[{\"kind\":\"hopf\",\"param\":"),
               fhn_ref_hopf_I(-1), 1e-8);
    CHECK_CONTAINS(ev->json, "\"criticality\":\"subcritical\"");
    const char *points = ev->json ? strstr(ev->json, "\"points\":") : NULL;
    CHECK_NEAR(rec_json_number(points, "\"state\":{\"v\":"), fhn_ref_hopf_v(-1), 1e-7);
    CHECK_CONTAINS(ev->text, "2 Hopf, 0 fold");
    char want[64];
    snprintf(want, sizeof want, "I = %.6f", fhn_ref_hopf_I(-1));
    CHECK_CONTAINS(ev->text, want);
    CHECK_CONTAINS(ev->html, "<table");
    /* the diagram, default variable and a named one */
    CHECK_INT(rec_fixture_run(&f, "plot bif"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "display");
    CHECK_CONTAINS(f.r.ev[0].text, "HB1");
    CHECK_INT(rec_fixture_run(&f, "plot bif w title=\"FHN\""), ND_OK);
    CHECK_INT(rec_fixture_run(&f, "plot bif q"), ND_ENAME);
    CHECK_CONTAINS(f.e.msg, "no state 'q'");
    rec_fixture_teardown(&f);
}

TEST(cmd_continue_current_and_user_models)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use izh\nb = continue I 0..10 maxpoints=500"), ND_OK);
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].json, "{\"kind\":\"fold\",\"param\":4");
    CHECK_INT(rec_fixture_run(&f, "model cubic {\n  x' = r + x - x^3/3\n  par r = -2\n"
                              "  init x = -2\n}\nb = continue r=-2..2"), ND_OK);
    const nd_bif_result *r = bound(&f, "b");
    CHECK(r != NULL);
    /* two folds of the cubic at r = ±2/3: the branch goes up, back, and up again */
    if (r) {
        CHECK_INT((int)r->npoints, 2);
        if (r->npoints == 2) {
            CHECK_NEAR(r->points[0].param, 2.0 / 3, 1e-8);
            CHECK_NEAR(r->points[1].param, -2.0 / 3, 1e-8);
        }
    }
    CHECK_INT(rec_fixture_run(&f, "plot b"), ND_OK);
    rec_fixture_teardown(&f);
}

TEST(cmd_continue_errors_are_located)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "continue J 0..2 fhn"), ND_ENAME);
    CHECK_CONTAINS(f.e.msg, "no parameter 'J'");
    CHECK_INT(f.e.col, 10);
    CHECK_INT(rec_fixture_run(&f, "continue I 1..1 fhn"), ND_EVALUE);
    CHECK_INT(rec_fixture_run(&f, "continue I 0..1 fhn ds=-1"), ND_EVALUE);
    CHECK(rec_fixture_run(&f, "continue I fhn") != ND_OK);
    CHECK_INT(rec_fixture_run(&f, "continue I=0..1 J=0..2 fhn"), ND_ESYNTAX);
    CHECK_INT(rec_fixture_run(&f, "continue I=0..1 fhn hh"), ND_ESYNTAX);
    rec_fixture_teardown(&f);
}
