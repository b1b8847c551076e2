/* HDF5 1.10 trusts sizes it reads from the file (global heap objects, variable-length
   string lengths), so a damaged file can crash it or overwrite memory. The reading is
   therefore done in a forked child that sends the recording (or the error) back through a
   pipe: a crash costs the child, and the caller gets an error naming the file. */
#include "nwb_impl.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../base/strbuf.h"

/* ---- the child's side: the recording as a byte stream ---- */

static int put(int fd, const void *p, size_t len)
{
    const char *c = p;
    while (len) {
        ssize_t w = write(fd, c, len);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        c += w;
        len -= (size_t)w;
    }
    return 0;
}

static int put_u64(int fd, uint64_t v) { return put(fd, &v, sizeof v); }

static int put_str(int fd, const char *s)
{
    size_t len = s ? strlen(s) : 0;
    return put_u64(fd, len) || put(fd, s ? s : "", len) ? -1 : 0;
}

/* Writes status, then the error message or the whole recording. */
static int send_result(int fd, const nd_recording *rec, const nd_error *err)
{
    if (!rec) return put_u64(fd, err->code ? (uint64_t)err->code : ND_EINTERNAL) ||
                     put_str(fd, err->msg);
    size_t nc = nd_rec_channels(rec), ns = nd_rec_sweeps(rec), nm = nd_rec_meta_count(rec);
    int bad = put_u64(fd, ND_OK) || put_str(fd, nd_rec_format(rec)) || put_u64(fd, nc);
    for (size_t c = 0; !bad && c < nc; c++)
        bad = put_str(fd, nd_rec_channel_name(rec, c)) ||
              put_str(fd, nd_rec_channel_unit(rec, c)) ||
              put_u64(fd, (uint64_t)nd_rec_channel_kind(rec, c));
    bad = bad || put_u64(fd, ns);
    for (size_t s = 0; !bad && s < ns; s++) {
        double t[2] = {nd_rec_sweep_t0(rec, s), nd_rec_sweep_dt(rec, s)};
        size_t n = nd_rec_sweep_len(rec, s);
        bad = put(fd, t, sizeof t) || put_u64(fd, n);
        for (size_t c = 0; !bad && c < nc; c++)
            bad = put(fd, nd_rec_data(rec, s, c), n * sizeof(double));
    }
    bad = bad || put_u64(fd, nm);
    for (size_t m = 0; !bad && m < nm; m++)
        bad = put_str(fd, nd_rec_meta_key(rec, m)) || put_str(fd, nd_rec_meta_value(rec, m));
    return bad ? -1 : 0;
}

/* ---- the caller's side ---- */

typedef struct cursor {
    const char *p;
    size_t left;
    int bad;
} cursor;

static const void *take(cursor *c, size_t len)
{
    if (c->bad || len > c->left) {
        c->bad = 1;
        return NULL;
    }
    const void *at = c->p;
    c->p += len;
    c->left -= len;
    return at;
}

static uint64_t get_u64(cursor *c)
{
    uint64_t v = 0;
    const void *at = take(c, sizeof v);
    if (at) memcpy(&v, at, sizeof v);
    return v;
}

/* Returns a malloc'ed copy of the next string, or NULL (c->bad set) when the stream ends. */
static char *get_str(cursor *c)
{
    uint64_t len = get_u64(c);
    const char *at = take(c, len);
    char *s = at ? strndup(at, len) : NULL;
    if (at && !s) c->bad = 1;
    return s;
}

/* Rebuilds the recording the child sent; NULL with err set. */
static nd_recording *receive(cursor *c, nd_error *err)
{
    uint64_t status = get_u64(c);
    if (!c->bad && status != ND_OK) {
        char *msg = get_str(c);
        nd_error_fail(err, status <= ND_EINTERNAL ? (nd_status)status : ND_EINTERNAL, "%s",
                      msg ? msg : "the reader process failed");
        free(msg);
        return NULL;
    }
    char *format = get_str(c);
    nd_recording *rec = c->bad ? NULL : nd_rec_create(format);
    free(format);
    uint64_t nc = rec ? get_u64(c) : 0;
    for (uint64_t k = 0; rec && !c->bad && k < nc; k++) {
        char *name = get_str(c), *unit = get_str(c);
        uint64_t kind = get_u64(c);
        if (!c->bad && nd_rec_add_channel(rec, name, unit, (nd_chan_kind)kind) < 0) c->bad = 1;
        free(name);
        free(unit);
    }
    uint64_t ns = rec ? get_u64(c) : 0;
    const double **data = rec && nc <= 64 ? malloc((nc ? nc : 1) * sizeof *data) : NULL;
    if (!data) c->bad = 1;
    for (uint64_t s = 0; !c->bad && s < ns; s++) {
        double t[2];
        const void *at = take(c, sizeof t);
        if (at) memcpy(t, at, sizeof t);
        uint64_t n = get_u64(c);
        /* the samples may sit unaligned in the stream: copy each channel out */
        double *buf = !c->bad && n && n <= c->left / sizeof(double) / (nc ? nc : 1)
                      ? malloc(nc * n * sizeof *buf) : NULL;
        for (uint64_t k = 0; buf && k < nc; k++) {
            memcpy(buf + k * n, take(c, n * sizeof(double)), n * sizeof(double));
            data[k] = buf + k * n;
        }
        if (!buf || nd_rec_add_sweep(rec, t[0], t[1], n, data) != 0) c->bad = 1;
        free(buf);
    }
    free(data);
    uint64_t nm = rec && !c->bad ? get_u64(c) : 0;
    for (uint64_t m = 0; !c->bad && m < nm; m++) {
        char *key = get_str(c), *value = get_str(c);
        if (!c->bad && nd_rec_set_meta(rec, key, value) != ND_OK) c->bad = 1;
        free(key);
        free(value);
    }
    if (!rec || c->bad) {
        nd_rec_free(rec);
        nd_error_fail(err, ND_EINTERNAL, "the reader process sent a broken recording");
        return NULL;
    }
    return rec;
}

nd_recording *nwb_isolated(nd_recording *(*reader)(const char *path, nd_error *err),
                           const char *path, const atomic_int *interrupt, nd_error *err)
{
    int fds[2];
    if (pipe(fds) != 0)
        return nd_error_fail(err, ND_EIO, "cannot start the reader: %s", strerror(errno)), NULL;
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(fds[0]);
        close(fds[1]);
        return nd_error_fail(err, ND_EIO, "cannot start the reader: %s", strerror(e)), NULL;
    }
    if (pid == 0) {
        /* the child: no atexit handlers and no stdio flushing of the caller's buffers */
        close(fds[0]);
        struct rlimit none = {0, 0};   /* a crash here is expected: no core file */
        setrlimit(RLIMIT_CORE, &none);
        nd_error e;
        nd_error_clear(&e);
        nd_recording *rec = reader(path, &e);
        int rc = send_result(fds[1], rec, &e);
        _exit(rc == 0 ? 0 : 1);
    }
    close(fds[1]);
    nd_sb got;
    nd_sb_init(&got);
    char chunk[65536];
    int stopped = 0;
    for (;;) {
        /* a damaged file can also make HDF5 loop: the user's interrupt ends the child */
        if (interrupt && atomic_load(interrupt)) {
            kill(pid, SIGKILL);
            stopped = 1;
            break;
        }
        struct pollfd pfd = {fds[0], POLLIN, 0};
        if (poll(&pfd, 1, 100) == 0) continue;
        ssize_t r = read(fds[0], chunk, sizeof chunk);
        if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (r <= 0) break;
        nd_sb_putn(&got, chunk, (size_t)r);
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    nd_recording *rec = NULL;
    if (stopped) {
        nd_error_fail(err, ND_EINTERRUPT, "interrupted while loading");
    } else if (WIFSIGNALED(status)) {
        nd_error_fail(err, ND_EVALUE, "HDF5 crashed reading it (signal %d): the file is damaged",
                      WTERMSIG(status));
    } else if (got.oom) {
        nd_error_fail(err, ND_ENOMEM, "out of memory receiving the recording");
    } else {
        cursor c = {got.data, got.len, 0};
        rec = receive(&c, err);
        /* a sanitizer reports a crash and exits instead of dying by the signal */
        if (!rec && err && err->code == ND_EINTERNAL && WIFEXITED(status) &&
            WEXITSTATUS(status) != 0)
            nd_error_fail(err, ND_EVALUE, "the reader process failed (exit status %d): the "
                          "file may be damaged", WEXITSTATUS(status));
    }
    nd_sb_free(&got);
    return rec;
}
