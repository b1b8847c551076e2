/* Ownership and a canonical text form of statements. */
#include "ast.h"

#include <stdlib.h>

#include "../base/textfmt.h"

void nd_stmt_clear(nd_stmt *s)
{
    free(s->bind);
    nd_expr_free(s->expr);
    free(s->call.name);
    for (size_t i = 0; i < s->call.nargs; i++) {
        free(s->call.args[i].key);
        nd_expr_free(s->call.args[i].value);
    }
    free(s->call.args);
    free(s->call.block.text);
    free(s->topic);
    *s = (nd_stmt){0};
}

void nd_program_free(nd_program *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->count; i++) nd_stmt_clear(&p->stmts[i]);
    free(p->stmts);
    free(p);
}

void nd_stmt_format(const nd_stmt *s, nd_sb *sb)
{
    if (s->bind) nd_sb_printf(sb, "%s = ", s->bind);
    switch (s->kind) {
    case ND_STMT_EXPR:
        nd_sb_puts(sb, "expr ");
        nd_expr_format(s->expr, sb);
        break;
    case ND_STMT_HELP:
        nd_sb_printf(sb, "help? %s", s->topic);
        break;
    case ND_STMT_CMD:
        nd_sb_printf(sb, "cmd %s", s->call.name);
        for (size_t i = 0; i < s->call.nargs; i++) {
            const nd_arg *a = &s->call.args[i];
            if (a->key) {
                nd_sb_printf(sb, " %s=", a->key);
                nd_expr_format(a->value, sb);
            } else {
                nd_sb_puts(sb, " [");
                nd_expr_format(a->value, sb);
                nd_sb_putc(sb, ']');
            }
        }
        if (s->call.block.text) {
            nd_sb_puts(sb, " {");
            nd_json_string(sb, s->call.block.text);
            nd_sb_printf(sb, "@%d:%d}", s->call.block.line, s->call.block.col);
        }
        break;
    }
}
