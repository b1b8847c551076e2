/* One function per statement kind; every failure leaves the workspace as it was before
   the failing statement and carries a location in the cell. */
#include "exec.h"

#include "../base/dist.h"
#include "eval.h"
#include "help.h"

nd_status nd_exec_check_interrupt(const nd_exec *ex, int line, int col, nd_error *err)
{
    /* under MPI, an interrupt that another rank saw stops this one at the same place */
    if (!atomic_load(ex->interrupt) && !nd_dist_interrupted()) return ND_OK;
    return nd_error_set(err, ND_EINTERRUPT, line, col, 1, "interrupted by the user");
}

static nd_status run_command(nd_exec *ex, const nd_call *call, const char *bind, nd_value **out,
                             nd_error *err)
{
    const nd_command *cmd = nd_cmd_find(ex->registry, call->name);
    if (!cmd)
        return nd_error_set(err, ND_ENAME, call->line, call->col, 1, "unknown command '%s'", call->name);
    nd_status st = nd_cmd_check_call(cmd, call, err);
    if (st != ND_OK) return st;
    nd_cmd_ctx ctx = {ex, ex->ws, nd_output_sink(ex->out), ex->registry, cmd, call, bind};
    st = cmd->run(&ctx, out, err);
    if (st != ND_OK) {
        nd_value_unref(*out);
        *out = NULL;
    }
    return st;
}

static nd_status run_help(nd_exec *ex, const nd_stmt *s, nd_error *err)
{
    nd_bundle *b = nd_help_topic(ex->registry, ex->ws, s->topic);
    if (!b)
        return nd_help_unknown(ex->registry, ex->ws, s->topic, s->topic_line, s->topic_col,
                               s->topic_span, err);
    const nd_sink *sink = nd_output_sink(ex->out);
    sink->page(sink->ctx, b);
    nd_bundle_free(b);
    return ND_OK;
}

static nd_status show(nd_exec *ex, const nd_value *v, nd_error *err)
{
    nd_bundle *b = nd_value_to_bundle(v);
    if (!b) return nd_error_fail(err, ND_ENOMEM, "out of memory while rendering a value");
    nd_output_value(ex->out, b);
    return ND_OK;
}

/* The event a statement leaves for the mentor: the cell's top-level statements only, and
   not the mentor's own commands (they talk about the event before them). */
static nd_event *recorded(const nd_exec *ex, const nd_stmt *s)
{
    if (!ex->event || ex->depth > 0) return NULL;
    const nd_command *cmd = s->kind == ND_STMT_CMD ? nd_cmd_find(ex->registry, s->call.name) : NULL;
    return cmd && (cmd->flags & ND_CMD_MENTOR) ? NULL : ex->event;
}

static nd_status run_statement(nd_exec *ex, const nd_stmt *s, int show_values, nd_error *err)
{
    nd_value *v = NULL;
    nd_status st;
    /* NAME = EXPR leaves a name set from outside the program (-D) as it is */
    if (s->kind == ND_STMT_EXPR && s->bind &&
        nd_cmd_keep_pinned(ex->ws, nd_output_sink(ex->out), s->bind, s->line))
        return ND_OK;
    if (s->kind == ND_STMT_HELP) return run_help(ex, s, err);
    nd_event *ev = recorded(ex, s);
    if (ev) nd_event_begin(ev, s->kind == ND_STMT_CMD ? s->call.name : "(expression)",
                           s->kind == ND_STMT_CMD ? &s->call : NULL);
    if (s->kind == ND_STMT_CMD) st = run_command(ex, &s->call, s->bind, &v, err);
    else st = nd_eval(s->expr, ex->ws, &v, err);
    if (ev) {
        if (st == ND_OK) nd_event_result(ev, v);
        nd_event_end(ev, st, err);
    }
    if (st != ND_OK) return st;
    if (s->bind) {
        if (!v && !(v = nd_value_none()))
            return nd_error_fail(err, ND_ENOMEM, "out of memory while binding '%s'", s->bind);
        if (nd_ws_set(ex->ws, s->bind, v) != 0)
            st = nd_error_fail(err, ND_ENOMEM, "out of memory while binding '%s'", s->bind);
    } else if (show_values && v && v->kind != ND_VAL_NONE) {
        st = show(ex, v, err);
    }
    nd_value_unref(v);
    return st;
}

nd_status nd_exec_program(nd_exec *ex, const nd_program *prog, int show_values, nd_error *err)
{
    for (size_t i = 0; i < prog->count; i++) {
        const nd_stmt *s = &prog->stmts[i];
        nd_status st = nd_exec_check_interrupt(ex, s->line, s->col, err);
        if (st == ND_OK) st = run_statement(ex, s, show_values, err);
        if (st != ND_OK) {
            /* A failure deep in a library may not know where it happened; the statement does. */
            if (err && err->line == 0) {
                err->line = s->line;
                err->col = s->col;
                err->span = 1;
            }
            return st;
        }
    }
    return ND_OK;
}
