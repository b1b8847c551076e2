/* Reading the derivative options of deriv and sindy; checking them is the library's job. */
#include "deriv_args.h"

#include <limits.h>
#include <math.h>

#include "../language/args.h"

/* Option key as a whole number into *out. Only what an int cannot hold is refused here
   (the range is nd_deriv_check_options's); lo … hi give the message its wording. */
static nd_status whole_opt(const nd_cmd_ctx *ctx, const char *key, int lo, int hi, int *out,
                           nd_error *err)
{
    double v = *out;
    nd_status st = nd_arg_opt_number(ctx, key, v, &v, err);
    if (st != ND_OK) return st;
    if (!(fabs(v) <= INT_MAX) || v != floor(v))
        return nd_arg_error(nd_arg_opt(ctx, key), err, ND_EVALUE,
                            "%s must be a whole number %d … %d, not %g", key, lo, hi, v);
    *out = (int)v;
    return ND_OK;
}

nd_status nd_deriv_args_read(const nd_cmd_ctx *ctx, nd_deriv_options *o, size_t n,
                             const nd_arg *data, nd_error *err)
{
    nd_status st;
    if ((st = whole_opt(ctx, "window", ND_DERIV_WINDOW_MIN, ND_DERIV_WINDOW_MAX, &o->window,
                        err)) != ND_OK ||
        (st = whole_opt(ctx, "order", 1, ND_DERIV_ORDER_MAX, &o->order, err)) != ND_OK ||
        (st = whole_opt(ctx, "iters", 1, ND_DERIV_ITERS_MAX, &o->iters, err)) != ND_OK ||
        (st = nd_arg_opt_number(ctx, "alpha", o->alpha, &o->alpha, err)) != ND_OK)
        return st;
    nd_deriv_field bad;
    nd_error e;
    nd_error_clear(&e);
    if ((st = nd_deriv_check_options(o, n, &bad, &e)) == ND_OK) return ND_OK;
    static const char *const keys[] = {
        [ND_DERIV_FIELD_NONE] = "window", [ND_DERIV_FIELD_WINDOW] = "window",
        [ND_DERIV_FIELD_ORDER] = "order", [ND_DERIV_FIELD_ITERS] = "iters",
        [ND_DERIV_FIELD_ALPHA] = "alpha", [ND_DERIV_FIELD_DATA] = "window"};
    const nd_arg *a = nd_arg_opt(ctx, keys[bad]);
    if (!a) a = nd_arg_opt(ctx, "window");
    if (!a) a = data;
    return nd_arg_error(a, err, st, "%s", e.msg);
}
