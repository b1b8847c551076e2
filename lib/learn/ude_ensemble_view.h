/* What an ensemble of hybrids shows (ude_ensemble.h): its summary (members, their
   losses and verdicts, the spread, the calibration checks), the band of a prediction
   against data, and the band of a learned term against the true one. */
#ifndef ND_LEARN_UDE_ENSEMBLE_VIEW_H
#define ND_LEARN_UDE_ENSEMBLE_VIEW_H

#include <stdatomic.h>

#include "../base/bundle.h"
#include "../base/fields.h"
#include "ude_ensemble.h"
#include "ude_plot.h"

/* The type of an ensemble's record. */
#define ND_UDE_ENS_TYPE "network ensemble"

/* The members' prediction of one observed variable against a dataset. */
typedef struct nd_ude_ens_check {
    char data[64];            /* the dataset's name */
    char variable[64];
    size_t points;            /* samples with data and a band */
    double spread;            /* mean SD across the members (nd_ens_mean_sd) */
    double noise;             /* the data's noise SD, estimated (nd_noise_sd_estimate) */
    double coverage;          /* share of the samples inside mean ± 2 SD */
    double predictive;        /* … inside mean ± 2√(SD² + noise²) */
    double rms;               /* of the members' mean against the data */
} nd_ude_ens_check;

/* Predicts the first observed variable (observe NULL: the first state with a column in
   the data) of the n members under ex and compares it with ex's data named data_name:
   c, and the band in *band (may be NULL; free it with nd_ens_band_free). ValueError when
   the data has no such column; errors of nd_ude_ens_predict_band. */
nd_status nd_ude_ens_check_data(nd_ude *const *member, size_t n, const nd_ude_experiment *ex,
                                const char *data_name, const char *const *observe,
                                const atomic_int *interrupt, nd_ude_ens_check *c,
                                nd_ens_band *band, nd_error *err);

/* The summary of ensemble e of net_name trained on the ndata datasets names: a table of
   the members (seed, loss, verdict, training datasets), then each check (train: on the
   training data; held: on held-out data, NULL: none), text and HTML and the JSON of
   docs/json-results.md ("ensemble"); NULL on ENOMEM. */
nd_bundle *nd_ude_ens_view(const nd_ude_ens *e, const char *net_name,
                           const char *const *names, size_t ndata,
                           const nd_ude_ens_check *train, const nd_ude_ens_check *held);

/* The band of check c against its data ds (t and the variable's column), titled title:
   data dots, the members' mean and mean ± 2 SD; caption and JSON member "band" (the check's
   numbers). ND_ENOMEM. */
nd_status nd_ude_ens_plot_check(const nd_ude_ens_check *c, const nd_dataset *ds,
                                const nd_ens_band *b, const char *net_name, const char *title,
                                nd_ude_plot *out, nd_error *err);

/* The band of learned term `term` of n members of net_name along ds's times against the
   true true_name (tv, NULL: none), titled title; caption and JSON member "term_band":
   {network, members, learned, true, band, points, spread, coverage, rms}. ND_ENOMEM. */
nd_status nd_ude_ens_plot_term(const nd_ens_band *b, size_t n, const nd_dataset *ds,
                               const double *tv, const char *net_name, const char *term,
                               const char *true_name, const char *unit, const char *title,
                               nd_ude_plot *out, nd_error *err);

/* The values an ensemble exposes besides its members (ND_UDE_ENS_TYPE): seeds (strings),
   size, good_fits, losses, ok, rms_over_noise, band, then spread, noise, coverage,
   predictive_coverage of the check train, the same prefixed heldout_ for held (NULL:
   none), and term_spread, term_coverage for a term band (NULL: none); NULL on ENOMEM
   (ude_fields.c). */
nd_fields *nd_ude_ens_fields(const nd_ude_ens *e, const nd_ude_ens_check *train,
                             const nd_ude_ens_check *held, const nd_ens_band *term,
                             double term_coverage);

#endif
