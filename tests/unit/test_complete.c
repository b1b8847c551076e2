/* Completion, inspection and the is-complete check. */
#include "test.h"
#include "../../lib/commands/modules.h"

#include <stdlib.h>

#include "rec_sink.h"

/* Completes at the end of code (or at the '|' marker, which is removed) and renders
   "start-end: a b c". */
static const char *complete_str(nd_interp *in, const char *marked)
{
    static char out[4096];
    char code[512];
    const char *bar = strchr(marked, '|');
    size_t cursor = bar ? (size_t)(bar - marked) : strlen(marked);
    snprintf(code, sizeof code, "%.*s%s", (int)cursor, marked, bar ? bar + 1 : "");
    nd_completion c;
    if (nd_interp_complete(in, code, cursor, &c) != ND_OK) return "ENOMEM";
    int n = snprintf(out, sizeof out, "%zu-%zu:", c.start, c.end);
    for (size_t i = 0; i < c.count && n < (int)sizeof out; i++)
        n += snprintf(out + n, sizeof out - (size_t)n, " %s", c.matches[i]);
    nd_completion_free(&c);
    return out;
}

static nd_interp *with_vars(void)
{
    nd_interp *in = nd_interp_create(nd_cmd_register_all);
    nd_error e;
    nd_interp_exec(in, "x1 = 1\nx2 = 2\nspeed = 3\nsin = 4", NULL, &e);
    return in;
}

TEST(complete_command_position)
{
    nd_interp *in = with_vars();
    CHECK_STR(complete_str(in, "pr"), "0-2: print");
    CHECK_STR(complete_str(in, "x"), "0-1: x1 x2");
    CHECK_STR(complete_str(in, "sl"), "0-2: sleep");
    CHECK_STR(complete_str(in, "spe"), "0-3: speed");
    /* Every command and workspace name, no functions (this is a command position); the
       list grows with the commands, so check its members rather than all of it. */
    const char *all = complete_str(in, "");
    CHECK(strncmp(all, "0-0: clear ", 11) == 0);
    CHECK_CONTAINS(all, " continue ");
    CHECK_CONTAINS(all, " del ");
    CHECK_CONTAINS(all, " help ");
    CHECK_CONTAINS(all, " sin sindy sleep speed ");
    CHECK_CONTAINS(all, " vars warn x1 x2");
    CHECK(strstr(all, "sqrt") == NULL);
    CHECK_STR(complete_str(in, "x = 1\n  re"), "8-10: repeat reveal");
    CHECK_STR(complete_str(in, "x = 1; wa"), "7-9: warn");
    nd_interp_free(in);
}

TEST(complete_arguments_offer_options_names_functions)
{
    nd_interp *in = with_vars();
    CHECK_STR(complete_str(in, "clear w"), "6-7: wait=");
    CHECK_STR(complete_str(in, "clear "), "6-6: abs acos asin atan atan2 ceil cos cosh exp expm1 false floor heaviside inf len log log10 max mean min nan none pi pow round sign sin sinh speed sqrt std sum tan tanh true wait= x1 x2");
    /* sin is both a function and a workspace name: it appears once. */
    CHECK_STR(complete_str(in, "print s"), "6-7: sign sin sinh speed sqrt std sum");
    CHECK_STR(complete_str(in, "print 1 + x"), "10-11: x1 x2");
    CHECK_STR(complete_str(in, "clear wait=t"), "11-12: tan tanh true");
    nd_interp_free(in);
}

TEST(complete_help_topics_and_bindings)
{
    nd_interp *in = with_vars();
    CHECK_STR(complete_str(in, "help sl"), "5-7: sleep");
    CHECK_STR(complete_str(in, "help sle"), "5-8: sleep");
    CHECK_STR(complete_str(in, "? sle"), "2-5: sleep");
    CHECK_STR(complete_str(in, "?re"), "1-3: repeat reveal");
    /* After "NAME =" both commands and expressions are possible. */
    CHECK_STR(complete_str(in, "y = si"), "4-6: sign simulate sin sindy sinh");
    CHECK_STR(complete_str(in, "y = print s"), "10-11: sign sin sinh speed sqrt std sum");
    CHECK_STR(complete_str(in, "y = x"), "4-5: x1 x2");
    CHECK_STR(complete_str(in, "y == x"), "5-6: x1 x2");
    nd_interp_free(in);
}

TEST(complete_word_boundaries_strings_comments_blocks)
{
    nd_interp *in = with_vars();
    /* The whole word under the cursor is replaced, matching on the part before it. */
    CHECK_STR(complete_str(in, "pr|xnt 1"), "0-5: print");
    CHECK_STR(complete_str(in, "print net.I"), "6-11:");
    CHECK_STR(complete_str(in, "print \"pr"), "7-9:");
    CHECK_STR(complete_str(in, "x = 1 # pr"), "8-10:");
    CHECK_STR(complete_str(in, "repeat 2 { pr"), "11-13: print");
    CHECK_STR(complete_str(in, "repeat 2 {\n  clear w"), "19-20: wait=");
    CHECK_STR(complete_str(in, "print (1,\n x"), "11-12: x1 x2");
    CHECK_STR(complete_str(in, "zzz"), "0-3:");
    nd_interp_free(in);
}

TEST(complete_cursor_past_the_end_is_clamped)
{
    nd_interp *in = nd_interp_create(nd_cmd_register_all);
    nd_completion c;
    CHECK_INT(nd_interp_complete(in, "sl", 99, &c), ND_OK);
    CHECK_INT(c.count, 1);
    CHECK_INT(c.start, 0);
    CHECK_INT(c.end, 2);
    nd_completion_free(&c);
    nd_interp_free(in);
}

static const char *inspect_text(nd_interp *in, const char *code, size_t cursor)
{
    static char out[2048];
    nd_bundle *b = nd_interp_inspect(in, code, cursor, 0);
    if (!b) return "(none)";
    snprintf(out, sizeof out, "%s", nd_bundle_get(b, "text/plain"));
    CHECK(nd_bundle_get(b, "text/html") != NULL);
    nd_bundle_free(b);
    return out;
}

TEST(inspect_names)
{
    nd_interp *in = with_vars();
    CHECK_CONTAINS(inspect_text(in, "sleep 1", 2), "sleep SECONDS");
    CHECK_CONTAINS(inspect_text(in, "sleep 1", 5), "sleep SECONDS");   /* just after the word */
    CHECK_CONTAINS(inspect_text(in, "print sqrt(2)", 8), "sqrt(x)");
    CHECK_CONTAINS(inspect_text(in, "print sqrt(", 11), "sqrt(x)");     /* after the parenthesis */
    CHECK_STR(inspect_text(in, "clear wait=true", 8),
              "wait option of 'clear'\n  keep the old output until new output arrives (avoids flicker) (default: false)");
    CHECK_STR(inspect_text(in, "print speed", 11), "speed: number (workspace)\n  3");
    CHECK_CONTAINS(inspect_text(in, "help repeat", 8), "repeat N { STATEMENTS }");
    CHECK_STR(inspect_text(in, "nosuch", 3), "(none)");
    CHECK_STR(inspect_text(in, "print   ", 7), "(none)");
    CHECK_STR(inspect_text(in, "", 0), "(none)");
    CHECK_STR(inspect_text(in, "print \"sleep\"", 9), "(none)");
    nd_interp_free(in);
}

static const char *completeness(const char *code)
{
    static char out[64];
    char indent[16] = "?";
    nd_interp *in = nd_interp_create(nd_cmd_register_all);
    nd_completeness c = nd_interp_is_complete(in, code, indent, sizeof indent);
    snprintf(out, sizeof out, "%s[%s]",
             c == ND_CODE_COMPLETE ? "complete" : c == ND_CODE_INCOMPLETE ? "incomplete" : "invalid",
             indent);
    nd_interp_free(in);
    return out;
}

TEST(is_complete_cases)
{
    CHECK_STR(completeness("x = 1"), "complete[]");
    CHECK_STR(completeness(""), "complete[]");
    CHECK_STR(completeness("repeat 3 { print 1 }"), "complete[]");
    CHECK_STR(completeness("repeat 3 {"), "incomplete[  ]");
    CHECK_STR(completeness("repeat 2 {\n  repeat 3 {\n"), "incomplete[    ]");
    CHECK_STR(completeness("repeat 2 {\n  repeat 3 { }\n"), "incomplete[  ]");
    CHECK_STR(completeness("print (1 +"), "incomplete[]");
    CHECK_STR(completeness("x = [1,"), "incomplete[]");
    CHECK_STR(completeness("x = 1 + \\"), "incomplete[]");
    CHECK_STR(completeness("print \"abc"), "invalid[]");   /* strings never span lines */
    CHECK_STR(completeness(")"), "invalid[]");
    CHECK_STR(completeness("x = (1 ]"), "invalid[]");
    CHECK_STR(completeness("repeat 3 { print ) }"), "invalid[]");
    CHECK_STR(completeness("x = 1 @"), "invalid[]");
    CHECK_STR(completeness("print 1 +"), "invalid[]");
    CHECK_STR(completeness("x = \"ab\ncd\""), "invalid[]");
}

TEST(is_complete_small_indent_buffer)
{
    nd_interp *in = nd_interp_create(nd_cmd_register_all);
    char indent[3];
    CHECK_INT(nd_interp_is_complete(in, "repeat 1 { repeat 1 { repeat 1 {", indent, sizeof indent),
              ND_CODE_INCOMPLETE);
    CHECK_STR(indent, "  ");
    nd_interp_free(in);
}

/* Where people reach for completion: the model's names after set/init/plot, option values
   (method=, act=, replace=), a dataset's columns after it; Shift-Tab on a parameter. */
TEST(complete_model_names_option_values_and_columns)
{
    nd_interp *in = nd_interp_create(nd_cmd_register_all);
    nd_error e;
    CHECK_INT(nd_interp_exec(in, "use hh\nsim = simulate t=5", NULL, &e), ND_OK);
    CHECK_STR(complete_str(in, "set gN"), "4-6: gNa");
    CHECK_CONTAINS(complete_str(in, "init "), " V ");
    CHECK_STR(complete_str(in, "set E"), "4-5: EK EL ENa");
    CHECK_STR(complete_str(in, "simulate method=d"), "16-17: dp5");
    CHECK_STR(complete_str(in, "simulate method = "),
              "18-18: adams bdf dp5 euler expeuler rk4 tsit5");
    CHECK_STR(complete_str(in, "train net data method="), "22-22: euler midpoint rk4");
    CHECK_CONTAINS(complete_str(in, "net = ude hh act="), " gaussian ");
    CHECK_STR(complete_str(in, "net = ude hh replace=I"), "21-22: IK IL INa");
    /* the columns of a dataset named before the cursor */
    CHECK_CONTAINS(complete_str(in, "plot sim "), " V ");
    CHECK_STR(complete_str(in, "plot sim n"), "9-10: n nan none");   /* the column and constants */
    /* value-only commands do not offer the model's names; comparisons are no option */
    CHECK(strstr(complete_str(in, "print g"), "gNa") == NULL);
    CHECK_CONTAINS(complete_str(in, "print 1 == s"), " sim ");
    /* Shift-Tab on a parameter or a gate says what `explain` says */
    nd_bundle *b = nd_interp_inspect(in, "set gNa = 100", 6, 0);
    CHECK(b != NULL);
    if (b) CHECK_CONTAINS(nd_bundle_get(b, "text/plain"), "maximal sodium conductance");
    nd_bundle_free(b);
    b = nd_interp_inspect(in, "plot sim h", 10, 0);
    CHECK(b != NULL);
    if (b) CHECK_CONTAINS(nd_bundle_get(b, "text/plain"), "inactivation");
    nd_bundle_free(b);
    nd_interp_free(in);
}
