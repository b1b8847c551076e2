/* The SINDy library: candidate terms kept as written (for the equations shown to the
   user) and as evaluated (a model's functions and parameter values inlined), compiled
   together into one program over the variables the first time the library is evaluated. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../expr/compile.h"
#include "sindy.h"

typedef struct term {
    nd_expr *expr;        /* as written */
    nd_expr *eval;        /* what is evaluated: functions and parameters inlined */
    int *expo;            /* a monomial's exponent per variable, or NULL */
    char *text, *latex;
} term;

struct nd_sindy_lib {
    char **vars;
    int *input;           /* input[i]: variable i is an input (a stimulus), not a state */
    size_t nvars;
    term *terms;
    size_t n, cap;
    nd_code *code;        /* compiled on first evaluation; dropped when terms are added */
};

static void term_free(term *t)
{
    nd_expr_free(t->expr);
    nd_expr_free(t->eval);
    free(t->expo), free(t->text), free(t->latex);
}

void nd_sindy_lib_free(nd_sindy_lib *lib)
{
    if (!lib) return;
    for (size_t i = 0; i < lib->nvars; i++) free(lib->vars[i]);
    free(lib->vars);
    free(lib->input);
    for (size_t j = 0; j < lib->n; j++) term_free(&lib->terms[j]);
    free(lib->terms);
    nd_code_free(lib->code);
    free(lib);
}

nd_sindy_lib *nd_sindy_lib_create(const char *const *vars, size_t nvars)
{
    nd_sindy_lib *lib = calloc(1, sizeof *lib);
    if (!lib || !(lib->vars = calloc(nvars ? nvars : 1, sizeof *lib->vars)) ||
        !(lib->input = calloc(nvars ? nvars : 1, sizeof *lib->input))) {
        if (lib) free(lib->vars);
        free(lib);
        return NULL;
    }
    for (size_t i = 0; i < nvars; i++)
        if (!(lib->vars[lib->nvars++] = strdup(vars[i]))) {
            nd_sindy_lib_free(lib);
            return NULL;
        }
    return lib;
}

size_t nd_sindy_lib_size(const nd_sindy_lib *lib) { return lib->n; }
const char *nd_sindy_lib_text(const nd_sindy_lib *lib, size_t j) { return lib->terms[j].text; }
const char *nd_sindy_lib_latex(const nd_sindy_lib *lib, size_t j) { return lib->terms[j].latex; }
const nd_expr *nd_sindy_lib_expr(const nd_sindy_lib *lib, size_t j) { return lib->terms[j].expr; }
size_t nd_sindy_lib_nvars(const nd_sindy_lib *lib) { return lib->nvars; }
const char *nd_sindy_lib_var(const nd_sindy_lib *lib, size_t i) { return lib->vars[i]; }

static int var_index(const nd_sindy_lib *lib, const char *name)
{
    for (size_t i = 0; i < lib->nvars; i++)
        if (strcmp(lib->vars[i], name) == 0) return (int)i;
    return -1;
}

int nd_sindy_lib_set_input(nd_sindy_lib *lib, const char *name)
{
    int i = var_index(lib, name);
    if (i >= 0) lib->input[i] = 1;
    return i >= 0 ? 0 : -1;
}

static int resolve(void *ctx, const char *name) { return var_index(ctx, name); }

static int has_text(const nd_sindy_lib *lib, const char *text)
{
    for (size_t j = 0; j < lib->n; j++)
        if (strcmp(lib->terms[j].text, text) == 0) return 1;
    return 0;
}

static int grow(nd_sindy_lib *lib)
{
    if (lib->n < lib->cap) return 0;
    size_t cap = lib->cap ? 2 * lib->cap : 16;
    term *t = realloc(lib->terms, cap * sizeof *t);
    if (!t) return -1;
    lib->terms = t;
    lib->cap = cap;
    return 0;
}

/* Adds a term (taking expr, eval and expo) unless one with the same text exists; 1 when
   skipped as a duplicate, 0 when added, -1 on ENOMEM (everything freed). */
static int push(nd_sindy_lib *lib, nd_expr *expr, nd_expr *eval, int *expo)
{
    nd_sb text, latex;
    nd_sb_init(&text);
    nd_sb_init(&latex);
    nd_expr_text(expr, &text);
    nd_expr_latex(expr, &latex);
    int rc = -1, ok = !text.oom && !latex.oom && text.data && latex.data;
    if (ok && has_text(lib, text.data)) rc = 1;
    else if (ok && grow(lib) == 0) {
        lib->terms[lib->n++] = (term){expr, eval, expo, nd_sb_take(&text), nd_sb_take(&latex)};
        nd_code_free(lib->code);
        lib->code = NULL;
        return 0;
    }
    nd_sb_free(&text);
    nd_sb_free(&latex);
    nd_expr_free(expr);
    nd_expr_free(eval);
    free(expo);
    return rc;
}

static nd_expr *num(double v)
{
    nd_expr *e = nd_expr_new(ND_EXPR_NUMBER, 0, 0, 1);
    if (e) e->num = v;
    return e;
}

static nd_expr *name(const char *s)
{
    nd_expr *e = nd_expr_new(ND_EXPR_NAME, 0, 0, 1);
    if (e && !(e->str = strdup(s))) {
        nd_expr_free(e);
        return NULL;
    }
    return e;
}

static nd_expr *binary(nd_binop op, nd_expr *a, nd_expr *b)
{
    nd_expr *e = a && b ? nd_expr_new(ND_EXPR_BINARY, 0, 0, 1) : NULL;
    if (!e) {
        nd_expr_free(a), nd_expr_free(b);
        return NULL;
    }
    e->op = op, e->a = a, e->b = b;
    return e;
}

/* The monomial Π var_i^expo_i as a tree ("1" for all zeros). */
static nd_expr *monomial(const nd_sindy_lib *lib, const int *expo)
{
    nd_expr *e = NULL;
    for (size_t i = 0; i < lib->nvars; i++) {
        if (!expo[i]) continue;
        nd_expr *f = name(lib->vars[i]);
        if (expo[i] > 1) f = binary(ND_OP_POW, f, num(expo[i]));
        e = e ? binary(ND_OP_MUL, e, f) : f;
        if (!e) return NULL;
    }
    return e ? e : num(1);
}

static nd_status add_monomial(nd_sindy_lib *lib, const int *expo, nd_error *err)
{
    int *copy = malloc(lib->nvars * sizeof *copy);
    nd_expr *e = copy ? monomial(lib, expo) : NULL, *ev = e ? nd_expr_copy(e) : NULL;
    if (!ev) {
        free(copy), nd_expr_free(e);
        return nd_error_fail(err, ND_ENOMEM, "out of memory for the library");
    }
    memcpy(copy, expo, lib->nvars * sizeof *copy);
    return push(lib, e, ev, copy) < 0 ? nd_error_fail(err, ND_ENOMEM, "out of memory") : ND_OK;
}

/* Every exponent vector over the chosen variables with total exactly deg, in graded
   lexicographic order (earlier variables first). */
static nd_status monomials(nd_sindy_lib *lib, const int *chosen, int *expo, size_t i, int left,
                           nd_error *err)
{
    if (i == lib->nvars) return left == 0 ? add_monomial(lib, expo, err) : ND_OK;
    if (!chosen[i]) return monomials(lib, chosen, expo, i + 1, left, err);
    for (int k = left; k >= 0; k--) {
        expo[i] = k;
        nd_status st = monomials(lib, chosen, expo, i + 1, left - k, err);
        expo[i] = 0;
        if (st) return st;
    }
    return ND_OK;
}

nd_status nd_sindy_lib_add_poly(nd_sindy_lib *lib, int degree, const char *const *vars,
                                size_t n, nd_error *err)
{
    if (degree < 0 || degree > 10)
        return nd_error_fail(err, ND_EVALUE, "a polynomial library's degree must be 0 to 10, "
                             "not %d", degree);
    int *chosen = calloc(lib->nvars ? lib->nvars : 1, sizeof *chosen);
    int *expo = calloc(lib->nvars ? lib->nvars : 1, sizeof *expo);
    nd_status st = chosen && expo ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t i = 0; !st && i < (vars ? n : lib->nvars); i++) {
        int k = vars ? var_index(lib, vars[i]) : (int)i;
        if (k < 0) st = nd_error_fail(err, ND_ENAME, "'%s' is not a variable of the data", vars[i]);
        else chosen[k] = vars || !lib->input[k];   /* inputs only when named */
    }
    for (int d = 0; !st && d <= degree; d++) st = monomials(lib, chosen, expo, 0, d, err);
    free(chosen), free(expo);
    return st;
}

/* Replaces every parameter of m (that is not one of the variables) by its value. */
static nd_expr *with_parameters(const nd_sindy_lib *lib, const nd_expr *e, const nd_model *m)
{
    size_t np = nd_model_count(m, ND_MODEL_PAR), k = 0;
    const char **names = calloc(np ? np : 1, sizeof *names);
    nd_expr **vals = calloc(np ? np : 1, sizeof *vals);
    nd_expr *out = NULL;
    if (names && vals) {
        int ok = 1;
        for (size_t i = 0; i < np && ok; i++) {
            const char *pn = nd_model_item_at(m, ND_MODEL_PAR, i)->name;
            if (var_index(lib, pn) >= 0) continue;
            names[k] = pn;
            ok = (vals[k++] = num(nd_model_pars(m)[i])) != NULL;
        }
        if (ok) out = nd_expr_subst(e, names, (const nd_expr *const *)vals, k);
    }
    for (size_t i = 0; vals && i < k; i++) nd_expr_free(vals[i]);
    free(names), free(vals);
    return out;
}

nd_status nd_sindy_lib_add_expr(nd_sindy_lib *lib, const nd_expr *e, const nd_model *m,
                                nd_error *err)
{
    nd_expr *written = nd_expr_copy(e), *ev = NULL;
    if (!written) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (m) {
        nd_expr *inl = nd_model_inline(m, e, NULL, 0, err);
        if (!inl) {
            nd_expr_free(written);
            return err->code ? err->code : ND_ENOMEM;
        }
        ev = with_parameters(lib, inl, m);
        nd_expr_free(inl);
    } else {
        ev = nd_expr_copy(e);
    }
    if (!ev) {
        nd_expr_free(written);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    /* Compiling alone checks the names and arity now, located in e. */
    nd_code *probe = nd_code_compile((const nd_expr *const *)&ev, 1, resolve, lib, err);
    if (!probe) {
        nd_expr_free(written), nd_expr_free(ev);
        return err->code;
    }
    nd_code_free(probe);
    int rc = push(lib, written, ev, NULL);
    if (rc < 0) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (rc > 0)
        return nd_error_set(err, ND_EVALUE, e->line, e->col, e->span,
                            "this term is already in the library");
    return ND_OK;
}

static int is_one(const term *t)
{
    return t->expr->kind == ND_EXPR_NUMBER && t->expr->num == 1;
}

nd_status nd_sindy_lib_add_product(nd_sindy_lib *lib, const nd_sindy_lib *a,
                                   const nd_sindy_lib *b, nd_error *err)
{
    int same = a->nvars == lib->nvars && b->nvars == lib->nvars;
    for (size_t i = 0; same && i < lib->nvars; i++)
        same = !strcmp(a->vars[i], lib->vars[i]) && !strcmp(b->vars[i], lib->vars[i]);
    if (!same)
        return nd_error_fail(err, ND_EVALUE, "a product of libraries needs both over the "
                             "same variables");
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++) {
            const term *x = &a->terms[i], *y = &b->terms[j];
            if (x->expo && y->expo) {   /* monomials multiply into a monomial */
                int *expo = malloc(lib->nvars * sizeof *expo);
                if (!expo) return nd_error_fail(err, ND_ENOMEM, "out of memory");
                for (size_t k = 0; k < lib->nvars; k++) expo[k] = x->expo[k] + y->expo[k];
                nd_status st = add_monomial(lib, expo, err);
                free(expo);
                if (st) return st;
                continue;
            }
            const term *keep = is_one(x) ? y : is_one(y) ? x : NULL;
            nd_expr *e = keep ? nd_expr_copy(keep->expr)
                              : binary(ND_OP_MUL, nd_expr_copy(x->expr), nd_expr_copy(y->expr));
            nd_expr *ev = keep ? nd_expr_copy(keep->eval)
                               : binary(ND_OP_MUL, nd_expr_copy(x->eval), nd_expr_copy(y->eval));
            if (!e || !ev) {
                nd_expr_free(e), nd_expr_free(ev);
                return nd_error_fail(err, ND_ENOMEM, "out of memory");
            }
            if (push(lib, e, ev, NULL) < 0) return nd_error_fail(err, ND_ENOMEM, "out of memory");
        }
    return ND_OK;
}

nd_status nd_sindy_lib_eval(const nd_sindy_lib *lib, const double *X, size_t rows,
                            double *theta, nd_error *err)
{
    size_t p = lib->n;
    if (!p) return nd_error_fail(err, ND_EVALUE, "the library is empty");
    if (!lib->code) {
        nd_expr **ev = malloc(p * sizeof *ev);
        if (!ev) return nd_error_fail(err, ND_ENOMEM, "out of memory");
        for (size_t j = 0; j < p; j++) ev[j] = lib->terms[j].eval;
        /* The compiled program is a cache: compiling does not change the library. */
        ((nd_sindy_lib *)lib)->code =
            nd_code_compile((const nd_expr *const *)ev, p, resolve, (void *)lib, err);
        free(ev);
        if (!lib->code) return err->code ? err->code : ND_ENOMEM;
    }
    for (size_t r = 0; r < rows; r++) {
        double *row = theta + r * p;
        nd_code_eval(lib->code, X + r * lib->nvars, row);
        for (size_t j = 0; j < p; j++)
            if (!isfinite(row[j]))
                return nd_error_fail(err, ND_EVALUE, "library term '%s' is not finite at "
                                     "sample %zu (%s = %g%s)", lib->terms[j].text, r + 1,
                                     lib->vars[0], X[r * lib->nvars],
                                     lib->nvars > 1 ? ", …" : "");
    }
    return ND_OK;
}
