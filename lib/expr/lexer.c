/* A hand-written scanner in the style of Lua's llex.c: one function per token family,
   positions tracked as it advances. */
#include "lexer.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"

typedef struct lexer {
    const char *src;
    size_t len, pos;
    int line, col;
    int depth;          /* open ( and [ : newlines inside them are not statement ends */
    nd_tokens *out;
    nd_error *err;
} lexer;

static int peek(const lexer *lx, size_t ahead)
{
    size_t i = lx->pos + ahead;
    return i < lx->len ? (unsigned char)lx->src[i] : '\0';
}

static int at_end(const lexer *lx)
{
    return lx->pos >= lx->len;
}

static void advance(lexer *lx)
{
    if (lx->src[lx->pos] == '\n') {
        lx->line++;
        lx->col = 1;
    } else {
        lx->col++;
    }
    lx->pos++;
}

static int is_name_start(int c) { return isalpha(c) || c == '_'; }
static int is_name_char(int c) { return isalnum(c) || c == '_'; }

static nd_status fail_at(lexer *lx, int line, int col, int span, const char *msg)
{
    return nd_error_set(lx->err, ND_ESYNTAX, line, col, span, "%s", msg);
}

/* Appends a token that starts at (off, line, col) and ends at the current position. */
static nd_token *push(lexer *lx, nd_tok_kind kind, size_t off, int line, int col)
{
    nd_tokens *t = lx->out;
    if (t->count == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        nd_token *items = realloc(t->items, cap * sizeof *items);
        if (!items) {
            nd_error_fail(lx->err, ND_ENOMEM, "out of memory while reading the input");
            return NULL;
        }
        t->items = items;
        t->cap = cap;
    }
    nd_token *tok = &t->items[t->count++];
    *tok = (nd_token){kind, line, col, off, lx->pos - off, lx->src + off, 0.0, NULL};
    return tok;
}

static nd_status lex_number(lexer *lx)
{
    size_t off = lx->pos;
    int line = lx->line, col = lx->col;
    while (isdigit(peek(lx, 0))) advance(lx);
    /* "1..5" is a range: a dot followed by a dot is not a decimal point. */
    if (peek(lx, 0) == '.' && peek(lx, 1) != '.') {
        advance(lx);
        while (isdigit(peek(lx, 0))) advance(lx);
    }
    int bad = 0;
    if (peek(lx, 0) == 'e' || peek(lx, 0) == 'E') {
        advance(lx);
        if (peek(lx, 0) == '+' || peek(lx, 0) == '-') advance(lx);
        if (!isdigit(peek(lx, 0))) bad = 1;
        while (isdigit(peek(lx, 0))) advance(lx);
    }
    if (is_name_char(peek(lx, 0)) || (peek(lx, 0) == '.' && isdigit(peek(lx, 1)))) bad = 1;
    if (bad) {
        while (is_name_char(peek(lx, 0)) || (peek(lx, 0) == '.' && peek(lx, 1) != '.'))
            advance(lx);
        return nd_error_set(lx->err, ND_ESYNTAX, line, col, (int)(lx->pos - off),
                            "malformed number '%.*s'", (int)(lx->pos - off), lx->src + off);
    }
    char buf[64];
    size_t n = lx->pos - off;
    if (n >= sizeof buf)
        return nd_error_set(lx->err, ND_ESYNTAX, line, col, (int)n, "number is too long");
    memcpy(buf, lx->src + off, n);
    buf[n] = '\0';
    nd_token *tok = push(lx, ND_TOK_NUMBER, off, line, col);
    if (!tok) return ND_ENOMEM;
    tok->num = strtod(buf, NULL);
    return ND_OK;
}

static nd_status lex_name(lexer *lx)
{
    size_t off = lx->pos;
    int line = lx->line, col = lx->col;
    for (;;) {
        while (is_name_char(peek(lx, 0))) advance(lx);
        /* A dot continues the name only when a name part follows (net.INa, not x..y). */
        if (peek(lx, 0) == '.' && is_name_start(peek(lx, 1))) advance(lx);
        else break;
    }
    return push(lx, ND_TOK_NAME, off, line, col) ? ND_OK : ND_ENOMEM;
}

static nd_status lex_string(lexer *lx)
{
    size_t off = lx->pos;
    int line = lx->line, col = lx->col;
    nd_sb value;
    nd_sb_init(&value);
    advance(lx);  /* opening quote */
    for (;;) {
        int c = peek(lx, 0);
        if (at_end(lx) || c == '\n') {
            /* Strings never span lines, so no further input can close this one. */
            nd_sb_free(&value);
            return fail_at(lx, line, col, 1, "unterminated string");
        }
        if (c == '"') break;
        if (c == '\\') {
            int eline = lx->line, ecol = lx->col;
            advance(lx);
            int e = at_end(lx) ? '\0' : peek(lx, 0);
            char ch = e == 'n' ? '\n' : e == 't' ? '\t' : e == '"' ? '"' : e == '\\' ? '\\' : 0;
            if (!ch) {
                nd_sb_free(&value);
                if (at_end(lx) || e == '\n') return fail_at(lx, line, col, 1, "unterminated string");
                return nd_error_set(lx->err, ND_ESYNTAX, eline, ecol, 2,
                                    "unknown escape '\\%c' in string (use \\n \\t \\\" \\\\)", e);
            }
            nd_sb_putc(&value, ch);
        } else {
            nd_sb_putc(&value, (char)c);
        }
        advance(lx);
    }
    advance(lx);  /* closing quote */
    char *str = nd_sb_take(&value);
    nd_token *tok = str ? push(lx, ND_TOK_STRING, off, line, col) : NULL;
    if (!tok) {
        free(str);
        return nd_error_fail(lx->err, ND_ENOMEM, "out of memory while reading a string");
    }
    tok->str = str;
    return ND_OK;
}

/* Skips "\" + blanks + newline; anything else after the backslash is an error. */
static nd_status lex_continuation(lexer *lx)
{
    int line = lx->line, col = lx->col;
    advance(lx);
    while (peek(lx, 0) == ' ' || peek(lx, 0) == '\t' || peek(lx, 0) == '\r') advance(lx);
    if (peek(lx, 0) == '\n') {
        advance(lx);
        while (peek(lx, 0) == ' ' || peek(lx, 0) == '\t' || peek(lx, 0) == '\r') advance(lx);
        if (!at_end(lx)) return ND_OK;
    }
    if (at_end(lx)) {
        lx->out->incomplete = 1;
        return fail_at(lx, line, col, 1, "line continuation '\\' at the end of the input");
    }
    return fail_at(lx, line, col, 1, "'\\' continues a line only as its last character");
}

static nd_status bad_character(lexer *lx)
{
    /* Show a whole UTF-8 character (a pasted "−" is a classic) rather than one byte. */
    unsigned char c = (unsigned char)lx->src[lx->pos];
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (lx->pos + n > lx->len) n = lx->len - lx->pos;
    if (isprint(c) || c >= 0x80)
        return nd_error_set(lx->err, ND_ESYNTAX, lx->line, lx->col, (int)n,
                            "unexpected character '%.*s'", (int)n, lx->src + lx->pos);
    return nd_error_set(lx->err, ND_ESYNTAX, lx->line, lx->col, 1,
                        "unexpected control character 0x%02x", c);
}

/* Operators, longest match first. */
static const struct { const char *text; nd_tok_kind kind; } operators[] = {
    {"<=", ND_TOK_LE}, {">=", ND_TOK_GE}, {"==", ND_TOK_EQ}, {"!=", ND_TOK_NE},
    {"..", ND_TOK_DOTDOT},
    {"+", ND_TOK_PLUS}, {"-", ND_TOK_MINUS}, {"*", ND_TOK_STAR}, {"/", ND_TOK_SLASH},
    {"^", ND_TOK_CARET}, {"<", ND_TOK_LT}, {">", ND_TOK_GT}, {"=", ND_TOK_ASSIGN},
    {",", ND_TOK_COMMA}, {"(", ND_TOK_LPAREN}, {")", ND_TOK_RPAREN},
    {"[", ND_TOK_LBRACKET}, {"]", ND_TOK_RBRACKET}, {"{", ND_TOK_LBRACE},
    {"}", ND_TOK_RBRACE}, {"?", ND_TOK_QUESTION}, {"'", ND_TOK_QUOTE}, {";", ND_TOK_SEMI},
};

static nd_status lex_operator(lexer *lx)
{
    for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++) {
        size_t n = strlen(operators[i].text);
        if (lx->pos + n > lx->len || memcmp(lx->src + lx->pos, operators[i].text, n) != 0)
            continue;
        size_t off = lx->pos;
        int line = lx->line, col = lx->col;
        for (size_t k = 0; k < n; k++) advance(lx);
        nd_tok_kind kind = operators[i].kind;
        if (kind == ND_TOK_LPAREN || kind == ND_TOK_LBRACKET) lx->depth++;
        if ((kind == ND_TOK_RPAREN || kind == ND_TOK_RBRACKET) && lx->depth > 0) lx->depth--;
        return push(lx, kind, off, line, col) ? ND_OK : ND_ENOMEM;
    }
    return bad_character(lx);
}

static nd_status lex_one(lexer *lx)
{
    int c = peek(lx, 0);
    if (c == ' ' || c == '\t' || c == '\r') {
        advance(lx);
        return ND_OK;
    }
    if (c == '#') {
        while (!at_end(lx) && peek(lx, 0) != '\n') advance(lx);
        return ND_OK;
    }
    if (c == '\n') {
        size_t off = lx->pos;
        int line = lx->line, col = lx->col;
        advance(lx);
        if (lx->depth > 0) return ND_OK;
        return push(lx, ND_TOK_NEWLINE, off, line, col) ? ND_OK : ND_ENOMEM;
    }
    if (c == '\\') return lex_continuation(lx);
    if (c == '"') return lex_string(lx);
    if (isdigit(c) || (c == '.' && isdigit(peek(lx, 1)))) return lex_number(lx);
    if (is_name_start(c)) return lex_name(lx);
    if (c == '.' && is_name_start(peek(lx, 1))) {
        size_t off = lx->pos;
        int line = lx->line, col = lx->col;
        advance(lx);
        return push(lx, ND_TOK_DOT, off, line, col) ? ND_OK : ND_ENOMEM;
    }
    return lex_operator(lx);
}

nd_status nd_lex_all(const char *src, size_t len, int line, int col, nd_tokens *out,
                     nd_error *err)
{
    *out = (nd_tokens){0};
    lexer lx = {src, len, 0, line, col, 0, out, err};
    while (!at_end(&lx)) {
        nd_status st = lex_one(&lx);
        if (st != ND_OK) {
            int incomplete = out->incomplete;
            nd_lex_free(out);
            out->incomplete = incomplete;
            return st;
        }
    }
    if (!push(&lx, ND_TOK_EOF, lx.pos, lx.line, lx.col)) {
        nd_lex_free(out);
        return ND_ENOMEM;
    }
    return ND_OK;
}

void nd_lex_free(nd_tokens *toks)
{
    for (size_t i = 0; i < toks->count; i++) free(toks->items[i].str);
    free(toks->items);
    *toks = (nd_tokens){0};
}

const char *nd_lex_kind_name(nd_tok_kind kind)
{
    switch (kind) {
    case ND_TOK_EOF:      return "end of input";
    case ND_TOK_NEWLINE:  return "end of line";
    case ND_TOK_NUMBER:   return "a number";
    case ND_TOK_STRING:   return "a string";
    case ND_TOK_NAME:     return "a name";
    case ND_TOK_PLUS:     return "'+'";
    case ND_TOK_MINUS:    return "'-'";
    case ND_TOK_STAR:     return "'*'";
    case ND_TOK_SLASH:    return "'/'";
    case ND_TOK_CARET:    return "'^'";
    case ND_TOK_LT:       return "'<'";
    case ND_TOK_LE:       return "'<='";
    case ND_TOK_GT:       return "'>'";
    case ND_TOK_GE:       return "'>='";
    case ND_TOK_EQ:       return "'=='";
    case ND_TOK_NE:       return "'!='";
    case ND_TOK_ASSIGN:   return "'='";
    case ND_TOK_COMMA:    return "','";
    case ND_TOK_LPAREN:   return "'('";
    case ND_TOK_RPAREN:   return "')'";
    case ND_TOK_LBRACKET: return "'['";
    case ND_TOK_RBRACKET: return "']'";
    case ND_TOK_LBRACE:   return "'{'";
    case ND_TOK_RBRACE:   return "'}'";
    case ND_TOK_DOTDOT:   return "'..'";
    case ND_TOK_QUESTION: return "'?'";
    case ND_TOK_QUOTE:    return "\"'\"";
    case ND_TOK_SEMI:     return "';'";
    case ND_TOK_DOT:      return "'.'";
    }
    return "a token";
}

const char *nd_lex_describe(const nd_token *tok, char *buf, size_t cap)
{
    switch (tok->kind) {
    case ND_TOK_NAME:
    case ND_TOK_NUMBER:
    case ND_TOK_STRING: {
        int n = tok->len > 40 ? 40 : (int)tok->len;
        snprintf(buf, cap, "'%.*s%s'", n, tok->text, tok->len > 40 ? "..." : "");
        break;
    }
    default:
        snprintf(buf, cap, "%s", nd_lex_kind_name(tok->kind));
    }
    return buf;
}

int nd_lex_is_word(const nd_token *tok, const char *word)
{
    return tok->kind == ND_TOK_NAME && strlen(word) == tok->len &&
           memcmp(tok->text, word, tok->len) == 0;
}

char *nd_lex_text(const nd_token *tok)
{
    return strndup(tok->text, tok->len);
}
