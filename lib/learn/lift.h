/* Residuals lifted over resets, shared by the parameter fit (fit_events.c) and UDE
   training (ude_events.c). A sampled spike train and a model that resets a little earlier
   or later than the data differ by a whole reset at the samples in between; lifting adds
   the model's own jumps y⁻ − y⁺ to (or takes them from) the residual wherever the model
   has reset more (or fewer) times than the data by that sample, so the residual changes
   continuously as an event moves past a sample. */
#ifndef ND_LEARN_LIFT_H
#define ND_LEARN_LIFT_H

#include <stddef.h>

#include "../models/model.h"

/* Flags lifted[q] for each observed state obs[q] that a reset of m assigns (a row of its
   derivatives other than the identity's); returns whether any, or -1 on ENOMEM. */
int nd_lift_columns(const nd_model *m, const int *obs, size_t no, int *lifted);

/* The data's resets up to each of rows samples: a fall of more than half a lifted
   column's range between consecutive finite values counts one reset (however many columns
   fall together). d is rows × ld, column q at offset q for q < ncols; dev gets rows counts. */
void nd_lift_count(const double *d, size_t rows, size_t ld, size_t ncols, const int *lifted,
                   size_t *dev);

/* The model's jumps that lift a residual when it has made a resets and the data b since
   the same start: jumps [*k0, *k1) with the returned sign (+1 added, -1 subtracted; 0:
   none). A jump index at or past njump (one the model has not made) stands for its last:
   nd_lift_jump maps it. */
double nd_lift_range(size_t a, size_t b, size_t *k0, size_t *k1);
size_t nd_lift_jump(size_t k, size_t njump);

#endif
