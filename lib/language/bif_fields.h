/* The fields of a bifurcation diagram as values: fold, hopf, cycle_fold, period_doubling
   and points (lists of records: the parameter and each state by name, kind, and omega,
   period, l1, criticality where they apply), parameter (its name), branches and cycles
   (lists of records of vectors along each branch). */
#ifndef ND_LANGUAGE_BIF_FIELDS_H
#define ND_LANGUAGE_BIF_FIELDS_H

#include <stddef.h>
#include "../analysis/continuation.h"
#include "value.h"

/* Returns the name of field i of a diagram, NULL past the last. */
const char *nd_bif_field_name(const nd_bif_result *r, size_t i);

/* Builds field name of r: 1 with *out a new reference, 0 when there is none, -1 ENOMEM. */
int nd_bif_field(const nd_bif_result *r, const char *name, nd_value **out);

#endif
