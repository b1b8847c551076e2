/* Parser: expression precedence, every statement form, every error path. */
#include "test.h"

#include <stdlib.h>

#include "../../lib/base/strbuf.h"
#include "../../lib/expr/parse.h"
#include "../../lib/commands/modules.h"
#include "../../lib/language/parser.h"

static nd_cmd_registry *core_registry(void)
{
    nd_cmd_registry *reg = nd_cmd_registry_create();
    nd_cmd_register_core(reg, NULL);
    return reg;
}

/* Parses src and renders the statements one per line, or "error L:C:S msg". */
static const char *parse_str(const char *src)
{
    static char out[4096];
    nd_cmd_registry *reg = core_registry();
    nd_program *prog;
    nd_error err;
    if (nd_parse_program(src, strlen(src), 1, 1, reg, &prog, &err) != ND_OK) {
        snprintf(out, sizeof out, "error %d:%d:%d %s", err.line, err.col, err.span, err.msg);
        CHECK(prog == NULL);
    } else {
        nd_sb sb;
        nd_sb_init(&sb);
        for (size_t i = 0; i < prog->count; i++) {
            if (i) nd_sb_putc(&sb, '\n');
            nd_stmt_format(&prog->stmts[i], &sb);
        }
        snprintf(out, sizeof out, "%s", nd_sb_str(&sb));
        nd_sb_free(&sb);
        nd_program_free(prog);
    }
    nd_cmd_registry_free(reg);
    return out;
}

/* Parses one expression and renders it fully parenthesised, or "error ...". */
static const char *expr_str(const char *src)
{
    static char out[1024];
    nd_error err;
    nd_expr *e = nd_parse_expression(src, &err);
    if (!e) {
        snprintf(out, sizeof out, "error %d:%d:%d %s", err.line, err.col, err.span, err.msg);
        return out;
    }
    nd_sb sb;
    nd_sb_init(&sb);
    nd_expr_format(e, &sb);
    snprintf(out, sizeof out, "%s", nd_sb_str(&sb));
    nd_sb_free(&sb);
    nd_expr_free(e);
    return out;
}

TEST(parse_expr_precedence)
{
    CHECK_STR(expr_str("1 + 2 * 3"), "(1 + (2 * 3))");
    CHECK_STR(expr_str("(1 + 2) * 3"), "((1 + 2) * 3)");
    CHECK_STR(expr_str("1 - 2 - 3"), "((1 - 2) - 3)");
    CHECK_STR(expr_str("8 / 4 / 2"), "((8 / 4) / 2)");
    CHECK_STR(expr_str("2 ^ 3 ^ 2"), "(2 ^ (3 ^ 2))");
    CHECK_STR(expr_str("-2 ^ 2"), "(-(2 ^ 2))");
    CHECK_STR(expr_str("2 ^ -1"), "(2 ^ (-1))");
    CHECK_STR(expr_str("-a * b"), "((-a) * b)");
    CHECK_STR(expr_str("+3"), "3");
    CHECK_STR(expr_str("a < b + 1"), "(a < (b + 1))");
    CHECK_STR(expr_str("a == 1 and b != 2 or c"), "(((a == 1) and (b != 2)) or c)");
    CHECK_STR(expr_str("not a == b"), "(not (a == b))");
    CHECK_STR(expr_str("not a and b"), "((not a) and b)");
    CHECK_STR(expr_str("a <= b"), "(a <= b)");
    CHECK_STR(expr_str("a >= b"), "(a >= b)");
    CHECK_STR(expr_str("a > b"), "(a > b)");
}

TEST(parse_expr_calls_lists_ranges_strings)
{
    CHECK_STR(expr_str("atan2(y, x + 1)"), "atan2(y, (x + 1))");
    CHECK_STR(expr_str("f()"), "f()");
    CHECK_STR(expr_str("[1, \"a\", [2]]"), "[1, \"a\", [2]]");
    CHECK_STR(expr_str("[]"), "[]");
    CHECK_STR(expr_str("0..n + 1"), "(0..(n + 1))");
    CHECK_STR(expr_str("-1..1"), "((-1)..1)");
    CHECK_STR(expr_str("net.INa"), "net.INa");
    CHECK_STR(expr_str("(1 +\n 2)"), "(1 + 2)");
}

TEST(parse_expr_index_and_fields)
{
    CHECK_STR(expr_str("x[1]"), "x[1]");
    CHECK_STR(expr_str("x[-1] + 1"), "(x[(-1)] + 1)");
    CHECK_STR(expr_str("c.hopf[1].I"), "c.hopf[1].I");
    CHECK_STR(expr_str("c.hopf[1].a.b"), "c.hopf[1].a.b");
    CHECK_STR(expr_str("f(x)[2]"), "f(x)[2]");
    CHECK_STR(expr_str("[1, 2][n + 1]"), "[1, 2][(n + 1)]");
    CHECK_STR(expr_str("-x[1]^2"), "(-(x[1] ^ 2))");
    CHECK_STR(expr_str("x[1"), "error 1:2:1 unclosed '['");
    CHECK_STR(expr_str("x[1]."), "error 1:5:1 unexpected character '.'");
    /* A bracket after a space starts a new list: command arguments stay apart. */
    CHECK_STR(parse_str("print x [1, 2]"), "cmd print [x] [[1, 2]]");
    CHECK_STR(parse_str("print x[1, 2]"), "error 1:10:1 expected ']' to close '[' from line 1, column 8, found ','");
}

TEST(parse_expr_spans)
{
    nd_error err;
    nd_expr *e = nd_parse_expression("  foo(1, 2) + 3", &err);
    CHECK(e != NULL);
    CHECK_INT(e->col, 3);
    CHECK_INT(e->span, 13);
    CHECK_INT(e->a->span, 9);
    nd_expr_free(e);
}

TEST(parse_expr_errors)
{
    CHECK_STR(expr_str("1 +"), "error 1:3:1 expected an expression after '+'");
    CHECK_STR(expr_str("-"), "error 1:1:1 expected an expression after '-'");
    CHECK_STR(expr_str("not"), "error 1:1:3 expected an expression after 'not'");
    CHECK_STR(expr_str("(1 + 2"), "error 1:1:1 unclosed '('");
    CHECK_STR(expr_str("[1, 2"), "error 1:1:1 unclosed '['");
    CHECK_STR(expr_str("f(1"), "error 1:2:1 unclosed '('");
    CHECK_STR(expr_str("[1, ]"), "error 1:3:1 expected an expression after ','");
    CHECK_STR(expr_str("()"), "error 1:1:1 expected an expression after '('");
    CHECK_STR(expr_str("[1 2]"), "error 1:4:1 expected ']' to close '[' from line 1, column 1, found '2'");
    CHECK_STR(expr_str("and"), "error 1:1:3 expected an expression, found 'and'");
    CHECK_STR(expr_str(""), "error 1:1:1 expected an expression, found end of input");
    CHECK_STR(expr_str("1 2"), "error 1:3:1 unexpected '2' after the expression");
}

TEST(parse_statement_forms)
{
    CHECK_STR(parse_str("1 + 2"), "expr (1 + 2)");
    CHECK_STR(parse_str("x = 1 + 2"), "x = expr (1 + 2)");
    CHECK_STR(parse_str("let x = 3"), "cmd let x=3");
    CHECK_STR(parse_str("s = vars"), "s = cmd vars");
    CHECK_STR(parse_str("? sleep"), "help? sleep");
    CHECK_STR(parse_str("sleep?"), "help? sleep");
    CHECK_STR(parse_str("?net.INa"), "help? net.INa");
    CHECK_STR(parse_str("print 1, 2 3"), "cmd print [1] [2] [3]");
    CHECK_STR(parse_str("print 1 + 2"), "cmd print [(1 + 2)]");
    CHECK_STR(parse_str("print a -1"), "cmd print [(a - 1)]");
    CHECK_STR(parse_str("print (x)"), "cmd print [x]");
    CHECK_STR(parse_str("x == 1"), "expr (x == 1)");
}

TEST(parse_statement_separators_comments_blank_lines)
{
    CHECK_STR(parse_str("\n\n# comment\nx = 1; y = 2 ;; \n\nprint x # trailing\n"),
              "x = expr 1\ny = expr 2\ncmd print [x]");
    CHECK_STR(parse_str(""), "");
    CHECK_STR(parse_str("# nothing"), "");
}

TEST(parse_command_options)
{
    /* Spaces around = are allowed inside arguments; it is an option, not a binding. */
    CHECK_STR(parse_str("clear wait = true"), "cmd clear wait=true");
    CHECK_STR(parse_str("clear wait=1..2 x=[1, 2]"), "cmd clear wait=(1..2) x=[1, 2]");
    CHECK_STR(parse_str("print hidden=16,16"), "cmd print hidden=[16, 16]");
    CHECK_STR(parse_str("print hidden=16, 16, act=tanh"), "cmd print hidden=[16, 16] act=tanh");
    CHECK_STR(parse_str("print a, b=1, c"), "cmd print [a] b=[1, c]");
    CHECK_STR(parse_str("print 1 t=2 3"), "cmd print [1] t=2 [3]");
    CHECK_STR(parse_str("print V=-100..50"), "cmd print V=((-100)..50)");
    CHECK_STR(parse_str("print 0..1, 2..3"), "cmd print [(0..1)] [(2..3)]");
}

TEST(parse_command_blocks)
{
    CHECK_STR(parse_str("repeat 3 { print 1 }"), "cmd repeat [3] {\" print 1 \"@1:11}");
    CHECK_STR(parse_str("repeat 2 {\n  repeat 2 { x = 1 }\n}\nprint 1"),
              "cmd repeat [2] {\"\\n  repeat 2 { x = 1 }\\n\"@1:11}\ncmd print [1]");
    CHECK_STR(parse_str("r = repeat 1 {}"), "r = cmd repeat [1] {\"\"@1:15}");
    /* A brace inside a string or comment does not count. */
    CHECK_STR(parse_str("repeat 1 { print \"}\" # }\n}"),
              "cmd repeat [1] {\" print \\\"}\\\" # }\\n\"@1:11}");
}

TEST(parse_errors_missing_expression)
{
    CHECK_STR(parse_str("x = 1\nprint 1 +"), "error 2:9:1 expected an expression after '+'");
    CHECK_STR(parse_str("x ="), "error 1:3:1 expected an expression after '='");
    CHECK_STR(parse_str("clear wait="), "error 1:11:1 expected an expression after '='");
    CHECK_STR(parse_str("print 1,"), "error 1:8:1 expected an argument after ','");
    CHECK_STR(parse_str("print , 1"), "error 1:7:1 expected an argument before ','");
    CHECK_STR(parse_str("print 1,, 2"), "error 1:9:1 expected an argument before ','");
}

TEST(parse_errors_unclosed)
{
    CHECK_STR(parse_str("print (1 + 2"), "error 1:7:1 unclosed '('");
    CHECK_STR(parse_str("x = [1, 2"), "error 1:5:1 unclosed '['");
    CHECK_STR(parse_str("print (1 + 2\nprint 3"),
              "error 2:1:5 expected ')' to close '(' from line 1, column 7, found 'print'");
    CHECK_STR(parse_str("repeat 3 {\n print 1\n"), "error 1:10:1 unterminated block: '{' has no matching '}'");
    CHECK_STR(parse_str("repeat 3 { repeat 2 { }"), "error 1:10:1 unterminated block: '{' has no matching '}'");
}

TEST(parse_errors_stray_closers)
{
    CHECK_STR(parse_str(")"), "error 1:1:1 unmatched ')'");
    CHECK_STR(parse_str("x = 1)"), "error 1:6:1 unmatched ')'");
    CHECK_STR(parse_str("print 1]"), "error 1:8:1 unmatched ']'");
    CHECK_STR(parse_str("x = 1\n}"), "error 2:1:1 unmatched '}'");
}

TEST(parse_errors_assignment)
{
    CHECK_STR(parse_str("= 5"), "error 1:1:1 '=' needs a name on its left");
    CHECK_STR(parse_str("print 1 = 2"), "error 1:9:1 '=' needs an option name on its left");
    CHECK_STR(parse_str("1 = 2"), "error 1:3:1 unexpected '=' at the end of the statement");
    CHECK_STR(parse_str("print = 2"), "error 1:1:5 cannot bind 'print': it is the name of a command");
    CHECK_STR(parse_str("true = 2"), "error 1:1:4 cannot bind 'true': it is a reserved word");
    CHECK_STR(parse_str("and = 2"), "error 1:1:3 cannot bind 'and': it is a reserved word");
    CHECK_STR(parse_str("a.b = 2"), "error 1:1:3 cannot bind 'a.b': workspace names have no dots");
}

TEST(parse_errors_other)
{
    CHECK_STR(parse_str("?"), "error 1:1:1 expected a name after '?'");
    CHECK_STR(parse_str("? 3"), "error 1:1:1 expected a name after '?'");
    CHECK_STR(parse_str("x = 1 2"), "error 1:7:1 unexpected '2' at the end of the statement");
    CHECK_STR(parse_str("repeat 1 { } print"), "error 1:14:5 unexpected 'print' at the end of the statement");
    CHECK_STR(parse_str("print ?"), "help? print");
    CHECK_STR(parse_str("print 1 ?"), "error 1:9:1 unexpected '?' in the arguments of 'print'");
    CHECK_STR(parse_str("x = \"a"), "error 1:5:1 unterminated string");
}

TEST(parse_block_positions_are_cell_relative)
{
    nd_cmd_registry *reg = core_registry();
    nd_program *prog;
    nd_error err;
    /* A block text as it sits at line 3, column 12 of a cell. */
    const char *block = "\n  print 1 +\n";
    CHECK_INT(nd_parse_program(block, strlen(block), 3, 12, reg, &prog, &err), ND_ESYNTAX);
    CHECK_INT(err.line, 4);
    CHECK_INT(err.col, 11);
    nd_cmd_registry_free(reg);
}
