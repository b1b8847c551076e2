/* columns= entries are read unevaluated, so names need no quotes and never collide with
   workspace variables of the same name. */
#include "adapt_args.h"

#include <stdlib.h>
#include <string.h>

#include "../data/units.h"
#include "../language/args.h"
#include "../language/target.h"

/* One columns= entry: a name, or a string "old" / "new=old". */
static nd_status read_column(nd_adapt_args *aa, size_t k, const nd_expr *item, nd_error *err)
{
    if (item->kind == ND_EXPR_NAME) {
        aa->old[k] = aa->new[k] = item->str;
        return ND_OK;
    }
    if (item->kind != ND_EXPR_STRING)
        return nd_error_set(err, ND_ESYNTAX, item->line, item->col, item->span,
                            "columns= expects names or \"new=old\" strings "
                            "(columns=[t, V, \"I=Iinj\"])");
    char *s = aa->held[k] = strdup(item->str);
    if (!s) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    char *eq = strchr(s, '=');
    if (eq) *eq = '\0';
    aa->new[k] = s;
    aa->old[k] = eq ? eq + 1 : s;
    if (!*aa->new[k] || !*aa->old[k])
        return nd_error_set(err, ND_EVALUE, item->line, item->col, item->span,
                            "\"%s\": a column entry is \"new=old\" with both names", item->str);
    return ND_OK;
}

static nd_status read_columns(const nd_cmd_ctx *ctx, nd_adapt_args *aa, nd_error *err)
{
    const nd_arg *a = nd_arg_opt(ctx, "columns");
    if (!a) return ND_OK;
    const nd_expr *v = a->value;
    size_t n = v->kind == ND_EXPR_LIST ? v->nitems : 1;
    if (n == 0 || n > ND_ADAPT_MAX_COLUMNS)
        return nd_arg_error(a, err, ND_EVALUE, "columns= takes 1 … %d columns, the first "
                            "being time", ND_ADAPT_MAX_COLUMNS);
    for (size_t k = 0; k < n; k++) {
        nd_status st = read_column(aa, k, v->kind == ND_EXPR_LIST ? v->items[k] : v, err);
        if (st != ND_OK) return st;
    }
    aa->a.npick = n;
    aa->a.pick_old = aa->old;
    aa->a.pick_new = aa->new;
    return ND_OK;
}

nd_status nd_adapt_args_read(const nd_cmd_ctx *ctx, nd_adapt_args *out, nd_error *err)
{
    memset(out, 0, sizeof *out);
    nd_status st = read_columns(ctx, out, err);
    const nd_arg *time = nd_arg_opt(ctx, "time"), *area = nd_arg_opt(ctx, "area"),
                 *cap = nd_arg_opt(ctx, "capacitance");
    if (st == ND_OK && time) {
        if ((st = nd_arg_opt_word(ctx, "time", NULL, &out->time_unit, err)) == ND_OK &&
            nd_unit_quantity(out->time_unit, NULL) != ND_Q_TIME)
            st = nd_arg_error(time, err, ND_EVALUE, "time= is the unit of the time column: "
                              "s, ms or us, not '%s'", out->time_unit);
        out->a.time_unit = out->time_unit;
    }
    if (st == ND_OK && area && cap)
        st = nd_arg_error(cap, err, ND_EVALUE, "give the membrane area or the capacitance, "
                          "not both");
    double x = 0;
    const nd_arg *given = area ? area : cap;
    if (st == ND_OK && given) {
        st = nd_arg_number(ctx, given, &x, err);
        if (st == ND_OK && !(x > 0 && x < 1e300))
            st = nd_arg_error(given, err, ND_EVALUE, "%s must be positive", given->key);
        out->a.area_cm2 = area ? x : nd_area_from_capacitance(x);
    }
    const nd_arg *win = nd_arg_opt(ctx, "window"), *every = nd_arg_opt(ctx, "every");
    if (st == ND_OK && win &&
        (st = nd_arg_range(ctx, win, &out->a.t_from, &out->a.t_to, err)) == ND_OK &&
        !(out->a.t_to > out->a.t_from))
        st = nd_arg_error(win, err, ND_EVALUE, "window= is START..END in ms, START < END");
    if (st == ND_OK && every) {
        double k;
        if ((st = nd_arg_number(ctx, every, &k, err)) == ND_OK &&
            !(k >= 1 && k <= 1e9 && k == (double)(size_t)k))
            st = nd_arg_error(every, err, ND_EVALUE, "every= is a whole number of rows >= 1");
        if (st == ND_OK) out->a.every = (size_t)k;
    }
    out->given = out->a.npick || time || given || win || every;
    return st;
}

void nd_adapt_args_free(nd_adapt_args *aa)
{
    for (size_t k = 0; k < ND_ADAPT_MAX_COLUMNS; k++) free(aa->held[k]);
    free(aa->time_unit);
    memset(aa, 0, sizeof *aa);
}

nd_status nd_adapt_args_apply(const nd_cmd_ctx *ctx, const nd_adapt_args *aa, nd_dataset **ds,
                              nd_error *err)
{
    if (!aa->given) return ND_OK;
    nd_dataset *out = nd_ds_adapted(*ds, &aa->a, err);
    if (!out) {
        const nd_arg *at = nd_arg_opt(ctx, "columns");
        nd_target_locate(err, at ? at : nd_arg_opt(ctx, "time"));
        return err ? err->code : ND_EVALUE;
    }
    nd_ds_free(*ds);
    *ds = out;
    return ND_OK;
}
