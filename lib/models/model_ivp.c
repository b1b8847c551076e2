/* The adapter from a compiled model to lib/ode's problem contract. */
#include "model_ivp.h"

#include <stdlib.h>
#include <string.h>

#include "model_impl.h"

struct nd_model_ivp {
    nd_ode_problem prob;
    nd_model *m;
    double *p;          /* the parameter values before the stimulus */
    size_t np;
    nd_stim *stim;
    int stim_par;
    double *breaks;
    const char **names;
};

enum { STACK_PARS = 256 };

void nd_model_ivp_pars_at(const nd_model_ivp *v, double t, double *p)
{
    if (v->np) memcpy(p, v->p, v->np * sizeof *p);
    if (v->stim) p[v->stim_par] += nd_stim_eval(v->stim, t);
}

typedef enum op { OP_RHS, OP_JAC, OP_EVENTS, OP_RESET } op;

/* Runs one model evaluation with the parameters in force at t (on the stack for models
   of ordinary size). OP_RESET changes out (the state) in place. */
static int call(const nd_model_ivp *v, op what, size_t k, double t, const double *y, double *out)
{
    /* Without a stimulus the parameters never change: no copy on the hot path. */
    double stack[STACK_PARS], *p = !v->stim ? v->p
                                   : v->np <= STACK_PARS ? stack : malloc(v->np * sizeof *p);
    if (v->stim) {
        if (!p) return -1;
        nd_model_ivp_pars_at(v, t, p);
    }
    int rc = -1;
    switch (what) {
    case OP_RHS:    rc = nd_model_rhs(v->m, t, y, p, out); break;
    case OP_JAC:    rc = nd_model_jac(v->m, t, y, p, out); break;
    case OP_EVENTS: rc = nd_model_events(v->m, t, y, p, out); break;
    case OP_RESET:  rc = nd_model_apply_reset(v->m, k, t, out, p); break;
    }
    if (p != stack && p != v->p) free(p);
    return rc;
}

static int ivp_rhs(void *ctx, double t, const double *y, double *dydt)
{
    return call(ctx, OP_RHS, 0, t, y, dydt);
}

static int ivp_jac(void *ctx, double t, const double *y, double *J)
{
    return call(ctx, OP_JAC, 0, t, y, J);
}

static int ivp_events(void *ctx, double t, const double *y, double *g)
{
    return call(ctx, OP_EVENTS, 0, t, y, g);
}

static int ivp_on_event(void *ctx, size_t k, double t, double *y)
{
    return call(ctx, OP_RESET, k, t, y, y) ? -1 : 0;
}

void nd_model_ivp_free(nd_model_ivp *v)
{
    if (!v) return;
    nd_model_free(v->m);
    nd_stim_free(v->stim);
    free(v->p);
    free(v->breaks);
    free(v->names);
    free(v);
}

static nd_status add_stim(nd_model_ivp *v, const nd_stim *stim, double t0, double t1, nd_error *err)
{
    if (!(v->stim = nd_stim_copy(stim))) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_status st = nd_stim_prepare(v->stim, t1, err);
    if (st) return st;
    size_t nb = nd_stim_breaks(v->stim, t0, t1, NULL, 0);
    if (nb == (size_t)-1 || (nb && !(v->breaks = malloc(nb * sizeof *v->breaks))))
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (nb) nd_stim_breaks(v->stim, t0, t1, v->breaks, nb);
    v->prob.breaks = v->breaks;
    v->prob.nbreaks = nb;
    return ND_OK;
}

nd_model_ivp *nd_model_ivp_create(const nd_model *m, const double *p, const nd_stim *stim,
                                  int stim_par, double t0, double t1, nd_error *err)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE), np = nd_model_count(m, ND_MODEL_PAR);
    if (stim && (stim_par < 0 || (size_t)stim_par >= np)) {
        nd_error_fail(err, ND_EVALUE, "the stimulus drives no parameter of '%s'", nd_model_name(m));
        return NULL;
    }
    nd_model_ivp *v = calloc(1, sizeof *v);
    if (!v || !(v->m = nd_model_copy(m)) || !(v->names = calloc(n, sizeof *v->names)) ||
        (np && !(v->p = malloc(np * sizeof *v->p)))) {
        nd_model_ivp_free(v);
        nd_error_fail(err, ND_ENOMEM, "out of memory");
        return NULL;
    }
    v->np = np;
    v->stim_par = stim_par;
    if (np) memcpy(v->p, p ? p : nd_model_pars(m), np * sizeof *v->p);
    for (size_t i = 0; i < n; i++) v->names[i] = nd_model_item_at(m, ND_MODEL_STATE, i)->name;
    v->prob = (nd_ode_problem){
        .n = n, .ctx = v, .rhs = ivp_rhs, .jac = nd_model_has_jac(m) ? ivp_jac : NULL,
        .nevents = nd_model_nwhens(m), .events = nd_model_nwhens(m) ? ivp_events : NULL,
        .on_event = nd_model_nwhens(m) ? ivp_on_event : NULL, .names = v->names,
    };
    if (stim && add_stim(v, stim, t0, t1, err)) {
        nd_model_ivp_free(v);
        return NULL;
    }
    return v;
}

const nd_ode_problem *nd_model_ivp_problem(const nd_model_ivp *v)
{
    return &v->prob;
}
