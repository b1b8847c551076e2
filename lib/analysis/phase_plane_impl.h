/* The pieces phase_view.c assembles the plane from (phase_plane.c). */
#ifndef ND_ANALYSIS_PHASE_PLANE_IMPL_H
#define ND_ANALYSIS_PHASE_PLANE_IMPL_H

#include "../plot/figure.h"
#include "equilibria.h"
#include "phase_view.h"
#include "slice.h"

/* Adds the direction field as one gray series; 0, or -1 on ENOMEM. */
int nd_phase_add_field(nd_figure *fig, int panel, const nd_phase_plane *pp, nd_slice *sl);

/* Adds the trajectories from pp->starts (those the slice can place) and their starts;
   ND_EINTERRUPT from the integrator, ND_ENOMEM. */
nd_status nd_phase_add_trajectories(nd_figure *fig, int panel, const nd_phase_plane *pp,
                                    nd_slice *sl, nd_error *err);

/* Finds the equilibria in the box into l (n = 2, (X, Y) order). */
nd_status nd_phase_equilibria(const nd_phase_plane *pp, nd_slice *sl, nd_eq_list *l,
                              nd_error *err);

#endif
