/* interact: the sliders it offers through the sink, its first run, re-runs replacing the
   displays in place, what it binds and puts back, and its errors. */
#include "test.h"

#include <jansson.h>
#include <stdlib.h>

#include "../../lib/language/objects.h"
#include "../../lib/language/workspace.h"
#include "rec_sink.h"

/* The FitzHugh–Nagumo equilibrium for current I (a = 0.7, b = 0.8): w = (v + a)/b on the
   cubic nullcline gives -v^3/3 - v/4 + I - 7/8 = 0, decreasing in v: bisection. */
static double fhn_equilibrium_v(double I)
{
    double lo = -3, hi = 3;
    for (int i = 0; i < 200; i++) {
        double mid = (lo + hi) / 2, f = -mid * mid * mid / 3 - mid / 4 + I - 0.875;
        if (f > 0) lo = mid;
        else hi = mid;
    }
    return (lo + hi) / 2;
}

/* The events of kind "display" in r, in order. */
static int displays(const rec_sink *r, const rec_event **out, int cap)
{
    int n = 0;
    for (int i = 0; i < r->n && n < cap; i++)
        if (strcmp(r->ev[i].kind, "display") == 0) out[n++] = &r->ev[i];
    return n;
}

static const rec_event *find_kind(const rec_sink *r, const char *kind)
{
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->ev[i].kind, kind) == 0) return &r->ev[i];
    return NULL;
}

/* The interact made by the last run (its sliders event). */
static int last_interact(const rec_sink *r)
{
    const rec_event *e = find_kind(r, "sliders");
    return e ? e->interact : 0;
}

static double json_path_number(const char *text, const char *key1, int i, const char *key2,
                               const char *key3)
{
    json_t *root = text ? json_loads(text, 0, NULL) : NULL;
    json_t *v = json_object_get(root, key1);
    if (i >= 0) v = json_array_get(v, (size_t)i);
    if (key2) v = json_object_get(v, key2);
    if (key3) v = json_object_get(v, key3);
    double x = json_is_number(v) ? json_number_value(v) : NAN;
    json_decref(root);
    return x;
}

static double model_par(rec_fixture *f, const char *model, const char *par)
{
    nd_model_obj *mo = nd_value_as_model(nd_ws_get(nd_interp_workspace(f->in), model));
    return mo ? nd_model_pars(mo->model)[nd_model_index(mo->model, ND_MODEL_PAR, par)] : NAN;
}

TEST(interact_offers_its_sliders_and_shows_the_first_run)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    f.r.shows_sliders = 1;
    CHECK_INT(rec_fixture_run(&f, "use fhn\nset I = 0.5\ninteract I=0..2 x=-1..3 step=0.5 { fixed }"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "out|sliders|display|display");
    const rec_event *sl = find_kind(&f.r, "sliders");
    CHECK(sl && sl->interact > 0);
    /* I starts at the parameter's value, the unbound x in the middle of its range */
    CHECK_STR(sl ? sl->text : NULL, "I=0..2 step 0.5 value 0.5 decimals 1\n"
                                    "x=-1..3 step 0.5 value 1 decimals 1\n");
    const rec_event *d[4];
    CHECK_INT(displays(&f.r, d, 4), 2);
    CHECK_CONTAINS(d[0]->text, "interact: I = 0.5 (0 \u2026 2), x = 1.0 (-1 \u2026 3)");
    CHECK_CONTAINS(d[0]->json, "\"binds\":\"parameter\"");
    CHECK_CONTAINS(d[0]->json, "\"binds\":\"name\"");
    CHECK_CONTAINS(d[0]->id, "nd-interact-");
    CHECK_INT(d[0]->update, 0);
    CHECK_NEAR(json_path_number(d[1]->json, "points", 0, "state", "v"), fhn_equilibrium_v(0.5), 1e-6);
    CHECK(strcmp(d[0]->id, d[1]->id) != 0);
    rec_fixture_teardown(&f);
}

TEST(interact_default_steps_give_about_a_hundred_positions)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    f.r.shows_sliders = 1;
    CHECK_INT(rec_fixture_run(&f, "use hh_rinzel\ninteract I=0..20 gK=20..40 a=0..1 b=-0.5..6.5 { print a }"), ND_OK);
    const rec_event *sl = find_kind(&f.r, "sliders");
    CHECK_STR(sl ? sl->text : NULL, "I=0..20 step 0.2 value 0 decimals 1\n"
                                    "gK=20..40 step 0.2 value 36 decimals 1\n"
                                    "a=0..1 step 0.01 value 0.5 decimals 2\n"
                                    "b=-0.5..6.5 step 0.1 value 3 decimals 1\n");
    rec_fixture_teardown(&f);
}

TEST(interact_moving_a_slider_reruns_the_block_in_place)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    f.r.shows_sliders = 1;
    CHECK_INT(rec_fixture_run(&f, "use fhn\ninteract I=0..2 { fixed }\nuse hh"), ND_OK);
    int id = last_interact(&f.r);
    const rec_event *d[4];
    CHECK_INT(displays(&f.r, d, 4), 2);
    char head_id[96], body_id[96];
    snprintf(head_id, sizeof head_id, "%s", d[0]->id);
    snprintf(body_id, sizeof body_id, "%s", d[1]->id);

    rec_clear(&f.r);
    double applied = -1;
    CHECK_INT(nd_interp_interact(f.in, id, 0, 1.0, 0, &f.r.sink, &applied, &f.e), ND_OK);
    CHECK_NEAR(applied, 1.0, 0);
    CHECK_STR(rec_kinds(&f.r), "display|display");
    CHECK_STR(f.r.ev[0].id, head_id);
    CHECK_STR(f.r.ev[1].id, body_id);
    CHECK_INT(f.r.ev[0].update, 1);
    CHECK_INT(f.r.ev[1].update, 1);
    CHECK_NEAR(json_path_number(f.r.ev[0].json, "sliders", 0, "value", NULL), 1.0, 0);
    /* fhn is current while the block runs although hh is current in the session */
    CHECK_NEAR(json_path_number(f.r.ev[1].json, "parameters", -1, "I", NULL), 1.0, 0);
    CHECK_NEAR(json_path_number(f.r.ev[1].json, "points", 0, "state", "v"), fhn_equilibrium_v(1.0), 1e-6);
    /* afterwards the parameter and the current model are as they were */
    CHECK_NEAR(model_par(&f, "fhn", "I"), 0, 0);
    CHECK_STR(nd_ws_current_model(nd_interp_workspace(f.in)), "hh");

    rec_clear(&f.r);   /* out of range: clamped, and the value used is reported */
    CHECK_INT(nd_interp_interact(f.in, id, 0, 7.5, 0, &f.r.sink, &applied, &f.e), ND_OK);
    CHECK_NEAR(applied, 2.0, 0);
    CHECK_NEAR(json_path_number(f.r.ev[1].json, "points", 0, "state", "v"), fhn_equilibrium_v(2.0), 1e-6);
    rec_fixture_teardown(&f);
}

TEST(interact_quick_runs_draw_draft_figures)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use fhn\ninteract I=0..2 { phase v w }"), ND_OK);
    int id = last_interact(&f.r);
    CHECK(f.r.ev[f.r.n - 1].png);
    rec_clear(&f.r);   /* a move while dragging: the SVG only */
    CHECK_INT(nd_interp_interact(f.in, id, 0, 1, 1, &f.r.sink, NULL, &f.e), ND_OK);
    CHECK_CONTAINS(f.r.ev[1].text, "fhn phase plane");
    CHECK(!f.r.ev[1].png);
    rec_clear(&f.r);   /* at rest: complete again, and figures elsewhere were never drafts */
    CHECK_INT(nd_interp_interact(f.in, id, 0, 1, 0, &f.r.sink, NULL, &f.e), ND_OK);
    CHECK(f.r.ev[1].png);
    CHECK_INT(rec_fixture_run(&f, "phase v w"), ND_OK);
    CHECK(f.r.ev[0].png);
    rec_fixture_teardown(&f);
}

TEST(interact_binds_workspace_names_for_the_run_only)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "k = 2\ninteract k=0..10 q=0..4 { print k * 10 + q }"), ND_OK);
    int id = last_interact(&f.r);
    const rec_event *d[4];
    CHECK_INT(displays(&f.r, d, 4), 2);
    CHECK_STR(d[1]->text, "22\n");
    rec_clear(&f.r);
    CHECK_INT(nd_interp_interact(f.in, id, 0, 5, 0, &f.r.sink, NULL, &f.e), ND_OK);
    CHECK_STR(f.r.ev[1].text, "52\n");
    CHECK_INT(rec_fixture_run(&f, "print k"), ND_OK);
    CHECK_STR(f.r.ev[0].text, "2\n");
    CHECK_INT(rec_fixture_run(&f, "print q"), ND_ENAME);
    rec_fixture_teardown(&f);
}

TEST(interact_without_a_front_end_runs_once_and_says_so)
{
    rec_fixture f;
    rec_fixture_setup(&f);   /* shows_sliders = 0: a terminal */
    CHECK_INT(rec_fixture_run(&f, "interact x=0..1 { print \"ran\", x }"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "sliders|out|display|display");
    CHECK_CONTAINS(f.r.ev[1].text, "sliders need Jupyter");
    CHECK_STR(f.r.ev[3].text, "ran 0.5\n");
    rec_fixture_teardown(&f);
}

TEST(interact_rerun_errors_show_in_place_and_the_interact_survives)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "interact n=0..4 step=0.5 {\n  repeat n { print \"hi\" }\n}"), ND_OK);
    int id = last_interact(&f.r);
    CHECK_STR(f.r.ev[f.r.n - 1].text, "hi\nhi\n");
    rec_clear(&f.r);
    CHECK_INT(nd_interp_interact(f.in, id, 0, 2.5, 0, &f.r.sink, NULL, &f.e), ND_EVALUE);
    CHECK_STR(rec_kinds(&f.r), "display|display");
    CHECK_INT(f.r.ev[1].update, 1);
    CHECK_CONTAINS(f.r.ev[1].text, "  repeat n { print \"hi\" }\n");   /* the line, located */
    CHECK_CONTAINS(f.r.ev[1].text, "ValueError: repeat expects a whole number");
    CHECK_CONTAINS(f.r.ev[1].json, "\"ename\":\"ValueError\"");
    rec_clear(&f.r);
    CHECK_INT(nd_interp_interact(f.in, id, 0, 3, 0, &f.r.sink, NULL, &f.e), ND_OK);
    CHECK_STR(f.r.ev[1].text, "hi\nhi\nhi\n");
    rec_fixture_teardown(&f);
}

TEST(interact_rerun_keeps_the_number_of_displays)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use fhn\ninteract n=1..3 step=1 {\n  repeat n { fixed }\n}"), ND_OK);
    int id = last_interact(&f.r);
    rec_clear(&f.r);   /* n = 3: three tables into the one slot, as text */
    CHECK_INT(nd_interp_interact(f.in, id, 0, 3, 0, &f.r.sink, NULL, &f.e), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "display|display|display");
    CHECK_CONTAINS(f.r.ev[2].text, "1 equilibrium of fhn");
    CHECK_CONTAINS(strstr(f.r.ev[2].text, "1 equilibrium of fhn") + 1, "1 equilibrium of fhn");
    rec_clear(&f.r);   /* n = 1: one table, and the second display blanked */
    CHECK_INT(nd_interp_interact(f.in, id, 0, 1, 0, &f.r.sink, NULL, &f.e), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "display|display|display");
    CHECK_CONTAINS(f.r.ev[1].json, "\"type\":\"equilibria\"");
    CHECK_STR(f.r.ev[2].text, "");
    rec_fixture_teardown(&f);
}

TEST(interact_a_silent_first_run_keeps_room_for_later_output)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "k = 1\ninteract k=1..3 step=1 {\n  repeat k - 1 { print k }\n}"), ND_OK);
    int id = last_interact(&f.r);
    CHECK_STR(rec_kinds(&f.r), "sliders|out|display|display");
    CHECK_STR(f.r.ev[3].text, "");
    rec_clear(&f.r);
    CHECK_INT(nd_interp_interact(f.in, id, 0, 2, 0, &f.r.sink, NULL, &f.e), ND_OK);
    CHECK_STR(f.r.ev[1].text, "2\n");
    rec_fixture_teardown(&f);
}

TEST(interact_the_workspace_forgets_the_oldest)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    int first = 0;
    for (int i = 0; i <= ND_WS_MAX_INTERACTS; i++) {
        CHECK_INT(rec_fixture_run(&f, "interact x=0..1 { y = x }"), ND_OK);
        if (i == 0) first = last_interact(&f.r);
    }
    int last = last_interact(&f.r);
    CHECK_INT(nd_interp_interact(f.in, first, 0, 1, 0, &f.r.sink, NULL, &f.e), ND_ENAME);
    CHECK_INT(nd_interp_interact(f.in, first + 1, 0, 1, 0, &f.r.sink, NULL, &f.e), ND_OK);
    CHECK_INT(nd_interp_interact(f.in, last, 0, 1, 0, &f.r.sink, NULL, &f.e), ND_OK);
    rec_fixture_teardown(&f);
}

TEST(interact_reports_a_model_that_is_gone)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use fhn\ninteract I=0..2 { fixed }\ndel fhn"), ND_OK);
    int id = last_interact(&f.r);
    rec_clear(&f.r);
    CHECK_INT(nd_interp_interact(f.in, id, 0, 1, 0, &f.r.sink, NULL, &f.e), ND_ENAME);
    CHECK_CONTAINS(f.r.ev[1].text, "the model 'fhn'");
    CHECK_INT(nd_interp_interact(f.in, id + 1000, 0, 1, 0, &f.r.sink, NULL, &f.e), ND_ENAME);
    CHECK_INT(nd_interp_interact(f.in, id, 5, 1, 0, &f.r.sink, NULL, &f.e), ND_EVALUE);
    CHECK_INT(nd_interp_interact(f.in, id, 0, NAN, 0, &f.r.sink, NULL, &f.e), ND_EVALUE);
    rec_fixture_teardown(&f);
}

TEST(interact_refuses_bad_declarations)
{
    static const struct { const char *code; nd_status st; const char *msg; } cases[] = {
        {"interact { print 1 }", ND_ESYNTAX, "at least one slider"},
        {"interact x=0..1", ND_ESYNTAX, "needs a { ... } block"},
        {"interact x=2..1 { print x }", ND_EVALUE, "finite lo < hi"},
        {"interact x=-1e308..1e308 { print x }", ND_EVALUE, "finite lo < hi"},
        {"interact x=3 { print x }", ND_ETYPE, "range"},
        {"interact x=0..1 step=2 { print x }", ND_EVALUE, "step="},
        {"interact x=0..1 7 { print x }", ND_ESYNTAX, "interact NAME=LO..HI"},
        {"s = \"text\"\ninteract s=0..1 { print s }", ND_ETYPE, "holds a string"},
        {"use fhn\ninteract v=0..1 { fixed }", ND_ENAME, "'v' is not a parameter of fhn"},
        {"repeat 1 {\n  interact x=0..1 { print x }\n}", ND_ESYNTAX, "top level"},
        {"interact x=0..1 { print nosuch }", ND_ENAME, "nosuch"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rec_fixture f;
        rec_fixture_setup(&f);
        CHECK_INT(rec_fixture_run(&f, cases[i].code), cases[i].st);
        CHECK_CONTAINS(f.e.msg, cases[i].msg);
        CHECK(find_kind(&f.r, "sliders") == NULL);
        rec_fixture_teardown(&f);
    }
}
