/* Sweeps as experiments and held-out validation (ude_validate.h). Validation reuses the
   training verdict whole: a held-out sweep is judged exactly as a training one, only its
   numbers are reported instead of steering anything. */
#include "ude_validate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"

/* The parameter whose column drives the data: the stimulated one, else the first column
   named like a parameter; -1 when none. */
static int column_par(const nd_ude *u, const nd_dataset *data, int *col)
{
    const nd_model *m = nd_ude_truth(u);
    int par;
    nd_ude_stim(u, &par);
    if (par < 0) par = nd_model_stim_par(m);
    for (size_t c = 1; par < 0 && c < nd_ds_cols(data); c++)
        par = nd_model_index(m, ND_MODEL_PAR, nd_ds_name(data, c));
    if (par < 0) return -1;
    *col = nd_ds_find(data, nd_model_item_at(m, ND_MODEL_PAR, (size_t)par)->name);
    return *col >= 1 ? par : -1;
}

nd_status nd_ude_experiment_from(const nd_ude *u, const nd_dataset *data,
                                 nd_ude_experiment *ex, nd_stim **held, nd_error *err)
{
    *held = NULL;
    nd_status st = nd_ude_experiment_of(u, data, ex, err);
    if (st != ND_OK || ex->stim) return st;
    int col, par = column_par(u, data, &col), tc = nd_ds_find(data, "t");
    size_t rows = nd_ds_rows(data);
    if (par < 0 || tc < 0 || rows < 1) return ND_OK;
    /* The stimulus is added to the parameter's value, so the column less that value. */
    double p0 = nd_model_pars(nd_ude_model(u))[par], *v = malloc(rows * sizeof *v);
    nd_stim *s = v ? nd_stim_create() : NULL;
    if (!s) {
        free(v);
        return nd_error_fail(err, ND_ENOMEM, "out of memory for the stimulus");
    }
    const double *c = nd_ds_col(data, (size_t)col);
    for (size_t i = 0; i < rows; i++) v[i] = c[i] - p0;
    int rc = nd_stim_add_samples(s, nd_ds_col(data, (size_t)tc), v, rows);
    free(v);
    if (rc != 0) {
        nd_stim_free(s);
        return nd_error_fail(err, ND_EVALUE, "the stimulus column '%s' cannot be read (its "
                             "times must not decrease)", nd_ds_name(data, (size_t)col));
    }
    ex->stim = *held = s;
    ex->stim_par = par;
    return ND_OK;
}

nd_status nd_ude_verdicts(const nd_ude *u, const nd_ude_experiment *ex, size_t nex,
                          const char *const *observe, size_t nobserve,
                          const atomic_int *interrupt, nd_ude_verdict *v, nd_error *err)
{
    nd_status st = ND_OK;
    size_t k = 0;
    for (; k < nex && st == ND_OK; k++)
        st = nd_ude_verdict_experiment(u, &ex[k], observe, nobserve, interrupt, &v[k], err);
    if (st != ND_OK)
        while (k-- > 0) nd_ude_verdict_clear(&v[k]);
    return st;
}

nd_ude_val_score nd_ude_val_score_of(const nd_ude_verdict *v)
{
    nd_ude_val_score s = {NAN, 0, 0, 0, 0, NAN, NAN, 0};
    if (!v->nvar) return s;
    const nd_ude_check *c = &v->var[0];
    s.rms = c->rms;
    s.spiking = c->spiking;
    s.data_spikes = c->spikes.n_a;
    s.model_spikes = c->spikes.n_b;
    s.matched = c->spikes.matched;
    s.window = c->spiking ? c->spikes.delta : NAN;
    s.gamma = c->spiking ? c->spikes.gamma : NAN;
    s.ok = v->ok;
    return s;
}

nd_status nd_ude_val_scores(const nd_ude *u, const nd_ude_experiment *ex, size_t nex,
                            const char *const *observe, size_t nobserve,
                            const atomic_int *interrupt, nd_ude_val_score *s, nd_error *err)
{
    for (size_t k = 0; k < nex; k++) {
        nd_ude_verdict v;
        nd_status st = nd_ude_verdict_experiment(u, &ex[k], observe, nobserve, interrupt, &v,
                                                 err);
        if (st != ND_OK) return st;
        s[k] = nd_ude_val_score_of(&v);
        nd_ude_verdict_clear(&v);
    }
    return ND_OK;
}

char *nd_ude_val_text(const nd_ude_verdict *v, const char *name)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_ude_val_score s = nd_ude_val_score_of(v);
    const char *var = v->nvar && v->var[0].name[0] ? v->var[0].name : "the variable";
    nd_sb_printf(&sb, "%s (held out): ", name);
    if (!isfinite(s.rms)) nd_sb_printf(&sb, "the model's simulation of %s blows up", var);
    else nd_sb_printf(&sb, "%s RMS %.3g", var, s.rms);
    if (s.spiking) {
        nd_sb_printf(&sb, ", %zu spike%s in the data, %zu in the model, %zu matched within "
                     "%.2g, Γ ", s.data_spikes, s.data_spikes == 1 ? "" : "s",
                     s.model_spikes, s.matched, s.window);
        if (isfinite(s.gamma)) nd_sb_printf(&sb, "%.3g", s.gamma);
        else nd_sb_puts(&sb, "undefined");
    }
    return nd_sb_take(&sb);
}
