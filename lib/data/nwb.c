/* nd_nwb_load: in a child process (nwb_child.c), checks the file's global heaps, opens it
   with HDF5 (its error printing off), tells NWB 2 (a root attribute nwb_version "2.x.y")
   from NWB 1 (a root dataset nwb_version "NWB-1.x"), lets the layout collect the sweeps
   and adds the file's metadata. */
#include "nwb.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nwb_impl.h"

/* True for an NWB 1 version string ("NWB-1.0.5", or a bare "1.0.5"). */
static int is_nwb1(const char *v)
{
    return v && (strncmp(v, "NWB-1", 5) == 0 || strncmp(v, "1.", 2) == 0);
}

/* Collects the sweeps of the open file and builds the recording. */
static nd_recording *read_file(hid_t file, const char *path, nd_error *err)
{
    char *v2 = nwb_h5_attr_str(file, "nwb_version");
    char *v1 = v2 ? NULL : nwb_h5_dset_str(file, "nwb_version");
    char format[96], pipeline[64] = "";
    nwb_sweeps sweeps = {0};
    nd_recording *rec = NULL;
    int rc = -1;
    if (v2 && v2[0] == '2') {
        snprintf(format, sizeof format, "nwb %.80s", v2);
        rc = nwb2_read(file, &sweeps, err);
    } else if (is_nwb1(v1) || is_nwb1(v2)) {
        snprintf(format, sizeof format, "nwb 1 (allen)");
        rc = nwb1_allen_read(file, &sweeps, pipeline, sizeof pipeline, err);
    } else if (v1 || v2) {
        nd_error_fail(err, ND_EVALUE, "NWB version '%s' is not supported (NWB 2, and NWB 1 "
                      "as the Allen Cell Types database writes it, are)", v2 ? v2 : v1);
    } else {
        nd_error_fail(err, ND_EVALUE, "an HDF5 file but not NWB: no nwb_version attribute or "
                      "dataset at its root");
    }
    if (rc == 0) rec = nwb_sweeps_recording(&sweeps, format, err);
    nwb_sweeps_free(&sweeps);
    free(v1);
    free(v2);
    char *start = rec ? nwb_h5_dset_str(file, "session_start_time") : NULL;
    char *id = rec ? nwb_h5_dset_str(file, "identifier") : NULL;
    if (rec && (nwb_meta(rec, "session_start_time", start, err) != 0 ||
                nwb_meta(rec, "identifier", id, err) != 0 ||
                nwb_meta(rec, "allen_pipeline_version", *pipeline ? pipeline : NULL, err) != 0 ||
                nd_rec_set_file(rec, path) != ND_OK)) {
        nd_rec_free(rec);
        rec = NULL;
    }
    free(start);
    free(id);
    return rec;
}

/* Opens path read-only and reads it. */
static nd_recording *load(const char *path, nd_error *err)
{
    char detail[256];
    htri_t hdf5 = H5Fis_hdf5(path);
    if (hdf5 <= 0) {
        nd_error_fail(err, ND_EIO, "not an HDF5 file, so not NWB");
        return NULL;
    }
    if (nwb_heap_check(path, err) != 0) return NULL;
    /* closing the file then closes whatever a failed read left open */
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl < 0 || H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0) {
        if (fapl >= 0) H5Pclose(fapl);
        nd_error_fail(err, ND_EINTERNAL, "HDF5 cannot make a file access list");
        return NULL;
    }
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, fapl);
    H5Pclose(fapl);
    if (file < 0) {
        nwb_h5_detail(detail, sizeof detail);
        nd_error_fail(err, ND_EIO, "HDF5 cannot open it%s%s", *detail ? ": " : "", detail);
        return NULL;
    }
    nd_recording *rec = read_file(file, path, err);
    H5Fclose(file);
    return rec;
}

nd_recording *nwb_read_here(const char *path, nd_error *err)
{
    H5E_auto2_t print;
    void *print_data;
    H5Eget_auto2(H5E_DEFAULT, &print, &print_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    nd_recording *rec = load(path, err);
    H5Eset_auto2(H5E_DEFAULT, print, print_data);
    return rec;
}

nd_recording *nd_nwb_load_interruptible(const char *path, const atomic_int *interrupt,
                                        nd_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        nd_error_fail(err, ND_EIO, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    fclose(f);
    nd_recording *rec = nwb_isolated(nwb_read_here, path, interrupt, err);
    if (!rec && err) {   /* the reader's messages name what is wrong; this names the file */
        char msg[sizeof err->msg];
        int w = snprintf(msg, sizeof msg, "'%.200s': ", path);
        size_t used = w > 0 ? (size_t)w : 0;
        size_t keep = strnlen(err->msg, sizeof err->msg - 1);
        if (keep > sizeof msg - 1 - used) keep = sizeof msg - 1 - used;
        memcpy(msg + used, err->msg, keep);
        msg[used + keep] = '\0';
        memcpy(err->msg, msg, sizeof msg);
    }
    return rec;
}

nd_recording *nd_nwb_load(const char *path, nd_error *err)
{
    return nd_nwb_load_interruptible(path, NULL, err);
}
