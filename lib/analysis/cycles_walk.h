/* Internal to lib/analysis/cycles*: the walk along one branch of periodic orbits (the
   state shared by the pseudo-arclength steps, cycles_branch.c) and its two starts
   (cycles_start.c): at a Hopf point, and through an orbit found by simulation. */
#ifndef ND_ANALYSIS_CYCLES_WALK_H
#define ND_ANALYSIS_CYCLES_WALK_H

#include <stddef.h>

#include "cycles.h"
#include "cycles_shoot.h"

typedef struct nd_cwalk {
    nd_shoot s;
    nd_bif_result *r;
    const nd_cycle_options *o;
    size_t n, L, nu;     /* states, segment starts (L = nseg·n), unknowns (L + 2) */
    size_t ci;           /* the cycle branch (index: r->cycles may move) */
    double lo, hi;
    double *fu;          /* [L] f at the current segment starts (the phase reference) */
    double *re, *im;     /* [n] multipliers */
    size_t triv;         /* the trivial one among them */
    double *sc;          /* [nu] scales of the arclength: states, period, parameter */
    double *row;         /* [nu] the arclength row in unscaled unknowns */
    double *tt;          /* [nu] scratch tangent of the locating */
    double *w2;          /* [nu] scratch point of the locating */
    nd_status stop;      /* what o->check returned once it stopped the work (ND_OK: not) */
    nd_error stop_err;
} nd_cwalk;

/* f at each segment start of u into out (L values), at u's λ. */
void nd_cwalk_flow(nd_cwalk *k, const double *u, double *out);

/* The scaled unit tangent at w just corrected (phase reference f(w) into fw), oriented
   along the scaled tangent dir, into tw; its λ-component, or NAN. */
double nd_cwalk_tangent(nd_cwalk *k, const double *w, const double *dir, double *tw, double *fw);

/* The period limit as a multiple of the first orbit's: o->max_period, or dflt. */
double nd_cwalk_period_limit(const nd_cycle_options *o, double dflt);

/* Walks branch k->ci from its first orbit u (tangent t) at parameter from until an end
   (the interval's edge, a Hopf point — marked in reached —, a period above tmax, …),
   appending orbits and special points to k->r. skip_first: u is on the branch already.
   ND_OK, ND_ENOMEM or what k->o->check returned. */
nd_status nd_cwalk_trace(nd_cwalk *k, double from, double tmax, double *u, double *t,
                         int *reached, int skip_first, nd_error *err);

/* The first orbit near Hopf point h into u, with its tangent (growing amplitude) into t,
   and k's scales set from h; 0 or -1. */
int nd_cwalk_start_hopf(nd_cwalk *k, const nd_bif_point *h, double *u, double *t);

/* Adds the branch through the stable orbit a simulation from m's initial values at lam
   settles on (tscale: a period of the model, or 0), traced up then down, unless nothing
   stable is found or (skip_covered) a branch so far has stable orbits around lam. ND_OK,
   ND_ENOMEM, an interrupt, or what k->o->check returned. */
nd_status nd_cwalk_from_simulation(nd_cwalk *k, double lam, double tscale, int skip_covered,
                                   double *u, double *t, int *reached, nd_error *err);

#endif
