/* A Pratt parser for expressions over the lexer's tokens. */
#ifndef ND_EXPR_PARSE_H
#define ND_EXPR_PARSE_H

#include "../base/error.h"
#include "lexer.h"
#include "ast.h"

/* Parses the longest expression starting at toks->items[*pos] (ranges a..b included) and
   moves *pos past it. Returns the tree, or NULL with a located SyntaxError in err. */
nd_expr *nd_expr_parse(const nd_tokens *toks, size_t *pos, nd_error *err);

/* Returns 1 when tok can begin an expression. */
int nd_expr_can_start(const nd_token *tok);

/* Returns 1 when name is reserved by the expression syntax (and, or, not). */
int nd_expr_is_keyword(const char *name);

#endif
