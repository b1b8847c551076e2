/* Token-level helpers shared by the statement parsers of the model language. */
#include "model_cursor.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../expr/parse.h"

const nd_token *md_cur(const md_cursor *c)
{
    return &c->toks->items[c->pos];
}

const nd_token *md_ahead(const md_cursor *c, size_t k)
{
    size_t i = c->pos + k;
    return &c->toks->items[i < c->toks->count ? i : c->toks->count - 1];
}

nd_status md_fail(md_cursor *c, const nd_token *tok, nd_status code, const char *fmt, ...)
{
    char msg[sizeof c->err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return nd_error_set(c->err, code, tok->line, tok->col, tok->len ? (int)tok->len : 1, "%s", msg);
}

nd_status md_oom(md_cursor *c)
{
    return nd_error_fail(c->err, ND_ENOMEM, "out of memory while reading the model");
}

nd_status md_expected(md_cursor *c, const char *what)
{
    char found[64];
    return md_fail(c, md_cur(c), ND_ESYNTAX, "expected %s, found %s", what,
                   nd_lex_describe(md_cur(c), found, sizeof found));
}

nd_status md_expect(md_cursor *c, nd_tok_kind kind, const char *what)
{
    if (md_cur(c)->kind != kind) return md_expected(c, what);
    c->pos++;
    return ND_OK;
}

nd_status md_expect_end(md_cursor *c)
{
    nd_tok_kind k = md_cur(c)->kind;
    if (k == ND_TOK_EOF) return ND_OK;
    if (k == ND_TOK_NEWLINE || k == ND_TOK_SEMI) {
        c->pos++;
        return ND_OK;
    }
    return md_expected(c, "the end of the statement");
}

void md_skip_blank(md_cursor *c)
{
    while (md_cur(c)->kind == ND_TOK_NEWLINE || md_cur(c)->kind == ND_TOK_SEMI) c->pos++;
}

nd_status md_take_name(md_cursor *c, const char *what, char **out, const nd_token **tok)
{
    const nd_token *t = md_cur(c);
    if (t->kind != ND_TOK_NAME) return md_expected(c, what);
    if (memchr(t->text, '.', t->len))
        return md_fail(c, t, ND_ESYNTAX, "a model name cannot contain '.': '%.*s'",
                       (int)t->len, t->text);
    char *name = nd_lex_text(t);
    if (!name) return md_oom(c);
    if (md_is_reserved(name)) {
        free(name);
        return md_fail(c, t, ND_ESYNTAX, "'%.*s' is a reserved word of the model language and "
                       "cannot be %s", (int)t->len, t->text, what);
    }
    *out = name;
    if (tok) *tok = t;
    c->pos++;
    return ND_OK;
}

char *md_raw_text(const nd_tokens *toks, size_t i0, size_t i1)
{
    nd_sb sb;
    nd_sb_init(&sb);
    for (size_t i = i0; i < i1; i++) {
        const nd_token *t = &toks->items[i];
        if (i > i0) {
            const nd_token *prev = &toks->items[i - 1];
            if (prev->off + prev->len < t->off) nd_sb_putc(&sb, ' ');
        }
        nd_sb_putn(&sb, t->text, t->len);
    }
    if (!sb.data) nd_sb_puts(&sb, "");
    return nd_sb_take(&sb);
}

nd_status md_parse_expr(md_cursor *c, nd_expr **out, char **text)
{
    size_t first = c->pos;
    nd_expr *e = nd_expr_parse(c->toks, &c->pos, c->err);
    if (!e) return c->err ? c->err->code : ND_ESYNTAX;
    if (text && !(*text = md_raw_text(c->toks, first, c->pos))) {
        nd_expr_free(e);
        return md_oom(c);
    }
    *out = e;
    return ND_OK;
}

nd_status md_parse_const(md_cursor *c, const char *what, double *out, char **text)
{
    nd_expr *e;
    nd_status st = md_parse_expr(c, &e, text);
    if (st) return st;
    st = md_const_eval(e, what, out, c->err);
    nd_expr_free(e);
    if (st && text) {
        free(*text);
        *text = NULL;
    }
    return st;
}

nd_status md_opt_string(md_cursor *c, char **out)
{
    *out = NULL;
    if (md_cur(c)->kind != ND_TOK_STRING) return ND_OK;
    if (!(*out = strdup(md_cur(c)->str))) return md_oom(c);
    c->pos++;
    return ND_OK;
}
