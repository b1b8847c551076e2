/* Private to the NWB reader (lib/data/nwb*.c): safe HDF5 reads, one time series read into
   mV or pA, and the sweeps both layouts collect before they become a recording. Only these
   files include HDF5's header, so only they need its include path (Makefile, HDF5_CFLAGS). */
#ifndef ND_DATA_NWB_IMPL_H
#define ND_DATA_NWB_IMPL_H

#include <stdatomic.h>
#include <stddef.h>

#include <hdf5.h>

#include "../base/error.h"
#include "recording.h"

/* ---- nwb_h5.c: reads that never let HDF5 print and fail softly on odd files ---- */

/* The most samples one series may hold (2^28, 2 GiB as doubles): a larger size in a
   corrupted header is refused before anything is allocated. */
#define NWB_MAX_SAMPLES ((size_t)1 << 28)

/* Returns 1 when path ('/'-separated, relative to loc) names an object that opens, checking
   each link on the way so that a missing parent is 0 rather than an error. */
int nwb_h5_exists(hid_t loc, const char *path);

/* Returns every string of attribute name of obj (a scalar gives one), fixed-length or
   variable, with *count set; NULL when absent, not text or unreadable. Free with
   nwb_h5_free_strings. */
char **nwb_h5_attr_strings(hid_t obj, const char *name, size_t *count);

/* Same for the dataset at path below loc. */
char **nwb_h5_dset_strings(hid_t loc, const char *path, size_t *count);

/* Frees what the two functions above return. */
void nwb_h5_free_strings(char **s, size_t count);

/* Returns the first string of attribute name of obj, or NULL; caller frees. */
char *nwb_h5_attr_str(hid_t obj, const char *name);

/* Returns the first string of the dataset at path below loc, or NULL; caller frees. */
char *nwb_h5_dset_str(hid_t loc, const char *path);

/* Reads the first value of numeric attribute name of obj into *out; 0 ok, -1 when absent,
   not a number or unreadable. */
int nwb_h5_attr_num(hid_t obj, const char *name, double *out);

/* Same for the numeric dataset at path below loc. */
int nwb_h5_dset_num(hid_t loc, const char *path, double *out);

/* Reads the 1-D numeric dataset at path below loc (integers or floats of any width) as
   doubles, *n >= 1; NULL with err naming path otherwise. Caller frees. */
double *nwb_h5_dset_vector(hid_t loc, const char *path, size_t *n, nd_error *err);

/* Returns the names of the links in the group at path below loc (*count of them, in name
   order), or NULL when there is no such group. Free with nwb_h5_free_strings. */
char **nwb_h5_children(hid_t loc, const char *path, size_t *count);

/* Returns the neurodata_type attribute of the group at path below loc, or NULL (absent, or
   not a group); caller frees. */
char *nwb_h5_type_of(hid_t loc, const char *path);

/* Writes the innermost message of HDF5's error stack ("" when none) into buf. */
void nwb_h5_detail(char *buf, size_t cap);

/* Walks every global heap collection of the HDF5 file at path with bounds, as HDF5 will
   without them; 0 when they hold together (or the file cannot be mapped: HDF5 then says
   why), -1 with err naming the damaged one. */
int nwb_heap_check(const char *path, nd_error *err);

/* ---- nwb_series.c: one TimeSeries group ---- */

typedef enum nwb_quantity { NWB_POTENTIAL, NWB_CURRENT } nwb_quantity;

/* One series' samples in mV (potential) or pA (current), equally spaced. */
typedef struct nwb_series {
    double *values;
    size_t n;
    double t0, dt;        /* ms: first sample's time and the interval */
    nwb_quantity quantity;
    double resolution;    /* in mV or pA; negative when the file does not know it */
} nwb_series;

/* Reads the TimeSeries group at path: data × conversion (when use_conversion) + offset in
   its unit, converted to mV or pA; the times from starting_time and its rate, or from
   timestamps that must be equally spaced. 0 ok, -1 with err naming path and the problem. */
int nwb_series_read(hid_t file, const char *path, int use_conversion, nwb_series *out,
                    nd_error *err);

/* Keeps count samples from start (the window of an icephys table row), moving t0; 0 ok,
   -1 with err when the window does not fit. */
int nwb_series_window(nwb_series *s, long start, long count, const char *path, nd_error *err);

/* Frees the samples; s is empty afterwards. */
void nwb_series_free(nwb_series *s);

/* Returns the quantity of a unit name ("volts", "Volts", "V", "mV", "amperes", "Amps",
   "A", "pA", "nA" ...) with *scale set to the factor to mV or pA; -1 when unknown. */
int nwb_unit_parse(const char *unit, double *scale);

/* ---- nwb_sweeps.c: sweeps collected from either layout, then the recording ---- */

typedef struct nwb_sweep {
    long number;
    int voltage_clamp;    /* 0: V recorded and I the command; 1: the reverse */
    double t0, dt;        /* ms */
    size_t n;
    double *v, *i;        /* mV and pA, n each */
    double v_res, i_res;  /* resolutions, negative when unknown */
    char *stim_desc;      /* NULL when the file has none */
} nwb_sweep;

typedef struct nwb_sweeps {
    size_t n, cap;
    nwb_sweep *items;
} nwb_sweeps;

/* Makes a sweep of a response and its stimulus (NULL: no stimulus, the command is zero),
   taking their samples; the two must share length and interval. 0 ok, -1 with err
   naming the two paths (both series are freed either way). */
int nwb_sweep_pair(nwb_sweeps *list, long number, int voltage_clamp, nwb_series *resp,
                   const char *resp_path, nwb_series *stim, const char *stim_path,
                   nd_error *err);

/* Sets the stimulus description of the sweep added last (copied; NULL allowed); 0 ok,
   -1 ENOMEM. */
int nwb_sweeps_describe_last(nwb_sweeps *list, const char *desc, nd_error *err);

/* Frees every sweep. */
void nwb_sweeps_free(nwb_sweeps *list);

/* Builds the recording of format: sweeps in ascending number (two with one number are an
   error), of the clamp most sweeps use (the others skipped and listed in "skipped_sweeps"),
   with metadata format, clamp, sweep_numbers, stimulus_description, resolutions. The
   samples of the sweeps kept move into the recording (list keeps numbers and descriptions;
   free it still). NULL with err set. */
nd_recording *nwb_sweeps_recording(nwb_sweeps *list, const char *format, nd_error *err);

/* Sets key to value in rec's metadata with line breaks turned into spaces (NULL: nothing);
   0 ok, -1 with err set. */
int nwb_meta(nd_recording *rec, const char *key, const char *value, nd_error *err);

/* ---- nwb_child.c ---- */

/* Runs reader(path, err) in a forked child and returns the recording it built, sent back
   through a pipe; a child killed by a signal (HDF5 crashing on a damaged file) is an error
   (ND_EVALUE) like any other, and a nonzero *interrupt (when not NULL) kills the child
   (ND_EINTERRUPT). NULL with err set. */
nd_recording *nwb_isolated(nd_recording *(*reader)(const char *path, nd_error *err),
                           const char *path, const atomic_int *interrupt, nd_error *err);

/* ---- nwb.c ---- */

/* Reads the NWB file at path in this process, HDF5's printing to stderr off: what the
   child of nd_nwb_load runs (called directly only by tests, to see leaks). NULL with err
   set. */
nd_recording *nwb_read_here(const char *path, nd_error *err);

/* ---- the two layouts ---- */

/* Collects the patch-clamp sweeps of an NWB 2 file; 0 ok, -1 with err set. */
int nwb2_read(hid_t file, nwb_sweeps *out, nd_error *err);

/* Collects the Sweep_N of an Allen Cell Types NWB 1 file, and its pipeline version
   ("" when absent) into version[cap]; 0 ok, -1 with err set. */
int nwb1_allen_read(hid_t file, nwb_sweeps *out, char *version, size_t cap, nd_error *err);

#endif
