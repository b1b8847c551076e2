/* deriv: time derivatives of a dataset's columns (finite differences, Savitzky–Golay,
   total variation), and a side-by-side comparison of the three on the same data. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../learn/deriv_set.h"
#include "../plot/figure.h"
#include "../language/args.h"
#include "../language/exec.h"
#include "deriv_args.h"
#include "learn_cmd.h"
#include "modules.h"
#include "../language/target.h"

/* A deriv call: the set of derivatives (lib/learn/deriv_set.h) and the dataset it reads. */
typedef struct deriv_call {
    nd_deriv_set s;
    nd_value *holder;           /* keeps s.ds alive */
    nd_dataset *ds;
    int *cols;
} deriv_call;

static nd_status read_options(const nd_cmd_ctx *ctx, deriv_call *c, nd_error *err)
{
    char *word = NULL;
    nd_status st = nd_arg_opt_word(ctx, "method", NULL, &word, err);
    if (st != ND_OK) return st;
    nd_deriv_method m = ND_DERIV_FD;
    c->s.method = ND_DERIV_FD;
    if (word && strcmp(word, "all") == 0) c->s.method = -1;
    else if (word && nd_deriv_parse(word, &m) != 0)
        st = nd_arg_error(nd_arg_opt(ctx, "method"), err, ND_EVALUE,
                          "unknown derivative method '%s': fd, savgol, tv or all", word);
    else if (word) c->s.method = (int)m;
    free(word);
    if (st != ND_OK) return st;
    int cmp;
    if ((st = nd_arg_opt_bool(ctx, "compare", 0, &cmp, err)) != ND_OK) return st;
    c->s.compare = cmp || c->s.method < 0;
    if (cmp && !nd_arg_opt(ctx, "method")) c->s.method = -1;
    nd_deriv_options all = nd_deriv_set_shared(&c->s);
    if ((st = nd_deriv_args_read(ctx, &all, nd_ds_rows(c->ds), nd_arg_pos(ctx, 0), err)) != ND_OK)
        return st;
    nd_deriv_set_options(&c->s, &all);
    return ND_OK;
}

static nd_status read_call(const nd_cmd_ctx *ctx, deriv_call *c, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 1, -1, err);
    if (st != ND_OK) return st;
    const nd_arg *a0 = nd_arg_pos(ctx, 0);
    if ((st = nd_target_dataset(ctx, a0, &c->holder, &c->ds, err)) != ND_OK) return st;
    c->s.ds = c->ds;
    c->s.src = a0->value->kind == ND_EXPR_NAME ? a0->value->str : "the data";
    size_t ncols = nd_ds_cols(c->ds), npos = nd_arg_count(ctx);
    c->cols = malloc((ncols > npos ? ncols : npos) * sizeof *c->cols);
    if (!(c->s.cols = c->cols)) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t i = 1; i < npos; i++) {
        const nd_arg *a = nd_arg_pos(ctx, i);
        const char *name;
        if ((st = nd_arg_name(ctx, a, &name, err)) != ND_OK) return st;
        int j = nd_ds_find(c->ds, name);
        if (j < 1)
            return nd_arg_error(a, err, ND_ENAME, "%s has no column '%s'%s", c->s.src, name,
                                j == 0 ? " to differentiate (it is the time)" : "");
        for (size_t k = 0; k < c->s.nvars; k++)
            if (c->cols[k] == j)
                return nd_arg_error(a, err, ND_EVALUE, "'%s' is named twice", name);
        c->cols[c->s.nvars++] = j;
    }
    if (npos == 1)
        for (size_t j = 1; j < ncols; j++) c->cols[c->s.nvars++] = (int)j;
    if (c->s.nvars == 0)
        return nd_arg_error(a0, err, ND_EVALUE, "%s has no column besides the time", c->s.src);
    return read_options(ctx, c, err);
}

/* The three estimates of variable v, drawn. */
static nd_status show_figure(const nd_cmd_ctx *ctx, const nd_deriv_set *s, size_t v,
                             nd_error *err)
{
    nd_figure *fig = nd_deriv_view_figure(s, v);
    nd_bundle *b = NULL;
    nd_status st = fig ? nd_fig_render(fig, &b, err)
                       : nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_fig_free(fig);
    return st == ND_OK ? nd_cmd_display(ctx, b, err) : st;
}

static nd_status run_deriv(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    deriv_call c = {0};
    nd_dataset *res = NULL;
    nd_status st = read_call(ctx, &c, err);
    if (st == ND_OK && (st = nd_deriv_set_run(&c.s, ctx->exec->interrupt, err)) != ND_OK)
        nd_learn_locate_run(ctx, err, nd_arg_pos(ctx, 0));
    if (st == ND_OK && !(res = nd_deriv_set_dataset(&c.s)))
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) st = nd_cmd_display(ctx, nd_deriv_view_summary(&c.s, res), err);
    for (size_t v = 0; st == ND_OK && c.s.compare && v < c.s.nvars; v++) {
        st = show_figure(ctx, &c.s, v, err);
        if (st == ND_OK) st = nd_cmd_display(ctx, nd_deriv_view_compare(&c.s, v), err);
    }
    if (st == ND_OK) {
        *result = nd_value_dataset(res);
        res = NULL;
        if (!*result) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    nd_ds_free(res);
    nd_deriv_set_clear(&c.s);
    free(c.cols);
    nd_value_unref(c.holder);
    return st;
}

static const nd_option deriv_options[] = {
    {"method", "fd", "fd (finite differences), savgol (Savitzky–Golay), tv (total "
                     "variation) or all (the three, compared)"},
    {"window", "9", "savgol: odd number of samples in each local fit"},
    {"order", "3", "savgol: degree of the local polynomial, below the window"},
    {"alpha", "0", "tv: regularisation weight; 0 chooses it from the data's noise"},
    {"iters", "20", "tv: lagged-diffusivity iterations"},
    {"compare", "false", "also plot the three estimates and tabulate how they differ"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_deriv = {
    "deriv", "time derivatives of a dataset's columns (fd, Savitzky–Golay, total variation)",
    "[NAME =] deriv DATASET [VAR ...] [method=fd|savgol|tv|all window= order= alpha= iters= "
    "compare=]",
    "Estimates dVAR/dt for each VAR (default: every column but t) and returns a dataset "
    "with t and one column dVAR/dt per variable (with method=all: dVAR/dt_fd, "
    "dVAR/dt_savgol, dVAR/dt_tv) — the targets SINDy regresses on.\n\n"
    "fd: second-order central differences, one-sided at the ends; any spacing. Exact on "
    "quadratics, but it amplifies noise: noise σ at step h gives errors of about σ/h.\n\n"
    "savgol: Savitzky–Golay, the slope of a least-squares polynomial of degree `order` "
    "fitted to `window` samples around each point (the window stays inside the data at "
    "the ends). Exact on polynomials up to that degree; a wider window smooths more. "
    "Needs evenly spaced samples.\n\n"
    "tv: total-variation regularised differentiation (Chartrand 2011): the derivative u "
    "minimising alpha·Σ|Δu| + ½‖∫u − x‖², which removes noise while keeping sharp "
    "corners (an upstroke, a switch). With alpha=0 the weight is chosen from the data: "
    "where the residual between the data and the smoothed signal ∫u looks like white "
    "noise (too little smoothing leaves it anticorrelated, too much puts signal in it). "
    "Data with no noise (below 1e-6 of the range, such as clean simulations) get alpha "
    "0, plain fd. Needs evenly spaced samples.\n\n"
    "compare=true (or method=all) also draws the three estimates over each other and "
    "tabulates, per method, the RMS difference to the other two and the total variation "
    "Σ|Δ(dVAR/dt)| — a noisy estimate has a large one.",
    deriv_options,
    "use fhn\nset I = 0.5\ndata = simulate t=50 sample=0.1 observe=v,w noise=0.01 seed=1\n"
    "d = deriv data method=savgol window=11\n"
    "dv = deriv data v method=tv\n"
    "deriv data v compare=true",
    0, run_deriv
};

nd_status nd_cmd_register_deriv(nd_cmd_registry *reg, nd_error *err)
{
    return nd_cmd_register(reg, &cmd_deriv, err);
}
