/* Answers to each Jupyter request type (messaging protocol 5.3). */
#ifndef ND_KERNEL_HANDLERS_H
#define ND_KERNEL_HANDLERS_H

#include "server.h"

/* Serves one decoded request that arrived on ch (shell or control) as the dispatch table
   says, wrapped in busy/idle on iopub. Unknown types are logged and ignored (on shell
   between busy and idle); control serves only the requests that never touch the
   interpreter, and the shell's other requests sent there get an error reply naming the
   shell channel. */
void nd_handle_request(nd_server *s, nd_channel ch, const nd_msg *req);

/* Refuses a request without serving it: a *_request gets a *_reply with status error
   (ProtocolError, evalue why) between busy and idle; other messages get nothing. */
void nd_handle_refused(nd_server *s, nd_channel ch, const nd_msg *req, const char *why);

#endif
