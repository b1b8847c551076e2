/* Sockets, threads and the request loops of the kernel.

   Threads: the main thread serves shell (and runs cells); a control thread serves control
   so that interrupt and shutdown work while a cell runs; a heartbeat thread echoes pings.
   ZeroMQ sockets are not thread-safe, so each socket belongs to one thread, except iopub,
   which both request threads publish on under iopub_lock. */
#include "server.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "handlers.h"
#include "ids.h"

enum { POLL_MS = 20, MAX_FRAMES = 4096 };

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

/* Receives one multipart message; returns the number of frames, 0 when none is waiting
   (or it was interrupted), -1 on a socket error. */
static int recv_frames(void *sock, nd_frame **out)
{
    size_t n = 0, cap = 8;
    nd_frame *frames = calloc(cap, sizeof *frames);
    int more = 1;
    if (!frames) return -1;
    while (more) {
        zmq_msg_t part;
        zmq_msg_init(&part);
        if (zmq_msg_recv(&part, sock, n == 0 ? ZMQ_DONTWAIT : 0) < 0) {
            int e = errno;
            zmq_msg_close(&part);
            if (n == 0 && (e == EAGAIN || e == EINTR)) { free(frames); return 0; }
            if (e == EINTR) continue;     /* mid-message: the rest is already queued */
            nd_frames_free(frames, n);
            return -1;
        }
        more = zmq_msg_more(&part);
        if (n < MAX_FRAMES) {
            if (n == cap) {
                nd_frame *grown = realloc(frames, 2 * cap * sizeof *frames);
                if (!grown) { zmq_msg_close(&part); nd_frames_free(frames, n); return -1; }
                frames = grown;
                cap *= 2;
            }
            size_t len = zmq_msg_size(&part);
            frames[n].data = malloc(len ? len : 1);
            if (!frames[n].data) { zmq_msg_close(&part); nd_frames_free(frames, n); return -1; }
            memcpy(frames[n].data, zmq_msg_data(&part), len);
            frames[n].len = len;
            n++;
        }
        zmq_msg_close(&part);
    }
    *out = frames;
    return (int)n;
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

int nd_server_send(nd_server *s, void *sock, const nd_msg *m)
{
    nd_frame *frames = NULL;
    size_t n = 0;
    if (nd_wire_encode(s->signer, m, &frames, &n) != 0) {
        log_msg("could not encode a %s message", nd_msg_type(m));
        return -1;
    }
    int rc = send_frames(sock, frames, n);
    if (rc != 0) log_msg("could not send a %s message", nd_msg_type(m));
    nd_frames_free(frames, n);
    return rc;
}

int nd_server_reply(nd_server *s, void *sock, const nd_msg *parent, const char *msg_type,
                    json_t *content)
{
    nd_msg m = {0};
    if (nd_msg_init_reply(&m, msg_type, parent, s->session, content) != 0) return -1;
    int rc = nd_server_send(s, sock, &m);
    nd_msg_clear(&m);
    return rc;
}

int nd_server_publish(nd_server *s, const nd_msg *parent, const char *msg_type, json_t *content)
{
    nd_msg m = {0};
    if (nd_msg_init_reply(&m, msg_type, parent, s->session, content) != 0) return -1;
    /* iopub has no routing identities: the first frame is a topic for subscribers. */
    nd_frames_free(m.idents, m.n_idents);
    char topic[128];
    snprintf(topic, sizeof topic, "kernel.%s.%s", s->session, msg_type);
    m.idents = malloc(sizeof *m.idents);
    m.n_idents = 0;
    if (m.idents) {
        m.idents[0].len = strlen(topic);
        m.idents[0].data = (unsigned char *)strdup(topic);
        if (m.idents[0].data) m.n_idents = 1;
    }
    pthread_mutex_lock(&s->iopub_lock);
    int rc = nd_server_send(s, s->iopub, &m);
    pthread_mutex_unlock(&s->iopub_lock);
    nd_msg_clear(&m);
    return rc;
}

void nd_server_status(nd_server *s, const nd_msg *parent, const char *state)
{
    nd_server_publish(s, parent, "status", json_pack("{s:s}", "execution_state", state));
}

/* Waits up to POLL_MS for sock to become readable, then decodes one message into m.
   Returns 1 with a message, 0 with none (or one that was dropped), -1 on socket failure. */
static int next_request(nd_server *s, void *sock, nd_msg *m)
{
    zmq_pollitem_t item = {sock, 0, ZMQ_POLLIN, 0};
    int rc = zmq_poll(&item, 1, POLL_MS);
    if (rc < 0) return errno == EINTR ? 0 : -1;
    if (rc == 0) return 0;

    nd_frame *frames = NULL;
    int n = recv_frames(sock, &frames);
    if (n <= 0) return n;
    char err[256];
    nd_wire_status st = nd_wire_decode(s->signer, frames, (size_t)n, m, err, sizeof err);
    nd_frames_free(frames, (size_t)n);
    if (st != ND_WIRE_OK) {
        log_msg("dropped a message: %s", err);
        return 0;
    }
    return 1;
}

void nd_server_take_queue(nd_server *s, nd_queue *q)
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

void nd_server_serve_aborting(nd_server *s, nd_queue *q)
{
    for (size_t i = 0; i < q->n; i++) {
        if (strcmp(nd_msg_type(&q->msgs[i]), "execute_request") == 0)
            nd_handle_abort(s, s->shell, &q->msgs[i]);
        else
            nd_handle_request(s, s->shell, &q->msgs[i]);
        nd_msg_clear(&q->msgs[i]);
    }
    free(q->msgs);
    q->msgs = NULL;
    q->n = 0;
}

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
            nd_handle_control(s, &m);
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
    nd_ids_uuid(s->session);
    s->interp = nd_interp_create();
    if (!s->interp) return -1;

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
    pthread_mutex_init(&s.iopub_lock, NULL);

    int status = 1;
    pthread_t hb_thread, control_thread;
    int threads = 0;
    if (setup(&s, connection_file) != 0) goto done;

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
        if (rc == 1) {
            nd_handle_request(&s, s.shell, &m);
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
    nd_history_close(s.history);
    nd_interp_free(s.interp);
    nd_signer_free(s.signer);
    nd_connection_clear(&s.conn);
    pthread_mutex_destroy(&s.iopub_lock);
    return status;
}
