/* Completion, inspection and the is-complete check behind the interpreter's API. */
#ifndef ND_LANGUAGE_COMPLETE_H
#define ND_LANGUAGE_COMPLETE_H

#include <stddef.h>
#include "../base/bundle.h"
#include "commands.h"
#include "interp.h"
#include "workspace.h"

/* Fills out with the names that can replace the word at byte offset cursor of code;
   ND_OK or ND_ENOMEM (out is then empty). */
nd_status nd_complete(const nd_cmd_registry *reg, const nd_ws *ws, const char *code,
                      size_t cursor, nd_completion *out);

/* Returns help for the name at or just before cursor, or NULL when there is none. */
nd_bundle *nd_inspect(const nd_cmd_registry *reg, const nd_ws *ws, const char *code,
                      size_t cursor);

/* Says whether code can run as it is, needs more lines (then writes the indentation of
   the next line into indent), or is broken beyond repair by more input. */
nd_completeness nd_completeness_check(const nd_cmd_registry *reg, const char *code,
                                      char *indent, size_t cap);

#endif
