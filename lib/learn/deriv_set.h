/* Derivatives of a dataset's columns as `deriv` computes and shows them: by one method or
   by all three (fd, Savitzky–Golay, total variation), the resulting dataset, a summary,
   and a comparison of the three estimates (figure and table). */
#ifndef ND_LEARN_DERIV_SET_H
#define ND_LEARN_DERIV_SET_H

#include <stdatomic.h>
#include <stddef.h>

#include "../base/bundle.h"
#include "../data/dataset.h"
#include "../plot/figure.h"
#include "deriv.h"

enum { ND_DERIV_NMETHODS = 3 };

typedef struct nd_deriv_set {
    /* the request */
    const nd_dataset *ds;       /* column 0 is the time */
    const char *src;            /* the dataset's name, for texts */
    const int *cols;            /* the differentiated columns */
    size_t nvars;
    nd_deriv_options o[ND_DERIV_NMETHODS];   /* each method's settings */
    int method;                 /* the method asked for, or -1 for all three */
    int compare;                /* all three are computed, for the comparison */
    /* the results: d[m] (nvars × rows, by variable) for the methods computed */
    double *d[ND_DERIV_NMETHODS];
    nd_deriv_info *tv_info;     /* per variable: what TV used */
} nd_deriv_set;

/* Returns 1 when method m is computed (every one for a comparison or method -1). */
int nd_deriv_set_computed(const nd_deriv_set *s, int m);

/* The settings the methods of s share (window, order, iters, alpha: each method reads
   its own), with their defaults; its method is Savitzky–Golay when that is computed (so
   nd_deriv_check_options checks the window against the data) and fd otherwise. */
nd_deriv_options nd_deriv_set_shared(const nd_deriv_set *s);

/* Gives every method of s the defaults of its own, then the shared settings of all. */
void nd_deriv_set_options(nd_deriv_set *s, const nd_deriv_options *all);

/* Computes the derivatives. Errors of nd_deriv_ex prefixed with the method and column
   ("savgol of v: …"); ND_EINTERRUPT (unlocated) when *interrupt is set between columns;
   ND_ENOMEM. */
nd_status nd_deriv_set_run(nd_deriv_set *s, const atomic_int *interrupt, nd_error *err);

/* Frees the results. */
void nd_deriv_set_clear(nd_deriv_set *s);

/* The result: t, then per variable dVAR/dt (dVAR/dt_fd, _savgol, _tv for method -1), in the
   units of the column per unit of time, with the source's metadata and derivative_of,
   derivative_method, window, order, alpha, iters; NULL on ENOMEM. */
nd_dataset *nd_deriv_set_dataset(const nd_deriv_set *s);

/* The summary of result res (its text says how each derivative was estimated, its JSON is
   docs/json-results.md's "derivative"); NULL on ENOMEM. */
nd_bundle *nd_deriv_view_summary(const nd_deriv_set *s, const nd_dataset *res);

/* The three estimates of variable v overlaid against t; NULL on ENOMEM. */
nd_figure *nd_deriv_view_figure(const nd_deriv_set *s, size_t v);

/* Per method, the RMS difference to the other two and the total variation of variable v's
   estimate ("derivative_comparison"); NULL on ENOMEM. */
nd_bundle *nd_deriv_view_compare(const nd_deriv_set *s, size_t v);

#endif
