/* Commands about models: model (define), use, show, explain, set, init, stim. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "../language/args.h"
#include "../language/fields.h"
#include "modules.h"
#include "../language/target.h"
#include "../learn/hybrid_view.h"
#include "../learn/ude_view.h"
#include "../language/workspace.h"

static void say(const nd_cmd_ctx *ctx, nd_stream which, const char *text)
{
    ctx->sink->stream(ctx->sink->ctx, which, text);
}

/* Warns (stderr) about what reading the model noticed, e.g. defaulted initial values. */
static void report_notes(const nd_cmd_ctx *ctx, const nd_model *m)
{
    char *text = nd_model_notes_text(m);
    if (text) say(ctx, ND_STREAM_ERR, text);
    free(text);
}

/* Binds m under name and makes it the current model. */
static nd_status bind_current(const nd_cmd_ctx *ctx, const char *name, nd_model *m,
                              nd_error *err)
{
    nd_value *v = nd_value_model(m);
    int failed = !v || nd_ws_set(ctx->ws, name, v) != 0 ||
                 nd_ws_set_current_model(ctx->ws, name) != 0;
    nd_value_unref(v);
    return failed ? nd_error_fail(err, ND_ENOMEM, "out of memory while binding '%s'", name)
                  : ND_OK;
}

/* ---- model NAME { … } ---- */

static nd_status run_model(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    nd_status st = nd_arg_expect(ctx, 1, 1, err);
    if (st != ND_OK) return st;
    const char *name;
    if ((st = nd_arg_name(ctx, nd_arg_pos(ctx, 0), &name, err)) != ND_OK) return st;
    const nd_arg *a = nd_arg_pos(ctx, 0);
    if ((st = nd_cmd_check_bind_name(ctx->registry, name, a->line, a->col, a->span, err)) != ND_OK)
        return st;
    const nd_block *b = &ctx->call->block;
    if (!b->text)
        return nd_arg_error(nd_arg_pos(ctx, 0), err, ND_ESYNTAX,
                            "'model %s' needs its equations in a { … } block", name);
    nd_model *m = nd_model_parse(name, b->text, b->len, b->line, b->col, err);
    if (!m) return err ? err->code : ND_ESYNTAX;
    report_notes(ctx, m);
    return bind_current(ctx, name, m, err);
}

static const nd_command cmd_model = {
    "model", "define a model in the model language", "model NAME { … }",
    "Reads the block as a model (see docs/models.md): equations `dX/dt = …` or `X' = …`, "
    "terms `NAME = …`, `par`, `init`, `fn`, `when` resets, a default `stim`, `doc` and "
    "parameter `set`s. The model is compiled once, with its Jacobians, bound under NAME "
    "and becomes the current model for `set`, `simulate`, `show` …",
    NULL,
    "model fhn2 {\n  dv/dt = v - v^3/3 - w + I\n  dw/dt = eps*(v + a - b*w)\n"
    "  par a = 0.7, b = 0.8, eps = 0.08, I = 0.5\n  init v = -1.2, w = -0.6\n}",
    ND_CMD_BLOCK, run_model
};

/* ---- use ---- */

static nd_status run_use(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    nd_status st = nd_arg_expect(ctx, 1, 1, err);
    if (st != ND_OK) return st;
    const nd_arg *a = nd_arg_pos(ctx, 0);
    nd_model_obj *mo;
    if ((st = nd_target_model(ctx, a, &mo, err)) != ND_OK) return st;
    const char *name;
    if ((st = nd_arg_name(ctx, a, &name, err)) != ND_OK) return st;
    if (nd_ws_set_current_model(ctx->ws, name) != 0)
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    const nd_arg *set = nd_arg_opt(ctx, "set");
    if (set) {
        const char *which;
        if ((st = nd_arg_name(ctx, set, &which, err)) != ND_OK) return st;
        if ((st = nd_model_apply_set(mo->model, which, err)) != ND_OK) {
            nd_target_locate(err, set);
            return st;
        }
    }
    char *line = nd_model_using(mo->model);
    if (!line) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    say(ctx, ND_STREAM_OUT, line);
    free(line);
    return ND_OK;
}

static const nd_option use_options[] = {
    {"set", NULL, "apply one of the model's named parameter sets (e.g. ml's snic)"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_use = {
    "use", "make a model the current one", "use MODEL [set=NAME]",
    "Makes MODEL the current model: a model you defined, or a built-in (hh, hh_rinzel, "
    "hh_minf_hinf, fhn, ml, izh, lif), which is loaded and bound under its own name. "
    "`set`, `init`, `stim`, `simulate`, `show` and `explain` then act on it.",
    use_options, "use hh\nuse ml set=snic", 0, run_use
};

/* ---- show ---- */

/* The value `show X` names when it is a result with fields (a record, a dataset, a
   diagram …) rather than a model or network; NULL otherwise (a new reference). */
static nd_value *shown_result(const nd_cmd_ctx *ctx, const nd_arg *a)
{
    nd_value *v = NULL;
    nd_error ignored;
    if (!a || nd_arg_value(ctx, a, &v, &ignored) != ND_OK) return NULL;
    if (nd_value_as_model(v) || nd_value_as_ude(v) || !nd_value_field_name(v, 0)) {
        nd_value_unref(v);
        return NULL;
    }
    return v;
}

/* The fields of a model's fit (a model from sindy), after its equations. */
static nd_status show_fit(const nd_cmd_ctx *ctx, const nd_model_obj *mo, const char *name,
                          nd_error *err)
{
    if (!mo->fit) return ND_OK;
    return nd_cmd_display(ctx, nd_fields_bundle(mo->fit, name), err);
}

static nd_status run_show(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    nd_status st = nd_arg_expect(ctx, 0, 1, err);
    if (st != ND_OK) return st;
    nd_value *res = shown_result(ctx, nd_arg_pos(ctx, 0));
    if (res) {
        nd_sb what;
        nd_sb_init(&what);
        nd_expr_text(nd_arg_pos(ctx, 0)->value, &what);
        st = what.oom ? nd_error_fail(err, ND_ENOMEM, "out of memory")
                      : nd_cmd_display(ctx, nd_fields_bundle(res, nd_sb_str(&what)), err);
        nd_sb_free(&what);
        nd_value_unref(res);
        return st;
    }
    /* A network: the opened model (replaced terms read the network), then the network. */
    nd_ude *net = nd_target_ude(ctx, nd_arg_pos(ctx, 0));
    if (net) {
        if ((st = nd_cmd_display(ctx, nd_ude_equations(net), err)) != ND_OK) return st;
        return nd_cmd_display(ctx, nd_ude_view_bundle(net), err);
    }
    nd_model_obj *mo;
    if ((st = nd_target_model(ctx, nd_arg_pos(ctx, 0), &mo, err)) != ND_OK) return st;
    const nd_model *m = mo->model;

    /* Equations and tables go out as separate displays: front ends prefer HTML over
       LaTeX in one bundle, and both should show. */
    int par;
    nd_stim *stim = nd_model_obj_stim(mo, &par);
    nd_bundle *eq = nd_model_equations(m, stim, par, NULL, 0, NULL);
    nd_stim_free(stim);
    if ((st = nd_cmd_display(ctx, eq, err)) != ND_OK) return st;
    if ((st = nd_cmd_display(ctx, nd_model_table(m, ND_MODEL_PAR), err)) != ND_OK) return st;
    if ((st = nd_cmd_display(ctx, nd_model_table(m, ND_MODEL_STATE), err)) != ND_OK) return st;
    return show_fit(ctx, mo, nd_arg_pos(ctx, 0) ? nd_arg_pos(ctx, 0)->value->str : "model", err);
}

static const nd_command cmd_show = {
    "show", "show a model's equations, parameters and states, or a result's fields",
    "show [MODEL|NET|RESULT]",
    "Shows the equations of MODEL (default: the current model) as LaTeX, then a table of "
    "its parameters (value, unit, meaning) and one of its states (initial value, unit, "
    "meaning). `explain NAME` tells what one of them does. For a network (from `ude` or "
    "`node`) it shows the model with the replaced terms reading the network, then the "
    "network: inputs, layers, number of parameters, stimulus and training so far.\n\n"
    "For a result with fields (a record such as `s = spikes …` or `f = fixed`, a dataset, "
    "a diagram from `continue`, or a field of one: `show c.hopf[1]`) it lists the fields "
    "with their types and values, which read as NAME.FIELD; a model made by `sindy` "
    "also lists its fit's fields.",
    NULL, "use hh\nshow\nsim = simulate t=50\nshow sim", 0, run_show
};

/* ---- explain ---- */

static nd_status run_explain(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    nd_status st = nd_arg_expect(ctx, 1, 1, err);
    if (st != ND_OK) return st;
    const nd_arg *a = nd_arg_pos(ctx, 0);
    const char *name;
    if ((st = nd_arg_name(ctx, a, &name, err)) != ND_OK) return st;
    nd_model_obj *mo;
    if ((st = nd_target_model(ctx, NULL, &mo, err)) != ND_OK) return st;
    nd_bundle *b = nd_model_explain_bundle(mo->model, name);
    if (!b)
        return nd_arg_error(a, err, ND_ENAME, "model %s has no '%s' (see `show`)",
                            nd_model_name(mo->model), name);
    return nd_cmd_display(ctx, b, err);
}

static const nd_command cmd_explain = {
    "explain", "what a parameter, current, gate or variable means", "explain NAME",
    "Explains NAME of the current model: its definition, value and unit, and its role in "
    "the biophysics of the spike (for the built-in models).",
    NULL, "use hh\nexplain gNa\nexplain h", 0, run_explain
};

/* ---- set, init ---- */

/* Applies every option of the call as NAME = number through apply. */
static nd_status assign_options(nd_cmd_ctx *ctx, nd_model *m,
                                nd_status (*apply)(nd_model *, const char *, double, nd_error *),
                                nd_error *err)
{
    for (size_t i = 0; i < ctx->call->nargs; i++) {
        const nd_arg *a = &ctx->call->args[i];
        if (!a->key) continue;
        double x;
        nd_status st = nd_arg_number(ctx, a, &x, err);
        if (st != ND_OK) return st;
        if (!isfinite(x))
            return nd_arg_error(a, err, ND_EVALUE, "%s must be a finite number", a->key);
        if ((st = apply(m, a->key, x, err)) != ND_OK) {
            err->line = a->line;
            err->col = a->col;
            err->span = (int)strlen(a->key);
            return st;
        }
    }
    return ND_OK;
}

static nd_status run_set(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    nd_model_obj *mo;
    nd_status st = nd_target_model(ctx, NULL, &mo, err);
    if (st != ND_OK) return st;
    /* Positional names are parameter sets, applied before the single values. */
    for (size_t i = 0; i < nd_arg_count(ctx); i++) {
        const char *which;
        if ((st = nd_arg_name(ctx, nd_arg_pos(ctx, i), &which, err)) != ND_OK) return st;
        if ((st = nd_model_apply_set(mo->model, which, err)) != ND_OK) {
            nd_target_locate(err, nd_arg_pos(ctx, i));
            return st;
        }
    }
    if (ctx->call->nargs == 0)
        return nd_error_set(err, ND_ESYNTAX, ctx->call->line, ctx->call->col, 3,
                            "set expects parameter values (set I = 10) or a parameter set");
    return assign_options(ctx, mo->model, nd_model_set_par, err);
}

static const nd_command cmd_set = {
    "set", "set parameters of the current model", "set [SETNAME] NAME = VALUE [, …]",
    "Sets parameters of the current model (`set I = 10, gNa = 100`). A bare name applies "
    "one of the model's named parameter sets first (`set snic` for ml).",
    NULL, "use hh\nset I = 10\nuse ml\nset snic I = 40", ND_CMD_ANY_OPTIONS, run_set
};

static nd_status run_init(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    nd_model_obj *mo;
    nd_status st = nd_target_model(ctx, NULL, &mo, err);
    if (st != ND_OK) return st;
    if ((st = nd_arg_expect(ctx, 0, 0, err)) != ND_OK) return st;
    if (ctx->call->nargs == 0)
        return nd_error_set(err, ND_ESYNTAX, ctx->call->line, ctx->call->col, 4,
                            "init expects initial values (init V = -70)");
    return assign_options(ctx, mo->model, nd_model_set_init, err);
}

static const nd_command cmd_init = {
    "init", "set initial values of the current model", "init NAME = VALUE [, …]",
    "Sets the initial values of state variables of the current model.",
    NULL, "use hh\ninit V = -70", ND_CMD_ANY_OPTIONS, run_init
};

/* ---- stim ---- */

/* The components of `stim`: the protocol forms of lib/ode/stim.h (the vocabulary of the
   model language's stim statement, docs/models.md) under the command's names, with the
   command's defaults. The ramp's from= and to= are the old names of t0= and t1=, kept as
   aliases. data and none add no form. */
enum { STIM_MAX_OPTS = 2 * ND_STIM_FORM_ARGS };
static const struct stim_kind {
    const char *name;
    const char *form;                         /* NULL: data, none */
    double dflt[ND_STIM_FORM_ARGS];
    const char *alias[ND_STIM_FORM_ARGS];     /* an old name of each argument, or NULL */
} stim_kinds[] = {
    {"step", "step", {0, INFINITY, 10}, {NULL}},
    {"pulses", "pulses", {0, 1, 10, 1, 10}, {NULL}},
    {"ramp", "ramp", {0, 100, 0, 10}, {"from", "to"}},
    {"noise", "ou", {0, 1, 5, 1, 0.05}, {NULL}},
    {"data", NULL, {0}, {NULL}},
    {"none", NULL, {0}, {NULL}},
};

/* Options of every component. */
static int stim_general(const char *name)
{
    return strcmp(name, "par") == 0 || strcmp(name, "add") == 0;
}

static const struct stim_kind *stim_kind_find(const char *name)
{
    for (size_t i = 0; i < sizeof stim_kinds / sizeof stim_kinds[0]; i++)
        if (strcmp(stim_kinds[i].name, name) == 0) return &stim_kinds[i];
    return NULL;
}

static int stim_kind_takes(const struct stim_kind *k, const char *opt)
{
    const nd_stim_form *f = k->form ? nd_stim_form_find(k->form) : NULL;
    for (size_t i = 0; f && i < f->nargs; i++)
        if (strcmp(f->args[i], opt) == 0 || (k->alias[i] && strcmp(k->alias[i], opt) == 0))
            return 1;
    return 0;
}

/* Number option key, or the value of its alias (NULL: none) when only that is given. */
static nd_status stim_number(nd_cmd_ctx *ctx, const char *key, const char *alias, double dflt,
                             double *out, nd_error *err)
{
    const nd_arg *a = nd_arg_opt(ctx, key), *b = alias ? nd_arg_opt(ctx, alias) : NULL;
    if (a && b)
        return nd_arg_error(b, err, ND_EVALUE, "%s= is another name for %s=: give one of them",
                            alias, key);
    return nd_arg_opt_number(ctx, b ? alias : key, dflt, out, err);
}

/* Checks the options against the component: one of another component is an error that
   says whose it is, and an unknown one gets a suggestion among this component's only (a
   suggestion from another component would name an option that does something else). */
static nd_status stim_check_options(const nd_cmd_ctx *ctx, const struct stim_kind *k,
                                    nd_error *err)
{
    nd_option mine[STIM_MAX_OPTS + 3];
    size_t n = 0;
    for (const nd_option *o = ctx->cmd->options; o->name; o++)
        if (stim_general(o->name) || stim_kind_takes(k, o->name)) mine[n++] = *o;
    mine[n] = (nd_option){NULL, NULL, NULL};
    for (size_t i = 0; i < ctx->call->nargs; i++) {
        const nd_arg *a = &ctx->call->args[i];
        if (!a->key || stim_general(a->key) || stim_kind_takes(k, a->key) ||
            !nd_cmd_option(ctx->cmd, a->key))
            continue;
        nd_sb whose, takes;
        nd_sb_init(&whose);
        nd_sb_init(&takes);
        for (size_t j = 0; j < sizeof stim_kinds / sizeof stim_kinds[0]; j++)
            if (stim_kind_takes(&stim_kinds[j], a->key))
                nd_sb_printf(&whose, "%s%s", whose.len ? " and " : "", stim_kinds[j].name);
        const nd_stim_form *f = k->form ? nd_stim_form_find(k->form) : NULL;
        for (size_t j = 0; f && j < f->nargs; j++)
            nd_sb_printf(&takes, "%s%s=", j ? " " : "", f->args[j]);
        nd_status st = nd_arg_error(a, err, ND_ENAME, "%s= is an option of stim %s, not of stim "
                                    "%s (%s takes %s)", a->key, nd_sb_str(&whose), k->name,
                                    k->name, takes.len ? nd_sb_str(&takes) : "no options of its own");
        nd_sb_free(&whose);
        nd_sb_free(&takes);
        return st;
    }
    nd_command strict = *ctx->cmd;
    strict.options = mine;
    strict.flags &= ~(unsigned)ND_CMD_ANY_OPTIONS;
    return nd_cmd_check_call(&strict, ctx->call, err);
}

static nd_status add_component(nd_cmd_ctx *ctx, nd_stim *s, const struct stim_kind *k,
                               const nd_arg *at, nd_error *err)
{
    const nd_stim_form *f = nd_stim_form_find(k->form);
    double a[ND_STIM_FORM_ARGS];
    nd_status st = ND_OK;
    for (size_t i = 0; st == ND_OK && i < f->nargs; i++)
        st = stim_number(ctx, f->args[i], k->alias[i], k->dflt[i], &a[i], err);
    if (st != ND_OK) return st;
    int rc = nd_stim_add_form(s, f, a);
    if (rc != ND_OK)
        return nd_arg_error(at, err, rc == ND_ENOMEM ? ND_ENOMEM : ND_EVALUE,
                            "these %s parameters do not make a stimulus (see `help stim`)",
                            k->name);
    return ND_OK;
}

/* stim [NET] data DATASET COLUMN: the samples of a dataset column as the input; the
   positionals start at first. */
static nd_status add_data(nd_cmd_ctx *ctx, size_t first, nd_stim *s, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, first + 3, (long)first + 3, err);
    if (st != ND_OK) return st;
    nd_value *holder;
    nd_dataset *ds;
    const nd_arg *da = nd_arg_pos(ctx, first + 1), *ca = nd_arg_pos(ctx, first + 2);
    if ((st = nd_target_dataset(ctx, da, &holder, &ds, err)) != ND_OK) return st;
    const char *col;
    st = nd_arg_name(ctx, ca, &col, err);
    int j = st == ND_OK ? nd_ds_find(ds, col) : -1;
    if (st == ND_OK && j < 0)
        st = nd_arg_error(ca, err, ND_ENAME, "the dataset has no column '%s'", col);
    if (st == ND_OK && nd_stim_add_samples(s, nd_ds_col(ds, 0), nd_ds_col(ds, (size_t)j),
                                           nd_ds_rows(ds)) != ND_OK)
        st = nd_arg_error(da, err, ND_EVALUE, "the dataset has no rows");
    nd_value_unref(holder);
    return st;
}

static nd_status run_stim(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    /* `stim NET …` sets a network's stimulus (a generalisation test); else the current
       model's. */
    nd_ude *net = nd_target_ude(ctx, nd_arg_pos(ctx, 0));
    nd_model_obj *mo = NULL;
    nd_status st = net ? ND_OK : nd_target_model(ctx, NULL, &mo, err);
    if (st != ND_OK) return st;
    const nd_model *m = net ? nd_ude_truth(net) : mo->model;
    size_t first = net ? 1 : 0;
    if ((st = nd_arg_expect(ctx, first + 1, (long)first + 3, err)) != ND_OK) return st;
    const nd_arg *kind_arg = nd_arg_pos(ctx, first);
    const char *kind;
    if ((st = nd_arg_name(ctx, kind_arg, &kind, err)) != ND_OK) return st;
    const struct stim_kind *sk = stim_kind_find(kind);
    if (!sk)
        return nd_arg_error(kind_arg, err, ND_ENAME, "unknown stimulus '%s' (step, pulses, ramp, "
                            "noise, data, none)", kind);
    if ((st = stim_check_options(ctx, sk, err)) != ND_OK) return st;

    char *par_name = NULL;
    if ((st = nd_arg_opt_word(ctx, "par", "I", &par_name, err)) != ND_OK) return st;
    int par = nd_model_index(m, ND_MODEL_PAR, par_name);
    if (par < 0) {
        const nd_arg *pa = nd_arg_opt(ctx, "par");
        st = nd_error_set(err, ND_ENAME, pa ? pa->line : ctx->call->line,
                          pa ? pa->col : ctx->call->col, 3,
                          "model %s has no parameter '%s' for the stimulus to drive",
                          nd_model_name(m), par_name);
        free(par_name);
        return st;
    }
    free(par_name);

    int add = 0;
    if ((st = nd_arg_opt_bool(ctx, "add", 0, &add, err)) != ND_OK) return st;
    if (strcmp(kind, "none") == 0) {
        if (net) return nd_ude_set_stim(net, NULL, -1, err);
        nd_stim_free(mo->stim);
        mo->stim = nd_stim_create();   /* an empty protocol overrides the model's default */
        mo->stim_par = par;
        return mo->stim ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    int old_par;
    const nd_stim *old = net ? nd_ude_stim(net, &old_par) : mo->stim;
    nd_stim *s = add && old ? nd_stim_copy(old) : nd_stim_create();
    if (!s) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    st = strcmp(kind, "data") == 0 ? add_data(ctx, first, s, err)
                                   : add_component(ctx, s, sk, kind_arg, err);
    if (st == ND_OK && net) st = nd_ude_set_stim(net, s, par, err);
    if (st != ND_OK || net) {
        nd_stim_free(s);
        return st;
    }
    nd_stim_free(mo->stim);
    mo->stim = s;
    mo->stim_par = par;
    return ND_OK;
}

static const nd_option stim_options[] = {
    {"par", "I", "the parameter the stimulus drives (added to its value)"},
    {"add", "false", "add this component to the current protocol instead of replacing it"},
    {"at", "0", "step: start time"}, {"dur", "inf", "step: duration"},
    {"amp", "10", "step, pulses: amplitude"}, {"start", "0", "pulses: first pulse"},
    {"width", "1", "pulses: pulse width"}, {"period", "10", "pulses: period"},
    {"count", "1", "pulses: number of pulses"}, {"t0", "0", "ramp: start time"},
    {"t1", "100", "ramp: end time"}, {"a0", "0", "ramp: value at the start"},
    {"a1", "10", "ramp: value at the end"}, {"mean", "0", "noise: mean"},
    {"sigma", "1", "noise: standard deviation"}, {"tau", "5", "noise: correlation time"},
    {"seed", "1", "noise: random seed (same numbers on every machine)"},
    {"dt", "0.05", "noise: time grid"},
    {"from", "0", "ramp: old name of t0"}, {"to", "100", "ramp: old name of t1"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_stim = {
    "stim", "set the stimulus protocol of the current model (or of a network)",
    "stim [NET] step|pulses|ramp|noise|data|none [options]",
    "Sets the time course u(t) added to a parameter (default I) of the current model: "
    "`step at= dur= amp=`, `pulses start= width= period= count= amp=`, `ramp t0= t1= "
    "a0= a1=` (from a0 at t0 to a1 at t1), `noise mean= sigma= tau= seed= dt=` "
    "(Ornstein–Uhlenbeck, reproducible from its seed), `data DATASET COLUMN` (samples, "
    "linearly interpolated) or `none`: the same names as the model language's `stim` "
    "statement (ramp(t0=, t1=, a0=, a1=)); `from=` and `to=` still work as old names of "
    "t0= and t1=. Each component takes only its own options: `stim ramp at=5` is an error "
    "naming the component at= belongs to. With "
    "add=true the component is added to the protocol instead of replacing it. "
    "`stim NET …` sets the stimulus of a network (from `ude` or `node`) instead, e.g. to "
    "test with `simulate NET` how a trained network generalises to a new input; set the "
    "training stimulus back before training it again.",
    stim_options,
    "use hh\nstim step at=10 dur=50 amp=10\nstim noise sigma=2 add=true\n"
    "stim ramp t0=0 t1=100 a0=0 a1=15\n"
    "stim net pulses start=5 width=1 period=15 count=3 amp=20",
    ND_CMD_ANY_OPTIONS, run_stim
};

nd_status nd_cmd_register_model(nd_cmd_registry *reg, nd_error *err)
{
    static const nd_command *const all[] = {&cmd_model, &cmd_use, &cmd_show, &cmd_explain,
                                            &cmd_set, &cmd_init, &cmd_stim};
    return nd_cmd_register_list(reg, all, sizeof all / sizeof all[0], err);
}
