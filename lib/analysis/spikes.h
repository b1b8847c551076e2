/* Spike detection on a voltage trace: threshold crossings with hysteresis and a minimum
   amplitude, peaks, inter-spike intervals, rates, and depolarisation block. The default
   rule is physiological for membrane potentials in mV and scale-aware for dimensionless
   models (spikes_rule.c); times and peaks of a simulation come from the solver's
   continuous solution, of other data from the samples, refined locally. */
#ifndef ND_ANALYSIS_SPIKES_H
#define ND_ANALYSIS_SPIKES_H

#include <stddef.h>
#include "../base/error.h"
#include "../data/dataset.h"

typedef struct nd_spikes {
    size_t n;               /* number of complete spikes */
    double *times;          /* upward threshold crossing, interpolated */
    double *peak_times;     /* time of the highest value in the spike */
    double *peaks;          /* that value */
    double threshold;       /* the threshold used */
    double block_start;     /* where the trace crossed up and never came back down (a
                               depolarisation block, or a spike cut off by the end); NAN if none */
    int dense;              /* 1: times and peaks from the solver's continuous solution */
} nd_spikes;

/* Finds the spikes of v(t) (n samples, t increasing): a spike starts where v crosses
   threshold upwards and ends where it falls below threshold - hysteresis; a crossing that
   never falls back is not a spike but a block (block_start). Crossings are linearly
   interpolated, peaks are the highest samples. Fills out (clear it after). */
nd_status nd_spikes_detect(const double *t, const double *v, size_t n, double threshold,
                           double hysteresis, nd_spikes *out, nd_error *err);

/* How spikes are told apart from everything else a trace does. */
typedef enum nd_spikes_kind {
    ND_SPIKES_GIVEN,        /* threshold and hysteresis given by the user */
    ND_SPIKES_VOLTAGE,      /* a membrane potential in mV: absolute, physiological */
    ND_SPIKES_SCALED,       /* a dimensionless variable: relative to its order-one scale */
    ND_SPIKES_RESET         /* a variable the model resets (lif, izh): each reset is a spike */
} nd_spikes_kind;

typedef struct nd_spikes_rule {
    nd_spikes_kind kind;
    double threshold;       /* a spike starts crossing it upwards ... */
    double hysteresis;      /* ... ends falling below threshold - hysteresis ... */
    double min_amplitude;   /* ... and rises at least this much above the lowest value
                               since the previous spike (0: no minimum) */
} nd_spikes_rule;

/* The default rule for the trace v (n samples) of a variable called name with unit (NULL
   or "": unknown): VOLTAGE for mV (or an unknown unit on V/v/Vm that goes below -30),
   else SCALED from the trace's range. */
void nd_spikes_rule_default(const char *name, const char *unit, const double *v, size_t n,
                            nd_spikes_rule *out);

/* A plain crossing of threshold (kind GIVEN): hysteresis a tenth of the trace's range, no
   minimum amplitude. */
void nd_spikes_rule_given(const double *v, size_t n, double threshold, nd_spikes_rule *out);

/* The default rule for column col (>= 1) of ds: RESET when its continuous solution shows
   the variable reset (a drop at one instant), else nd_spikes_rule_default. */
void nd_spikes_rule_for(const nd_dataset *ds, size_t col, nd_spikes_rule *out);

/* The rule `spikes` uses on column col (>= 1) of ds: nd_spikes_rule_for, or a plain
   crossing of *threshold (NULL: not given); *hysteresis (NULL: not given) replaces the
   rule's. ValueError for a hysteresis on a RESET rule (each reset is a spike: nothing to
   cross). */
nd_status nd_spikes_rule_with(const nd_dataset *ds, size_t col, const double *threshold,
                              const double *hysteresis, nd_spikes_rule *out, nd_error *err);

/* Returns the column of ds whose spikes are counted: var's (NULL: V when ds has it, else
   the first after time), or -1 when there is none (var not a column after time, or ds
   has no column besides time). */
int nd_spikes_column(const nd_dataset *ds, const char *var);

/* Writes a one-line description of the rule ("crossing -20 mV upwards, back below -30 mV,
   at least 30 mV high (the physiological default for mV)") into buf of cap bytes. */
void nd_spikes_rule_describe(const nd_spikes_rule *r, const char *unit, char *buf,
                             size_t cap);

/* Finds the spikes of v(t) by rule. With dense (NULL: none) holding the variable called
   name, detection runs on the solver's points and crossings and peaks are located on its
   continuous solution (RESET: a spike at each reset, peaking at the value before it);
   otherwise on the samples, each peak refined by the parabola through the highest sample
   and its neighbours (RESET then fails with ND_EVALUE). Fills out (clear it after). */
nd_status nd_spikes_find(const double *t, const double *v, size_t n, const nd_dense *dense,
                         const char *name, const nd_spikes_rule *rule, nd_spikes *out,
                         nd_error *err);

/* nd_spikes_find on column col (>= 1) of ds, with its continuous solution when it has one;
   rule NULL: nd_spikes_rule_for that column (written to *used when used is not NULL). */
nd_status nd_spikes_dataset(const nd_dataset *ds, size_t col, const nd_spikes_rule *rule,
                            nd_spikes *out, nd_spikes_rule *used, nd_error *err);

/* Frees what nd_spikes_detect stored and zeroes s. */
void nd_spikes_clear(nd_spikes *s);

/* Writes the s->n - 1 inter-spike intervals times[i + 1] - times[i] into isi. */
void nd_spikes_isi(const nd_spikes *s, double *isi);

/* Count-based firing rate in spikes per second over [t0, t1] given in milliseconds. */
double nd_spikes_rate(const nd_spikes *s, double t0, double t1);

/* Steady firing rate in spikes per second: 1000 / mean ISI in ms (0 without spikes, NAN
   with one: a single spike has no interval). Unlike the count over a window, it does not depend on where the window cuts
   the train. */
double nd_spikes_isi_rate(const nd_spikes *s);

/* Mean inter-spike interval (NAN with fewer than two spikes). */
double nd_spikes_isi_mean(const nd_spikes *s);

/* Coefficient of variation of the inter-spike intervals (NAN with fewer than three
   spikes); 0 below 1e-12, where intervals equal but for rounding (a periodic reset model)
   would read 7e-16. */
double nd_spikes_isi_cv(const nd_spikes *s);

#endif
