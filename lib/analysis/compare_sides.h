/* What `compare` compares: two spike trains, each a bare train over its window or the
   spikes found in a trace of a dataset, and for two traces also the traces themselves. */
#ifndef ND_ANALYSIS_COMPARE_SIDES_H
#define ND_ANALYSIS_COMPARE_SIDES_H

#include "spikes_view.h"

/* One side of a comparison. */
typedef struct nd_compare_side {
    const double *times;     /* the train (sorted), n spikes, over [t0, t1] */
    size_t n;
    double t0, t1;
    const nd_dataset *ds;    /* the trace it was found in, column col; NULL: a bare train */
    int col;
    nd_spikes s;             /* the spikes found in ds (nd_compare_side_clear) */
} nd_compare_side;

/* Fills out with the spikes of ds's column col found by that column's default rule (as
   `spikes` finds them) over ds's whole time span; the errors of nd_spikes_dataset. */
nd_status nd_compare_side_dataset(const nd_dataset *ds, int col, nd_compare_side *out,
                                  nd_error *err);

/* Frees the spikes a side found. */
void nd_compare_side_clear(nd_compare_side *side);

/* Compares B with the reference A over their common window, spikes within delta
   (nd_compare_trains into c, cleared by the caller), and when both are traces the RMS of
   A's column against B's column of the same name (nd_compare_rms); *r describes the
   comparison for nd_compare_bundle (pointing into c, a and b). ValueError when the windows
   do not overlap, NameError when B has no such column: both about B; nd_compare_trains's
   errors. */
nd_status nd_compare_sides(const nd_compare_side *a, const nd_compare_side *b, double delta,
                           nd_compare *c, nd_compare_report *r, nd_error *err);

#endif
