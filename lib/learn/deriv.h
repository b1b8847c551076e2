/* Derivatives of sampled signals for SINDy: central finite differences, Savitzky–Golay
   (a local polynomial fit), and total-variation regularised differentiation (Chartrand
   2011: the derivative u minimising α·TV(u) + ½‖∫u − (x − x₀)‖², for noisy data). */
#ifndef ND_LEARN_DERIV_H
#define ND_LEARN_DERIV_H

#include <stddef.h>

#include "../base/error.h"

typedef enum nd_deriv_method { ND_DERIV_FD, ND_DERIV_SAVGOL, ND_DERIV_TV } nd_deriv_method;

/* The ranges nd_deriv_check_options enforces (argument readers quote them). */
enum { ND_DERIV_WINDOW_MIN = 3, ND_DERIV_WINDOW_MAX = 100001, ND_DERIV_ORDER_MAX = 12,
       ND_DERIV_ITERS_MAX = 1000 };

typedef struct nd_deriv_options {
    nd_deriv_method method;
    int window;        /* Savitzky–Golay: odd number of samples in each fit (default 9) */
    int order;         /* Savitzky–Golay: polynomial degree 1 … 12, < window (default 3) */
    double alpha;      /* TV: regularisation weight (0: chosen from the data's noise) */
    int iters;         /* TV: outer iterations 1 … 1000 (default 20) */
} nd_deriv_options;

/* The option nd_deriv_check_options found wrong, for a caller to point at. */
typedef enum nd_deriv_field {
    ND_DERIV_FIELD_NONE, ND_DERIV_FIELD_WINDOW, ND_DERIV_FIELD_ORDER, ND_DERIV_FIELD_ITERS,
    ND_DERIV_FIELD_ALPHA, ND_DERIV_FIELD_DATA   /* DATA: the window is longer than the data */
} nd_deriv_field;

/* Fills o with the defaults for method. */
void nd_deriv_options_default(nd_deriv_options *o, nd_deriv_method method);

/* Returns "fd", "savgol" or "tv". */
const char *nd_deriv_name(nd_deriv_method m);

/* Sets *m from a name ("fd", "savgol", "tv"); 0, or -1 when unknown. */
int nd_deriv_parse(const char *name, nd_deriv_method *m);

/* Checks every field of o, whatever the method (the one set of rules for all callers);
   with o->method Savitzky–Golay and n > 0, also that the window fits in n samples.
   ValueError naming the rule, *bad (when not NULL) set to the field at fault. */
nd_status nd_deriv_check_options(const nd_deriv_options *o, size_t n, nd_deriv_field *bad,
                                 nd_error *err);

/* Writes dx/dt at the n samples (t increasing; FD accepts uneven spacing, Savitzky–Golay
   and TV need an even one to 1e-6 relative). ValueError for n < 3 (or < window), uneven
   spacing where it matters, non-finite values, options nd_deriv_check_options refuses;
   ENOMEM. */
nd_status nd_deriv(const double *t, const double *x, size_t n, const nd_deriv_options *o,
                   double *dx, nd_error *err);

/* What a derivative was computed with, for reports. */
typedef struct nd_deriv_info {
    double alpha;      /* TV: the weight used (the chosen one when o->alpha is 0); else 0 */
    double sigma;      /* TV: the noise level estimated from the data; else 0 */
} nd_deriv_info;

/* Same as nd_deriv, also filling *info (when not NULL). */
nd_status nd_deriv_ex(const double *t, const double *x, size_t n, const nd_deriv_options *o,
                      double *dx, nd_deriv_info *info, nd_error *err);

#endif
