/* The JSON form of a network. Parameters are plain JSON numbers: jansson writes doubles
   with 17 significant digits and reads them back with strtod, which is exact, so a file
   round-trips bit for bit while staying readable. The seed is a decimal string because a
   JSON integer (json_int_t) cannot hold every uint64_t. */
#include "mlp_impl.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORMAT "neurodyn-mlp"
#define MAX_LAYERS 66

static json_t *array_of(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        json_t *x = isfinite(v[i]) ? json_real(v[i]) : NULL;
        if (!x || json_array_append_new(a, x) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *scaling_json(const nd_mlp *m)
{
    size_t nin = nd_mlp_nin(m), nout = nd_mlp_nout(m);
    return json_pack("{s:o,s:o,s:o,s:o}", "in_mean", array_of(m->in_mean, nin),
                     "in_std", array_of(m->in_std, nin), "out_mean",
                     array_of(m->out_mean, nout), "out_std", array_of(m->out_std, nout));
}

json_t *nd_mlp_to_json(const nd_mlp *m)
{
    json_t *hidden = json_array();
    for (size_t l = 1; hidden && l < m->nlayers; l++)
        json_array_append_new(hidden, json_integer((json_int_t)m->width[l]));
    char seed[32];
    snprintf(seed, sizeof seed, "%" PRIu64, m->seed);
    json_t *params = array_of(m->params, m->nparams);
    if (!params) {   /* a NaN parameter has no JSON form; refuse rather than corrupt */
        json_decref(hidden);
        return NULL;
    }
    json_t *j = json_pack("{s:s,s:i,s:I,s:o,s:I,s:s,s:s,s:o}", "format", FORMAT,
                          "version", 1, "inputs", (json_int_t)nd_mlp_nin(m), "hidden", hidden,
                          "outputs", (json_int_t)nd_mlp_nout(m), "activation",
                          nd_act_name(m->act), "seed", seed, "params", params);
    if (j && nd_mlp_has_scaling(m)) {
        json_t *s = scaling_json(m);
        if (!s || json_object_set_new(j, "scaling", s) != 0) {
            json_decref(j);
            return NULL;
        }
    }
    return j;
}

/* Reads a JSON array of exactly n finite numbers into out (NULL when the key is absent). */
static nd_status read_vec(const json_t *parent, const char *key, size_t n, double **out,
                          nd_error *err)
{
    const json_t *a = json_object_get(parent, key);
    *out = NULL;
    if (!a) return ND_OK;
    if (!json_is_array(a) || json_array_size(a) != n)
        return nd_error_fail(err, ND_EVALUE, "network JSON: \"%s\" must be an array of %zu numbers",
                             key, n);
    double *v = malloc((n ? n : 1) * sizeof *v);
    if (!v) return nd_error_fail(err, ND_ENOMEM, "out of memory reading a network");
    for (size_t i = 0; i < n; i++) {
        const json_t *x = json_array_get(a, i);
        if (!json_is_number(x)) {
            free(v);
            return nd_error_fail(err, ND_EVALUE, "network JSON: \"%s\"[%zu] is not a number",
                                 key, i);
        }
        v[i] = json_number_value(x);
    }
    *out = v;
    return ND_OK;
}

static nd_status read_width(const json_t *x, const char *what, size_t *w, nd_error *err)
{
    if (!json_is_integer(x) || json_integer_value(x) < 0)
        return nd_error_fail(err, ND_EVALUE, "network JSON: %s must be a non-negative integer",
                             what);
    *w = (size_t)json_integer_value(x);
    return ND_OK;
}

static nd_status read_seed(const json_t *x, uint64_t *seed, nd_error *err)
{
    char *end = NULL;
    if (json_is_string(x)) {
        const char *s = json_string_value(x);
        *seed = strtoull(s, &end, 10);
        if (*s >= '0' && *s <= '9' && *end == '\0') return ND_OK;
    } else if (json_is_integer(x) && json_integer_value(x) >= 0) {
        *seed = (uint64_t)json_integer_value(x);
        return ND_OK;
    }
    return nd_error_fail(err, ND_EVALUE, "network JSON: \"seed\" must be a decimal string");
}

/* Reads architecture, activation and seed, and makes the zeroed network they describe. */
static nd_mlp *read_shape(const json_t *j, nd_error *err)
{
    const json_t *fmt = json_object_get(j, "format");
    if (!json_is_object(j) || !json_is_string(fmt) ||
        strcmp(json_string_value(fmt), FORMAT) != 0) {
        nd_error_fail(err, ND_EVALUE, "not a neurodyn network (\"format\" is not \"" FORMAT "\")");
        return NULL;
    }
    const json_t *hidden = json_object_get(j, "hidden");
    if (!json_is_array(hidden) || json_array_size(hidden) + 2 > MAX_LAYERS) {
        nd_error_fail(err, ND_EVALUE, "network JSON: \"hidden\" must be an array of widths");
        return NULL;
    }
    size_t width[MAX_LAYERS], nl = json_array_size(hidden) + 1;
    if (read_width(json_object_get(j, "inputs"), "\"inputs\"", &width[0], err) != ND_OK ||
        read_width(json_object_get(j, "outputs"), "\"outputs\"", &width[nl], err) != ND_OK)
        return NULL;
    for (size_t i = 0; i + 1 < nl; i++)
        if (read_width(json_array_get(hidden, i), "each hidden width", &width[i + 1], err))
            return NULL;
    const json_t *act = json_object_get(j, "activation");
    uint64_t seed = 0;
    if (read_seed(json_object_get(j, "seed"), &seed, err) != ND_OK) return NULL;
    nd_act a = nd_act_parse(json_string_value(act));   /* NULL for a non-string: unknown */
    return nd_mlp_alloc_checked(width, nl, a, seed, err);
}

static nd_status read_scaling(nd_mlp *m, const json_t *s, nd_error *err)
{
    if (!s) return ND_OK;
    if (!json_is_object(s))
        return nd_error_fail(err, ND_EVALUE, "network JSON: \"scaling\" must be an object");
    double *v[4] = {NULL, NULL, NULL, NULL};
    const char *keys[4] = {"in_mean", "in_std", "out_mean", "out_std"};
    nd_status st = ND_OK;
    for (int k = 0; k < 4 && st == ND_OK; k++)
        st = read_vec(s, keys[k], k < 2 ? nd_mlp_nin(m) : nd_mlp_nout(m), &v[k], err);
    if (st == ND_OK) st = nd_mlp_set_scaling(m, v[0], v[1], v[2], v[3], err);
    for (int k = 0; k < 4; k++) free(v[k]);
    return st;
}

nd_mlp *nd_mlp_from_json(const json_t *j, nd_error *err)
{
    nd_mlp *m = read_shape(j, err);
    if (!m) return NULL;
    double *p = NULL;
    nd_status st = read_vec(j, "params", m->nparams, &p, err);
    if (st == ND_OK && !p)
        st = nd_error_fail(err, ND_EVALUE, "network JSON: \"params\" missing");
    if (st == ND_OK) nd_mlp_set_params(m, p);
    free(p);
    if (st == ND_OK) st = read_scaling(m, json_object_get(j, "scaling"), err);
    if (st != ND_OK) {
        nd_mlp_free(m);
        return NULL;
    }
    return m;
}
