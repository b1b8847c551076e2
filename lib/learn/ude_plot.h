/* Figures of what a hybrid learned: its prediction against the data (`plot NET DATA`) and
   a learned term against the model's true one (`plot NET.TERM vs TERM …`), each with the
   numbers of the comparison as a caption and a JSON member. */
#ifndef ND_LEARN_UDE_PLOT_H
#define ND_LEARN_UDE_PLOT_H

#include <stdatomic.h>
#include <stddef.h>

#include <jansson.h>

#include "../data/dataset.h"
#include "../plot/figure.h"
#include "ude.h"
#include "ude_term.h"

enum { ND_UDE_PLOT_MAX_VARS = 8 };   /* panels of a prediction */

/* What a comparison figure carries besides its series. */
typedef struct nd_ude_plot {
    nd_figure *fig;
    char *caption;            /* malloc'ed */
    json_t *json;             /* the member the figure's JSON gains */
} nd_ude_plot;

/* Frees what p holds and zeroes it. */
void nd_ude_plot_clear(nd_ude_plot *p);

/* u (called net_name) simulated from its initial state (nd_ude_predict) on max(rows, 1000)
   (at most 20000) times spanning ds's time column, against ds: one panel per state in
   states[0..n) (n 0: every state with a column in ds, at most ND_UDE_PLOT_MAX_VARS), the
   data as dots where ds has the state's column; the caption gives the RMS error at the
   sample times (the prediction interpolated) and the JSON member "fit" is {"network",
   "rms":{STATE: …}}. ValueError without a state column or two increasing times; the
   prediction's errors (ND_ESOLVER, ND_EINTERRUPT); ND_ENOMEM. */
nd_status nd_ude_plot_fit(const nd_ude *u, const char *net_name, const nd_dataset *ds,
                          const int *states, size_t n, const char *title,
                          const atomic_int *interrupt, nd_ude_plot *out, nd_error *err);

/* The learned term te (u's `term`, called net_name.term) against the true true_name at m
   points: learned lv and true tv over xs, an input named xname in xunit (NULL: its unit in
   the model; along: xs are a dataset's times). The caption gives the RMS difference and its share of the true range;
   the JSON member "term" is {"network","learned","true","rms","rms_over_range","points"}.
   ND_ENOMEM. */
nd_status nd_ude_plot_term(const nd_ude_term *te, const char *net_name, const char *term,
                           const char *true_name, const char *xname, const char *xunit,
                           int along, const double *xs, const double *lv, const double *tv,
                           size_t m, const char *title, nd_ude_plot *out, nd_error *err);

#endif
