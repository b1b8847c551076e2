/* The optimizer state as JSON, saved with a network so that training resumes exactly
   where it stopped (jansson prints reals with 17 digits, so doubles round-trip). */
#include <math.h>
#include <string.h>

#include "optim_impl.h"

static json_t *vec_json(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_real(v[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* Copies the JSON array key of j (exactly n numbers) into v; -1 when it does not fit. */
static int vec_read(const json_t *j, const char *key, double *v, size_t n)
{
    const json_t *a = json_object_get(j, key);
    if (!json_is_array(a) || json_array_size(a) != n) return -1;
    for (size_t i = 0; i < n; i++) {
        const json_t *x = json_array_get(a, i);
        if (!json_is_number(x)) return -1;
        v[i] = json_number_value(x);
    }
    return 0;
}

json_t *nd_optim_to_json(const nd_optim *opt)
{
    const nd_optim_options *o = &opt->o;
    size_t n = opt->n, mn = (size_t)o->memory * n;
    int lb = opt->kind == ND_OPTIM_LBFGS;
    json_t *j = json_pack(
        "{s:s, s:I, s:{s:f, s:f, s:f, s:f, s:f, s:i, s:f, s:f, s:i, s:f, s:f},"
        " s:I, s:I, s:I, s:i, s:I, s:f, s:i, s:i}",
        "kind", nd_optim_kind_name(opt->kind), "n", (json_int_t)n,
        "options", "lr", o->lr, "beta1", o->beta1, "beta2", o->beta2, "eps", o->eps,
        "weight_decay", o->weight_decay, "memory", o->memory, "c1", o->c1, "c2", o->c2,
        "max_ls", o->max_ls, "gtol", o->gtol, "ftol", o->ftol,
        "iterations", (json_int_t)opt->iter, "evaluations", (json_int_t)opt->evals,
        "failures", (json_int_t)opt->failures, "stop", (int)opt->stop,
        "t", (json_int_t)opt->t, "lr_scale", opt->lr_scale,
        "mem_len", opt->mem_len, "mem_head", opt->mem_head);
    if (!j) return NULL;
    struct { const char *key; const double *v; size_t len; } vecs[] = {
        { "history", opt->hist, opt->hist_len },
        { "best", opt->best, opt->has_best ? n : 0 },
        { "best_grad", opt->best_g, opt->has_best ? n : 0 },
        { "m", opt->m, lb ? 0 : n }, { "v", opt->v, lb ? 0 : n },
        { "S", opt->S, lb ? mn : 0 }, { "Y", opt->Y, lb ? mn : 0 },
        { "rho", opt->rho, lb ? (size_t)o->memory : 0 },
    };
    int ok = !opt->has_best || json_object_set_new(j, "best_f", json_real(opt->best_f)) == 0;
    for (size_t i = 0; ok && i < sizeof vecs / sizeof *vecs; i++)
        ok = json_object_set_new(j, vecs[i].key, vec_json(vecs[i].v, vecs[i].len)) == 0;
    if (!ok) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static nd_optim *bad(nd_optim *opt, nd_error *err, const char *what)
{
    nd_optim_free(opt);
    nd_error_fail(err, ND_EVALUE, "bad optimizer state: %s", what);
    return NULL;
}

nd_optim *nd_optim_from_json(const json_t *j, nd_error *err)
{
    const char *kind_s = NULL;
    json_int_t n = 0, iter = 0, evals = 0, fails = 0, t = 0;
    int stop = 0, mem_len = 0, mem_head = 0;
    double lr_scale = 1;
    nd_optim_options o;
    json_error_t je;
    if (json_unpack_ex((json_t *)j, &je, 0,
            "{s:s, s:I, s:{s:F, s:F, s:F, s:F, s:F, s:i, s:F, s:F, s:i, s:F, s:F},"
            " s:I, s:I, s:I, s:i, s:I, s:F, s:i, s:i}",
            "kind", &kind_s, "n", &n,
            "options", "lr", &o.lr, "beta1", &o.beta1, "beta2", &o.beta2, "eps", &o.eps,
            "weight_decay", &o.weight_decay, "memory", &o.memory, "c1", &o.c1, "c2", &o.c2,
            "max_ls", &o.max_ls, "gtol", &o.gtol, "ftol", &o.ftol,
            "iterations", &iter, "evaluations", &evals, "failures", &fails, "stop", &stop,
            "t", &t, "lr_scale", &lr_scale, "mem_len", &mem_len, "mem_head", &mem_head) != 0)
        return bad(NULL, err, je.text);
    nd_optim_kind kind;
    if (!strcmp(kind_s, "adam")) kind = ND_OPTIM_ADAM;
    else if (!strcmp(kind_s, "adamw")) kind = ND_OPTIM_ADAMW;
    else if (!strcmp(kind_s, "lbfgs")) kind = ND_OPTIM_LBFGS;
    else return bad(NULL, err, "unknown kind");
    if (n <= 0) return bad(NULL, err, "n");
    if (nd_optim_check(kind, &o, err) != ND_OK) return NULL;
    int lbfgs = kind == ND_OPTIM_LBFGS;
    if (stop < ND_OPTIM_RUNNING || stop > ND_OPTIM_INTERRUPTED ||
        (lbfgs && (mem_len < 0 || mem_len > o.memory || mem_head < 0 || mem_head >= o.memory)))
        return bad(NULL, err, "counters");
    nd_optim *opt = nd_optim_create(kind, (size_t)n, &o);
    if (!opt) {
        nd_error_fail(err, ND_ENOMEM, "out of memory for the optimizer state");
        return NULL;
    }
    opt->iter = (long)iter, opt->evals = (long)evals, opt->failures = (long)fails;
    opt->stop = (nd_optim_stop)stop, opt->t = (long)t, opt->lr_scale = lr_scale;
    opt->mem_len = mem_len, opt->mem_head = mem_head;
    const json_t *h = json_object_get(j, "history");
    if (!json_is_array(h) || nd_optim_reserve_history(opt, (long)json_array_size(h)) != 0 ||
        vec_read(j, "history", opt->hist, json_array_size(h)) != 0)
        return bad(opt, err, "history");
    opt->hist_len = json_array_size(h);
    const json_t *bf = json_object_get(j, "best_f");
    opt->has_best = bf != NULL;
    if (bf && (!json_is_number(bf) || vec_read(j, "best", opt->best, opt->n) != 0 ||
               vec_read(j, "best_grad", opt->best_g, opt->n) != 0))
        return bad(opt, err, "best point");
    if (bf) opt->best_f = json_number_value(bf);
    size_t mn = (size_t)o.memory * opt->n;
    if (lbfgs ? vec_read(j, "S", opt->S, mn) || vec_read(j, "Y", opt->Y, mn) ||
                 vec_read(j, "rho", opt->rho, (size_t)o.memory)
           : vec_read(j, "m", opt->m, opt->n) || vec_read(j, "v", opt->v, opt->n))
        return bad(opt, err, "moments or memory");
    return opt;
}
