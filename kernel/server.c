/* The kernel's ZeroMQ transport: sockets, threads and the request loops.

   Threads: the main thread serves shell (and runs cells); a control thread serves control
   so that interrupt and shutdown work while a cell runs; a heartbeat thread echoes pings.
   ZeroMQ sockets are not thread-safe, so each socket belongs to one thread, except iopub,
   which both request threads publish on under iopub_lock. */
#include "server.h"

#include <errno.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "comm.h"
#include "handlers.h"

enum { POLL_MS = 20, MAX_FRAMES = 4096 };

/* The largest message accepted by default, and the most NEURODYN_MAX_MESSAGE may set
   (the wire decoder's own limit). ZeroMQ refuses single frames above
   HARD_LIMIT_FACTOR times the maximum by itself (it drops that connection; the client
   reconnects), so that no peer can make the kernel buffer gigabytes. */
#define MAX_MESSAGE_DEFAULT ((size_t)64 << 20)
enum { HARD_LIMIT_FACTOR = 4 };

/* The interpreter the SIGINT handler interrupts (signal-mode interrupts). */
static nd_interp *volatile signal_target;

static void on_sigint(int sig)
{
    (void)sig;
    nd_interp *in = signal_target;
    if (in) nd_interp_interrupt(in);
}

static void log_msg(const char *fmt, const char *detail)
{
    fprintf(stderr, "neurodyn: ");
    fprintf(stderr, fmt, detail);
    fputc('\n', stderr);
}

/* One received multipart message, not copied: frames[i] views the bytes of parts[i]. */
typedef struct incoming {
    zmq_msg_t parts[MAX_FRAMES];
    nd_frame frames[MAX_FRAMES];
    size_t n;          /* parts kept (at most MAX_FRAMES) */
    size_t count;      /* parts received, including those past MAX_FRAMES */
    size_t total;      /* bytes received in all parts */
} incoming;

static void incoming_close(incoming *in)
{
    for (size_t i = 0; i < in->n; i++) zmq_msg_close(&in->parts[i]);
    in->n = 0;
}

/* Receives one multipart message into in; returns 1 with one, 0 when none is waiting (or
   it was interrupted), -1 on a socket error. */
static int recv_message(void *sock, incoming *in)
{
    static unsigned char empty[1];
    in->n = in->count = in->total = 0;
    int more = 1;
    while (more) {
        zmq_msg_t spare;                  /* for the parts past MAX_FRAMES */
        zmq_msg_t *part = in->n < MAX_FRAMES ? &in->parts[in->n] : &spare;
        zmq_msg_init(part);
        if (zmq_msg_recv(part, sock, in->count == 0 ? ZMQ_DONTWAIT : 0) < 0) {
            int e = errno;
            zmq_msg_close(part);
            if (in->count == 0 && (e == EAGAIN || e == EINTR)) return 0;
            if (e == EINTR) continue;     /* mid-message: the rest is already queued */
            incoming_close(in);
            return -1;
        }
        more = zmq_msg_more(part);
        size_t len = zmq_msg_size(part);
        in->count++;
        in->total = len > SIZE_MAX - in->total ? SIZE_MAX : in->total + len;
        if (part == &spare) {             /* counted, not kept: the message is refused */
            zmq_msg_close(part);
            continue;
        }
        in->frames[in->n].data = len ? zmq_msg_data(part) : empty;
        in->frames[in->n].len = len;
        in->n++;
    }
    return 1;
}

static int send_frames(void *sock, const nd_frame *frames, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int flags = i + 1 < n ? ZMQ_SNDMORE : 0;
        while (zmq_send(sock, frames[i].data, frames[i].len, flags) < 0) {
            if (errno != EINTR) return -1;
        }
    }
    return 0;
}

static void *channel_socket(const nd_server *s, nd_channel ch)
{
    return ch == ND_CHANNEL_SHELL ? s->shell : ch == ND_CHANNEL_CONTROL ? s->control : s->iopub;
}

/* The request channel a socket serves (shell or control). */
static nd_channel socket_channel(const nd_server *s, void *sock)
{
    return sock == s->shell ? ND_CHANNEL_SHELL : ND_CHANNEL_CONTROL;
}

/* Signs and sends m on ch's socket; returns 0 or -1 (logged). */
static int zmq_transport_send(nd_server *s, nd_channel ch, const nd_msg *m)
{
    nd_frame *frames = NULL;
    size_t n = 0;
    if (nd_wire_encode(s->signer, m, &frames, &n) != 0) {
        log_msg("could not encode a %s message", nd_msg_type(m));
        return -1;
    }
    int rc = send_frames(channel_socket(s, ch), frames, n);
    if (rc != 0) log_msg("could not send a %s message", nd_msg_type(m));
    nd_frames_free(frames, n);
    return rc;
}

/* The index of the "<IDS|MSG>" delimiter among the frames, or n when there is none. */
static size_t find_delimiter(const nd_frame *frames, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (frames[i].len == 9 && memcmp(frames[i].data, "<IDS|MSG>", 9) == 0) return i;
    return n;
}

/* Answers a message that is not served (too large, or its dicts are malformed) with an
   error reply saying why, when that is safe: the signature must verify, the message must
   not be a replay, and its header must be a JSON object with a string msg_type and msg_id
   (the reply needs them). Anything else stays unanswered, as a forged message must. */
static void refuse(nd_server *s, void *sock, const incoming *in, const char *why)
{
    const nd_frame *f = in->frames;
    size_t d = find_delimiter(f, in->n);
    if (in->count != in->n || d == in->n || in->n - d - 1 < 5) return;
    if (!nd_signer_verify(s->signer, &f[d + 2], &f[d + 1])) return;
    if (nd_signer_enabled(s->signer) && nd_replay_seen(s->replay, f[d + 1].data, f[d + 1].len))
        return;
    if (f[d + 2].len > s->max_message) return;
    nd_msg m = {0};
    m.header = json_loadb((const char *)f[d + 2].data, f[d + 2].len, 0, NULL);
    if (json_is_object(m.header) && json_is_string(json_object_get(m.header, "msg_type")) &&
        json_is_string(json_object_get(m.header, "msg_id")) &&
        nd_frames_copy(f, d, &m.idents) == 0) {
        m.n_idents = d;
        nd_handle_refused(s, socket_channel(s, sock), &m, why);
    }
    nd_msg_clear(&m);
}

/* Waits up to POLL_MS for sock to become readable, then decodes one message into m.
   Returns 1 with a message, 0 with none (or one that was dropped), -1 on socket failure. */
static int next_request(nd_server *s, void *sock, nd_msg *m)
{
    zmq_pollitem_t item = {sock, 0, ZMQ_POLLIN, 0};
    int rc = zmq_poll(&item, 1, POLL_MS);
    if (rc < 0) return errno == EINTR ? 0 : -1;
    if (rc == 0) return 0;

    incoming *in = sock == s->shell ? s->in_shell : s->in_control;
    rc = recv_message(sock, in);
    if (rc <= 0) return rc;
    if (in->count > MAX_FRAMES) {
        fprintf(stderr, "neurodyn: dropped a message of %zu frames: the maximum is %d\n",
                in->count, MAX_FRAMES);
        incoming_close(in);
        return 0;
    }
    char err[256];
    if (in->total > s->max_message) {
        fprintf(stderr, "neurodyn: dropped a message of %zu bytes: the maximum is %zu "
                "(NEURODYN_MAX_MESSAGE)\n", in->total, s->max_message);
        snprintf(err, sizeof err, "the message is %zu bytes, more than the maximum of %zu "
                 "bytes: it was not read", in->total, s->max_message);
        refuse(s, sock, in, err);
        incoming_close(in);
        return 0;
    }
    nd_wire_status st = nd_wire_decode(s->signer, in->frames, in->n, m, err, sizeof err);
    if (st != ND_WIRE_OK) {
        log_msg("dropped a message: %s", err);
        if (st == ND_WIRE_MALFORMED) refuse(s, sock, in, err);
        incoming_close(in);
        return 0;
    }
    /* The signature verified: a message is accepted once (the spec's digest history). */
    const nd_frame *sig = &in->frames[find_delimiter(in->frames, in->n) + 1];
    int replayed = nd_signer_enabled(s->signer) && nd_replay_seen(s->replay, sig->data, sig->len);
    incoming_close(in);
    if (replayed) {
        fprintf(stderr, "neurodyn: dropped a replayed message (%.80s): its signature was "
                "accepted before\n", nd_msg_type(m));
        nd_msg_clear(m);
        return 0;
    }
    return 1;
}

static void zmq_transport_take_queue(nd_server *s, nd_queue *q)
{
    q->msgs = NULL;
    q->n = 0;
    size_t cap = 0;
    for (;;) {
        zmq_pollitem_t item = {s->shell, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&item, 1, 0) <= 0) return;
        nd_msg m = {0};
        if (next_request(s, s->shell, &m) != 1) continue;
        if (q->n == cap) {
            cap = cap ? 2 * cap : 8;
            nd_msg *grown = realloc(q->msgs, cap * sizeof *grown);
            if (!grown) {   /* out of memory: the request is lost, the kernel is not */
                nd_msg_clear(&m);
                return;
            }
            q->msgs = grown;
        }
        q->msgs[q->n++] = m;
    }
}

static const nd_transport zmq_transport = {zmq_transport_send, zmq_transport_take_queue};

static void *heartbeat_main(void *arg)
{
    nd_server *s = arg;
    while (!atomic_load(&s->stopping)) {
        zmq_pollitem_t item = {s->hb, 0, ZMQ_POLLIN, 0};
        int rc = zmq_poll(&item, 1, POLL_MS);
        if (rc <= 0) continue;
        zmq_msg_t ping;
        zmq_msg_init(&ping);
        if (zmq_msg_recv(&ping, s->hb, ZMQ_DONTWAIT) >= 0)
            zmq_msg_send(&ping, s->hb, 0);
        zmq_msg_close(&ping);
    }
    return NULL;
}

static void *control_main(void *arg)
{
    nd_server *s = arg;
    while (!atomic_load(&s->stopping)) {
        nd_msg m = {0};
        int rc = next_request(s, s->control, &m);
        if (rc < 0) break;
        if (rc == 1) {
            nd_handle_request(s, ND_CHANNEL_CONTROL, &m);
            nd_msg_clear(&m);
        }
    }
    return NULL;
}

static void *open_socket(nd_server *s, int type, int port, const char *name)
{
    char endpoint[300];
    void *sock = zmq_socket(s->zctx, type);
    if (!sock) return NULL;
    int linger = 1000;
    zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
    if (type == ZMQ_ROUTER) {
        int64_t hard = (int64_t)s->max_message * HARD_LIMIT_FACTOR;
        zmq_setsockopt(sock, ZMQ_MAXMSGSIZE, &hard, sizeof hard);
    }
    if (nd_connection_endpoint(&s->conn, port, endpoint, sizeof endpoint) != 0 ||
        zmq_bind(sock, endpoint) != 0) {
        fprintf(stderr, "neurodyn: cannot bind the %s socket to %s: %s\n", name, endpoint,
                zmq_strerror(errno));
        zmq_close(sock);
        return NULL;
    }
    return sock;
}

static int open_sockets(nd_server *s)
{
    s->zctx = zmq_ctx_new();
    if (!s->zctx) return -1;
    s->shell = open_socket(s, ZMQ_ROUTER, s->conn.shell_port, "shell");
    s->control = open_socket(s, ZMQ_ROUTER, s->conn.control_port, "control");
    s->stdin_sock = open_socket(s, ZMQ_ROUTER, s->conn.stdin_port, "stdin");
    s->iopub = open_socket(s, ZMQ_PUB, s->conn.iopub_port, "iopub");
    s->hb = open_socket(s, ZMQ_REP, s->conn.hb_port, "heartbeat");
    return s->shell && s->control && s->stdin_sock && s->iopub && s->hb ? 0 : -1;
}

static void close_sockets(nd_server *s)
{
    void *socks[] = {s->shell, s->control, s->stdin_sock, s->iopub, s->hb};
    for (size_t i = 0; i < sizeof socks / sizeof *socks; i++)
        if (socks[i]) zmq_close(socks[i]);
    if (s->zctx) zmq_ctx_term(s->zctx);
}

/* Starts a thread with SIGINT blocked, so that signal-mode interrupts reach the main thread. */
static int start_thread(pthread_t *t, void *(*fn)(void *), void *arg)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int rc = pthread_create(t, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

/* NEURODYN_MAX_MESSAGE: bytes, with an optional K, M or G (binary) suffix; at most the
   default. */
static size_t max_message_from_env(void)
{
    const char *v = getenv("NEURODYN_MAX_MESSAGE");
    if (!v || !*v) return MAX_MESSAGE_DEFAULT;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    int shift = *end == 'K' || *end == 'k' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0;
    if (shift) end++;
    if (errno || end == v || *end || *v == '-' || n == 0) {
        fprintf(stderr, "neurodyn: NEURODYN_MAX_MESSAGE=%s is not a size in bytes; "
                "using %zu\n", v, MAX_MESSAGE_DEFAULT);
        return MAX_MESSAGE_DEFAULT;
    }
    if (n > (MAX_MESSAGE_DEFAULT >> shift)) {
        fprintf(stderr, "neurodyn: NEURODYN_MAX_MESSAGE=%s is above the limit; using %zu\n",
                v, MAX_MESSAGE_DEFAULT);
        return MAX_MESSAGE_DEFAULT;
    }
    return (size_t)n << shift;
}

static int setup(nd_server *s, const char *connection_file)
{
    char err[512];
    if (nd_connection_load(connection_file, &s->conn, err, sizeof err) != 0) {
        fprintf(stderr, "neurodyn: %s\n", err);
        return -1;
    }
    if (s->conn.key_len == 0)
        fprintf(stderr, "neurodyn: the connection file has an empty key: messages are not signed\n");
    s->signer = nd_signer_create(s->conn.signature_scheme, s->conn.key, s->conn.key_len,
                                 err, sizeof err);
    if (!s->signer) {
        fprintf(stderr, "neurodyn: %s\n", err);
        return -1;
    }
    s->max_message = max_message_from_env();
    s->replay = nd_replay_create(ND_REPLAY_CAPACITY);
    s->in_shell = malloc(sizeof *s->in_shell);
    s->in_control = malloc(sizeof *s->in_control);
    if (!s->replay || !s->in_shell || !s->in_control) return -1;

    char *path = nd_history_default_path();
    s->history = nd_history_open(path, err, sizeof err);
    if (err[0]) fprintf(stderr, "neurodyn: history: %s\n", err);
    free(path);
    return open_sockets(s);
}

int nd_server_run(const char *connection_file)
{
    nd_server s;
    memset(&s, 0, sizeof s);

    int status = 1;
    pthread_t hb_thread, control_thread;
    int threads = 0;
    if (nd_server_init(&s, &zmq_transport, NULL) != 0 || setup(&s, connection_file) != 0)
        goto done;

    if (start_thread(&hb_thread, heartbeat_main, &s) == 0) threads |= 1;
    if (start_thread(&control_thread, control_main, &s) == 0) threads |= 2;
    if (threads != 3) goto stop;

    signal_target = s.interp;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);

    nd_server_status(&s, NULL, "starting");
    while (!atomic_load(&s.stopping)) {
        nd_msg m = {0};
        int rc = next_request(&s, s.shell, &m);
        if (rc < 0) break;
        nd_comm_settle(&s, rc == 1 && strcmp(nd_msg_type(&m), "comm_msg") != 0);
        if (rc == 1) {
            nd_handle_request(&s, ND_CHANNEL_SHELL, &m);
            nd_msg_clear(&m);
        }
    }
    status = 0;
stop:
    atomic_store(&s.stopping, 1);
    if (threads & 1) pthread_join(hb_thread, NULL);
    if (threads & 2) pthread_join(control_thread, NULL);
    signal_target = NULL;
done:
    close_sockets(&s);
    nd_server_clear(&s);
    nd_signer_free(s.signer);
    nd_replay_free(s.replay);
    free(s.in_shell);
    free(s.in_control);
    nd_connection_clear(&s.conn);
    return status;
}
