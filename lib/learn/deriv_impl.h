/* Shared inside the derivative module (deriv.c, deriv_tv.c). */
#ifndef ND_LEARN_DERIV_IMPL_H
#define ND_LEARN_DERIV_IMPL_H

#include <stddef.h>

#include "../base/error.h"
#include "deriv.h"

/* Checks n >= 3, finite values and increasing times (and even spacing to 1e-6 relative
   when need_even); sets *h (when not NULL) to the mean step. ValueError otherwise. */
nd_status nd_deriv_check(const double *t, const double *x, size_t n, int need_even,
                         double *h, nd_error *err);

/* Second-order finite differences of checked data (n >= 3) into dx. */
void nd_deriv_fd_raw(const double *t, const double *x, size_t n, double *dx);

/* Total-variation regularised derivative of n >= 3 evenly spaced finite samples (step h)
   into dx; alpha 0 picks the weight from the noise; fills info (alpha used, noise
   estimate); options already checked (nd_deriv_check_options); ENOMEM. */
nd_status nd_deriv_tv(const double *x, size_t n, double h, double alpha, int iters,
                      double *dx, nd_deriv_info *info, nd_error *err);

#endif
