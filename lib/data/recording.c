/* The recording container: channels declared first, then sweeps, each sweep channels ×
   samples of contiguous values so that a channel of a sweep is contiguous, inside blocks
   the recording owns (one per sweep added by copy, or one a reader filled for all). */
#include "recording.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "meta.h"

typedef struct channel {
    char *name, *unit;
    nd_chan_kind kind;
} channel;

typedef struct sweep {
    double t0, dt;
    size_t n;
    double *values;   /* nchan blocks of n, inside one of the owned blocks */
} sweep;

struct nd_recording {
    char *format;
    size_t nchan, capchan;
    channel *chans;
    size_t nsweep, capsweep;
    sweep *sweeps;
    size_t nowned, capowned;
    void **owned;     /* the blocks the sweeps' values lie in */
    nd_meta meta;
};

nd_recording *nd_rec_create(const char *format)
{
    nd_recording *rec = calloc(1, sizeof *rec);
    if (!rec || !(rec->format = strdup(format ? format : ""))) {
        free(rec);
        return NULL;
    }
    return rec;
}

void nd_rec_free(nd_recording *rec)
{
    if (!rec) return;
    for (size_t c = 0; c < rec->nchan; c++) {
        free(rec->chans[c].name);
        free(rec->chans[c].unit);
    }
    for (size_t b = 0; b < rec->nowned; b++) free(rec->owned[b]);
    free(rec->owned);
    free(rec->chans);
    free(rec->sweeps);
    nd_meta_clear(&rec->meta);
    free(rec->format);
    free(rec);
}

/* Grows *items (of size elem) so that one more fits; 0 ok, -1 ENOMEM. */
static int grow(void **items, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap) return 0;
    size_t ncap = *cap ? 2 * *cap : 4;
    void *p = realloc(*items, ncap * elem);
    if (!p) return -1;
    *items = p;
    *cap = ncap;
    return 0;
}

int nd_rec_add_channel(nd_recording *rec, const char *name, const char *unit,
                       nd_chan_kind kind)
{
    if (rec->nsweep || !name || !*name || strpbrk(name, "\r\n") ||
        nd_rec_find_channel(rec, name) >= 0 || (unit && strpbrk(unit, "\r\n")))
        return -1;
    if (grow((void **)&rec->chans, &rec->capchan, rec->nchan, sizeof *rec->chans) != 0)
        return -1;
    channel ch = {strdup(name), unit && *unit ? strdup(unit) : NULL, kind};
    if (!ch.name || (unit && *unit && !ch.unit)) {
        free(ch.name);
        free(ch.unit);
        return -1;
    }
    rec->chans[rec->nchan] = ch;
    return (int)rec->nchan++;
}

/* 1 when a sweep of n samples per channel and interval dt fits the recording. */
static int sweep_ok(const nd_recording *rec, double dt, size_t n)
{
    return rec->nchan && n && dt > 0 && n <= SIZE_MAX / sizeof(double) / rec->nchan;
}

int nd_rec_add_sweep(nd_recording *rec, double t0, double dt, size_t n,
                     const double *const *data)
{
    if (!sweep_ok(rec, dt, n)) return -1;
    double *values = malloc(rec->nchan * n * sizeof *values);
    if (!values || nd_rec_adopt(rec, values) != 0) return -1;
    for (size_t c = 0; c < rec->nchan; c++)
        memcpy(values + c * n, data[c], n * sizeof *values);
    return nd_rec_add_sweep_at(rec, t0, dt, n, values);
}

int nd_rec_adopt(nd_recording *rec, void *block)
{
    if (grow((void **)&rec->owned, &rec->capowned, rec->nowned, sizeof *rec->owned) != 0) {
        free(block);
        return -1;
    }
    rec->owned[rec->nowned++] = block;
    return 0;
}

int nd_rec_add_sweep_at(nd_recording *rec, double t0, double dt, size_t n, double *values)
{
    if (!sweep_ok(rec, dt, n) ||
        grow((void **)&rec->sweeps, &rec->capsweep, rec->nsweep, sizeof *rec->sweeps) != 0)
        return -1;
    rec->sweeps[rec->nsweep++] = (sweep){t0, dt, n, values};
    return 0;
}

nd_status nd_rec_set_meta(nd_recording *rec, const char *key, const char *value)
{
    return nd_meta_set(&rec->meta, key, value);
}

nd_status nd_rec_set_file(nd_recording *rec, const char *path)
{
    const char *file = path;
    for (const char *p = path; *p; p++)
        if (*p == '/' || *p == '\\') file = p + 1;
    return nd_meta_set(&rec->meta, "file", *file ? file : path);
}

const char *nd_rec_meta(const nd_recording *rec, const char *key)
{
    return nd_meta_get(&rec->meta, key);
}

size_t nd_rec_meta_count(const nd_recording *rec) { return rec->meta.n; }
const char *nd_rec_meta_key(const nd_recording *rec, size_t i) { return rec->meta.keys[i]; }
const char *nd_rec_meta_value(const nd_recording *rec, size_t i) { return rec->meta.values[i]; }
const char *nd_rec_format(const nd_recording *rec) { return rec->format; }
size_t nd_rec_channels(const nd_recording *rec) { return rec->nchan; }
size_t nd_rec_sweeps(const nd_recording *rec) { return rec->nsweep; }
const char *nd_rec_channel_name(const nd_recording *rec, size_t c) { return rec->chans[c].name; }
const char *nd_rec_channel_unit(const nd_recording *rec, size_t c) { return rec->chans[c].unit; }
nd_chan_kind nd_rec_channel_kind(const nd_recording *rec, size_t c) { return rec->chans[c].kind; }
size_t nd_rec_sweep_len(const nd_recording *rec, size_t s) { return rec->sweeps[s].n; }
double nd_rec_sweep_t0(const nd_recording *rec, size_t s) { return rec->sweeps[s].t0; }
double nd_rec_sweep_dt(const nd_recording *rec, size_t s) { return rec->sweeps[s].dt; }

int nd_rec_find_channel(const nd_recording *rec, const char *name)
{
    for (size_t c = 0; c < rec->nchan; c++)
        if (strcmp(rec->chans[c].name, name) == 0) return (int)c;
    return -1;
}

const double *nd_rec_data(const nd_recording *rec, size_t s, size_t c)
{
    return rec->sweeps[s].values + c * rec->sweeps[s].n;
}

/* The column names of a sweep and the "channels" metadata that maps them back; 0 ok,
   -1 ENOMEM (names are freed by free_names either way). */
static int column_names(const nd_recording *rec, char **names, nd_sb *map)
{
    for (size_t c = 0; c < rec->nchan; c++) {
        if (!(names[c] = nd_rec_column_name(rec, c))) return -1;
        if (strcmp(names[c], rec->chans[c].name) != 0)
            nd_sb_printf(map, "%s%s=%s", map->len ? ", " : "", names[c], rec->chans[c].name);
    }
    return 0;
}

static void free_names(char **names, size_t n)
{
    for (size_t c = 0; c < n; c++) free(names[c]);
    free(names);
}

nd_dataset *nd_rec_sweep_dataset(const nd_recording *rec, size_t s, nd_error *err)
{
    const sweep *sw = &rec->sweeps[s];
    size_t ncols = rec->nchan + 1;
    char **names = calloc(rec->nchan, sizeof *names);
    const char **cols = malloc(ncols * sizeof *cols);
    const char **units = malloc(ncols * sizeof *units);
    nd_sb map;
    nd_sb_init(&map);
    nd_dataset *ds = NULL;
    if (names && cols && units && column_names(rec, names, &map) == 0) {
        cols[0] = "t";
        units[0] = "ms";
        for (size_t c = 0; c < rec->nchan; c++) {
            cols[c + 1] = names[c];
            units[c + 1] = rec->chans[c].unit;
        }
        ds = nd_ds_create(ncols, cols, units);
    }
    free_names(names, names ? rec->nchan : 0);
    free(cols);
    free(units);
    char num[32];
    int ok = ds && nd_ds_reserve(ds, sw->n) == 0;
    for (size_t i = 0; ok && i < rec->meta.n; i++)
        ok = nd_ds_set_meta(ds, rec->meta.keys[i], rec->meta.values[i]) == ND_OK;
    snprintf(num, sizeof num, "%zu", s + 1);
    ok = ok && nd_ds_set_meta(ds, "sweep", num) == ND_OK;
    snprintf(num, sizeof num, "%.17g", sw->t0);
    ok = ok && nd_ds_set_meta(ds, "t0", num) == ND_OK;
    ok = ok && (!map.len || nd_ds_set_meta(ds, "channels", nd_sb_str(&map)) == ND_OK);
    nd_sb_free(&map);
    double *row = ok ? malloc(ncols * sizeof *row) : NULL;
    for (size_t i = 0; row && i < sw->n; i++) {
        row[0] = (double)i * sw->dt;
        for (size_t c = 0; c < rec->nchan; c++) row[c + 1] = sw->values[c * sw->n + i];
        nd_ds_append(ds, row);   /* cannot fail: reserved */
    }
    if (!row) {
        nd_ds_free(ds);
        nd_error_fail(err, ND_ENOMEM, "out of memory");
        return NULL;
    }
    free(row);
    return ds;
}
