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

static batch_out run_with(const char *code, const nd_batch_options *opts)
{
    batch_out r;
    char path[] = "/tmp/nd_batch_XXXXXX";
    int fd = mkstemp(path);
    FILE *src = fdopen(fd, "w");
    fputs(code, src);
    fclose(src);
    FILE *out = tmpfile(), *err = tmpfile();
    r.rc = nd_batch_run(path, opts, out, err);
    slurp(out, r.out, sizeof r.out);
    slurp(err, r.err, sizeof r.err);
    unlink(path);
    return r;
}

static batch_out run_file(const char *code)
{
    return run_with(code, NULL);
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

/* neurodyn run FILE -D NAME=VALUE: the parameter wins over the file's own assignment (as a
   make command-line variable does), for NAME = … and let alike, with a note. */
TEST(batch_defines_override_the_files_parameters)
{
    const char *code = "I = 10\nlet seed = 1, n = 5\nmethod = \"dp5\"\n"
                       "print I * 2, seed, n, method\n";
    const char *defs[] = {"I=12", "seed=3", "method=rk4"};
    batch_out r = run_with(code, &(nd_batch_options){NULL, defs, 3});
    CHECK_INT(r.rc, 0);
    CHECK_STR(r.out, "24 3 5 rk4\n");
    CHECK_CONTAINS(r.err, "I is set from outside the program (-D); line 1 keeps that value\n");
    CHECK_CONTAINS(r.err, "seed is set from outside the program (-D); line 2 keeps that value\n");
    /* without parameters the file's own values */
    r = run_file(code);
    CHECK_STR(r.out, "20 1 5 dp5\n");
    /* expressions, lists and strings as values */
    const char *defs2[] = {"I=2*3", "seed=[1, 2]", "method=\"a b\""};
    r = run_with(code, &(nd_batch_options){NULL, defs2, 3});
    CHECK_STR(r.out, "12 [1, 2] 5 a b\n");
    /* a bad parameter stops the run before the file starts */
    const char *bad[][1] = {{"I="}, {"I=sqrt(-"}, {"simulate=3"}, {"noequals"}};
    const char *why[] = {"SyntaxError: -D I=: a value is missing after '='",
                         "SyntaxError: -D I=sqrt(-:", "cannot bind 'simulate'",
                         "-D expects NAME=VALUE, not 'noequals'"};
    for (int k = 0; k < 4; k++) {
        r = run_with(code, &(nd_batch_options){NULL, bad[k], 1});
        CHECK_INT(r.rc, 1);
        CHECK_STR(r.out, "");
        CHECK_CONTAINS(r.err, why[k]);
    }
}

TEST(batch_exit_has_no_session_to_end)
{
    batch_out r = run_file("print 1\nexit\nprint 2\n");
    CHECK_INT(r.rc, 0);
    CHECK_STR(r.out, "1\n2\n");
    CHECK_CONTAINS(r.err, "exit ends an interactive session (jupyter console); here there is none");
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
    batch_out r = run_file("print \"start\"\nsleep 5\nprint \"never\"\n");
    pthread_join(th, NULL);
    CHECK_INT(r.rc, 1);
    CHECK_STR(r.out, "start\n");
    CHECK_CONTAINS(r.err, "Interrupted: interrupted by the user");
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
