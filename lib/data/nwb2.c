/* The NWB 2 layout: patch-clamp responses under /acquisition and their stimuli under
   /stimulus/presentation, told apart by their neurodata_type attribute. A response finds
   its stimulus through the icephys table /general/intracellular_ephys/
   intracellular_recordings (object references with a sample window) when the file has
   one, otherwise through the shared sweep_number attribute. */
#include "nwb_impl.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE "general/intracellular_ephys/intracellular_recordings"

typedef enum kind {
    K_OTHER, K_CC, K_IZERO, K_VC,   /* responses */
    K_STIM_CC, K_STIM_VC            /* stimuli */
} kind;

/* The kind of the series at path, from its neurodata_type. */
static kind kind_of(hid_t file, const char *path)
{
    static const char *const names[] = {"", "CurrentClampSeries", "IZeroClampSeries",
                                        "VoltageClampSeries", "CurrentClampStimulusSeries",
                                        "VoltageClampStimulusSeries"};
    char *type = nwb_h5_type_of(file, path);
    kind k = K_OTHER;
    for (int i = 1; type && i <= K_STIM_VC; i++)
        if (strcmp(type, names[i]) == 0) k = (kind)i;
    free(type);
    return k;
}

static int is_response(kind k) { return k == K_CC || k == K_IZERO || k == K_VC; }

/* Reads the sweep_number attribute of the group at path: 1 found, 0 absent, -1 with err
   when it is not a whole number >= 0. */
static int sweep_number(hid_t file, const char *path, long *out, nd_error *err)
{
    hid_t g = H5Oopen(file, path, H5P_DEFAULT);
    if (g < 0) return 0;
    double v = 0;
    int present = H5Aexists(g, "sweep_number") > 0;
    int ok = present && nwb_h5_attr_num(g, "sweep_number", &v) == 0;
    H5Oclose(g);
    if (!present) return 0;
    if (!ok || !(v >= 0) || v > 1e15 || v != floor(v)) {
        nd_error_fail(err, ND_EVALUE, "series %s: sweep_number is not a whole number >= 0",
                      path);
        return -1;
    }
    *out = (long)v;
    return 1;
}

/* Copies the stimulus_description attribute of the group at path onto the last sweep. */
static int describe(hid_t file, const char *path, nwb_sweeps *out, nd_error *err)
{
    hid_t g = H5Oopen(file, path, H5P_DEFAULT);
    if (g < 0) return 0;
    char *desc = nwb_h5_attr_str(g, "stimulus_description");
    H5Oclose(g);
    int rc = nwb_sweeps_describe_last(out, desc, err);
    free(desc);
    return rc;
}

/* Reads the response at rpath and its stimulus at spath (NULL: none) with their windows
   (count < 0: the whole series), checks that the kinds match and adds the sweep. */
static int add_sweep(hid_t file, long number, kind rk, const char *rpath, long rstart,
                     long rcount, const char *spath, long sstart, long scount,
                     nwb_sweeps *out, nd_error *err)
{
    kind want = rk == K_VC ? K_STIM_VC : K_STIM_CC;
    if (spath && kind_of(file, spath) != want) {
        nd_error_fail(err, ND_EVALUE, "series %s is not a %s, the stimulus of %s",
                      spath, want == K_STIM_VC ? "VoltageClampStimulusSeries"
                                               : "CurrentClampStimulusSeries", rpath);
        return -1;
    }
    nwb_series r, s = {0};
    if (nwb_series_read(file, rpath, 1, &r, err) != 0) return -1;
    if ((rcount >= 0 && nwb_series_window(&r, rstart, rcount, rpath, err) != 0) ||
        (spath && nwb_series_read(file, spath, 1, &s, err) != 0)) {
        nwb_series_free(&r);
        return -1;
    }
    if (spath && scount >= 0 && nwb_series_window(&s, sstart, scount, spath, err) != 0) {
        nwb_series_free(&r);
        nwb_series_free(&s);
        return -1;
    }
    if (nwb_sweep_pair(out, number, rk == K_VC, &r, rpath, spath ? &s : NULL, spath, err) != 0)
        return -1;
    return describe(file, rpath, out, err);
}

/* ---- pairing by the icephys table ---- */

/* One row of a TimeSeriesReferenceVectorData column. */
typedef struct ts_ref {
    int32_t idx_start, count;
    hobj_ref_t ts;
} ts_ref;

/* Reads the column at path: a 1-D compound of idx_start, count and an object reference
   "timeseries"; NULL with err otherwise. */
static ts_ref *read_column(hid_t file, const char *path, size_t *n, nd_error *err)
{
    if (!nwb_h5_exists(file, path)) {
        nd_error_fail(err, ND_EVALUE, "the icephys table has no %s column", path);
        return NULL;
    }
    hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
    hid_t type = d >= 0 ? H5Dget_type(d) : -1, space = d >= 0 ? H5Dget_space(d) : -1;
    hid_t mem = -1;
    ts_ref *rows = NULL;
    int member = type >= 0 && H5Tget_class(type) == H5T_COMPOUND
                 ? H5Tget_member_index(type, "timeseries") : -1;
    H5T_class_t ref_class = member >= 0 ? H5Tget_member_class(type, (unsigned)member)
                                        : H5T_NO_CLASS;
    hssize_t np = space >= 0 && H5Sget_simple_extent_ndims(space) == 1
                  ? H5Sget_simple_extent_npoints(space) : -1;
    if (ref_class != H5T_REFERENCE || H5Tget_member_index(type, "idx_start") < 0 ||
        H5Tget_member_index(type, "count") < 0 || np < 0 || np > (hssize_t)NWB_MAX_SAMPLES) {
        nd_error_fail(err, ND_EVALUE, "%s is not a column of (idx_start, count, timeseries "
                      "reference) rows", path);
    } else if (np == 0) {
        *n = 0;
        rows = malloc(sizeof *rows);
        if (!rows) nd_error_fail(err, ND_ENOMEM, "out of memory");
    } else if (!(rows = malloc((size_t)np * sizeof *rows))) {
        nd_error_fail(err, ND_ENOMEM, "out of memory");
    } else if ((mem = H5Tcreate(H5T_COMPOUND, sizeof(ts_ref))) < 0 ||
               H5Tinsert(mem, "idx_start", offsetof(ts_ref, idx_start), H5T_NATIVE_INT32) < 0 ||
               H5Tinsert(mem, "count", offsetof(ts_ref, count), H5T_NATIVE_INT32) < 0 ||
               H5Tinsert(mem, "timeseries", offsetof(ts_ref, ts), H5T_STD_REF_OBJ) < 0 ||
               H5Dread(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0) {
        nd_error_fail(err, ND_EVALUE, "cannot read the icephys table column %s", path);
        free(rows);
        rows = NULL;
    } else {
        *n = (size_t)np;
    }
    if (mem >= 0) H5Tclose(mem);
    if (type >= 0) H5Tclose(type);
    if (space >= 0) H5Sclose(space);
    if (d >= 0) H5Dclose(d);
    return rows;
}

/* Returns the path of the object ref points to (caller frees), or NULL. */
static char *ref_path(hid_t file, const hobj_ref_t *ref)
{
    hid_t o = H5Rdereference2(file, H5P_DEFAULT, H5R_OBJECT, ref);
    if (o < 0) return NULL;
    char *path = NULL;
    ssize_t len = H5Iget_name(o, NULL, 0);
    if (len > 0 && len < 4096 && (path = malloc((size_t)len + 1)) &&
        H5Iget_name(o, path, (size_t)len + 1) < 0) {
        free(path);
        path = NULL;
    }
    H5Oclose(o);
    return path;
}

/* One row of the table: its response (when a patch-clamp series) and stimulus. */
static int table_row(hid_t file, size_t row, const ts_ref *resp, const ts_ref *stim,
                     nwb_sweeps *out, nd_error *err)
{
    if (resp->count < 0) return 0;   /* a stimulus-only row: nothing was recorded */
    char *rpath = ref_path(file, &resp->ts), *spath = NULL;
    int rc = -1;
    kind rk = rpath ? kind_of(file, rpath) : K_OTHER;
    long number = (long)row;
    if (!rpath) {
        nd_error_fail(err, ND_EVALUE, "icephys table row %zu: its response reference does "
                      "not resolve", row);
    } else if (!is_response(rk)) {
        rc = 0;   /* another kind of TimeSeries (an AD channel without electrode) */
    } else if (stim->count >= 0 && !(spath = ref_path(file, &stim->ts))) {
        nd_error_fail(err, ND_EVALUE, "icephys table row %zu: its stimulus reference does "
                      "not resolve", row);
    } else if (!spath && rk != K_IZERO) {
        nd_error_fail(err, ND_EVALUE, "icephys table row %zu: the response %s has no "
                      "stimulus", row, rpath);
    } else if (sweep_number(file, rpath, &number, err) >= 0) {
        rc = add_sweep(file, number, rk, rpath, resp->idx_start, resp->count,
                       rk == K_IZERO ? NULL : spath, stim->idx_start, stim->count, out, err);
    }
    free(rpath);
    free(spath);
    return rc;
}

/* Collects the sweeps the table lists; 1 when it lists none (pair by sweep number then). */
static int by_table(hid_t file, nwb_sweeps *out, nd_error *err)
{
    size_t nr = 0, ns = 0;
    ts_ref *resp = read_column(file, TABLE "/responses/response", &nr, err);
    ts_ref *stim = resp ? read_column(file, TABLE "/stimuli/stimulus", &ns, err) : NULL;
    int rc = -1;
    if (resp && stim && nr != ns)
        nd_error_fail(err, ND_EVALUE, "the icephys table has %zu responses and %zu stimuli",
                      nr, ns);
    else if (resp && stim)
        rc = nr == 0 ? 1 : 0;
    for (size_t r = 0; rc == 0 && r < nr; r++)
        rc = table_row(file, r, &resp[r], &stim[r], out, err);
    free(resp);
    free(stim);
    return rc;
}

/* ---- pairing by sweep_number ---- */

/* A stimulus series found under /stimulus/presentation. */
typedef struct stimulus {
    char *path;
    long number;
    int numbered;
} stimulus;

/* Finds the one stimulus of number for the response rpath; -1 with err when two match. */
static int find_stimulus(const stimulus *st, size_t n, long number, const char *rpath,
                         const char **found, nd_error *err)
{
    *found = NULL;
    for (size_t k = 0; k < n; k++) {
        if (!st[k].numbered || st[k].number != number) continue;
        if (*found) {
            nd_error_fail(err, ND_EVALUE, "two stimuli have sweep number %ld, the number of "
                          "%s: %s and %s", number, rpath, *found, st[k].path);
            return -1;
        }
        *found = st[k].path;
    }
    return 0;
}

static int by_sweep_number(hid_t file, nwb_sweeps *out, nd_error *err)
{
    size_t na = 0, np = 0, nst = 0;
    char **acq = nwb_h5_children(file, "acquisition", &na);
    char **pres = nwb_h5_children(file, "stimulus/presentation", &np);
    stimulus *st = calloc(np ? np : 1, sizeof *st);
    int rc = st ? 0 : -1;
    if (!st) nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t k = 0; rc == 0 && k < np; k++) {
        char path[1024];
        snprintf(path, sizeof path, "stimulus/presentation/%s", pres[k]);
        kind sk = kind_of(file, path);
        if (sk != K_STIM_CC && sk != K_STIM_VC) continue;
        stimulus *s = &st[nst];
        if (!(s->path = strdup(path))) {
            nd_error_fail(err, ND_ENOMEM, "out of memory");
            rc = -1;
        } else {
            nst++;
            int found = sweep_number(file, path, &s->number, err);
            if (found < 0) rc = -1;
            s->numbered = found == 1;
        }
    }
    for (size_t k = 0; rc == 0 && k < na; k++) {
        char rpath[1024];
        snprintf(rpath, sizeof rpath, "acquisition/%s", acq[k]);
        kind rk = kind_of(file, rpath);
        if (!is_response(rk)) continue;
        long number = 0;
        const char *spath = NULL;
        int found = sweep_number(file, rpath, &number, err);
        if (found == 0)
            nd_error_fail(err, ND_EVALUE, "series %s has no sweep_number and the file no "
                          "icephys table (" TABLE "): its stimulus cannot be found", rpath);
        if (found != 1 || find_stimulus(st, nst, number, rpath, &spath, err) != 0) {
            rc = -1;
        } else if (!spath && rk != K_IZERO) {
            nd_error_fail(err, ND_EVALUE, "series %s (sweep %ld) has no stimulus: no "
                          "stimulus/presentation series has sweep_number %ld", rpath, number,
                          number);
            rc = -1;
        } else {
            rc = add_sweep(file, number, rk, rpath, 0, -1, rk == K_IZERO ? NULL : spath, 0,
                           -1, out, err);
        }
    }
    for (size_t k = 0; st && k < nst; k++) free(st[k].path);
    free(st);
    nwb_h5_free_strings(acq, na);
    nwb_h5_free_strings(pres, np);
    return rc;
}

int nwb2_read(hid_t file, nwb_sweeps *out, nd_error *err)
{
    if (nwb_h5_exists(file, TABLE)) {
        int rc = by_table(file, out, err);
        if (rc <= 0) return rc;
    }
    return by_sweep_number(file, out, err);
}
