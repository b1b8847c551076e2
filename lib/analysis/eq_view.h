/* Equilibria as text, tables and JSON: the results of `fixed` and `stability`, and the
   pieces the phase plane (phase_view.c) shows next to its figure. */
#ifndef ND_ANALYSIS_EQ_VIEW_H
#define ND_ANALYSIS_EQ_VIEW_H

#include "../base/bundle.h"
#include "../base/fields.h"
#include "../base/json.h"
#include "../base/strbuf.h"
#include "../models/model.h"
#include "equilibria.h"

/* Appends the eigenvalues re/im[0..n) as text: "-0.0365 ± 0.2938i, -1.2". */
void nd_eq_view_eigen(nd_sb *sb, const double *re, const double *im, size_t n);

/* Returns the points as a JSON array: [{"state":{NAME:x…},"eigenvalues":[{"re","im"}…],
   "kind":"stable focus","stable":true}…], state names from m (first l->n states) or
   from names when not NULL; NULL on ENOMEM. */
json_t *nd_eq_view_points_json(const nd_model *m, const char *const *names,
                               const nd_eq_list *l);

/* Returns what `fixed` shows of the equilibria l of m at parameters p found from a grid
   over the box lo/hi (and along a trajectory when along): "2 equilibria of fhn (Newton
   from a grid over v ∈ [..], w ∈ [..]):", a table (#, states, eigenvalues, type) and
   {"type":"equilibria","model","parameters":{…},"points":[…]}; NULL on ENOMEM. */
nd_bundle *nd_eq_view_fixed(const nd_model *m, const double *p, const nd_eq_list *l,
                            const double *lo, const double *hi, int along);

/* Returns what `stability` shows of the one point of l: "linearisation of hh at the given
   state" (or "the nearest equilibrium" when nearest), with a warning when max_rate (the
   largest |dx/dt| there) says it is not an equilibrium, the table and
   {"type":"stability",…} as nd_eq_view_fixed; NULL on ENOMEM. */
nd_bundle *nd_eq_view_stability(const nd_model *m, const double *p, const nd_eq_list *l,
                                int nearest, double max_rate);

/* The values `fixed` exposes ("equilibria"): count and points, a list of "equilibrium"
   records: each state by name (from m), re and im (the eigenvalues, vectors), type
   ("stable focus" …) and stable (a bool); NULL on ENOMEM. */
nd_fields *nd_eq_fixed_fields(const nd_model *m, const nd_eq_list *l);

/* The values `stability` exposes ("stability"): the fields of l's one point as in
   nd_eq_fixed_fields and max_rate; NULL on ENOMEM. */
nd_fields *nd_eq_stability_fields(const nd_model *m, const nd_eq_list *l, double max_rate);

#endif
