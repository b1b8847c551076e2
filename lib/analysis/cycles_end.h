/* Internal to lib/analysis/cycles*: why a branch of periodic orbits ends with a diverging
   period. Near a homoclinic orbit to a saddle the period grows like −a ln|p − p*| (the
   orbit lingers near the saddle for a time set by its unstable eigenvalue); near a
   saddle-node on the invariant circle like π/√(c|p − p*|) (the passage through the
   bottleneck of the ghost of the saddle-node). Kuznetsov, Elements of Applied Bifurcation
   Theory, 3rd ed., §6.2 (homoclinic) and §7.1 (SNIC). */
#ifndef ND_ANALYSIS_CYCLES_END_H
#define ND_ANALYSIS_CYCLES_END_H

#include <stddef.h>

#include "continuation.h"

/* Fits T = α g(|p − p*|) + β with g = ln (homoclinic) and g = |·|^(−1/2) (SNIC) to the
   monotone tail of the n orbits (parameters p, periods T, in the order traced), p* beyond
   the last one; returns ND_BIF_HOMOCLINIC or ND_BIF_SNIC (the smaller residual among
   fits of the right sign) with *pstar, or -1 when the period does not grow towards the
   end (fewer than 5 orbits in a tail whose period at least doubles). */
int nd_cycle_end_fit(const double *p, const double *T, size_t n, double *pstar);

#endif
