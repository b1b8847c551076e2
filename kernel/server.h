/* The running kernel: its state, the transport its messages leave by, and (for the real
   kernel) its sockets and threads (internal to kernel/). The handlers only ever see
   channels: server.c carries them over ZeroMQ, the unit tests record them
   (tests/unit/test_handlers.c). */
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

/* Where a message goes: a reply's request channel, or iopub. */
typedef enum { ND_CHANNEL_SHELL, ND_CHANNEL_CONTROL, ND_CHANNEL_IOPUB } nd_channel;

typedef struct nd_server nd_server;

/* Requests taken off the shell channel to be served later, in arrival order. */
typedef struct nd_queue {
    nd_msg *msgs;
    size_t n;
} nd_queue;

/* How messages leave a server and how queued requests are read ahead. */
typedef struct nd_transport {
    /* Sends m on ch, its idents included (a reply's route, iopub's topic); 0 or -1. */
    int (*send)(nd_server *s, nd_channel ch, const nd_msg *m);
    /* Takes every request already waiting on shell into q (overwritten), in arrival order. */
    void (*take_queue)(nd_server *s, nd_queue *q);
} nd_transport;

struct nd_server {
    nd_connection conn;
    nd_signer *signer;
    char session[37];            /* this kernel's session id, in every header it sends */
    nd_replay *replay;           /* signatures accepted so far (replays are dropped) */
    size_t max_message;          /* bytes; larger messages are refused (NEURODYN_MAX_MESSAGE) */
    struct incoming *in_shell, *in_control;   /* receive buffers of the two request threads */

    const nd_transport *transport;
    void *transport_data;        /* the transport's own state (unused by ZeroMQ's) */

    void *zctx;
    void *shell, *control, *iopub, *stdin_sock, *hb;
    pthread_mutex_t iopub_lock;  /* iopub is written by the shell and control threads */

    nd_interp *interp;
    struct nd_comms *comms;      /* comm.h: the open comms (widgets of interact) */
    nd_history *history;
    int execution_count;

    atomic_int stopping;         /* set by shutdown_request; every loop exits on it */
    atomic_int restart;          /* the shutdown asked for a restart (reported back only) */
};

/* Runs a kernel for the given connection file until shutdown; returns the exit status. */
int nd_server_run(const char *connection_file);

/* Sets up s (zeroed; fields outside its state are left alone) with a fresh session id,
   interpreter and comm table, no history, sending through t with data; 0 ok, -1 when out
   of memory (nd_server_clear frees what was made either way). */
int nd_server_init(nd_server *s, const nd_transport *t, void *data);

/* Frees the state nd_server_init made and the history (not the transport's own data). */
void nd_server_clear(nd_server *s);

/* Sends a reply of msg_type to parent on ch, taking ownership of content. */
int nd_server_reply(nd_server *s, nd_channel ch, const nd_msg *parent, const char *msg_type,
                    json_t *content);

/* Publishes msg_type with content (owned) on iopub, with parent as parent_header. */
int nd_server_publish(nd_server *s, const nd_msg *parent, const char *msg_type, json_t *content);

/* Takes every request already waiting on shell (stop_on_error: the cells queued behind a
   failed one are exactly those that arrived before its reply went out). */
void nd_server_take_queue(nd_server *s, nd_queue *q);

/* Publishes status busy/idle for parent. */
void nd_server_status(nd_server *s, const nd_msg *parent, const char *state);

#endif
