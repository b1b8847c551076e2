/* What a file holds, told from its first bytes rather than its name. */
#ifndef ND_DATA_SNIFF_H
#define ND_DATA_SNIFF_H

#include "../base/error.h"

typedef enum nd_file_format {
    ND_FILE_ERROR,    /* could not be read: err says why */
    ND_FILE_ABF,      /* Axon Binary Format, version 1 ("ABF ") or 2 ("ABF2") */
    ND_FILE_HDF5,     /* HDF5 (NWB): the signature at byte 0 */
    ND_FILE_JSON,     /* text starting with '{' (a saved network) */
    ND_FILE_TEXT,     /* other text: CSV or TSV */
    ND_FILE_BINARY    /* none of these: a NUL byte or invalid UTF-8 in the first 4 KiB */
} nd_file_format;

/* Returns the format of the file at path; ND_FILE_ERROR with err set when it cannot be
   opened or read. */
nd_file_format nd_file_sniff(const char *path, nd_error *err);

/* Returns the format's name for messages ("an ABF file", "an HDF5 file" ...). */
const char *nd_file_format_name(nd_file_format f);

#endif
