/* What the ephys_*.c files share and nothing else sees. */
#ifndef ND_ANALYSIS_EPHYS_IMPL_H
#define ND_ANALYSIS_EPHYS_IMPL_H

#include "ephys.h"

/* A sweep checked and placed on its samples: t[k] = t0 + k dt. */
typedef struct ephys_grid {
    const double *t, *v;
    size_t n;
    double dt;
} ephys_grid;

/* The sample nearest to time x (ties to the earlier), clamped to [0, n-1]: ipfx's
   find_time_index. */
size_t ephys_index(const ephys_grid *g, double x);

/* Mean of v over samples [a, b); NAN when b <= a. */
double ephys_mean(const double *v, size_t a, size_t b);

/* nd_ephys_sweep_analyze for a trace whose t the caller built as t[k] = k dt (dt > 0):
   the same result, without checking t. */
nd_status ephys_sweep_analyze_uniform(const nd_ephys_trace *tr, const nd_ephys_options *o,
                                      nd_ephys_sweep *out, nd_error *err);

/* The stimulus step of i (n samples) as nd_ephys_stimulus defines it, in samples: the
   run [*a, *b); with the same errors. */
nd_status ephys_step(const double *i, size_t n, size_t *a, size_t *b, nd_error *err);

/* Finds the spikes of v between samples s0 and s1 (inclusive) and measures each; *out
   (free it) holds *n of them (NULL when none). */
nd_status ephys_spikes(const ephys_grid *g, size_t s0, size_t s1, const nd_ephys_options *o,
                       nd_ephys_spike **out, size_t *n, nd_error *err);

#endif
