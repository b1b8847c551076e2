/* gnuplot as a child process.
   - No shell: the program is looked up on PATH here and started with execv, so nothing in
     a figure can reach a command line.
   - Own process group (setpgid): a Jupyter interrupt signals the kernel's whole process
     group with SIGINT; gnuplot must not die of it half-way through an image. A render is
     short and bounded by the time limit, so the interrupt is simply noticed by the
     interpreter at its next safe point after the figure is done.
   - Pipes for everything (script in, stderr, SVG on fd 3, PNG on fd 4) served by one poll
     loop, so a large script or a chatty stderr can never deadlock, and no temporary file
     can be left behind.
   - SIGPIPE is blocked in this thread while writing, so a gnuplot that dies early shows up
     as EPIPE rather than killing the kernel. */
#define _GNU_SOURCE
#include "gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../base/strbuf.h"

#define MAX_OUTPUT ((size_t)256 << 20)   /* a figure is never this big; stop a runaway */

enum { IN, ERR, FD3, FD4, NSTREAMS };

typedef struct child {
    pid_t pid;
    int fd[NSTREAMS];        /* parent ends; -1 once closed */
    nd_sb buf[NSTREAMS];     /* buf[IN] unused */
    const char *script;
    size_t script_len, written;
    int timeout_ms;
} child;

/* The first executable "gnuplot" in the directories of PATH, or NULL. */
static char *find_on_path(const char *name)
{
    const char *path = getenv("PATH");
    if (!path) path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path;; ) {
        size_t len = strcspn(p, ":");
        nd_sb sb;
        nd_sb_init(&sb);
        if (len) nd_sb_putn(&sb, p, len);
        else nd_sb_putc(&sb, '.');   /* an empty PATH entry means the current directory */
        nd_sb_printf(&sb, "/%s", name);
        char *full = nd_sb_take(&sb);
        struct stat st;
        if (full && stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0)
            return full;
        free(full);
        if (!p[len]) return NULL;
        p += len + 1;
    }
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_fd(int *fd)
{
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

/* Moves fd to a number >= 10 (close-on-exec), so the child's dup2 onto 0..5 cannot
   overwrite another source descriptor. */
static int lift(int fd)
{
    int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    close(fd);
    return high;
}

/* In the child: only async-signal-safe calls until exec (the kernel has other threads). */
static void exec_child(const char *path, const int src[6])
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    setpgid(0, 0);
    for (int target = 0; target < 6; target++)
        if (dup2(src[target], target) < 0) _exit(127);
    fcntl(5, F_SETFD, FD_CLOEXEC);
    if (close_range(6, ~0U, 0) != 0)
        for (int fd = 6; fd < 1024; fd++) close(fd);
    char *const argv[] = {"gnuplot", "-d", NULL};
    execv(path, argv);
    int e = errno;
    ssize_t w = write(5, &e, sizeof e);
    (void)w;
    _exit(127);
}

/* Starts gnuplot; returns 0, or -1 with err set (the child, if any, is reaped). */
static int start(child *c, const char *path, nd_error *err)
{
    int in[2] = {-1, -1}, er[2] = {-1, -1}, o3[2] = {-1, -1}, o4[2] = {-1, -1},
        ex[2] = {-1, -1};
    int nul = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (nul < 0 || pipe2(in, O_CLOEXEC) || pipe2(er, O_CLOEXEC) || pipe2(o3, O_CLOEXEC) ||
        pipe2(o4, O_CLOEXEC) || pipe2(ex, O_CLOEXEC)) {
        nd_error_fail(err, ND_EIO, "cannot start gnuplot: %s", strerror(errno));
        int *all[] = {&nul, &in[0], &in[1], &er[0], &er[1], &o3[0], &o3[1], &o4[0], &o4[1],
                      &ex[0], &ex[1]};
        for (size_t i = 0; i < sizeof all / sizeof *all; i++) close_fd(all[i]);
        return -1;
    }
    int src[6] = {lift(in[0]), lift(nul), lift(er[1]), lift(o3[1]), lift(o4[1]), lift(ex[1])};
    c->pid = fork();
    if (c->pid == 0) exec_child(path, src);
    int fork_errno = errno;
    for (int i = 0; i < 6; i++) close(src[i]);
    c->fd[IN] = in[1];
    c->fd[ERR] = er[0];
    c->fd[FD3] = o3[0];
    c->fd[FD4] = o4[0];
    if (c->pid < 0) {
        close(ex[0]);
        nd_error_fail(err, ND_EIO, "cannot start gnuplot: %s", strerror(fork_errno));
        return -1;
    }
    setpgid(c->pid, c->pid);   /* also here: whichever runs first, the group exists */
    int exec_errno = 0;
    ssize_t got;
    do got = read(ex[0], &exec_errno, sizeof exec_errno);
    while (got < 0 && errno == EINTR);
    close(ex[0]);
    if (got == (ssize_t)sizeof exec_errno) {
        while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR) {}
        c->pid = -1;
        nd_error_fail(err, ND_EIO, "cannot run gnuplot (%s): %s", path, strerror(exec_errno));
        return -1;
    }
    fcntl(c->fd[IN], F_SETFL, fcntl(c->fd[IN], F_GETFL) | O_NONBLOCK);
    return 0;
}

static void kill_group(pid_t pid)
{
    if (kill(-pid, SIGKILL) != 0) kill(pid, SIGKILL);
}

/* Feeds the script and collects the outputs until every pipe is closed or time is up;
   0 when done, -1 on timeout or runaway output (err set). */
static int pump(child *c, long long deadline, nd_error *err)
{
    for (;;) {
        struct pollfd pf[NSTREAMS];
        int map[NSTREAMS], n = 0;
        for (int s = 0; s < NSTREAMS; s++) {
            if (c->fd[s] < 0) continue;
            pf[n] = (struct pollfd){c->fd[s], s == IN ? POLLOUT : POLLIN, 0};
            map[n++] = s;
        }
        if (n == 0) return 0;
        long long left = deadline - now_ms();
        if (left <= 0) {
            nd_error_fail(err, ND_EIO, "gnuplot did not finish within %g s and was stopped",
                          c->timeout_ms / 1000.0);
            return -1;
        }
        int r = poll(pf, (nfds_t)n, (int)(left > 1000 ? 1000 : left));
        if (r < 0 && errno != EINTR) {
            nd_error_fail(err, ND_EIO, "waiting for gnuplot: %s", strerror(errno));
            return -1;
        }
        for (int i = 0; r > 0 && i < n; i++) {
            int s = map[i];
            if (!pf[i].revents) continue;
            if (s == IN) {
                ssize_t w = write(c->fd[IN], c->script + c->written, c->script_len - c->written);
                if (w > 0) c->written += (size_t)w;
                else if (w < 0 && errno != EAGAIN && errno != EINTR) close_fd(&c->fd[IN]);
                if (c->written == c->script_len) close_fd(&c->fd[IN]);
                continue;
            }
            char chunk[65536];
            ssize_t got = read(c->fd[s], chunk, sizeof chunk);
            if (got > 0) nd_sb_putn(&c->buf[s], chunk, (size_t)got);
            else if (got == 0 || (errno != EAGAIN && errno != EINTR)) close_fd(&c->fd[s]);
            if (c->buf[s].len > MAX_OUTPUT || c->buf[s].oom) {
                nd_error_fail(err, ND_EIO, "gnuplot produced too much output");
                return -1;
            }
        }
    }
}

/* Waits for the exit until the deadline, then kills; returns the wait status or -1. */
static int reap(pid_t pid, long long deadline)
{
    int status;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) return status;
        if (r < 0 && errno != EINTR) return -1;
        if (now_ms() >= deadline) {
            kill_group(pid);
            while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR) return -1;
            return -1;
        }
        nanosleep(&(struct timespec){0, 2000000}, NULL);
    }
}

/* gnuplot reports "line N: message" under an echo of the command; that line says most. */
static void first_error_line(const char *text, char *out, size_t cap)
{
    const char *best = NULL;
    size_t best_len = 0;
    for (const char *p = text; *p; ) {
        size_t len = strcspn(p, "\n");
        const char *q = p;
        while (q < p + len && (*q == ' ' || *q == '\t')) q++;
        size_t qlen = (size_t)(p + len - q);
        int numbered = strncmp(q, "line ", 5) == 0 && q[5] >= '0' && q[5] <= '9';
        if (qlen && (numbered || !best) && strncmp(q, "gnuplot>", 8) != 0 && *q != '^') {
            best = q;
            best_len = qlen;
            if (numbered) break;
        }
        p += len + (p[len] == '\n');
    }
    if (best_len >= cap) best_len = cap - 1;
    memcpy(out, best ? best : "", best_len);
    out[best_len] = '\0';
}

static nd_status judge(const child *c, int status, nd_error *err)
{
    char line[400];
    first_error_line(nd_sb_str(&c->buf[ERR]), line, sizeof line);
    if (status < 0) return nd_error_fail(err, ND_EIO, "gnuplot did not finish and was stopped");
    if (WIFSIGNALED(status))
        return nd_error_fail(err, ND_EIO, "gnuplot was killed by signal %d%s%s",
                             WTERMSIG(status), *line ? ": " : "", line);
    if (WEXITSTATUS(status) != 0)
        return nd_error_fail(err, ND_EIO, "gnuplot failed: %s",
                             *line ? line : "it exited with an error and no message");
    if (c->buf[FD3].len == 0 || c->buf[FD4].len == 0)
        return nd_error_fail(err, ND_EIO, "gnuplot produced no image%s%s",
                             *line ? ": " : "", line);
    return ND_OK;
}

nd_status nd_fig_gnuplot(const char *script, int timeout_ms, nd_fig_output *out, nd_error *err)
{
    memset(out, 0, sizeof *out);
    char *path = find_on_path("gnuplot");
    if (!path)
        return nd_error_fail(err, ND_EIO,
                             "gnuplot is not installed (no 'gnuplot' on PATH): "
                             "apt-get install gnuplot-nox");
    child c = {.pid = -1, .fd = {-1, -1, -1, -1}, .script = script,
               .script_len = strlen(script), .timeout_ms = timeout_ms};
    for (int s = 0; s < NSTREAMS; s++) nd_sb_init(&c.buf[s]);
    sigset_t pipe_set, old_mask, pending;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigpending(&pending);
    int pipe_was_pending = sigismember(&pending, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);

    long long deadline = now_ms() + timeout_ms;
    nd_status st = ND_EIO;
    if (start(&c, path, err) == 0) {
        int pumped = pump(&c, deadline, err);
        if (pumped != 0) kill_group(c.pid);
        int status = reap(c.pid, deadline);
        if (pumped == 0) st = judge(&c, status, err);
    }
    for (int s = 0; s < NSTREAMS; s++) close_fd(&c.fd[s]);

    sigpending(&pending);
    if (!pipe_was_pending && sigismember(&pending, SIGPIPE))
        sigtimedwait(&pipe_set, NULL, &(struct timespec){0, 0});
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    free(path);
    if (st == ND_OK) {
        out->fd3_len = c.buf[FD3].len;
        out->fd3 = nd_sb_take(&c.buf[FD3]);
        out->fd4_len = c.buf[FD4].len;
        out->fd4 = nd_sb_take(&c.buf[FD4]);
    }
    for (int s = 0; s < NSTREAMS; s++) nd_sb_free(&c.buf[s]);
    return st;
}

void nd_fig_output_free(nd_fig_output *out)
{
    free(out->fd3);
    free(out->fd4);
    memset(out, 0, sizeof *out);
}
