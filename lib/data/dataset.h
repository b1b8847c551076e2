/* A dataset: a table of named double columns with units, the first column being time
   "t", plus ordered key/value metadata (model, method, stimulus, noise, seed ...).
   Names are non-empty, distinct and single-line; units (optional) hold no '[', ']' or line
   break, because a CSV header writes them as "V [mV]". */
#ifndef ND_DATA_DATASET_H
#define ND_DATA_DATASET_H

#include <stdatomic.h>
#include <stddef.h>

#include "../base/bundle.h"
#include "../base/error.h"
#include "../ode/dense.h"
#include "../ode/stim.h"

typedef struct nd_dataset nd_dataset;

/* Returns an empty dataset of ncols >= 1 columns (units NULL, or an entry NULL or "",
   means unknown); NULL for invalid names or units, or on ENOMEM. */
nd_dataset *nd_ds_create(size_t ncols, const char *const *names, const char *const *units);

/* Frees the dataset; NULL is allowed. */
void nd_ds_free(nd_dataset *ds);

/* Returns an independent deep copy (values, names, units, metadata), or NULL on ENOMEM. */
nd_dataset *nd_ds_copy(const nd_dataset *ds);

/* Makes room for at least rows rows so that appends up to there cannot fail; 0 ok, -1 ENOMEM. */
int nd_ds_reserve(nd_dataset *ds, size_t rows);

/* Appends one row of nd_ds_cols(ds) values; 0 ok, -1 ENOMEM (the dataset is unchanged). */
int nd_ds_append(nd_dataset *ds, const double *row);

/* Returns the number of rows. */
size_t nd_ds_rows(const nd_dataset *ds);

/* Returns the number of columns, time included. */
size_t nd_ds_cols(const nd_dataset *ds);

/* Returns column j's nd_ds_rows contiguous values; valid until append/reserve/add_column. */
const double *nd_ds_col(const nd_dataset *ds, size_t j);

/* Same as nd_ds_col, writable; drops the attached continuous solution (nd_ds_dense). */
double *nd_ds_col_mut(nd_dataset *ds, size_t j);

/* Attaches d, the solver's continuous solution of the columns named like its variables
   (taken over; NULL removes it). Copies keep it; CSV files do not. */
void nd_ds_set_dense(nd_dataset *ds, nd_dense *d);

/* Returns the attached continuous solution, or NULL (loaded or noisy data). */
const nd_dense *nd_ds_dense(const nd_dataset *ds);

/* Attaches the stimulus the data was recorded under (taken over; NULL removes it), so that
   training can replay it exactly; the parameter it drives is the metadata "input". Copies
   keep it (noise too: it is not measured); CSV files do not. */
void nd_ds_set_stim(nd_dataset *ds, nd_stim *s);

/* Returns the attached stimulus, or NULL. */
const nd_stim *nd_ds_stim(const nd_dataset *ds);

/* Returns the name of column j. */
const char *nd_ds_name(const nd_dataset *ds, size_t j);

/* Returns the unit of column j, or NULL when unknown. */
const char *nd_ds_unit(const nd_dataset *ds, size_t j);

/* Returns the index of the column called name, or -1. */
int nd_ds_find(const nd_dataset *ds, const char *name);

/* Appends a column of nd_ds_rows values (copied; NULL: zeros); 0 ok, -1 for an invalid or
   taken name, an invalid unit, or ENOMEM. */
int nd_ds_add_column(nd_dataset *ds, const char *name, const char *unit, const double *values);

/* Sets key ([A-Za-z0-9_.-]+) to a single-line value, or removes it when value is NULL;
   keys keep first-set order. ND_EVALUE for a bad key or value, ND_ENOMEM. */
nd_status nd_ds_set_meta(nd_dataset *ds, const char *key, const char *value);

/* Returns the value stored for key, or NULL. */
const char *nd_ds_meta(const nd_dataset *ds, const char *key);

/* Returns the number of metadata entries. */
size_t nd_ds_meta_count(const nd_dataset *ds);

/* Returns the key of metadata entry i (i < count), in first-set order. */
const char *nd_ds_meta_key(const nd_dataset *ds, size_t i);

/* Returns the value of metadata entry i (i < count). */
const char *nd_ds_meta_value(const nd_dataset *ds, size_t i);

/* Writes ds to path as exactly re-loadable CSV, atomically (never a partial file);
   ND_EIO with the reason. Format in csv_save.c. */
nd_status nd_ds_save_csv(const nd_dataset *ds, const char *path, nd_error *err);

/* Flags of nd_ds_save_csv_until. */
enum { ND_CSV_NO_META = 1   /* no "# key: value" lines: the header row comes first */ };

/* nd_ds_save_csv with flags (ND_CSV_*) that stops when *interrupt (optional) becomes
   nonzero, checked every few thousand rows: ND_EINTERRUPT, and nothing is written (an
   older file stays as it was). */
nd_status nd_ds_save_csv_until(const nd_dataset *ds, const char *path, unsigned flags,
                               const atomic_int *interrupt, nd_error *err);

/* Reads a CSV saved by nd_ds_save_csv or a plain one; NULL with err naming the file, line
   and column of the first problem. Accepted format in csv_load.c. */
nd_dataset *nd_ds_load_csv(const char *path, nd_error *err);

/* Parses len bytes of CSV or TSV text (not NUL-terminated; a NUL inside is an error) as
   nd_ds_load_csv does a file, name standing for the file in messages. */
nd_dataset *nd_ds_parse_csv(const char *text, size_t len, const char *name, nd_error *err);

/* nd_ds_load_csv that stops when *interrupt (optional) becomes nonzero: NULL with
   ND_EINTERRUPT. */
nd_dataset *nd_ds_load_csv_until(const char *path, const atomic_int *interrupt, nd_error *err);

/* Returns "dataset 2001 rows × 5 columns (t 0..200 ms): V, m, h, n, I" (columns besides
   time); caller frees; NULL on ENOMEM. */
char *nd_ds_summary(const nd_dataset *ds);

/* Returns the display bundle (summary, metadata, first/last rows, and ND_MIME_JSON
   {"type":"dataset","rows","columns":[{"name","unit","min","max"}],"meta"}); NULL on ENOMEM. */
nd_bundle *nd_ds_bundle(const nd_dataset *ds);

#endif
