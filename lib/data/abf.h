/* Axon Binary Format (ABF 1.x and 2.x, as pCLAMP/Clampex and AxoScope write it) read into
   a recording: the recorded ADC channels scaled to their units, every sweep with its start
   time, and the command waveform that the protocol's epoch table defines. What is read and
   what is not: docs/recordings.md. */
#ifndef ND_DATA_ABF_H
#define ND_DATA_ABF_H

#include <stddef.h>

#include "../base/error.h"
#include "recording.h"

/* Reads an ABF file held in buf[0..len); name (may be NULL) only labels messages and the
   "file" metadata. Returns the recording, or NULL with err set (ND_EVALUE naming what is
   malformed, ND_ENOMEM). Never reads outside buf. */
nd_recording *nd_abf_read(const unsigned char *buf, size_t len, const char *name,
                          nd_error *err);

/* Reads the ABF file at path; NULL with err set (ND_EIO when it cannot be read). */
nd_recording *nd_abf_load(const char *path, nd_error *err);

#endif
