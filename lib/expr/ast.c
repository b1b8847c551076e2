/* Construction, destruction and a canonical text form of expression trees. */
#include "ast.h"

#include <stdlib.h>
#include <string.h>

#include "../base/numfmt.h"
#include "../base/textfmt.h"

nd_expr *nd_expr_new(nd_expr_kind kind, int line, int col, int span)
{
    nd_expr *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->kind = kind;
    e->line = line;
    e->col = col;
    e->span = span > 0 ? span : 1;
    return e;
}

void nd_expr_free(nd_expr *e)
{
    if (!e) return;
    nd_expr_free(e->a);
    nd_expr_free(e->b);
    for (size_t i = 0; i < e->nitems; i++) nd_expr_free(e->items[i]);
    free(e->items);
    free(e->str);
    free(e);
}

const char *nd_expr_op_name(nd_binop op)
{
    static const char *const names[] = {
        "+", "-", "*", "/", "^", "<", "<=", ">", ">=", "==", "!=", "and", "or"
    };
    return names[op];
}

const char *nd_expr_kind_noun(nd_expr_kind kind)
{
    switch (kind) {
    case ND_EXPR_STRING: return "a string";
    case ND_EXPR_LIST:   return "a list";
    case ND_EXPR_RANGE:  return "a range";
    case ND_EXPR_INDEX:  return "an index x[i] (indexing is for results in the command language)";
    case ND_EXPR_FIELD:  return "a field access (fields are for results in the command language)";
    default:             return "an expression";
    }
}

static void format_items(const nd_expr *e, nd_sb *sb)
{
    for (size_t i = 0; i < e->nitems; i++) {
        if (i) nd_sb_puts(sb, ", ");
        nd_expr_format(e->items[i], sb);
    }
}

void nd_expr_format(const nd_expr *e, nd_sb *sb)
{
    char num[ND_NUMFMT_CAP];
    switch (e->kind) {
    case ND_EXPR_NUMBER: nd_sb_puts(sb, nd_numfmt(e->num, num)); break;
    case ND_EXPR_STRING: nd_json_string(sb, e->str); break;
    case ND_EXPR_NAME:   nd_sb_puts(sb, e->str); break;
    case ND_EXPR_NEG:
        nd_sb_puts(sb, "(-");
        nd_expr_format(e->a, sb);
        nd_sb_putc(sb, ')');
        break;
    case ND_EXPR_NOT:
        nd_sb_puts(sb, "(not ");
        nd_expr_format(e->a, sb);
        nd_sb_putc(sb, ')');
        break;
    case ND_EXPR_BINARY:
    case ND_EXPR_RANGE:
        nd_sb_putc(sb, '(');
        nd_expr_format(e->a, sb);
        nd_sb_printf(sb, e->kind == ND_EXPR_RANGE ? "%s" : " %s ",
                     e->kind == ND_EXPR_RANGE ? ".." : nd_expr_op_name(e->op));
        nd_expr_format(e->b, sb);
        nd_sb_putc(sb, ')');
        break;
    case ND_EXPR_CALL:
        nd_sb_printf(sb, "%s(", e->str);
        format_items(e, sb);
        nd_sb_putc(sb, ')');
        break;
    case ND_EXPR_LIST:
        nd_sb_putc(sb, '[');
        format_items(e, sb);
        nd_sb_putc(sb, ']');
        break;
    case ND_EXPR_INDEX:
        nd_expr_format(e->a, sb);
        nd_sb_putc(sb, '[');
        nd_expr_format(e->b, sb);
        nd_sb_putc(sb, ']');
        break;
    case ND_EXPR_FIELD:
        nd_expr_format(e->a, sb);
        nd_sb_printf(sb, ".%s", e->str);
        break;
    }
}

/* Copies one node's own fields (no children) so that copy and subst share the recursion. */
static nd_expr *copy_node(const nd_expr *e)
{
    nd_expr *c = nd_expr_new(e->kind, e->line, e->col, e->span);
    if (!c) return NULL;
    c->num = e->num;
    c->op = e->op;
    if (e->str && !(c->str = strdup(e->str))) {
        free(c);
        return NULL;
    }
    return c;
}

nd_expr *nd_expr_subst(const nd_expr *e, const char *const *names,
                       const nd_expr *const *repl, size_t n)
{
    if (!e) return NULL;
    if (e->kind == ND_EXPR_NAME)
        for (size_t i = 0; i < n; i++)
            if (strcmp(e->str, names[i]) == 0) return nd_expr_copy(repl[i]);
    nd_expr *c = copy_node(e);
    if (!c) return NULL;
    if ((e->a && !(c->a = nd_expr_subst(e->a, names, repl, n))) ||
        (e->b && !(c->b = nd_expr_subst(e->b, names, repl, n))))
        goto fail;
    if (e->nitems) {
        if (!(c->items = calloc(e->nitems, sizeof *c->items))) goto fail;
        c->nitems = e->nitems;
        for (size_t i = 0; i < e->nitems; i++)
            if (!(c->items[i] = nd_expr_subst(e->items[i], names, repl, n))) goto fail;
    }
    return c;
fail:
    nd_expr_free(c);
    return NULL;
}

nd_expr *nd_expr_copy(const nd_expr *e)
{
    return nd_expr_subst(e, NULL, NULL, 0);
}
