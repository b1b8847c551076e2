/* Decimal time grids: a step of 0.1 means times 0, 0.1, 0.2, 0.3 …, yet 3 * 0.1 is
   0.30000000000000004 in binary. These give each grid point as the double nearest to its
   decimal value, so that it prints as 0.3 and compares equal to the 0.3 a user types. */
#ifndef ND_BASE_GRID_H
#define ND_BASE_GRID_H

/* A decimal grid: values written with `decimals` digits after the point. */
typedef struct nd_grid {
    double scale;   /* 10^decimals; 0 when the values are not on a decimal grid */
    double tol;     /* how far a value may be from a grid point and still be one */
} nd_grid;

/* The grid through start with the given step: the fewest decimals (at most 9) that write
   both start and step to within a few ulps (rounding noise); scale 0 when there are none,
   or the step is not positive and finite. */
nd_grid nd_grid_of(double start, double step);

/* Returns the grid point x stands for (the double nearest to k / 10^decimals) when x lies
   within rounding noise (the grid's tolerance plus 4 ulps of x) of one, else x itself. */
double nd_grid_snap(const nd_grid *g, double x);

#endif
