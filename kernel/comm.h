/* Comms (messaging spec 5.3, "Custom Messages"): the widget models behind interact's
   sliders, opened by the kernel, and what the front end sends them. */
#ifndef ND_KERNEL_COMM_H
#define ND_KERNEL_COMM_H

#include "server.h"

typedef struct nd_comms nd_comms;

/* Returns an empty comm table, or NULL when out of memory. */
nd_comms *nd_comms_create(void);

/* Frees the table; NULL is allowed. */
void nd_comms_free(nd_comms *c);

/* Opens the models of sl's sliders (a FloatSlider each, in a VBox, each with its Layout)
   as comms on iopub and asks the front end to show the VBox in the cell of parent (the
   execute_request); returns 1 (0 when out of memory: nothing is shown). */
int nd_comm_open_sliders(nd_server *s, const nd_msg *parent, const nd_sliders *sl);

/* comm_open from the front end: the widget version check is answered, a widget comm
   the kernel opened is taken back (a reloaded page), anything else is closed at once. */
void nd_comm_on_open(nd_server *s, const nd_msg *req);

/* How long a slider must rest before its interact's draft redraw is completed. */
enum { ND_COMM_SETTLE_MS = 250 };

/* comm_msg: a slider's new value runs its interact again with draft figures (outputs in
   place, parented to req) and owes it a full run (nd_comm_settle); request_state is
   answered with the model's state; other comms' messages and unknown comm ids are ignored
   (the latter with a log line). */
void nd_comm_on_msg(nd_server *s, const nd_msg *req);

/* Does the owed full run (figures with their PNG, replacing the draft in place, between a
   busy and an idle without parent) when the slider has rested ND_COMM_SETTLE_MS, or at
   once when now; nothing when none is owed. The shell loop calls it when idle and before
   any request but a comm_msg, so a saved notebook keeps complete figures. */
void nd_comm_settle(nd_server *s, int now);

/* comm_close from the front end: the comm is forgotten (an unknown id is logged). */
void nd_comm_on_close(nd_server *s, const nd_msg *req);

/* Returns the comm_info_reply content: the open comms, those of target_name only when it
   is not NULL or empty (new reference). Safe from the control thread. */
json_t *nd_comm_info(nd_server *s, const char *target_name);

#endif
