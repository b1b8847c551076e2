/* The batch runner: a file as one cell on a terminal, tracebacks, exit codes, SIGINT. */
#include "test.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "../../kernel/batch.h"

typedef struct batch_out {
    int rc;
    char out[4096], err[4096];
} batch_out;

static void slurp(FILE *f, char *buf, size_t cap)
{
    rewind(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static batch_out run_file(const char *code)
{
    batch_out r;
    char path[] = "/tmp/nd_batch_XXXXXX";
    int fd = mkstemp(path);
    FILE *src = fdopen(fd, "w");
    fputs(code, src);
    fclose(src);
    FILE *out = tmpfile(), *err = tmpfile();
    r.rc = nd_batch_run(path, NULL, out, err);
    slurp(out, r.out, sizeof r.out);
    slurp(err, r.err, sizeof r.err);
    unlink(path);
    return r;
}

TEST(batch_runs_a_file)
{
    batch_out r = run_file("x = 2\nprint \"x is\", x\nwarn \"careful\"\nx * 21\n");
    CHECK_INT(r.rc, 0);
    CHECK_STR(r.out, "x is 2\n42\n");
    CHECK_STR(r.err, "careful\n");
    r = run_file("help sleep\n? del\nab = 1\nvars\nclear\n\"s\"");
    CHECK_INT(r.rc, 0);
    CHECK_CONTAINS(r.out, "sleep SECONDS\n");
    CHECK_CONTAINS(r.out, "del NAME [NAME ...]\n");
    CHECK_CONTAINS(r.out, "name  type    summary\n----  ------  -------\nab    number  1\n");
    CHECK_CONTAINS(r.out, "\n\"s\"\n");
    CHECK_STR(r.err, "");
}

TEST(batch_reports_errors_with_a_traceback)
{
    batch_out r = run_file("print 1\nprint nosuch\nprint 3\n");
    CHECK_INT(r.rc, 1);
    CHECK_STR(r.out, "1\n");
    CHECK_STR(r.err, "  line 2, column 7\n    print nosuch\n          ^^^^^^\nNameError: name 'nosuch' is not defined\n");
}

TEST(batch_missing_file)
{
    FILE *out = tmpfile(), *err = tmpfile();
    char o[256], e[256];
    CHECK_INT(nd_batch_run("/nonexistent/dir/x.nd", NULL, out, err), 1);
    slurp(out, o, sizeof o);
    slurp(err, e, sizeof e);
    CHECK_STR(o, "");
    CHECK_STR(e, "IOError: cannot open '/nonexistent/dir/x.nd'\n");
}

static void *sigint_later(void *arg)
{
    (void)arg;
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL);
    kill(getpid(), SIGINT);
    return NULL;
}

TEST(batch_sigint_interrupts)
{
    pthread_t th;
    pthread_create(&th, NULL, sigint_later, NULL);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    batch_out r = run_file("print \"start\"\nsleep 5\nprint \"never\"\n");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    pthread_join(th, NULL);
    CHECK_INT(r.rc, 1);
    CHECK_STR(r.out, "start\n");
    CHECK_CONTAINS(r.err, "Interrupted: interrupted by the user");
    CHECK((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9 < 1.0);
}

TEST(batch_runs_an_interact_block_once)
{
    batch_out r = run_file("use fhn\ninteract I=0..2 k=1..3 { print \"I is\", k * 0 + 1 }\n");
    CHECK_INT(r.rc, 0);
    CHECK_CONTAINS(r.out, "sliders need Jupyter");
    CHECK_CONTAINS(r.out, "interact: I = 0.00 (0 \u2026 2), k = 2.00 (1 \u2026 3)\n");
    CHECK_CONTAINS(r.out, "I is 1\n");
    CHECK_STR(r.err, "");
}
