/* The readers each check their own format in depth; this only routes. */
#include "rec_load.h"

#include "abf.h"
#include "nwb.h"

nd_recording *nd_rec_load(const char *path, nd_file_format f, const atomic_int *interrupt,
                          nd_error *err)
{
    switch (f) {
    case ND_FILE_ABF:  return nd_abf_load(path, err);
    case ND_FILE_HDF5: return nd_nwb_load_interruptible(path, interrupt, err);
    default:
        nd_error_fail(err, ND_EVALUE, "'%s' is %s, not a recording (ABF or NWB)", path,
                      nd_file_format_name(f));
        return NULL;
    }
}
