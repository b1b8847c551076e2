/* A list of numbers is treated like a vector everywhere here, so `[1, 2, 3] * 2` and
   `mean([1, 2])` work as they read. Results are always vectors. */
#include "vecops.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/reduce.h"
#include "../expr/treeval.h"

int nd_numview_of(const nd_value *v, nd_numview *view)
{
    *view = (nd_numview){NULL, 0, NULL};
    if (v->kind == ND_VAL_VECTOR) {
        view->x = v->as.vec.x;
        view->n = v->as.vec.n;
        return 1;
    }
    if (v->kind != ND_VAL_LIST) return 0;
    for (size_t i = 0; i < v->as.list.n; i++)
        if (v->as.list.items[i]->kind != ND_VAL_NUMBER) return 0;
    size_t n = v->as.list.n;
    if (!(view->owned = malloc((n ? n : 1) * sizeof *view->owned))) return -1;
    for (size_t i = 0; i < n; i++) view->owned[i] = v->as.list.items[i]->as.num;
    view->x = view->owned;
    view->n = n;
    return 1;
}

void nd_numview_free(nd_numview *view)
{
    free(view->owned);
    *view = (nd_numview){NULL, 0, NULL};
}

int nd_vec_like(const nd_value *v)
{
    if (v->kind == ND_VAL_VECTOR) return 1;
    if (v->kind != ND_VAL_LIST || v->as.list.n == 0) return 0;
    for (size_t i = 0; i < v->as.list.n; i++)
        if (v->as.list.items[i]->kind != ND_VAL_NUMBER) return 0;
    return 1;
}

static nd_status oom(char *msg, size_t cap)
{
    snprintf(msg, cap, "out of memory");
    return ND_ENOMEM;
}

/* One operand of an element-wise operation: a number broadcast, or n numbers. */
typedef struct operand {
    nd_numview view;
    double scalar;
    int is_scalar;
} operand;

static int take(const nd_value *v, operand *o)
{
    o->is_scalar = v->kind == ND_VAL_NUMBER;
    o->scalar = o->is_scalar ? v->as.num : 0;
    o->view = (nd_numview){NULL, 0, NULL};
    return o->is_scalar ? 1 : nd_numview_of(v, &o->view);
}

static double at(const operand *o, size_t i)
{
    return o->is_scalar ? o->scalar : o->view.x[i];
}

/* Reads the operands, checks they agree in length and makes the result vector. */
static nd_status prepare(const nd_value *const *args, size_t n, operand *ops, size_t *len,
                         nd_value **out, char *msg, size_t cap)
{
    nd_status st = ND_OK;
    size_t k = 0;
    int have = 0;
    *len = 0;
    for (; k < n; k++) {
        int r = take(args[k], &ops[k]);
        if (r < 0) {
            st = oom(msg, cap);
            break;
        }
        if (r == 0) {
            snprintf(msg, cap, "element-wise arithmetic takes numbers, vectors and lists of "
                               "numbers, not %s", nd_value_a_type(args[k], (char[64]){0}, 64));
            st = ND_ETYPE;
            break;
        }
        if (ops[k].is_scalar) continue;
        if (have && ops[k].view.n != *len) {
            snprintf(msg, cap, "element-wise arithmetic needs equal lengths: %zu and %zu "
                               "numbers", *len, ops[k].view.n);
            st = ND_EVALUE;
            k++;
            break;
        }
        have = 1;
        *len = ops[k].view.n;
    }
    if (st == ND_OK && !(*out = nd_value_vector_alloc(*len))) st = oom(msg, cap);
    if (st != ND_OK)
        while (k-- > 0) nd_numview_free(&ops[k].view);
    return st;
}

static void release(operand *ops, size_t n)
{
    for (size_t k = 0; k < n; k++) nd_numview_free(&ops[k].view);
}

nd_status nd_vec_binop(nd_binop op, const nd_value *a, const nd_value *b, nd_value **out,
                       char *msg, size_t cap)
{
    const nd_value *args[2] = {a, b};
    operand ops[2];
    size_t n;
    nd_status st = prepare(args, 2, ops, &n, out, msg, cap);
    if (st != ND_OK) return st;
    double *x = (*out)->as.vec.x;
    for (size_t i = 0; i < n; i++) x[i] = nd_num_binop(op, at(&ops[0], i), at(&ops[1], i));
    release(ops, 2);
    return ND_OK;
}

nd_status nd_vec_neg(const nd_value *v, nd_value **out, char *msg, size_t cap)
{
    operand o;
    size_t n;
    nd_status st = prepare(&v, 1, &o, &n, out, msg, cap);
    if (st != ND_OK) return st;
    for (size_t i = 0; i < n; i++) (*out)->as.vec.x[i] = -at(&o, i);
    release(&o, 1);
    return ND_OK;
}

nd_status nd_vec_map(double (*f)(const double *, int), const nd_value *const *args, size_t n,
                     nd_value **out, char *msg, size_t cap)
{
    operand stack[4], *ops = n <= 4 ? stack : malloc(n * sizeof *ops);
    double astack[4], *a = n <= 4 ? astack : malloc(n * sizeof *a);
    size_t len;
    nd_status st = ops && a ? prepare(args, n, ops, &len, out, msg, cap) : oom(msg, cap);
    if (st == ND_OK) {
        for (size_t i = 0; i < len; i++) {
            for (size_t k = 0; k < n; k++) a[k] = at(&ops[k], i);
            (*out)->as.vec.x[i] = f(a, (int)n);
        }
        release(ops, n);
    }
    if (ops != stack) free(ops);
    if (a != astack) free(a);
    return st;
}

/* ---- reductions ---- */

static const struct { const char *name, *doc; } reductions[] = {
    {"len", "how many items a list, or numbers a vector, has"},
    {"max", "the largest number of a vector or list (nan if any is nan); "
            "max(a, b, …) of numbers"},
    {"mean", "the arithmetic mean of a vector or list of numbers"},
    {"min", "the smallest number of a vector or list (nan if any is nan); "
            "min(a, b, …) of numbers"},
    {"std", "the sample standard deviation, sqrt(sum((x - mean)^2) / (n - 1))"},
    {"sum", "the sum of a vector or list of numbers (0 when empty)"},
};

enum { NREDUCTIONS = sizeof reductions / sizeof reductions[0] };

const char *nd_reduce_name(size_t i)
{
    return i < NREDUCTIONS ? reductions[i].name : NULL;
}

const char *nd_reduce_doc(const char *name)
{
    for (size_t i = 0; i < NREDUCTIONS; i++)
        if (strcmp(reductions[i].name, name) == 0) return reductions[i].doc;
    return NULL;
}

int nd_reduce_applies(const char *name, size_t n)
{
    if (!nd_reduce_doc(name)) return 0;
    if (strcmp(name, "min") == 0 || strcmp(name, "max") == 0) return n == 1;
    return 1;
}

static nd_status number(double x, nd_value **out, char *msg, size_t cap)
{
    *out = nd_value_number(x);
    return *out ? ND_OK : oom(msg, cap);
}

nd_status nd_reduce(const char *name, const nd_value *v, nd_value **out, char *msg, size_t cap)
{
    *out = NULL;
    if (strcmp(name, "len") == 0 && v->kind == ND_VAL_LIST)
        return number((double)v->as.list.n, out, msg, cap);
    nd_numview view;
    int r = nd_numview_of(v, &view);
    if (r < 0) return oom(msg, cap);
    if (r == 0) {
        char t[64];
        snprintf(msg, cap, "%s() takes a vector or a list of numbers, not %s", name,
                 nd_value_a_type(v, t, sizeof t));
        return ND_ETYPE;
    }
    static const struct { const char *name; nd_reduce_op op; } ops[] = {
        {"sum", ND_REDUCE_SUM}, {"mean", ND_REDUCE_MEAN}, {"std", ND_REDUCE_STD},
        {"min", ND_REDUCE_MIN}, {"max", ND_REDUCE_MAX}};
    size_t n = view.n;
    double acc = (double)n;   /* len */
    nd_status st = ND_OK;
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        if (strcmp(name, ops[k].name) != 0) continue;
        if (n < nd_reduce_min_count(ops[k].op)) {
            snprintf(msg, cap, "%s() needs at least %s number%s, got %zu", name,
                     n ? "two" : "one", n ? "s" : "", n);
            st = ND_EVALUE;
        } else {
            acc = nd_reduce_numbers(ops[k].op, view.x, n);
        }
    }
    nd_numview_free(&view);
    return st == ND_OK ? number(acc, out, msg, cap) : st;
}

/* ---- indexing ---- */

nd_status nd_value_index(const nd_value *v, double i, nd_value **out, char *msg, size_t cap)
{
    char t[64];
    *out = NULL;
    size_t n;
    if (v->kind == ND_VAL_VECTOR) n = v->as.vec.n;
    else if (v->kind == ND_VAL_LIST) n = v->as.list.n;
    else {
        snprintf(msg, cap, "cannot index %s (vectors and lists can be indexed; a dataset's "
                           "column first: sim.V[1])", nd_value_a_type(v, t, sizeof t));
        return ND_ETYPE;
    }
    if (!(i == floor(i)) || fabs(i) > 9007199254740992.0) {
        snprintf(msg, cap, "an index must be a whole number, not %g", i);
        return ND_EVALUE;
    }
    if (i == 0 || fabs(i) > (double)n) {
        snprintf(msg, cap, "index %.0f is out of range for %s of %zu %s (indices run from "
                           "1 to %zu, or from -1 backwards)%s", i, nd_value_a_type(v, t, sizeof t),
                 n, v->kind == ND_VAL_VECTOR ? "numbers" : "items", n,
                 i == 0 ? "; the first item is [1]" : "");
        return ND_EVALUE;
    }
    size_t k = i > 0 ? (size_t)i - 1 : n - (size_t)(-i);
    *out = v->kind == ND_VAL_VECTOR ? nd_value_number(v->as.vec.x[k])
                                    : nd_value_ref(v->as.list.items[k]);
    return *out ? ND_OK : oom(msg, cap);
}
