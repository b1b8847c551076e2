/* eval: what a network learned for a term, along the rows of a dataset, as a dataset
   (the numbers behind `plot NET.TERM vs TERM DATA`, for further computation). */
#include <stdlib.h>
#include <string.h>

#include "../learn/ude_term.h"
#include "../language/args.h"
#include "learn_cmd.h"
#include "ensemble_cmd.h"
#include "../language/objects.h"
#include "../language/target.h"

static nd_status run_eval(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    const nd_arg *a0 = nd_arg_pos(ctx, 0);
    char net_name[256];
    const char *term = NULL;
    nd_ude *u = nd_learn_net_of(ctx, &term, net_name, sizeof net_name);
    nd_ude *mem[1];
    if (!u && nd_ens_target(ctx, mem, 1, &term, net_name, sizeof net_name))
        return nd_eval_ens(ctx, result, err);
    if (!u || !term)
        return nd_arg_error(a0 ? a0 : NULL, err, ND_ETYPE, "eval needs a network's term: "
                            "eval NET.TERM DATA (e.g. eval net.INa data)");
    size_t pos = 1;
    const nd_arg *true_at;
    nd_status st = nd_learn_vs(ctx, &pos, &true_at, err);
    if (st != ND_OK) return st;
    const char *true_name = true_at ? true_at->value->str : NULL;
    const nd_arg *da = nd_arg_pos(ctx, pos);
    if (!da || nd_arg_pos(ctx, pos + 1))
        return nd_arg_error(da ? nd_arg_pos(ctx, pos + 1) : a0, err, ND_ESYNTAX,
                            "usage: eval NET.TERM [vs TERM] DATA");
    nd_ude_term te;
    st = nd_ude_term_find(u, term, true_name, &te, err);
    if (st != ND_OK) {
        nd_target_locate(err, true_at && strstr(err->msg, "to compare") ? true_at : a0);
        return st;
    }
    nd_value *holder;
    nd_dataset *ds;
    if ((st = nd_target_dataset(ctx, da, &holder, &ds, err)) != ND_OK) return st;
    size_t m = nd_ds_rows(ds);
    double *lv = malloc((m + 1) * sizeof *lv), *tv = malloc((m + 1) * sizeof *tv);
    if (!lv || !tv) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK && (st = nd_ude_term_along(&te, ds, lv, true_name ? tv : NULL, err)) != ND_OK)
        nd_target_locate(err, da);
    nd_dataset *out = NULL;
    if (st == ND_OK &&
        !(out = nd_ude_term_dataset(&te, ds, term, true_name ? true_name : term, net_name,
                                    lv, true_name ? tv : NULL)))
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) st = nd_cmd_give(ctx, nd_value_dataset(out), result, err);
    free(lv);
    free(tv);
    nd_value_unref(holder);
    return st;
}

const nd_command nd_cmd_eval = {
    "eval", "a network's learned term along a dataset, as a dataset",
    "NAME = eval NET.TERM [vs TERM] DATA | NAME = eval ENS.TERM [vs TERM] DATA",
    "Evaluates the term that network NET learned (a replaced term, or for `node` and "
    "replace=X a state's derivative dX/dt) at every row of DATA and returns a dataset with "
    "the columns t and TERM, ready for plot, save, spikes or further computation. DATA "
    "must hold the states the network reads (its inputs); a stimulated parameter comes from "
    "its column, else from the network's stimulus. With `vs TERM` a third column gives the "
    "model's true TERM at the same rows (DATA must then hold every state: a noise-free "
    "`simulate` without observe=). `plot NET.TERM vs TERM DATA` draws the same numbers.\n\n"
    "With an ensemble's term (`eval ENS.TERM [vs TERM] DATA`) the columns are t, TERM (the "
    "members' mean), TERM sd, TERM lo and TERM hi (mean ∓ 2 SD) and, with vs, true TERM.",
    NULL,
    "y = eval net.INa truth\n"
    "both = eval net.INa vs INa truth\n"
    "save y \"ina.csv\"",
    0, run_eval
};
