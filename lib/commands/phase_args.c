/* Option reading shared by the phase-plane commands. */
#include "phase_args.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../language/args.h"
#include "../language/target.h"

/* Reads one option named after a state (range or value) or a parameter (value). */
static nd_status read_option(const nd_cmd_ctx *ctx, const nd_arg *a, nd_phase_setup *s,
                             nd_error *err)
{
    int si = nd_model_index(s->m, ND_MODEL_STATE, a->key);
    int pi = nd_model_index(s->m, ND_MODEL_PAR, a->key);
    if (si < 0 && pi < 0)
        return nd_arg_error(a, err, ND_ENAME, "'%s' is neither an option of %s nor a state or "
                            "parameter of model %s", a->key, ctx->cmd->name,
                            nd_model_name(s->m));
    nd_value *v;
    nd_status st = nd_arg_value(ctx, a, &v, err);
    if (st != ND_OK) return st;
    if (si >= 0 && v->kind == ND_VAL_RANGE && v->as.range.lo < v->as.range.hi &&
        isfinite(v->as.range.lo) && isfinite(v->as.range.hi)) {
        s->lo[si] = v->as.range.lo;
        s->hi[si] = v->as.range.hi;
        s->ranged[si] = 1;
    } else if (v->kind == ND_VAL_NUMBER && isfinite(v->as.num)) {
        if (si >= 0) {
            s->x0[si] = v->as.num;
            s->given[si] = 1;
        } else {
            s->p[pi] = v->as.num;
        }
    } else {
        st = nd_arg_error(a, err, ND_ETYPE, si >= 0 ? "state '%s' takes a range lo..hi "
                          "(lo < hi) or a number" : "parameter '%s' takes a number", a->key);
    }
    nd_value_unref(v);
    return st;
}

nd_status nd_phase_setup_read(const nd_cmd_ctx *ctx, const nd_arg *model_arg,
                              nd_phase_setup *s, nd_error *err)
{
    memset(s, 0, sizeof *s);
    nd_model_obj *mo;
    nd_status st = nd_target_model(ctx, model_arg, &mo, err);
    if (st != ND_OK || (st = nd_phase_setup_init(s, mo->model, err)) != ND_OK) return st;
    for (size_t i = 0; st == ND_OK && i < ctx->call->nargs; i++) {
        const nd_arg *a = &ctx->call->args[i];
        if (a->key && !nd_cmd_option(ctx->cmd, a->key)) st = read_option(ctx, a, s, err);
    }
    if (st == ND_OK && nd_phase_setup_frame(s, mo->model) != ND_OK)
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st != ND_OK) nd_phase_setup_free(s);
    return st;
}
