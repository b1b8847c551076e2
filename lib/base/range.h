/* The extent of numeric data, skipping the NaN and infinite values that mark gaps. */
#ifndef ND_BASE_RANGE_H
#define ND_BASE_RANGE_H

#include <stddef.h>

/* Sets *lo and *hi to the smallest and largest finite x[0..n) and returns how many values
   are finite; when none is, returns 0 and sets both to NaN. */
size_t nd_finite_range(const double *x, size_t n, double *lo, double *hi);

/* 1 when every x[0..n) is finite (none when n = 0), else 0. */
int nd_all_finite(const double *x, size_t n);

#endif
