/* A recording: the sweeps of a patch-clamp experiment as a file holds them (ABF, NWB,
   text), each sweep a run of equally spaced samples of the same channels. A channel is
   either recorded by the amplifier (the membrane potential in current clamp, the current
   in voltage clamp) or the command waveform the amplifier imposed (the stimulus).
   Times are in ms from the start of the file, values in the channel's own unit as the
   file states it (mV, pA, nA ...): converting units is the caller's decision. */
#ifndef ND_DATA_RECORDING_H
#define ND_DATA_RECORDING_H

#include <stddef.h>

#include "../base/error.h"
#include "dataset.h"

typedef struct nd_recording nd_recording;

typedef enum nd_chan_kind {
    ND_CHAN_RECORDED,   /* measured by the amplifier */
    ND_CHAN_COMMAND     /* the stimulus the protocol imposed */
} nd_chan_kind;

/* Returns an empty recording of the given format ("abf 2.6", "nwb 2.5.0", "csv"), or NULL
   on ENOMEM. */
nd_recording *nd_rec_create(const char *format);

/* Frees the recording; NULL is allowed. */
void nd_rec_free(nd_recording *rec);

/* Adds a channel before any sweep is added; returns its index, or -1 for an empty or
   taken name, a unit with a line break, a channel added after a sweep, or ENOMEM. */
int nd_rec_add_channel(nd_recording *rec, const char *name, const char *unit,
                       nd_chan_kind kind);

/* Appends a sweep of n >= 1 samples per channel starting at t0 ms with sample interval
   dt > 0 ms; data[c] holds channel c's n values (copied). 0 ok, -1 for bad sizes or ENOMEM. */
int nd_rec_add_sweep(nd_recording *rec, double t0, double dt, size_t n,
                     const double *const *data);

/* Gives the recording a malloc'ed block to free with itself, for the sweeps that
   nd_rec_add_sweep_at places in it (one block for every sweep of a file spares an
   allocation and a copy per sweep); 0 ok, -1 on ENOMEM (block freed). */
int nd_rec_adopt(nd_recording *rec, void *block);

/* As nd_rec_add_sweep, but values (nd_rec_channels blocks of n, channel after channel) is
   used in place, not copied: it lies in a block given to nd_rec_adopt. */
int nd_rec_add_sweep_at(nd_recording *rec, double t0, double dt, size_t n, double *values);

/* Sets key ([A-Za-z0-9_.-]+) to a single-line value ("protocol", "clamp", "date" ...), or
   removes it when value is NULL; keys keep first-set order. ND_EVALUE or ND_ENOMEM. */
nd_status nd_rec_set_meta(nd_recording *rec, const char *key, const char *value);

/* Sets the metadata "file" to path's last component (what a summary shows, the same
   wherever the file was read from); ND_ENOMEM. */
nd_status nd_rec_set_file(nd_recording *rec, const char *path);

/* Returns the value stored for key, or NULL. */
const char *nd_rec_meta(const nd_recording *rec, const char *key);

/* Returns the number of metadata entries; key and value of entry i in first-set order. */
size_t nd_rec_meta_count(const nd_recording *rec);
const char *nd_rec_meta_key(const nd_recording *rec, size_t i);
const char *nd_rec_meta_value(const nd_recording *rec, size_t i);

/* Returns the format given at creation. */
const char *nd_rec_format(const nd_recording *rec);

/* Returns the number of channels and of sweeps. */
size_t nd_rec_channels(const nd_recording *rec);
size_t nd_rec_sweeps(const nd_recording *rec);

/* Returns channel c's name, unit (NULL when unknown) and kind (c < nd_rec_channels). */
const char *nd_rec_channel_name(const nd_recording *rec, size_t c);
const char *nd_rec_channel_unit(const nd_recording *rec, size_t c);
nd_chan_kind nd_rec_channel_kind(const nd_recording *rec, size_t c);

/* Returns the index of the channel called name, or -1. */
int nd_rec_find_channel(const nd_recording *rec, const char *name);

/* Returns sweep s's sample count, start time (ms) and sample interval (ms) (s < nd_rec_sweeps). */
size_t nd_rec_sweep_len(const nd_recording *rec, size_t s);
double nd_rec_sweep_t0(const nd_recording *rec, size_t s);
double nd_rec_sweep_dt(const nd_recording *rec, size_t s);

/* Returns channel c's nd_rec_sweep_len values in sweep s. */
const double *nd_rec_data(const nd_recording *rec, size_t s, size_t c);

/* Returns the identifier channel c goes by in a sweep's dataset: "V" for the membrane
   potential (the first channel in volts, a recorded one before a command), "I" for the
   current (the first channel in amperes: the command before a recorded one in current
   clamp, that is when "V" is recorded; the recorded one first otherwise), else the
   channel's name with every character outside [A-Za-z0-9_] made "_" (and a leading digit
   prefixed by "_"), made unique by a suffix _2, _3 ...; caller frees; NULL on ENOMEM. */
char *nd_rec_column_name(const nd_recording *rec, size_t c);

/* Returns sweep s as a dataset: "t" in ms from the sweep's start, then every channel
   under nd_rec_column_name and its unit, with the recording's metadata plus "sweep"
   (s + 1: sweeps are counted from 1, as Clampfit shows them), "t0" (ms since the file's
   start) and "channels" ("V=IN 0, I=Cmd 0": which channel each column holds); NULL with
   err set on ENOMEM. */
nd_dataset *nd_rec_sweep_dataset(const nd_recording *rec, size_t s, nd_error *err);

#endif
