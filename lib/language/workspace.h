/* The workspace: the named values a session has bound, kept sorted by name. */
#ifndef ND_LANGUAGE_WORKSPACE_H
#define ND_LANGUAGE_WORKSPACE_H

#include <stddef.h>
#include "../base/bundle.h"
#include "value.h"

typedef struct nd_ws nd_ws;
typedef struct nd_interact nd_interact;   /* interact.h */

/* The interacts a workspace keeps; older ones are forgotten (their sliders stop working). */
enum { ND_WS_MAX_INTERACTS = 100 };

/* Returns an empty workspace, or NULL when out of memory. */
nd_ws *nd_ws_create(void);

/* Frees the workspace and drops its references; NULL is allowed. */
void nd_ws_free(nd_ws *ws);

/* Returns the value bound to name (borrowed), or NULL. */
nd_value *nd_ws_get(const nd_ws *ws, const char *name);

/* Binds name to v (taking a new reference), replacing an earlier binding; 0 on success,
   -1 on ENOMEM (the workspace is unchanged then). */
int nd_ws_set(nd_ws *ws, const char *name, nd_value *v);

/* Binds name to v like nd_ws_set and pins it: the program's own assignments (NAME = EXPR,
   let) leave a pinned name as it is, as make's command-line variables override the
   makefile's. For parameters given from outside (neurodyn run -D NAME=VALUE). 0, or -1. */
int nd_ws_pin(nd_ws *ws, const char *name, nd_value *v);

/* Returns 1 when name is bound and pinned. */
int nd_ws_pinned(const nd_ws *ws, const char *name);

/* Removes name; returns 0, or -1 when it was not bound. */
int nd_ws_del(nd_ws *ws, const char *name);

/* Returns the number of bindings. */
size_t nd_ws_count(const nd_ws *ws);

/* Returns the name of binding i in sorted order (i < count). */
const char *nd_ws_name(const nd_ws *ws, size_t i);

/* Returns the value of binding i in sorted order (i < count; borrowed). */
nd_value *nd_ws_value(const nd_ws *ws, size_t i);

/* Returns the name of the current model (what model commands act on when no model is
   named), or NULL when none is set or its binding is gone. */
const char *nd_ws_current_model(const nd_ws *ws);

/* Makes the binding called name the current model (NULL: none); 0, or -1 on ENOMEM. */
int nd_ws_set_current_model(nd_ws *ws, const char *name);

/* Keeps it (taking ownership), gives it a new id (> 0, unique in the process) and returns
   the id; forgets the oldest interact beyond ND_WS_MAX_INTERACTS. */
int nd_ws_add_interact(nd_ws *ws, nd_interact *it);

/* Returns the interact with that id (borrowed), or NULL when there is none. */
nd_interact *nd_ws_interact(const nd_ws *ws, int id);

/* Returns what `vars` shows: a table of every binding (name, type, summary and, when some
   value has fields, the fields NAME.FIELD reads) and {"type":"workspace","vars":[{"name",
   "type","summary","fields"?}…]}, or "The workspace is empty."; NULL on ENOMEM. */
nd_bundle *nd_ws_bundle(const nd_ws *ws);

#endif
