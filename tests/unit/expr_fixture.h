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

#endif
