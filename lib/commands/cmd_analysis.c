/* Analysis commands: rates (the gates' kinetics). Spikes and compare are in cmd_spikes.c. */
#include <string.h>

#include "../analysis/rates.h"
#include "../language/args.h"
#include "modules.h"
#include "../language/target.h"

/* ---- rates ---- */

static nd_status run_rates(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 0, 1, err);
    if (st != ND_OK) return st;
    nd_model_obj *mo;
    if ((st = nd_target_model(ctx, nd_arg_pos(ctx, 0), &mo, err)) != ND_OK) return st;
    const nd_model *m = mo->model;
    /* The swept state: the one given as an option (V=-100..50), else V, else the first. */
    int vs = nd_model_index(m, ND_MODEL_STATE, "V");
    double lo = -100, hi = 50;
    const nd_arg *range = NULL;
    for (size_t i = 0; i < ctx->call->nargs; i++) {
        const nd_arg *a = &ctx->call->args[i];
        if (!a->key || strcmp(a->key, "n") == 0 || strcmp(a->key, "plot") == 0) continue;
        if ((vs = nd_model_index(m, ND_MODEL_STATE, a->key)) < 0)
            return nd_arg_error(a, err, ND_ENAME, "model %s has no state '%s' to sweep",
                                nd_model_name(m), a->key);
        range = a;
    }
    if (vs < 0) vs = 0;
    if (range && (st = nd_arg_range(ctx, range, &lo, &hi, err)) != ND_OK) return st;
    double points;
    int plot;
    if ((st = nd_arg_opt_number(ctx, "n", 301, &points, err)) != ND_OK) return st;
    if ((st = nd_arg_opt_bool(ctx, "plot", 1, &plot, err)) != ND_OK) return st;
    if (!(points >= 2 && points <= 1e6))
        return nd_arg_error(nd_arg_opt(ctx, "n"), err, ND_EVALUE, "n must be 2 … 1e6 points");
    nd_dataset *ds;
    if ((st = nd_rates_compute(m, vs, lo, hi, (size_t)points, &ds, err)) != ND_OK) {
        nd_target_locate(err, range ? range : &(nd_arg){.line = ctx->call->line,
                                                        .col = ctx->call->col, .span = 5});
        return st;
    }
    nd_bundle *fig = NULL;
    if (plot && ((st = nd_fig_render_take(nd_rates_figure(ds), &fig, err)) != ND_OK ||
                 (st = nd_cmd_display(ctx, fig, err)) != ND_OK)) {
        nd_ds_free(ds);
        return st;
    }
    *result = nd_value_dataset(ds);
    return *result ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
}

static const nd_option rates_options[] = {
    {"n", "301", "number of points of the sweep"},
    {"plot", "true", "show x_inf and tau_x against the swept variable"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_rates = {
    "rates", "the gates' rates, steady states and time constants against V",
    "[NAME =] rates [MODEL] [V=-100..50] [n= plot=]",
    "For every gating variable x of the model (dx/dt = α(V)(1 − x) − β(V)x, found in the "
    "compiled equations, so your own models work too) computes α, β, x∞ = α/(α+β) and "
    "τx = 1/(α+β) over a sweep of V, plots x∞ and τx, and returns them as a dataset with "
    "columns V, alpha_x, beta_x, x_inf, tau_x.",
    rates_options, "use hh\nrates\nr = rates V=-100..50 plot=false", ND_CMD_ANY_OPTIONS, run_rates
};

nd_status nd_cmd_register_analysis(nd_cmd_registry *reg, nd_error *err)
{
    static const nd_command *const all[] = {&cmd_rates};
    return nd_cmd_register_list(reg, all, sizeof all / sizeof all[0], err);
}
