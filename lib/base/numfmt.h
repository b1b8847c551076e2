/* Number formatting that reads back to the same double and stays short. */
#ifndef ND_BASE_NUMFMT_H
#define ND_BASE_NUMFMT_H

#include <stddef.h>

#define ND_NUMFMT_CAP 32

/* Writes the shortest of %.15g, %.16g, %.17g that reads back as x ("inf", "-inf", "nan" for
   non-finite values) into buf (at least ND_NUMFMT_CAP bytes) and returns buf. */
char *nd_numfmt(double x, char *buf);

/* Returns x > 0 rounded up to 1, 2 or 5 × 10^k: a round step (a slider's, a sampling
   interval). */
double nd_nice_ceil(double x);

/* Returns the fewest digits after the point (at most 6) that write lo and every multiple
   of step from it exactly (a slider's labels). */
int nd_numfmt_decimals(double lo, double step);

#endif
