/* How spike trains and their comparison are shown (`spikes`, `compare`): a summary, a
   table of the first rows, and the JSON of docs/json-results.md with every spike. */
#ifndef ND_ANALYSIS_SPIKES_VIEW_H
#define ND_ANALYSIS_SPIKES_VIEW_H

#include <stddef.h>

#include "../base/bundle.h"
#include "../base/fields.h"
#include "../data/dataset.h"
#include "compare.h"
#include "spikes.h"

/* What a spike search found in a trace, with the window and rule it used. */
typedef struct nd_spikes_report {
    const nd_spikes *s;
    const nd_spikes_rule *rule;
    const char *var, *unit;      /* the variable searched and its unit (may be NULL) */
    const char *rate_unit;       /* "Hz" on a millisecond time axis */
    double t0, t1;               /* the window: the trace's first and last time */
} nd_spikes_report;

/* Fills r for the spikes s found in column col of ds by rule (all borrowed). */
void nd_spikes_report_of(const nd_dataset *ds, size_t col, const nd_spikes *s,
                         const nd_spikes_rule *rule, nd_spikes_report *r);

/* Sets *t0 and *t1 to the first and last time of ds (0 and 0 when it has no rows). */
void nd_spikes_window(const nd_dataset *ds, double *t0, double *t1);

/* Returns the summary ("12 spikes of V in [0, 100]: rate … Hz, …", the rule and where
   times and peaks come from), a table of the first 20 spikes (time, peak time, peak,
   ISI) and {"type":"spikes",…}; NULL on ENOMEM. */
nd_bundle *nd_spikes_bundle(const nd_spikes_report *r);

/* What a comparison of a reference train A with a train B found. */
typedef struct nd_compare_report {
    const nd_compare *c;
    const double *a, *b;         /* the two trains' times */
    size_t na, nb;
    double rms;                  /* RMS difference of the traces of var (NAN: none) */
    const char *var, *unit;      /* the compared variable (NULL: spike records only) */
    double t0, t1;               /* the common window */
} nd_compare_report;

/* Returns the counts, matches, Γ (and the RMS when there is one), a table of the first
   20 matched errors tB − tA and {"type":"compare",…}; NULL on ENOMEM. */
nd_bundle *nd_compare_bundle(const nd_compare_report *r);

/* The fields of a spike search ("spikes": count, times, peak_times, peaks, isi, rate,
   count_rate, isi_mean, isi_cv, threshold, variable, block_start, t_start, t_end); NULL
   on ENOMEM. */
nd_fields *nd_spikes_fields(const nd_spikes_report *r);

/* The fields of a comparison ("compare": gamma, matched, missing, extra, dt_mean, dt_max,
   dt, times_a, times_b, rms, delta); NULL on ENOMEM. */
nd_fields *nd_compare_fields(const nd_compare_report *r);

#endif
