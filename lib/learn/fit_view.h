/* Views of a parameter fit: the table of estimates with their uncertainty, the
   correlations and the identifiability warning (text, HTML, JSON), and the figure of the
   data against the fitted model's simulation. */
#ifndef ND_LEARN_FIT_VIEW_H
#define ND_LEARN_FIT_VIEW_H

#include "../base/bundle.h"
#include "../base/fields.h"
#include "../plot/figure.h"
#include "fit.h"

/* Everything a fit's view shows; prof may be NULL. */
typedef struct nd_fit_report {
    nd_fit *fit;
    const char *model_name;        /* what the fitted model is called */
    const nd_fit_run_info *run;
    const nd_fit_stats *stats;
    const nd_fit_profile *prof;
} nd_fit_report;

/* Returns the bundle (text/plain, text/html, application/vnd.neurodyn+json "fit"), or
   NULL on ENOMEM. */
nd_bundle *nd_fit_view(const nd_fit_report *r);

/* Returns a figure with one panel per observed variable of each dataset (at most 8): the
   data as dots, the fitted model's single-shooting solve as a line; NULL on ENOMEM or a
   failed solve. */
nd_figure *nd_fit_view_figure(nd_fit *f, const char *title);

/* The values a fit exposes ("fit", the fields of the fitted model): parameters (names),
   estimates, se, initial, correlation (row-major), ssr, sigma, condition, identifiable,
   warning, and with a profile p (NULL: none) profile_values, profile_ssr, profile_lo,
   profile_hi; NULL on ENOMEM (fit_fields.c). */
nd_fields *nd_fit_fields(const nd_fit *f, const nd_fit_stats *s, const nd_fit_profile *p);

#endif
