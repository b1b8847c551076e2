/* Evaluating the hybrid: the network's outputs written into the opened model's parameters,
   its Jacobian composed with the model's (chain rule through the inputs that are states),
   and the adapter to lib/ode's problem contract. */
#include <stdlib.h>
#include <string.h>

#include "ude_impl.h"

void ude_eval_free(ude_eval *e)
{
    free(e->p), free(e->x), free(e->z), free(e->Jp), free(e->dzdx), free(e->ek);
    nd_mlp_work_free(e->w);
    memset(e, 0, sizeof *e);
}

nd_status ude_eval_init(ude_eval *e, const nd_ude *u, const nd_stim *stim, int stim_par,
                        nd_error *err)
{
    memset(e, 0, sizeof *e);
    e->u = u;
    e->stim = stim;
    e->stim_par = stim_par;
    e->n = nd_model_count(u->open, ND_MODEL_STATE);
    e->npar = nd_model_count(u->open, ND_MODEL_PAR);
    size_t nout = u->nrep;
    e->p = malloc(e->npar * sizeof *e->p);
    e->x = malloc(u->nin * sizeof *e->x);
    e->z = malloc(nout * sizeof *e->z);
    e->Jp = malloc(e->n * e->npar * sizeof *e->Jp);
    e->dzdx = malloc(nout * u->nin * sizeof *e->dzdx);
    e->ek = calloc(nout, sizeof *e->ek);
    if (!e->p || !e->x || !e->z || !e->Jp || !e->dzdx || !e->ek) {
        ude_eval_free(e);
        return nd_error_fail(err, ND_ENOMEM, "out of memory for the hybrid model");
    }
    if (!(e->w = nd_mlp_work_create(u->net, 1, err))) {
        ude_eval_free(e);
        return err && err->code ? err->code : ND_ENOMEM;
    }
    return ND_OK;
}

void ude_eval_inputs(ude_eval *e, double t, const double *y)
{
    const nd_ude *u = e->u;
    memcpy(e->p, nd_model_pars(u->open), e->npar * sizeof *e->p);
    if (e->stim) e->p[e->stim_par] += nd_stim_eval(e->stim, t);
    nd_ude_inputs_at(u, t, y, e->p, e->x);
}

void ude_eval_outputs(ude_eval *e)
{
    for (size_t k = 0; k < e->u->nrep; k++) e->p[e->u->rep_par[k]] = e->z[k];
}

void ude_eval_point(ude_eval *e, double t, const double *y)
{
    ude_eval_inputs(e, t, y);
    nd_mlp_forward(e->u->net, e->x, 1, e->z, e->w);
    ude_eval_outputs(e);
}

int ude_eval_rhs(ude_eval *e, double t, const double *y, double *dydt)
{
    ude_eval_point(e, t, y);
    return nd_model_rhs(e->u->open, t, y, e->p, dydt);
}

int ude_eval_jac(ude_eval *e, double t, const double *y, double *J, double *Fz, int fresh)
{
    const nd_ude *u = e->u;
    size_t n = e->n, np = e->npar, nout = u->nrep, nin = u->nin;
    if (fresh) ude_eval_point(e, t, y);
    if (nd_model_jac(u->open, t, y, e->p, J) || nd_model_jacp(u->open, t, y, e->p, e->Jp))
        return -1;
    /* Rows of dz/dx, one reverse pass per output. */
    for (size_t k = 0; k < nout; k++) {
        e->ek[k] = 1;
        nd_mlp_backward(u->net, e->w, 1, e->ek, NULL, e->dzdx + k * nin);
        e->ek[k] = 0;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < nout; k++) {
            double fz = e->Jp[i * np + u->rep_par[k]];
            if (Fz) Fz[i * nout + k] = fz;
            if (fz == 0) continue;
            for (size_t m = 0; m < nin; m++)
                if (u->in_kind[m] == UDE_IN_STATE)
                    J[i * n + u->in_index[m]] += fz * e->dzdx[k * nin + m];
        }
    return 0;
}

/* ---- the initial-value problem ---- */

struct nd_ude_ivp {
    nd_ode_problem prob;
    const nd_ude *u;
    nd_stim *stim;
    ude_eval ev;
    double *breaks;
    double *y1;         /* scratch for event functions and terms */
    const char **names;
};

static int ivp_rhs(void *ctx, double t, const double *y, double *dydt)
{
    nd_ude_ivp *v = ctx;
    return ude_eval_rhs(&v->ev, t, y, dydt);
}

static int ivp_jac(void *ctx, double t, const double *y, double *J)
{
    nd_ude_ivp *v = ctx;
    return ude_eval_jac(&v->ev, t, y, J, NULL, 1);
}

static int ivp_events(void *ctx, double t, const double *y, double *g)
{
    nd_ude_ivp *v = ctx;
    ude_eval_point(&v->ev, t, y);
    return nd_model_events(v->u->open, t, y, v->ev.p, g);
}

static int ivp_on_event(void *ctx, size_t k, double t, double *y)
{
    nd_ude_ivp *v = ctx;
    ude_eval_point(&v->ev, t, y);
    return nd_model_apply_reset(v->u->open, k, t, y, v->ev.p) ? -1 : 0;
}

int nd_ude_ivp_terms(nd_ude_ivp *v, double t, const double *y, double *terms)
{
    ude_eval_point(&v->ev, t, y);
    return nd_model_terms(v->u->open, t, y, v->ev.p, terms);
}

void nd_ude_ivp_free(nd_ude_ivp *v)
{
    if (!v) return;
    ude_eval_free(&v->ev);
    nd_stim_free(v->stim);
    free(v->breaks);
    free(v->y1);
    free(v->names);
    free(v);
}

nd_ude_ivp *nd_ude_ivp_create(const nd_ude *u, const nd_stim *stim, int stim_par, double t0,
                              double t1, nd_error *err)
{
    if (!stim) {
        stim = u->stim;
        stim_par = u->stim_par;
    }
    const nd_model *m = u->open;
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    if (stim && (stim_par < 0 || (size_t)stim_par >= nd_model_count(u->truth, ND_MODEL_PAR))) {
        nd_error_fail(err, ND_EVALUE, "the stimulus drives no parameter of '%s'", nd_model_name(m));
        return NULL;
    }
    nd_ude_ivp *v = calloc(1, sizeof *v);
    if (!v || !(v->names = calloc(n, sizeof *v->names)) || !(v->y1 = calloc(n, sizeof *v->y1)) ||
        (stim && !(v->stim = nd_stim_copy(stim)))) {
        nd_ude_ivp_free(v);
        nd_error_fail(err, ND_ENOMEM, "out of memory");
        return NULL;
    }
    v->u = u;
    if ((v->stim && nd_stim_prepare(v->stim, t1, err)) ||
        ude_eval_init(&v->ev, u, v->stim, stim_par, err)) {
        nd_ude_ivp_free(v);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) v->names[i] = nd_model_item_at(m, ND_MODEL_STATE, i)->name;
    size_t nw = nd_model_nwhens(m);
    v->prob = (nd_ode_problem){
        .n = n, .ctx = v, .rhs = ivp_rhs, .jac = nd_model_has_jac(m) ? ivp_jac : NULL,
        .nevents = nw, .events = nw ? ivp_events : NULL, .on_event = nw ? ivp_on_event : NULL,
        .names = v->names,
    };
    if (v->stim) {
        size_t nb = nd_stim_breaks(v->stim, t0, t1, NULL, 0);
        if (nb == (size_t)-1 || (nb && !(v->breaks = malloc(nb * sizeof *v->breaks)))) {
            nd_ude_ivp_free(v);
            nd_error_fail(err, ND_ENOMEM, "out of memory");
            return NULL;
        }
        if (nb) nd_stim_breaks(v->stim, t0, t1, v->breaks, nb);
        v->prob.breaks = v->breaks;
        v->prob.nbreaks = nb;
    }
    return v;
}

const nd_ode_problem *nd_ude_ivp_problem(const nd_ude_ivp *v) { return &v->prob; }
