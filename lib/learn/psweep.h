/* Parameter sweeps: one measurement (firing rate, spike statistics, equilibria, extremes)
   at every point of a grid of parameter or initial values, run on every core through
   nd_pool_run, collected into a table (dataset) with the swept values as its first
   columns. A two-parameter grid is marked in the metadata (grid_shape) so that `plot`
   draws it as a heatmap. Every point starts from the model's initial state: the result of
   a point does not depend on its neighbours, which is what makes it parallel (the F-I
   curve's continuation from the previous value, nd_fi_sweep, is the serial alternative
   that shows hysteresis). */
#ifndef ND_LEARN_PSWEEP_H
#define ND_LEARN_PSWEEP_H

#include <stdatomic.h>
#include <stddef.h>

#include "../base/bundle.h"
#include "../base/error.h"
#include "../data/dataset.h"
#include "../models/model.h"
#include "../plot/figure.h"

/* The most points one sweep may have. */
#define ND_PSWEEP_MAX_POINTS 100000
/* The most swept parameters. */
#define ND_PSWEEP_MAX_AXES 4

typedef enum nd_psweep_measure {
    ND_PSWEEP_RATE,    /* rate: the steady firing rate after the transient */
    ND_PSWEEP_SPIKES,  /* spikes, rate, isi_mean, isi_cv, peak_mean over the window */
    ND_PSWEEP_FIXED,   /* equilibria (count), stable (count), and the first state of the
                          lowest stable one (NAN: none) */
    ND_PSWEEP_MAX,     /* max: the highest value of var over the window */
    ND_PSWEEP_MIN,     /* min: the lowest value of var over the window */
    ND_PSWEEP_FEATURES /* the electrophysiology features of the window (lib/analysis/ephys.h,
                          ipfx's definitions; mV and ms): spikes, rate, latency, isi_mean,
                          isi_cv, adaptation, and the first spike's threshold, peak,
                          half_width, ahp_depth */
} nd_psweep_measure;

/* One swept name: a parameter, else a state (its initial value). */
typedef struct nd_psweep_axis {
    const char *name;     /* borrowed */
    const double *values; /* borrowed, n values */
    size_t n;
} nd_psweep_axis;

typedef struct nd_psweep_options {
    const nd_psweep_axis *axes;
    size_t naxes;              /* 1 … ND_PSWEEP_MAX_AXES; axis 0 varies fastest */
    nd_psweep_measure measure;
    int var;                   /* the state spikes and extremes are measured on */
    double t;                  /* the measuring window after the transient */
    double transient;          /* time integrated first and not measured */
    double rtol;               /* solver tolerance (atol the same) */
    double bound;              /* a point whose state leaves [-bound, bound] stops there
                                  and is a hole in the table (0: no bound) */
    unsigned threads;          /* 0: one per core */
    const atomic_int *interrupt;
    /* Optional: called on the calling thread with the points finished and their total. */
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
} nd_psweep_options;

/* Fills o with the defaults for the axes: measure rate on state var, t 1000, transient
   200, rtol 1e-6, bound 1e6 (far beyond any physiological value, so that only a
   diverging point stops early), all cores. */
void nd_psweep_options_default(nd_psweep_options *o, const nd_psweep_axis *axes, size_t naxes,
                               int var);

/* Returns the name of a measure ("rate", "spikes", "fixed", "max", "min", "features"). */
const char *nd_psweep_measure_name(nd_psweep_measure m);

/* Sets *out to the measure called name; 0 ok, -1 unknown. */
int nd_psweep_measure_parse(const char *name, nd_psweep_measure *out);

/* Makes the values of a range axis: a, a + step, … up to b (step > 0; n ignored), or,
   with step NAN, n values evenly over [a, b] (a alone when n is 1). Values are snapped to
   the decimals of a and step (0.1 steps give 0.3, not 0.30000000000000004). *values is
   malloc'ed. ND_EVALUE for an empty range (b < a, a non-finite end, a == b with n > 1) or
   more than ND_PSWEEP_MAX_POINTS values. */
nd_status nd_psweep_range(double a, double b, double step, size_t n, double **values,
                          size_t *count, nd_error *err);

/* Checks o against m: every axis a parameter or state of m (NameError naming the model),
   no axis twice, no empty axis, at most ND_PSWEEP_MAX_POINTS points, positive times. */
nd_status nd_psweep_check(const nd_model *m, const nd_psweep_options *o, nd_error *err);

/* Runs the sweep on copies of m (m itself is not touched) and returns in *out the table:
   one row per point (axis 0 fastest), the axes' values then the measure's columns; its
   metadata: model, measure, var, t, transient, axes, threads, points, done, for two
   axes grid_shape "nx ny", and when points failed (the solver gave up or the state left
   the bound: their measured columns are NAN) failed (their count) and failure (the first
   one's error, naming the point). On ND_EINTERRUPT *out still holds every point (unfinished ones NAN
   and metadata done < points); on other errors *out is NULL. *ndone (may be NULL): the
   points finished. The table is the same whatever o->threads, and whatever the number of
   ranks of a distributed run (nd_dist_current): each computes its share of the points
   and every rank gets the whole table. A failing point's error names it ("sweep point
   I=3, gK=36: …"). */
nd_status nd_psweep_run(const nd_model *m, const nd_psweep_options *o, nd_dataset **out,
                        size_t *ndone, nd_error *err);

/* ---- views (psweep_view.c) ---- */

/* Returns the summary of a table from nd_psweep_run: text/plain ("sweep of hh: I = 0 … 20
   (41 values) × gK = 20 … 50 (31 values), 1271 points; rate 0 … 131 Hz"), HTML and
   ND_MIME_JSON {"type":"sweep", …} (docs/json-results.md). Neither the time nor the
   threads it took are in it: the same sweep shows the same on any machine. NULL on
   ENOMEM. */
nd_bundle *nd_psweep_bundle(const nd_dataset *ds);

/* Returns the figure of a sweep table's rate column (else, for measure fixed, its last
   column, else its first measured one): a heatmap over a two-parameter grid, a curve
   against the parameter for one, NULL for more (or ENOMEM). */
nd_figure *nd_psweep_figure(const nd_dataset *ds);

#endif
