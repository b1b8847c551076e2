/* Shared helpers for the expression tests: parsing, rendering and a resolver over the
   single-letter-ish names x, y, z, V, m, h, n (slots 0..6). */
#ifndef ND_TEST_EXPR_FIXTURE_H
#define ND_TEST_EXPR_FIXTURE_H

#include "../../lib/expr/ast.h"

/* Parses text (which must be valid); NULL (with a recorded failure) otherwise. */
nd_expr *fx_parse(const char *text);

/* Returns nd_expr_text(e) in a static buffer ("<null>" for NULL). */
const char *fx_text(const nd_expr *e);

/* Parses, renders as text, frees: the text form of text. */
const char *fx_roundtrip(const char *text);

/* Resolver: x y z V m h n -> 0..6, anything else -1. */
int fx_resolve(void *ctx, const char *name);

/* Evaluates text with the tree evaluator at the given slots. */
double fx_eval(const char *text, const double *slots);

/* The leaves random trees are made of: constants, and names of which the last nrare are
   drawn only one time in twenty. */
typedef struct fx_leaves {
    const double *consts;
    unsigned nconsts;
    const char *const *names;
    unsigned nnames, nrare;
} fx_leaves;

/* Restarts the generator behind fx_rnd, fx_rnd_unit and fx_random_tree. */
void fx_seed(unsigned long long seed);

/* Returns a pseudo-random integer in [0, n), the same sequence on every machine. */
unsigned fx_rnd(unsigned n);

/* Returns a pseudo-random number in [0, 1). */
double fx_rnd_unit(void);

/* Returns a random tree of at most depth levels over every operator and every function of
   the table, with leaves from l (property tests of the compiler and the native code). */
nd_expr *fx_random_tree(int depth, const fx_leaves *l);

#endif
