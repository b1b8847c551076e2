/* Units of terms, derived: only like quantities can be added or compared, so a term that
   is added to (or compared with) something of known unit has that unit. In hh,
   dV/dt = (I - INa - IK - IL)/C with I in uA/cm^2 gives INa, IK and IL in uA/cm^2. A term
   defined as a sum takes the unit of its summands in the same way, and gives its own to
   them (Itot = Ia + Ib). Numbers adapt to the
   unit around them (2*INa has INa's unit; 0.89 - 1.1*n has n's), dimensionless factors
   keep the other factor's unit, and nothing else is derived: a product of units is not
   simplified, so gNa*m^3*h*(V - ENa) alone says nothing. Units stay what they are
   everywhere: shown, never checked or converted. */
#include <stdlib.h>
#include <string.h>

#include "model_impl.h"

/* The unit of a name, or NULL when it has none (yet). */
static const char *name_unit(const md_def *def, const char *name)
{
    if (strcmp(name, "t") == 0) return def->time_unit;
    nd_model_kind kind;
    md_item *it = md_lookup(def, name, &kind);
    if (!it || kind == ND_MODEL_FN) return NULL;
    return it->unit && *it->unit ? it->unit : NULL;
}

static int is_dimensionless(const char *unit)
{
    return unit && strcmp(unit, "1") == 0;
}

/* A plain number: 2, or -2 (which may parse as a negation). */
static int is_number(const nd_expr *e)
{
    return e->kind == ND_EXPR_NUMBER || (e->kind == ND_EXPR_NEG && is_number(e->a));
}

static int is_additive(nd_binop op)
{
    return op == ND_OP_ADD || op == ND_OP_SUB || (op >= ND_OP_LT && op <= ND_OP_NE);
}

/* The unit of e as far as the rules above tell, or NULL. */
static const char *unit_of(const md_def *def, const nd_expr *e)
{
    switch (e->kind) {
    case ND_EXPR_NAME: return name_unit(def, e->str);
    case ND_EXPR_NEG: return unit_of(def, e->a);
    case ND_EXPR_CALL:
        /* abs, min and max keep the unit of their arguments */
        if (e->nitems && (strcmp(e->str, "abs") == 0 || strcmp(e->str, "min") == 0 ||
                          strcmp(e->str, "max") == 0)) {
            for (size_t i = 0; i < e->nitems; i++) {
                const char *u = unit_of(def, e->items[i]);
                if (u) return u;
            }
        }
        return NULL;
    case ND_EXPR_BINARY: {
        if (is_additive(e->op)) {
            if (e->op != ND_OP_ADD && e->op != ND_OP_SUB) return NULL;   /* a truth value */
            const char *u = unit_of(def, e->a);
            return u ? u : unit_of(def, e->b);
        }
        int a_num = is_number(e->a), b_num = is_number(e->b);
        if (e->op == ND_OP_MUL) {
            const char *ua = a_num ? NULL : unit_of(def, e->a);
            const char *ub = b_num ? NULL : unit_of(def, e->b);
            if (a_num || is_dimensionless(ua)) return ub;
            if (b_num || is_dimensionless(ub)) return ua;
            return NULL;
        }
        if (e->op == ND_OP_DIV && (b_num || is_dimensionless(unit_of(def, e->b))))
            return unit_of(def, e->a);
        return NULL;
    }
    default: return NULL;
    }
}

/* Gives unit to the term e stands for (a term, its negation, or a multiple of it by
   numbers) when that term has none; 1 when a unit was given, -1 on ENOMEM. */
static int give(md_def *def, const nd_expr *e, const char *unit)
{
    switch (e->kind) {
    case ND_EXPR_NEG: return give(def, e->a, unit);
    case ND_EXPR_BINARY:
        if (e->op == ND_OP_MUL && is_number(e->a)) return give(def, e->b, unit);
        if ((e->op == ND_OP_MUL || e->op == ND_OP_DIV) && is_number(e->b))
            return give(def, e->a, unit);
        return 0;
    case ND_EXPR_NAME: {
        nd_model_kind kind;
        md_item *it = md_lookup(def, e->str, &kind);
        if (!it || kind != ND_MODEL_TERM || (it->unit && *it->unit)) return 0;
        char *copy = strdup(unit);
        if (!copy) return -1;
        free(it->unit);
        it->unit = copy;
        return 1;
    }
    default: return 0;
    }
}

/* Gives unit to every summand of the sum e that stands for a term (a term defined as a
   sum passes its unit on to its summands); the number given, or -1 on ENOMEM. */
static int give_summands(md_def *def, const nd_expr *e, const char *unit)
{
    if (e->kind == ND_EXPR_BINARY && (e->op == ND_OP_ADD || e->op == ND_OP_SUB)) {
        int a = give_summands(def, e->a, unit), b = a < 0 ? -1 : give_summands(def, e->b, unit);
        return b < 0 ? -1 : a + b;
    }
    return give(def, e, unit);
}

/* Gives the terms added together (or compared) anywhere in e the unit of their sum;
   the number of units given, or -1 on ENOMEM. */
static int spread(md_def *def, const nd_expr *e)
{
    if (!e) return 0;
    int n = 0, k;
    if (e->kind == ND_EXPR_BINARY && is_additive(e->op)) {
        const char *u = unit_of(def, e->a);
        if (!u) u = unit_of(def, e->b);
        if (u) {
            /* unit may belong to a term given it just now: copy before giving more */
            char *copy = strdup(u);
            if (!copy) return -1;
            int ka = give(def, e->a, copy), kb = give(def, e->b, copy);
            free(copy);
            if (ka < 0 || kb < 0) return -1;
            n += ka + kb;
        }
    }
    if ((k = spread(def, e->a)) < 0) return -1;
    n += k;
    if ((k = spread(def, e->b)) < 0) return -1;
    n += k;
    for (size_t i = 0; i < e->nitems; i++) {
        if ((k = spread(def, e->items[i])) < 0) return -1;
        n += k;
    }
    return n;
}

/* One pass over every definition; the number of units given, or -1 on ENOMEM. */
static int pass(md_def *def)
{
    int n = 0, k;
    for (int kind = ND_MODEL_STATE; kind <= ND_MODEL_TERM; kind++) {
        md_list *l = &def->list[kind];
        for (size_t i = 0; i < l->count; i++) {
            md_item *it = &l->items[i];
            if (!it->expr) continue;
            if (kind == ND_MODEL_TERM && !(it->unit && *it->unit)) {
                const char *u = unit_of(def, it->expr);
                char *copy = u ? strdup(u) : NULL;
                if (u && !copy) return -1;
                if (copy) {
                    free(it->unit);
                    it->unit = copy;
                    n++;
                }
            }
            if (kind == ND_MODEL_TERM && it->unit && *it->unit) {
                if ((k = give_summands(def, it->expr, it->unit)) < 0) return -1;
                n += k;
            }
            if ((k = spread(def, it->expr)) < 0) return -1;
            n += k;
        }
    }
    for (size_t w = 0; w < def->nwhens; w++) {
        if ((k = spread(def, def->whens[w].cond)) < 0) return -1;
        n += k;
    }
    return n;
}

nd_status md_infer_units(md_def *def, nd_error *err)
{
    /* each productive pass names at least one more term, so this ends */
    for (size_t i = 0; i <= def->list[ND_MODEL_TERM].count; i++) {
        int n = pass(def);
        if (n < 0) return nd_error_fail(err, ND_ENOMEM, "out of memory");
        if (n == 0) break;
    }
    return ND_OK;
}
