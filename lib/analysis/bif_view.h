/* How a bifurcation result is shown: a one-line summary, the table of special points
   (text, HTML, JSON), and the diagram (a state against the parameter). */
#ifndef ND_ANALYSIS_BIF_VIEW_H
#define ND_ANALYSIS_BIF_VIEW_H

#include "../base/bundle.h"
#include "../plot/figure.h"
#include "continuation.h"

/* Returns "bifurcation diagram of fhn in I over [0, 2]: 1 equilibrium branch (52 points), 2 Hopf, 0 fold"
   (caller frees), or NULL on ENOMEM. */
char *nd_bif_summary(const nd_bif_result *r);

/* Returns the summary and the table of special points (type, parameter, state, ω, l1,
   criticality) as text/plain, text/html and ND_MIME_JSON ({"type":"bifurcation", ...},
   see docs/bifurcations.md); NULL on ENOMEM. */
nd_bundle *nd_bif_bundle(const nd_bif_result *r);

/* Builds the diagram of state var against the parameter: equilibria stable solid,
   unstable dashed; cycles as their min and max; special points marked and named in the
   legend. title may be NULL ("hh: bifurcation diagram, V against I"). ND_EVALUE for a
   bad var, ND_ENOMEM. */
nd_status nd_bif_figure(const nd_bif_result *r, size_t var, const char *title,
                        nd_figure **out, nd_error *err);

#endif
