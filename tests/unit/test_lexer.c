/* Lexer: every token kind, positions, ranges, dotted names, continuation, errors. */
#include "test.h"

#include <stdlib.h>

#include "../../lib/base/numfmt.h"
#include "../../lib/base/strbuf.h"
#include "../../lib/expr/lexer.h"

/* Renders the tokens of src compactly: names as text, numbers as #value, strings quoted,
   NL, EOF, operators as written. Returns a static buffer, or the error message. */
static const char *lex_str(const char *src)
{
    static char out[2048];
    nd_tokens toks;
    nd_error err;
    if (nd_lex_all(src, strlen(src), 1, 1, &toks, &err) != ND_OK) {
        snprintf(out, sizeof out, "error %d:%d %s", err.line, err.col, err.msg);
        return out;
    }
    nd_sb sb;
    nd_sb_init(&sb);
    for (size_t i = 0; i < toks.count; i++) {
        const nd_token *t = &toks.items[i];
        char num[ND_NUMFMT_CAP];
        if (i) nd_sb_putc(&sb, ' ');
        switch (t->kind) {
        case ND_TOK_NUMBER: nd_sb_printf(&sb, "#%s", nd_numfmt(t->num, num)); break;
        case ND_TOK_STRING: nd_sb_printf(&sb, "<%s>", t->str); break;
        case ND_TOK_NEWLINE: nd_sb_puts(&sb, "NL"); break;
        case ND_TOK_EOF: nd_sb_puts(&sb, "EOF"); break;
        default: nd_sb_putn(&sb, t->text, t->len);
        }
    }
    snprintf(out, sizeof out, "%s", nd_sb_str(&sb));
    nd_sb_free(&sb);
    nd_lex_free(&toks);
    return out;
}

/* Lexes src expecting failure; returns the error (and whether it is "incomplete"). */
static nd_error lex_fail(const char *src, int *incomplete)
{
    nd_tokens toks;
    nd_error err;
    nd_error_clear(&err);
    nd_status st = nd_lex_all(src, strlen(src), 1, 1, &toks, &err);
    if (st == ND_OK) {
        nd_lex_free(&toks);
        err.code = ND_OK;
    }
    if (incomplete) *incomplete = toks.incomplete;
    return err;
}

TEST(lexer_numbers)
{
    CHECK_STR(lex_str("1 1.5 1e-3 .5 2E+2 3. 0.25e1"), "#1 #1.5 #0.001 #0.5 #200 #3 #2.5 EOF");
}

TEST(lexer_range_is_not_a_decimal_point)
{
    CHECK_STR(lex_str("1..5"), "#1 .. #5 EOF");
    CHECK_STR(lex_str("-2.5..2.5"), "- #2.5 .. #2.5 EOF");
    CHECK_STR(lex_str("a..b"), "a .. b EOF");
}

TEST(lexer_names_and_dotted_names)
{
    CHECK_STR(lex_str("x _y z9 net.INa a.b.c"), "x _y z9 net.INa a.b.c EOF");
    /* A dot followed by a digit is not part of a name. */
    CHECK_STR(lex_str("x.5"), "x #0.5 EOF");
}

TEST(lexer_strings_and_escapes)
{
    CHECK_STR(lex_str("\"hi\" \"a\\nb\" \"t\\tq\\\"s\\\\\""), "<hi> <a\nb> <t\tq\"s\\> EOF");
    CHECK_STR(lex_str("\"\""), "<> EOF");
}

TEST(lexer_every_operator)
{
    CHECK_STR(lex_str("+ - * / ^ < <= > >= == != = , ( ) [ ] { } .. ? ' ;"),
              "+ - * / ^ < <= > >= == != = , ( ) [ ] { } .. ? ' ; EOF");
    CHECK_STR(lex_str("a<=b"), "a <= b EOF");
    CHECK_STR(lex_str("v'=1"), "v ' = #1 EOF");
}

TEST(lexer_token_kinds)
{
    nd_tokens toks;
    nd_error err;
    const char *src = "x = 1 \"s\"\n";
    CHECK_INT(nd_lex_all(src, strlen(src), 1, 1, &toks, &err), ND_OK);
    CHECK_INT(toks.count, 6);
    CHECK_INT(toks.items[0].kind, ND_TOK_NAME);
    CHECK_INT(toks.items[1].kind, ND_TOK_ASSIGN);
    CHECK_INT(toks.items[2].kind, ND_TOK_NUMBER);
    CHECK_INT(toks.items[3].kind, ND_TOK_STRING);
    CHECK_INT(toks.items[4].kind, ND_TOK_NEWLINE);
    CHECK_INT(toks.items[5].kind, ND_TOK_EOF);
    CHECK(nd_lex_is_word(&toks.items[0], "x"));
    CHECK(!nd_lex_is_word(&toks.items[0], "xy"));
    char *text = nd_lex_text(&toks.items[0]);
    CHECK_STR(text, "x");
    free(text);
    char buf[64];
    CHECK_STR(nd_lex_describe(&toks.items[2], buf, sizeof buf), "'1'");
    CHECK_STR(nd_lex_describe(&toks.items[4], buf, sizeof buf), "end of line");
    CHECK_STR(nd_lex_describe(&toks.items[5], buf, sizeof buf), "end of input");
    CHECK_STR(nd_lex_kind_name(ND_TOK_DOTDOT), "'..'");
    nd_lex_free(&toks);
}

TEST(lexer_positions)
{
    nd_tokens toks;
    nd_error err;
    const char *src = "let x = 10\n  print x";
    CHECK_INT(nd_lex_all(src, strlen(src), 1, 1, &toks, &err), ND_OK);
    /* let x = 10 NL print x EOF */
    CHECK_INT(toks.count, 8);
    CHECK_INT(toks.items[3].line, 1);
    CHECK_INT(toks.items[3].col, 9);
    CHECK_INT(toks.items[3].off, 8);
    CHECK_INT(toks.items[3].len, 2);
    CHECK_INT(toks.items[4].line, 1);   /* the newline itself */
    CHECK_INT(toks.items[4].col, 11);
    CHECK_INT(toks.items[5].line, 2);
    CHECK_INT(toks.items[5].col, 3);
    CHECK_INT(toks.items[5].off, 13);
    CHECK_INT(toks.items[6].col, 9);
    nd_lex_free(&toks);
}

TEST(lexer_start_position_offsets_everything)
{
    nd_tokens toks;
    nd_error err;
    const char *src = " a\nb";
    CHECK_INT(nd_lex_all(src, strlen(src), 5, 10, &toks, &err), ND_OK);
    CHECK_INT(toks.items[0].line, 5);
    CHECK_INT(toks.items[0].col, 11);
    CHECK_INT(toks.items[2].line, 6);
    CHECK_INT(toks.items[2].col, 1);
    nd_lex_free(&toks);
    nd_error e = {0};
    CHECK_INT(nd_lex_all("\n  @", 4, 3, 7, &toks, &e), ND_ESYNTAX);
    CHECK_INT(e.line, 4);
    CHECK_INT(e.col, 3);
}

TEST(lexer_comments_and_blank_lines)
{
    CHECK_STR(lex_str("x # a comment \"not a string\"\n\n# whole line\ny"), "x NL NL NL y EOF");
    CHECK_STR(lex_str("#only"), "EOF");
    CHECK_STR(lex_str(""), "EOF");
}

TEST(lexer_newlines_inside_parens_and_brackets_are_ignored)
{
    CHECK_STR(lex_str("f(1,\n 2)\n[3,\n4]\n"), "f ( #1 , #2 ) NL [ #3 , #4 ] NL EOF");
    /* Braces do not hide newlines: blocks are made of lines. */
    CHECK_STR(lex_str("{\nx\n}"), "{ NL x NL } EOF");
}

TEST(lexer_line_continuation)
{
    CHECK_STR(lex_str("print 1 + \\\n  2\nx"), "print #1 + #2 NL x EOF");
    CHECK_STR(lex_str("a \\  \t\r\nb"), "a b EOF");
    nd_tokens toks;
    nd_error err;
    const char *src = "a \\\n  b";
    CHECK_INT(nd_lex_all(src, strlen(src), 1, 1, &toks, &err), ND_OK);
    CHECK_INT(toks.items[1].line, 2);
    CHECK_INT(toks.items[1].col, 3);
    nd_lex_free(&toks);
}

TEST(lexer_error_bad_character)
{
    nd_error e = lex_fail("x = 1\ny = 2 @ 3", NULL);
    CHECK_INT(e.code, ND_ESYNTAX);
    CHECK_INT(e.line, 2);
    CHECK_INT(e.col, 7);
    CHECK_INT(e.span, 1);
    CHECK_STR(e.msg, "unexpected character '@'");
    e = lex_fail("a = 1 \xe2\x88\x92 2", NULL);   /* a pasted Unicode minus */
    CHECK_STR(e.msg, "unexpected character '\xe2\x88\x92'");
    CHECK_INT(e.col, 7);
    CHECK_INT(e.span, 3);
    e = lex_fail("x\x01", NULL);
    CHECK_STR(e.msg, "unexpected control character 0x01");
    e = lex_fail("a . b", NULL);
    CHECK_STR(e.msg, "unexpected character '.'");
    CHECK_INT(e.col, 3);
    e = lex_fail("!x", NULL);
    CHECK_STR(e.msg, "unexpected character '!'");
}

TEST(lexer_error_malformed_numbers)
{
    nd_error e = lex_fail("t = 12abc", NULL);
    CHECK_STR(e.msg, "malformed number '12abc'");
    CHECK_INT(e.col, 5);
    CHECK_INT(e.span, 5);
    e = lex_fail("1e", NULL);
    CHECK_STR(e.msg, "malformed number '1e'");
    e = lex_fail("x = 1e+", NULL);
    CHECK_STR(e.msg, "malformed number '1e+'");
    e = lex_fail("1.5.3", NULL);
    CHECK_STR(e.msg, "malformed number '1.5.3'");
    e = lex_fail("123456789012345678901234567890123456789012345678901234567890123456789", NULL);
    CHECK_STR(e.msg, "number is too long");
}

TEST(lexer_error_strings)
{
    int incomplete = -1;
    nd_error e = lex_fail("x = \"abc\ny", &incomplete);
    CHECK_STR(e.msg, "unterminated string");
    CHECK_INT(e.line, 1);
    CHECK_INT(e.col, 5);
    CHECK_INT(incomplete, 0);
    /* Strings never span lines: more input cannot close one open at the end either. */
    e = lex_fail("print \"abc", &incomplete);
    CHECK_STR(e.msg, "unterminated string");
    CHECK_INT(incomplete, 0);
    e = lex_fail("print \"ab\\", &incomplete);
    CHECK_STR(e.msg, "unterminated string");
    CHECK_INT(incomplete, 0);
    e = lex_fail("\"a\\qb\"", &incomplete);
    CHECK_STR(e.msg, "unknown escape '\\q' in string (use \\n \\t \\\" \\\\)");
    CHECK_INT(e.col, 3);
    CHECK_INT(e.span, 2);
    CHECK_INT(incomplete, 0);
}

TEST(lexer_error_continuation)
{
    int incomplete = -1;
    nd_error e = lex_fail("x = 1 + \\", &incomplete);
    CHECK_STR(e.msg, "line continuation '\\' at the end of the input");
    CHECK_INT(e.col, 9);
    CHECK_INT(incomplete, 1);
    e = lex_fail("x = 1 + \\\n", &incomplete);
    CHECK_INT(e.code, ND_ESYNTAX);
    CHECK_INT(incomplete, 1);
    e = lex_fail("a \\ b", &incomplete);
    CHECK_STR(e.msg, "'\\' continues a line only as its last character");
    CHECK_INT(e.line, 1);
    CHECK_INT(e.col, 3);
    CHECK_INT(incomplete, 0);
}
