/* Error codes and located error messages shared by every module of libneurodyn. */
#ifndef ND_BASE_ERROR_H
#define ND_BASE_ERROR_H

#include <stddef.h>

typedef enum nd_status {
    ND_OK = 0,
    ND_ESYNTAX,      /* malformed command or model text */
    ND_ENAME,        /* unknown name: command, variable, option, function */
    ND_EVALUE,       /* well-formed but unacceptable value */
    ND_ETYPE,        /* value of the wrong kind */
    ND_EIO,          /* file or external program failed */
    ND_ENOMEM,       /* allocation failed or request too large */
    ND_ESOLVER,      /* numerical failure: blow-up, no convergence */
    ND_EINTERRUPT,   /* the user interrupted the work */
    ND_EINTERNAL     /* a bug: an invariant of neurodyn itself broke */
} nd_status;

/* A failure with its message and, when known, where in the source text it happened. */
typedef struct nd_error {
    nd_status code;
    int line;        /* 1-based line in the cell; 0 when not tied to a place */
    int col;         /* 1-based column (in bytes) on that line; 0 when unknown */
    int span;        /* number of columns to underline; at least 1 when col > 0 */
    char msg[512];
} nd_error;

/* Returns the user-facing error name of a code ("SyntaxError", "NameError", ...). */
const char *nd_status_name(nd_status code);

/* Resets err to "no error". */
void nd_error_clear(nd_error *err);

/* Fills err (when not NULL) with a located message and returns code. */
nd_status nd_error_set(nd_error *err, nd_status code, int line, int col, int span,
                       const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Same as nd_error_set without a location. */
nd_status nd_error_fail(nd_error *err, nd_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Returns "message (line L, column C)" or just the message when not located, the column
   counted in characters of source (bytes when source is NULL); caller frees. */
char *nd_error_value(const nd_error *err, const char *source);

/* Returns the traceback lines (offending source line and a caret under the column, then
   "Name: message"), newline-separated; caller frees. source may be NULL. */
char *nd_error_traceback(const nd_error *err, const char *source);

#endif
