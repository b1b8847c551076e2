/* Algebraic clean-up of expression trees: what symbolic differentiation leaves behind
   (0 * x, x^1, 3 * (2 * x)) becomes readable and cheaper without changing values beyond
   rounding (and x * 0 -> 0, which ignores inf and nan, as models may). */
#ifndef ND_EXPR_SIMPLIFY_H
#define ND_EXPR_SIMPLIFY_H

#include "ast.h"

/* Takes ownership of e and returns its simplified form (constant folding, neutral
   elements, double negation, merged constants), or NULL on ENOMEM (e is freed). */
nd_expr *nd_expr_simplify(nd_expr *e);

#endif
