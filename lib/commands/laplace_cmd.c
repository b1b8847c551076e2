/* `post = laplace NET DATA [DATA …] [observe= prior= heldout= truth=]`: the last-layer
   Laplace approximation of a trained network (lib/learn/ude_laplace.h), the bands of its
   prediction on the data and of its learned term against a truth, and their coverage. */
#include <math.h>
#include <stdlib.h>

#include "../language/args.h"
#include "../language/fields_value.h"
#include "../language/target.h"
#include "../learn/ude_laplace_view.h"
#include "learn_cmd.h"
#include "train.h"

/* heldout=: its experiment, or none. */
typedef struct held_arg {
    nd_value *holder;
    nd_dataset *ds;
    const char *name;
    nd_ude_experiment ex;
} held_arg;

/* The bands: the prediction's on the first dataset and on heldout=, and with truth= the
   first replaced term's along the truth's rows. */
static nd_status give(nd_cmd_ctx *ctx, const nd_train_call *tc, const nd_ude_laplace *lp,
                      const held_arg *held, const nd_dataset *truth, nd_value **result,
                      nd_error *err)
{
    nd_ude_laplace_pred pt = {0}, ph = {0};
    nd_ens_band b = {0};
    size_t m = truth ? nd_ds_rows(truth) : 0;
    double *tv = malloc((m + 1) * sizeof *tv);
    const nd_model *mod = nd_ude_model(tc->u);
    nd_ude_laplace_check c = {.term = nd_ude_replace(tc->u, 0), .truth = tv, .coverage = NAN,
                              .train = &pt, .held_name = held->name};
    nd_status st = tv ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK) st = nd_ude_laplace_predict(tc->u, lp, NULL, &tc->fo, &pt, err);
    if (st == ND_OK && held->ds) {
        st = nd_ude_laplace_predict(tc->u, lp, &held->ex, &tc->fo, &ph, err);
        if (st != ND_OK) nd_target_locate(err, nd_arg_opt(ctx, "heldout"));
        c.held = &ph;
    }
    if (st == ND_OK && truth) {
        st = nd_ude_laplace_term_band(tc->u, lp, c.term, NULL, truth, &b, tv, err);
        if (st != ND_OK) nd_target_locate(err, nd_arg_opt(ctx, "truth"));
        c.band = &b;
        c.t = nd_ds_col(truth, 0);
        c.coverage = nd_ens_coverage(&b, tv, 0, NULL);
    }
    if (st == ND_OK) {
        c.variable = tc->fo.nobserve ? tc->fo.observe[0]
                                     : nd_model_item_at(mod, ND_MODEL_STATE, 0)->name;
        nd_bundle *view = nd_ude_laplace_view(lp, tc->net_name, tc->data_name[0], &c);
        nd_fields *f = view ? nd_ude_laplace_fields(lp, &c) : NULL;
        st = nd_cmd_give(ctx, view ? nd_record_of_fields(f, view) : NULL, result, err);
    }
    nd_ude_laplace_pred_free(&pt);
    nd_ude_laplace_pred_free(&ph);
    nd_ens_band_free(&b);
    free(tv);
    return st;
}

static nd_status run_laplace(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_train_call tc;
    nd_status st = nd_train_read_call(ctx, &tc, err);
    double prior = -1;
    nd_value *holder = NULL;
    nd_dataset *truth = NULL;
    held_arg held = {0};
    const nd_arg *pa = nd_arg_opt(ctx, "prior"), *tr = nd_arg_opt(ctx, "truth");
    const nd_arg *h = nd_arg_opt(ctx, "heldout");
    if (st == ND_OK) st = nd_arg_opt_number(ctx, "prior", -1, &prior, err);
    if (st == ND_OK && pa && !(prior >= 0 && isfinite(prior)))
        st = nd_arg_error(pa, err, ND_EVALUE, "prior= is a precision: a number ≥ 0 (leave it "
                          "out for the evidence maximum)");
    if (st == ND_OK && tr) st = nd_target_dataset(ctx, tr, &holder, &truth, err);
    if (st == ND_OK && h) {
        held.name = h->value->kind == ND_EXPR_NAME ? h->value->str : "held-out data";
        if ((st = nd_target_dataset(ctx, h, &held.holder, &held.ds, err)) == ND_OK &&
            (st = nd_ude_experiment_of(tc.u, held.ds, &held.ex, err)) != ND_OK)
            nd_target_locate(err, h);
    }
    nd_ude_laplace lp = {0};
    if (st == ND_OK) {
        st = nd_ude_laplace_fit(tc.u, tc.ex, tc.ndata, &tc.fo, prior, &lp, err);
        if (st != ND_OK) nd_learn_locate_call(ctx, err);
    }
    if (st == ND_OK) st = give(ctx, &tc, &lp, &held, truth, result, err);
    nd_ude_laplace_free(&lp);
    nd_value_unref(holder);
    nd_value_unref(held.holder);
    nd_train_call_clear(&tc);
    return st;
}

static const nd_option laplace_options[] = {
    {"observe", "every state in the data", "the state variables the data loss compares (as "
                                           "in train)"},
    {"segments", "1", "multiple shooting segments of the loss (as in train)"},
    {"dt", "the data's spacing", "the integration step (as in train)"},
    {"method", "rk4", "fixed-step scheme (as in train)"},
    {"prior", "the evidence maximum", "the prior precision α of the output layer's weights "
                                      "(a number ≥ 0)"},
    {"heldout", "none", "a dataset not trained on: the band of the prediction there and how "
                        "often its samples lie inside"},
    {"truth", "none", "a noise-free dataset of every state (a synthetic study): the band of "
                      "the learned term against the true one and its coverage"},
    {NULL, NULL, NULL}
};

const nd_command nd_cmd_laplace = {
    "laplace", "the last-layer Laplace approximation of a trained network: a band for its term",
    "laplace NET DATA [DATA …] [observe= segments= dt= method= prior= heldout= truth=]",
    "Treats the output layer of a trained network (its weights and biases; every other weight "
    "stays as trained) as uncertain: a Gaussian posterior at the trained values whose "
    "precision is the Gauss–Newton matrix JᵀJ/σ² of the data loss on DATA (the hybrid "
    "integrated as in train; J the exact derivatives of the observed predictions, one adjoint "
    "per sample; σ² the residuals' mean square) plus a prior precision α: the evidence "
    "maximum (MacKay 1992) unless prior= is given. Train first, with the same data and "
    "observe=.\n\n"
    "The prediction's band on DATA (and on heldout=DATA) is linearised: ŷ ± 2√(JΣJᵀ); the "
    "summary gives how often the samples lie inside it (coverage) and inside "
    "ŷ ± 2√(JΣJᵀ + σ²), the band of a new observation (predictive_coverage), for the first "
    "observed variable.\n\n"
    "The learned term is affine in the output layer, so its predictive SD at a point is "
    "exact under that posterior: √(φᵀΣφ), φ the last hidden activations times the output "
    "scale. truth=DATA (noise-free, every state) gives the band term ± 2 SD along its rows "
    "and the share of points where the true term lies inside (term_coverage), as the "
    "ensemble's check.\n\n"
    "`post = laplace …` binds a record: parameters, prior_precision, well_determined (γ), "
    "noise_rms (of the normalised residuals), covariance (p × p, row-major: the output "
    "layer's weights row by row, then its biases), spread, coverage and "
    "predictive_coverage (of the prediction on DATA), the same prefixed heldout_ with "
    "heldout=, and with truth= term_spread and term_coverage.",
    laplace_options,
    "train net data observe=V\npost = laplace net data observe=V truth=truth", 0, run_laplace
};
