/* The skeleton commands: help, vars, print, warn, let, del, sleep, repeat, for, clear. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/strbuf.h"
#include "../language/args.h"
#include "../language/commands.h"
#include "../language/eval.h"
#include "../language/help.h"
#include "modules.h"

/* ---- help ---- */

static nd_status run_help(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    nd_status st = nd_arg_expect(ctx, 0, 1, err);
    if (st != ND_OK) return st;
    const nd_arg *a = nd_arg_pos(ctx, 0);
    if (!a) return nd_cmd_display(ctx, nd_help_overview(ctx->registry), err);
    const char *name;
    if ((st = nd_arg_name(ctx, a, &name, err)) != ND_OK) return st;
    nd_bundle *b = nd_help_topic(ctx->registry, ctx->ws, name);
    if (!b) return nd_help_unknown(ctx->registry, ctx->ws, name, a->line, a->col, a->span, err);
    return nd_cmd_display(ctx, b, err);
}

static const nd_command cmd_help = {
    "help", "list the commands, or show the help of one", "help [NAME]",
    "Without an argument, shows a table of all commands with a one-line description.\n\n"
    "With a NAME, shows its help: for a command its usage, description, options with "
    "their defaults and examples; for a function its signature; for a workspace name its "
    "type and summary.\n\n"
    "`? NAME` and `NAME?` show the same help in the pager instead of the cell.",
    NULL, "help\nhelp sleep\nhelp sqrt", 0, run_help
};

/* ---- vars ---- */

static nd_status run_vars(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    nd_status st = nd_arg_expect(ctx, 0, 0, err);
    if (st != ND_OK) return st;
    return nd_cmd_display(ctx, nd_ws_bundle(ctx->ws), err);
}

static const nd_command cmd_vars = {
    "vars", "list the workspace: names, types and summaries", "vars",
    "Shows a table of every name bound in the workspace, in alphabetical order, with its "
    "type and a one-line summary, and, for results with fields (records, datasets, "
    "diagrams), the fields NAME.FIELD reads; `show NAME` lists them with their values.",
    NULL, "x = 3\nvars", 0, run_vars
};

/* ---- print, warn ---- */

static nd_status write_values(nd_cmd_ctx *ctx, nd_stream which, nd_error *err)
{
    nd_sb line;
    nd_sb_init(&line);
    for (size_t i = 0; i < nd_arg_count(ctx); i++) {
        nd_value *v;
        nd_status st = nd_arg_value(ctx, nd_arg_pos(ctx, i), &v, err);
        if (st != ND_OK) {
            nd_sb_free(&line);
            return st;
        }
        if (i) nd_sb_putc(&line, ' ');
        nd_value_to_text(v, 0, &line);
        nd_value_unref(v);
    }
    nd_sb_putc(&line, '\n');
    char *text = nd_sb_take(&line);
    if (!text) return nd_error_fail(err, ND_ENOMEM, "out of memory while printing");
    ctx->sink->stream(ctx->sink->ctx, which, text);
    free(text);
    return ND_OK;
}

static nd_status run_print(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    return write_values(ctx, ND_STREAM_OUT, err);
}

static nd_status run_warn(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    return write_values(ctx, ND_STREAM_ERR, err);
}

static const nd_command cmd_print = {
    "print", "write values to the cell's output", "print EXPR [, EXPR ...]",
    "Evaluates each expression and writes the values on one line, separated by spaces. "
    "Strings are written without quotes. Commas between the expressions are optional.",
    NULL, "print 1 + 2\nprint \"V =\", -65, \"mV\"", 0, run_print
};

static const nd_command cmd_warn = {
    "warn", "write values to the cell's error stream", "warn EXPR [, EXPR ...]",
    "Like print, but writes to the standard error stream (shown in red in notebooks). "
    "The cell does not fail.",
    NULL, "warn \"step size is large:\", 0.5", 0, run_warn
};

/* ---- let, del ---- */

static nd_status run_let(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    const nd_arg *pos = nd_arg_pos(ctx, 0);
    if (pos) return nd_arg_error(pos, err, ND_ESYNTAX, "let expects NAME = EXPR");
    if (ctx->call->nargs == 0)
        return nd_error_set(err, ND_ESYNTAX, ctx->call->line, ctx->call->col, 3,
                            "let expects NAME = EXPR");
    /* One binding at a time, so that "let a = 1, b = a + 1" sees a. */
    for (size_t i = 0; i < ctx->call->nargs; i++) {
        const nd_arg *a = &ctx->call->args[i];
        if (nd_cmd_keep_pinned(ctx->ws, ctx->sink, a->key, a->line)) continue;
        nd_status st = nd_cmd_check_bind_name(ctx->registry, a->key, a->line, a->col, a->span, err);
        nd_value *v = NULL;
        if (st == ND_OK) st = nd_arg_value(ctx, a, &v, err);
        if (st == ND_OK && nd_ws_set(ctx->ws, a->key, v) != 0)
            st = nd_error_fail(err, ND_ENOMEM, "out of memory while binding '%s'", a->key);
        nd_value_unref(v);
        if (st != ND_OK) return st;
    }
    return ND_OK;
}

static const nd_command cmd_let = {
    "let", "bind names to values in the workspace", "let NAME = EXPR [, NAME = EXPR ...]",
    "Evaluates each expression and binds its value to the name, left to right. "
    "`NAME = EXPR` without `let` does the same for one name, and `NAME = COMMAND ...` "
    "binds the result of a command.\n\n"
    "Names are letters, digits and underscores (not starting with a digit). Command "
    "names and the words and, or, not, true, false, none cannot be bound.",
    NULL, "let x = 3\nlet a = 1, b = a + 1\ny = 2 * x", ND_CMD_ANY_OPTIONS, run_let
};

static nd_status run_del(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    nd_status st = nd_arg_expect(ctx, 1, -1, err);
    if (st != ND_OK) return st;
    /* Check every name first: a failed del removes nothing. */
    for (size_t i = 0; i < nd_arg_count(ctx); i++) {
        const nd_arg *a = nd_arg_pos(ctx, i);
        const char *name;
        if ((st = nd_arg_name(ctx, a, &name, err)) != ND_OK) return st;
        if (!nd_ws_get(ctx->ws, name))
            return nd_arg_error(a, err, ND_ENAME, "name '%s' is not defined", name);
    }
    for (size_t i = 0; i < nd_arg_count(ctx); i++)
        nd_ws_del(ctx->ws, nd_arg_pos(ctx, i)->value->str);
    return ND_OK;
}

static const nd_command cmd_del = {
    "del", "remove names from the workspace", "del NAME [NAME ...]",
    "Removes each name from the workspace. If one of them is not defined, nothing is "
    "removed and the cell fails with a NameError.",
    NULL, "del x\ndel a, b", 0, run_del
};

/* ---- sleep ---- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static nd_status run_sleep(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    double seconds;
    nd_status st = nd_arg_expect(ctx, 1, 1, err);
    if (st == ND_OK) st = nd_arg_number(ctx, nd_arg_pos(ctx, 0), &seconds, err);
    if (st != ND_OK) return st;
    if (!isfinite(seconds) || seconds < 0)
        return nd_arg_error(nd_arg_pos(ctx, 0), err, ND_EVALUE,
                            "sleep expects a finite number of seconds >= 0");
    double deadline = now_seconds() + seconds;
    for (;;) {
        if ((st = nd_cmd_check_interrupt(ctx, err)) != ND_OK) return st;
        double left = deadline - now_seconds();
        if (left <= 0) return ND_OK;
        /* Short naps keep an interrupt's latency under 10 ms. */
        double nap = left < 0.005 ? left : 0.005;
        struct timespec ts = {0, (long)(nap * 1e9)};
        nanosleep(&ts, NULL);
    }
}

static const nd_command cmd_sleep = {
    "sleep", "wait for a number of seconds", "sleep SECONDS",
    "Waits for SECONDS seconds (a finite number >= 0). An interrupt stops the wait "
    "at once.",
    NULL, "sleep 0.5", 0, run_sleep
};

/* ---- repeat ---- */

static nd_status run_repeat(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    double n;
    nd_status st = nd_arg_expect(ctx, 1, 1, err);
    if (st == ND_OK) st = nd_arg_number(ctx, nd_arg_pos(ctx, 0), &n, err);
    if (st != ND_OK) return st;
    if (!(n >= 0 && n <= 9007199254740992.0 && n == floor(n)))
        return nd_arg_error(nd_arg_pos(ctx, 0), err, ND_EVALUE,
                            "repeat expects a whole number of times >= 0");
    nd_program *body;
    if ((st = nd_cmd_parse_block(ctx, &body, err)) != ND_OK) return st;
    for (double i = 0; i < n && st == ND_OK; i++) {
        st = nd_cmd_check_interrupt(ctx, err);
        if (st == ND_OK) st = nd_cmd_run(ctx, body, err);
    }
    nd_program_free(body);
    return st;
}

static const nd_command cmd_repeat = {
    "repeat", "run a block of statements N times", "repeat N { STATEMENTS }",
    "Runs the statements between the braces N times (N a whole number >= 0). The block "
    "may span many lines and contain other repeat blocks. Values of statements inside the "
    "block are not shown; use print.",
    NULL, "i = 0\nrepeat 3 {\n  i = i + 1\n  print \"step\", i\n}", ND_CMD_BLOCK, run_repeat
};

/* ---- for ---- */

/* The values a for loop takes: a list's items, a vector's numbers, or a range's steps. */
typedef struct loop_values {
    const nd_value *v;
    double lo, step;
    size_t n;
} loop_values;

static nd_status read_loop_values(nd_cmd_ctx *ctx, const nd_arg *a, const nd_value *v,
                                  loop_values *lv, nd_error *err)
{
    const nd_arg *step_arg = nd_arg_opt(ctx, "step");
    *lv = (loop_values){v, 0, 0, 0};
    if (v->kind == ND_VAL_LIST) lv->n = v->as.list.n;
    else if (v->kind == ND_VAL_VECTOR) lv->n = v->as.vec.n;
    else if (v->kind != ND_VAL_RANGE) {
        char t[64];
        return nd_arg_error(a, err, ND_ETYPE, "for runs over a list, a vector or a range "
                            "lo..hi, not %s", nd_value_a_type(v, t, sizeof t));
    }
    if (v->kind != ND_VAL_RANGE) {
        return step_arg ? nd_arg_error(step_arg, err, ND_EVALUE, "step= is for a range "
                                       "(for x in 0..1 step=0.25)") : ND_OK;
    }
    double lo = v->as.range.lo, hi = v->as.range.hi, step;
    nd_status st = nd_arg_opt_number(ctx, "step", hi >= lo ? 1 : -1, &step, err);
    if (st != ND_OK) return st;
    if (!isfinite(lo) || !isfinite(hi))
        return nd_arg_error(a, err, ND_EVALUE, "a loop's range must have finite ends");
    if (!isfinite(step) || step == 0 || (hi - lo) * step < 0)
        return nd_arg_error(step_arg ? step_arg : a, err, ND_EVALUE, "step must be a finite "
                            "number, not 0, going from %g towards %g", lo, hi);
    /* The end is included when the steps reach it up to rounding (0..1 step=0.1). */
    double count = floor((hi - lo) / step * (1 + 1e-12) + 1e-9) + 1;
    if (count > 1e9)
        return nd_arg_error(a, err, ND_EVALUE, "the loop would run %.3g times (at most 1e9)",
                            count);
    lv->lo = lo;
    lv->step = step;
    lv->n = (size_t)count;
    return ND_OK;
}

static nd_value *loop_value(const loop_values *lv, size_t i)
{
    const nd_value *v = lv->v;
    if (v->kind == ND_VAL_LIST) return nd_value_ref(v->as.list.items[i]);
    if (v->kind == ND_VAL_VECTOR) return nd_value_number(v->as.vec.x[i]);
    return nd_value_number(lv->lo + (double)i * lv->step);
}

static nd_status run_for(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    nd_status st = nd_arg_expect(ctx, 3, 3, err);
    const nd_arg *var = nd_arg_pos(ctx, 0), *in = nd_arg_pos(ctx, 1), *over = nd_arg_pos(ctx, 2);
    const char *name;
    if (st == ND_OK) st = nd_arg_name(ctx, var, &name, err);
    if (st == ND_OK)
        st = nd_cmd_check_bind_name(ctx->registry, name, var->line, var->col, var->span, err);
    if (st == ND_OK && !(in->value->kind == ND_EXPR_NAME && strcmp(in->value->str, "in") == 0))
        st = nd_arg_error(in, err, ND_ESYNTAX, "expected 'in' (for NAME in VALUES { … })");
    nd_value *v = NULL;
    if (st == ND_OK) st = nd_arg_value(ctx, over, &v, err);
    loop_values lv;
    if (st == ND_OK) st = read_loop_values(ctx, over, v, &lv, err);
    nd_program *body = NULL;
    if (st == ND_OK) st = nd_cmd_parse_block(ctx, &body, err);
    for (size_t i = 0; st == ND_OK && i < lv.n; i++) {
        st = nd_cmd_check_interrupt(ctx, err);
        nd_value *x = st == ND_OK ? loop_value(&lv, i) : NULL;
        if (st == ND_OK && (!x || nd_ws_set(ctx->ws, name, x) != 0))
            st = nd_error_fail(err, ND_ENOMEM, "out of memory while binding '%s'", name);
        nd_value_unref(x);
        if (st == ND_OK) st = nd_cmd_run(ctx, body, err);
    }
    nd_program_free(body);
    nd_value_unref(v);
    return st;
}

static const nd_option for_options[] = {
    {"step", "1 (-1 when hi < lo)", "the step through a range lo..hi (its end included "
                                    "when a step lands on it)"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_for = {
    "for", "run a block once for each value of a list, vector or range",
    "for NAME in VALUES [step=] { STATEMENTS }",
    "Binds NAME to each value in turn and runs the statements between the braces. VALUES "
    "is a list ([600, 300, 150, 75]), a vector (sim.V, s.times) or a range lo..hi, which "
    "runs lo, lo + step, … up to hi included (step= 1 by default, -1 when hi < lo).\n\n"
    "NAME stays bound to the last value afterwards. An interrupt stops the loop between "
    "statements; an error stops it at its line in the cell, and whatever earlier "
    "iterations bound (rows added to a table) stays. Values of statements inside the "
    "block are not shown; use print, or collect them with `row`.",
    for_options, "for n in [600, 300, 150, 75] {\n  print n, sqrt(n)\n}\n"
    "for x in 0..1 step=0.25 {\n  row tab x=x y=x^2\n}", ND_CMD_BLOCK, run_for
};

/* ---- clear ---- */

static const nd_option clear_options[] = {
    {"wait", "false", "keep the old output until new output arrives (avoids flicker)"},
    {NULL, NULL, NULL}
};

static nd_status run_clear(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    int wait;
    nd_status st = nd_arg_expect(ctx, 0, 0, err);
    if (st == ND_OK) st = nd_arg_opt_bool(ctx, "wait", 0, &wait, err);
    if (st == ND_OK) ctx->sink->clear(ctx->sink->ctx, wait);
    return st;
}

static const nd_command cmd_clear = {
    "clear", "clear the cell's output", "clear [wait=true]",
    "Removes what the cell has shown so far.",
    clear_options, "print \"gone\"\nclear\nprint \"stays\"", 0, run_clear
};

/* ---- exit, quit ---- */

static nd_status run_exit(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    nd_status st = nd_arg_expect(ctx, 0, 0, err);
    if (st != ND_OK) return st;
    if (ctx->sink->end_session) ctx->sink->end_session(ctx->sink->ctx);
    else if (ctx->sink->stream)
        ctx->sink->stream(ctx->sink->ctx, ND_STREAM_ERR,
                          "exit ends an interactive session (jupyter console); here there is "
                          "none, and the statements after it run on\n");
    return ND_OK;
}

static const char exit_doc[] =
    "Ends the session of a console front end (jupyter console closes, as after Ctrl-D); the "
    "workspace goes with it when the kernel is shut down. A notebook keeps running: use "
    "Kernel → Shutdown there. In a batch run (neurodyn run) there is no session to end.";

static const nd_command cmd_exit = {"exit", "end a console session", "exit", exit_doc, NULL,
                                    "exit", 0, run_exit};
static const nd_command cmd_quit = {"quit", "end a console session (the same as exit)", "quit",
                                    exit_doc, NULL, "quit", 0, run_exit};

nd_status nd_cmd_register_core(nd_cmd_registry *reg, nd_error *err)
{
    static const nd_command *const all[] = {
        &cmd_help, &cmd_vars, &cmd_print, &cmd_warn, &cmd_let, &cmd_del, &cmd_sleep,
        &cmd_repeat, &cmd_for, &cmd_clear, &cmd_exit, &cmd_quit,
    };
    return nd_cmd_register_list(reg, all, sizeof all / sizeof all[0], err);
}
