/* Descriptions of networks, shared by the workspace listing, `ude`/`node` and `show`. */
#include "ude_view.h"

#include <math.h>
#include <stdlib.h>

#include "../base/json.h"
#include "../base/textfmt.h"

static const char *kind_name(const nd_ude *u) { return nd_ude_is_node(u) ? "node" : "ude"; }

/* "2 → 16 → 16 → 1" */
static void put_layers(const nd_ude *u, nd_sb *sb)
{
    const nd_mlp *net = nd_ude_net_const(u);
    nd_sb_printf(sb, "%zu", nd_mlp_nin(net));
    for (size_t i = 0; i < nd_mlp_nhidden(net); i++)
        nd_sb_printf(sb, " → %zu", nd_mlp_hidden(net, i));
    nd_sb_printf(sb, " → %zu", nd_mlp_nout(net));
}

static void put_names(nd_sb *sb, size_t n, const char *(*name)(const nd_ude *, size_t),
                      const nd_ude *u)
{
    for (size_t i = 0; i < n; i++) nd_sb_printf(sb, "%s%s", i ? ", " : "", name(u, i));
}

/* The loss after the last training iteration, or NaN before any. */
static double last_loss(const nd_ude *u, size_t *iters)
{
    const double *h = nd_ude_history(u, iters);
    return *iters ? h[*iters - 1] : NAN;
}

char *nd_ude_view_summary(const nd_ude *u)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_printf(&sb, "%s of %s: ", kind_name(u), nd_model_name(nd_ude_truth(u)));
    put_names(&sb, nd_ude_nreplace(u), nd_ude_replace, u);
    nd_sb_puts(&sb, " ← net(");
    put_names(&sb, nd_ude_ninputs(u), nd_ude_input, u);
    nd_sb_puts(&sb, "), ");
    put_layers(u, &sb);
    const nd_mlp *net = nd_ude_net_const(u);
    nd_sb_printf(&sb, " %s, %zu parameters", nd_act_name(nd_mlp_act(net)),
                 nd_mlp_nparams(net));
    size_t iters;
    double loss = last_loss(u, &iters);
    if (iters) nd_sb_printf(&sb, ", trained %zu iterations (loss %.3g)", iters, loss);
    else nd_sb_puts(&sb, ", untrained");
    return nd_sb_take(&sb);
}

void nd_ude_view_describe(const nd_ude *u, nd_sb *sb)
{
    const nd_mlp *net = nd_ude_net_const(u);
    const nd_model *truth = nd_ude_truth(u);
    if (nd_ude_is_node(u))
        nd_sb_printf(sb, "neural ODE of %s: the whole right-hand side (", nd_model_name(truth));
    else
        nd_sb_printf(sb, "universal differential equation of %s: the network replaces ",
                     nd_model_name(truth));
    put_names(sb, nd_ude_nreplace(u), nd_ude_replace, u);
    nd_sb_puts(sb, nd_ude_is_node(u) ? ") is learned\n" : "; the rest is the model as written\n");
    nd_sb_puts(sb, "  inputs:     ");
    put_names(sb, nd_ude_ninputs(u), nd_ude_input, u);
    nd_sb_puts(sb, "\n  network:    ");
    put_layers(u, sb);
    nd_sb_printf(sb, ", %s hidden layers, linear output, seed %llu\n",
                 nd_act_name(nd_mlp_act(net)), (unsigned long long)nd_mlp_seed(net));
    nd_sb_printf(sb, "  parameters: %zu%s\n", nd_mlp_nparams(net),
                 nd_mlp_has_scaling(net) ? " (inputs and outputs standardised)" : "");
    int par;
    const nd_stim *stim = nd_ude_stim(u, &par);
    if (stim && nd_stim_count(stim)) {
        char *d = nd_stim_describe(stim);
        nd_sb_printf(sb, "  stimulus:   on %s: %s\n",
                     nd_model_item_at(nd_ude_model(u), ND_MODEL_PAR, (size_t)par)->name,
                     d ? d : "?");
        free(d);
    }
    size_t iters;
    double loss = last_loss(u, &iters);
    if (!iters) {
        nd_sb_puts(sb, "  training:   none yet (train NET DATA …)\n");
        return;
    }
    nd_sb_printf(sb, "  training:   %zu iterations, final loss %.4g (", iters, loss);
    for (size_t i = 0; i < nd_ude_nstages(u); i++) {
        size_t first;
        nd_sb_printf(sb, "%s%s", i ? ", then " : "", nd_ude_stage(u, i, &first));
    }
    nd_sb_puts(sb, ")\n");
}

static json_t *json_names(size_t n, const char *(*name)(const nd_ude *, size_t),
                          const nd_ude *u)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (nd_json_push(arr, nd_json_utf8(name(u, i)))) {
            json_decref(arr);
            arr = NULL;
        }
    return arr;
}

json_t *nd_ude_view_json(const nd_ude *u)
{
    const nd_mlp *net = nd_ude_net_const(u);
    size_t iters;
    double loss = last_loss(u, &iters);
    json_t *j = json_object(), *hidden = json_array(), *stages = json_array();
    int rc = !j || nd_json_put(j, "type", json_string("network")) ||
             nd_json_put(j, "kind", nd_json_utf8(kind_name(u))) ||
             nd_json_put(j, "model", nd_json_utf8(nd_model_name(nd_ude_truth(u)))) ||
             nd_json_put(j, "replace", json_names(nd_ude_nreplace(u), nd_ude_replace, u)) ||
             nd_json_put(j, "inputs", json_names(nd_ude_ninputs(u), nd_ude_input, u));
    rc |= nd_json_put(j, "hidden", hidden);   /* taken over even on failure */
    for (size_t i = 0; !rc && i < nd_mlp_nhidden(net); i++)
        rc = nd_json_push(hidden, json_integer((json_int_t)nd_mlp_hidden(net, i)));
    rc = rc || nd_json_put(j, "act", nd_json_utf8(nd_act_name(nd_mlp_act(net)))) ||
         nd_json_put(j, "seed", nd_json_u64(nd_mlp_seed(net))) ||
         nd_json_put(j, "parameters", json_integer((json_int_t)nd_mlp_nparams(net))) ||
         nd_json_put(j, "iterations", json_integer((json_int_t)iters)) ||
         nd_json_put(j, "loss", iters ? nd_json_real(loss) : json_null());
    rc |= nd_json_put(j, "stages", stages);
    for (size_t i = 0; !rc && i < nd_ude_nstages(u); i++) {
        size_t first;
        const char *name = nd_ude_stage(u, i, &first);
        json_t *o = json_object();
        rc = nd_json_push(stages, o) || nd_json_put(o, "stage", nd_json_utf8(name)) ||
             nd_json_put(o, "first", json_integer((json_int_t)first));
    }
    if (!rc) return j;
    json_decref(j);
    return NULL;
}

nd_bundle *nd_ude_view_bundle(const nd_ude *u)
{
    nd_sb plain, html;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_ude_view_describe(u, &plain);
    nd_sb_puts(&html, "<pre>");
    nd_html_escape(&html, plain.data ? plain.data : "");
    nd_sb_puts(&html, "</pre>");
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html),
                           nd_json_dump(nd_ude_view_json(u)));
}
