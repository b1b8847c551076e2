#include "ude_ensemble_check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

nd_status nd_ude_ens_check_figure(nd_ude *const *member, size_t n, const char *net_name,
                                  const nd_ude_experiment *ex, const nd_dataset *ds,
                                  const char *data_name, const char *const *observe,
                                  const atomic_int *interrupt, const char *title,
                                  nd_ude_ens_checked *out, nd_error *err)
{
    nd_status st = nd_ude_ens_check_data(member, n, ex, data_name, observe, interrupt, &out->c,
                                         &out->b, err);
    if (st != ND_OK) return st;
    char dflt[300];
    snprintf(dflt, sizeof dflt, "ensemble of %zu %.100s against %.60s", n, net_name,
             out->c.data);
    return nd_ude_ens_plot_check(&out->c, ds, &out->b, net_name, title ? title : dflt, &out->p,
                                 err);
}

void nd_ude_ens_checked_clear(nd_ude_ens_checked *k)
{
    nd_ude_plot_clear(&k->p);
    nd_ens_band_free(&k->b);
}

nd_status nd_ude_ens_truth_check(nd_ude *const *member, size_t n, const nd_ude *net,
                                 const char *net_name, const nd_dataset *truth,
                                 nd_ens_band *b, double **tv, double *cover, nd_ude_plot *p,
                                 nd_error *err)
{
    const char *term = nd_ude_replace(net, 0);
    if (!(*tv = malloc((nd_ds_rows(truth) + 1) * sizeof **tv)))
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_status st = nd_ude_ens_term_band(member, n, term, NULL, truth, b, *tv, err);
    if (st != ND_OK) return st;
    *cover = nd_ens_coverage(b, *tv, 0, NULL);
    char title[300];
    snprintf(title, sizeof title, "%.100s.%.60s over %zu members vs the true %.60s", net_name,
             term, n, term);
    return nd_ude_ens_term_figure(net, b, n, truth, *tv, net_name, term, term, title, p, err);
}

/* The unit of name in net's true model, or dflt. */
static const char *true_unit(const nd_ude *net, const char *name, const char *dflt)
{
    const nd_model_item *it = nd_model_find(nd_ude_truth(net), name, NULL);
    return it ? it->unit : dflt;
}

nd_status nd_ude_ens_term_figure(const nd_ude *net, const nd_ens_band *b, size_t n,
                                 const nd_dataset *ds, const double *tv, const char *ens_name,
                                 const char *term, const char *true_name, const char *title,
                                 nd_ude_plot *p, nd_error *err)
{
    char dflt[300];
    snprintf(dflt, sizeof dflt, "%.100s.%.60s over %zu members%s%.60s", ens_name, term, n,
             true_name ? " vs " : "", true_name ? true_name : "");
    return nd_ude_ens_plot_term(b, n, ds, tv, ens_name, term, true_name ? true_name : term,
                                true_name ? true_unit(net, true_name, NULL) : NULL,
                                title ? title : dflt, p, err);
}

nd_status nd_ude_ens_term_dataset(const nd_ude *net, const nd_ens_band *b, const nd_dataset *ds,
                                  const double *tv, const char *ens_name, const char *term,
                                  const char *true_name, nd_dataset **out, nd_error *err)
{
    const char *unit = true_unit(net, true_name ? true_name : term, "");
    char sd[300], lo[300], hi[300], tr[300];
    snprintf(sd, sizeof sd, "%s sd", term);
    snprintf(lo, sizeof lo, "%s lo", term);
    snprintf(hi, sizeof hi, "%s hi", term);
    snprintf(tr, sizeof tr, "true %s", true_name ? true_name : term);
    const char *names[] = {"t"}, *units[] = {nd_ds_unit(ds, 0)};
    nd_dataset *d = nd_ds_create(1, names, units);
    int rc = !d || nd_ds_reserve(d, b->m) != 0;
    for (size_t j = 0; !rc && j < b->m; j++) rc = nd_ds_append(d, &nd_ds_col(ds, 0)[j]);
    rc = rc || nd_ds_add_column(d, term, unit, b->mean) ||
         nd_ds_add_column(d, sd, unit, b->sd) || nd_ds_add_column(d, lo, unit, b->lo) ||
         nd_ds_add_column(d, hi, unit, b->hi) || (tv && nd_ds_add_column(d, tr, unit, tv)) ||
         nd_ds_set_meta(d, "ensemble", ens_name) != ND_OK ||
         nd_ds_set_meta(d, "term", term) != ND_OK ||
         nd_ds_set_meta(d, "band", "mean ± 2 SD of the members") != ND_OK;
    if (rc) {
        nd_ds_free(d);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    *out = d;
    return ND_OK;
}
