/* Recursive descent over the token list; expressions are delegated to the Pratt parser
   in lib/expr. A statement is decided by its first two tokens:
     ? NAME | NAME ?          help
     NAME = ...               binding (of a command's result when a command follows)
     COMMAND args...          command
     anything else            expression */
#include "parser.h"

#include <stdlib.h>
#include <string.h>

#include "../expr/parse.h"
#include "../expr/lexer.h"

typedef struct parser {
    const nd_tokens *toks;
    size_t pos;
    const nd_cmd_registry *reg;
    nd_error *err;
} parser;

/* The token k places ahead of the current one (EOF stays EOF). */
static const nd_token *ahead(const parser *p, size_t k)
{
    size_t i = p->pos + k < p->toks->count ? p->pos + k : p->toks->count - 1;
    return &p->toks->items[i];
}

static const nd_token *cur(const parser *p) { return ahead(p, 0); }
static const nd_token *next(const parser *p) { return ahead(p, 1); }

static int ends_statement(const nd_token *t)
{
    return t->kind == ND_TOK_NEWLINE || t->kind == ND_TOK_SEMI || t->kind == ND_TOK_EOF;
}

static int is_closer(const nd_token *t)
{
    return t->kind == ND_TOK_RPAREN || t->kind == ND_TOK_RBRACKET || t->kind == ND_TOK_RBRACE;
}

static nd_status fail(parser *p, const nd_token *at, const char *fmt, const char *what)
{
    return nd_error_set(p->err, ND_ESYNTAX, at->line, at->col, (int)(at->len ? at->len : 1),
                        fmt, what);
}

static nd_status oom(parser *p)
{
    return nd_error_fail(p->err, ND_ENOMEM, "out of memory while parsing");
}

/* The error for a token that cannot continue the statement. */
static nd_status unexpected(parser *p, const nd_token *t)
{
    char what[64];
    nd_lex_describe(t, what, sizeof what);
    if (is_closer(t)) return fail(p, t, "unmatched %s", what);
    return fail(p, t, "unexpected %s at the end of the statement", what);
}

static int is_command(const parser *p, const nd_token *t)
{
    if (t->kind != ND_TOK_NAME || !p->reg) return 0;
    char *name = nd_lex_text(t);
    int found = name && nd_cmd_find(p->reg, name) != NULL;
    free(name);
    return found;
}

static nd_status take_text(parser *p, const nd_token *t, char **out)
{
    *out = nd_lex_text(t);
    return *out ? ND_OK : oom(p);
}

static nd_status parse_expr(parser *p, nd_expr **out)
{
    *out = nd_expr_parse(p->toks, &p->pos, p->err);
    return *out ? ND_OK : p->err->code;
}

/* The operand after an operator-like token (= or ,): its absence is reported there. */
static nd_status parse_expr_after(parser *p, const nd_token *after, nd_expr **out)
{
    if (!nd_expr_can_start(cur(p))) {
        char what[64];
        *out = NULL;
        return fail(p, after, "expected an expression after %s",
                    nd_lex_describe(after, what, sizeof what));
    }
    return parse_expr(p, out);
}

static int starts_option(const parser *p)
{
    return cur(p)->kind == ND_TOK_NAME && next(p)->kind == ND_TOK_ASSIGN;
}

/* A comma continues an option's value list unless the next key=value follows it. */
static int continues_list(const parser *p)
{
    const nd_token *t = next(p);
    return cur(p)->kind == ND_TOK_COMMA && nd_expr_can_start(t) &&
           !(t->kind == ND_TOK_NAME && ahead(p, 2)->kind == ND_TOK_ASSIGN);
}

static nd_status append_item(parser *p, nd_expr *list, nd_expr *item)
{
    nd_expr **items = realloc(list->items, (list->nitems + 1) * sizeof *items);
    if (!items) {
        nd_expr_free(item);
        return oom(p);
    }
    list->items = items;
    list->items[list->nitems++] = item;
    return ND_OK;
}

/* key=value where value may be a comma list "16, 16" (up to the next key=). */
static nd_status parse_option_value(parser *p, const nd_token *eq, nd_expr **out)
{
    nd_status st = parse_expr_after(p, eq, out);
    if (st != ND_OK || !continues_list(p)) return st;
    nd_expr *first = *out;
    nd_expr *list = nd_expr_new(ND_EXPR_LIST, first->line, first->col, first->span);
    if (!list) {
        nd_expr_free(first);
        return oom(p);
    }
    *out = list;
    st = append_item(p, list, first);
    while (st == ND_OK && continues_list(p)) {
        const nd_token *comma = cur(p);
        nd_expr *item;
        p->pos++;
        st = parse_expr_after(p, comma, &item);
        if (st == ND_OK) st = append_item(p, list, item);
    }
    if (st != ND_OK) {
        nd_expr_free(list);
        *out = NULL;
        return st;
    }
    const nd_expr *last = list->items[list->nitems - 1];
    if (last->line == list->line) list->span = last->col + last->span - list->col;
    return ND_OK;
}

/* Skips a { ... } block (braces nest) and keeps its inside as raw text. */
static nd_status parse_block(parser *p, nd_block *block)
{
    const nd_token *open = cur(p);
    int depth = 0;
    do {
        const nd_token *t = cur(p);
        if (t->kind == ND_TOK_EOF)
            return fail(p, open, "unterminated block: %s has no matching '}'", "'{'");
        if (t->kind == ND_TOK_LBRACE) depth++;
        if (t->kind == ND_TOK_RBRACE) depth--;
        p->pos++;
    } while (depth > 0);
    const nd_token *close = &p->toks->items[p->pos - 1];
    const char *start = open->text + 1;
    block->len = (size_t)(close->text - start);
    /* A copy of all len bytes (not strndup, which stops at a NUL the text may hold). */
    if ((block->text = malloc(block->len + 1))) {
        memcpy(block->text, start, block->len);
        block->text[block->len] = '\0';
    }
    block->line = open->line;
    block->col = open->col + 1;
    return block->text ? ND_OK : oom(p);
}

static nd_status add_arg(parser *p, nd_call *call, nd_arg arg)
{
    nd_arg *args = realloc(call->args, (call->nargs + 1) * sizeof *args);
    if (!args) {
        free(arg.key);
        nd_expr_free(arg.value);
        return oom(p);
    }
    call->args = args;
    call->args[call->nargs++] = arg;
    return ND_OK;
}

static nd_status parse_arg(parser *p, nd_call *call)
{
    const nd_token *t = cur(p);
    nd_arg arg = {NULL, t->line, t->col, (int)t->len, NULL};
    nd_status st;
    if (starts_option(p)) {
        const nd_token *eq = next(p);
        if ((st = take_text(p, t, &arg.key)) != ND_OK) return st;
        p->pos += 2;
        st = parse_option_value(p, eq, &arg.value);
    } else if (t->kind == ND_TOK_ASSIGN) {
        return fail(p, t, "%s needs an option name on its left", "'='");
    } else if (is_closer(t) || !nd_expr_can_start(t)) {
        char what[64];
        nd_lex_describe(t, what, sizeof what);
        if (is_closer(t)) return fail(p, t, "unmatched %s", what);
        return nd_error_set(p->err, ND_ESYNTAX, t->line, t->col, (int)(t->len ? t->len : 1),
                            "unexpected %s in the arguments of '%s'", what, call->name);
    } else {
        st = parse_expr(p, &arg.value);
    }
    if (st != ND_OK) {
        free(arg.key);
        return st;
    }
    if (!arg.key) arg.span = arg.value->span;
    return add_arg(p, call, arg);
}

static nd_status parse_command(parser *p, nd_call *call)
{
    const nd_token *t = cur(p);
    call->line = t->line;
    call->col = t->col;
    nd_status st = take_text(p, t, &call->name);
    if (st != ND_OK) return st;
    p->pos++;
    int after_item = 0;
    while (!ends_statement(cur(p))) {
        t = cur(p);
        if (t->kind == ND_TOK_LBRACE) return parse_block(p, &call->block);
        if (t->kind == ND_TOK_COMMA) {
            if (!after_item) return fail(p, t, "expected an argument before %s", "','");
            p->pos++;
            if (ends_statement(cur(p)) || cur(p)->kind == ND_TOK_LBRACE)
                return fail(p, t, "expected an argument after %s", "','");
            after_item = 0;
            continue;
        }
        if ((st = parse_arg(p, call)) != ND_OK) return st;
        after_item = 1;
    }
    return ND_OK;
}

static nd_status parse_help(parser *p, nd_stmt *s, const nd_token *name)
{
    s->kind = ND_STMT_HELP;
    s->topic_line = name->line;
    s->topic_col = name->col;
    s->topic_span = (int)name->len;
    return take_text(p, name, &s->topic);
}

static nd_status parse_statement(parser *p, nd_stmt *s)
{
    const nd_token *t = cur(p);
    s->line = t->line;
    s->col = t->col;
    if (t->kind == ND_TOK_QUESTION) {
        p->pos++;
        if (cur(p)->kind != ND_TOK_NAME) return fail(p, t, "expected a name after %s", "'?'");
        nd_status st = parse_help(p, s, cur(p));
        p->pos++;
        return st;
    }
    if (t->kind == ND_TOK_NAME && next(p)->kind == ND_TOK_QUESTION) {
        p->pos += 2;
        return parse_help(p, s, t);
    }
    if (t->kind == ND_TOK_NAME && next(p)->kind == ND_TOK_ASSIGN) {
        const nd_token *eq = next(p);
        nd_status st = take_text(p, t, &s->bind);
        if (st != ND_OK) return st;
        st = nd_cmd_check_bind_name(p->reg, s->bind, t->line, t->col, (int)t->len, p->err);
        if (st != ND_OK) return st;
        p->pos += 2;
        if (is_command(p, cur(p))) {
            s->kind = ND_STMT_CMD;
            return parse_command(p, &s->call);
        }
        s->kind = ND_STMT_EXPR;
        return parse_expr_after(p, eq, &s->expr);
    }
    if (t->kind == ND_TOK_ASSIGN) return fail(p, t, "%s needs a name on its left", "'='");
    if (is_closer(t)) return unexpected(p, t);
    if (is_command(p, t)) {
        s->kind = ND_STMT_CMD;
        return parse_command(p, &s->call);
    }
    s->kind = ND_STMT_EXPR;
    return parse_expr(p, &s->expr);
}

static nd_status append(parser *p, nd_program *prog, nd_stmt *s)
{
    if (prog->count == prog->cap) {
        size_t cap = prog->cap ? 2 * prog->cap : 8;
        nd_stmt *stmts = realloc(prog->stmts, cap * sizeof *stmts);
        if (!stmts) return oom(p);
        prog->stmts = stmts;
        prog->cap = cap;
    }
    prog->stmts[prog->count++] = *s;
    return ND_OK;
}

static nd_status parse_all(parser *p, nd_program *prog)
{
    for (;;) {
        while (cur(p)->kind == ND_TOK_NEWLINE || cur(p)->kind == ND_TOK_SEMI) p->pos++;
        if (cur(p)->kind == ND_TOK_EOF) return ND_OK;
        nd_stmt s = {0};
        nd_status st = parse_statement(p, &s);
        if (st == ND_OK && !ends_statement(cur(p))) st = unexpected(p, cur(p));
        if (st == ND_OK) st = append(p, prog, &s);
        if (st != ND_OK) {
            nd_stmt_clear(&s);
            return st;
        }
    }
}

nd_status nd_parse_program(const char *src, size_t len, int line, int col,
                           const nd_cmd_registry *reg, nd_program **out, nd_error *err)
{
    nd_error local;
    if (!err) err = &local;
    *out = NULL;
    nd_tokens toks;
    nd_status st = nd_lex_all(src, len, line, col, &toks, err);
    if (st != ND_OK) return st;
    nd_program *prog = calloc(1, sizeof *prog);
    if (!prog) {
        nd_lex_free(&toks);
        return nd_error_fail(err, ND_ENOMEM, "out of memory while parsing");
    }
    parser p = {&toks, 0, reg, err};
    st = parse_all(&p, prog);
    nd_lex_free(&toks);
    if (st != ND_OK) {
        nd_program_free(prog);
        return st;
    }
    *out = prog;
    return ND_OK;
}

nd_expr *nd_parse_expression(const char *text, nd_error *err)
{
    nd_error local;
    if (!err) err = &local;
    nd_tokens toks;
    if (nd_lex_all(text, strlen(text), 1, 1, &toks, err) != ND_OK) return NULL;
    parser p = {&toks, 0, NULL, err};
    while (cur(&p)->kind == ND_TOK_NEWLINE) p.pos++;
    nd_expr *e = nd_expr_parse(&toks, &p.pos, err);
    while (e && cur(&p)->kind == ND_TOK_NEWLINE) p.pos++;
    if (e && cur(&p)->kind != ND_TOK_EOF) {
        char what[64];
        fail(&p, cur(&p), "unexpected %s after the expression",
             nd_lex_describe(cur(&p), what, sizeof what));
        nd_expr_free(e);
        e = NULL;
    }
    nd_lex_free(&toks);
    return e;
}
