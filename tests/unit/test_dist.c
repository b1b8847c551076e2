/* Distributed runs without MPI: "ranks" that are threads of this process, exchanging
   through a barrier (the same collective contract as the MPI plugin). Each rank computes
   exactly its points (i mod size), every rank ends with the serial run's table, the
   lowest failing point's error is the same on every rank and names the point, a rank that
   stopped at an error or runs other work is reported instead of hanging, only rank 0
   writes files, and the crash notes say what is running. */
#include "test.h"
#include "dist_fake.h"
#include "tempdir.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/base/atomicfile.h"
#include "../../lib/base/dist.h"
#include "../../lib/learn/pool_dist.h"

enum { MAXR = DIST_FAKE_MAXR, NPOINTS = 23, NOUT = 2 };

/* What one rank does and what it got. */
typedef struct rank_run {
    nd_dist d;
    int evaluated[NPOINTS];     /* how often this rank evaluated each point */
    int fail_a, fail_b;         /* points that fail (-1: none) */
    size_t npoints;             /* points of this rank's pool */
    int stop_first;             /* 1: this rank ends at an error instead of pooling */
    double out[NPOINTS * NOUT + 8];
    unsigned char done[NPOINTS + 4];
    size_t ndone;
    nd_status st, fin;
    nd_error err, fin_err;
} rank_run;

static nd_status eval(void *w, size_t i, double *out, nd_error *err)
{
    rank_run *r = w;
    r->evaluated[i]++;
    if ((int)i == r->fail_a || (int)i == r->fail_b)
        return nd_error_fail(err, ND_EVALUE, "fails at %zu", i);
    out[0] = (double)(i * i);
    out[1] = 1.0 / (double)(i + 1);
    return ND_OK;
}

static void label(void *ctx, size_t i, char *buf, size_t cap)
{
    (void)ctx;
    snprintf(buf, cap, "item %zu", i);
}

static void *rank_main(void *arg)
{
    rank_run *r = arg;
    if (r->stop_first) {
        nd_error_set(&r->err, ND_EIO, 3, 5, 4, "cannot open 'x.csv'");
        r->st = ND_EIO;
    } else {
        nd_pool_job job = {.npoints = r->npoints, .nout = NOUT, .threads = 2, .eval = eval,
                           .ctx = r};
        r->st = nd_pool_run_dist(&job, &r->d, label, NULL, r->out, r->done, &r->ndone,
                                 &r->err);
    }
    r->fin_err = r->err;
    r->fin = nd_dist_finish(&r->d, r->st, &r->fin_err);
    return NULL;
}

/* Runs body on size rank threads, each with its runs[k] (npoints defaults to NPOINTS). */
static void run_world_with(int size, rank_run *runs, void *(*body)(void *))
{
    nd_dist *d[MAXR];
    void *args[MAXR];
    for (int k = 0; k < size; k++) {
        if (!runs[k].npoints) runs[k].npoints = NPOINTS;
        d[k] = &runs[k].d;
        args[k] = &runs[k];
    }
    dist_fake_run(size, d, body, args);
}

static void run_world(int size, rank_run *runs)
{
    run_world_with(size, runs, rank_main);
}

static rank_run *fresh(int size)
{
    rank_run *runs = calloc((size_t)size, sizeof *runs);
    for (int k = 0; k < size; k++) runs[k].fail_a = runs[k].fail_b = -1;
    return runs;
}

TEST(dist_each_rank_computes_its_share_and_all_get_the_whole_table)
{
    for (int size = 1; size <= 3; size++) {
        rank_run *runs = fresh(size);
        run_world(size, runs);
        for (int k = 0; k < size; k++) {
            CHECK_INT(runs[k].st, ND_OK);
            CHECK_INT(runs[k].fin, ND_OK);
            CHECK_INT(runs[k].ndone, NPOINTS);
            for (size_t i = 0; i < NPOINTS; i++) {
                /* point i on rank i mod size, once; the values the serial formula gives */
                CHECK_INT(runs[k].evaluated[i], (int)(i % (size_t)size) == k);
                CHECK(runs[k].out[i * NOUT] == (double)(i * i));
                CHECK(runs[k].out[i * NOUT + 1] == 1.0 / (double)(i + 1));
                CHECK_INT(runs[k].done[i], 1);
            }
        }
        free(runs);
    }
}

TEST(dist_every_rank_reports_the_lowest_failing_point_by_name)
{
    /* points 7 (rank 1 of 3) and 5 (rank 2) fail: every rank says 5, as a serial run does */
    for (int size = 1; size <= 3; size += 2) {
        rank_run *runs = fresh(size);
        for (int k = 0; k < size; k++) runs[k].fail_a = 7, runs[k].fail_b = 5;
        run_world(size, runs);
        for (int k = 0; k < size; k++) {
            CHECK_INT(runs[k].st, ND_EVALUE);
            CHECK_STR(runs[k].err.msg, "item 5: fails at 5");
            CHECK_INT(runs[k].fin, ND_EVALUE);
        }
        free(runs);
    }
}

TEST(dist_a_rank_stopped_at_an_error_is_reported_by_the_others)
{
    rank_run *runs = fresh(3);
    runs[1].stop_first = 1;
    run_world(3, runs);
    for (int k = 0; k < 3; k += 2) {
        /* the pool learns rank 1's error, with its place, and the end does not wait */
        CHECK_INT(runs[k].st, ND_EIO);
        CHECK_STR(runs[k].err.msg, "on rank 1 of 3: cannot open 'x.csv'");
        CHECK_INT(runs[k].err.line, 3);
        CHECK_INT(runs[k].err.col, 5);
        CHECK_INT(runs[k].fin, ND_EIO);
    }
    CHECK_INT(runs[1].fin, ND_EIO);
    CHECK_STR(runs[1].fin_err.msg, "cannot open 'x.csv'");
    free(runs);
}

TEST(dist_ranks_doing_different_work_stop_with_an_error)
{
    rank_run *runs = fresh(2);
    runs[1].npoints = 12;
    run_world(2, runs);
    CHECK_INT(runs[0].st, ND_EINTERNAL);
    CHECK_CONTAINS(runs[0].err.msg, "out of step: rank 0 is at a pool of 23 points × 2 values");
    CHECK_CONTAINS(runs[0].err.msg, "rank 1 at a pool of 12 points");
    CHECK_INT(runs[1].st, ND_EINTERNAL);
    for (int k = 0; k < 2; k++) {
        CHECK_INT(runs[k].fin, ND_EINTERNAL);   /* and the end did not exchange again */
        for (size_t i = 0; i < NPOINTS; i++) CHECK_INT(runs[k].evaluated[i], 0);
    }
    free(runs);
}

/* Only rank 2 ends at an error; the others end well: rank 0 returns rank 2's error. */
static void *end_main(void *arg)
{
    rank_run *r = arg;
    r->st = ND_OK;
    if (r->d.rank == 2) {
        r->st = ND_ENAME;
        nd_error_set(&r->fin_err, ND_ENAME, 4, 1, 3, "unknown name 'foo'");
    }
    r->fin = nd_dist_finish(&r->d, r->st, &r->fin_err);
    return NULL;
}

TEST(dist_finish_reports_another_ranks_error_on_rank_0)
{
    rank_run *runs = fresh(3);
    run_world_with(3, runs, end_main);
    CHECK_INT(runs[0].fin, ND_ENAME);
    CHECK_STR(runs[0].fin_err.msg, "on rank 2 of 3: unknown name 'foo'");
    CHECK_INT(runs[0].fin_err.line, 4);
    CHECK_INT(runs[2].fin, ND_ENAME);
    CHECK_STR(runs[2].fin_err.msg, "unknown name 'foo'");
    free(runs);
}

TEST(dist_serial_is_the_default_and_names_failing_points)
{
    nd_dist *d = nd_dist_current();
    CHECK(d == nd_dist_serial());
    CHECK_INT(d->size, 1);
    CHECK_INT(nd_dist_is_root(), 1);
    rank_run r = {.fail_a = 9, .fail_b = -1};
    nd_pool_job job = {.npoints = 12, .nout = NOUT, .threads = 2, .eval = eval, .ctx = &r};
    nd_error e = {0};
    size_t n = 0;
    CHECK_INT(nd_pool_run_dist(&job, d, NULL, NULL, r.out, NULL, &n, &e), ND_EVALUE);
    CHECK_STR(e.msg, "point 9: fails at 9");
    CHECK_INT(nd_dist_finish(d, ND_OK, &e), ND_OK);
}

TEST(dist_crash_notes_list_the_work_in_progress)
{
    char buf[64];
    CHECK_INT(nd_dist_notes(buf, sizeof buf), 0);
    CHECK_STR(buf, "");
    nd_dist_note_begin(3, "sweep point I=3, gK=36");
    nd_dist_note_begin(0, "sweep point I=1, gK=36");
    CHECK_INT(nd_dist_notes(buf, sizeof buf), 2);
    CHECK_STR(buf, "sweep point I=1, gK=36; sweep point I=3, gK=36");
    nd_dist_note_end(0);
    CHECK_INT(nd_dist_notes(buf, 12), 1);
    CHECK_STR(buf, "sweep point");   /* cut to the buffer, still terminated */
    nd_dist_note_end(3);
    CHECK_INT(nd_dist_notes(buf, sizeof buf), 0);
}

TEST(dist_only_rank_0_writes_files)
{
    char dir[64], path[128];
    CHECK_INT(nd_tempdir_make(dir), 0);
    nd_tempdir_path(path, sizeof path, dir, "t.csv");
    nd_dist other = *nd_dist_serial();
    other.rank = 1;
    other.size = 2;
    nd_dist_use(&other);
    CHECK_INT(nd_dist_is_root(), 0);
    CHECK_INT(nd_file_replace_bytes(path, "x\n", 2), 0);   /* success, as rank 0's will be */
    nd_dist_use(NULL);
    char *text = nd_tempdir_read(path);
    CHECK(text == NULL);
    free(text);
    CHECK_INT(nd_file_replace_bytes(path, "x\n", 2), 0);
    text = nd_tempdir_read(path);
    CHECK_STR(text, "x\n");
    free(text);
    nd_tempdir_remove(dir);
}
