/* Running parsed statements: bindings, commands, help, shown values, interrupts. */
#ifndef ND_LANGUAGE_EXEC_H
#define ND_LANGUAGE_EXEC_H

#include <stdatomic.h>
#include "../base/error.h"
#include "ast.h"
#include "commands.h"
#include "event.h"
#include "output.h"
#include "workspace.h"

/* The state the statements of one cell share while they run. */
struct nd_exec {
    nd_ws *ws;
    const nd_cmd_registry *registry;
    const atomic_int *interrupt;   /* nonzero: stop at the next safe point */
    nd_output *out;
    int depth;                     /* blocks being run inside one another */
    nd_event *event;               /* where a cell's top-level statements leave their facts
                                      for the mentor (NULL: not recorded) */
};

/* Deeper nesting than this is refused, so hostile input cannot exhaust the C stack. */
enum { ND_MAX_BLOCK_DEPTH = 64 };

/* Runs the statements of prog in order, stopping at the first failure (located in err).
   show_values: statement values that are not bound and not none are shown through out
   (a cell's top level); inside blocks they are not. */
nd_status nd_exec_program(nd_exec *ex, const nd_program *prog, int show_values, nd_error *err);

/* Returns ND_EINTERRUPT located at (line, col) when an interrupt is pending, else ND_OK. */
nd_status nd_exec_check_interrupt(const nd_exec *ex, int line, int col, nd_error *err);

#endif
