/* The command registry: what a command declares (name, help, options, handler) and what
   its handler gets to work with. A module adds commands with nd_cmd_register. */
#ifndef ND_LANGUAGE_COMMANDS_H
#define ND_LANGUAGE_COMMANDS_H

#include <stddef.h>
#include "../base/error.h"
#include "ast.h"
#include "sink.h"
#include "value.h"
#include "workspace.h"

typedef struct nd_exec nd_exec;
typedef struct nd_cmd_registry nd_cmd_registry;

/* Registers a set of commands into reg (a module, or every module); stops at the first
   failure. */
typedef nd_status (*nd_cmd_register_fn)(nd_cmd_registry *reg, nd_error *err);
typedef struct nd_command nd_command;

/* One option a command accepts (key=value), for validation, completion and help. */
typedef struct nd_option {
    const char *name;
    const char *default_text;   /* shown in help; NULL when there is no default */
    const char *doc;            /* one line */
} nd_option;

/* Everything a handler may use while it runs. */
typedef struct nd_cmd_ctx {
    nd_exec *exec;                     /* the running cell (blocks, interrupts) */
    nd_ws *ws;                         /* the workspace */
    const nd_sink *sink;               /* where the command's outputs go */
    const nd_cmd_registry *registry;   /* all commands (help) */
    const nd_command *cmd;             /* the command being run */
    const nd_call *call;               /* its unevaluated arguments */
    const char *bind;                  /* NAME of "NAME = command …", or NULL */
} nd_cmd_ctx;

/* Runs a command. On success may set *result to a new value (the statement's value);
   leaving it NULL means none. On failure fills err (located) and returns its code. */
typedef nd_status (*nd_cmd_fn)(nd_cmd_ctx *ctx, nd_value **result, nd_error *err);

enum {
    ND_CMD_ANY_OPTIONS = 1,   /* option names are data (let x=1, set I=10): not checked */
    ND_CMD_BLOCK = 2,         /* takes a trailing { ... } block */
    ND_CMD_STAGES = 4,        /* the word `then` starts a new stage, in which options may
                                 be given again (train … adam iters=… then lbfgs iters=…) */
    ND_CMD_GROUPS = 8,        /* with ANY_OPTIONS: an undeclared option starts a group in
                                 which declared ones may be given again (sweep I=0..20 n=41
                                 gK=20..50 n=31) */
    ND_CMD_MENTOR = 16        /* talks about the last event (stuck, hint, guess): running it
                                 leaves that event as it was */
};

struct nd_command {
    const char *name;
    const char *synopsis;     /* one line for the command table */
    const char *usage;        /* "sleep SECONDS" */
    const char *doc;          /* description, paragraphs separated by blank lines */
    const nd_option *options; /* terminated by an entry with name NULL; NULL for none */
    const char *examples;     /* example lines, newline-separated; may be NULL */
    unsigned flags;           /* ND_CMD_* */
    nd_cmd_fn run;
};

/* Returns an empty registry, or NULL when out of memory. */
nd_cmd_registry *nd_cmd_registry_create(void);

/* Frees the registry (not the static command descriptions); NULL is allowed. */
void nd_cmd_registry_free(nd_cmd_registry *reg);

/* Adds cmd (kept by pointer: it must outlive the registry). ND_EINTERNAL when a command
   of that name exists, ND_ENOMEM when out of memory. */
nd_status nd_cmd_register(nd_cmd_registry *reg, const nd_command *cmd, nd_error *err);

/* Registers the n commands of a module in order; stops at the first failure. */
nd_status nd_cmd_register_list(nd_cmd_registry *reg, const nd_command *const *cmds, size_t n,
                               nd_error *err);

/* Returns the command called name, or NULL. */
const nd_command *nd_cmd_find(const nd_cmd_registry *reg, const char *name);

/* Returns the number of commands. */
size_t nd_cmd_count(const nd_cmd_registry *reg);

/* Returns command i in alphabetical order (i < count). */
const nd_command *nd_cmd_at(const nd_cmd_registry *reg, size_t i);

/* Returns cmd's option called name, or NULL. */
const nd_option *nd_cmd_option(const nd_command *cmd, const char *name);

/* Checks a call against cmd's declaration: known option names (NameError naming the
   valid ones, with a suggestion), no option given twice, a block only where one is taken. */
nd_status nd_cmd_check_call(const nd_command *cmd, const nd_call *call, nd_error *err);

/* Checks that name may be bound in the workspace (not a command, keyword or dotted name);
   the error is located at (line, col, span). */
nd_status nd_cmd_check_bind_name(const nd_cmd_registry *reg, const char *name, int line,
                                 int col, int span, nd_error *err);

/* Returns ND_EINTERRUPT (filled in err) when the user asked to stop, else ND_OK. Long
   work calls it at safe points, at least every 10 ms. */
nd_status nd_cmd_check_interrupt(const nd_cmd_ctx *ctx, nd_error *err);

/* Parses the call's block as statements located in the cell; SyntaxError when there is
   no block. The caller frees *out with nd_program_free. */
nd_status nd_cmd_parse_block(const nd_cmd_ctx *ctx, nd_program **out, nd_error *err);

/* Runs parsed statements in the command's workspace; their values are not shown. */
nd_status nd_cmd_run(const nd_cmd_ctx *ctx, const nd_program *prog, nd_error *err);

/* Shows b as a display in the cell and frees it; b NULL (a failed rendering) gives
   MemoryError. */
nd_status nd_cmd_display(const nd_cmd_ctx *ctx, nd_bundle *b, nd_error *err);

/* Returns 1, after a note on sink's error stream, when name is pinned (set from outside
   the program: the assignment at line is skipped); 0 when it may be bound. */
int nd_cmd_keep_pinned(nd_ws *ws, const nd_sink *sink, const char *name, int line);

/* Shows r (a result value, usually a record) in the cell and, when the statement binds a
   name, hands r over as its value (else releases it); r NULL gives MemoryError. */
nd_status nd_cmd_give(const nd_cmd_ctx *ctx, nd_value *r, nd_value **result, nd_error *err);

#endif
