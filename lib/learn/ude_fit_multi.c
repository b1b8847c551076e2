/* Several experiments in one loss: the same network trained on datasets recorded under
   different stimuli. Each experiment keeps a whole fit of its own (grid, segments and
   their starts, scales, stimulus, tape), and this fit only adds them up: the loss is the
   sum of the experiments' losses plus one L2 penalty, θ the network's parameters followed
   by every experiment's segment starts, and the gradient — each part's exact discrete
   adjoint — the sum of the parts' gradients on the shared network parameters. Each
   experiment's error is normalised by its own spread, so every experiment weighs the
   same whatever its length or amplitude. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "ude_fit_impl.h"

nd_status nd_ude_experiment_of(const nd_ude *u, const nd_dataset *data, nd_ude_experiment *ex,
                               nd_error *err)
{
    *ex = (nd_ude_experiment){data, NULL, -1};
    const nd_stim *s = nd_ds_stim(data);
    const char *input = nd_ds_meta(data, "input");
    if (!s || !input) return ND_OK;
    int par = nd_model_index(u->truth, ND_MODEL_PAR, input);
    if (par < 0)
        return nd_error_fail(err, ND_ENAME, "the data was recorded with a stimulus on '%s', "
                             "which is no parameter of '%s'", input, nd_model_name(u->truth));
    ex->stim = s;
    ex->stim_par = par;
    return ND_OK;
}

/* Flags in seen the states of u that data observes (among o->observe); returns how many. */
static size_t observed_states(const nd_ude *u, const nd_dataset *data,
                              const nd_ude_fit_options *o, char *seen)
{
    size_t n = nd_model_count(u->open, ND_MODEL_STATE), count = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = nd_model_item_at(u->open, ND_MODEL_STATE, i)->name;
        int wanted = !o || !o->observe;
        for (size_t k = 0; o && o->observe && k < o->nobserve; k++)
            wanted |= strcmp(o->observe[k], name) == 0;
        seen[i] = wanted && nd_ds_find(data, name) >= 1;
        count += (size_t)seen[i];
    }
    return count;
}

static void state_list(const nd_ude *u, const char *seen, nd_sb *sb)
{
    size_t n = nd_model_count(u->open, ND_MODEL_STATE);
    int any = 0;
    for (size_t i = 0; i < n; i++)
        if (seen[i])
            nd_sb_printf(sb, "%s%s", any++ ? ", " : "", nd_model_item_at(u->open, ND_MODEL_STATE, i)->name);
    if (!any) nd_sb_puts(sb, "none");
}

size_t nd_ude_experiments_differ(const nd_ude *u, const nd_ude_experiment *ex, size_t nex,
                                 const nd_ude_fit_options *o, nd_error *err)
{
    size_t n = nd_model_count(u->open, ND_MODEL_STATE);
    char first[n + 1], seen[n + 1];
    observed_states(u, ex[0].data, o, first);
    for (size_t k = 1; k < nex; k++) {
        observed_states(u, ex[k].data, o, seen);
        if (memcmp(first, seen, n) == 0) continue;
        nd_sb a, b;
        nd_sb_init(&a);
        nd_sb_init(&b);
        state_list(u, seen, &a);
        state_list(u, first, &b);
        nd_error_fail(err, ND_EVALUE, "the datasets observe different state variables: this "
                      "one %s, the first %s (every experiment must observe the same ones; "
                      "observe= chooses them)", nd_sb_str(&a), nd_sb_str(&b));
        nd_sb_free(&a);
        nd_sb_free(&b);
        return k;
    }
    return 0;
}

nd_ude_fit *nd_ude_fit_create_multi(nd_ude *u, const nd_ude_experiment *ex, size_t nex,
                                    const nd_ude_fit_options *o, nd_error *err)
{
    if (nex == 0) {
        nd_error_fail(err, ND_EVALUE, "training needs at least one dataset");
        return NULL;
    }
    if (nex == 1) return ude_fit_create_one(u, ex, o, 1, err);
    if (nd_ude_experiments_differ(u, ex, nex, o, err)) return NULL;
    nd_ude_fit_options def;
    if (!o) {
        nd_ude_fit_options_default(&def);
        o = &def;
    }
    nd_ude_fit *f = calloc(1, sizeof *f);
    if (!f || !(f->part = calloc(nex, sizeof *f->part))) {
        free(f);
        nd_error_fail(err, ND_ENOMEM, "out of memory for the fit");
        return NULL;
    }
    f->u = u;
    f->nmlp = nd_mlp_nparams(u->net);
    f->nphys = o->params ? o->nparams : 0;   /* each part checks the names */
    f->npar_net = f->ntheta = f->nmlp + f->nphys;
    f->l2 = o->l2;
    size_t most = 0;
    for (size_t k = 0; k < nex; k++) {
        nd_ude_fit_options po = *o;
        size_t rows = nd_ds_rows(ex[k].data);
        po.l2 = 0;   /* counted once, here */
        if (rows >= 2 && po.segments > rows - 1) po.segments = rows - 1;
        /* Starts kept in u belong to one dataset: each part guesses its own. */
        nd_ude_fit *p = ude_fit_create_one(u, &ex[k], &po, 0, err);
        if (!p) {
            nd_ude_fit_free(f);
            return NULL;
        }
        f->part[f->nparts++] = p;
        f->ntheta += p->ntheta - f->npar_net;
        if (p->ntheta > most) most = p->ntheta;
    }
    f->pth = malloc(most * sizeof *f->pth);
    f->pgr = malloc(most * sizeof *f->pgr);
    if (!f->pth || !f->pgr) {
        nd_ude_fit_free(f);
        nd_error_fail(err, ND_ENOMEM, "out of memory for the fit");
        return NULL;
    }
    return f;
}

/* Part k's θ: the shared network parameters, then its own starts from offset off of θ. */
void ude_multi_part_theta(nd_ude_fit *f, size_t k, const double *theta, size_t off)
{
    size_t P = f->npar_net;
    memcpy(f->pth, theta, P * sizeof *f->pth);
    memcpy(f->pth + P, theta + off, (f->part[k]->ntheta - P) * sizeof *f->pth);
}

void ude_multi_set_theta(nd_ude_fit *f, const double *theta)
{
    size_t off = f->npar_net;
    for (size_t k = 0; k < f->nparts; k++) {
        ude_multi_part_theta(f, k, theta, off);
        ude_fit_set_theta(f->part[k], f->pth);
        off += f->part[k]->ntheta - f->npar_net;
    }
}

void ude_multi_theta(const nd_ude_fit *f, double *theta)
{
    size_t P = f->npar_net, off = P;
    for (size_t k = 0; k < f->nparts; k++) {
        nd_ude_fit_theta(f->part[k], f->pth);
        if (k == 0) memcpy(theta, f->pth, P * sizeof *theta);   /* the shared head */
        memcpy(theta + off, f->pth + P, (f->part[k]->ntheta - P) * sizeof *theta);
        off += f->part[k]->ntheta - P;
    }
}

int ude_multi_loss(nd_ude_fit *f, const double *theta, double *loss, double *grad)
{
    size_t P = f->npar_net, off = P;
    double l2 = 0;
    for (size_t i = 0; i < f->nmlp; i++) l2 += f->l2 * theta[i] * theta[i];
    nd_ude_fit_parts sum = {0, 0, 0, l2, 0};
    *loss = l2;
    if (grad) {
        memset(grad, 0, f->ntheta * sizeof *grad);
        for (size_t i = 0; i < f->nmlp; i++) grad[i] = 2 * f->l2 * theta[i];
    }
    for (size_t k = 0; k < f->nparts; k++) {
        nd_ude_fit *p = f->part[k];
        size_t own = p->ntheta - P;
        double lk;
        ude_multi_part_theta(f, k, theta, off);
        if (nd_ude_fit_loss(p, f->pth, &lk, grad ? f->pgr : NULL)) return 1;
        *loss += lk;
        if (grad) {
            for (size_t i = 0; i < P; i++) grad[i] += f->pgr[i];
            for (size_t i = 0; i < own; i++) grad[off + i] += f->pgr[P + i];
        }
        sum.data += p->last.data;
        sum.continuity += p->last.continuity;
        sum.collocation += p->last.collocation;
        sum.rhs_evals += p->last.rhs_evals;
        off += own;
    }
    f->last = sum;
    return isfinite(*loss) ? 0 : 1;
}
