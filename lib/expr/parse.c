/* Precedence climbing: every binary operator has a left binding power; a right operand is
   parsed with the power that makes the operator left- or right-associative. */
#include "parse.h"

#include <stdlib.h>
#include <string.h>

typedef struct parser {
    const nd_tokens *toks;
    size_t pos;
    nd_error *err;
    int depth;        /* nested sub-expressions being parsed */
    int height;       /* the tallest tree parse_expr returned since it was last reset */
} parser;

/* Deeper nesting is refused: the parser, the evaluator and the model compiler recurse,
   and hostile input must not exhaust the C stack. MAX_DEPTH bounds the parser's own
   recursion; MAX_HEIGHT the height of the tree it builds, which a flat chain such as
   1+1+...+1 makes tall without any nesting (one level per operator). */
enum { MAX_DEPTH = 200, MAX_HEIGHT = 1000 };

enum {
    BP_RANGE = 1, BP_OR = 2, BP_AND = 3, BP_NOT = 4, BP_CMP = 5,
    BP_ADD = 6, BP_MUL = 7, BP_UNARY = 8, BP_POW = 9
};

static const nd_token *cur(const parser *p) { return &p->toks->items[p->pos]; }

static nd_expr *parse_expr(parser *p, int min_bp, const nd_token *after);
static nd_expr *parse_binary(parser *p, int min_bp, const nd_token *after);
static nd_expr *parse_atom(parser *p, const nd_token *after);

int nd_expr_is_keyword(const char *name)
{
    return strcmp(name, "and") == 0 || strcmp(name, "or") == 0 || strcmp(name, "not") == 0;
}

static int is_keyword_token(const nd_token *t)
{
    return nd_lex_is_word(t, "and") || nd_lex_is_word(t, "or") || nd_lex_is_word(t, "not");
}

int nd_expr_can_start(const nd_token *t)
{
    switch (t->kind) {
    case ND_TOK_NUMBER: case ND_TOK_STRING: case ND_TOK_LPAREN: case ND_TOK_LBRACKET:
    case ND_TOK_MINUS: case ND_TOK_PLUS:
        return 1;
    case ND_TOK_NAME:
        return !is_keyword_token(t) || nd_lex_is_word(t, "not");
    default:
        return 0;
    }
}

/* Sets the span of e to run from token first to the last token consumed. */
static nd_expr *finish(parser *p, nd_expr *e, size_t first)
{
    const nd_token *a = &p->toks->items[first], *z = &p->toks->items[p->pos - 1];
    e->span = z->line == a->line ? (int)(z->off + z->len - a->off) : 1;
    return e;
}

static nd_expr *fail(parser *p, const nd_token *at, const char *fmt, const char *what)
{
    nd_error_set(p->err, ND_ESYNTAX, at->line, at->col, (int)(at->len ? at->len : 1), fmt, what);
    return NULL;
}

static nd_expr *oom(parser *p)
{
    nd_error_fail(p->err, ND_ENOMEM, "out of memory while parsing");
    return NULL;
}

/* Reports a missing closer: at the opener when the input ended, else at the intruder. */
static nd_expr *unclosed(parser *p, const nd_token *open, nd_tok_kind closer)
{
    const nd_token *t = cur(p);
    if (t->kind == ND_TOK_EOF)
        return fail(p, open, "unclosed %s", nd_lex_kind_name(open->kind));
    char found[64];
    nd_lex_describe(t, found, sizeof found);
    nd_error_set(p->err, ND_ESYNTAX, t->line, t->col, (int)(t->len ? t->len : 1),
                 "expected %s to close %s from line %d, column %d, found %s",
                 nd_lex_kind_name(closer), nd_lex_kind_name(open->kind), open->line,
                 open->col, found);
    return NULL;
}

/* Parses "item, item, ..." up to closer into e->items (the opener is already consumed). */
static nd_expr *parse_items(parser *p, nd_expr *e, const nd_token *open, nd_tok_kind closer)
{
    size_t cap = 0;
    if (cur(p)->kind == closer) {
        p->pos++;
        return e;
    }
    for (;;) {
        const nd_token *sep = p->pos > 0 ? &p->toks->items[p->pos - 1] : open;
        nd_expr *item = parse_expr(p, 0, sep->kind == ND_TOK_COMMA ? sep : NULL);
        if (!item) goto fail;
        if (e->nitems == cap) {
            cap = cap ? 2 * cap : 4;
            nd_expr **items = realloc(e->items, cap * sizeof *items);
            if (!items) {
                nd_expr_free(item);
                oom(p);
                goto fail;
            }
            e->items = items;
        }
        e->items[e->nitems++] = item;
        if (cur(p)->kind == ND_TOK_COMMA) {
            p->pos++;
            continue;
        }
        if (cur(p)->kind == closer) {
            p->pos++;
            return e;
        }
        unclosed(p, open, closer);
        goto fail;
    }
fail:
    nd_expr_free(e);
    return NULL;
}

/* Wraps e in a postfix node of kind (INDEX or FIELD) starting where e starts. */
static nd_expr *wrap(parser *p, nd_expr *e, nd_expr_kind kind)
{
    nd_expr *w = nd_expr_new(kind, e->line, e->col, e->span);
    if (!w) {
        nd_expr_free(e);
        return oom(p);
    }
    w->a = e;
    return w;
}

/* An index x[i] (the bracket touching what it indexes, so that `print x [1, 2]` keeps
   two arguments) or a field .name after a bracket, as often as they follow. */
static nd_expr *parse_postfix(parser *p, nd_expr *e, size_t first)
{
    while (e) {
        const nd_token *t = cur(p), *prev = &p->toks->items[p->pos - 1];
        if (t->kind == ND_TOK_LBRACKET && t->off == prev->off + prev->len) {
            p->pos++;
            if (!(e = wrap(p, e, ND_EXPR_INDEX))) return NULL;
            if (!(e->b = parse_expr(p, 0, t))) {
                nd_expr_free(e);
                return NULL;
            }
            if (cur(p)->kind != ND_TOK_RBRACKET) {
                nd_expr_free(e);
                return unclosed(p, t, ND_TOK_RBRACKET);
            }
            p->pos++;
        } else if (t->kind == ND_TOK_DOT) {
            const nd_token *name = &p->toks->items[p->pos + 1];
            if (name->kind != ND_TOK_NAME) {
                nd_expr_free(e);
                return fail(p, t, "expected a field name after %s", "'.'");
            }
            p->pos += 2;
            /* The lexer keeps ".a.b" as one name; each part is a field of its own. */
            for (size_t i = 0; i < name->len;) {
                size_t j = i;
                while (j < name->len && name->text[j] != '.') j++;
                if (!(e = wrap(p, e, ND_EXPR_FIELD))) return NULL;
                if (!(e->str = strndup(name->text + i, j - i))) {
                    nd_expr_free(e);
                    return oom(p);
                }
                i = j + 1;
            }
        } else {
            return e;
        }
        finish(p, e, first);
    }
    return NULL;
}

static nd_expr *parse_primary(parser *p, const nd_token *after)
{
    size_t first = p->pos;
    nd_expr *e = parse_atom(p, after);
    return e ? parse_postfix(p, e, first) : NULL;
}

static nd_expr *parse_atom(parser *p, const nd_token *after)
{
    size_t first = p->pos;
    const nd_token *t = cur(p);
    nd_expr *e;
    switch (t->kind) {
    case ND_TOK_NUMBER:
        p->pos++;
        if (!(e = nd_expr_new(ND_EXPR_NUMBER, t->line, t->col, (int)t->len))) return oom(p);
        e->num = t->num;
        return e;
    case ND_TOK_STRING:
        p->pos++;
        if (!(e = nd_expr_new(ND_EXPR_STRING, t->line, t->col, (int)t->len))) return oom(p);
        if (!(e->str = strdup(t->str))) {
            nd_expr_free(e);
            return oom(p);
        }
        return e;
    case ND_TOK_LPAREN:
        p->pos++;
        if (!(e = parse_expr(p, 0, t))) return NULL;
        if (cur(p)->kind != ND_TOK_RPAREN) {
            nd_expr_free(e);
            return unclosed(p, t, ND_TOK_RPAREN);
        }
        p->pos++;
        return e;
    case ND_TOK_LBRACKET:
        p->pos++;
        if (!(e = nd_expr_new(ND_EXPR_LIST, t->line, t->col, 1))) return oom(p);
        return (e = parse_items(p, e, t, ND_TOK_RBRACKET)) ? finish(p, e, first) : NULL;
    case ND_TOK_NAME:
        if (is_keyword_token(t)) break;
        p->pos++;
        int call = cur(p)->kind == ND_TOK_LPAREN;
        if (!(e = nd_expr_new(call ? ND_EXPR_CALL : ND_EXPR_NAME, t->line, t->col, (int)t->len)))
            return oom(p);
        if (!(e->str = nd_lex_text(t))) {
            nd_expr_free(e);
            return oom(p);
        }
        if (!call) return e;
        const nd_token *open = cur(p);
        p->pos++;
        return (e = parse_items(p, e, open, ND_TOK_RPAREN)) ? finish(p, e, first) : NULL;
    default:
        break;
    }
    if (after) {
        char what[64];
        return fail(p, after, "expected an expression after %s", nd_lex_describe(after, what, sizeof what));
    }
    char found[64];
    return fail(p, t, "expected an expression, found %s", nd_lex_describe(t, found, sizeof found));
}

static nd_expr *parse_prefix(parser *p, const nd_token *after)
{
    const nd_token *t = cur(p);
    size_t first = p->pos;
    int neg = t->kind == ND_TOK_MINUS, not = nd_lex_is_word(t, "not");
    if (t->kind == ND_TOK_PLUS) {
        p->pos++;
        return parse_expr(p, BP_UNARY, t);
    }
    if (!neg && !not) return parse_primary(p, after);
    p->pos++;
    nd_expr *operand = parse_expr(p, neg ? BP_UNARY : BP_NOT, t);
    if (!operand) return NULL;
    nd_expr *e = nd_expr_new(neg ? ND_EXPR_NEG : ND_EXPR_NOT, t->line, t->col, 1);
    if (!e) {
        nd_expr_free(operand);
        return oom(p);
    }
    e->a = operand;
    return finish(p, e, first);
}

/* Returns the left binding power of the binary operator at t (0 if t is none), its
   operator and the power its right operand is parsed with. */
static int binary_power(const nd_token *t, nd_binop *op, int *right_bp)
{
    static const struct { nd_tok_kind kind; nd_binop op; int bp; } table[] = {
        {ND_TOK_PLUS, ND_OP_ADD, BP_ADD}, {ND_TOK_MINUS, ND_OP_SUB, BP_ADD},
        {ND_TOK_STAR, ND_OP_MUL, BP_MUL}, {ND_TOK_SLASH, ND_OP_DIV, BP_MUL},
        {ND_TOK_CARET, ND_OP_POW, BP_POW},
        {ND_TOK_LT, ND_OP_LT, BP_CMP}, {ND_TOK_LE, ND_OP_LE, BP_CMP},
        {ND_TOK_GT, ND_OP_GT, BP_CMP}, {ND_TOK_GE, ND_OP_GE, BP_CMP},
        {ND_TOK_EQ, ND_OP_EQ, BP_CMP}, {ND_TOK_NE, ND_OP_NE, BP_CMP},
    };
    *right_bp = 0;
    if (t->kind == ND_TOK_DOTDOT) {
        *right_bp = BP_RANGE + 1;
        return BP_RANGE;
    }
    if (nd_lex_is_word(t, "and")) { *op = ND_OP_AND; *right_bp = BP_AND + 1; return BP_AND; }
    if (nd_lex_is_word(t, "or")) { *op = ND_OP_OR; *right_bp = BP_OR + 1; return BP_OR; }
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (table[i].kind != t->kind) continue;
        *op = table[i].op;
        /* ^ is right-associative: 2^3^2 = 2^(3^2). */
        *right_bp = table[i].bp == BP_POW ? BP_POW : table[i].bp + 1;
        return table[i].bp;
    }
    return 0;
}

static nd_expr *parse_expr(parser *p, int min_bp, const nd_token *after)
{
    if (p->depth >= MAX_DEPTH) {
        nd_error_set(p->err, ND_ESYNTAX, cur(p)->line, cur(p)->col, 1,
                     "expression nested more than %d deep", MAX_DEPTH);
        return NULL;
    }
    p->depth++;
    nd_expr *e = parse_binary(p, min_bp, after);
    p->depth--;
    return e;
}

/* Parses a prefix and the binary operators that follow it. The height of the result
   is bounded from above (a node is one taller than the tallest sub-expression parsed
   for it) and reported to the caller through p->height, which it only raises. */
static nd_expr *parse_binary(parser *p, int min_bp, const nd_token *after)
{
    size_t first = p->pos;
    int outer = p->height;
    p->height = 0;
    nd_expr *left = parse_prefix(p, after);
    int height = p->height + 1;
    while (left) {
        const nd_token *t = cur(p);
        nd_binop op = ND_OP_ADD;
        int right_bp, bp = binary_power(t, &op, &right_bp);
        if (bp == 0 || bp < min_bp) break;
        p->pos++;
        p->height = 0;
        nd_expr *right = parse_expr(p, right_bp, t);
        if (!right) {
            nd_expr_free(left);
            return NULL;
        }
        height = (height > p->height ? height : p->height) + 1;
        if (height > MAX_HEIGHT) {
            nd_error_set(p->err, ND_ESYNTAX, t->line, t->col, (int)t->len,
                         "expression is too deep: more than %d operations chained or nested "
                         "(split it into named parts)", MAX_HEIGHT);
            nd_expr_free(left);
            nd_expr_free(right);
            return NULL;
        }
        int range = t->kind == ND_TOK_DOTDOT;
        nd_expr *e = nd_expr_new(range ? ND_EXPR_RANGE : ND_EXPR_BINARY, left->line, left->col, 1);
        if (!e) {
            nd_expr_free(left);
            nd_expr_free(right);
            return oom(p);
        }
        e->op = op;
        e->a = left;
        e->b = right;
        left = finish(p, e, first);
    }
    p->height = outer > height ? outer : height;
    return left;
}

nd_expr *nd_expr_parse(const nd_tokens *toks, size_t *pos, nd_error *err)
{
    parser p = {toks, *pos, err, 0, 0};
    nd_expr *e = parse_expr(&p, 0, NULL);
    if (e) *pos = p.pos;
    return e;
}
