/* The command registry and the argument helpers, through a test command. */
#include "test.h"
#include "../../lib/commands/modules.h"

#include <stdlib.h>

#include "../../lib/language/args.h"
#include "../../lib/language/commands.h"
#include "rec_sink.h"

static const nd_option probe_options[] = {
    {"t", "200", "duration"},
    {"label", "\"sim\"", "a label"},
    {"V", "-100..50", "voltage range"},
    {"fast", "false", "a flag"},
    {NULL, NULL, NULL}
};

/* probe [NAME] [EXPR]: returns [t, label, V.lo, V.hi, fast, NAME or none, EXPR or none]. */
static nd_status run_probe(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    double t, lo, hi;
    int fast;
    char *label = NULL;
    nd_status st = nd_arg_expect(ctx, 0, 2, err);
    if (st == ND_OK) st = nd_arg_opt_number(ctx, "t", 200, &t, err);
    if (st == ND_OK) st = nd_arg_opt_string(ctx, "label", "sim", &label, err);
    if (st == ND_OK) st = nd_arg_opt_range(ctx, "V", -100, 50, &lo, &hi, err);
    if (st == ND_OK) st = nd_arg_opt_bool(ctx, "fast", 0, &fast, err);
    const char *name = NULL;
    if (st == ND_OK && nd_arg_pos(ctx, 0)) st = nd_arg_name(ctx, nd_arg_pos(ctx, 0), &name, err);
    nd_value *extra = NULL;
    if (st == ND_OK && nd_arg_pos(ctx, 1)) st = nd_arg_value(ctx, nd_arg_pos(ctx, 1), &extra, err);
    if (st != ND_OK) {
        free(label);
        return st;
    }
    nd_value *items[] = {
        nd_value_number(t), nd_value_string(label), nd_value_number(lo), nd_value_number(hi),
        nd_value_bool(fast), name ? nd_value_string(name) : nd_value_none(),
        extra ? extra : nd_value_none(),
    };
    free(label);
    *result = nd_value_list(items, 7);
    return ND_OK;
}

static const nd_command probe_cmd = {
    "probe", "a test command", "probe [NAME] [EXPR]", "Tests the argument helpers.",
    probe_options, "probe x t=1", 0, run_probe
};

static nd_status run_needs_range(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    double lo, hi;
    char *s;
    nd_status st = nd_arg_expect(ctx, 2, 2, err);
    if (st == ND_OK) st = nd_arg_range(ctx, nd_arg_pos(ctx, 0), &lo, &hi, err);
    if (st == ND_OK) st = nd_arg_string(ctx, nd_arg_pos(ctx, 1), &s, err);
    if (st == ND_OK) {
        ctx->sink->stream(ctx->sink->ctx, ND_STREAM_OUT, s);
        free(s);
    }
    return st;
}

static const nd_command needs_range_cmd = {
    "span", "takes a range and a string", "span LO..HI TEXT", "", NULL, NULL, 0, run_needs_range
};

static nd_interp *with_probe(void)
{
    nd_interp *in = nd_interp_create(nd_cmd_register_all);
    nd_error e;
    CHECK_INT(nd_cmd_register(nd_interp_registry(in), &probe_cmd, &e), ND_OK);
    CHECK_INT(nd_cmd_register(nd_interp_registry(in), &needs_range_cmd, &e), ND_OK);
    return in;
}

static const char *result_text(nd_interp *in, const char *code)
{
    static char out[1024];
    rec_sink r;
    rec_init(&r);
    nd_error e;
    if (rec_run(in, code, &r, &e) != ND_OK)
        snprintf(out, sizeof out, "%s %d:%d: %s", nd_status_name(e.code), e.line, e.col, e.msg);
    else
        snprintf(out, sizeof out, "%s", r.n ? r.ev[r.n - 1].text : "(nothing)");
    rec_clear(&r);
    return out;
}

TEST(commands_registry)
{
    nd_cmd_registry *reg = nd_cmd_registry_create();
    nd_error e;
    CHECK_INT(nd_cmd_register(reg, &probe_cmd, &e), ND_OK);
    CHECK_INT(nd_cmd_register(reg, &needs_range_cmd, &e), ND_OK);
    CHECK_INT(nd_cmd_register(reg, &probe_cmd, &e), ND_EINTERNAL);
    CHECK_STR(e.msg, "command 'probe' is registered twice");
    CHECK_INT(nd_cmd_count(reg), 2);
    CHECK_STR(nd_cmd_at(reg, 0)->name, "probe");
    CHECK_STR(nd_cmd_at(reg, 1)->name, "span");
    CHECK(nd_cmd_find(reg, "span") == &needs_range_cmd);
    CHECK(nd_cmd_find(reg, "spa") == NULL);
    CHECK(nd_cmd_option(&probe_cmd, "V") == &probe_options[2]);
    CHECK(nd_cmd_option(&probe_cmd, "v") == NULL);
    CHECK(nd_cmd_option(&needs_range_cmd, "x") == NULL);
    nd_cmd_registry_free(reg);
}

TEST(commands_argument_helpers_defaults_and_values)
{
    nd_interp *in = with_probe();
    CHECK_STR(result_text(in, "probe"), "[200, \"sim\", -100, 50, false, none, none]");
    CHECK_STR(result_text(in, "probe V t = 10 * 2 label=\"a\" V=-80..40 fast=true 1 + 1"),
              "[20, \"a\", -80, 40, true, \"V\", 2]");
    CHECK_STR(result_text(in, "r = 0..1\nx = probe V=r\nx"), "[200, \"sim\", 0, 1, false, none, none]");
    /* A new command completes and gets help like the built-in ones. */
    nd_completion c;
    CHECK_INT(nd_interp_complete(in, "probe la", 8, &c), ND_OK);
    CHECK_INT(c.count, 1);
    CHECK_STR(c.count ? c.matches[0] : NULL, "label=");
    nd_completion_free(&c);
    nd_interp_free(in);
}

TEST(commands_argument_helper_errors)
{
    nd_interp *in = with_probe();
    CHECK_STR(result_text(in, "probe t=\"x\""), "TypeError 1:9: option 't' expects a number, not a string");
    CHECK_STR(result_text(in, "probe label=1"), "TypeError 1:13: option 'label' expects a string, not a number");
    CHECK_STR(result_text(in, "probe V=3"), "TypeError 1:9: option 'V' expects a range lo..hi, not a number");
    CHECK_STR(result_text(in, "probe fast=none"), "TypeError 1:12: option 'fast' expects true or false, not a none");
    CHECK_STR(result_text(in, "probe 3"), "SyntaxError 1:7: argument 1 of 'probe' expects a name");
    CHECK_STR(result_text(in, "probe a b c"), "SyntaxError 1:11: too many arguments for 'probe' (usage: probe [NAME] [EXPR])");
    CHECK_STR(result_text(in, "probe tt=1"), "NameError 1:7: unknown option 'tt' for 'probe'; did you mean 't'? (options: t, label, V, fast)");
    CHECK_STR(result_text(in, "span 1..2 \"ok\""), "ok");
    CHECK_STR(result_text(in, "span 1, 2"), "TypeError 1:6: argument 1 of 'span' expects a range lo..hi, not a number");
    CHECK_STR(result_text(in, "span 1..2, 2"), "TypeError 1:12: argument 2 of 'span' expects a string, not a number");
    CHECK_STR(result_text(in, "span 1..2"), "SyntaxError 1:1: too few arguments for 'span' (usage: span LO..HI TEXT)");
    /* "x -1..2" is x − 1 .. 2 by the expression rule; the error says where a comma would
       make it two arguments (and says nothing of "x - 1..2" or "x-1..2") */
    CHECK_STR(result_text(in, "span x -1..2"), "SyntaxError 1:1: too few arguments for 'span' (usage: span LO..HI TEXT); the '-' at column 8 was read as a subtraction inside one argument: to pass two, put a comma before it");
    CHECK_STR(result_text(in, "span x - 1..2"), "SyntaxError 1:1: too few arguments for 'span' (usage: span LO..HI TEXT)");
    CHECK_STR(result_text(in, "span x-1..2"), "SyntaxError 1:1: too few arguments for 'span' (usage: span LO..HI TEXT)");
    nd_interp_free(in);
}
