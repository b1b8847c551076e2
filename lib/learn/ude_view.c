/* Descriptions of networks, shared by the workspace listing, `ude`/`node` and `show`. */
#include "ude_view.h"

#include <math.h>
#include <stdlib.h>

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

static void json_names(nd_sb *sb, size_t n, const char *(*name)(const nd_ude *, size_t),
                       const nd_ude *u)
{
    nd_sb_putc(sb, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) nd_sb_putc(sb, ',');
        nd_json_string(sb, name(u, i));
    }
    nd_sb_putc(sb, ']');
}

void nd_ude_view_json(const nd_ude *u, nd_sb *sb)
{
    const nd_mlp *net = nd_ude_net_const(u);
    nd_sb_puts(sb, "{\"type\":\"network\",\"kind\":");
    nd_json_string(sb, kind_name(u));
    nd_sb_puts(sb, ",\"model\":");
    nd_json_string(sb, nd_model_name(nd_ude_truth(u)));
    nd_sb_puts(sb, ",\"replace\":");
    json_names(sb, nd_ude_nreplace(u), nd_ude_replace, u);
    nd_sb_puts(sb, ",\"inputs\":");
    json_names(sb, nd_ude_ninputs(u), nd_ude_input, u);
    nd_sb_puts(sb, ",\"hidden\":[");
    for (size_t i = 0; i < nd_mlp_nhidden(net); i++)
        nd_sb_printf(sb, "%s%zu", i ? "," : "", nd_mlp_hidden(net, i));
    nd_sb_puts(sb, "],\"act\":");
    nd_json_string(sb, nd_act_name(nd_mlp_act(net)));
    nd_sb_printf(sb, ",\"seed\":%llu,\"parameters\":%zu", (unsigned long long)nd_mlp_seed(net),
                 nd_mlp_nparams(net));
    size_t iters;
    double loss = last_loss(u, &iters);
    nd_sb_printf(sb, ",\"iterations\":%zu,\"loss\":", iters);
    if (iters) nd_json_number(sb, loss);
    else nd_sb_puts(sb, "null");
    nd_sb_puts(sb, ",\"stages\":[");
    for (size_t i = 0; i < nd_ude_nstages(u); i++) {
        size_t first;
        const char *name = nd_ude_stage(u, i, &first);
        nd_sb_puts(sb, i ? ",{\"stage\":" : "{\"stage\":");
        nd_json_string(sb, name);
        nd_sb_printf(sb, ",\"first\":%zu}", first);
    }
    nd_sb_puts(sb, "]}");
}

nd_bundle *nd_ude_view_bundle(const nd_ude *u)
{
    nd_sb plain, html, json;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_init(&json);
    nd_ude_view_describe(u, &plain);
    nd_sb_puts(&html, "<pre>");
    nd_html_escape(&html, plain.data ? plain.data : "");
    nd_sb_puts(&html, "</pre>");
    nd_ude_view_json(u, &json);
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), nd_sb_take(&json));
}
