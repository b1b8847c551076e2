/* Where a position in a cell sits, syntactically: the light-weight analysis behind
   completion and inspection, which must work on unfinished code. */
#ifndef ND_LANGUAGE_CONTEXT_H
#define ND_LANGUAGE_CONTEXT_H

#include <stddef.h>
#include "commands.h"

typedef enum nd_ctx_kind {
    ND_CTX_NONE,      /* inside a string or comment: nothing to offer */
    ND_CTX_COMMAND,   /* first word of a statement */
    ND_CTX_VALUE,     /* right after "NAME =": a command or an expression */
    ND_CTX_TOPIC,     /* after "?" or "help": a command name is expected */
    ND_CTX_ARGS,      /* among the arguments of command cmd */
    ND_CTX_EXPR       /* inside an expression statement */
} nd_ctx_kind;

typedef struct nd_context {
    nd_ctx_kind kind;
    const nd_command *cmd;   /* ND_CTX_ARGS: the command */
} nd_context;

/* Returns 1 for the bytes a (possibly dotted) name is made of. */
int nd_context_is_word_char(int c);

/* Classifies the position pos of code (typically the start of the word being typed). */
nd_context nd_context_at(const nd_cmd_registry *reg, const char *code, size_t pos);

#endif
