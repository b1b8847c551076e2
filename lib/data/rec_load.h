/* Reading a recording whatever its format: ABF or NWB, told from the content. */
#ifndef ND_DATA_REC_LOAD_H
#define ND_DATA_REC_LOAD_H

#include <stdatomic.h>

#include "../base/error.h"
#include "recording.h"
#include "sniff.h"

/* Returns the recording in the file at path, of format f (nd_file_sniff's: ND_FILE_ABF or
   ND_FILE_HDF5); NULL with err naming what is wrong (also for any other format), or with
   ND_EINTERRUPT when *interrupt (optional) became nonzero during an NWB read. */
nd_recording *nd_rec_load(const char *path, nd_file_format f, const atomic_int *interrupt,
                          nd_error *err);

#endif
