/* The Jupyter wire format (messaging spec 5.3), without any socket code:
     [idents...] "<IDS|MSG>" signature header parent_header metadata content [buffers...]
   Decoding trusts nothing: it refuses messages over 64 MiB, checks the signature before
   any JSON is parsed, needs the four dicts to be JSON objects (valid UTF-8) and the header
   to hold string msg_type and msg_id, and never crashes on hostile input. Encoding writes
   compact UTF-8 JSON (a NULL parent, metadata or content goes out as {}) and signs
   exactly the bytes it sends. A reply gets a fresh header (msg_id, session, username
   "neurodyn", date, msg_type, version "5.3"), a copy of the request's header as
   parent_header ({} without a request), empty metadata, and the request's idents so that
   a ROUTER socket routes it back. Functions that fill an nd_msg overwrite it (pass it
   zeroed or cleared) and leave it zeroed when they fail. */
#ifndef ND_KERNEL_WIRE_H
#define ND_KERNEL_WIRE_H

#include <stddef.h>
#include <jansson.h>

#include "frame.h"
#include "signer.h"

typedef struct nd_msg {
    nd_frame *idents; size_t n_idents;      /* routing prefix before "<IDS|MSG>" */
    json_t *header, *parent, *metadata, *content;  /* owned references */
    nd_frame *buffers; size_t n_buffers;    /* extra binary frames after content */
} nd_msg;

typedef enum { ND_WIRE_OK = 0, ND_WIRE_MALFORMED, ND_WIRE_BAD_SIGNATURE } nd_wire_status;

/* Decodes one received message into out; otherwise err says what is wrong with it. */
nd_wire_status nd_wire_decode(const nd_signer *s, const nd_frame *frames, size_t n,
                              nd_msg *out, char *err, size_t errcap);

/* Encodes m as new frames; 0 ok, -1 when a dict is not an object or memory runs out. */
int nd_wire_encode(const nd_signer *s, const nd_msg *m, nd_frame **frames, size_t *n);

/* Frees everything m owns and leaves it zeroed; accepts a zeroed message. */
void nd_msg_clear(nd_msg *m);

/* Fills m with a new msg_type reply to parent (NULL: none), always taking content; 0 ok. */
int nd_msg_init_reply(nd_msg *m, const char *msg_type, const nd_msg *parent,
                      const char *session, json_t *content);

/* Returns the header's msg_type, or "" when there is none. */
const char *nd_msg_type(const nd_msg *m);

#endif
