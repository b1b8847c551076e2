/* Electrophysiology features of current-clamp sweeps, after the Allen Institute's ipfx
   (Gouwens et al. 2019): per spike (threshold, peak, amplitude, half-width, after-
   hyperpolarisation), per sweep (count, rate, latency, ISIs, adaptation, sag, membrane
   time constant) and per cell from a set of steps (rheobase, input resistance, tau, sag,
   the F-I curve and its slope). Plain arrays in, so recordings and simulations alike:
   t in ms, equally spaced; v in mV; i in pA (or a model's current unit). The definitions,
   and where they differ from ipfx and eFEL, are in docs/features.md. */
#ifndef ND_ANALYSIS_EPHYS_H
#define ND_ANALYSIS_EPHYS_H

#include <stddef.h>

#include "../base/error.h"
#include "../data/recording.h"

/* The constants of the definitions; nd_ephys_options_default gives ipfx's. */
typedef struct nd_ephys_options {
    double dv_cutoff;      /* mV/ms: dV/dt crossing this upwards starts a putative spike (20) */
    double thresh_frac;    /* threshold: dV/dt back below this fraction of the sweep's mean
                              upstroke (0.05) */
    double min_height;     /* mV a spike rises from its start to its peak at least (2) */
    double min_peak;       /* mV a spike's peak reaches at least (-30) */
    double max_interval;   /* ms from threshold to peak at most (5) */
    double clip_tol;       /* mV: the last spike is clipped unless v comes back within this
                              of its threshold before the window ends (1) */
    double baseline_ms;    /* baseline for tau: mean v over this long before the step (100) */
    double steady_ms;      /* sag and Rin: baseline before and steady state at the end of the
                              step, each a mean over this long (30) */
    double peak_ms;        /* sag: the trough is a mean over this long around the minimum (5) */
    double tau_frac;       /* tau: the fit starts where v has gone this fraction of the way
                              to its minimum (0.1) */
} nd_ephys_options;

/* Fills o with ipfx's defaults (the values in parentheses above). */
void nd_ephys_options_default(nd_ephys_options *o);

/* One sweep as plain arrays. i may be NULL (n_i = 0) when start and end are given; the
   amplitude is then as given (NAN: unknown, and no subthreshold features). */
typedef struct nd_ephys_trace {
    const double *t, *v, *i;
    size_t n_t, n_v, n_i;  /* lengths: t and v (and i when given) must agree */
    double start, end;     /* the stimulus window in ms; both NAN: found from i */
    double amplitude;      /* the step above holding i[0]; NAN: from i (the mean of i over
                              the window minus i[0]) */
} nd_ephys_trace;

/* The stimulus window of a current trace: the longest run of constant i that differs from
   the holding current i[0] (the earliest of equally long runs); values within a thousandth
   of i's range count as equal. */
typedef struct nd_ephys_window {
    double start, end;     /* ms: the first sample of the step, the first sample after it
                              (t of the last sample + dt when the step runs to the end) */
    double amplitude;      /* the step's level minus holding */
    double holding;        /* i[0] */
} nd_ephys_window;

/* Finds the stimulus window of i(t) (n samples). ND_EVALUE when i is constant or never
   leaves holding ("no stimulus step found"). */
nd_status nd_ephys_stimulus(const double *t, const double *i, size_t n, nd_ephys_window *w,
                            nd_error *err);

/* One action potential. Times in ms, voltages in mV. */
typedef struct nd_ephys_spike {
    double threshold_t, threshold_v;  /* where dV/dt last rose through thresh_frac of the
                                         mean upstroke before this spike's upstroke */
    double peak_t, peak_v;            /* the highest sample between threshold and the next */
    double upstroke;                  /* the largest dV/dt between threshold and peak, mV/ms */
    double amplitude;                 /* peak_v - threshold_v */
    double half_width;                /* ms between the crossings of (threshold + peak)/2,
                                         linearly interpolated; NAN when clipped */
    double trough_t, trough_v;        /* the lowest v after the peak, before the next threshold
                                         (the window's end for the last); NAN when clipped */
    double ahp_depth;                 /* threshold_v - trough_v: fast AHP, > 0 below threshold */
    int clipped;                      /* the window ended before v came back down */
    int threshold_lost;               /* dV/dt stayed above the criterion from the stimulus
                                         onset (or the previous upstroke) to this upstroke:
                                         threshold_v, amplitude, half_width and ahp_depth
                                         are NAN, threshold_t is the upstroke's time */
} nd_ephys_spike;

/* The features of one sweep. Features that need spikes are NAN without them (a silent
   sweep: 0 spikes, rate 0, latency NAN); the subthreshold ones are NAN unless the step is
   hyperpolarising (amplitude < 0) and, for tau, silent. */
typedef struct nd_ephys_sweep {
    double start, end;     /* the stimulus window (ms) the features were measured in */
    double amplitude;      /* stimulus amplitude above holding */
    size_t n_spikes;       /* spikes found in the window */
    nd_ephys_spike *spikes;
    double rate;           /* Hz: spikes with threshold in the window / its length */
    double latency;        /* ms from start to the first threshold */
    double isi_mean;       /* ms, between thresholds (NAN below 2 spikes) */
    double isi_cv;         /* sample SD / mean of the ISIs (NAN below 3 spikes) */
    double adaptation;     /* mean of (ISI[k+1]-ISI[k])/(ISI[k+1]+ISI[k]) (NAN below 3) */
    double baseline;       /* mean v over baseline_ms before start (NAN when none) */
    double v_min, t_min;   /* the lowest sample in the window */
    double steady;         /* mean v over the window's last steady_ms */
    double sag;            /* (trough - steady) / (trough - baseline over steady_ms), the
                              trough a mean over peak_ms around v_min */
    double tau;            /* ms: single exponential fitted from tau_frac of the deflection
                              to v_min */
} nd_ephys_sweep;

/* Measures the features of one sweep with options o (NULL: the defaults). Fills out
   (clear it after). ND_EVALUE for lengths that differ, fewer than 3 samples, t not
   increasing and equally spaced, v or i not finite, a window outside the trace, or no
   stimulus step in i. */
nd_status nd_ephys_sweep_analyze(const nd_ephys_trace *tr, const nd_ephys_options *o,
                                 nd_ephys_sweep *out, nd_error *err);

/* Frees what nd_ephys_sweep_analyze stored and zeroes s. */
void nd_ephys_sweep_clear(nd_ephys_sweep *s);

/* Measures every sweep of rec with options o (NULL: the defaults): v from channel v_chan,
   converted to mV (from V or µV; no unit: taken for mV), i from channel i_chan (-1: none)
   converted to pA (from nA, µA or A; no unit: kept, the model's unit), t in ms from each
   sweep's start; start and end as for a trace (NAN: found in each sweep's i). *out
   (nd_ephys_sweeps_free) holds nd_rec_sweeps(rec) sweeps. ND_EVALUE for a channel that
   does not exist or is not a voltage (a current), or a sweep's error, named by its index. */
nd_status nd_ephys_recording(const nd_recording *rec, size_t v_chan, int i_chan, double start,
                             double end, const nd_ephys_options *o, nd_ephys_sweep **out,
                             nd_error *err);

/* Finds the protocol's stimulus window (ms from each sweep's start) in channel i_chan:
   the window of the sweep whose step is largest, which a protocol of steps shares with
   every sweep, also those whose step is 0 or equals a test pulse. ND_EVALUE when no sweep
   has a step. */
nd_status nd_ephys_protocol_window(const nd_recording *rec, size_t i_chan, double *start,
                                   double *end, nd_error *err);

/* Clears and frees n sweeps of nd_ephys_recording; NULL is allowed. */
void nd_ephys_sweeps_free(nd_ephys_sweep *s, size_t n);

/* Fits v ≈ y0 + a exp(-(t - t[0]) / tau) to n >= 3 samples by least squares (exact in y0
   and a, a one-dimensional search in log tau). *tau in the unit of t; ND_ESOLVER when the
   best tau is at the edge of the search (no decay in the samples). */
nd_status nd_ephys_fit_exp(const double *t, const double *v, size_t n, double *tau,
                           double *a, double *y0, nd_error *err);

/* The features of a cell from sweeps of steps of different amplitudes. */
typedef struct nd_ephys_cell {
    size_t n;              /* the F-I curve: one point per sweep, by increasing amplitude */
    double *amplitude, *rate;
    double rheobase;       /* the smallest positive amplitude with a spike */
    double fi_slope;       /* Hz per current unit: least-squares line through the sweeps at
                              and above rheobase */
    double input_resistance; /* 1000 x slope of steady-state v against amplitude over the
                              silent hyperpolarising sweeps: MΩ for mV and pA */
    double tau;            /* ms: mean of those sweeps' tau */
    double sag;            /* of the most hyperpolarising silent sweep */
    double sag_amplitude;  /* its amplitude */
    size_t n_hyper;        /* silent hyperpolarising sweeps used for Rin and tau */
    char notes[512];       /* why a NAN feature could not be measured ("" when all were) */
} nd_ephys_cell;

/* Rheobase: the smallest positive amplitude among sweeps with at least one spike.
   ND_EVALUE when no depolarising sweep spikes. */
nd_status nd_ephys_rheobase(const nd_ephys_sweep *s, size_t n, double *rheobase,
                            nd_error *err);

/* Input resistance (1000 x dV/dI, MΩ for mV and pA) from the steady states of the silent
   hyperpolarising sweeps, a least-squares line with intercept; with a single such sweep
   its baseline is the second point (I = 0). *used (may be NULL) counts those sweeps.
   ND_EVALUE when there is none. */
nd_status nd_ephys_input_resistance(const nd_ephys_sweep *s, size_t n, double *rin,
                                    size_t *used, nd_error *err);

/* The F-I slope (Hz per current unit) of the sweeps with amplitude >= rheobase.
   ND_EVALUE when fewer than two sweeps (of distinct amplitudes) are there. */
nd_status nd_ephys_fi_slope(const nd_ephys_sweep *s, size_t n, double rheobase,
                            double *slope, nd_error *err);

/* Measures every cell feature of n >= 1 analysed sweeps. A feature that the sweeps cannot
   give is NAN and out->notes says why; ND_EVALUE only for n = 0 (ENOMEM aside). Fills out
   (clear it after). */
nd_status nd_ephys_cell_analyze(const nd_ephys_sweep *s, size_t n, nd_ephys_cell *out,
                                nd_error *err);

/* Frees what nd_ephys_cell_analyze stored and zeroes c. */
void nd_ephys_cell_clear(nd_ephys_cell *c);

#endif
