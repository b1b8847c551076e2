/* The records of the command language made from field descriptions (base/fields.h): what
   a science module says its result exposes becomes the record `x = command …` binds. */
#ifndef ND_LANGUAGE_FIELDS_VALUE_H
#define ND_LANGUAGE_FIELDS_VALUE_H

#include "../base/fields.h"
#include "value.h"

/* Returns the value of field d: a number, bool, string, none, vector, record (shown as a
   table of its fields) or list; NULL on ENOMEM. */
nd_value *nd_value_of_field(const nd_field *d);

/* Adds f's fields, in order, to record r; 0, or -1 on ENOMEM. */
int nd_record_add_fields(nd_value *r, const nd_fields *f);

/* Returns the record of f's type and fields, shown as view; takes over f (freed) and view
   (freed on failure). NULL on ENOMEM, when f is NULL or when building f failed. */
nd_value *nd_record_of_fields(nd_fields *f, nd_bundle *view);

#endif
