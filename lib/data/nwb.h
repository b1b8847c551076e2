/* Neurodata Without Borders files as recordings: the intracellular (patch-clamp) sweeps of
   an NWB 2 file (CurrentClampSeries, IZeroClampSeries, VoltageClampSeries with their
   stimulus series) and of the NWB 1 files of the Allen Cell Types database. What is read
   and what is not: docs/recordings.md, "NWB". */
#ifndef ND_DATA_NWB_H
#define ND_DATA_NWB_H

#include <stdatomic.h>

#include "../base/error.h"
#include "recording.h"

/* Loads the NWB file at path as a recording of two channels, "V" (mV) and "I" (pA), one
   sweep per sweep number in ascending order; NULL with err set (ND_EIO for a missing or
   non-HDF5 file, ND_EVALUE for a file that is not NWB or whose series cannot be read). */
nd_recording *nd_nwb_load(const char *path, nd_error *err);

/* Same, stopped with ND_EINTERRUPT soon after *interrupt (when not NULL) becomes nonzero.
   HDF5 reads the file in a child process, so that a damaged file that crashes it or makes
   it loop costs only that process. */
nd_recording *nd_nwb_load_interruptible(const char *path, const atomic_int *interrupt,
                                        nd_error *err);

#endif
