/* The fi command end to end: dataset, summary, figure, errors, interrupts, user models. */
#include "test.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "../../lib/language/objects.h"
#include "../../lib/language/workspace.h"
#include "rec_sink.h"

static const nd_dataset *dataset(rec_fixture *f, const char *name)
{
    return nd_value_as_dataset(nd_ws_get(nd_interp_workspace(f->in), name));
}

/* The text of the first recorded display whose text contains needle, or "". */
static const char *display_with(const rec_fixture *f, const char *needle)
{
    for (int i = 0; i < f->r.n; i++)
        if (f->r.ev[i].text && strstr(f->r.ev[i].text, needle)) return f->r.ev[i].text;
    return "";
}

TEST(fi_cmd_hh_dataset_summary_and_figure)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh\nf = fi I 6..10.5 step=0.5"), ND_OK);
    const nd_dataset *ds = dataset(&f, "f");
    CHECK(ds != NULL);
    if (ds) {
        CHECK_INT(nd_ds_cols(ds), 3);
        CHECK_STR(nd_ds_name(ds, 0), "I");
        CHECK_STR(nd_ds_name(ds, 1), "rate_up");
        CHECK_STR(nd_ds_name(ds, 2), "rate_down");
        CHECK_STR(nd_ds_unit(ds, 1), "Hz");
        CHECK_INT(nd_ds_rows(ds), 10);
    }
    const char *s = display_with(&f, "F-I curve of hh");
    /* 68.… Hz = 1000 / the 14.6-ms period of HH's cycle at I = 10 (test_cycles.c checks it
       against a simulation; test_notebook_facts.py against SciPy); onset and window: the
       first grid values past the Hopf point 9.78 and the fold of cycles 6.26. */
    CHECK_CONTAINS(s, "Up sweep: starts firing at I = 10 at 68.");
    CHECK_CONTAINS(s, "class 2-like");
    CHECK_CONTAINS(s, "Down sweep: keeps firing down to I = 6.5");
    CHECK_CONTAINS(s, "Bistable window: I = 6.5 … 9.5");
    CHECK_STR(rec_kinds_settled(&f.r), "out|display|display");    /* use, summary, figure */
    const char *fig = f.r.ev[f.r.n - 1].json;   /* the figure comes last */
    CHECK_CONTAINS(fig, "up sweep");
    CHECK_CONTAINS(fig, "down sweep");
    rec_fixture_teardown(&f);
}

TEST(fi_cmd_user_model_and_silent_range)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    /* FitzHugh–Nagumo as a user model: no time unit, so rates are per time unit. */
    CHECK_INT(rec_fixture_run(&f, "model osc {\n  dv/dt = v - v^3/3 - w + I\n"
                      "  dw/dt = eps*(v + a - b*w)\n  par a = 0.7, b = 0.8, eps = 0.08, I = 0\n"
                      "  init v = -1.2, w = -0.6\n}\n"
                      "g = fi I 0..1 step=0.25 sweep=up plot=false var=v"), ND_OK);
    const nd_dataset *ds = dataset(&f, "g");
    CHECK(ds && nd_ds_rows(ds) == 5 && nd_ds_col(ds, 1)[0] == 0 && nd_ds_col(ds, 1)[2] > 0);
    CHECK(ds && nd_ds_col(ds, 2)[2] != nd_ds_col(ds, 2)[2]);    /* down not run: NaN */
    CHECK_STR(ds ? nd_ds_unit(ds, 1) : "", "1/time unit");
    CHECK_CONTAINS(display_with(&f, "F-I curve"), "Up sweep: starts firing at I = 0.5");
    CHECK_INT(rec_fixture_run(&f, "use hh\nz = fi I 0..3 step=1 plot=false"), ND_OK);
    CHECK_CONTAINS(display_with(&f, "F-I curve"), "No firing anywhere");
    rec_fixture_teardown(&f);
}

TEST(fi_cmd_bad_arguments)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh\nfi Q 0..1"), ND_ENAME);
    CHECK_CONTAINS(f.e.msg, "no parameter 'Q'");
    CHECK_INT(f.e.line, 2);
    CHECK_INT(f.e.col, 4);
    CHECK_INT(rec_fixture_run(&f, "fi I 5..1"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "increasing");
    CHECK_INT(rec_fixture_run(&f, "fi I"), ND_ESYNTAX);   /* the usage line */
    CHECK_INT(rec_fixture_run(&f, "fi I 0..1 step=0"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "step must be");
    CHECK_INT(rec_fixture_run(&f, "fi I 0..1 window=-5"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "window must be");
    CHECK_INT(rec_fixture_run(&f, "fi I 0..1 sweep=sideways"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "both, up or down");
    CHECK_INT(rec_fixture_run(&f, "fi I 0..1 var=q"), ND_ENAME);
    CHECK_INT(rec_fixture_run(&f, "fi I 0..1 nosuch=1"), ND_ENAME);
    CHECK_INT(rec_fixture_run(&f, "fi I 0..1 nomodel"), ND_ENAME);
    rec_fixture_teardown(&f);
}

typedef struct later {
    nd_interp *in;
    double fired_at;
} later;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *interrupt_later(void *arg)
{
    later *l = arg;
    struct timespec ts = {0, 100000000};
    nanosleep(&ts, NULL);
    l->fired_at = now();
    nd_interp_interrupt(l->in);
    return NULL;
}

TEST(fi_cmd_interrupt_stops_a_long_sweep)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh"), ND_OK);
    later l = {f.in, 0};
    pthread_t th;
    pthread_create(&th, NULL, interrupt_later, &l);
    /* Thousands of firing runs: many seconds unless stopped. */
    nd_status st = rec_fixture_run(&f, "x = 1\nf = fi I 10..100 step=0.01 window=5000");
    double done = now();
    pthread_join(th, NULL);
    printf("    fi stopped %.1f ms after the interrupt\n", (done - l.fired_at) * 1e3);
    CHECK_INT(st, ND_EINTERRUPT);
    CHECK_INT(f.e.line, 2);
    CHECK(dataset(&f, "f") == NULL);
    rec_fixture_teardown(&f);
}

TEST(fi_cmd_plots_with_the_bifurcation_diagram)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh\nbif = continue I 0..20\n"
                                  "f = fi I 5..12 step=1 plot=false\nplot bif V f"), ND_OK);
    const char *json = f.r.ev[f.r.n - 1].json;
    CHECK_CONTAINS(json, "\"type\":\"figure\"");
    CHECK_CONTAINS(json, "\"ylabel\":\"firing rate [Hz]\"");
    CHECK_CONTAINS(json, "\"label\":\"rate, up sweep\"");
    CHECK_CONTAINS(json, "\"label\":\"rate, down sweep\"");
    CHECK_INT(rec_fixture_run(&f, "g = simulate t=10\nplot bif V g"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "not an F-I result");
    rec_fixture_teardown(&f);
}
