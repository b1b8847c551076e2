/* The bifurcation result's storage: growable branch arrays, special points, cycle
   branches, and freeing. Kept apart from the numerics so the cycle code can fill results
   without pulling in the continuation. */
#include "continuation.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void nd_cont_options_default(nd_cont_options *o)
{
    memset(o, 0, sizeof *o);
}

static void branch_free(nd_eq_branch *b)
{
    free(b->param);
    free(b->state);
    free(b->n_unstable);
    free(b->lead_re);
    free(b->lead_im);
}

static void cycle_free(nd_cycle_branch *c)
{
    free(c->param);
    free(c->period);
    free(c->xmin);
    free(c->xmax);
    free(c->stable);
    free(c->mult_max);
}

void nd_bif_free(nd_bif_result *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->dim; i++) {
        if (r->names) free(r->names[i]);
        if (r->units) free(r->units[i]);
    }
    free(r->names);
    free(r->units);
    for (size_t i = 0; i < r->nbranches; i++) branch_free(&r->branches[i]);
    free(r->branches);
    for (size_t i = 0; i < r->npoints; i++) free(r->points[i].state);
    free(r->points);
    for (size_t i = 0; i < r->ncycles; i++) cycle_free(&r->cycles[i]);
    free(r->cycles);
    free(r->model);
    free(r->param);
    free(r->param_unit);
    free(r->notes);
    free(r);
}

const char *nd_bif_kind_name(nd_bif_kind kind)
{
    static const char *const names[] = {"fold",  "hopf",       "cycle fold", "period doubling",
                                        "torus", "homoclinic", "snic"};
    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}

const char *nd_bif_criticality(const nd_bif_point *pt)
{
    if (pt->kind != ND_BIF_HOPF || !isfinite(pt->l1)) return "";
    return pt->l1 > 0 ? "subcritical" : "supercritical";
}

/* Grows *a (elements of size sz) to hold cap items; 0 or -1. */
static int grow(void *a, size_t cap, size_t sz)
{
    void *t = realloc(*(void **)a, cap * sz);
    if (!t) return -1;
    *(void **)a = t;
    return 0;
}

int nd_eq_branch_push(nd_eq_branch *b, size_t dim, double param, const double *state,
                      int n_unstable, double lead_re, double lead_im)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        if (grow(&b->param, cap, sizeof(double)) || grow(&b->state, cap * dim, sizeof(double)) ||
            grow(&b->n_unstable, cap, sizeof(int)) || grow(&b->lead_re, cap, sizeof(double)) ||
            grow(&b->lead_im, cap, sizeof(double)))
            return -1;
        b->cap = cap;
    }
    b->param[b->n] = param;
    memcpy(b->state + b->n * dim, state, dim * sizeof *state);
    b->n_unstable[b->n] = n_unstable;
    b->lead_re[b->n] = lead_re;
    b->lead_im[b->n] = lead_im;
    b->n++;
    return 0;
}

nd_eq_branch *nd_bif_add_branch(nd_bif_result *r)
{
    if (grow(&r->branches, r->nbranches + 1, sizeof *r->branches)) return NULL;
    nd_eq_branch *b = &r->branches[r->nbranches++];
    memset(b, 0, sizeof *b);
    return b;
}

nd_cycle_branch *nd_bif_add_cycle_branch(nd_bif_result *r, size_t from_point)
{
    if (grow(&r->cycles, r->ncycles + 1, sizeof *r->cycles)) return NULL;
    nd_cycle_branch *c = &r->cycles[r->ncycles++];
    memset(c, 0, sizeof *c);
    c->from_point = from_point;
    c->param_start = NAN;
    return c;
}

int nd_cycle_branch_push(nd_cycle_branch *c, size_t dim, double param, double period,
                         const double *xmin, const double *xmax, int stable, double mult_max)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        if (grow(&c->param, cap, sizeof(double)) || grow(&c->period, cap, sizeof(double)) ||
            grow(&c->xmin, cap * dim, sizeof(double)) || grow(&c->xmax, cap * dim, sizeof(double)) ||
            grow(&c->stable, cap, sizeof(int)) || grow(&c->mult_max, cap, sizeof(double)))
            return -1;
        c->cap = cap;
    }
    c->param[c->n] = param;
    c->period[c->n] = period;
    memcpy(c->xmin + c->n * dim, xmin, dim * sizeof *xmin);
    memcpy(c->xmax + c->n * dim, xmax, dim * sizeof *xmax);
    c->stable[c->n] = stable;
    c->mult_max[c->n] = mult_max;
    c->n++;
    return 0;
}

int nd_bif_add_point(nd_bif_result *r, const nd_bif_point *pt, const double *state)
{
    double *s = malloc((r->dim ? r->dim : 1) * sizeof *s);
    if (!s || grow(&r->points, r->npoints + 1, sizeof *r->points)) {
        free(s);
        return -1;
    }
    memcpy(s, state, r->dim * sizeof *s);
    r->points[r->npoints] = *pt;
    r->points[r->npoints++].state = s;
    return 0;
}

static char *dup(const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s ? s : "", n);
    return d;
}

nd_bif_result *nd_bif_create(const nd_model *m, int par, double lo, double hi)
{
    nd_bif_result *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    const nd_model_item *pi = nd_model_item_at(m, ND_MODEL_PAR, (size_t)par);
    r->par_index = par;
    r->lo = lo;
    r->hi = hi;
    r->model = dup(nd_model_name(m));
    r->param = dup(pi ? pi->name : "?");
    r->param_unit = dup(pi ? pi->unit : "");
    r->notes = dup("");
    r->names = calloc(n ? n : 1, sizeof *r->names);
    r->units = calloc(n ? n : 1, sizeof *r->units);
    if (!r->model || !r->param || !r->param_unit || !r->notes || !r->names || !r->units) {
        nd_bif_free(r);
        return NULL;
    }
    r->dim = n;
    for (size_t i = 0; i < n; i++) {
        const nd_model_item *it = nd_model_item_at(m, ND_MODEL_STATE, i);
        r->names[i] = dup(it->name);
        r->units[i] = dup(it->unit);
        if (!r->names[i] || !r->units[i]) {
            nd_bif_free(r);
            return NULL;
        }
    }
    return r;
}

void nd_bif_note(nd_bif_result *r, const char *text)
{
    size_t a = strlen(r->notes), b = strlen(text);
    char *s = realloc(r->notes, a + b + 2);
    if (!s) return;   /* a note lost to a full memory is not worth failing the result for */
    memcpy(s + a, text, b);
    s[a + b] = '\n';
    s[a + b + 1] = 0;
    r->notes = s;
}
