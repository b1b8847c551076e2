/* Compiled model expressions: many expressions turned once into one flat program that
   evaluates all of them from an array of input slots, millions of times per simulation. */
#ifndef ND_EXPR_COMPILE_H
#define ND_EXPR_COMPILE_H

#include <stddef.h>

#include "../base/error.h"
#include "ast.h"
#include "treeval.h"      /* nd_resolve_fn */

typedef struct nd_code nd_code;

/* Compiles exprs[0..nexprs) into one program reading input slots (names resolved by
   resolve, then the constants pi, inf, nan). Returns NULL with a located NameError
   (unknown name or function), TypeError (wrong arity; strings, lists, ranges) or
   ENOMEM in err. The program also gets native machine code (by the system's cc, cached
   under ${XDG_CACHE_HOME:-~/.cache}/neurodyn/native) with the very same results, unless
   NEURODYN_NATIVE=0, it is tiny, or that fails: then it runs on the interpreter. */
nd_code *nd_code_compile(const nd_expr *const *exprs, size_t nexprs, nd_resolve_fn resolve,
                         void *ctx, nd_error *err);

/* Sets out[k] to expression k at the inputs slots[0..nd_code_nslots_used(c)); a 0/0 met
   on the way is replaced by its limit (mean of the values at all inputs moved by +-1e-6
   relative). Thread-safe: c is never modified. */
void nd_code_eval(const nd_code *c, const double *slots, double *out);

/* Returns the highest slot index the program reads, plus 1 (0 when it reads none). */
size_t nd_code_nslots_used(const nd_code *c);

/* Returns the number of instructions (for tests of the optimiser and for curiosity). */
size_t nd_code_size(const nd_code *c);

/* Returns "native" when c runs as machine code, else "vm: " and the reason it does not. */
const char *nd_code_backend(const nd_code *c);

/* Frees c; NULL is allowed. */
void nd_code_free(nd_code *c);

#endif
