/* The `interact` command: sliders over parameters of the current model (or workspace
   names) that run a block again whenever they move. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/numfmt.h"
#include "../language/args.h"
#include "../language/interact.h"
#include "modules.h"
#include "../language/objects.h"

enum { MAX_SLIDERS = 16 };

/* Decides what slider a binds and where it starts: the parameter's value, the bound
   number's, or the middle of the range, clamped into the range. */
static nd_status slider_target(const nd_cmd_ctx *ctx, const nd_arg *a, const nd_model *m,
                               nd_slider *s, unsigned char *is_par, nd_error *err)
{
    size_t idx;
    const nd_model_item *item = m ? nd_model_find(m, a->key, &idx) : NULL;
    double start = (s->lo + s->hi) / 2;
    *is_par = item && item->kind == ND_MODEL_PAR;
    if (*is_par) {
        start = nd_model_pars(m)[nd_model_index(m, ND_MODEL_PAR, a->key)];
    } else if (item) {
        return nd_arg_error(a, err, ND_ENAME, "'%s' is not a parameter of %s; a slider sets "
                            "a parameter of the current model or a workspace name", a->key,
                            nd_model_name(m));
    } else {
        nd_status st = nd_cmd_check_bind_name(ctx->registry, a->key, a->line, a->col, a->span, err);
        if (st != ND_OK) return st;
        const nd_value *v = nd_ws_get(ctx->ws, a->key);
        if (v && v->kind != ND_VAL_NUMBER) {
            char buf[64];
            return nd_arg_error(a, err, ND_ETYPE, "'%s' holds %s; a slider binds a number",
                                a->key, nd_value_a_type(v, buf, sizeof buf));
        }
        if (v) start = v->as.num;
    }
    s->value = fmin(fmax(start, s->lo), s->hi);
    return ND_OK;
}

static nd_status read_slider(const nd_cmd_ctx *ctx, const nd_arg *a, const nd_model *m,
                             const nd_arg *step_arg, double step, nd_slider *s,
                             unsigned char *is_par, nd_error *err)
{
    nd_status st = nd_arg_range(ctx, a, &s->lo, &s->hi, err);
    if (st != ND_OK) return st;
    if (!(isfinite(s->hi - s->lo) && s->lo < s->hi))
        return nd_arg_error(a, err, ND_EVALUE, "slider '%s' needs a range lo..hi with finite "
                            "lo < hi", a->key);
    /* about a hundred positions with round values */
    s->step = step_arg ? step : nd_nice_ceil((s->hi - s->lo) / 100);
    if (step_arg && !(step > 0 && step <= s->hi - s->lo))
        return nd_arg_error(step_arg, err, ND_EVALUE, "step= must be > 0 and at most the "
                            "width of every slider's range (%g for '%s')", s->hi - s->lo, a->key);
    s->decimals = nd_numfmt_decimals(s->lo, s->step);
    if ((st = slider_target(ctx, a, m, s, is_par, err)) != ND_OK) return st;
    s->name = strdup(a->key);
    return s->name ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
}

/* Fills it's sliders and model from the options. */
static nd_status read_sliders(const nd_cmd_ctx *ctx, nd_interact *it, nd_error *err)
{
    const nd_call *call = ctx->call;
    const nd_arg *step_arg = nd_arg_opt(ctx, "step");
    double step = 0;
    nd_status st = step_arg ? nd_arg_number(ctx, step_arg, &step, err) : ND_OK;
    if (st != ND_OK) return st;
    it->sliders = calloc(call->nargs ? call->nargs : 1, sizeof *it->sliders);
    it->is_par = calloc(call->nargs ? call->nargs : 1, sizeof *it->is_par);
    if (!it->sliders || !it->is_par) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    const char *model = nd_ws_current_model(ctx->ws);
    nd_model_obj *mo = model ? nd_value_as_model(nd_ws_get(ctx->ws, model)) : NULL;
    int any_par = 0;
    for (size_t i = 0; i < call->nargs; i++) {
        const nd_arg *a = &call->args[i];
        if (!a->key || strcmp(a->key, "step") == 0) continue;
        if (it->n == MAX_SLIDERS)
            return nd_arg_error(a, err, ND_EVALUE, "interact takes at most %d sliders", MAX_SLIDERS);
        st = read_slider(ctx, a, mo ? mo->model : NULL, step_arg, step, &it->sliders[it->n],
                         &it->is_par[it->n], err);
        if (st != ND_OK) {
            free((char *)it->sliders[it->n].name);
            return st;
        }
        any_par |= it->is_par[it->n++];
    }
    if (it->n == 0)
        return nd_error_set(err, ND_ESYNTAX, call->line, call->col, 8,
                            "interact needs at least one slider NAME=LO..HI");
    if (any_par && !(it->model = strdup(model))) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    return ND_OK;
}

static nd_status read_block(const nd_cmd_ctx *ctx, nd_interact *it, nd_error *err)
{
    nd_status st = nd_cmd_parse_block(ctx, &it->prog, err);
    if (st != ND_OK) return st;
    const nd_block *b = &ctx->call->block;
    it->src = strndup(b->text, b->len);
    it->line = b->line;
    it->col = b->col;
    return it->src ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
}

static nd_status run_interact(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    if (ctx->exec->depth > 0)
        return nd_error_set(err, ND_ESYNTAX, ctx->call->line, ctx->call->col, 8,
                            "interact stands at the top level of a cell, not inside a block");
    nd_status st = nd_arg_expect(ctx, 0, 0, err);
    nd_interact *it = st == ND_OK ? calloc(1, sizeof *it) : NULL;
    if (st == ND_OK && !it) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) st = read_sliders(ctx, it, err);
    if (st == ND_OK) st = read_block(ctx, it, err);
    nd_interact_outputs out = {0};
    if (st == ND_OK) st = nd_interact_run(ctx->exec, it, &out, err);
    if (st != ND_OK) {
        nd_interact_outputs_clear(&out);
        nd_interact_free(it);
        return st;
    }
    nd_sliders offer = {nd_ws_add_interact(ctx->ws, it), it->n, it->sliders};
    if (!ctx->sink->sliders || !ctx->sink->sliders(ctx->sink->ctx, &offer))
        ctx->sink->stream(ctx->sink->ctx, ND_STREAM_OUT,
                          "interact: sliders need Jupyter (the Notebook with ipywidgets); "
                          "the block ran once with these values\n");
    nd_interact_show(ctx->sink, it, &out, 0);
    nd_interact_outputs_clear(&out);
    return ND_OK;
}

static const nd_option interact_options[] = {
    {"step", "(hi - lo)/100 rounded to 1, 2 or 5 x 10^k", "the step of every slider"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_interact = {
    "interact", "sliders that run a block again whenever they move",
    "interact NAME=LO..HI [NAME=LO..HI ...] [step=S] { STATEMENTS }",
    "Runs the block once and shows sliders for the names (in Jupyter: the classic Notebook "
    "with ipywidgets). Moving a slider runs the block again with the new value and replaces "
    "its output in place, so a phase portrait follows the slider as it is dragged.\n\n"
    "A name that is a parameter of the current model sets that parameter; any other name is "
    "bound in the workspace as a number. The values hold only while the block runs: "
    "afterwards the parameters and names are as they were, and the model of the interact is "
    "current during its runs even when another one is current in the session. A slider "
    "starts at the parameter's value (or the bound number, or the middle of its range). "
    "step= sets the step of every slider; without it each slider has about a hundred "
    "positions.\n\n"
    "The output starts with a line of the sliders' values (JSON type \"interact\"), which "
    "updates too, so a saved notebook says which values its figure shows where sliders "
    "cannot run (nbconvert, nbviewer). An error of a later run is shown in place of the "
    "output; the kernel carries on. Outside Jupyter (`neurodyn run`) the block runs once "
    "with the starting values. interact stands at the top level of a cell; the workspace "
    "keeps the last 100 interacts.",
    interact_options,
    "use hh_rinzel\ninteract I=0..20 gK=20..40 {\n  phase V n\n}\nuse fhn\n"
    "interact I=0..2 step=0.01 { fixed }",
    ND_CMD_ANY_OPTIONS | ND_CMD_BLOCK, run_interact
};

nd_status nd_cmd_register_interact(nd_cmd_registry *reg, nd_error *err)
{
    return nd_cmd_register(reg, &cmd_interact, err);
}
