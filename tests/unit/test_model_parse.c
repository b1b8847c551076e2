/* The model language: every statement form, what the model object reports about it, and
   every error path with its location in the cell. */
#include "test.h"

#include <stdlib.h>

#include "../../lib/models/model.h"

/* Parses src as the body of a model block starting at line 3, column 10 of a cell. */
static nd_model *parse(const char *src, nd_error *err)
{
    return nd_model_parse("m", src, strlen(src), 3, 10, err);
}

/* Checks that src fails with code at (line, col) and a message containing needle. */
static void expect_error(const char *src, nd_status code, int line, int col, const char *needle,
                         int at)
{
    nd_error err;
    nd_model *m = parse(src, &err);
    if (m) {
        nd_test_fail(__FILE__, at, "parsed, expected %s: %s", nd_status_name(code), src);
        nd_model_free(m);
        return;
    }
    if (err.code != code || err.line != line || err.col != col || !strstr(err.msg, needle))
        nd_test_fail(__FILE__, at, "got %s at %d:%d \"%s\", expected %s at %d:%d with \"%s\"",
                     nd_status_name(err.code), err.line, err.col, err.msg,
                     nd_status_name(code), line, col, needle);
}

#define ERR(src, code, line, col, needle) expect_error(src, code, line, col, needle, __LINE__)

static const char *full_model =
    "# every statement form\n"
    "doc \"A test model.\"\n"
    "dv/dt = v - v^3/3 - w + I  \"fast variable\"\n"
    "w' = eps*(v + a - b*w)\n"
    "drive = gain(I)  \"a term\"\n"
    "fn gain(x) = 2*x \"doubles\"\n"
    "par a = 0.7 mV \"offset\", b = 0.8,\n"
    "    eps = 0.08 1/ms \"ratio\"\n"
    "par I = 0 uA/cm^2; par gK = 1 mS/cm^2\n"
    "init v = -1.2 mV \"start\", w = 1/2\n"
    "when v >= 2 { v = -1; w = w + a }\n"
    "stim I = step(at=10, dur=50, amp=1) + pulses(start=0, width=1, period=5, count=3, amp=2)\n"
    "doc a \"The offset of the w-nullcline.\"\n"
    "    \"Continued on a second line.\"\n"
    "doc a \"A second paragraph.\"\n"
    "set high { a = 1, eps = 1/10 } \"a faster set\"\n";

TEST(model_parse_every_statement)
{
    nd_error err;
    nd_model *m = parse(full_model, &err);
    if (!m) {
        nd_test_fail(__FILE__, __LINE__, "%d:%d %s", err.line, err.col, err.msg);
        return;
    }
    CHECK_STR(nd_model_name(m), "m");
    CHECK_STR(nd_model_doc(m), "A test model.");
    CHECK_INT(nd_model_count(m, ND_MODEL_STATE), 2);
    CHECK_INT(nd_model_count(m, ND_MODEL_PAR), 5);
    CHECK_INT(nd_model_count(m, ND_MODEL_TERM), 1);
    CHECK_INT(nd_model_count(m, ND_MODEL_FN), 1);
    const nd_model_item *v = nd_model_item_at(m, ND_MODEL_STATE, 0);
    CHECK_STR(v->name, "v");
    CHECK_STR(v->summary, "fast variable");
    CHECK_STR(v->unit, "mV");
    CHECK_STR(v->text, "v - v^3/3 - w + I");
    CHECK_INT(v->line, 5);
    CHECK_INT(v->col, 2);
    const nd_model_item *w = nd_model_item_at(m, ND_MODEL_STATE, 1);
    CHECK_STR(w->name, "w");
    CHECK_STR(w->summary, "");
    CHECK_NEAR(nd_model_inits(m)[0], -1.2, 0);
    CHECK_NEAR(nd_model_inits(m)[1], 0.5, 0);
    size_t i;
    const nd_model_item *a = nd_model_find(m, "a", &i);
    CHECK(a && a->kind == ND_MODEL_PAR && i == 0);
    CHECK_STR(a->unit, "mV");
    CHECK_STR(a->summary, "offset");
    CHECK_STR(a->doc, "The offset of the w-nullcline. Continued on a second line.\n\n"
                      "A second paragraph.");
    CHECK_STR(nd_model_find(m, "b", NULL)->unit, "");
    CHECK_STR(nd_model_find(m, "eps", NULL)->unit, "1/ms");
    CHECK_STR(nd_model_find(m, "I", NULL)->unit, "uA/cm^2");
    CHECK_STR(nd_model_find(m, "gK", NULL)->unit, "mS/cm^2");
    CHECK_NEAR(nd_model_pars(m)[nd_model_index(m, ND_MODEL_PAR, "eps")], 0.08, 0);
    const nd_model_item *f = nd_model_find(m, "gain", NULL);
    CHECK(f && f->kind == ND_MODEL_FN && f->nparams == 1);
    CHECK_STR(f->params[0], "x");
    CHECK_STR(f->text, "gain(x) = 2*x");
    CHECK_STR(f->summary, "doubles");
    CHECK_STR(nd_model_find(m, "drive", NULL)->text, "gain(I)");
    CHECK_INT(nd_model_nwhens(m), 1);
    CHECK_STR(nd_model_when_text(m, 0), "when v >= 2 { v = -1; w = w + a }");
    CHECK_INT(nd_model_stim_par(m), nd_model_index(m, ND_MODEL_PAR, "I"));
    CHECK_STR(nd_model_stim_text(m),
              "step(at=10, dur=50, amp=1) + pulses(start=0, width=1, period=5, count=3, amp=2)");
    nd_stim *s = nd_model_stim(m);
    CHECK(s != NULL);
    if (s) {
        CHECK_NEAR(nd_stim_eval(s, 20), 1, 1e-12);
        CHECK_NEAR(nd_stim_eval(s, 5.5), 2, 1e-12);
        CHECK_NEAR(nd_stim_eval(s, 100), 0, 1e-12);
    }
    nd_stim_free(s);
    CHECK_INT(nd_model_nsets(m), 1);
    CHECK_STR(nd_model_set_name(m, 0), "high");
    CHECK_STR(nd_model_set_summary(m, 0), "a faster set");
    CHECK_STR(nd_model_set_text(m, 0), "a = 1, eps = 1/10");
    CHECK_STR(nd_model_notes(m), "");
    nd_model_free(m);
}

TEST(model_parse_evaluates_what_it_read)
{
    nd_model *m = parse(full_model, NULL);
    if (!m) return;
    double y[2] = {1, 0.5}, dy[2], g, term;
    double p[5];
    memcpy(p, nd_model_pars(m), sizeof p);
    p[3] = 0.25;  /* I */
    CHECK_INT(nd_model_rhs(m, 0, y, p, dy), 0);
    CHECK_NEAR(dy[0], 1 - 1.0 / 3 - 0.5 + 0.25, 1e-15);
    CHECK_NEAR(dy[1], 0.08 * (1 + 0.7 - 0.8 * 0.5), 1e-15);
    CHECK_INT(nd_model_terms(m, 0, y, p, &term), 0);
    CHECK_NEAR(term, 0.5, 1e-15);
    CHECK_INT(nd_model_events(m, 0, y, p, &g), 0);
    CHECK_NEAR(g, -1, 1e-15);
    y[0] = 2.5;
    CHECK_INT(nd_model_apply_reset(m, 0, 0, y, p), 0);
    CHECK_NEAR(y[0], -1, 0);
    CHECK_NEAR(y[1], 0.5 + 0.7, 1e-15);
    nd_model_free(m);
}

TEST(model_parse_defaults_and_notes)
{
    const char *src = "x' = -x\ny' = x - y\npar k = 2";
    nd_model *m = parse(src, NULL);
    CHECK(m != NULL);
    if (!m) return;
    CHECK_STR(nd_model_notes(m), "init of x defaults to 0\ninit of y defaults to 0\n");
    CHECK_NEAR(nd_model_inits(m)[1], 0, 0);
    CHECK_INT(nd_model_stim_par(m), -1);
    CHECK(nd_model_stim(m) == NULL);
    CHECK(nd_model_stim_text(m) == NULL);
    nd_model_free(m);
}

TEST(model_parse_when_forms)
{
    /* A <= B and A < B flip the sides: the event is B - A crossing upward. */
    nd_model *m = parse("dx/dt = 1\nwhen 5 <= x { x = 0 }\nwhen 2 > x {\n  x = 3\n}", NULL);
    CHECK(m != NULL);
    if (!m) return;
    double y = 4, g[2];
    nd_model_events(m, 0, &y, NULL, g);
    CHECK_NEAR(g[0], -1, 0);
    CHECK_NEAR(g[1], -2, 0);
    nd_model_free(m);
}

TEST(model_parse_comments_blank_lines_and_continuations)
{
    const char *src = "\n  # comment\n dx/dt = a * \\\n   x   # decay\n\npar a = -(1 + \n 1)\n";
    nd_model *m = parse(src, NULL);
    CHECK(m != NULL);
    if (!m) return;
    CHECK_NEAR(nd_model_pars(m)[0], -2, 0);
    CHECK_STR(nd_model_item_at(m, ND_MODEL_STATE, 0)->text, "a * x");
    nd_model_free(m);
}

TEST(model_parse_errors_are_located_in_the_cell)
{
    /* First line of the text is line 3 of the cell, starting at column 10. */
    ERR("dx/dt = y", ND_ENAME, 3, 18, "unknown name 'y'");
    /* Indexing and fields are the command language's: a model refuses them, located. */
    ERR("dx/dt = x[1]", ND_ETYPE, 3, 18, "not an index x[i]");
    ERR("dx/dt = (x).a", ND_ETYPE, 3, 19, "not a field access");
    ERR("dx/dt = -xx\npar x0 = 1", ND_ENAME, 3, 19, "did you mean 'x'");
    ERR("dx/dt = 1\npar a = 1\npar a = 2", ND_EVALUE, 5, 5, "'a' is already defined as a parameter at line 4, column 5");
    ERR("dx/dt = 1\nx = 2", ND_EVALUE, 4, 1, "already defined as a state variable");
    ERR("dx/dt = a\na = b + 1\nb = 2*a", ND_EVALUE, 4, 1, "terms defined in a cycle: a -> b -> a");
    ERR("dx/dt = a\na = a", ND_EVALUE, 4, 1, "a -> a");
    ERR("dx/dt = 1\ninit y = 1", ND_ENAME, 4, 6, "init of 'y', which is not a state variable");
    ERR("dx/dt = 1\npar k = 1\ninit k = 1", ND_EVALUE, 5, 6, "not a state variable");
    ERR("dx/dt = 1\ninit x = 1, x = 2", ND_EVALUE, 4, 13, "initial value twice");
    ERR("dx/dt = 1\npar k = 1\nwhen x > 1 { k = 0 }", ND_EVALUE, 5, 14,
        "cannot assign to the parameter 'k' in when");
    ERR("dx/dt = 1\nwhen x > 1 { z = 0 }", ND_ENAME, 4, 14, "unknown state variable 'z'");
    ERR("dx/dt = 1\nwhen x > 1 { x = 0; x = 1 }", ND_EVALUE, 4, 21, "assigned twice");
    ERR("dx/dt = 1\nwhen x == 1 { x = 0 }", ND_ESYNTAX, 4, 6, "a when condition is one comparison");
    ERR("dx/dt = 1\nwhen x > 1 and x < 2 { x = 0 }", ND_ESYNTAX, 4, 6, "one comparison");
    ERR("dx/dt = 1\nwhen x > 1 { x = 0", ND_ESYNTAX, 4, 12, "unclosed '{'");
    ERR("dx/dt = 1\nwhen x > 1 { }", ND_ESYNTAX, 4, 12, "at least one assignment");
    ERR("dx/dt = 1\nwhen x > 1 x = 0", ND_ESYNTAX, 4, 12, "expected '{'");
    ERR("dx/dt = f(x)\nfn f(a) = g(a)\nfn g(a) = f(a)", ND_EVALUE, 4, 4, "functions calling themselves: f -> g -> f");
    ERR("dx/dt = f(x, x)\nfn f(a) = a", ND_ESYNTAX, 3, 18, "'f' takes 1 argument, got 2");
    ERR("dx/dt = sqrt(x, x)", ND_ESYNTAX, 3, 18, "wrong number of arguments (2) for sqrt(x)");
    ERR("dx/dt = foo(x)", ND_ENAME, 3, 18, "unknown function 'foo'");
    ERR("dx/dt = f(x)\nfn f(a) = a + x", ND_ENAME, 4, 15, "a function sees only its arguments");
    ERR("dx/dt = f\nfn f(a) = a", ND_ETYPE, 3, 18, "'f' is a function");
    ERR("dx/dt = 1\nfn exp(a) = a", ND_EVALUE, 4, 4, "built-in math function");
    ERR("dx/dt = 1\nfn f(a, a) = a", ND_EVALUE, 4, 9, "appears twice");
    ERR("dx/dt = 1\npar a = 1, b = a", ND_ENAME, 4, 16, "constant expression");
    ERR("dx/dt = 1\npar a = 1 b = 2", ND_ESYNTAX, 4, 13, "expected ',' between two definitions");
    ERR("dx/dt = 1\npar a", ND_ESYNTAX, 4, 6, "expected '=' after the name");
    ERR("dx/dt = 1\npar t = 1", ND_ESYNTAX, 4, 5, "reserved word");
    ERR("dt/dt = 1", ND_ESYNTAX, 3, 10, "cannot name a state variable");
    ERR("par = 1", ND_ESYNTAX, 3, 10, "reserved word");
    ERR("dx/dt = 1\nnet.x = 1", ND_ESYNTAX, 4, 1, "cannot contain '.'");
    ERR("dx/dt = \"a\"", ND_ETYPE, 3, 18, "not strings");
    ERR("dx/dt = [1, 2]", ND_ETYPE, 3, 18, "not lists");
    ERR("dx/dt = 1 2", ND_ESYNTAX, 3, 20, "expected the end of the statement");
    ERR("dx/dt = ", ND_ESYNTAX, 3, 18, "expected an expression");
    ERR("dx/dt = 1\nfoo bar", ND_ESYNTAX, 4, 1, "expected a model statement");
    ERR("par a = 1", ND_EVALUE, 3, 10, "has no equation");
    ERR("", ND_EVALUE, 3, 10, "has no equation");
    ERR("dx/dt = 1\ndoc y \"?\"", ND_ENAME, 4, 5, "doc for unknown name 'y'");
    ERR("dx/dt = 1\ndoc x", ND_ESYNTAX, 4, 6, "expected a doc string");
    ERR("dx/dt = 1\nset s { k = 1 }", ND_ENAME, 4, 9, "unknown parameter 'k' in a parameter set");
    ERR("dx/dt = 1\nset s { x = 1 }", ND_EVALUE, 4, 9, "'x' is a state variable, not a parameter");
    ERR("dx/dt = 1\npar k = 1\nset s { k = 1 }\nset s { k = 2 }", ND_EVALUE, 6, 5, "defined twice");
    ERR("dx/dt = 1\npar k = 1\nset s { k = 1", ND_ESYNTAX, 5, 7, "unclosed '{'");
    ERR("dx/dt = 1\npar I = 0\nstim I = step(at=1, dur=2)", ND_EVALUE, 5, 14, "step needs the argument 'amp'");
    ERR("dx/dt = 1\npar I = 0\nstim I = step(at=1, dur=2, amp=1, x=2)", ND_ENAME, 5, 35, "unknown argument 'x' of step");
    ERR("dx/dt = 1\npar I = 0\nstim I = step(at=1, at=2)", ND_EVALUE, 5, 21, "given twice");
    ERR("dx/dt = 1\npar I = 0\nstim I = sine(f=1)", ND_ESYNTAX, 5, 10, "expected a stimulus component");
    ERR("dx/dt = 1\nstim I = step(at=1, dur=2, amp=1)", ND_ENAME, 4, 6, "unknown parameter 'I'");
    ERR("dx/dt = 1\nstim x = step(at=1, dur=2, amp=1)", ND_EVALUE, 4, 6, "'x' is a state variable");
    ERR("dx/dt = 1\npar I = 0\nstim I = step(at=1, dur=-2, amp=1)", ND_EVALUE, 5, 6, "invalid arguments");
    ERR("dx/dt = 1\npar I = 0\nstim I = step(at=1, dur=2, amp=1)\nstim I = step(at=1, dur=2, amp=1)",
        ND_EVALUE, 6, 1, "one stim statement");
    ERR("dx/dt = 1 +", ND_ESYNTAX, 3, 20, "expected an expression after '+'");
    ERR("dx/dt = $", ND_ESYNTAX, 3, 18, "unexpected character");
}

TEST(model_parse_errors_without_error_struct)
{
    CHECK(nd_model_parse("m", "dx/dt = y", 9, 1, 1, NULL) == NULL);
}
