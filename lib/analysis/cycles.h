/* Periodic orbits by multiple shooting: one orbit at fixed parameters (period, extent,
   Floquet multipliers), found from a guess or from a simulation, and the branches of
   orbits born at the Hopf points of a continuation result or passing through a simulated
   stable orbit, followed by pseudo-arclength with folds, period doublings and torus points
   located and the divergence of the period at a branch's end explained. Models with
   resets get the brute-force branch instead (simulations at each parameter value). */
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
    double max_period;    /* stop when the period exceeds this times the first orbit's; 0: 50
                             from a Hopf point, 20 from a simulated orbit */
    int from_hopf;        /* 1 (default): a branch from each Hopf point */
    size_t samples;       /* parameter values where a simulation from the model's initial
                             values looks for a stable orbit not already on a branch
                             (evenly spaced inside the interval); 0: 8; SIZE_MAX: none */
    double start;         /* when finite: simulate at this value instead of sampling (even
                             where a branch so far has stable orbits) */
    size_t brute_values;  /* values of the brute-force branch (models with resets); 0: 41 */
    /* Called between points; a non-OK status (an interrupt) stops the work with it. */
    nd_status (*check)(void *ctx, nd_error *err);
    void *check_ctx;
} nd_cycle_options;

/* Fills o with the defaults (from_hopf = 1, start = NAN, the rest zero). */
void nd_cycle_options_default(nd_cycle_options *o);

/* Simulates m with parameters p from x0 (n values) and, when the trajectory settles on a
   periodic orbit (a point returns within 1e-3 of the swing after a transient), refines it
   by shooting into *out. tscale: a time scale of the model (a period; 0: 1). 1 when
   found, 0 when the simulation rests, is aperiodic or the shooting fails; -1 on ENOMEM or
   an interrupt (err set). */
int nd_cycle_from_simulation(const nd_model *m, const double *p, const double *x0,
                             double tscale, nd_cycle *out, nd_error *err);

/* Adds to r (a result of nd_bif_continue for m) one cycle branch from each Hopf point
   not already reached by an earlier branch, then one through each stable orbit found by
   simulation (o->samples or o->start) away from the stable parts of the branches so far,
   continued both ways; the folds of cycles, period doublings and torus points found on
   them become special points (on_cycle = 1), and a branch whose period diverges gets a
   homoclinic or SNIC point at the fitted parameter. For a model with resets it adds the
   brute-force branch (nd_bif_brute_force) and says why. The parameters other than r's
   are m's. A branch that cannot start or fails later is noted in r->notes and kept as
   far as it got. ND_OK, ND_ENOMEM, or what o->check returned. */
nd_status nd_bif_continue_cycles(const nd_model *m, nd_bif_result *r,
                                 const nd_cycle_options *o, nd_error *err);

/* Adds to r a simulated branch (simulated = 1): at o->brute_values parameter values
   across r's interval, m is run from where the previous value left it for a transient of
   500 time units, and the min and max of each state over the next 500 are recorded.
   ND_OK, ND_ENOMEM, ND_EINTERRUPT or what o->check returned. */
nd_status nd_bif_brute_force(const nd_model *m, nd_bif_result *r, const nd_cycle_options *o,
                             nd_error *err);

#endif
