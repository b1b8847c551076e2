/* Resolving a command's model or dataset argument. Built-in models are loaded on first
   mention and bound under their own name, so `set` and `show` then act on that copy. */
#include "target.h"

#include <string.h>

#include "../base/strbuf.h"
#include "../base/suggest.h"
#include "args.h"
#include "workspace.h"

static nd_model_obj *bound_model(const nd_ws *ws, const char *name)
{
    return nd_value_as_model(nd_ws_get(ws, name));
}

static int is_builtin(const char *name)
{
    for (size_t i = 0; i < nd_model_builtin_count(); i++)
        if (strcmp(nd_model_builtin_name(i), name) == 0) return 1;
    return 0;
}

/* The bare identifier arg holds, or NULL when it is anything else. */
static const char *bare_name(const nd_arg *arg)
{
    return arg && !arg->key && arg->value->kind == ND_EXPR_NAME ? arg->value->str : NULL;
}

int nd_target_is_model(const nd_cmd_ctx *ctx, const nd_arg *arg)
{
    const char *name = bare_name(arg);
    return name && (bound_model(ctx->ws, name) || is_builtin(name));
}

nd_ude *nd_target_ude(const nd_cmd_ctx *ctx, const nd_arg *arg)
{
    const char *name = bare_name(arg);
    return name ? nd_value_as_ude(nd_ws_get(ctx->ws, name)) : NULL;
}

static nd_status unknown_model(const nd_arg *arg, const char *name, nd_error *err)
{
    nd_sb list;
    nd_sb_init(&list);
    nd_suggest near;
    nd_suggest_init(&near, name);
    for (size_t i = 0; i < nd_model_builtin_count(); i++) {
        nd_sb_printf(&list, "%s%s", i ? ", " : "", nd_model_builtin_name(i));
        nd_suggest_offer(&near, nd_model_builtin_name(i));
    }
    const char *best = nd_suggest_best(&near);
    nd_status st = nd_arg_error(arg, err, ND_ENAME, "no model called '%s'%s%s%s (built-in: %s)",
                                name, best ? "; did you mean '" : "", best ? best : "",
                                best ? "'?" : "", list.data ? list.data : "");
    nd_sb_free(&list);
    return st;
}

nd_status nd_target_model(const nd_cmd_ctx *ctx, const nd_arg *arg, nd_model_obj **out,
                          nd_error *err)
{
    if (!arg) {
        const char *current = nd_ws_current_model(ctx->ws);
        *out = current ? bound_model(ctx->ws, current) : NULL;
        if (*out) return ND_OK;
        return nd_error_set(err, ND_ENAME, ctx->call->line, ctx->call->col,
                            (int)strlen(ctx->call->name),
                            "'%s' needs a model: choose one first with `use NAME` (e.g. "
                            "`use hh`) or define one with `model NAME { … }`",
                            ctx->call->name);
    }
    const char *name;
    nd_status st = nd_arg_name(ctx, arg, &name, err);
    if (st != ND_OK) return st;
    if ((*out = bound_model(ctx->ws, name))) return ND_OK;
    if (nd_ws_get(ctx->ws, name) && !is_builtin(name)) {
        char kind[64];
        return nd_arg_error(arg, err, ND_ETYPE, "'%s' is %s, not a model", name,
                            nd_value_a_type(nd_ws_get(ctx->ws, name), kind, sizeof kind));
    }
    if (!is_builtin(name)) return unknown_model(arg, name, err);
    nd_model *m = nd_model_builtin(name, err);
    if (!m) return err ? err->code : ND_ENAME;
    nd_value *v = nd_value_model(m);
    if (!v || nd_ws_set(ctx->ws, name, v) != 0) {
        nd_value_unref(v);
        return nd_error_fail(err, ND_ENOMEM, "out of memory while loading model '%s'", name);
    }
    nd_value_unref(v);
    *out = bound_model(ctx->ws, name);
    return ND_OK;
}

/* Evaluates arg into *holder and returns what as_kind finds in it, or fails naming what
   the command expected. */
static void *target_object(const nd_cmd_ctx *ctx, const nd_arg *arg, nd_value **holder,
                           void *(*as_kind)(const nd_value *), const char *expected,
                           nd_status *st, nd_error *err)
{
    if ((*st = nd_arg_value(ctx, arg, holder, err)) != ND_OK) return NULL;
    void *obj = as_kind(*holder);
    if (obj) return obj;
    char kind[64];
    *st = nd_arg_error(arg, err, ND_ETYPE, "'%s' expects %s here, not %s", ctx->cmd->name,
                       expected, nd_value_a_type(*holder, kind, sizeof kind));
    nd_value_unref(*holder);
    *holder = NULL;
    return NULL;
}

static void *as_dataset(const nd_value *v) { return nd_value_as_dataset(v); }
static void *as_recording(const nd_value *v) { return nd_value_as_recording(v); }

nd_status nd_target_dataset(const nd_cmd_ctx *ctx, const nd_arg *arg, nd_value **holder,
                            nd_dataset **out, nd_error *err)
{
    nd_status st;
    *out = target_object(ctx, arg, holder, as_dataset, "a dataset", &st, err);
    return st;
}

nd_status nd_target_recording(const nd_cmd_ctx *ctx, const nd_arg *arg, nd_value **holder,
                              nd_recording **out, nd_error *err)
{
    nd_status st;
    *out = target_object(ctx, arg, holder, as_recording, "a recording (load \"file.abf\")",
                         &st, err);
    return st;
}

void nd_target_locate(nd_error *err, const nd_arg *a)
{
    if (err && err->line == 0 && a) {
        err->line = a->line;
        err->col = a->col;
        err->span = a->span;
    }
}
