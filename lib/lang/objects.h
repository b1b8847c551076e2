/* The workspace object kinds of the science modules (datasets, models ...): how each is
   wrapped as a value, recognised, and shown. */
#ifndef ND_LANG_OBJECTS_H
#define ND_LANG_OBJECTS_H

#include "../data/dataset.h"
#include "value.h"

/* Returns a value owning ds (freed with the value; on failure ds is freed), or NULL. */
nd_value *nd_value_dataset(nd_dataset *ds);

/* Returns the dataset held by v, or NULL when v is not a dataset. */
nd_dataset *nd_value_as_dataset(const nd_value *v);

#endif
