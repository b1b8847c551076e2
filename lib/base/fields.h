/* The named values a result exposes (its fields), described without any language: a
   record of a type holding numbers, booleans, strings, vectors, nested records and lists,
   in the order added. A science module says what its result exposes with an nd_*_fields
   function next to its view; the command language turns the description into the record
   `x = command …` binds (lib/language/fields_value.h), a C program or a binding reads it
   as it is. Failures are sticky: an addition that fails (or is made to a NULL child, the
   result of a failed one) is recorded in the root, so a builder adds everything and asks
   nd_fields_status once. */
#ifndef ND_BASE_FIELDS_H
#define ND_BASE_FIELDS_H

#include <stddef.h>

#include "error.h"

typedef struct nd_fields nd_fields;

typedef enum nd_field_kind {
    ND_FIELD_NUMBER, ND_FIELD_BOOL, ND_FIELD_STRING, ND_FIELD_NONE, ND_FIELD_VECTOR,
    ND_FIELD_RECORD,   /* a nested record (sub) */
    ND_FIELD_LIST      /* a list (sub), its items unnamed */
} nd_field_kind;

/* One field: its name (NULL for a list's item) and value. */
typedef struct nd_field {
    char *name;
    nd_field_kind kind;
    double num;           /* NUMBER; BOOL as 0 or 1 */
    char *str;            /* STRING */
    double *x;            /* VECTOR: n numbers */
    size_t n;
    nd_fields *sub;       /* RECORD, LIST */
} nd_field;

/* Returns an empty record of the named type (copied), or NULL on ENOMEM. */
nd_fields *nd_fields_create(const char *type);

/* Frees f with its children; NULL is allowed. Only a root (from nd_fields_create) is
   freed by the caller. */
void nd_fields_free(nd_fields *f);

/* Each addition returns ND_OK, ND_ENOMEM (f NULL counts as one), or ND_EINTERNAL for a
   misuse: an unnamed field in a record, a named item in a list. In a record, a name it
   has already keeps its first value (ND_OK). */

/* Adds the number x. */
nd_status nd_fields_number(nd_fields *f, const char *name, double x);
/* Adds the number x unless it is NaN (a value the result does not have). */
nd_status nd_fields_known(nd_fields *f, const char *name, double x);
/* Adds true (b != 0) or false. */
nd_status nd_fields_bool(nd_fields *f, const char *name, int b);
/* Adds a copy of the string s. */
nd_status nd_fields_string(nd_fields *f, const char *name, const char *s);
/* Adds "no value" (none). */
nd_status nd_fields_none(nd_fields *f, const char *name);
/* Adds a copy of the n numbers x (x may be NULL when n is 0). */
nd_status nd_fields_vector(nd_fields *f, const char *name, const double *x, size_t n);
/* Adds column j of the n rows of an array of stride numbers per row (x[i * stride + j]). */
nd_status nd_fields_column(nd_fields *f, const char *name, const double *x, size_t n,
                           size_t stride, size_t j);
/* Adds a vector of n numbers and returns them for the caller to fill; NULL on failure. */
double *nd_fields_vector_fill(nd_fields *f, const char *name, size_t n);
/* Adds a list of copies of the n strings s. */
nd_status nd_fields_strings(nd_fields *f, const char *name, const char *const *s, size_t n);

/* Adds a nested record of the given type and returns it (owned by f) to be filled; NULL
   on failure. */
nd_fields *nd_fields_record(nd_fields *f, const char *name, const char *type);
/* Adds an empty list and returns it (owned by f); its items are added with a NULL name. */
nd_fields *nd_fields_list(nd_fields *f, const char *name);

/* Records a failure of the builder of f (a value it could not compute) and returns st. */
nd_status nd_fields_fail(nd_fields *f, nd_status st);

/* ND_OK when every addition to f's root and its children succeeded, else the first
   failure's code (ND_ENOMEM for f NULL). */
nd_status nd_fields_status(const nd_fields *f);

/* Returns root f when building it succeeded; else frees it and returns NULL (the end of a
   builder that promises "NULL on ENOMEM"). */
nd_fields *nd_fields_done(nd_fields *f);

/* Returns f's type ("" for a list). */
const char *nd_fields_type(const nd_fields *f);
/* Returns 1 when f is a list. */
int nd_fields_is_list(const nd_fields *f);
/* Returns the number of fields (or items) of f. */
size_t nd_fields_count(const nd_fields *f);
/* Returns field i of f (borrowed), for i below nd_fields_count. */
const nd_field *nd_fields_at(const nd_fields *f, size_t i);
/* Returns f's field called name (borrowed), or NULL. */
const nd_field *nd_fields_find(const nd_fields *f, const char *name);

#endif
