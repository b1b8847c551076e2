/* The interpreter's public face: it owns the workspace, the command registry and the
   interrupt flag, and hands the real work to parser, exec, complete and inspect. */
#include "interp.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "complete.h"
#include "eval.h"
#include "exec.h"
#include "interact.h"
#include "parser.h"

struct nd_interp {
    nd_ws *ws;
    nd_cmd_registry *registry;
    atomic_int interrupt;   /* lock-free, so setting it from a signal handler is safe */
    nd_event event;         /* the last statement's facts, for the mentor */
};

nd_interp *nd_interp_create(nd_cmd_register_fn modules)
{
    nd_interp *in = calloc(1, sizeof *in);
    if (!in) return NULL;
    atomic_init(&in->interrupt, 0);
    nd_event_init(&in->event);
    in->ws = nd_ws_create();
    in->registry = nd_cmd_registry_create();
    if (!in->ws || !in->registry || modules(in->registry, NULL) != ND_OK) {
        nd_interp_free(in);
        return NULL;
    }
    return in;
}

void nd_interp_free(nd_interp *in)
{
    if (!in) return;
    nd_event_clear(&in->event);
    nd_ws_free(in->ws);
    nd_cmd_registry_free(in->registry);
    free(in);
}

nd_status nd_interp_exec(nd_interp *in, const char *code, const nd_sink *sink, nd_error *err)
{
    nd_error local;
    if (!err) err = &local;
    nd_error_clear(err);
    nd_program *prog;
    nd_status st = nd_parse_program(code, strlen(code), 1, 1, in->registry, &prog, err);
    if (st != ND_OK) {
        nd_event_begin(&in->event, "(parse)", NULL);
        nd_event_end(&in->event, st, err);
        return st;
    }
    nd_output out;
    nd_output_init(&out, sink);
    nd_exec ex = {in->ws, in->registry, &in->interrupt, &out, 0, &in->event};
    st = nd_exec_program(&ex, prog, 1, err);
    if (st == ND_OK) nd_output_finish(&out);
    else nd_output_flush(&out);
    nd_program_free(prog);
    return st;
}

nd_status nd_interp_interact(nd_interp *in, int id, size_t k, double value, int quick,
                             const nd_sink *sink, double *applied, nd_error *err)
{
    nd_error local;
    if (!err) err = &local;
    nd_error_clear(err);
    nd_exec ex = {in->ws, in->registry, &in->interrupt, NULL, 0, NULL};
    return nd_interact_move(&ex, id, k, value, quick, sink, applied, err);
}

void nd_interp_interrupt(nd_interp *in)
{
    atomic_store(&in->interrupt, 1);
}

void nd_interp_clear_interrupt(nd_interp *in)
{
    atomic_store(&in->interrupt, 0);
}

nd_bundle *nd_interp_eval(nd_interp *in, const char *expr, nd_error *err)
{
    nd_error local;
    if (!err) err = &local;
    nd_error_clear(err);
    nd_expr *e = nd_parse_expression(expr, err);
    if (!e) return NULL;
    nd_value *v;
    nd_bundle *b = NULL;
    if (nd_eval(e, in->ws, &v, err) == ND_OK) {
        b = nd_value_to_bundle(v);
        if (!b) nd_error_fail(err, ND_ENOMEM, "out of memory while rendering a value");
        nd_value_unref(v);
    }
    nd_expr_free(e);
    return b;
}

/* The value of a -D VALUE: an expression of the language (12, 1e-3, [1, 2], "text"), or,
   when it is a single word that names nothing, that word as a string (-D method=rk4). */
static nd_status define_value(nd_interp *in, const char *text, nd_value **out, nd_error *err)
{
    if (!*text) return nd_error_fail(err, ND_ESYNTAX, "a value is missing after '='");
    nd_expr *e = nd_parse_expression(text, err);
    if (!e) return err->code;
    nd_status st = nd_eval(e, in->ws, out, err);
    if (st == ND_ENAME && e->kind == ND_EXPR_NAME) {
        nd_error_clear(err);
        *out = nd_value_string(text);
        st = *out ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    nd_expr_free(e);
    return st;
}

nd_status nd_interp_define(nd_interp *in, const char *assignment, nd_error *err)
{
    nd_error local;
    if (!err) err = &local;
    nd_error_clear(err);
    const char *eq = strchr(assignment, '=');
    size_t n = eq ? (size_t)(eq - assignment) : 0;
    char name[128];
    if (!eq || n == 0 || n >= sizeof name)
        return nd_error_fail(err, ND_ESYNTAX, "-D expects NAME=VALUE, not '%.80s'", assignment);
    memcpy(name, assignment, n);
    name[n] = '\0';
    nd_status st = nd_cmd_check_bind_name(in->registry, name, 0, 0, (int)n, err);
    nd_value *v = NULL;
    if (st == ND_OK) st = define_value(in, eq + 1, &v, err);
    if (st == ND_OK && nd_ws_pin(in->ws, name, v) != 0)
        st = nd_error_fail(err, ND_ENOMEM, "out of memory while binding '%s'", name);
    nd_value_unref(v);
    return st;
}

nd_status nd_interp_complete(nd_interp *in, const char *code, size_t cursor, nd_completion *out)
{
    return nd_complete(in->registry, in->ws, code, cursor, out);
}

void nd_completion_free(nd_completion *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->count; i++) free(c->matches[i]);
    free(c->matches);
    c->matches = NULL;
    c->count = 0;
}

nd_bundle *nd_interp_inspect(nd_interp *in, const char *code, size_t cursor, int detail)
{
    (void)detail;  /* every help page is already complete; nothing more to add */
    return nd_inspect(in->registry, in->ws, code, cursor);
}

nd_completeness nd_interp_is_complete(nd_interp *in, const char *code, char *indent, size_t cap)
{
    return nd_completeness_check(in->registry, code, indent, cap);
}

nd_ws *nd_interp_workspace(nd_interp *in)
{
    return in->ws;
}

nd_cmd_registry *nd_interp_registry(nd_interp *in)
{
    return in->registry;
}
