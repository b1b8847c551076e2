/* The features of what `features` is given, a recording of current-clamp sweeps or one
   trace in a dataset: the channels and window found the way the command documents, then
   the measurements of ephys.h. */
#ifndef ND_ANALYSIS_EPHYS_SOURCE_H
#define ND_ANALYSIS_EPHYS_SOURCE_H

#include "../data/dataset.h"
#include "../plot/figure.h"
#include "ephys.h"

/* The features of rec's sweeps and of the cell they record (plus *fig, when fig is not
   NULL and rec has more than one sweep, the F–I curve titled "FILE: F–I curve"): the
   membrane potential is the column called V, the current the one called I
   (nd_rec_column_name); the window is start..end, else (start NAN) the protocol's, found
   in I. *sweeps holds nd_rec_sweeps(rec) sweeps (nd_ephys_sweeps_free), *cell is
   nd_ephys_cell_clear'ed by the caller, *current_unit is "pA" with a current channel,
   else NULL. ND_EVALUE without V, or without I and a window; the analyses' errors. */
nd_status nd_ephys_of_recording(const nd_recording *rec, double start, double end,
                                nd_ephys_sweep **sweeps, nd_ephys_cell *cell,
                                const char **current_unit, nd_figure **fig, nd_error *err);

/* The features of ds's column V (mV) against its current: the column I, else (when start
   is NAN) the stimulus ds was simulated under at its times; window start..end (NAN: found
   in the current). *current_unit is I's unit (NULL without the column). ND_EVALUE without
   V; the analysis' errors; ND_ENOMEM. */
nd_status nd_ephys_of_dataset(const nd_dataset *ds, double start, double end,
                              nd_ephys_sweep *out, const char **current_unit, nd_error *err);

#endif
