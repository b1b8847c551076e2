/* Numeric evaluation of model expressions by walking the tree: the reference semantics
   that the compiled form (compile.h) reproduces, and the constant folder's arithmetic. */
#ifndef ND_EXPR_TREEVAL_H
#define ND_EXPR_TREEVAL_H

#include "ast.h"

/* Resolves a name to an input slot (>= 0) or -1 when unknown. */
typedef int (*nd_resolve_fn)(void *ctx, const char *name);

/* Returns x op y for numbers: arithmetic is IEEE (^ is pow), comparisons give 1 or 0
   (false with nan), and/or give 1 or 0 treating any nonzero (nan too) as true. */
double nd_num_binop(nd_binop op, double x, double y);

/* Returns 1 when x is 0 and 0 otherwise (numeric "not"). */
double nd_num_not(double x);

/* Evaluates e, a name reading slots[resolve(ctx, name)] or else a constant (pi, inf, nan).
   Anything that is not a number (unknown name or function, wrong arity, string, list,
   range) gives nan. resolve may be NULL (no slots). No repair of 0/0 happens here. */
double nd_expr_eval_num(const nd_expr *e, nd_resolve_fn resolve, void *ctx,
                        const double *slots);

#endif
