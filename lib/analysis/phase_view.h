/* The phase plane of a model, or of a 2-D slice of a larger one (lib/analysis/slice.h),
   as `phase` draws it: nullclines (contoured), a direction field of arrows of equal
   length on the screen, trajectories and the equilibria, classified. A C program fills
   an nd_phase_plane and gets the same figure and bundle as the command. */
#ifndef ND_ANALYSIS_PHASE_VIEW_H
#define ND_ANALYSIS_PHASE_VIEW_H

#include <stddef.h>

#include "../base/bundle.h"
#include "../base/error.h"
#include "../models/model.h"
#include "equilibria.h"

/* Integrates m at parameters p from y0 over [0, t1] into npts equally spaced samples
   (n values each, starting with y0), setting breaks[i] (npts flags, may be NULL) where a
   reset falls between samples i and i + 1; out holds NaN after a failure. nd_sim_path
   (lib/learn/simulate.h) is the one `phase` uses. */
typedef nd_status (*nd_phase_path_fn)(void *ctx, const nd_model *m, const double *p,
                                      const double *y0, double t1, size_t npts, double *out,
                                      unsigned char *breaks, nd_error *err);

enum { ND_PHASE_TRAJ_MAX = 50 };   /* trajectories one plane draws at most */

typedef struct nd_phase_plane {
    const nd_model *m;
    const double *p;          /* parameter values (borrowed) */
    const double *x0;         /* a full state: the framing run's start, the others' values */
    int ix, iy;               /* the states on the axes (ix != iy) */
    double lo[2], hi[2];      /* the box, (X, Y) */
    int qss;                  /* others at quasi-steady state (else held at x0) */
    int nullclines, field;    /* what to draw */
    size_t grid;              /* nullcline contour grid per side (11 … 1001) */
    double t1;                /* length of each trajectory */
    const double *starts;     /* ntraj (x, y) starting points (borrowed) */
    size_t ntraj;
    nd_phase_path_fn path;    /* the integrator of trajectories and framing, */
    void *path_ctx;           /* and its first argument */
} nd_phase_plane;

/* Frames the axes marked fit_x / fit_y (a 1) around where the dynamics go: the box of a
   trajectory from x0 over t1 (2001 samples), padded by 15 %; one that hardly moves (a
   stable rest) gets max(0.5, |x0|/4) either side of its value. Writes pp->lo/hi of those
   axes; the integrator's error when the run fails. */
nd_status nd_phase_frame(nd_phase_plane *pp, int fit_x, int fit_y, nd_error *err);

/* Writes n starting points spread over the box into starts (2n values): a stratified x
   and a golden-ratio y, inside the central 90 %, no two alike. */
void nd_phase_spread(const nd_phase_plane *pp, size_t n, double *starts);

/* Finds every equilibrium of m at p (any number of states) as `fixed` does: Newton from a
   grid of per_axis seeds per state over the box lo/hi (nd_eq_find_all; 0: about 400 in
   all) and from 40 samples of the trajectory path integrates from x0 over [0, t1] (none
   when t1 is 0; a run that fails seeds nothing and the grid still does). Appends the
   points to out (n = m's states). ND_EINTERRUPT when the run was interrupted, ND_ENOMEM. */
nd_status nd_phase_find_equilibria(const nd_model *m, const double *p, const double *lo,
                                   const double *hi, size_t per_axis, const double *x0,
                                   double t1, nd_phase_path_fn path, void *path_ctx,
                                   nd_eq_list *out, nd_error *err);

/* Draws the plane into *out: a figure (800 × 560, the box as its ranges) whose text/plain
   lists the equilibria ("V = …, n = …: stable node (eigenvalues)") and whose JSON gains
   "phase":{"model","x","y","others","equilibria"} (docs/json-results.md). Equilibria of a
   2-state model come from the model's exact Jacobian, of a slice from the slice's.
   ND_EVALUE for bad axes, ND_EINTERRUPT from the integrator, ND_ENOMEM. */
nd_status nd_phase_bundle(const nd_phase_plane *pp, nd_bundle **out, nd_error *err);

#endif
