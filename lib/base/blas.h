/* How many threads OpenBLAS may use. Its threads pay off on large matrices only: on the
   small dense solves of Newton's method (tens of unknowns) a worker thread spins in
   sched_yield between calls, costing a core for nothing, and several workers of a sweep
   each asking for N threads would run N² threads on N cores. */
#ifndef ND_BASE_BLAS_H
#define ND_BASE_BLAS_H

/* Sets OpenBLAS's thread count (process-wide) to n >= 1; returns the count before. */
int nd_blas_threads(int n);

#endif
