/* How electrophysiology features are shown: the cell's features, a row per sweep, the
   F–I curve. */
#ifndef ND_ANALYSIS_EPHYS_VIEW_H
#define ND_ANALYSIS_EPHYS_VIEW_H

#include <stddef.h>

#include "../base/bundle.h"
#include "../base/fields.h"
#include "../plot/figure.h"
#include "ephys.h"

/* Returns the n sweeps' features (first spike's shape, counts, rates, subthreshold) and,
   when cell is not NULL, the cell's (rheobase, input resistance, tau, sag, F–I slope and
   why any is missing) as text/plain, text/html and ND_MIME_JSON {"type":"features",
   "current_unit","cell":{...}|null,"sweeps":[{...}]} (docs/json-results.md); amplitudes in
   current_unit; NULL on ENOMEM. */
nd_bundle *nd_ephys_bundle(const nd_ephys_sweep *s, size_t n, const nd_ephys_cell *cell,
                           const char *current_unit);

/* Returns the F–I curve of cell (rate against step amplitude, the rheobase marked), title
   above; NULL on ENOMEM. */
nd_figure *nd_ephys_fi_figure(const nd_ephys_cell *cell, const char *title,
                              const char *current_unit);

/* The values features exposes ("features"): per sweep of the n sweeps s, as vectors, the
   first spike's threshold, peak, half_width, ahp_depth (NaN for a silent sweep), then
   amplitude, rate, latency, adaptation, isi_mean, sag_sweep, tau_sweep, spike_count; with
   a cell (NULL: none) its rheobase, input_resistance, tau, sag, fi_slope as numbers; NULL
   on ENOMEM (ephys_fields.c). */
nd_fields *nd_ephys_fields(const nd_ephys_sweep *s, size_t n, const nd_ephys_cell *cell);

#endif
