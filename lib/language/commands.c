/* The registry is a sorted array of pointers to static command descriptions; the
   helpers below are what every command shares (checks, blocks, interrupts). */
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "../base/suggest.h"
#include "eval.h"
#include "exec.h"
#include "parser.h"

struct nd_cmd_registry {
    const nd_command **items;
    size_t count, cap;
};

nd_cmd_registry *nd_cmd_registry_create(void)
{
    return calloc(1, sizeof(nd_cmd_registry));
}

void nd_cmd_registry_free(nd_cmd_registry *reg)
{
    if (!reg) return;
    free(reg->items);
    free(reg);
}

nd_status nd_cmd_register(nd_cmd_registry *reg, const nd_command *cmd, nd_error *err)
{
    size_t i = 0;
    while (i < reg->count && strcmp(reg->items[i]->name, cmd->name) < 0) i++;
    if (i < reg->count && strcmp(reg->items[i]->name, cmd->name) == 0)
        return nd_error_fail(err, ND_EINTERNAL, "command '%s' is registered twice", cmd->name);
    if (reg->count == reg->cap) {
        size_t cap = reg->cap ? 2 * reg->cap : 32;
        const nd_command **items = realloc(reg->items, cap * sizeof *items);
        if (!items) return nd_error_fail(err, ND_ENOMEM, "out of memory registering commands");
        reg->items = items;
        reg->cap = cap;
    }
    memmove(&reg->items[i + 1], &reg->items[i], (reg->count - i) * sizeof *reg->items);
    reg->items[i] = cmd;
    reg->count++;
    return ND_OK;
}

const nd_command *nd_cmd_find(const nd_cmd_registry *reg, const char *name)
{
    size_t lo = 0, hi = reg->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(reg->items[mid]->name, name);
        if (c == 0) return reg->items[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

size_t nd_cmd_count(const nd_cmd_registry *reg)
{
    return reg->count;
}

const nd_command *nd_cmd_at(const nd_cmd_registry *reg, size_t i)
{
    return reg->items[i];
}

const nd_option *nd_cmd_option(const nd_command *cmd, const char *name)
{
    for (const nd_option *o = cmd->options; o && o->name; o++)
        if (strcmp(o->name, name) == 0) return o;
    return NULL;
}

static nd_status unknown_option(const nd_command *cmd, const nd_arg *a, nd_error *err)
{
    if (!cmd->options || !cmd->options->name)
        return nd_error_set(err, ND_ENAME, a->line, a->col, a->span,
                            "'%s' takes no options (got '%s')", cmd->name, a->key);
    nd_suggest s;
    nd_suggest_init(&s, a->key);
    nd_sb valid;
    nd_sb_init(&valid);
    for (const nd_option *o = cmd->options; o->name; o++) {
        nd_suggest_offer(&s, o->name);
        nd_sb_printf(&valid, "%s%s", o == cmd->options ? "" : ", ", o->name);
    }
    const char *best = nd_suggest_best(&s);
    nd_status st;
    if (best)
        st = nd_error_set(err, ND_ENAME, a->line, a->col, a->span,
                          "unknown option '%s' for '%s'; did you mean '%s'? (options: %s)",
                          a->key, cmd->name, best, nd_sb_str(&valid));
    else
        st = nd_error_set(err, ND_ENAME, a->line, a->col, a->span,
                          "unknown option '%s' for '%s' (options: %s)", a->key, cmd->name,
                          nd_sb_str(&valid));
    nd_sb_free(&valid);
    return st;
}

nd_status nd_cmd_check_call(const nd_command *cmd, const nd_call *call, nd_error *err)
{
    for (size_t i = 0; i < call->nargs; i++) {
        const nd_arg *a = &call->args[i];
        if (!a->key) continue;
        if (!(cmd->flags & ND_CMD_ANY_OPTIONS) && !nd_cmd_option(cmd, a->key))
            return unknown_option(cmd, a, err);
        for (size_t j = i; j-- > 0;) {
            const nd_arg *b = &call->args[j];
            if ((cmd->flags & ND_CMD_STAGES) && !b->key && b->value->kind == ND_EXPR_NAME &&
                strcmp(b->value->str, "then") == 0)
                break;
            if ((cmd->flags & ND_CMD_GROUPS) && b->key && !nd_cmd_option(cmd, b->key) &&
                nd_cmd_option(cmd, a->key))
                break;
            if (b->key && strcmp(b->key, a->key) == 0)
                return nd_error_set(err, ND_ESYNTAX, a->line, a->col, a->span,
                                    "option '%s' is given twice", a->key);
        }
    }
    if (call->block.text && !(cmd->flags & ND_CMD_BLOCK))
        return nd_error_set(err, ND_ESYNTAX, call->block.line, call->block.col - 1, 1,
                            "'%s' does not take a { } block", cmd->name);
    return ND_OK;
}

nd_status nd_cmd_check_bind_name(const nd_cmd_registry *reg, const char *name, int line,
                                 int col, int span, nd_error *err)
{
    if (nd_eval_is_reserved(name))
        return nd_error_set(err, ND_ESYNTAX, line, col, span,
                            "cannot bind '%s': it is a reserved word", name);
    if (strchr(name, '.'))
        return nd_error_set(err, ND_ESYNTAX, line, col, span,
                            "cannot bind '%s': workspace names have no dots", name);
    if (reg && nd_cmd_find(reg, name))
        return nd_error_set(err, ND_ESYNTAX, line, col, span,
                            "cannot bind '%s': it is the name of a command", name);
    return ND_OK;
}

nd_status nd_cmd_check_interrupt(const nd_cmd_ctx *ctx, nd_error *err)
{
    return nd_exec_check_interrupt(ctx->exec, ctx->call->line, ctx->call->col, err);
}

nd_status nd_cmd_parse_block(const nd_cmd_ctx *ctx, nd_program **out, nd_error *err)
{
    const nd_block *b = &ctx->call->block;
    *out = NULL;
    if (!b->text)
        return nd_error_set(err, ND_ESYNTAX, ctx->call->line, ctx->call->col,
                            (int)strlen(ctx->call->name), "'%s' needs a { ... } block",
                            ctx->call->name);
    return nd_parse_program(b->text, b->len, b->line, b->col, ctx->registry, out, err);
}

nd_status nd_cmd_run(const nd_cmd_ctx *ctx, const nd_program *prog, nd_error *err)
{
    nd_exec *ex = ctx->exec;
    if (ex->depth >= ND_MAX_BLOCK_DEPTH)
        return nd_error_set(err, ND_ESYNTAX, ctx->call->line, ctx->call->col,
                            (int)strlen(ctx->call->name),
                            "blocks are nested more than %d deep", ND_MAX_BLOCK_DEPTH);
    ex->depth++;
    nd_status st = nd_exec_program(ex, prog, 0, err);
    ex->depth--;
    return st;
}

nd_status nd_cmd_display(const nd_cmd_ctx *ctx, nd_bundle *b, nd_error *err)
{
    if (!b) return nd_error_fail(err, ND_ENOMEM, "out of memory while rendering output");
    ctx->sink->display(ctx->sink->ctx, b, NULL, 0);
    nd_bundle_free(b);
    return ND_OK;
}

int nd_cmd_keep_pinned(nd_ws *ws, const nd_sink *sink, const char *name, int line)
{
    if (!nd_ws_pinned(ws, name)) return 0;
    char msg[320];
    snprintf(msg, sizeof msg, "%.200s is set from outside the program (-D); line %d keeps "
             "that value\n", name, line);
    if (sink && sink->stream) sink->stream(sink->ctx, ND_STREAM_ERR, msg);
    return 1;
}

nd_status nd_cmd_give(const nd_cmd_ctx *ctx, nd_value *r, nd_value **result, nd_error *err)
{
    /* a result shown but not bound is still what the mentor hears about */
    if (r && !ctx->bind && ctx->exec->event && ctx->exec->depth == 0)
        nd_event_result(ctx->exec->event, r);
    nd_status st = nd_cmd_display(ctx, r ? nd_value_to_bundle(r) : NULL, err);
    if (st == ND_OK && ctx->bind) *result = r;
    else nd_value_unref(r);
    return st;
}

nd_status nd_cmd_register_list(nd_cmd_registry *reg, const nd_command *const *cmds, size_t n,
                               nd_error *err)
{
    for (size_t i = 0; i < n; i++) {
        nd_status st = nd_cmd_register(reg, cmds[i], err);
        if (st != ND_OK) return st;
    }
    return ND_OK;
}
