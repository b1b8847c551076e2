/* The JSON form of a UDE: everything needed to rebuild it bit for bit — the model's own
   text and current values (so user-defined models load too), what the network replaces
   and reads, the network with its scaling, the stimulus, and the training state (loss
   history, stages, multiple-shooting starts). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ude_impl.h"

static json_t *names_json(char *const *names, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_string(names[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *numbers_json(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (!isfinite(v[i]) || json_array_append_new(a, json_real(v[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* {name: value} over the model's items of kind, from vals. */
static json_t *values_json(const nd_model *m, nd_model_kind kind, const double *vals)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < nd_model_count(m, kind); i++)
        if (!isfinite(vals[i]) ||
            json_object_set_new(o, nd_model_item_at(m, kind, i)->name, json_real(vals[i]))) {
            json_decref(o);
            return NULL;
        }
    return o;
}

json_t *nd_ude_to_json(const nd_ude *u)
{
    size_t len;
    int line, col;
    const char *src = nd_model_source(u->truth, &len, &line, &col);
    char *text = strndup(src, len);
    json_t *stages = json_array();
    for (size_t i = 0; stages && i < u->nstages; i++)
        json_array_append_new(stages, json_pack("{s:s, s:I}", "stage", u->stage[i], "first",
                                                (json_int_t)u->stage_first[i]));
    json_t *starts = u->starts.y
        ? json_pack("{s:I, s:I, s:f, s:f, s:o}", "segments", (json_int_t)u->starts.segments,
                    "rows", (json_int_t)u->starts.rows, "t0", u->starts.t0, "t1", u->starts.t1,
                    "y", numbers_json(u->starts.y, (u->starts.segments - 1) * u->starts.n))
        : json_null();
    json_t *j = text ? json_pack(
        "{s:s, s:i, s:{s:s, s:s, s:i, s:i, s:o, s:o}, s:o, s:o, s:o, s:b, s:o, s:i, s:o, s:o, s:o}",
        "kind", u->node ? "node" : "ude", "version", 1,
        "model", "name", nd_model_name(u->truth), "source", text, "line", line, "col", col,
        "pars", values_json(u->truth, ND_MODEL_PAR, nd_model_pars(u->truth)),
        "inits", values_json(u->truth, ND_MODEL_STATE, nd_model_inits(u->truth)),
        "replace", names_json(u->rep, u->nrep), "inputs", names_json(u->in, u->nin),
        "network", nd_mlp_to_json(u->net), "scaled", u->scaled,
        "stimulus", u->stim ? nd_stim_to_json(u->stim) : json_null(), "stim_par", u->stim_par,
        "history", numbers_json(u->hist, u->nhist), "stages", stages, "starts", starts)
        : NULL;
    free(text);
    return j;
}

static nd_status bad(nd_error *err, const char *field)
{
    return nd_error_fail(err, ND_EVALUE, "not a saved network: '%s' is missing or malformed",
                         field);
}

/* Reads a list of strings into a new array of borrowed pointers. */
static const char **string_list(const json_t *a, size_t *n)
{
    *n = json_array_size(a);
    const char **s = calloc(*n ? *n : 1, sizeof *s);
    for (size_t i = 0; s && i < *n; i++)
        if (!(s[i] = json_string_value(json_array_get(a, i)))) {
            free(s);
            return NULL;
        }
    return s;
}

static nd_status set_values(nd_model *m, nd_model_kind kind, const json_t *o, nd_error *err)
{
    const char *key;
    json_t *v;
    if (!json_is_object(o)) return bad(err, kind == ND_MODEL_PAR ? "model.pars" : "model.inits");
    json_object_foreach((json_t *)o, key, v) {
        nd_status st = !json_is_number(v) ? bad(err, key)
                     : kind == ND_MODEL_PAR ? nd_model_set_par(m, key, json_number_value(v), err)
                                            : nd_model_set_init(m, key, json_number_value(v), err);
        if (st) return st;
    }
    return ND_OK;
}

/* The training state: history, stages, starts. */
static nd_status read_training(nd_ude *u, const json_t *j, nd_error *err)
{
    const json_t *h = json_object_get(j, "history"), *stages = json_object_get(j, "stages");
    if (!json_is_array(h) || !json_is_array(stages)) return bad(err, "history");
    for (size_t i = 0; i < json_array_size(h); i++) {
        const json_t *v = json_array_get(h, i);
        if (!json_is_number(v)) return bad(err, "history");
        if (ude_history_push(u, json_number_value(v))) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < json_array_size(stages); i++) {
        const json_t *s = json_array_get(stages, i);
        const char *name = json_string_value(json_object_get(s, "stage"));
        json_int_t first = json_integer_value(json_object_get(s, "first"));
        if (!name || first < 0 || (size_t)first > u->nhist) return bad(err, "stages");
        if (ude_stage_push(u, name)) return nd_error_fail(err, ND_ENOMEM, "out of memory");
        u->stage_first[u->nstages - 1] = (size_t)first;
    }
    const json_t *s = json_object_get(j, "starts");
    if (json_is_null(s) || !s) return ND_OK;
    size_t segs = (size_t)json_integer_value(json_object_get(s, "segments"));
    size_t n = nd_model_count(u->truth, ND_MODEL_STATE);
    const json_t *y = json_object_get(s, "y");
    if (segs < 2 || json_array_size(y) != (segs - 1) * n) return bad(err, "starts");
    double *v = malloc((segs - 1) * n * sizeof *v);
    if (!v) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t i = 0; i < (segs - 1) * n; i++) v[i] = json_number_value(json_array_get(y, i));
    u->starts = (ude_starts){segs, n, (size_t)json_integer_value(json_object_get(s, "rows")),
                             json_number_value(json_object_get(s, "t0")),
                             json_number_value(json_object_get(s, "t1")), v};
    return ND_OK;
}

nd_ude *nd_ude_from_json(const json_t *j, nd_error *err)
{
    const json_t *mj = json_object_get(j, "model"), *net = json_object_get(j, "network");
    const char *kind = json_string_value(json_object_get(j, "kind"));
    const char *name = json_string_value(json_object_get(mj, "name"));
    const char *src = json_string_value(json_object_get(mj, "source"));
    if (!kind || (strcmp(kind, "ude") && strcmp(kind, "node"))) {
        bad(err, "kind");
        return NULL;
    }
    if (!name || !src) {
        bad(err, "model");
        return NULL;
    }
    nd_model *m = nd_model_parse(name, src, strlen(src),
                                 (int)json_integer_value(json_object_get(mj, "line")),
                                 (int)json_integer_value(json_object_get(mj, "col")), err);
    if (!m) return NULL;
    nd_ude *u = NULL;
    size_t nrep, nin;
    const char **rep = string_list(json_object_get(j, "replace"), &nrep);
    const char **in = string_list(json_object_get(j, "inputs"), &nin);
    nd_mlp *mlp = NULL;
    nd_status st = set_values(m, ND_MODEL_PAR, json_object_get(mj, "pars"), err);
    if (!st) st = set_values(m, ND_MODEL_STATE, json_object_get(mj, "inits"), err);
    if (!st && (!rep || !in)) st = bad(err, rep ? "inputs" : "replace");
    if (!st && !(mlp = nd_mlp_from_json(net, err))) st = err->code;
    if (!st) {
        /* The spec only shapes the network, which the saved one then replaces. */
        size_t hidden[64], nh = nd_mlp_nhidden(mlp);
        for (size_t i = 0; i < nh && i < 64; i++) hidden[i] = nd_mlp_hidden(mlp, i);
        nd_ude_spec spec = {rep, nrep, in, nin, hidden, nh < 64 ? nh : 64, nd_mlp_act(mlp),
                            nd_mlp_seed(mlp)};
        int node = strcmp(kind, "node") == 0;
        u = node ? nd_ude_create_node(m, &spec, err) : nd_ude_create(m, &spec, err);
        if (!u) st = err->code;
        else if (nd_mlp_nin(mlp) != u->nin || nd_mlp_nout(mlp) != u->nrep)
            st = bad(err, "network");
    }
    if (!st) {
        nd_mlp_free(u->net);
        u->net = mlp;
        mlp = NULL;
        u->scaled = json_is_true(json_object_get(j, "scaled"));
        const json_t *sj = json_object_get(j, "stimulus");
        if (sj && !json_is_null(sj)) {
            nd_stim *s = nd_stim_from_json(sj, err);
            if (!s) st = err->code;
            else st = nd_ude_set_stim(u, s, (int)json_integer_value(json_object_get(j, "stim_par")),
                                      err);
            nd_stim_free(s);
        }
    }
    if (!st) st = read_training(u, j, err);
    free(rep), free(in);
    nd_mlp_free(mlp);
    nd_model_free(m);
    if (st) {
        nd_ude_free(u);
        return NULL;
    }
    return u;
}
