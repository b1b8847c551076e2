/* Spike detection on a sampled voltage trace: threshold crossings with hysteresis, peaks,
   inter-spike intervals, rates, and depolarisation block. */
#ifndef ND_ANALYSIS_SPIKES_H
#define ND_ANALYSIS_SPIKES_H

#include <stddef.h>
#include "../base/error.h"

typedef struct nd_spikes {
    size_t n;               /* number of complete spikes */
    double *times;          /* upward threshold crossing, linearly interpolated */
    double *peak_times;     /* time of the sample with the highest value in the spike */
    double *peaks;          /* that value */
    double threshold;       /* the threshold used */
    double block_start;     /* where the trace crossed up and never came back down (a
                               depolarisation block, or a spike cut off by the end); NAN if none */
} nd_spikes;

/* Finds the spikes of v(t) (n samples, t increasing): a spike starts where v crosses
   threshold upwards and ends where it falls below threshold - hysteresis; a crossing that
   never falls back is not a spike but a block (block_start). Fills out (clear it after). */
nd_status nd_spikes_detect(const double *t, const double *v, size_t n, double threshold,
                           double hysteresis, nd_spikes *out, nd_error *err);

/* Frees what nd_spikes_detect stored and zeroes s. */
void nd_spikes_clear(nd_spikes *s);

/* Mean firing rate in spikes per second over [t0, t1] given in milliseconds. */
double nd_spikes_rate(const nd_spikes *s, double t0, double t1);

/* Mean inter-spike interval (NAN with fewer than two spikes). */
double nd_spikes_isi_mean(const nd_spikes *s);

/* Coefficient of variation of the inter-spike intervals (NAN with fewer than three spikes). */
double nd_spikes_isi_cv(const nd_spikes *s);

#endif
