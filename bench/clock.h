/* Timing for the benchmarks: wall, process and thread clocks in seconds, and the median
   of a set of samples (the statistic every benchmark here reports). */
#ifndef ND_BENCH_CLOCK_H
#define ND_BENCH_CLOCK_H

#include <stdlib.h>
#include <time.h>

/* Returns clock id's reading in seconds. */
static inline double bench_clock(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Returns the wall clock (monotonic) in seconds. */
static inline double bench_now(void) { return bench_clock(CLOCK_MONOTONIC); }

/* Returns the CPU time of the whole process (all threads) in seconds. */
static inline double bench_cpu(void) { return bench_clock(CLOCK_PROCESS_CPUTIME_ID); }

/* Returns the CPU time of the calling thread in seconds. */
static inline double bench_thread_cpu(void) { return bench_clock(CLOCK_THREAD_CPUTIME_ID); }

/* Orders doubles ascending, for qsort. */
static inline int bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts x[0..n) (n >= 1) in place and returns its median. */
static inline double bench_median(double *x, size_t n)
{
    qsort(x, n, sizeof *x, bench_cmp);
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

#endif
