/* A recording drawn as electrophysiologists look at one: the sweeps overlaid, each
   recorded channel in a panel, over the command that drove them. */
#ifndef ND_ANALYSIS_REC_FIGURE_H
#define ND_ANALYSIS_REC_FIGURE_H

#include <stddef.h>

#include "../data/recording.h"
#include "../plot/figure.h"

/* Returns the figure of the n sweeps listed (0-based; NULL: every sweep): one panel per
   recorded channel, then one per command channel, time in ms from each sweep's start,
   titled title (NULL: the file, the sweeps and the protocol); NULL on ENOMEM. */
nd_figure *nd_rec_figure(const nd_recording *rec, const size_t *sweeps, size_t n,
                         const char *title);

#endif
