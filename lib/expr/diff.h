/* Symbolic differentiation of model expressions (Jacobians, sensitivities). */
#ifndef ND_EXPR_DIFF_H
#define ND_EXPR_DIFF_H

#include "../base/error.h"
#include "ast.h"

/* Returns the simplified derivative of e with respect to the name var (every other name
   is a constant), or NULL with a located NameError (unknown function), TypeError (wrong
   arity; strings, lists, ranges) or ENOMEM in err. Comparisons, logic, floor, ceil,
   round, sign and heaviside have derivative 0; abs' is sign; min and max switch between
   their arguments' derivatives by heaviside (the mean of both at a tie). */
nd_expr *nd_expr_diff(const nd_expr *e, const char *var, nd_error *err);

#endif
