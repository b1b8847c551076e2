/* What the ABF readers take from a file's header, the same for ABF1 and ABF2: where the
   samples are and how to scale them, how they split into sweeps, the DAC outputs with
   their epoch tables, and the metadata. abf1_header.c and abf2_header.c fill it,
   abf_protocol.c turns a DAC's epochs into its command waveform, abf.c assembles the
   recording. Internal to lib/data. */
#ifndef ND_DATA_ABF_INFO_H
#define ND_DATA_ABF_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "abf_bytes.h"

#define ABF_MAX_ADC 16     /* Axon digitizers sample at most 16 inputs */
#define ABF_MAX_DAC 16
#define ABF_MAX_EPOCH 50   /* epochs A..AX of a waveform table (ABF2; ABF1 has 10) */

enum { ABF_EPOCH_OFF = 0, ABF_EPOCH_STEP = 1, ABF_EPOCH_RAMP = 2, ABF_EPOCH_PULSE = 3 };

typedef struct abf_epoch {
    int type;                   /* ABF_EPOCH_*, or another Clampex type we do not rebuild */
    double level, level_inc;    /* first sweep's level and its increment per sweep */
    int64_t dur, dur_inc;       /* samples per channel, and the increment per sweep */
    int64_t period, width;      /* pulse trains: samples */
} abf_epoch;

typedef struct abf_adc {
    char name[64], unit[32];
    double gain, offset;        /* int16 data: value = raw * gain + offset */
    int telegraph_mode;         /* amplifier mode from the telegraph: 0 V-clamp, 1 I-clamp,
                                   2 I=0; -1 when the telegraph is off */
} abf_adc;

typedef struct abf_dac {
    char name[64], unit[32];
    double holding;
    int waveform;               /* the epoch table drives this output */
    int from_file;              /* the waveform comes from a stimulus file (not read) */
    int keep_last;              /* nInterEpisodeLevel: hold the last epoch's level after
                                   the epochs and into the next sweep */
    int nepochs;
    abf_epoch epochs[ABF_MAX_EPOCH];   /* in epoch order, Off epochs included */
} abf_dac;

typedef struct abf_info {
    int major;                  /* 1 or 2 */
    char version[16];           /* "1.84", "2.6" */
    int mode;                   /* 1 event-driven variable length, 2 event-driven fixed,
                                   3 gap-free, 5 episodic stimulation */
    size_t item;                /* 2: int16 samples, 4: float32 */
    size_t data_off, data_count;       /* byte offset, samples (all channels) */
    size_t synch_off, synch_count;     /* the sweep table: entries of (start, length) */
    double synch_unit;          /* µs per synch start unit; 0: starts count samples */
    double dt_us;               /* per-channel sample interval */
    int64_t episode_samples;    /* per channel, for the command waveform */
    size_t nadc;
    abf_adc adc[ABF_MAX_ADC];
    size_t ndac;
    abf_dac dac[ABF_MAX_DAC];
    char protocol[256];         /* the protocol file's path as stored */
    char date[32];              /* ISO 8601 start of the recording, "" when absent */
} abf_info;

/* Fill info from an ABF1 ("ABF ") or ABF2 ("ABF2") file; 0, or -1 with b->err set. */
int abf1_header(const abf_buf *b, abf_info *info);
int abf2_header(const abf_buf *b, abf_info *info);

/* An ADC channel's scaling fields as the header stores them (float32, int32). */
typedef struct abf_gains {
    float range;                /* fADCRange, V */
    int32_t resolution;         /* lADCResolution, counts */
    float instrument_scale, signal_gain, programmable_gain;
    int telegraph;              /* nonzero: the telegraph's additional gain applies */
    float telegraph_gain, instrument_offset, signal_offset;
} abf_gains;

/* Sets adc's gain and offset from g the way neo computes them; -1 with b->err set for a
   zero divisor or a non-finite result (index and adc->name label the message). */
int abf_adc_scale(const abf_buf *b, int index, const abf_gains *g, abf_adc *adc);

/* Copies the n-byte text field at off into out (cap >= 1), stopping at a NUL and keeping
   printable ASCII only (others become '?'); spaces are dropped when squeeze is set (neo's
   channel names), else only trailing ones. */
void abf_text(const abf_buf *b, size_t off, size_t n, int squeeze, char *out, size_t cap);

/* Same for a unit: spaces dropped, Latin-1 micro sign to 'u', degree sign to UTF-8 "°",
   square brackets to parentheses. */
void abf_unit(const abf_buf *b, size_t off, size_t n, char *out, size_t cap);

/* Writes the ISO 8601 date of yyyymmdd plus ms milliseconds after midnight into out,
   or "" when the date is not a calendar date. */
void abf_date(uint32_t yyyymmdd, uint64_t ms, char *out, size_t cap);

/* 1 when DAC d's epochs can be rebuilt as a command waveform of samples_per_sweep;
   otherwise 0 with *why saying what prevents it (NULL when the DAC simply drives nothing). */
int abf_command_usable(const abf_info *info, size_t d, const char **why);

/* Writes DAC d's command waveform for sweep number sweep (n samples per channel) into
   out, given the level the previous sweep ended on (*carry, updated; start with the
   holding level). */
void abf_command_sweep(const abf_info *info, size_t d, int64_t sweep, size_t n,
                       double *carry, double *out);

#endif
