/* The values a bifurcation diagram exposes: fold, hopf, cycle_fold, period_doubling,
   torus, homoclinic, snic and points (lists of "special point": the parameter and each
   state by name, kind, and omega, period, l1, criticality where they apply), parameter
   (its name), branches and cycles (lists of records of vectors along each branch), notes.
   A diagram's branches can be long, so a reader builds one field at a time, when read. */
#ifndef ND_ANALYSIS_BIF_FIELDS_H
#define ND_ANALYSIS_BIF_FIELDS_H

#include <stddef.h>

#include "../base/fields.h"
#include "continuation.h"

/* Returns the name of a diagram's field i, NULL past the last. */
const char *nd_bif_field_name(size_t i);

/* Adds r's field called name to f: 1, 0 when a diagram has no such field, -1 when
   adding failed (nd_fields_status(f) tells why). */
int nd_bif_field_add(const nd_bif_result *r, const char *name, nd_fields *f);

/* Returns all of r's fields ("bifurcation diagram"); NULL on ENOMEM. */
nd_fields *nd_bif_fields(const nd_bif_result *r);

#endif
