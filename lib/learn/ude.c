/* Building, copying and querying UDEs and neural ODEs; the network's view of the model
   (inputs in, replaced values out). */
#include <stdlib.h>
#include <string.h>

#include "../base/suggest.h"
#include "ude_impl.h"

static char **dup_names(const char *const *names, size_t n)
{
    char **out = calloc(n ? n : 1, sizeof *out);
    if (!out) return NULL;
    for (size_t i = 0; i < n; i++)
        if (!(out[i] = strdup(names[i]))) {
            while (i--) free(out[i]);
            free(out);
            return NULL;
        }
    return out;
}

static void free_names(char **names, size_t n)
{
    if (!names) return;
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
}

void nd_ude_free(nd_ude *u)
{
    if (!u) return;
    nd_model_free(u->truth);
    nd_model_free(u->open);
    free_names(u->rep, u->nrep);
    free(u->rep_par);
    free_names(u->in, u->nin);
    free(u->in_kind);
    free(u->in_index);
    nd_mlp_free(u->net);
    nd_stim_free(u->stim);
    free(u->hist);
    free_names(u->stage, u->nstages);
    free(u->stage_first);
    free(u->starts.y);
    free(u);
}

/* Resolves input name: a state, a parameter of the model as written, or "t". */
static nd_status resolve_input(nd_ude *u, size_t i, nd_error *err)
{
    const char *name = u->in[i];
    int k;
    if (strcmp(name, "t") == 0) {
        u->in_kind[i] = UDE_IN_TIME;
        u->in_index[i] = 0;
    } else if ((k = nd_model_index(u->truth, ND_MODEL_STATE, name)) >= 0) {
        u->in_kind[i] = UDE_IN_STATE;
        u->in_index[i] = (size_t)k;
    } else if ((k = nd_model_index(u->truth, ND_MODEL_PAR, name)) >= 0) {
        u->in_kind[i] = UDE_IN_PAR;
        u->in_index[i] = (size_t)k;
    } else {
        nd_suggest s;
        nd_suggest_init(&s, name);
        nd_suggest_offer(&s, "t");
        for (nd_model_kind kind = ND_MODEL_STATE; kind <= ND_MODEL_PAR; kind++)
            for (size_t j = 0; j < nd_model_count(u->truth, kind); j++)
                nd_suggest_offer(&s, nd_model_item_at(u->truth, kind, j)->name);
        const char *best = nd_suggest_best(&s);
        return nd_error_fail(err, ND_ENAME,
                             "'%s' cannot be a network input: inputs are state variables, "
                             "parameters or t of model '%s'%s%s%s",
                             name, nd_model_name(u->truth), best ? " (did you mean '" : "",
                             best ? best : "", best ? "'?)" : "");
    }
    for (size_t j = 0; j < i; j++)
        if (strcmp(u->in[j], name) == 0)
            return nd_error_fail(err, ND_EVALUE, "input '%s' is named twice", name);
    return ND_OK;
}

static nd_ude *build(const nd_model *m, const nd_ude_spec *s, int node, nd_error *err)
{
    size_t ns = nd_model_count(m, ND_MODEL_STATE);
    const char **states = calloc(ns ? ns : 1, sizeof *states);
    nd_ude *u = calloc(1, sizeof *u);
    if (!u || !states) {
        free(states), free(u);
        nd_error_fail(err, ND_ENOMEM, "out of memory for the network");
        return NULL;
    }
    for (size_t i = 0; i < ns; i++) states[i] = nd_model_item_at(m, ND_MODEL_STATE, i)->name;
    const char *const *rep = node ? states : s->replace;
    size_t nrep = node ? ns : s->nreplace;
    const char *const *in = s->inputs ? s->inputs : states;
    size_t nin = s->inputs ? s->ninputs : ns;
    u->node = node;
    u->stim_par = -1;
    nd_status st = ND_OK;
    if (!nrep) st = nd_error_fail(err, ND_EVALUE, "name the term the network replaces (replace=TERM)");
    else if (!nin) st = nd_error_fail(err, ND_EVALUE, "the network needs at least one input");
    else if (!(u->truth = nd_model_copy(m)) || !(u->rep = dup_names(rep, nrep)) ||
             !(u->in = dup_names(in, nin)) || !(u->rep_par = calloc(nrep, sizeof *u->rep_par)) ||
             !(u->in_kind = calloc(nin, sizeof *u->in_kind)) ||
             !(u->in_index = calloc(nin, sizeof *u->in_index)))
        st = nd_error_fail(err, ND_ENOMEM, "out of memory for the network");
    if (!st) {
        u->nrep = nrep;
        u->nin = nin;
        for (size_t i = 0; i < nin && !st; i++) st = resolve_input(u, i, err);
    }
    if (!st && !(u->open = nd_model_open(m, rep, nrep, err))) st = err->code;
    if (!st) {
        size_t np = nd_model_count(m, ND_MODEL_PAR);
        for (size_t k = 0; k < nrep; k++) u->rep_par[k] = np + k;
        if (!(u->net = nd_mlp_create(nin, s->hidden, s->nhidden, nrep, s->act, s->seed, err)))
            st = err->code ? err->code : ND_ENOMEM;
    }
    free(states);
    if (st) {
        nd_ude_free(u);
        return NULL;
    }
    return u;
}

nd_ude *nd_ude_create(const nd_model *m, const nd_ude_spec *s, nd_error *err)
{
    return build(m, s, 0, err);
}

nd_ude *nd_ude_create_node(const nd_model *m, const nd_ude_spec *s, nd_error *err)
{
    return build(m, s, 1, err);
}

static int copy_array(void *dst, const void *src, size_t bytes)
{
    void **d = dst;
    *d = NULL;
    if (!src || !bytes) return 0;
    if (!(*d = malloc(bytes))) return -1;
    memcpy(*d, src, bytes);
    return 0;
}

nd_ude *nd_ude_copy(const nd_ude *u)
{
    nd_ude *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    *c = *u;
    c->truth = c->open = NULL;
    c->rep = c->in = c->stage = NULL;
    c->rep_par = c->in_index = c->stage_first = NULL;
    c->in_kind = NULL;
    c->net = NULL;
    c->stim = NULL;
    c->hist = NULL;
    c->starts.y = NULL;
    int ok = (c->truth = nd_model_copy(u->truth)) && (c->open = nd_model_copy(u->open)) &&
             (c->rep = dup_names((const char *const *)u->rep, u->nrep)) &&
             (c->in = dup_names((const char *const *)u->in, u->nin)) &&
             (c->stage = dup_names((const char *const *)u->stage, u->nstages)) &&
             (c->net = nd_mlp_copy(u->net)) && (!u->stim || (c->stim = nd_stim_copy(u->stim))) &&
             !copy_array(&c->rep_par, u->rep_par, u->nrep * sizeof *u->rep_par) &&
             !copy_array(&c->in_kind, u->in_kind, u->nin * sizeof *u->in_kind) &&
             !copy_array(&c->in_index, u->in_index, u->nin * sizeof *u->in_index) &&
             !copy_array(&c->stage_first, u->stage_first, u->nstages * sizeof *u->stage_first) &&
             !copy_array(&c->hist, u->hist, u->nhist * sizeof *u->hist) &&
             !copy_array(&c->starts.y, u->starts.y,
                         (u->starts.segments ? u->starts.segments - 1 : 0) * u->starts.n *
                             sizeof *u->starts.y);
    if (!ok) {
        if (!c->rep) c->nrep = 0;
        if (!c->in) c->nin = 0;
        if (!c->stage) c->nstages = 0;
        nd_ude_free(c);
        return NULL;
    }
    c->caphist = u->nhist;
    return c;
}

int nd_ude_is_node(const nd_ude *u) { return u->node; }
const nd_model *nd_ude_model(const nd_ude *u) { return u->open; }
const nd_model *nd_ude_truth(const nd_ude *u) { return u->truth; }
nd_mlp *nd_ude_net(nd_ude *u) { return u->net; }
const nd_mlp *nd_ude_net_const(const nd_ude *u) { return u->net; }
size_t nd_ude_nreplace(const nd_ude *u) { return u->nrep; }
const char *nd_ude_replace(const nd_ude *u, size_t i) { return i < u->nrep ? u->rep[i] : NULL; }
size_t nd_ude_ninputs(const nd_ude *u) { return u->nin; }
const char *nd_ude_input(const nd_ude *u, size_t i) { return i < u->nin ? u->in[i] : NULL; }

nd_status nd_ude_set_stim(nd_ude *u, const nd_stim *stim, int par, nd_error *err)
{
    if (stim && (par < 0 || (size_t)par >= nd_model_count(u->truth, ND_MODEL_PAR)))
        return nd_error_fail(err, ND_EVALUE, "the stimulus drives no parameter of the model");
    nd_stim *c = NULL;
    if (stim && !(c = nd_stim_copy(stim)))
        return nd_error_fail(err, ND_ENOMEM, "out of memory for the stimulus");
    nd_stim_free(u->stim);
    u->stim = c;
    u->stim_par = stim ? par : -1;
    return ND_OK;
}

const nd_stim *nd_ude_stim(const nd_ude *u, int *par)
{
    if (par) *par = u->stim_par;
    return u->stim;
}

nd_status nd_ude_set_value(nd_ude *u, const char *name, double value, nd_error *err)
{
    nd_status st;
    if (nd_model_index(u->truth, ND_MODEL_PAR, name) >= 0) {
        if (!(st = nd_model_set_par(u->truth, name, value, err)))
            st = nd_model_set_par(u->open, name, value, err);
        return st;
    }
    if (nd_model_index(u->truth, ND_MODEL_STATE, name) >= 0) {
        if (!(st = nd_model_set_init(u->truth, name, value, err)))
            st = nd_model_set_init(u->open, name, value, err);
        return st;
    }
    return nd_error_fail(err, ND_ENAME, "'%s' is not a parameter or state variable of '%s'",
                         name, nd_model_name(u->truth));
}

void nd_ude_inputs_at(const nd_ude *u, double t, const double *y, const double *p, double *x)
{
    for (size_t i = 0; i < u->nin; i++)
        switch (u->in_kind[i]) {
        case UDE_IN_STATE: x[i] = y[u->in_index[i]]; break;
        case UDE_IN_PAR: x[i] = p[u->in_index[i]]; break;
        case UDE_IN_TIME: x[i] = t; break;
        }
}

nd_status nd_ude_net_eval(const nd_ude *u, const double *x, size_t batch, double *z,
                          nd_error *err)
{
    if (!batch) return ND_OK;
    nd_mlp_work *w = nd_mlp_work_create(u->net, batch, err);
    if (!w) return err && err->code ? err->code : ND_ENOMEM;
    nd_status st = nd_mlp_forward(u->net, x, batch, z, w);
    nd_mlp_work_free(w);
    return st ? nd_error_fail(err, st, "the network could not be evaluated") : ND_OK;
}

static int grow(void *arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap * 2 : 64;
    while (c < need) c *= 2;
    void **a = arr;
    void *p = realloc(*a, c * size);
    if (!p) return -1;
    *a = p;
    *cap = c;
    return 0;
}

int ude_history_push(nd_ude *u, double v)
{
    if (grow(&u->hist, &u->caphist, u->nhist + 1, sizeof *u->hist)) return -1;
    u->hist[u->nhist++] = v;
    return 0;
}

int ude_stage_push(nd_ude *u, const char *text)
{
    char *s = strdup(text);
    char **st = s ? realloc(u->stage, (u->nstages + 1) * sizeof *st) : NULL;
    if (st) u->stage = st;
    size_t *f = st ? realloc(u->stage_first, (u->nstages + 1) * sizeof *f) : NULL;
    if (!f) {
        free(s);
        return -1;
    }
    u->stage_first = f;
    u->stage[u->nstages] = s;
    u->stage_first[u->nstages++] = u->nhist;
    return 0;
}

const double *nd_ude_history(const nd_ude *u, size_t *len)
{
    *len = u->nhist;
    return u->hist;
}

size_t nd_ude_nstages(const nd_ude *u) { return u->nstages; }

const char *nd_ude_stage(const nd_ude *u, size_t i, size_t *first)
{
    if (i >= u->nstages) return NULL;
    if (first) *first = u->stage_first[i];
    return u->stage[i];
}
