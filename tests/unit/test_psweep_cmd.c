/* The grid form of sweep end to end: the table and its heatmap, plot's heatmap of it, an
   interrupt that binds the points finished, and the checks of the call. */
#include "test.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../lib/language/objects.h"
#include "../../lib/language/workspace.h"
#include "rec_sink.h"

static const nd_dataset *dataset(rec_fixture *f, const char *name)
{
    return nd_value_as_dataset(nd_ws_get(nd_interp_workspace(f->in), name));
}

TEST(psweep_cmd_grid_table_and_heatmap)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh\nm = sweep I=0..20 n=5 gK=30..40 step=5 t=200"),
              ND_OK);
    const nd_dataset *ds = dataset(&f, "m");
    CHECK(ds != NULL);
    if (ds) {
        CHECK_INT(nd_ds_rows(ds), 15);
        CHECK_STR(nd_ds_name(ds, 1), "gK");
        CHECK_STR(nd_ds_name(ds, 2), "rate");
        CHECK_STR(nd_ds_meta(ds, "grid_shape"), "5 3");
        CHECK(nd_ds_col(ds, 0)[6] == 5 && nd_ds_col(ds, 1)[6] == 35);
    }
    CHECK_STR(rec_kinds_settled(&f.r), "out|display|display");   /* use, summary, figure */
    CHECK_CONTAINS(f.r.ev[f.r.n - 2].json, "\"type\":\"sweep\"");
    CHECK_CONTAINS(f.r.ev[f.r.n - 2].json, "\"grid_shape\":[5,3]");
    const char *fig = f.r.ev[f.r.n - 1].json;
    CHECK_CONTAINS(fig, "\"heatmap\":{\"nx\":5,\"ny\":3");
    CHECK_CONTAINS(fig, "\"zlabel\":\"rate [Hz]\"");
    CHECK_INT(rec_fixture_run(&f, "plot m rate"), ND_OK);
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].json, "\"heatmap\":{\"nx\":5,\"ny\":3");
    CHECK_CONTAINS(f.r.ev[f.r.n - 1].json, "rate over I and gK");
    rec_fixture_teardown(&f);
}

TEST(psweep_cmd_checks_the_call)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh"), ND_OK);
    static const struct { const char *code; nd_status st; const char *msg; } bad[] = {
        {"sweep I=0..2 n=3 area=1", ND_ENAME, "no parameter or state 'area'"},
        {"sweep I=0..2 step=0.5 step=1", ND_ESYNTAX, "option 'step' is given twice"},
        {"sweep I=0..2 t=5 gK=3 t=6", ND_ESYNTAX, "option 't' is given twice"},
        {"sweep I=0..2 gK=[1, \"a\"]", ND_EVALUE, "gK takes a range"},
        {"sweep I=0..2 threads=0.5", ND_EVALUE, "threads must be"},
        {"sweep I=0..2 n=5 model=nosuch", ND_ENAME, "nosuch"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK_INT(rec_fixture_run(&f, bad[i].code), bad[i].st);
        CHECK_CONTAINS(f.e.msg, bad[i].msg);
        CHECK_INT(f.e.line, 1);
    }
    rec_fixture_teardown(&f);
}

typedef struct later {
    nd_interp *in;
} later;

static void *interrupt_later(void *arg)
{
    later *l = arg;
    struct timespec ts = {0, 300000000};
    nanosleep(&ts, NULL);
    nd_interp_interrupt(l->in);
    return NULL;
}

TEST(psweep_cmd_interrupt_binds_the_points_finished)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh"), ND_OK);
    later l = {f.in};
    pthread_t th;
    pthread_create(&th, NULL, interrupt_later, &l);
    nd_status st = rec_fixture_run(&f, "long = sweep I=0..20 n=3000 t=2000 threads=2 "
                                       "plot=false\ny = 1");
    pthread_join(th, NULL);
    CHECK_INT(st, ND_EINTERRUPT);
    CHECK_INT(f.e.line, 2);                       /* the next statement did not run */
    CHECK(nd_ws_get(nd_interp_workspace(f.in), "y") == NULL);
    const nd_dataset *ds = dataset(&f, "long");
    CHECK(ds != NULL);
    if (ds) {
        long done = strtol(nd_ds_meta(ds, "done"), NULL, 10);
        CHECK_INT(nd_ds_rows(ds), 3000);
        CHECK(done > 0 && done < 3000);
        long finite = 0;
        for (size_t i = 0; i < 3000; i++) finite += !isnan(nd_ds_col(ds, 1)[i]);
        CHECK_INT(finite, done);
    }
    rec_fixture_teardown(&f);
}
