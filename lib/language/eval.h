/* Evaluation of expression trees to values, against a workspace. */
#ifndef ND_LANGUAGE_EVAL_H
#define ND_LANGUAGE_EVAL_H

#include "../base/error.h"
#include "../expr/ast.h"
#include "value.h"
#include "workspace.h"

/* Evaluates e; names resolve in ws first, then to constants (pi, inf, nan, true, false,
   none). On success *out holds a new reference; on failure a located error. */
nd_status nd_eval(const nd_expr *e, const nd_ws *ws, nd_value **out, nd_error *err);

/* Returns 1 for the words that can never be bound: and or not true false none. */
int nd_eval_is_reserved(const char *name);

#endif
