/* Running a program without a shell (gnuplot for figures, cc for native code).
   - No shell: the program is resolved here and started with execv, its argv fixed by the
     caller, so no text of the user's can reach a command line.
   - Own process group (setpgid in both parent and child, whichever runs first): a Jupyter
     interrupt signals the kernel's whole group with SIGINT, and a child must not die of it
     half-way; the time limit then kills the whole group, so helpers the program started
     (cc1, as, ld, a shell's background job) go with it.
   - Pipes for everything, served by one poll loop that feeds stdin and drains every output
     at once: a large input or a chatty stderr can never deadlock, and no temporary file
     can be left behind.
   - SIGPIPE is blocked in this thread while the child runs, so a child that exits before
     reading its input shows up as EPIPE rather than killing the kernel.
   - An exec failure comes back through a close-on-exec pipe, so "not installed" or "not
     executable" is an error message, not an exit status 127 to guess from.
   - When the child itself has exited, what is left of its group (a background job still
     holding the pipes open) is killed at once, rather than waited for until the limit.
   - The child is always reaped, on every path. */
#define _GNU_SOURCE
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The child's descriptors 0 .. 3 + nfds (the last one reports an exec failure), by index. */
enum { NSTREAMS = 3 + ND_PROC_MAX_FDS, NTARGETS_MAX = NSTREAMS + 1 };

/* The child's dup2 onto its targets must not overwrite another of its sources: every
   source is lifted to this number or above (this also covers a parent running with
   0..2 closed, where pipe2 would hand out those numbers). */
enum { LIFT_MIN = 16 };
_Static_assert((int)NTARGETS_MAX <= (int)LIFT_MIN, "sources must sit above every target fd");

char *nd_proc_find(const char *name)
{
    const char *path = getenv("PATH");
    if (!path) path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path;;) {
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

void nd_proc_result_free(nd_proc_result *r)
{
    for (int s = 0; s < NSTREAMS; s++) nd_sb_free(&r->out[s]);
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

/* Moves fd to LIFT_MIN or above, close-on-exec; -1 (errno kept) when fd is -1 or on
   failure. */
static int lift(int fd)
{
    if (fd < 0) return -1;
    int high = fcntl(fd, F_DUPFD_CLOEXEC, LIFT_MIN);
    int e = errno;
    close(fd);
    errno = e;
    return high;
}

/* In the child: async-signal-safe calls only until exec (other threads of the parent may
   have held locks at the fork). src[t] becomes fd t for t < ntargets; the last target
   carries an exec failure's errno back to the parent. */
static void exec_child(const char *path, char *const argv[], const int src[], int ntargets)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);   /* the parent's blocked SIGPIPE is not its own */
    setpgid(0, 0);
    for (int t = 0; t < ntargets; t++)
        if (dup2(src[t], t) < 0) _exit(127);
    int report = ntargets - 1;
    fcntl(report, F_SETFD, FD_CLOEXEC);      /* closed by a successful exec: EOF = started */
    if (close_range((unsigned)ntargets, ~0U, 0) != 0)
        for (int fd = ntargets; fd < 1024; fd++) close(fd);
    execv(path, argv);
    int e = errno;
    ssize_t w = write(report, &e, sizeof e);
    (void)w;
    _exit(127);
}

/* Kills the child's whole group (the child alone should the group not exist yet). Only
   before the child is reaped: its pid, and so the group's id, cannot be reused until then. */
static void kill_group(pid_t pid)
{
    if (kill(-pid, SIGKILL) != 0) kill(pid, SIGKILL);
}

typedef struct run {
    pid_t pid;
    int fd[NSTREAMS];     /* parent ends by the child's fd: [0] its stdin; -1 when closed */
    size_t written;       /* of the stdin text */
    nd_status failure;    /* why pump gave up with PUMP_FAILED */
} run;

/* Starts the child; ND_OK, or ND_EIO with err set and nothing left open or unreaped. */
static nd_status start(run *p, const char *path, char *const argv[], const nd_proc_opts *o,
                       const char *name, nd_error *err)
{
    int ntargets = 3 + o->nfds + 1;
    int src[NTARGETS_MAX], report = -1, fail_errno = 0;
    for (int t = 0; t < NTARGETS_MAX; t++) src[t] = -1;
    for (int t = 0; t < ntargets && !fail_errno; t++) {
        int pp[2] = {-1, -1};
        if (t == 0 && !o->stdin_text) {
            src[0] = lift(open("/dev/null", O_RDONLY | O_CLOEXEC));
        } else if (t == 2 && o->merge_stderr) {
            continue;                          /* shares stdout's pipe, set below */
        } else if (pipe2(pp, O_CLOEXEC) == 0) {
            int reads = t == 0;                /* the child reads stdin, writes the rest */
            src[t] = lift(pp[reads ? 0 : 1]);
            if (t == ntargets - 1) report = pp[0];
            else p->fd[t] = pp[reads ? 1 : 0];
        }
        if (src[t] < 0) fail_errno = errno ? errno : EMFILE;
    }
    if (!fail_errno) {
        if (o->merge_stderr) src[2] = src[1];
        p->pid = fork();
        if (p->pid == 0) exec_child(path, argv, src, ntargets);
        if (p->pid < 0) fail_errno = errno;
    }
    for (int t = 0; t < ntargets; t++)
        if (!(t == 2 && o->merge_stderr)) close_fd(&src[t]);
    if (fail_errno) {
        close_fd(&report);
        for (int s = 0; s < NSTREAMS; s++) close_fd(&p->fd[s]);
        p->pid = -1;
        return nd_error_fail(err, ND_EIO, "cannot start %s: %s", name, strerror(fail_errno));
    }
    setpgid(p->pid, p->pid);   /* also here: whichever runs first, the group exists */
    int exec_errno = 0;
    ssize_t got;
    do got = read(report, &exec_errno, sizeof exec_errno);
    while (got < 0 && errno == EINTR);
    close(report);
    if (got == (ssize_t)sizeof exec_errno) {
        while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR) {}
        p->pid = -1;
        for (int s = 0; s < NSTREAMS; s++) close_fd(&p->fd[s]);
        if (exec_errno == ENOENT)
            return nd_error_fail(err, ND_EIO, "%s is not installed (no %s)", name, path);
        return nd_error_fail(err, ND_EIO, "cannot run %s (%s): %s", name, path,
                             strerror(exec_errno));
    }
    /* a child that stops reading must not block this thread in write() */
    if (p->fd[0] >= 0) fcntl(p->fd[0], F_SETFL, fcntl(p->fd[0], F_GETFL) | O_NONBLOCK);
    return ND_OK;
}

enum { PUMP_DONE, PUMP_LATE, PUMP_OVERFLOW, PUMP_FAILED };

/* Appends got bytes to output s, keeping at most max_output. */
static void keep(nd_proc_result *r, int s, const char *chunk, size_t got, size_t max)
{
    size_t len = r->out[s].len;
    if (max && got > (len < max ? max - len : 0)) {
        got = len < max ? max - len : 0;
        r->overflow = 1;
    }
    if (got) nd_sb_putn(&r->out[s], chunk, got);
}

/* Whether the child has exited, without reaping it (so its group id stays its own). */
static int child_exited(pid_t pid)
{
    siginfo_t si;
    si.si_pid = 0;
    return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid;
}

/* How often pump looks whether the child exited while its pipes stay open. */
enum { EXIT_CHECK_MS = 20 };

/* Feeds stdin and drains every output until all the pipes are closed (PUMP_DONE), time is
   up (PUMP_LATE), an output overflows with stop_on_overflow (PUMP_OVERFLOW), or polling or
   memory fails (PUMP_FAILED, err set). Once the child has exited, the rest of its group
   (which alone can still hold the pipes open) is killed, and the pipes drain to their end. */
static int pump(run *p, const nd_proc_opts *o, nd_proc_result *r, long long deadline,
                const char *name, nd_error *err)
{
    int group_killed = 0;
    for (;;) {
        struct pollfd pf[NSTREAMS];
        int map[NSTREAMS], n = 0;
        for (int s = 0; s < NSTREAMS; s++) {
            if (p->fd[s] < 0) continue;
            pf[n] = (struct pollfd){p->fd[s], s == 0 ? POLLOUT : POLLIN, 0};
            map[n++] = s;
        }
        if (n == 0) return PUMP_DONE;
        long long left = deadline - now_ms();
        if (left <= 0) return PUMP_LATE;
        if (!group_killed && child_exited(p->pid)) {
            kill_group(p->pid);
            group_killed = 1;
        }
        if (!group_killed && left > EXIT_CHECK_MS) left = EXIT_CHECK_MS;
        int k = poll(pf, (nfds_t)n, left > INT_MAX ? INT_MAX : (int)left);
        if (k < 0 && errno != EINTR) {
            p->failure = nd_error_fail(err, ND_EIO, "waiting for %s: %s", name,
                                       strerror(errno));
            return PUMP_FAILED;
        }
        for (int i = 0; k > 0 && i < n; i++) {
            int s = map[i];
            if (!pf[i].revents) continue;
            if (s == 0) {   /* EPIPE and the like: the child will not read the rest */
                ssize_t w = write(p->fd[0], o->stdin_text + p->written,
                                  o->stdin_len - p->written);
                if (w > 0) p->written += (size_t)w;
                else if (w < 0 && errno != EAGAIN && errno != EINTR) close_fd(&p->fd[0]);
                if (p->written == o->stdin_len) close_fd(&p->fd[0]);
                continue;
            }
            char chunk[65536];
            ssize_t got = read(p->fd[s], chunk, sizeof chunk);
            if (got > 0) keep(r, s, chunk, (size_t)got, o->max_output);
            else if (got == 0 || (errno != EAGAIN && errno != EINTR)) close_fd(&p->fd[s]);
            if (r->out[s].oom) {
                p->failure = nd_error_fail(err, ND_ENOMEM, "out of memory for the output of %s",
                                           name);
                return PUMP_FAILED;
            }
            if (r->overflow && o->stop_on_overflow) return PUMP_OVERFLOW;
        }
    }
}

/* Waits for the child, blocking; 0 with its status, or -1 when waitpid fails (the
   process was reaped elsewhere, e.g. with SIGCHLD ignored). */
static int wait_child(pid_t pid, int *status)
{
    while (waitpid(pid, status, 0) < 0)
        if (errno != EINTR) return -1;
    return 0;
}

/* Waits for the exit until the deadline, then kills the group (*late set); 0 with the
   wait status, or -1. Polls rather than blocks: waitpid has no timeout. */
static int reap(pid_t pid, long long deadline, int *status, int *late)
{
    if (deadline == LLONG_MAX) return wait_child(pid, status);
    for (;;) {
        pid_t w = waitpid(pid, status, WNOHANG);
        if (w == pid) return 0;
        if (w < 0 && errno != EINTR) return -1;
        if (now_ms() >= deadline) {
            *late = 1;
            kill_group(pid);
            return wait_child(pid, status);
        }
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
}

nd_status nd_proc_run(const char *path, char *const argv[], const nd_proc_opts *o,
                      nd_proc_result *r, nd_error *err)
{
    memset(r, 0, sizeof *r);
    r->exit_code = -1;
    for (int s = 0; s < NSTREAMS; s++) nd_sb_init(&r->out[s]);
    const char *name = argv && argv[0] ? argv[0] : path;
    if (strrchr(name, '/')) name = strrchr(name, '/') + 1;
    if (o->nfds < 0 || o->nfds > ND_PROC_MAX_FDS)
        return nd_error_fail(err, ND_EINTERNAL, "%d output pipes asked for %s (at most %d)",
                             o->nfds, name, ND_PROC_MAX_FDS);
    char *found = NULL;
    if (!strchr(path, '/')) {
        if (!(found = nd_proc_find(path)))
            return nd_error_fail(err, ND_EIO, "%s is not installed (no '%s' on PATH)", name,
                                 path);
        path = found;
    }

    /* SIGPIPE from a write to a child that quit is this thread's; one that was pending
       before is someone else's and stays */
    sigset_t pipe_set, old_mask, pending;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigpending(&pending);
    int pipe_was_pending = sigismember(&pending, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);

    long long deadline = o->timeout_ms > 0 ? now_ms() + o->timeout_ms : LLONG_MAX;
    run p = {.pid = -1};
    for (int s = 0; s < NSTREAMS; s++) p.fd[s] = -1;
    nd_status st = start(&p, path, argv, o, name, err);
    if (st == ND_OK) {
        int pumped = pump(&p, o, r, deadline, name, err);
        int status = 0, late = pumped == PUMP_LATE, waited;
        if (pumped == PUMP_DONE) {
            waited = reap(p.pid, deadline, &status, &late);
        } else {
            kill_group(p.pid);
            waited = wait_child(p.pid, &status);
        }
        for (int s = 0; s < NSTREAMS; s++) close_fd(&p.fd[s]);
        r->timed_out = late;
        if (waited == 0 && WIFEXITED(status)) r->exit_code = WEXITSTATUS(status);
        if (waited == 0 && WIFSIGNALED(status)) r->signal = WTERMSIG(status);
        if (pumped == PUMP_FAILED) st = p.failure;
    }

    sigpending(&pending);
    if (!pipe_was_pending && sigismember(&pending, SIGPIPE))
        sigtimedwait(&pipe_set, NULL, &(struct timespec){0, 0});
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    free(found);
    return st;
}
