/* lib/base/proc: running a program without a shell — input, outputs, exit, time limit over
   the whole process group, missing programs, and no zombies left behind. */
#include "test.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "../../lib/base/proc.h"
#include "proc_util.h"
#include "tempdir.h"

static long read_pid(const char *dir, const char *name)
{
    char path[160];
    char *text = nd_tempdir_read(nd_tempdir_path(path, sizeof path, dir, name));
    long pid = text ? atol(text) : 0;
    free(text);
    return pid;
}

/* More than a pipe holds both ways: feeding and draining happen in one loop. */
TEST(proc_stdin_comes_back_through_cat)
{
    size_t len = 1 << 20;
    char *text = malloc(len);
    for (size_t i = 0; i < len; i++) text[i] = (char)('a' + i % 26);
    char *const argv[] = {"cat", NULL};
    nd_proc_opts o = {.stdin_text = text, .stdin_len = len, .timeout_ms = 10000};
    nd_proc_result r;
    nd_error err;
    CHECK_INT(nd_proc_run("/bin/cat", argv, &o, &r, &err), ND_OK);
    CHECK_INT(r.exit_code, 0);
    CHECK_INT(r.signal, 0);
    CHECK(!r.timed_out && !r.overflow);
    CHECK_INT(r.out[1].len, len);
    CHECK(r.out[1].len == len && memcmp(r.out[1].data, text, len) == 0);
    CHECK_INT(r.out[2].len, 0);
    nd_proc_result_free(&r);
    free(text);
    CHECK_INT(nd_test_zombie_children(), 0);
}

TEST(proc_extra_fds_and_stderr_apart)
{
    char *const argv[] = {"sh", "-c",
                          "read line; printf 'svg:%s' \"$line\" >&3; printf png >&4; "
                          "echo out; echo err >&2",
                          NULL};
    nd_proc_opts o = {.stdin_text = "hello\n", .stdin_len = 6, .nfds = 2, .timeout_ms = 10000};
    nd_proc_result r;
    nd_error err;
    CHECK_INT(nd_proc_run("/bin/sh", argv, &o, &r, &err), ND_OK);
    CHECK_INT(r.exit_code, 0);
    CHECK_STR(nd_sb_str(&r.out[3]), "svg:hello");
    CHECK_STR(nd_sb_str(&r.out[4]), "png");
    CHECK_STR(nd_sb_str(&r.out[1]), "out\n");
    CHECK_STR(nd_sb_str(&r.out[2]), "err\n");
    nd_proc_result_free(&r);

    /* without stdin_text the child reads /dev/null; fds past nfds are not open */
    char *const argv2[] = {"sh", "-c",
                           "cat; echo to-err >&2; { echo x >&3; } 2>/dev/null || echo closed",
                           NULL};
    nd_proc_opts o2 = {.merge_stderr = 1, .timeout_ms = 10000};
    CHECK_INT(nd_proc_run("/bin/sh", argv2, &o2, &r, &err), ND_OK);
    CHECK_INT(r.exit_code, 0);
    CHECK_STR(nd_sb_str(&r.out[1]), "to-err\nclosed\n");
    CHECK_INT(r.out[2].len, 0);
    nd_proc_result_free(&r);
}

TEST(proc_exit_status_and_signal)
{
    char *const argv[] = {"sh", "-c", "echo bad >&2; exit 3", NULL};
    nd_proc_opts o = {.timeout_ms = 10000};
    nd_proc_result r;
    nd_error err;
    CHECK_INT(nd_proc_run("/bin/sh", argv, &o, &r, &err), ND_OK);
    CHECK_INT(r.exit_code, 3);
    CHECK_INT(r.signal, 0);
    CHECK_STR(nd_sb_str(&r.out[2]), "bad\n");
    nd_proc_result_free(&r);

    char *const argv2[] = {"sh", "-c", "kill -9 $$", NULL};
    CHECK_INT(nd_proc_run("/bin/sh", argv2, &o, &r, &err), ND_OK);
    CHECK_INT(r.exit_code, -1);
    CHECK_INT(r.signal, 9);
    CHECK(!r.timed_out);
    nd_proc_result_free(&r);

    /* exits without reading a large input: EPIPE, not a SIGPIPE death of this process */
    size_t len = 1 << 20;
    char *big = malloc(len);
    memset(big, 'x', len);
    char *const argv3[] = {"sh", "-c", "exit 0", NULL};
    nd_proc_opts o3 = {.stdin_text = big, .stdin_len = len, .timeout_ms = 10000};
    CHECK_INT(nd_proc_run("/bin/sh", argv3, &o3, &r, &err), ND_OK);
    CHECK_INT(r.exit_code, 0);
    nd_proc_result_free(&r);
    free(big);
    CHECK_INT(nd_test_zombie_children(), 0);
}

/* The limit kills the whole group: a grandchild holding the pipes open goes too. */
TEST(proc_timeout_kills_a_grandchild_too)
{
    char dir[64], script[400];
    CHECK_INT(nd_tempdir_make(dir), 0);
    snprintf(script, sizeof script,
             "echo $$ > %s/main.pid; /bin/sleep 30 & echo $! > %s/child.pid; wait", dir, dir);
    char *const argv[] = {"sh", "-c", script, NULL};
    nd_proc_opts o = {.timeout_ms = 300};
    nd_proc_result r;
    nd_error err;
    CHECK_INT(nd_proc_run("/bin/sh", argv, &o, &r, &err), ND_OK);
    CHECK(r.timed_out);
    CHECK_INT(r.signal, 9);
    long main_pid = read_pid(dir, "main.pid"), child_pid = read_pid(dir, "child.pid");
    CHECK(main_pid > 0 && child_pid > 0);
    CHECK(nd_test_process_gone(main_pid));
    for (int i = 0; i < 100 && !nd_test_process_gone(child_pid); i++) usleep(10000);
    CHECK(nd_test_process_gone(child_pid));
    nd_proc_result_free(&r);

    /* the pipes closed but the program lingers: still killed at the limit */
    char *const argv2[] = {"sh", "-c", "exec >/dev/null 2>&1; /bin/sleep 30", NULL};
    CHECK_INT(nd_proc_run("/bin/sh", argv2, &o, &r, &err), ND_OK);
    CHECK(r.timed_out);
    nd_proc_result_free(&r);
    CHECK_INT(nd_test_zombie_children(), 0);
    nd_tempdir_remove(dir);
}

/* The program is gone but a background job it started holds the pipes: the job is killed
   at once, not waited for until the limit (a gnuplot killed half-way must not hang). */
TEST(proc_exited_program_does_not_wait_for_its_background_job)
{
    char dir[64], script[300];
    CHECK_INT(nd_tempdir_make(dir), 0);
    snprintf(script, sizeof script,
             "/bin/sleep 30 & echo $! > %s/child.pid; echo bye; kill -9 $$", dir);
    char *const argv[] = {"sh", "-c", script, NULL};
    nd_proc_opts o = {.timeout_ms = 10000};
    nd_proc_result r;
    nd_error err;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_INT(nd_proc_run("/bin/sh", argv, &o, &r, &err), ND_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
    CHECK(secs < 2);
    CHECK(!r.timed_out);
    CHECK_INT(r.signal, 9);
    CHECK_STR(nd_sb_str(&r.out[1]), "bye\n");
    long child_pid = read_pid(dir, "child.pid");
    CHECK(child_pid > 0);
    for (int i = 0; i < 100 && !nd_test_process_gone(child_pid); i++) usleep(10000);
    CHECK(nd_test_process_gone(child_pid));
    nd_proc_result_free(&r);

    /* a normal exit whose job lingers with the pipes: the same, and the output is kept */
    snprintf(script, sizeof script, "/bin/sleep 30 & echo done; exit 3");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_INT(nd_proc_run("/bin/sh", argv, &o, &r, &err), ND_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
    CHECK(secs < 2);
    CHECK_INT(r.exit_code, 3);
    CHECK_STR(nd_sb_str(&r.out[1]), "done\n");
    nd_proc_result_free(&r);
    CHECK_INT(nd_test_zombie_children(), 0);
    nd_tempdir_remove(dir);
}

/* The child gets a process group of its own, away from an interrupt aimed at ours. */
TEST(proc_runs_in_its_own_process_group)
{
    char *const argv[] = {"sh", "-c", "cut -d' ' -f5 /proc/$$/stat", NULL};
    nd_proc_opts o = {.timeout_ms = 10000};
    nd_proc_result r;
    nd_error err;
    CHECK_INT(nd_proc_run("/bin/sh", argv, &o, &r, &err), ND_OK);
    long pgid = atol(nd_sb_str(&r.out[1]));
    CHECK(pgid > 0);
    CHECK(pgid != (long)getpgrp());
    nd_proc_result_free(&r);
}

TEST(proc_missing_program_is_a_clear_error)
{
    char dir[64];
    CHECK_INT(nd_tempdir_make(dir), 0);
    char *const argv[] = {"nosuch", NULL};
    nd_proc_opts o = {.timeout_ms = 10000};
    nd_proc_result r;
    nd_error err;
    char path[128];
    nd_tempdir_path(path, sizeof path, dir, "nosuch");
    CHECK_INT(nd_proc_run(path, argv, &o, &r, &err), ND_EIO);
    CHECK_CONTAINS(err.msg, "nosuch is not installed");
    nd_proc_result_free(&r);

    char *old = nd_test_set_path(dir);
    CHECK(nd_proc_find("nosuch") == NULL);
    CHECK_INT(nd_proc_run("nosuch", argv, &o, &r, &err), ND_EIO);
    CHECK_STR(err.msg, "nosuch is not installed (no 'nosuch' on PATH)");
    nd_proc_result_free(&r);

    /* found on PATH by bare name; a file without execute permission is not a program */
    nd_test_fake_program(dir, "nosuch", "echo found");
    char *found = nd_proc_find("nosuch");
    CHECK_STR(found, path);
    free(found);
    CHECK_INT(nd_proc_run("nosuch", argv, &o, &r, &err), ND_OK);
    CHECK_STR(nd_sb_str(&r.out[1]), "found\n");
    nd_proc_result_free(&r);
    nd_test_restore_path(old);

    char plain[128];
    nd_tempdir_path(plain, sizeof plain, dir, "plain");
    nd_tempdir_write(plain, "not a program");
    CHECK_INT(nd_proc_run(plain, argv, &o, &r, &err), ND_EIO);
    CHECK_CONTAINS(err.msg, "cannot run nosuch (");
    CHECK_CONTAINS(err.msg, "Permission denied");
    nd_proc_result_free(&r);
    CHECK_INT(nd_test_zombie_children(), 0);
    nd_tempdir_remove(dir);
}

TEST(proc_output_limit)
{
    char *const argv[] = {"sh", "-c", "head -c 100000 /dev/zero; echo done >&2", NULL};
    nd_proc_opts o = {.timeout_ms = 10000, .max_output = 1000};
    nd_proc_result r;
    nd_error err;
    CHECK_INT(nd_proc_run("/bin/sh", argv, &o, &r, &err), ND_OK);
    CHECK(r.overflow);
    CHECK_INT(r.exit_code, 0);                 /* drained to the end, the rest dropped */
    CHECK_INT(r.out[1].len, 1000);
    CHECK_STR(nd_sb_str(&r.out[2]), "done\n");
    nd_proc_result_free(&r);

    char *const argv2[] = {"sh", "-c", "while :; do echo runaway; done", NULL};
    o.stop_on_overflow = 1;
    CHECK_INT(nd_proc_run("/bin/sh", argv2, &o, &r, &err), ND_OK);
    CHECK(r.overflow && !r.timed_out);
    CHECK_INT(r.signal, 9);
    nd_proc_result_free(&r);
    CHECK_INT(nd_test_zombie_children(), 0);
}
