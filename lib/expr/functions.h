/* The math functions and constants of expressions, by name and arity. Purely numeric so
   that the command language and the model compiler share one table. */
#ifndef ND_EXPR_FUNCTIONS_H
#define ND_EXPR_FUNCTIONS_H

#include <stddef.h>

typedef struct nd_func {
    const char *name;
    int min_args, max_args;          /* max_args < 0: any number from min_args on */
    double (*eval)(const double *args, int n);
    const char *signature;           /* "atan2(y, x)" */
    const char *doc;                 /* one line */
} nd_func;

/* Returns the function called name, or NULL. */
const nd_func *nd_func_find(const char *name);

/* Returns the number of functions. */
size_t nd_func_count(void);

/* Returns function i (i < count), in alphabetical order. */
const nd_func *nd_func_at(size_t i);

/* Returns 1 when n arguments suit f. */
int nd_func_accepts(const nd_func *f, int n);

/* Looks up a named numeric constant (pi, inf, nan); returns 1 and sets *value if found. */
int nd_const_find(const char *name, double *value);

/* Returns constant i's name for i < count of constants, else NULL (for completion). */
const char *nd_const_name(size_t i);

#endif
