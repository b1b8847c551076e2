/* The lexer shared by the command language and the model language: turns source text
   into located tokens. */
#ifndef ND_EXPR_LEXER_H
#define ND_EXPR_LEXER_H

#include <stddef.h>
#include "../base/error.h"

typedef enum nd_tok_kind {
    ND_TOK_EOF,
    ND_TOK_NEWLINE,   /* end of a line outside ( ) and [ ] */
    ND_TOK_NUMBER,
    ND_TOK_STRING,
    ND_TOK_NAME,      /* identifiers, dotted names (net.INa) and keywords (and, or, not) */
    ND_TOK_PLUS, ND_TOK_MINUS, ND_TOK_STAR, ND_TOK_SLASH, ND_TOK_CARET,
    ND_TOK_LT, ND_TOK_LE, ND_TOK_GT, ND_TOK_GE, ND_TOK_EQ, ND_TOK_NE,
    ND_TOK_ASSIGN,    /* = */
    ND_TOK_COMMA,
    ND_TOK_LPAREN, ND_TOK_RPAREN, ND_TOK_LBRACKET, ND_TOK_RBRACKET,
    ND_TOK_LBRACE, ND_TOK_RBRACE,
    ND_TOK_DOTDOT,    /* .. */
    ND_TOK_QUESTION,  /* ? */
    ND_TOK_QUOTE,     /* ' (the model language's v' = ...) */
    ND_TOK_SEMI,
    ND_TOK_DOT        /* . before a field name after ] or ) (c.hopf[1].I); a dot inside a
                         name (net.INa) stays part of the NAME */
} nd_tok_kind;

typedef struct nd_token {
    nd_tok_kind kind;
    int line, col;       /* 1-based position of the first byte */
    size_t off, len;     /* byte range in the lexed text */
    const char *text;    /* points at the token in the lexed text (not NUL-terminated) */
    double num;          /* value of a NUMBER */
    char *str;           /* unescaped value of a STRING (owned by the token list) */
} nd_token;

typedef struct nd_tokens {
    nd_token *items;     /* always ends with an EOF token after a successful lex */
    size_t count, cap;
    int incomplete;      /* after a failure: more input could fix it (a trailing \) */
} nd_tokens;

/* Splits src[0..len) into tokens; line and col give the position of src[0] in the
   enclosing text so that every token and error is located there. On failure returns the
   error code (SyntaxError or MemoryError), fills err, and the list holds no tokens.
   The tokens point into src, which must outlive them. */
nd_status nd_lex_all(const char *src, size_t len, int line, int col, nd_tokens *out,
                     nd_error *err);

/* Frees the tokens' memory and empties the list. */
void nd_lex_free(nd_tokens *toks);

/* Returns how a token kind is named in messages ("'+'", "a number", "end of line"). */
const char *nd_lex_kind_name(nd_tok_kind kind);

/* Writes a description of tok for messages ("'foo'", "'1.5'", "end of input") into buf. */
const char *nd_lex_describe(const nd_token *tok, char *buf, size_t cap);

/* Returns 1 when tok is the NAME word (compared without copying). */
int nd_lex_is_word(const nd_token *tok, const char *word);

/* Returns a malloc'ed NUL-terminated copy of the token's text, or NULL on ENOMEM. */
char *nd_lex_text(const nd_token *tok);

#endif
