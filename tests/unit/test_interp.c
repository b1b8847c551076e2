/* Interpreter: evaluation, bindings, output routing, commands, errors, tracebacks. */
#include "test.h"

#include <stdlib.h>

#include "../../lib/language/workspace.h"
#include "rec_sink.h"

/* A fresh interpreter and recorder per test. */

/* Runs code in a fresh interpreter; returns the result's text/plain, "(no result)", or
   "Name: message" of the error. */
static const char *value_of(const char *code)
{
    static char out[1024];
    rec_fixture f;
    rec_fixture_setup(&f);
    if (rec_fixture_run(&f, code) != ND_OK) {
        snprintf(out, sizeof out, "%s: %s", nd_status_name(f.e.code), f.e.msg);
    } else if (f.r.n > 0 && strcmp(f.r.ev[f.r.n - 1].kind, "result") == 0) {
        snprintf(out, sizeof out, "%s", f.r.ev[f.r.n - 1].text);
    } else {
        snprintf(out, sizeof out, "(no result)");
    }
    rec_fixture_teardown(&f);
    return out;
}

/* The vnd.neurodyn+json of a cell's result. */
static const char *json_of(const char *code)
{
    static char out[1024];
    rec_fixture f;
    rec_fixture_setup(&f);
    out[0] = '\0';
    if (rec_fixture_run(&f, code) == ND_OK && f.r.n > 0 && f.r.ev[f.r.n - 1].json)
        snprintf(out, sizeof out, "%s", f.r.ev[f.r.n - 1].json);
    rec_fixture_teardown(&f);
    return out;
}

static double ws_number(nd_interp *in, const char *name)
{
    nd_value *v = nd_ws_get(nd_interp_workspace(in), name);
    return v && v->kind == ND_VAL_NUMBER ? v->as.num : NAN;
}

TEST(interp_arithmetic_and_precedence)
{
    CHECK_STR(value_of("1 + 2 * 3"), "7");
    CHECK_STR(value_of("(1 + 2) * 3"), "9");
    CHECK_STR(value_of("-2^2"), "-4");
    CHECK_STR(value_of("2^3^2"), "512");
    CHECK_STR(value_of("10 / 4"), "2.5");
    CHECK_STR(value_of("7 - 2 - 1"), "4");
    CHECK_STR(value_of("0.1 + 0.2"), "0.30000000000000004");
    CHECK_STR(value_of("1e21"), "1e+21");
    CHECK_STR(value_of("1/0"), "inf");
    CHECK_STR(value_of("-1/0"), "-inf");
    CHECK_STR(value_of("0/0"), "nan");
    CHECK_STR(value_of("pi"), "3.141592653589793");
}

TEST(interp_functions)
{
    CHECK_STR(value_of("sqrt(16)"), "4");
    CHECK_STR(value_of("atan2(1, 1) * 4 == pi"), "true");
    CHECK_STR(value_of("max(1, 5, 3)"), "5");
    CHECK_STR(value_of("min(2, nan)"), "nan");
    CHECK_STR(value_of("sign(-3)"), "-1");
    CHECK_STR(value_of("heaviside(0)"), "0.5");
    CHECK_STR(value_of("heaviside(-2)"), "0");
    CHECK_STR(value_of("round(2.5)"), "3");
    CHECK_STR(value_of("floor(-1.5) + ceil(1.2)"), "0");
    CHECK_STR(value_of("exp(log(2))"), "2");
    CHECK_STR(value_of("log10(1000)"), "3");
    CHECK_STR(value_of("pow(2, 10)"), "1024");
    CHECK_STR(value_of("abs(-2) + tanh(0) + sinh(0) + cosh(0)"), "3");
    CHECK_STR(value_of("sqrt(-1)"), "nan");
}

TEST(interp_strings_bools_lists_ranges)
{
    CHECK_STR(value_of("\"ab\" + \"cd\""), "\"abcd\"");
    CHECK_STR(value_of("\"say \\\"hi\\\"\""), "\"say \\\"hi\\\"\"");
    CHECK_STR(value_of("1 < 2"), "true");
    CHECK_STR(value_of("\"a\" < \"b\""), "true");
    CHECK_STR(value_of("1 == \"1\""), "false");
    CHECK_STR(value_of("nan == nan"), "false");
    CHECK_STR(value_of("nan < 1 or nan >= 1"), "false");
    CHECK_STR(value_of("2 <= 2 and 3 > 2 and 1 >= 1 and 1 != 2"), "true");
    CHECK_STR(value_of("\"b\" >= \"a\" and \"a\" <= \"a\" and not (\"a\" > \"b\")"), "true");
    CHECK_STR(value_of("[1, [2, \"x\"]] == [1, [2, \"x\"]]"), "true");
    CHECK_STR(value_of("(1..5) != (1..6)"), "true");
    CHECK_STR(value_of("true and false"), "false");
    CHECK_STR(value_of("false and undefined"), "false");
    CHECK_STR(value_of("true or undefined"), "true");
    CHECK_STR(value_of("not true or false"), "false");
    CHECK_STR(value_of("[1, \"a\", 0..2, true, none]"), "[1, \"a\", 0..2, true, none]");
    CHECK_STR(value_of("-1..2 * 3"), "-1..6");
}

TEST(interp_json_of_values)
{
    /* jansson writes every real with a decimal point */
    CHECK_STR(json_of("3"), "{\"type\":\"number\",\"value\":3.0}");
    CHECK_STR(json_of("1/0"), "{\"type\":\"number\",\"value\":\"inf\"}");
    CHECK_STR(json_of("\"a\\n\""), "{\"type\":\"string\",\"value\":\"a\\n\"}");
    CHECK_STR(json_of("false"), "{\"type\":\"bool\",\"value\":false}");
    CHECK_STR(json_of("1..5"), "{\"type\":\"range\",\"lo\":1.0,\"hi\":5.0}");
    CHECK_STR(json_of("[1, \"a\"]"),
              "{\"type\":\"list\",\"items\":[{\"type\":\"number\",\"value\":1.0},{\"type\":\"string\",\"value\":\"a\"}]}");
}

TEST(interp_type_errors_are_located)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "x = 1\ny = x + \"a\""), ND_ETYPE);
    CHECK_STR(f.e.msg, "cannot apply '+' to a number and a string");
    CHECK_INT(f.e.line, 2);
    CHECK_INT(f.e.col, 5);
    CHECK_INT(f.e.span, 7);
    CHECK_INT(rec_fixture_run(&f, "sqrt(\"a\")"), ND_ETYPE);
    CHECK_STR(f.e.msg, "argument 1 of sqrt() must be a number or a vector, not a string");
    CHECK_INT(f.e.col, 6);
    CHECK_INT(f.e.span, 3);
    rec_fixture_teardown(&f);
    CHECK_STR(value_of("-\"a\""), "TypeError: cannot apply '-' to a string");
    CHECK_STR(value_of("not 1"), "TypeError: cannot apply 'not' to a number");
    CHECK_STR(value_of("1 < \"a\""), "TypeError: cannot compare a number and a string with '<'");
    CHECK_STR(value_of("1 and true"), "TypeError: 'and' expects true or false, not a number");
    CHECK_STR(value_of("[\"a\"] * 2"), "TypeError: cannot apply '*' to a list and a number");
    CHECK_STR(value_of("sqrt(1, 2)"), "TypeError: sqrt() takes 1 argument (2 given)");
    CHECK_STR(value_of("max(1)"), "TypeError: max() takes a vector or a list of numbers, not a number");
    CHECK_STR(value_of("atan2(1)"), "TypeError: atan2() takes 2 arguments (1 given)");
    CHECK_STR(value_of("\"a\"..2"), "TypeError: the bounds of a range must be numbers, not a string and a number");
}

TEST(interp_name_errors_suggest)
{
    CHECK_STR(value_of("y"), "NameError: name 'y' is not defined");
    CHECK_STR(value_of("speed = 1\nsped"), "NameError: name 'sped' is not defined; did you mean 'speed'?");
    CHECK_STR(value_of("ture"), "NameError: name 'ture' is not defined; did you mean 'true'?");
    CHECK_STR(value_of("sqr(2)"), "NameError: unknown function 'sqr'; did you mean 'sqrt'?");
    CHECK_STR(value_of("foobar(2)"), "NameError: unknown function 'foobar'");
}

TEST(interp_bindings)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "x = 2\nlet y = x * 10\nlet a = 1, b = a + 1\nz = none"), ND_OK);
    CHECK_INT(f.r.n, 0);
    CHECK_NEAR(ws_number(f.in, "x"), 2, 0);
    CHECK_NEAR(ws_number(f.in, "y"), 20, 0);
    CHECK_NEAR(ws_number(f.in, "b"), 2, 0);
    nd_value *z = nd_ws_get(nd_interp_workspace(f.in), "z");
    CHECK(z && z->kind == ND_VAL_NONE);
    /* Rebinding replaces; the workspace persists across cells. */
    CHECK_INT(rec_fixture_run(&f, "x = \"s\""), ND_OK);
    CHECK_INT(rec_fixture_run(&f, "x + \"t\""), ND_OK);
    CHECK_STR(f.r.ev[0].text, "\"st\"");
    /* Binding a command's result: vars returns none. */
    CHECK_INT(rec_fixture_run(&f, "v = vars"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "display");
    z = nd_ws_get(nd_interp_workspace(f.in), "v");
    CHECK(z && z->kind == ND_VAL_NONE);
    rec_fixture_teardown(&f);
    CHECK_STR(value_of("let 5"), "SyntaxError: let expects NAME = EXPR");
    CHECK_STR(value_of("let"), "SyntaxError: let expects NAME = EXPR");
    CHECK_STR(value_of("let print = 1"), "SyntaxError: cannot bind 'print': it is the name of a command");
    CHECK_STR(value_of("let none = 1"), "SyntaxError: cannot bind 'none': it is a reserved word");
}

TEST(interp_last_value_is_the_result)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "1\n2\n3"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "display|display|result");
    CHECK_STR(f.r.ev[0].text, "1");
    CHECK_STR(f.r.ev[2].text, "3");
    CHECK_INT(rec_fixture_run(&f, "1\nx = 2"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "result");
    CHECK_INT(rec_fixture_run(&f, "print 1\n2"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "out|result");
    /* An earlier value goes out before later outputs, as a display. */
    CHECK_INT(rec_fixture_run(&f, "2\nprint 1"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "display|out");
    CHECK_INT(rec_fixture_run(&f, "none\nx = 1"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "");
    CHECK_INT(rec_fixture_run(&f, "1\n? sleep"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "page|result");
    /* A value computed before a failure is still shown. */
    CHECK_INT(rec_fixture_run(&f, "5\nnosuch"), ND_ENAME);
    CHECK_STR(rec_kinds(&f.r), "display");
    CHECK_STR(f.r.ev[0].text, "5");
    /* clear wipes the value not yet shown. */
    CHECK_INT(rec_fixture_run(&f, "1\nclear"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "clear");
    rec_fixture_teardown(&f);
}

TEST(interp_print_and_warn)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "print \"V =\", -65, \"mV\"\nwarn 1 + 1, [\"a\"]\nprint"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "out|err|out");
    CHECK_STR(f.r.ev[0].text, "V = -65 mV\n");
    CHECK_STR(f.r.ev[1].text, "2 [\"a\"]\n");
    CHECK_STR(f.r.ev[2].text, "\n");
    CHECK_INT(rec_fixture_run(&f, "\"hi\""), ND_OK);
    CHECK_STR(f.r.ev[0].text, "\"hi\"");
    CHECK_INT(rec_fixture_run(&f, "print nosuch"), ND_ENAME);
    CHECK_STR(rec_kinds(&f.r), "");
    rec_fixture_teardown(&f);
}

TEST(interp_help_command)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "help"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "display");
    CHECK_CONTAINS(f.r.ev[0].text, "\nrepeat  ");
    CHECK_CONTAINS(f.r.ev[0].text, "  run a block of statements N times\n");
    CHECK_CONTAINS(f.r.ev[0].html, "<td style=\"text-align:left\">sleep</td>");
    CHECK_CONTAINS(f.r.ev[0].json, "{\"name\":\"clear\",\"synopsis\":\"clear the cell's output\"}");
    CHECK_INT(rec_fixture_run(&f, "help sleep"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "display");
    CHECK_CONTAINS(f.r.ev[0].text, "sleep SECONDS\n  wait for a number of seconds");
    CHECK_CONTAINS(f.r.ev[0].text, "Examples:\n  sleep 0.5");
    CHECK_CONTAINS(f.r.ev[0].html, "<h3><code>sleep SECONDS</code></h3>");
    CHECK_CONTAINS(f.r.ev[0].json, "\"kind\":\"command\",\"name\":\"sleep\"");
    CHECK_INT(rec_fixture_run(&f, "help clear"), ND_OK);
    CHECK_CONTAINS(f.r.ev[0].text, "wait    false    keep the old output");
    CHECK_CONTAINS(f.r.ev[0].json, "\"options\":[{\"name\":\"wait\",\"default\":\"false\"");
    CHECK_INT(rec_fixture_run(&f, "help sqrt"), ND_OK);
    CHECK_CONTAINS(f.r.ev[0].text, "sqrt(x)\n  square root");
    CHECK_INT(rec_fixture_run(&f, "help slep"), ND_ENAME);
    CHECK_STR(f.e.msg, "no help for 'slep': it is not a command, function or workspace name; did you mean 'sleep'?");
    CHECK_INT(f.e.col, 6);
    CHECK_INT(rec_fixture_run(&f, "help 1"), ND_ESYNTAX);
    CHECK_STR(f.e.msg, "argument 1 of 'help' expects a name");
    CHECK_INT(rec_fixture_run(&f, "help a b"), ND_ESYNTAX);
    CHECK_STR(f.e.msg, "too many arguments for 'help' (usage: help [NAME])");
    CHECK_INT(f.e.col, 8);
    rec_fixture_teardown(&f);
}

TEST(interp_question_mark_help_goes_to_the_pager)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "? repeat"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "page");
    CHECK_CONTAINS(f.r.ev[0].text, "repeat N { STATEMENTS }");
    CHECK(f.r.ev[0].html != NULL);
    CHECK_INT(rec_fixture_run(&f, "sqrt?"), ND_OK);
    CHECK_CONTAINS(f.r.ev[0].text, "sqrt(x)");
    CHECK_INT(rec_fixture_run(&f, "x = 1..2\nx?"), ND_OK);
    CHECK_STR(f.r.ev[0].text, "x: range (workspace)\n  1..2");
    CHECK_INT(rec_fixture_run(&f, "pi?"), ND_OK);
    CHECK_CONTAINS(f.r.ev[0].text, "a numeric constant");
    CHECK_INT(rec_fixture_run(&f, "x = 1\n? nosuch"), ND_ENAME);
    CHECK_INT(f.e.line, 2);
    CHECK_INT(f.e.col, 3);
    CHECK_INT(f.e.span, 6);
    rec_fixture_teardown(&f);
}

TEST(interp_vars)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "vars"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "display");
    CHECK_STR(f.r.ev[0].text, "The workspace is empty.");
    CHECK_CONTAINS(f.r.ev[0].json, "\"vars\":[]");
    CHECK_INT(rec_fixture_run(&f, "x = 3\nlabel = \"spike\"\nr = 0..1\nvars"), ND_OK);
    CHECK_STR(f.r.ev[0].text,
              "name   type    summary\n"
              "-----  ------  -------\n"
              "label  string  \"spike\"\n"
              "r      range   0..1\n"
              "x      number  3");
    CHECK_CONTAINS(f.r.ev[0].html, "<td style=\"text-align:left\">label</td>");
    CHECK_CONTAINS(f.r.ev[0].json, "{\"name\":\"x\",\"type\":\"number\",\"summary\":\"3\"}");
    CHECK_INT(rec_fixture_run(&f, "vars x"), ND_ESYNTAX);
    rec_fixture_teardown(&f);
}

TEST(interp_del)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "x = 1\ny = 2\nz = 3\ndel x, y"), ND_OK);
    CHECK(nd_ws_get(nd_interp_workspace(f.in), "x") == NULL);
    CHECK(nd_ws_get(nd_interp_workspace(f.in), "y") == NULL);
    CHECK_INT(rec_fixture_run(&f, "del z nosuch"), ND_ENAME);
    CHECK_STR(f.e.msg, "name 'nosuch' is not defined");
    CHECK_INT(f.e.col, 7);
    CHECK(nd_ws_get(nd_interp_workspace(f.in), "z") != NULL);  /* nothing was removed */
    CHECK_INT(rec_fixture_run(&f, "del 1"), ND_ESYNTAX);
    CHECK_STR(f.e.msg, "argument 1 of 'del' expects a name");
    CHECK_INT(rec_fixture_run(&f, "del"), ND_ESYNTAX);
    CHECK_STR(f.e.msg, "too few arguments for 'del' (usage: del NAME [NAME ...])");
    rec_fixture_teardown(&f);
}

TEST(interp_sleep)
{
    CHECK_STR(value_of("sleep 0.01"), "(no result)");
    CHECK_STR(value_of("sleep -1"), "ValueError: sleep expects a finite number of seconds >= 0");
    CHECK_STR(value_of("sleep inf"), "ValueError: sleep expects a finite number of seconds >= 0");
    CHECK_STR(value_of("sleep nan"), "ValueError: sleep expects a finite number of seconds >= 0");
    CHECK_STR(value_of("sleep \"a\""), "TypeError: argument 1 of 'sleep' expects a number, not a string");
    CHECK_STR(value_of("sleep"), "SyntaxError: too few arguments for 'sleep' (usage: sleep SECONDS)");
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "sleep 1 2"), ND_ESYNTAX);
    CHECK_INT(f.e.col, 9);
    rec_fixture_teardown(&f);
}

TEST(interp_repeat)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "i = 0\nrepeat 3 { i = i + 1 }\ni"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "result");
    CHECK_STR(f.r.ev[0].text, "3");
    CHECK_INT(rec_fixture_run(&f, "n = 0\nrepeat 3 {\n  repeat 4 { n = n + 1 }\n  let n = n + 100\n}"), ND_OK);
    CHECK_NEAR(ws_number(f.in, "n"), 312, 0);
    CHECK_INT(rec_fixture_run(&f, "repeat 2 { print \"x\"; 5 }"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "out|out");   /* values inside a block are not shown */
    CHECK_INT(rec_fixture_run(&f, "repeat 0 { print 1 }"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "");
    CHECK_INT(rec_fixture_run(&f, "repeat -1 { }"), ND_EVALUE);
    CHECK_STR(f.e.msg, "repeat expects a whole number of times >= 0");
    CHECK_INT(rec_fixture_run(&f, "repeat 1.5 { }"), ND_EVALUE);
    CHECK_INT(rec_fixture_run(&f, "repeat 2"), ND_ESYNTAX);
    CHECK_STR(f.e.msg, "'repeat' needs a { ... } block");
    CHECK_INT(rec_fixture_run(&f, "print 1 { }"), ND_ESYNTAX);
    CHECK_STR(f.e.msg, "'print' does not take a { } block");
    CHECK_INT(f.e.col, 9);
    rec_fixture_teardown(&f);
}

TEST(interp_errors_inside_blocks_are_located_in_the_cell)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "x = 1\nrepeat 2 {\n  print 1\n  print y\n}"), ND_ENAME);
    CHECK_INT(f.e.line, 4);
    CHECK_INT(f.e.col, 9);
    CHECK_STR(rec_kinds(&f.r), "out");   /* the first print ran once */
    CHECK_INT(rec_fixture_run(&f, "repeat 2 {\n  repeat 1 { print 1 +\n}}"), ND_ESYNTAX);
    CHECK_INT(f.e.line, 2);
    CHECK_INT(f.e.col, 22);
    CHECK_STR(f.e.msg, "expected an expression after '+'");
    CHECK_STR(rec_kinds(&f.r), "");
    CHECK_INT(rec_fixture_run(&f, "repeat 1 {\tx = 1 + \"a\" }"), ND_ETYPE);
    CHECK_INT(f.e.line, 1);
    CHECK_INT(f.e.col, 16);
    rec_fixture_teardown(&f);
}

TEST(interp_clear_and_options)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "print 1\nclear\nclear wait=true"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "out|clear|clear");
    CHECK_INT(f.r.ev[1].wait, 0);
    CHECK_INT(f.r.ev[2].wait, 1);
    CHECK_INT(rec_fixture_run(&f, "clear wiat=true"), ND_ENAME);
    CHECK_STR(f.e.msg, "unknown option 'wiat' for 'clear'; did you mean 'wait'? (options: wait)");
    CHECK_INT(f.e.col, 7);
    CHECK_INT(f.e.span, 4);
    CHECK_INT(rec_fixture_run(&f, "clear speed=1"), ND_ENAME);
    CHECK_STR(f.e.msg, "unknown option 'speed' for 'clear' (options: wait)");
    CHECK_INT(rec_fixture_run(&f, "clear wait=1"), ND_ETYPE);
    CHECK_STR(f.e.msg, "option 'wait' expects true or false, not a number");
    CHECK_INT(f.e.col, 12);
    CHECK_INT(rec_fixture_run(&f, "clear wait=true wait=false"), ND_ESYNTAX);
    CHECK_STR(f.e.msg, "option 'wait' is given twice");
    CHECK_INT(rec_fixture_run(&f, "print x=1"), ND_ENAME);
    CHECK_STR(f.e.msg, "'print' takes no options (got 'x')");
    rec_fixture_teardown(&f);
}

TEST(interp_errors_keep_earlier_bindings)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "a = 1\nb = nosuch\nc = 3"), ND_ENAME);
    CHECK_INT(f.e.line, 2);
    CHECK_NEAR(ws_number(f.in, "a"), 1, 0);
    CHECK(nd_ws_get(nd_interp_workspace(f.in), "b") == NULL);
    CHECK(nd_ws_get(nd_interp_workspace(f.in), "c") == NULL);
    /* A syntax error anywhere in the cell stops it before anything runs. */
    CHECK_INT(rec_fixture_run(&f, "d = 1\nprint 1 +"), ND_ESYNTAX);
    CHECK(nd_ws_get(nd_interp_workspace(f.in), "d") == NULL);
    rec_fixture_teardown(&f);
}

TEST(interp_traceback_format)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    const char *code = "x = 1\nprint 1 +";
    CHECK_INT(rec_fixture_run(&f, code), ND_ESYNTAX);
    char *tb = nd_error_traceback(&f.e, code);
    CHECK_STR(tb, "  line 2, column 9\n    print 1 +\n            ^\nSyntaxError: expected an expression after '+'");
    free(tb);
    char *v = nd_error_value(&f.e, code);
    CHECK_STR(v, "expected an expression after '+' (line 2, column 9)");
    free(v);
    code = "\tx = 1 + \"ab\"";
    CHECK_INT(rec_fixture_run(&f, code), ND_ETYPE);
    tb = nd_error_traceback(&f.e, code);
    CHECK_STR(tb, "  line 1, column 6\n    \tx = 1 + \"ab\"\n    \t    ^^^^^^^^\nTypeError: cannot apply '+' to a number and a string");
    free(tb);
    rec_fixture_teardown(&f);
}

TEST(interp_eval_for_user_expressions)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "x = 20"), ND_OK);
    nd_bundle *b = nd_interp_eval(f.in, "x / 8", &f.e);
    CHECK(b != NULL);
    if (b) {
        CHECK_STR(nd_bundle_get(b, "text/plain"), "2.5");
        CHECK_STR(nd_bundle_get(b, "application/vnd.neurodyn+json"), "{\"type\":\"number\",\"value\":2.5}");
    }
    nd_bundle_free(b);
    CHECK(nd_interp_eval(f.in, "nosuch", &f.e) == NULL);
    CHECK_INT(f.e.code, ND_ENAME);
    CHECK(nd_interp_eval(f.in, "1 +", &f.e) == NULL);
    CHECK_INT(f.e.code, ND_ESYNTAX);
    CHECK(nd_interp_eval(f.in, "1 2", &f.e) == NULL);
    CHECK_STR(f.e.msg, "unexpected '2' after the expression");
    b = nd_interp_eval(f.in, "none", &f.e);
    CHECK_STR(b ? nd_bundle_get(b, "text/plain") : NULL, "none");
    nd_bundle_free(b);
    rec_fixture_teardown(&f);
}

/* ---- objects: the vtable and the reference count ---- */

static int objects_freed;

static char *probe_summary(const void *data)
{
    char *s = malloc(32);
    snprintf(s, 32, "probe #%d", *(const int *)data);
    return s;
}

static nd_bundle *probe_bundle(const void *data)
{
    nd_bundle *b = nd_bundle_create();
    nd_bundle_setf(b, "text/html", "<b>probe %d</b>", *(const int *)data);
    return b;
}

static void probe_free(void *data)
{
    objects_freed++;
    free(data);
}

static const nd_object_type probe_type = {"probe", probe_summary, probe_bundle, probe_free,
                                          NULL, NULL};

TEST(interp_objects)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    objects_freed = 0;
    int *data = malloc(sizeof *data);
    *data = 7;
    nd_value *v = nd_value_object(&probe_type, data);
    CHECK_INT(nd_ws_set(nd_interp_workspace(f.in), "p", v), 0);
    nd_value_unref(v);
    CHECK_INT(rec_fixture_run(&f, "q = p\np"), ND_OK);
    CHECK_STR(f.r.ev[0].text, "probe #7");   /* text/plain falls back to the summary */
    CHECK_STR(f.r.ev[0].html, "<b>probe 7</b>");
    CHECK_STR(f.r.ev[0].json, "{\"type\":\"probe\",\"summary\":\"probe #7\"}");
    CHECK_INT(rec_fixture_run(&f, "vars"), ND_OK);
    CHECK_CONTAINS(f.r.ev[0].text, "p     probe  probe #7");
    CHECK_INT(rec_fixture_run(&f, "print p, 1"), ND_OK);
    CHECK_STR(f.r.ev[0].text, "probe #7 1\n");
    CHECK_INT(rec_fixture_run(&f, "p + 1"), ND_ETYPE);
    CHECK_STR(f.e.msg, "cannot apply '+' to a probe and a number");
    CHECK_INT(rec_fixture_run(&f, "del p"), ND_OK);
    CHECK_INT(objects_freed, 0);             /* q still refers to it */
    CHECK_INT(rec_fixture_run(&f, "del q"), ND_OK);
    CHECK_INT(objects_freed, 1);
    rec_fixture_teardown(&f);
}

TEST(interp_status_names)
{
    CHECK_STR(nd_status_name(ND_ESYNTAX), "SyntaxError");
    CHECK_STR(nd_status_name(ND_ENAME), "NameError");
    CHECK_STR(nd_status_name(ND_EVALUE), "ValueError");
    CHECK_STR(nd_status_name(ND_ETYPE), "TypeError");
    CHECK_STR(nd_status_name(ND_EIO), "IOError");
    CHECK_STR(nd_status_name(ND_ENOMEM), "MemoryError");
    CHECK_STR(nd_status_name(ND_ESOLVER), "SolverError");
    CHECK_STR(nd_status_name(ND_EINTERRUPT), "Interrupted");
    CHECK_STR(nd_status_name(ND_EINTERNAL), "InternalError");
}

/* Builds prefix * n + middle + suffix * n in a buffer the caller frees. */
static char *nested(const char *prefix, const char *middle, const char *suffix, int n)
{
    size_t lp = strlen(prefix), lm = strlen(middle), ls = strlen(suffix);
    char *s = malloc((lp + ls) * (size_t)n + lm + 1), *p = s;
    for (int i = 0; i < n; i++, p += lp) memcpy(p, prefix, lp);
    memcpy(p, middle, lm);
    p += lm;
    for (int i = 0; i < n; i++, p += ls) memcpy(p, suffix, ls);
    *p = '\0';
    return s;
}

TEST(interp_deep_nesting_is_a_syntax_error_not_a_crash)
{
    static const struct { const char *pre, *mid, *post; } cases[] = {
        {"(", "1", ")"}, {"-", "1", ""}, {"2^", "1", ""}, {"[", "", "]"}, {"not ", "true", ""},
        {"max(1, ", "1", ")"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *code = nested(cases[i].pre, cases[i].mid, cases[i].post, 100000);
        CHECK_CONTAINS(value_of(code), "SyntaxError: expression nested more than 200 deep");
        free(code);
        /* Nesting well inside the limit still works. */
        code = nested(cases[i].pre, cases[i].mid, cases[i].post, 50);
        CHECK(strstr(value_of(code), "Error") == NULL);
        free(code);
    }
}

TEST(interp_deep_block_nesting_is_refused)
{
    char *code = nested("repeat 1 { ", "let x = 1", " }", 1000);
    CHECK_STR(value_of(code), "SyntaxError: blocks are nested more than 64 deep");
    free(code);
    code = nested("repeat 1 { ", "let x = 2", " }", 60);
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, code), ND_OK);
    CHECK_NEAR(ws_number(f.in, "x"), 2, 0);
    rec_fixture_teardown(&f);
    free(code);
}

/* exit and quit ask the front end to end the session (jupyter console closes); the
   workspace is untouched and nothing else is shown. */
TEST(interp_exit_and_quit_end_the_session)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "x = 1\nexit"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "end");
    CHECK_INT(rec_fixture_run(&f, "quit\nquit"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "end|end");
    CHECK_INT(rec_fixture_run(&f, "exit 1"), ND_ESYNTAX);
    CHECK_INT(rec_fixture_run(&f, "print x"), ND_OK);
    CHECK_STR(f.r.ev[0].text, "1\n");
    rec_fixture_teardown(&f);
}
