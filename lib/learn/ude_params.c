/* Physical parameters trained with the network (`train NET DATA params=[gK, gL]`): θ's
   head is the network's weights followed by log p of each trained parameter, so a
   parameter stays positive as `fit` keeps it (p = e^θ). Their gradient comes out of the
   same discrete adjoint as the weights': at every taped stage the model's symbolic ∂f/∂p
   (the columns of nd_model_jacp) against the stage cotangent K̄, ∂L/∂p = Σ_stages Fpᵀ K̄,
   then ∂L/∂θ = p ∂L/∂p. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/suggest.h"
#include "ude_fit_impl.h"
#include "ude_params.h"

void ude_params_free(nd_ude_fit *f)
{
    for (size_t i = 0; f->phys_name && i < f->nphys; i++) free(f->phys_name[i]);
    free(f->phys_name);
    free(f->phys);
    free(f->gp);
    f->phys_name = NULL;
    f->phys = NULL;
    f->gp = NULL;
}

nd_status nd_ude_param_check(const nd_ude *u, const char *name, nd_error *err)
{
    const nd_model *truth = u->truth;
    for (size_t r = 0; r < u->nrep; r++)
        if (strcmp(u->rep[r], name) == 0)
            return nd_error_fail(err, ND_EVALUE, "'%s' is the network's output, not a "
                                 "physical parameter", name);
    int k = nd_model_index(truth, ND_MODEL_PAR, name);
    if (k < 0) {
        nd_suggest s;
        nd_suggest_init(&s, name);
        for (size_t j = 0; j < nd_model_count(truth, ND_MODEL_PAR); j++)
            nd_suggest_offer(&s, nd_model_item_at(truth, ND_MODEL_PAR, j)->name);
        const char *best = nd_suggest_best(&s);
        return nd_error_fail(err, ND_ENAME, "'%s' is not a parameter of '%s'%s%s%s", name,
                             nd_model_name(truth), best ? " (did you mean '" : "",
                             best ? best : "", best ? "'?)" : "");
    }
    double v = nd_model_pars(u->open)[k];
    if (!(v > 0) || !isfinite(v))
        return nd_error_fail(err, ND_EVALUE, "'%s' = %g: a trained parameter must be positive "
                             "(it is searched through its logarithm)", name, v);
    return ND_OK;
}

void nd_ude_params_get(const nd_ude *u, const char *const *names, size_t n, double *v)
{
    for (size_t i = 0; i < n; i++) {
        int k = nd_model_index(u->open, ND_MODEL_PAR, names[i]);
        v[i] = k >= 0 ? nd_model_pars(u->open)[k] : NAN;
    }
}

void nd_ude_params_set(nd_ude *u, const char *const *names, size_t n, const double *v)
{
    for (size_t i = 0; i < n; i++) nd_ude_set_value(u, names[i], v[i], NULL);
}

nd_status ude_params_setup(nd_ude_fit *f, const nd_ude_fit_options *o, nd_error *err)
{
    size_t np = o->params ? o->nparams : 0;
    f->nphys = 0;
    f->npar_net = f->nmlp;
    if (!np) return ND_OK;
    f->phys = calloc(np, sizeof *f->phys);
    f->phys_name = calloc(np, sizeof *f->phys_name);
    f->gp = calloc(np, sizeof *f->gp);
    if (!f->phys || !f->phys_name || !f->gp)
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t i = 0; i < np; i++) {
        const char *name = o->params[i];
        nd_status st = nd_ude_param_check(f->u, name, err);
        if (st != ND_OK) return st;
        int k = nd_model_index(f->u->truth, ND_MODEL_PAR, name);
        if (k == f->stim_par)
            return nd_error_fail(err, ND_EVALUE, "'%s' carries the stimulus: it cannot be "
                                 "trained", name);
        for (size_t j = 0; j < i; j++)
            if (f->phys[j] == k)
                return nd_error_fail(err, ND_EVALUE, "parameter '%s' is named twice", name);
        f->phys[i] = k;
        if (!(f->phys_name[i] = strdup(name)))
            return nd_error_fail(err, ND_ENOMEM, "out of memory");
        f->nphys = i + 1;
    }
    f->npar_net = f->nmlp + f->nphys;
    return ND_OK;
}

void ude_params_get(const nd_ude_fit *f, double *theta)
{
    const double *p = nd_model_pars(f->u->open);
    for (size_t i = 0; i < f->nphys; i++) theta[f->nmlp + i] = log(p[f->phys[i]]);
}

void ude_params_set(nd_ude_fit *f, const double *theta)
{
    /* Both the opened model and the truth, so that what is shown and saved agrees. */
    for (size_t i = 0; i < f->nphys; i++)
        nd_ude_set_value(f->u, f->phys_name[i], exp(theta[f->nmlp + i]), NULL);
}

void ude_params_tape(nd_ude_fit *f, size_t at, const double *Jp, size_t npar)
{
    size_t n = f->n, np = f->nphys;
    double *Fp = f->Fp + at * n * np;
    for (size_t r = 0; r < n; r++)
        for (size_t i = 0; i < np; i++) Fp[r * np + i] = Jp[r * npar + (size_t)f->phys[i]];
}

void ude_params_adjoint(nd_ude_fit *f, size_t at, const double *Kbar)
{
    size_t n = f->n, np = f->nphys;
    const double *Fp = f->Fp + at * n * np;
    for (size_t r = 0; r < n; r++)
        if (Kbar[r] != 0)
            for (size_t i = 0; i < np; i++) f->gp[i] += Fp[r * np + i] * Kbar[r];
}

void ude_params_grad(const nd_ude_fit *f, double *grad)
{
    const double *p = nd_model_pars(f->u->open);
    for (size_t i = 0; i < f->nphys; i++) grad[f->nmlp + i] += p[f->phys[i]] * f->gp[i];
}
