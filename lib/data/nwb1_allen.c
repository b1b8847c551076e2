/* The NWB 1 layout of the Allen Cell Types database: sweep N is the response
   /acquisition/timeseries/Sweep_N and the command /stimulus/presentation/Sweep_N, each a
   TimeSeries with data (unit "Volts" or "Amps", conversion) and starting_time (rate).
   The files of the Allen pipeline before version 1.1 (/general/generated_by) store SI
   values with a conversion attribute that is wrong, so it is applied only from 1.1 on,
   as the AllenSDK does. /epochs/Sweep_N spans each whole series and is not needed. */
#include "nwb_impl.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads N from "Sweep_N" (digits only); -1 for any other name. */
static long sweep_of(const char *name)
{
    if (strncmp(name, "Sweep_", 6) != 0 || !isdigit((unsigned char)name[6])) return -1;
    char *end;
    errno = 0;
    long n = strtol(name + 6, &end, 10);
    return *end || errno ? -1 : n;
}

/* Finds the pipeline version in /general/generated_by, a list of keys each followed by its
   value; returns 1 when it is 1.1 or later. */
static int conversion_valid(hid_t file, char *version, size_t cap)
{
    size_t n = 0;
    char **info = nwb_h5_dset_strings(file, "general/generated_by", &n);
    version[0] = '\0';
    for (size_t k = 0; k + 1 < n; k++)
        if (strcmp(info[k], "version") == 0) {
            snprintf(version, cap, "%s", info[k + 1]);
            break;
        }
    nwb_h5_free_strings(info, n);
    int major = 0, minor = 0;
    if (sscanf(version, "%d.%d", &major, &minor) != 2) return 0;
    return major > 1 || (major == 1 && minor > 0);
}

/* The stimulus description of sweep N: the Allen names of its stimulus, else the
   NWB 1 stimulus_description of its response. */
static char *description(hid_t file, const char *spath, const char *rpath)
{
    static const char *const names[] = {"aibs_stimulus_description", "aibs_stimulus_name",
                                        "stimulus_description"};
    char sub[1024];
    char *d = NULL;
    for (int k = 0; !d && k < 3; k++) {
        snprintf(sub, sizeof sub, "%s/%s", k < 2 ? spath : rpath, names[k]);
        d = nwb_h5_dset_str(file, sub);
    }
    return d;
}

int nwb1_allen_read(hid_t file, nwb_sweeps *out, char *version, size_t cap, nd_error *err)
{
    size_t n = 0;
    char **names = nwb_h5_children(file, "acquisition/timeseries", &n);
    int use_conversion = conversion_valid(file, version, cap);
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < n; k++) {
        long number = sweep_of(names[k]);
        if (number < 0) continue;
        char rpath[512], spath[512];
        snprintf(rpath, sizeof rpath, "acquisition/timeseries/%s", names[k]);
        snprintf(spath, sizeof spath, "stimulus/presentation/%s", names[k]);
        nwb_series r, s;
        if (!nwb_h5_exists(file, spath)) {
            nd_error_fail(err, ND_EVALUE, "sweep %ld has no stimulus %s", number, spath);
            rc = -1;
        } else if (nwb_series_read(file, rpath, use_conversion, &r, err) != 0) {
            rc = -1;
        } else if (nwb_series_read(file, spath, use_conversion, &s, err) != 0) {
            nwb_series_free(&r);
            rc = -1;
        } else {
            int vc = r.quantity == NWB_CURRENT;
            rc = nwb_sweep_pair(out, number, vc, &r, rpath, &s, spath, err);
            char *desc = rc == 0 ? description(file, spath, rpath) : NULL;
            if (rc == 0) rc = nwb_sweeps_describe_last(out, desc, err);
            free(desc);
        }
    }
    nwb_h5_free_strings(names, n);
    if (rc == 0 && out->n == 0) {
        nd_error_fail(err, ND_EVALUE, "the NWB 1 file has no /acquisition/timeseries/Sweep_N "
                      "series (only the Allen Cell Types layout of NWB 1 is read)");
        rc = -1;
    }
    return rc;
}
