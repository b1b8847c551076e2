/* F-I curves: the steady firing rate of a model against one parameter, measured by
   simulation, swept up and down with each value continuing from the state the previous
   one left, so that bistability shows as hysteresis. Spikes are counted cheaply by event
   location on the solver's dense output (no sampling). */
#ifndef ND_ANALYSIS_FI_H
#define ND_ANALYSIS_FI_H

#include <stdatomic.h>
#include <stddef.h>

#include "../base/error.h"
#include "../models/model.h"

typedef struct nd_fi_options {
    int par;                 /* index of the swept parameter */
    double a, b, step;       /* the values a, a + step, … up to b (a < b, step > 0) */
    int state;               /* index of the state whose crossings are spikes (V) */
    double transient;        /* time integrated before measuring, per value */
    double window;           /* the longest measuring window, per value */
    size_t min_spikes;       /* a window ends early after this many spikes (0: never) */
    double threshold;        /* spike threshold; NAN: found by pilot runs */
    double hysteresis;       /* re-arm this far below threshold; NAN: automatic */
    double rate_scale;       /* rates are spikes per time unit times this (1000 for ms) */
    double rtol;             /* dp5 tolerance (atol the same) */
    int up, down;            /* which sweeps to run */
    const atomic_int *interrupt;   /* optional: nonzero stops the work (Interrupted) */
    /* Optional: called before each value with the values done and the total. */
    void (*progress)(void *ctx, size_t done, size_t total, int up, double value);
    void *progress_ctx;
} nd_fi_options;

/* Fills o with the defaults for parameter par and spiking state state over [a, b]:
   step (b−a)/50, transient 200, window 1000, 20 spikes, automatic threshold, rate_scale 1,
   rtol 1e-6, both sweeps. */
void nd_fi_options_default(nd_fi_options *o, int par, int state, double a, double b);

/* Checks o against m; ND_EVALUE with a message naming the bad option. */
nd_status nd_fi_check(const nd_model *m, const nd_fi_options *o, nd_error *err);

typedef struct nd_fi_result {
    size_t n;                /* number of parameter values */
    double *value;           /* the parameter values, increasing */
    double *rate_up;         /* rate on the up sweep (NAN when it was not run) */
    double *rate_down;       /* rate on the down sweep (NAN when it was not run) */
    double threshold, hysteresis;  /* what was used (threshold NAN: nothing ever spiked) */
    long rhs_evals;          /* the solver's work over all runs */
} nd_fi_result;

/* Runs the sweeps on a copy of m's parameters (m's initial state is where each sweep
   starts: at a for the up sweep, at b for the down sweep). Fills out (clear it after).
   Errors: ND_EVALUE (bad options), ND_ESOLVER, ND_EINTERRUPT, ND_ENOMEM. */
nd_status nd_fi_sweep(const nd_model *m, const nd_fi_options *o, nd_fi_result *out,
                      nd_error *err);

/* Frees what nd_fi_sweep stored and zeroes r. */
void nd_fi_result_clear(nd_fi_result *r);

/* What a pair of sweeps shows, as indices into the values (-1: none). */
typedef struct nd_fi_findings {
    long onset, offset;       /* the first value firing going up, the last going down */
    long bist_lo, bist_hi;    /* the values silent going up but firing coming down */
    double max_rate;          /* the highest rate of either sweep */
    /* The onset resolved below the grid (nd_fi_classify; NAN and 0 until then). */
    double onset_value;       /* where firing starts, to a thousandth of the step */
    double onset_rate;        /* the rate just above it */
    int onset_class;          /* 1: the rate rises from near zero there, 2: it jumps to a
                                 finite rate (under 0.35 of the curve's highest); 0: not
                                 resolved */
} nd_fi_findings;

/* Returns the onset, offset, bistable window and highest rate of r. */
nd_fi_findings nd_fi_find(const nd_fi_result *r);

/* Resolves the up sweep's onset below the grid: nd_fi_onset over r's range from its first
   value, to a thousandth of the step (r's threshold), then the class from the rate just
   above the onset. A grid too coarse cannot tell a steep class 1 rise
   (lif: the rate falls to zero only logarithmically) from a class 2 jump; this can. Leaves
   f unresolved (ND_OK) when the sweep starts firing at its first value or a finer approach
   finds no single onset; ND_EINTERRUPT, ND_ESOLVER, ND_ENOMEM. */
nd_status nd_fi_classify(const nd_model *m, const nd_fi_options *o, const nd_fi_result *r,
                         nd_fi_findings *f, nd_error *err);

/* Finds the value where the up sweep starts firing to within tol, brute force: checks
   that a is silent and b fires, then sweeps the bracket up in tenths from rest at its
   lower end, narrowing it to the first firing tenth, until it is narrower than tol; a
   bistable neuron that no longer fires at the bracket's top when approached in the
   smaller steps is swept on up in them (up to b): the onset of a slow ramp. Each
   probe is one simulation (o's threshold, automatic when NAN, transient and window).
   *onset is the firing end of the final bracket, *rate (may be NULL) its rate.
   ND_EVALUE when the range does not bracket an onset. */
nd_status nd_fi_onset(const nd_model *m, const nd_fi_options *o, double tol, double *onset,
                      double *rate, nd_error *err);

#endif
