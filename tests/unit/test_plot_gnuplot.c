/* lib/plot: running gnuplot — missing, failing, hanging or killed, always reaped, no
   files left behind. Fake "gnuplot" scripts on PATH stand in for the misbehaving cases. */
#include "test.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../lib/plot/figure.h"
#include "../../lib/plot/gnuplot.h"
#include "proc_util.h"
#include "tempdir.h"

static int empty_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    if (d) closedir(d);
    return n == 0;
}

static long read_pid(const char *dir, const char *name)
{
    char path[160];
    char *text = nd_tempdir_read(nd_tempdir_path(path, sizeof path, dir, name));
    long pid = text ? atol(text) : 0;
    free(text);
    return pid;
}

TEST(gnuplot_runs_and_returns_both_outputs)
{
    nd_fig_output out;
    nd_error err;
    const char *script = "set terminal svg size 200,100\nset output '/dev/fd/3'\nplot x\n"
                         "unset output\nset terminal pngcairo size 200,100\n"
                         "set output '/dev/fd/4'\nplot x\nunset output\n";
    CHECK_INT(nd_fig_gnuplot(script, 20000, 1, &out, &err), ND_OK);
    CHECK_CONTAINS(out.fd3, "<svg");
    CHECK(out.fd4_len > 8 && memcmp(out.fd4, "\x89PNG\r\n\x1a\n", 8) == 0);
    nd_fig_output_free(&out);
    CHECK(out.fd3 == NULL);
    CHECK_INT(nd_test_zombie_children(), 0);
}

TEST(gnuplot_error_reports_its_message)
{
    nd_fig_output out;
    nd_error err;
    CHECK_INT(nd_fig_gnuplot("set terminal svg\nset output '/dev/fd/3'\nplot $nosuch\n", 20000,
                             1, &out, &err), ND_EIO);
    CHECK_STR(err.msg, "gnuplot failed: line 0: no datablock named $nosuch");
    CHECK(out.fd3 == NULL && out.fd4 == NULL);
    CHECK_INT(nd_test_zombie_children(), 0);
}

TEST(gnuplot_without_image_is_an_error)
{
    nd_fig_output out;
    nd_error err;
    CHECK_INT(nd_fig_gnuplot("print 1\n", 20000, 1, &out, &err), ND_EIO);
    CHECK_CONTAINS(err.msg, "gnuplot produced no image");
}

/* A large script is fed while the outputs are drained: no pipe deadlock. */
TEST(gnuplot_large_script_and_chatty_stderr)
{
    char *script = malloc(4 << 20);
    size_t len = 0;
    len += (size_t)sprintf(script + len, "$d << EOD\n");
    for (int i = 0; i < 100000; i++) len += (size_t)sprintf(script + len, "%d %d\n", i, i % 17);
    len += (size_t)sprintf(script + len, "EOD\n");
    for (int i = 0; i < 3000; i++)
        len += (size_t)sprintf(script + len, "print 'noise on stderr, line %d'\n", i);
    sprintf(script + len, "set terminal svg\nset output '/dev/fd/3'\nplot $d every 100 w l\n"
                          "unset output\nset terminal pngcairo\nset output '/dev/fd/4'\n"
                          "plot $d every 100 w l\nunset output\n");
    nd_fig_output out;
    nd_error err;
    CHECK_INT(nd_fig_gnuplot(script, 20000, 1, &out, &err), ND_OK);
    nd_fig_output_free(&out);
    free(script);
}

TEST(gnuplot_missing_is_a_clear_error)
{
    char dir[64];
    nd_tempdir_make(dir);
    char *old = nd_test_set_path(dir);
    nd_figure *fig = nd_fig_create("t");
    int p = nd_fig_add_panel(fig, NULL, NULL);
    double y[2] = {1, 2};
    nd_fig_add_series(fig, p, NULL, NULL, y, 2, (nd_fig_style){0});
    nd_bundle *b = (nd_bundle *)1;
    nd_error err;
    nd_status st = nd_fig_render(fig, &b, &err);
    nd_test_restore_path(old);
    CHECK_INT(st, ND_EIO);
    CHECK(b == NULL);
    CHECK_STR(err.msg, "gnuplot is not installed (no 'gnuplot' on PATH): "
                       "apt-get install gnuplot-nox");
    nd_fig_free(fig);
    nd_tempdir_remove(dir);
}

TEST(gnuplot_fake_failure_and_crash)
{
    char dir[64], tmp[160];
    nd_tempdir_make(dir);
    nd_tempdir_path(tmp, sizeof tmp, dir, "tmp");
    mkdir(tmp, 0700);
    char *old_tmp = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
    setenv("TMPDIR", tmp, 1);
    char *old = nd_test_set_path(dir);
    nd_fig_output out;
    nd_error err;

    nd_test_fake_program(dir, "gnuplot",
                         "cat >/dev/null\necho '         ^' >&2\n"
                         "echo '         line 7: undefined variable: zzz' >&2\nexit 1");
    CHECK_INT(nd_fig_gnuplot("plot zzz\n", 5000, 1, &out, &err), ND_EIO);
    CHECK_STR(err.msg, "gnuplot failed: line 7: undefined variable: zzz");

    nd_test_fake_program(dir, "gnuplot", "echo 'dying' >&2\nkill -9 $$");
    CHECK_INT(nd_fig_gnuplot("plot x\n", 5000, 1, &out, &err), ND_EIO);
    CHECK_STR(err.msg, "gnuplot was killed by signal 9: dying");

    /* exits before reading its script: the write fails with EPIPE, not a SIGPIPE death */
    nd_test_fake_program(dir, "gnuplot", "exit 3");
    char *big = malloc(1 << 20);
    memset(big, '#', (1 << 20) - 1);
    big[(1 << 20) - 1] = '\0';
    CHECK_INT(nd_fig_gnuplot(big, 5000, 1, &out, &err), ND_EIO);
    CHECK_CONTAINS(err.msg, "gnuplot failed");
    free(big);

    nd_test_restore_path(old);
    if (old_tmp) setenv("TMPDIR", old_tmp, 1);
    else unsetenv("TMPDIR");
    free(old_tmp);
    CHECK(empty_dir(tmp));
    CHECK_INT(nd_test_zombie_children(), 0);
    nd_tempdir_remove(dir);
}

/* A hanging gnuplot, and a child it started, are killed at the time limit. */
TEST(gnuplot_timeout_kills_the_process_group)
{
    char dir[64], body[400];
    nd_tempdir_make(dir);
    snprintf(body, sizeof body,
             "echo $$ > %s/main.pid\nsleep 30 &\necho $! > %s/child.pid\nwait", dir, dir);
    nd_test_fake_program(dir, "gnuplot", body);
    char *old = nd_test_set_path(getenv("PATH"));
    char path[1200];
    snprintf(path, sizeof path, "%s:%s", dir, old ? old : "/usr/bin:/bin");
    setenv("PATH", path, 1);
    nd_fig_output out;
    nd_error err;
    nd_status st = nd_fig_gnuplot("plot x\n", 300, 1, &out, &err);
    nd_test_restore_path(old);
    CHECK_INT(st, ND_EIO);
    CHECK_STR(err.msg, "gnuplot did not finish within 0.3 s and was stopped");
    long main_pid = read_pid(dir, "main.pid"), child_pid = read_pid(dir, "child.pid");
    CHECK(main_pid > 0 && child_pid > 0);
    CHECK(nd_test_process_gone(main_pid));
    for (int i = 0; i < 100 && !nd_test_process_gone(child_pid); i++) usleep(10000);
    CHECK(nd_test_process_gone(child_pid));
    CHECK_INT(nd_test_zombie_children(), 0);
    nd_tempdir_remove(dir);
}

/* gnuplot runs in its own process group, so an interrupt aimed at the kernel's group
   does not reach it. */
TEST(gnuplot_runs_in_its_own_process_group)
{
    char dir[64], body[300];
    nd_tempdir_make(dir);
    snprintf(body, sizeof body,
             "cut -d' ' -f5 /proc/$$/stat > %s/pgid\ncat >/dev/null\n"
             "printf '<svg/>' >&3\nprintf png >&4", dir);
    nd_test_fake_program(dir, "gnuplot", body);
    char *old = nd_test_set_path(getenv("PATH"));
    char path[1200];
    snprintf(path, sizeof path, "%s:%s", dir, old ? old : "/usr/bin:/bin");
    setenv("PATH", path, 1);
    nd_fig_output out;
    nd_error err;
    nd_status st = nd_fig_gnuplot("plot x\n", 5000, 1, &out, &err);
    nd_test_restore_path(old);
    CHECK_INT(st, ND_OK);
    CHECK_STR(out.fd3, "<svg/>");
    long pgid = read_pid(dir, "pgid");
    CHECK(pgid > 0);
    CHECK(pgid != (long)getpgrp());
    nd_fig_output_free(&out);
    nd_tempdir_remove(dir);
}

TEST(gnuplot_svg_only_when_no_png_is_asked_for)
{
    const char *script = "set terminal svg\nset output '/dev/fd/3'\nplot x\nunset output\n";
    nd_fig_output out;
    nd_error err;
    CHECK_INT(nd_fig_gnuplot(script, 20000, 0, &out, &err), ND_OK);
    CHECK(out.fd3_len > 0 && strstr(out.fd3, "<svg") != NULL);
    CHECK_INT(out.fd4_len, 0);
    nd_fig_output_free(&out);
    CHECK_INT(nd_fig_gnuplot(script, 20000, 1, &out, &err), ND_EIO);
    CHECK_CONTAINS(err.msg, "gnuplot produced no image");
}
