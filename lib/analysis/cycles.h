/* Periodic orbits by single shooting: one orbit at fixed parameters (period, extent,
   Floquet multipliers), and the branches of orbits born at the Hopf points of a
   continuation result, followed by pseudo-arclength with folds of cycles located. */
#ifndef ND_ANALYSIS_CYCLES_H
#define ND_ANALYSIS_CYCLES_H

#include <stddef.h>

#include "../base/error.h"
#include "../models/model.h"
#include "continuation.h"

/* One periodic orbit of a model with n states. */
typedef struct nd_cycle {
    size_t n;
    double *x0;          /* [n] a point on the orbit */
    double period;
    double *xmin, *xmax; /* [n] extent of each state over the orbit */
    double *mult_re;     /* [n] Floquet multipliers (eigenvalues of the monodromy matrix) */
    double *mult_im;     /* [n] */
    size_t trivial;      /* index of the multiplier nearest 1 (the one along the flow) */
    int stable;          /* 1 when every other multiplier has modulus < 1 */
    double mult_max;     /* largest modulus among the other multipliers */
} nd_cycle;

/* Finds the periodic orbit of m with parameters p near the point x0 (n values) and
   period T by Newton on the shooting map; *out is filled (free with nd_cycle_free).
   ND_ESOLVER when Newton does not converge or the orbit degenerates to an equilibrium,
   ND_ENOMEM. */
nd_status nd_cycle_find(const nd_model *m, const double *p, const double *x0, double T,
                        nd_cycle *out, nd_error *err);

/* Frees the arrays of c (not c itself); a zeroed c is allowed. */
void nd_cycle_free(nd_cycle *c);

/* Options of the cycle continuation; nd_cycle_options_default fills them. */
typedef struct nd_cycle_options {
    double ds;            /* first arclength step in scaled unknowns (each state by
                             max(1, |x*|), the period by the Hopf period, the parameter by
                             the interval's length); 0: 0.02. Steps adapt up to 0.1 */
    size_t max_points;    /* per branch; 0: 400 */
    double max_period;    /* stop when the period exceeds this times the Hopf period; 0: 50 */
    /* Called between points; a non-OK status (an interrupt) stops the work with it. */
    nd_status (*check)(void *ctx, nd_error *err);
    void *check_ctx;
} nd_cycle_options;

/* Fills o with the defaults (all zero). */
void nd_cycle_options_default(nd_cycle_options *o);

/* Adds to r (a result of nd_bif_continue for m) one cycle branch from each Hopf point
   not already reached by an earlier branch, with the folds of cycles found on it as
   special points (kind ND_BIF_CYCLE_FOLD, on_cycle = 1). The parameters other than r's
   are m's. A branch that cannot start or fails later is noted in r->notes and kept as
   far as it got. ND_OK, ND_ENOMEM, or what o->check returned. */
nd_status nd_bif_continue_cycles(const nd_model *m, nd_bif_result *r,
                                 const nd_cycle_options *o, nd_error *err);

#endif
