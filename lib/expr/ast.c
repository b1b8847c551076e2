/* Construction, destruction and a canonical text form of expression trees. */
#include "ast.h"

#include <stdlib.h>

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
    }
}
