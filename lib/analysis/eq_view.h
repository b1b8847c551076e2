/* Equilibria as text and JSON pieces, shared by the equilibria tables of `fixed` and
   `stability` (commands/eq_show.c) and the phase plane (phase_view.c). */
#ifndef ND_ANALYSIS_EQ_VIEW_H
#define ND_ANALYSIS_EQ_VIEW_H

#include "../base/strbuf.h"
#include "../models/model.h"
#include "equilibria.h"

/* Appends the eigenvalues re/im[0..n) as text: "-0.0365 ± 0.2938i, -1.2". */
void nd_eq_view_eigen(nd_sb *sb, const double *re, const double *im, size_t n);

/* Appends a JSON array of the points: [{"state":{NAME:x…},"eigenvalues":[{"re","im"}…],
   "kind":"stable focus","stable":true}…], state names from m (first l->n states) or
   from names when not NULL. */
void nd_eq_view_json_points(nd_sb *sb, const nd_model *m, const char *const *names,
                            const nd_eq_list *l);

#endif
