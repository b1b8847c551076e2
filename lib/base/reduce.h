/* Reductions of a run of numbers: sum, mean, sample standard deviation, min, max. */
#ifndef ND_BASE_REDUCE_H
#define ND_BASE_REDUCE_H

#include <stddef.h>

typedef enum nd_reduce_op {
    ND_REDUCE_SUM, ND_REDUCE_MEAN, ND_REDUCE_STD, ND_REDUCE_MIN, ND_REDUCE_MAX
} nd_reduce_op;

/* Returns how many numbers op needs: 0 for the sum, 2 for the standard deviation, else 1. */
size_t nd_reduce_min_count(nd_reduce_op op);

/* Returns op of x[0..n): the sum (0 when n = 0), the mean, the sample standard deviation
   sqrt(Σ(x − mean)² / (n − 1)) computed in two passes (no cancellation), the min or the
   max (NaN when any x is NaN); NaN when n is below nd_reduce_min_count(op). */
double nd_reduce_numbers(nd_reduce_op op, const double *x, size_t n);

#endif
