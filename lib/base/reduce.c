/* The standard deviation takes the mean first and sums squared deviations: one pass of
   Σx² − n·mean² loses every digit when the spread is small against the mean. */
#include "reduce.h"

#include <math.h>

static double extreme(const double *x, size_t n, int is_max)
{
    double acc = x[0];
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i])) return NAN;
        if (is_max ? x[i] > acc : x[i] < acc) acc = x[i];
    }
    return acc;
}

size_t nd_reduce_min_count(nd_reduce_op op)
{
    return op == ND_REDUCE_STD ? 2 : op == ND_REDUCE_SUM ? 0 : 1;
}

double nd_reduce_numbers(nd_reduce_op op, const double *x, size_t n)
{
    if (n < nd_reduce_min_count(op)) return NAN;
    if (op == ND_REDUCE_MIN || op == ND_REDUCE_MAX) return extreme(x, n, op == ND_REDUCE_MAX);
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += x[i];
    if (op == ND_REDUCE_SUM) return sum;
    double mean = sum / (double)n;
    if (op == ND_REDUCE_MEAN) return mean;
    double ss = 0;
    for (size_t i = 0; i < n; i++) ss += (x[i] - mean) * (x[i] - mean);
    return sqrt(ss / (double)(n - 1));
}
