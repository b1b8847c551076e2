/* Numbers in bulk: element-wise arithmetic and math functions over vectors (and lists of
   numbers), the reductions min max mean std sum len, and 1-based indexing. Errors come
   back as a code and a message; the evaluator adds the location. */
#ifndef ND_LANGUAGE_VECOPS_H
#define ND_LANGUAGE_VECOPS_H

#include <stddef.h>
#include "../base/error.h"
#include "../expr/ast.h"
#include "value.h"

/* The numbers of a vector or of a list whose items are all numbers. */
typedef struct nd_numview {
    const double *x;
    size_t n;
    double *owned;     /* what a list's numbers were copied into (freed by nd_numview_free) */
} nd_numview;

/* Fills view with v's numbers: 1 for a vector or a list of numbers, 0 for anything else,
   -1 on ENOMEM. */
int nd_numview_of(const nd_value *v, nd_numview *view);

/* Releases what a view owns. */
void nd_numview_free(nd_numview *view);

/* Returns 1 when v is a vector, or a non-empty list of numbers (what arithmetic maps over). */
int nd_vec_like(const nd_value *v);

/* a op b (+ - * / ^) element-wise where one side is a vector or a list of numbers and the
   other a number or one of equal length; *out is a new vector. ND_ETYPE when a side is
   neither, ND_EVALUE for unequal lengths (msg says both), ND_ENOMEM. */
nd_status nd_vec_binop(nd_binop op, const nd_value *a, const nd_value *b, nd_value **out,
                       char *msg, size_t cap);

/* -v element-wise for a vector or a list of numbers. */
nd_status nd_vec_neg(const nd_value *v, nd_value **out, char *msg, size_t cap);

/* Applies the math function f (args[i] numbers, vectors or lists of numbers, at least one
   of them not a number) element-wise, numbers broadcast; ND_EVALUE for unequal lengths. */
nd_status nd_vec_map(double (*f)(const double *, int), const nd_value *const *args, size_t n,
                     nd_value **out, char *msg, size_t cap);

/* Returns 1 when name is a reduction (min max mean std sum len) that applies to a call
   with these n arguments: mean std sum len always, min and max with one argument. */
int nd_reduce_applies(const char *name, size_t n);

/* Reduces v by name: len counts a list's items or a vector's numbers; the others need
   numbers (ND_ETYPE otherwise). std is the sample standard deviation (divides by n − 1;
   ND_EVALUE below two numbers); min, max and mean of nothing are ND_EVALUE; sum of
   nothing is 0; min and max give nan when a number is nan. */
nd_status nd_reduce(const char *name, const nd_value *v, nd_value **out, char *msg, size_t cap);

/* The reductions, for help and completion: name i, NULL past the last. */
const char *nd_reduce_name(size_t i);

/* Returns the one-line description of reduction name ("the sample standard …"), or
   NULL. */
const char *nd_reduce_doc(const char *name);

/* v[i] of a vector or list: i a whole number, 1 the first, -1 the last. ND_ETYPE when v
   cannot be indexed, ND_EVALUE for a bad or out-of-range index. */
nd_status nd_value_index(const nd_value *v, double i, nd_value **out, char *msg, size_t cap);

#endif
