/* Answers to each Jupyter request type (messaging protocol 5.3). */
#ifndef ND_KERNEL_HANDLERS_H
#define ND_KERNEL_HANDLERS_H

#include "server.h"

/* Handles one decoded request that arrived on sock (shell or control), wrapping it in
   busy/idle on iopub. Unknown types are logged and ignored. */
void nd_handle_request(nd_server *s, void *sock, const nd_msg *req);

/* Handles a request that arrived on control: those that do not need the interpreter are
   served, the shell's other requests get an error reply naming the shell channel, and
   unknown types are logged and ignored (as on shell). */
void nd_handle_control(nd_server *s, const nd_msg *req);

/* Refuses a request without serving it: a *_request gets a *_reply with status error
   (ProtocolError, evalue why) between busy and idle; other messages get nothing. */
void nd_handle_refused(nd_server *s, void *sock, const nd_msg *req, const char *why);

/* Replies "aborted" to an execute_request queued behind a failed cell (stop_on_error). */
void nd_handle_abort(nd_server *s, void *sock, const nd_msg *req);

/* Returns the kernel_info_reply content (new reference). */
json_t *nd_kernel_info(void);

#endif
