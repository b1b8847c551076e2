#include "expr_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "../../lib/base/strbuf.h"
#include "../../lib/expr/functions.h"
#include "../../lib/expr/treeval.h"
#include "../../lib/language/parser.h"

nd_expr *fx_parse(const char *text)
{
    nd_error err;
    nd_expr *e = nd_parse_expression(text, &err);
    if (!e) nd_test_fail(__FILE__, __LINE__, "cannot parse '%s': %s", text, err.msg);
    return e;
}

const char *fx_text(const nd_expr *e)
{
    static char buf[2048];
    if (!e) return "<null>";
    nd_sb sb;
    nd_sb_init(&sb);
    nd_expr_text(e, &sb);
    snprintf(buf, sizeof buf, "%s", nd_sb_str(&sb));
    nd_sb_free(&sb);
    return buf;
}

const char *fx_roundtrip(const char *text)
{
    nd_expr *e = fx_parse(text);
    const char *s = fx_text(e);
    nd_expr_free(e);
    return s;
}

int fx_resolve(void *ctx, const char *name)
{
    static const char *const names[] = {"x", "y", "z", "V", "m", "h", "n"};
    (void)ctx;
    for (int i = 0; i < 7; i++)
        if (strcmp(names[i], name) == 0) return i;
    return -1;
}

double fx_eval(const char *text, const double *slots)
{
    nd_expr *e = fx_parse(text);
    double v = e ? nd_expr_eval_num(e, fx_resolve, NULL, slots) : NAN;
    nd_expr_free(e);
    return v;
}

static unsigned long long rng_state;

void fx_seed(unsigned long long seed)
{
    rng_state = seed;
}

unsigned fx_rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)(rng_state >> 33) % n;
}

double fx_rnd_unit(void)
{
    return fx_rnd(1u << 30) / (double)(1u << 30);
}

static nd_expr *leaf(const fx_leaves *l)
{
    if (fx_rnd(3) == 0) {
        nd_expr *e = nd_expr_new(ND_EXPR_NUMBER, 1, 1, 1);
        e->num = l->consts[fx_rnd(l->nconsts)];
        return e;
    }
    nd_expr *e = nd_expr_new(ND_EXPR_NAME, 1, 1, 1);
    unsigned common = l->nnames - l->nrare;
    unsigned k = l->nrare && fx_rnd(20) == 0 ? common + fx_rnd(l->nrare) : fx_rnd(common);
    e->str = strdup(l->names[k]);
    return e;
}

nd_expr *fx_random_tree(int depth, const fx_leaves *l)
{
    if (depth == 0 || fx_rnd(5) == 0) return leaf(l);
    unsigned pick = fx_rnd(10);
    nd_expr *e;
    if (pick < 5) {
        e = nd_expr_new(ND_EXPR_BINARY, 1, 1, 1);
        e->op = (nd_binop)(pick < 3 ? fx_rnd(5) : fx_rnd(13));
        e->a = fx_random_tree(depth - 1, l);
        e->b = fx_random_tree(depth - 1, l);
    } else if (pick < 7) {
        e = nd_expr_new(fx_rnd(4) ? ND_EXPR_NEG : ND_EXPR_NOT, 1, 1, 1);
        e->a = fx_random_tree(depth - 1, l);
    } else {
        const nd_func *f = nd_func_at(fx_rnd((unsigned)nd_func_count()));
        e = nd_expr_new(ND_EXPR_CALL, 1, 1, 1);
        e->str = strdup(f->name);
        e->nitems = (size_t)(f->max_args < 0 ? f->min_args + (int)fx_rnd(3) : f->min_args);
        e->items = calloc(e->nitems, sizeof *e->items);
        for (size_t i = 0; i < e->nitems; i++) e->items[i] = fx_random_tree(depth - 1, l);
    }
    return e;
}
