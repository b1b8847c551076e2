/* Coefficients → the recovered model: a base model with the fitted states' equations
   replaced, or a new model written in the model language. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sindy.h"

int nd_sindy_lib_is_one(const nd_sindy_lib *lib, size_t j)
{
    const nd_expr *e = nd_sindy_lib_expr(lib, j);
    return e && e->kind == ND_EXPR_NUMBER && e->num == 1;
}

static int uses_name(const nd_expr *e, const char *name)
{
    if (!e) return 0;
    if (e->kind == ND_EXPR_NAME && strcmp(e->str, name) == 0) return 1;
    if (uses_name(e->a, name) || uses_name(e->b, name)) return 1;
    for (size_t i = 0; i < e->nitems; i++)
        if (uses_name(e->items[i], name)) return 1;
    return 0;
}

int nd_sindy_lib_uses(const nd_sindy_lib *lib, size_t j, const char *name)
{
    return uses_name(nd_sindy_lib_expr(lib, j), name);
}

nd_expr *nd_sindy_rhs_expr(const nd_sindy_lib *lib, const double *coef, size_t m, size_t k)
{
    size_t p = nd_sindy_lib_size(lib);
    nd_expr *acc = NULL;
    for (size_t j = 0; j < p; j++) {
        double v = coef[j * m + k];
        if (v == 0) continue;
        nd_expr *num = nd_expr_new(ND_EXPR_NUMBER, 1, 1, 1), *node = num;
        if (!num) goto fail;
        /* Ten significant digits: exact enough, and the model's text stays readable. */
        char digits[32];
        snprintf(digits, sizeof digits, "%.10g", fabs(v));
        num->num = strtod(digits, NULL);
        if (!acc && v < 0) num->num = -num->num;   /* a leading minus on the literal */
        if (!nd_sindy_lib_is_one(lib, j)) {
            nd_expr *term = nd_expr_copy(nd_sindy_lib_expr(lib, j));
            node = nd_expr_new(ND_EXPR_BINARY, 1, 1, 1);
            if (!term || !node) {
                nd_expr_free(term), nd_expr_free(node), nd_expr_free(num);
                goto fail;
            }
            node->op = ND_OP_MUL;
            node->a = num;
            node->b = term;
        }
        if (!acc) {
            acc = node;
            continue;
        }
        nd_expr *top = nd_expr_new(ND_EXPR_BINARY, 1, 1, 1);
        if (!top) {
            nd_expr_free(node);
            goto fail;
        }
        top->op = v < 0 ? ND_OP_SUB : ND_OP_ADD;
        top->a = acc;
        top->b = node;
        acc = top;
    }
    if (!acc && (acc = nd_expr_new(ND_EXPR_NUMBER, 1, 1, 1))) acc->num = 0;
    return acc;
fail:
    nd_expr_free(acc);
    return NULL;
}

static int is_target(const nd_sindy_recovery *r, const char *name)
{
    for (size_t k = 0; k < r->m; k++)
        if (strcmp(r->targets[k], name) == 0) return 1;
    return 0;
}

static const char *optimizer_name(const nd_sindy_recovery *r)
{
    return r->optimizer == ND_SINDY_SR3 ? "SR3" : "STLSQ";
}

/* A new model of the targets, written in the model language. */
static nd_model *model_from_text(const nd_sindy_recovery *r, nd_sb *why, nd_error *err)
{
    size_t p = nd_sindy_lib_size(r->lib), m = r->m, nvars = nd_sindy_lib_nvars(r->lib);
    const double *c = r->coef;
    /* Every variable the equations use must be one of the states. */
    for (size_t j = 0; j < p; j++)
        for (size_t k = 0; k < m; k++) {
            if (c[j * m + k] == 0) continue;
            for (size_t i = 0; i < nvars; i++) {
                const char *var = nd_sindy_lib_var(r->lib, i);
                if (!is_target(r, var) && nd_sindy_lib_uses(r->lib, j, var)) {
                    nd_sb_printf(why, "the equations use %s, which is not a fitted variable "
                                 "(include it among the targets to get a model)", var);
                    return NULL;
                }
            }
        }
    nd_sb t;
    nd_sb_init(&t);
    nd_sb_printf(&t, "doc \"Recovered by sindy (%s, threshold %.4g) from %zu samples.\"\n",
                 optimizer_name(r), r->threshold, r->rows);
    for (size_t k = 0; k < m; k++) {
        nd_sb_printf(&t, "d%s/dt = ", r->targets[k]);
        int any = 0;
        for (size_t j = 0; j < p; j++) {
            double v = c[j * m + k];
            if (v == 0) continue;
            nd_sb_printf(&t, "%s%.10g", any ? (v < 0 ? " - " : " + ") : (v < 0 ? "-" : ""),
                         fabs(v));
            if (!nd_sindy_lib_is_one(r->lib, j))
                nd_sb_printf(&t, "*(%s)", nd_sindy_lib_text(r->lib, j));
            any = 1;
        }
        nd_sb_puts(&t, any ? "\n" : "0\n");
    }
    nd_sb_puts(&t, "init ");
    for (size_t k = 0; k < m; k++) {
        size_t i;
        for (i = 0; i < nvars && strcmp(nd_sindy_lib_var(r->lib, i), r->targets[k]) != 0; i++) {}
        nd_sb_printf(&t, "%s%s = %.10g", k ? ", " : "", r->targets[k],
                     i < nvars ? r->first[i] : 0.0);
    }
    nd_sb_putc(&t, '\n');
    nd_model *model = nd_model_parse(r->name, nd_sb_str(&t), strlen(nd_sb_str(&t)), 1, 1, err);
    nd_sb_free(&t);
    if (!model) nd_sb_printf(why, "%s", err ? err->msg : "out of memory");
    return model;
}

nd_model *nd_sindy_recovered_model(const nd_sindy_recovery *r, nd_sb *why, nd_error *err)
{
    if (!r->base) return model_from_text(r, why, err);
    nd_expr *ex[ND_SINDY_RECOVER_MAX];
    size_t n = 0;
    nd_model *model = NULL;
    if (r->m > ND_SINDY_RECOVER_MAX) {
        nd_sb_printf(why, "more than %d targets", ND_SINDY_RECOVER_MAX);
        return NULL;
    }
    for (; n < r->m; n++)
        if (!(ex[n] = nd_sindy_rhs_expr(r->lib, r->coef, r->m, n))) break;
    nd_sb doc;
    nd_sb_init(&doc);
    nd_sb_printf(&doc, "Recovered by sindy (%s, threshold %.4g, %zu samples): %s with ",
                 optimizer_name(r), r->threshold, r->rows, nd_model_name(r->base));
    for (size_t k = 0; k < r->m; k++)
        nd_sb_printf(&doc, "%s%s%s%s", k ? ", " : "", r->is_state[k] ? "d" : "", r->targets[k],
                     r->is_state[k] ? "/dt" : "");
    nd_sb_printf(&doc, " as recovered%s; the rest is %s as written.",
                 r->from_network ? " from the network" : " from the data",
                 nd_model_name(r->base));
    if (n == r->m)
        model = nd_model_redefine_named(r->base, r->name, nd_sb_str(&doc), r->targets,
                                        (const nd_expr *const *)ex, n, err);
    nd_sb_free(&doc);
    if (!model) nd_sb_printf(why, "%s", err && err->msg[0] ? err->msg : "out of memory");
    for (size_t i = 0; i < n; i++) nd_expr_free(ex[i]);
    return model;
}
