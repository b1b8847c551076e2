/* The two-parameter result's storage, names and freeing. */
#include "codim2_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void nd_c2_options_default(nd_c2_options *o)
{
    memset(o, 0, sizeof *o);
    o->lpc_start = NAN;
}

static char *dup(const char *s)
{
    return strdup(s ? s : "");
}

nd_c2_result *nd_c2_create(const nd_model *m, const int par[2], const double lo[2],
                           const double hi[2])
{
    nd_c2_result *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->dim = nd_model_count(m, ND_MODEL_STATE);
    r->model = dup(nd_model_name(m));
    r->notes = dup("");
    r->names = calloc(r->dim ? r->dim : 1, sizeof *r->names);
    int ok = r->model && r->notes && r->names;
    for (int j = 0; j < 2; j++) {
        const nd_model_item *it = nd_model_item_at(m, ND_MODEL_PAR, (size_t)par[j]);
        r->par[j] = dup(it->name);
        r->unit[j] = dup(it->unit);
        r->lo[j] = lo[j];
        r->hi[j] = hi[j];
        ok = ok && r->par[j] && r->unit[j];
    }
    for (size_t i = 0; ok && i < r->dim; i++)
        ok = (r->names[i] = dup(nd_model_item_at(m, ND_MODEL_STATE, i)->name)) != NULL;
    if (!ok) {
        nd_c2_free(r);
        return NULL;
    }
    return r;
}

void nd_c2_note(nd_c2_result *r, const char *text)
{
    size_t a = strlen(r->notes), b = strlen(text);
    char *t = realloc(r->notes, a + b + 2);
    if (!t) return;
    memcpy(t + a, text, b);
    t[a + b] = '\n';
    t[a + b + 1] = 0;
    r->notes = t;
}

void nd_c2_free(nd_c2_result *r)
{
    if (!r) return;
    for (size_t c = 0; c < r->ncurves; c++) {
        nd_c2_curve *cv = &r->curves[c];
        free(cv->p1);
        free(cv->p2);
        free(cv->state);
        free(cv->omega);
        free(cv->l1);
        free(cv->a);
        free(cv->period);
        free(cv->n_unstable);
        free(cv->end);
    }
    free(r->curves);
    for (size_t i = 0; i < r->npoints; i++) free(r->points[i].state);
    free(r->points);
    for (size_t i = 0; r->names && i < r->dim; i++) free(r->names[i]);
    free(r->names);
    for (int j = 0; j < 2; j++) {
        free(r->par[j]);
        free(r->unit[j]);
    }
    free(r->model);
    free(r->notes);
    free(r);
}

const char *nd_c2_kind_name(nd_c2_kind k)
{
    static const char *const names[] = {"Bogdanov-Takens", "cusp", "Bautin", "zero-Hopf",
                                        "double Hopf"};
    return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}

const char *nd_c2_kind_tag(nd_c2_kind k)
{
    static const char *const tags[] = {"BT", "CP", "GH", "ZH", "HH"};
    return (unsigned)k < sizeof tags / sizeof *tags ? tags[k] : "?";
}

const char *nd_c2_curve_name(int kind)
{
    return kind == ND_C2_HOPF ? "hopf" : kind == ND_C2_LPC ? "lpc" : "fold";
}
