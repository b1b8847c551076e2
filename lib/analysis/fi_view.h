/* How an F-I sweep is shown (`fi`): the summary of what the sweeps found, the curve as a
   figure (also the second panel of a bifurcation diagram), and the dataset it binds. */
#ifndef ND_ANALYSIS_FI_VIEW_H
#define ND_ANALYSIS_FI_VIEW_H

#include "../base/bundle.h"
#include "../data/dataset.h"
#include "../plot/figure.h"
#include "fi.h"

/* Returns the unit of m's firing rates: "Hz" for a time axis in ms or s (rate_scale makes
   ms rates per second), else "1/time unit". */
const char *nd_fi_rate_unit(const nd_model *m);

/* Writes the line fi's progress shows, "fi: up sweep at I = 3.5 (12 of 80 runs, 1.2 s)",
   for run done (from 0) of total at value of par after seconds, into buf (cap bytes). */
void nd_fi_progress_text(const char *par, int up, double value, size_t done, size_t total,
                         double seconds, char *buf, size_t cap);

/* Returns the summary of the sweeps o made of m ("F-I curve of hh: I = 0 … 20, 41 values,
   …", onset and its class, offset, bistable window) as text/plain, text/html and
   {"type":"fi","parameter","threshold","onset","onset_rate","offset","bistable_from",
   "bistable_to"}; NULL on ENOMEM. */
nd_bundle *nd_fi_bundle(const nd_model *m, const nd_fi_options *o, const nd_fi_result *r,
                        const nd_fi_findings *f);

/* Adds a panel of firing rate (in rate_unit, may be NULL) against xlabel below the
   others, with the up sweep (solid, filled circles) and the down sweep (dashed, open
   circles) of the rates at values x, each only when not NULL, named up_label and
   down_label; returns the panel, or -1 on ENOMEM. */
int nd_fi_add_panel(nd_figure *fig, const char *xlabel, const char *rate_unit,
                    const double *x, const double *up, const double *down, size_t n,
                    const char *up_label, const char *down_label);

/* Returns 1 when ds is an F-I result (the dataset `fi` binds: rate_up and rate_down). */
int nd_fi_is_result(const nd_dataset *ds);

/* Adds F-I result ds (nd_fi_is_result) below fig's panels against parameter param (in
   param_unit, may be NULL), up and down sweeps as `fi` draws them; 0, or -1 on ENOMEM. */
int nd_fi_add_result_panel(nd_figure *fig, const char *param, const char *param_unit,
                           const nd_dataset *ds);

/* Returns the figure of the rates against the parameter ("hh: firing rate against I (F-I
   curve)"), the sweeps o ran; NULL on ENOMEM. */
nd_figure *nd_fi_figure(const nd_model *m, const nd_fi_options *o, const nd_fi_result *r);

/* Returns the dataset `r = fi …` binds: columns PARAM, rate_up, rate_down, and as
   metadata the model, threshold, rhs_evals and the findings (nan when absent); NULL on
   ENOMEM. */
nd_dataset *nd_fi_dataset(const nd_model *m, const nd_fi_options *o, const nd_fi_result *r,
                          const nd_fi_findings *f);

#endif
