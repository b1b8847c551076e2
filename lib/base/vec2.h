/* Pairs of doubles operated on together (SSE2 on x86-64, NEON on ARM) through GCC's and
   Clang's vector extension: for the few loops over whole sweeps where a pass per sample
   costs more than the loads. Each lane rounds exactly as the scalar operation would. */
#ifndef ND_BASE_VEC2_H
#define ND_BASE_VEC2_H

#include <string.h>

typedef double nd_v2 __attribute__((vector_size(16)));
typedef long long nd_m2 __attribute__((vector_size(16)));   /* a comparison's lanes: -1 or 0 */

/* The pair x[0], x[1] (any alignment). */
static inline nd_v2 nd_v2_load(const double *x)
{
    nd_v2 v;
    memcpy(&v, x, sizeof v);
    return v;
}

/* The pair (a, a). */
static inline nd_v2 nd_v2_splat(double a)
{
    return (nd_v2){a, a};
}

#endif
