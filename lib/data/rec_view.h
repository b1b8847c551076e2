/* How a recording is shown: a one-line summary, and a table of its sweeps as text, HTML
   and JSON. */
#ifndef ND_DATA_REC_VIEW_H
#define ND_DATA_REC_VIEW_H

#include "../base/bundle.h"
#include "recording.h"

/* Returns "recording fsi.abf (abf 2.6): 17 sweeps of 3000 ms at 20 kHz; V [mV] (IN 0),
   I [pA] (Cmd 0, command); protocol ..." ; caller frees; NULL on ENOMEM. */
char *nd_rec_summary(const nd_recording *rec);

/* Returns the summary, then one row per sweep (number, start, duration, each column's
   range), as text/plain, text/html and ND_MIME_JSON {"type":"recording","format",
   "sweeps","channels":[{"name","column","unit","kind"}],"sweep_table":[{"sweep","t0",
   "dt","samples"}],"meta":{}}; NULL on ENOMEM. */
nd_bundle *nd_rec_bundle(const nd_recording *rec);

#endif
