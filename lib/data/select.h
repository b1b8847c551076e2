/* Datasets made of columns: some columns of another dataset, or arrays of equal length. */
#ifndef ND_DATA_SELECT_H
#define ND_DATA_SELECT_H

#include <stddef.h>

#include "dataset.h"

/* Returns a dataset of the columns idx[0..k) of src (valid indices), with its rows, its
   metadata, and copies of its continuous solution and stimulus (still valid for the
   columns kept); NULL on ENOMEM. */
nd_dataset *nd_ds_select(const nd_dataset *src, const int *idx, size_t k);

/* Returns a dataset of n columns called names (distinct; no units) holding the rows values
   cols[j][0..rows); NULL on ENOMEM or for repeated names. */
nd_dataset *nd_ds_from_columns(size_t n, const char *const *names, const double *const *cols,
                               size_t rows);

#endif
