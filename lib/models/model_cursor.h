/* A cursor over the tokens of a model text, with the small helpers every statement
   parser of lib/models shares (not a public header). */
#ifndef ND_MODELS_MODEL_CURSOR_H
#define ND_MODELS_MODEL_CURSOR_H

#include "model_impl.h"

typedef struct md_cursor {
    const nd_tokens *toks;
    size_t pos;
    md_def *def;
    nd_error *err;
} md_cursor;

/* Returns the current token (the EOF token at the end). */
const nd_token *md_cur(const md_cursor *c);

/* Returns the token k places ahead of the current one, clamped to the EOF token. */
const nd_token *md_ahead(const md_cursor *c, size_t k);

/* Fills the error located at tok and returns code. */
nd_status md_fail(md_cursor *c, const nd_token *tok, nd_status code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reports "expected WHAT, found TOKEN" at the current token (a SyntaxError). */
nd_status md_expected(md_cursor *c, const char *what);

/* Consumes a token of the kind or reports "expected WHAT". */
nd_status md_expect(md_cursor *c, nd_tok_kind kind, const char *what);

/* Consumes the end of a statement: a newline or ';' (or accepts the end of the text). */
nd_status md_expect_end(md_cursor *c);

/* Skips newlines and ';'. */
void md_skip_blank(md_cursor *c);

/* Takes a NAME token fit to define a model name (no dots, not reserved) as a new string
   in *out, setting *tok to it; what names the thing for messages ("a parameter name"). */
nd_status md_take_name(md_cursor *c, const char *what, char **out, const nd_token **tok);

/* Returns the source text of tokens [i0, i1) with each gap between tokens shown as one
   space (so comments, line breaks and continuations vanish); NULL on ENOMEM. */
char *md_raw_text(const nd_tokens *toks, size_t i0, size_t i1);

/* Parses an expression at the cursor into *out and its source text into *text (if not
   NULL). */
nd_status md_parse_expr(md_cursor *c, nd_expr **out, char **text);

/* Parses a constant expression and evaluates it; what names it for messages. */
nd_status md_parse_const(md_cursor *c, const char *what, double *out, char **text);

/* Takes an optional string token into *out (NULL when there is none). */
nd_status md_opt_string(md_cursor *c, char **out);

/* Parses the `stim NAME = part + part ...` statement (the cursor is at `stim`). */
nd_status md_parse_stim(md_cursor *c);

/* Reports ENOMEM. */
nd_status md_oom(md_cursor *c);

#endif
