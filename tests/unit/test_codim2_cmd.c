/* `continue hopf|fold P1=… P2=…` end to end: the table and JSON, the record's fields, the
   figure over a sweep map, and located errors (the numbers: the Bogdanov–Takens normal
   form's BT point at (0, 0)). */
#include "test.h"

#include <math.h>
#include <string.h>

#include "../../lib/language/figure_value.h"
#include "../../lib/language/objects.h"
#include "../../lib/language/workspace.h"
#include "rec_sink.h"

static const char *BT_MODEL = "model btnf {\n  dx/dt = y\n  dy/dt = b1 + b2*x + x^2 - x*y\n"
                              "  par b1 = 0, b2 = -1\n  init x = 0, y = 0\n}\n";

static double number(rec_fixture *f, const char *name)
{
    const nd_value *v = nd_ws_get(nd_interp_workspace(f->in), name);
    return v && v->kind == ND_VAL_NUMBER ? v->as.num : NAN;
}

TEST(cmd_continue_two_parameters_table_record_and_figure)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, BT_MODEL), ND_OK);
    CHECK_INT(rec_fixture_run(&f, "c = continue hopf fold b1=-0.5..0.5 b2=-1.5..1 btnf "
                              "plot=false"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "display");
    const rec_event *ev = &f.r.ev[f.r.n - 1];
    CHECK_CONTAINS(ev->json, "{\"type\":\"bifurcation2\",\"model\":\"btnf\"");
    CHECK_CONTAINS(ev->json, "\"parameters\":[\"b1\",\"b2\"]");
    CHECK_CONTAINS(ev->text, "1 Hopf curve, 1 fold curve, 1 codimension-2 point");
    CHECK_CONTAINS(ev->text, "BT1 Bogdanov-Takens");
    CHECK_CONTAINS(ev->text, "ends: the edge of the box; a Bogdanov-Takens point");
    CHECK_NEAR(rec_json_number(ev->json, "\"tag\":\"BT\",\"p1\":"), 0, 1e-7);
    /* the record's fields */
    CHECK_INT(rec_fixture_run(&f, "u = c.bt[1].b2\nk = c.points[1].curve\n"
                              "w = c.fold[1].b1[1] - c.fold[1].b2[1]^2/4"), ND_OK);
    CHECK_NEAR(number(&f, "u"), 0, 1e-7);
    CHECK(number(&f, "k") >= 1);
    CHECK_NEAR(number(&f, "w"), 0, 1e-9);
    /* the figure over a sweep of the same grid; the record shows it */
    CHECK_INT(rec_fixture_run(&f, "m = sweep b1=-0.5..0.5 n=5 b2=-1.5..1 n=4 model=btnf "
                              "measure=fixed plot=false\n"
                              "d = continue hopf fold b1=-0.5..0.5 b2=-1.5..1 btnf map=m"),
              ND_OK);
    CHECK(nd_value_figure(nd_ws_get(nd_interp_workspace(f.in), "d")) != NULL);
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].text, "heatmap");
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].text, "BT1 Bogdanov-Takens");
    /* errors, located */
    CHECK_INT(rec_fixture_run(&f, "continue hopf b1=-1..1 btnf"), ND_ESYNTAX);
    CHECK_CONTAINS(f.e.msg, "two ranges");
    CHECK_INT(rec_fixture_run(&f, "continue hopf b1=-1..1 q=0..1 btnf"), ND_ENAME);
    CHECK_INT(f.e.col, 26);   /* the range of the unknown name */
    CHECK_INT(rec_fixture_run(&f, "m2 = sweep b2=-1..1 n=3 b1=-1..1 n=3 model=btnf "
                              "measure=fixed plot=false\ncontinue hopf b1=-1..1 b2=-1..1 btnf map=m2"),
              ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "the map must be a sweep over the grid b1 × b2");
    rec_fixture_teardown(&f);
}
