/* The command-language interpreter: runs cells against a workspace of named objects. */
#ifndef ND_LANGUAGE_INTERP_H
#define ND_LANGUAGE_INTERP_H

#include <stddef.h>
#include "../base/error.h"
#include "../base/bundle.h"
#include "commands.h"
#include "sink.h"

typedef struct nd_interp nd_interp;

/* Returns a new interpreter with an empty workspace and the commands that modules
   registers (nd_cmd_register_all, lib/commands/modules.h: every command), or NULL when
   out of memory or a registration fails. */
nd_interp *nd_interp_create(nd_cmd_register_fn modules);

/* Frees the interpreter and its workspace; NULL is allowed. */
void nd_interp_free(nd_interp *in);

/* Runs every statement of code in order, sending outputs to sink. Stops at the first
   failure, fills err (line/column relative to code) and returns its code; bindings made
   by the statements before the failure are kept. */
nd_status nd_interp_exec(nd_interp *in, const char *code, const nd_sink *sink, nd_error *err);

/* Binds a parameter given from outside the program ("NAME=VALUE", as neurodyn run -D
   takes it): VALUE is an expression of the language, or a single word that names nothing,
   taken as a string (-D method=rk4). The name is pinned (workspace.h): the program's own NAME = … and let
   keep it. SyntaxError for a malformed assignment, NameError for a name that cannot be
   bound, or the evaluation's error. */
nd_status nd_interp_define(nd_interp *in, const char *assignment, nd_error *err);

/* Answers a moved slider: sets slider k (0-based, as offered through sink->sliders) of
   interact id to value (clamped into its range; *applied, when not NULL, receives the
   value used) and runs the interact's block again, replacing its displays in place
   through sink (display with update = 1). quick = 1 draws figures in draft mode (no PNG:
   lib/plot/figure.h), for the moves of a drag; a run with quick = 0 once the slider rests
   completes them. A failure of the block is shown in place of its output and returned;
   NameError for an interact the workspace does not keep. */
nd_status nd_interp_interact(nd_interp *in, int id, size_t k, double value, int quick,
                             const nd_sink *sink, double *applied, nd_error *err);

/* Asks the running cell to stop at its next safe point (within 100 ms) with
   ND_EINTERRUPT. Async-signal-safe and callable from any thread. */
void nd_interp_interrupt(nd_interp *in);

/* Forgets a pending interrupt request (called before a new cell starts). */
void nd_interp_clear_interrupt(nd_interp *in);

/* Evaluates one expression and renders its value as a bundle (for user_expressions).
   Returns NULL and fills err on failure; caller frees the bundle. */
nd_bundle *nd_interp_eval(nd_interp *in, const char *expr, nd_error *err);

/* Completion candidates for the word ending at byte offset cursor of code. */
typedef struct nd_completion {
    char **matches;   /* sorted, unique, each owned */
    size_t count;
    size_t start;     /* byte offsets of the text the matches replace */
    size_t end;
} nd_completion;

/* Fills out with the candidates (commands, option names of the command under the cursor,
   workspace names, ...). Returns ND_OK, or ND_ENOMEM. */
nd_status nd_interp_complete(nd_interp *in, const char *code, size_t cursor, nd_completion *out);

/* Frees the matches of a completion. */
void nd_completion_free(nd_completion *c);

/* Returns help for the name under or just before byte offset cursor (a command, a workspace
   object, ...) as a bundle with text/plain (and text/html or text/markdown), or NULL
   when there is nothing to say. detail > 0 asks for more. Caller frees. */
nd_bundle *nd_interp_inspect(nd_interp *in, const char *code, size_t cursor, int detail);

/* Returns the interpreter's workspace (borrowed), for embedding programs and tests that
   bind or inspect values directly. */
struct nd_ws *nd_interp_workspace(nd_interp *in);

/* Returns the interpreter's command registry (borrowed), so that a program or test can
   add commands of its own with nd_cmd_register (lib/language/commands.h). */
struct nd_cmd_registry *nd_interp_registry(nd_interp *in);

typedef enum nd_completeness { ND_CODE_COMPLETE, ND_CODE_INCOMPLETE, ND_CODE_INVALID } nd_completeness;

/* Says whether code is ready to run; for ND_CODE_INCOMPLETE writes the indentation to
   continue with into indent (NUL-terminated, at most cap bytes). */
nd_completeness nd_interp_is_complete(nd_interp *in, const char *code, char *indent, size_t cap);

#endif
