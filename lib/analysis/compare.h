/* Comparing two spike trains (or two traces): which spikes of a reference A the other
   train B reproduces and how precisely, the coincidence factor Γ (Kistler et al. 1997;
   Jolivet et al. 2008), and the RMS difference of two traces. */
#ifndef ND_ANALYSIS_COMPARE_H
#define ND_ANALYSIS_COMPARE_H

#include <stddef.h>
#include "../base/error.h"

typedef struct nd_compare {
    size_t n_a, n_b;        /* spikes of A and B inside the window */
    size_t matched;         /* spikes of A with a partner in B within delta */
    size_t missing;         /* spikes of A without one (n_a - matched) */
    size_t extra;           /* spikes of B without one (n_b - matched) */
    double *dt;             /* t_B - t_A of each matched pair, in A's order */
    double *missing_at;     /* the times of A's spikes without a partner (missing) */
    double *extra_at;       /* the times of B's spikes without a partner (extra) */
    double dt_mean;         /* mean |t_B - t_A| over the pairs (NAN: none) */
    double dt_max;          /* largest |t_B - t_A| (NAN: none) */
    double delta;           /* the coincidence window half-width */
    double window;          /* the length T of the compared time window */
    double gamma;           /* the coincidence factor (NAN when undefined) */
} nd_compare;

/* Matches the sorted spike times a (na) and b (nb) inside [t0, t1]: in A's order, each
   spike of A takes the nearest not yet taken spike of B within delta. Then
   Γ = (N_coinc − 2νΔN_A) / (½(N_A + N_B)(1 − 2νΔ)) with ν = N_B/T the rate of B:
   1 for identical trains, about 0 for chance coincidences. ND_EVALUE for a bad window
   or delta, ND_ENOMEM. Fills out (clear it after). */
nd_status nd_compare_trains(const double *a, size_t na, const double *b, size_t nb,
                            double t0, double t1, double delta, nd_compare *out,
                            nd_error *err);

/* Frees what nd_compare_trains stored and zeroes c. */
void nd_compare_clear(nd_compare *c);

/* Returns the RMS of v_a − v_b over A's samples inside [t0, t1], B linearly interpolated
   onto A's times (both time axes increasing); *used (optional) gets the number of samples.
   NAN when no sample of A lies inside both time ranges. */
double nd_compare_rms(const double *ta, const double *va, size_t na, const double *tb,
                      const double *vb, size_t nb, double t0, double t1, size_t *used);

#endif
