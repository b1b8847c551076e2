/* The running kernel: its sockets, threads and shared state (internal to kernel/). */
#ifndef ND_KERNEL_SERVER_H
#define ND_KERNEL_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <jansson.h>

#include "../lib/neurodyn.h"
#include "connfile.h"
#include "history.h"
#include "replay.h"
#include "wire.h"

typedef struct nd_server {
    nd_connection conn;
    nd_signer *signer;
    char session[37];            /* this kernel's session id, in every header it sends */
    nd_replay *replay;           /* signatures accepted so far (replays are dropped) */
    size_t max_message;          /* bytes; larger messages are refused (NEURODYN_MAX_MESSAGE) */
    struct incoming *in_shell, *in_control;   /* receive buffers of the two request threads */

    void *zctx;
    void *shell, *control, *iopub, *stdin_sock, *hb;
    pthread_mutex_t iopub_lock;  /* iopub is written by the shell and control threads */

    nd_interp *interp;
    struct nd_comms *comms;      /* comm.h: the open comms (widgets of interact) */
    nd_history *history;
    int execution_count;

    atomic_int stopping;         /* set by shutdown_request; every loop exits on it */
    atomic_int restart;          /* the shutdown asked for a restart (reported back only) */
} nd_server;

/* Runs a kernel for the given connection file until shutdown; returns the exit status. */
int nd_server_run(const char *connection_file);

/* Signs and sends m on sock (idents included); returns 0 or -1 (logged). */
int nd_server_send(nd_server *s, void *sock, const nd_msg *m);

/* Sends a reply of msg_type to parent on sock, taking ownership of content. */
int nd_server_reply(nd_server *s, void *sock, const nd_msg *parent, const char *msg_type,
                    json_t *content);

/* Publishes msg_type with content (owned) on iopub, with parent as parent_header. */
int nd_server_publish(nd_server *s, const nd_msg *parent, const char *msg_type, json_t *content);

/* Requests taken off the shell socket to be served later, in arrival order. */
typedef struct nd_queue {
    nd_msg *msgs;
    size_t n;
} nd_queue;

/* Takes every request already waiting on shell (stop_on_error: the cells queued behind a
   failed one are exactly those that arrived before its reply went out). */
void nd_server_take_queue(nd_server *s, nd_queue *q);

/* Replies "aborted" to the execute_requests of q, serves its other requests normally,
   and empties q. */
void nd_server_serve_aborting(nd_server *s, nd_queue *q);

/* Publishes status busy/idle for parent. */
void nd_server_status(nd_server *s, const nd_msg *parent, const char *state);

#endif
