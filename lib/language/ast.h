/* Statements of the command language, as the parser produces them. */
#ifndef ND_LANGUAGE_AST_H
#define ND_LANGUAGE_AST_H

#include <stddef.h>
#include "../base/strbuf.h"
#include "../expr/ast.h"

/* One argument of a command: a positional item or a key=value option. */
typedef struct nd_arg {
    char *key;            /* option name, or NULL for a positional item */
    int line, col, span;  /* where the argument (its key, for options) starts */
    nd_expr *value;       /* unevaluated; a comma list "a, b" is an ND_EXPR_LIST */
} nd_arg;

/* A trailing { ... } block kept as source text for the command to parse itself. */
typedef struct nd_block {
    char *text;           /* between the braces; NULL when the command has no block */
    size_t len;
    int line, col;        /* position of text[0] in the cell */
} nd_block;

/* A command invocation: NAME args... [{ block }]. */
typedef struct nd_call {
    char *name;
    int line, col;
    nd_arg *args;
    size_t nargs;
    nd_block block;
} nd_call;

typedef enum nd_stmt_kind {
    ND_STMT_EXPR,         /* an expression, evaluated */
    ND_STMT_CMD,          /* a command */
    ND_STMT_HELP          /* ? NAME or NAME? */
} nd_stmt_kind;

typedef struct nd_stmt {
    nd_stmt_kind kind;
    int line, col;
    char *bind;           /* NAME of "NAME = ...", else NULL */
    nd_expr *expr;        /* ND_STMT_EXPR */
    nd_call call;         /* ND_STMT_CMD */
    char *topic;          /* ND_STMT_HELP */
    int topic_line, topic_col, topic_span;
} nd_stmt;

typedef struct nd_program {
    nd_stmt *stmts;
    size_t count, cap;
} nd_program;

/* Frees the statements of p and p itself; NULL is allowed. */
void nd_program_free(nd_program *p);

/* Frees what stmt owns (not stmt itself). */
void nd_stmt_clear(nd_stmt *stmt);

/* Appends a one-line rendering of stmt, e.g. "x = cmd print [1] t=(2 + 3) {...}"
   (used by tests and debugging). */
void nd_stmt_format(const nd_stmt *stmt, nd_sb *sb);

#endif
