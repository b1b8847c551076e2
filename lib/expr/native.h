/* Native code for compiled expressions: an nd_code's instruction list printed as C, built
   by the system's cc into a cached shared object and loaded. Private to lib/expr; the
   hooks at the end are for tests. */
#ifndef ND_EXPR_NATIVE_H
#define ND_EXPR_NATIVE_H

#include <stddef.h>

#include "compile.h"

/* Gives c a native body when it can, else records why not in its backend; never fails. */
void nd_native_attach(nd_code *c);

/* Drops c's native body (the shared object stays in the cache on disk). */
void nd_native_release(nd_code *c);

/* Returns the C source of c's program (caller frees), or NULL when it has no native form
   or memory ran out. */
char *nd_native_source(const nd_code *c);

/* Returns how many times this process has run cc to build a program. */
unsigned long nd_native_compile_count(void);

/* Sets the fewest instructions worth a native body (default 8); returns the old value. */
size_t nd_native_set_min_size(size_t n);

/* Sets how long cc may run before it is killed (default 60 s); returns the old value. */
int nd_native_set_timeout_ms(int ms);

#endif
