/* Values of the command language: immutable, reference-counted, tagged. Objects
   (datasets, models, networks ...) plug in through a small vtable. */
#ifndef ND_LANGUAGE_VALUE_H
#define ND_LANGUAGE_VALUE_H

#include <stddef.h>
#include <jansson.h>

#include "../base/bundle.h"
#include "../base/strbuf.h"

typedef enum nd_value_kind {
    ND_VAL_NONE, ND_VAL_NUMBER, ND_VAL_BOOL, ND_VAL_STRING, ND_VAL_RANGE, ND_VAL_LIST,
    ND_VAL_OBJECT,
    ND_VAL_VECTOR,    /* numbers stored flat: a dataset column, spike times */
    ND_VAL_RECORD     /* what a computing command binds: named fields and how it is shown */
} nd_value_kind;

typedef struct nd_value nd_value;

/* What a kind of object must provide; all callbacks receive the object's data pointer. */
typedef struct nd_object_type {
    const char *type_name;                        /* "dataset", "model" ... */
    char *(*summary)(const void *data);           /* one line, malloc'ed (NULL: ENOMEM) */
    nd_bundle *(*to_bundle)(const void *data);    /* full rendering, or NULL: use summary */
    void (*free)(void *data);                     /* releases data when the last ref goes */
    /* Optional (NULL: the object has no fields): the name of field i, NULL past the last. */
    const char *(*field_name)(const void *data, size_t i);
    /* Optional: field name as a new value in *out: 1, 0 when there is none, -1 on ENOMEM. */
    int (*field)(const void *data, const char *name, nd_value **out);
} nd_object_type;

struct nd_value {
    nd_value_kind kind;
    int refs;
    union {
        double num;                               /* NUMBER */
        int truth;                                /* BOOL */
        char *str;                                /* STRING */
        struct { double lo, hi; } range;          /* RANGE */
        struct { nd_value **items; size_t n; } list;
        struct { const nd_object_type *type; void *data; } obj;
        struct { double *x; size_t n; } vec;          /* VECTOR */
        struct {                                      /* RECORD */
            char *type;                               /* "spikes", "fixed points" ... */
            char **names;                             /* field names, in the order added */
            nd_value **items;
            size_t n, cap;
            nd_bundle *view;                          /* how it is shown; may be NULL */
        } rec;
    } as;
};

/* Constructors return a value with one reference, or NULL when out of memory. */

/* Returns the none value. */
nd_value *nd_value_none(void);
/* Returns a number. */
nd_value *nd_value_number(double x);
/* Returns true (b != 0) or false. */
nd_value *nd_value_bool(int b);
/* Returns a string holding a copy of s. */
nd_value *nd_value_string(const char *s);
/* Returns the range lo..hi. */
nd_value *nd_value_range(double lo, double hi);
/* Returns a list that takes over the n references in items (the array is copied). On
   failure the references are released. */
nd_value *nd_value_list(nd_value **items, size_t n);
/* Returns an object of the given type owning data; on failure data is freed by type. */
nd_value *nd_value_object(const nd_object_type *type, void *data);

/* Returns a vector holding a copy of the n numbers x (x may be NULL when n is 0). */
nd_value *nd_value_vector(const double *x, size_t n);

/* Returns a vector of n numbers left for the caller to fill (as.vec.x) before it is
   shared. */
nd_value *nd_value_vector_alloc(size_t n);

/* Returns an empty record of the given type, shown as view (taken over, freed on
   failure; NULL: shown as a table of its fields). Fields are added with nd_record_add*
   while it is built, before it is shared. */
nd_value *nd_value_record(const char *type, nd_bundle *view);

/* Adds the field name = v to record r, taking over v's reference (released on failure;
   v NULL counts as a failure); a name r has already keeps its first value (v is released).
   0, or -1 on ENOMEM. */
int nd_record_add(nd_value *r, const char *name, nd_value *v);

/* Returns record r's field called name (borrowed), or NULL when r has none. */
nd_value *nd_record_get(const nd_value *r, const char *name);

/* Returns the name of v's field i (a record's fields, an object's fields: a dataset's
   columns ...) for i below the number of fields, else NULL. */
const char *nd_value_field_name(const nd_value *v, size_t i);

/* Looks up the field v.name: 1 with *out a new reference, 0 when v has no such field,
   -1 on ENOMEM. */
int nd_value_field(const nd_value *v, const char *name, nd_value **out);

/* Adds a reference and returns v. */
nd_value *nd_value_ref(nd_value *v);

/* Drops a reference, freeing v with the last one; NULL is allowed. */
void nd_value_unref(nd_value *v);

/* Returns the name of v's type ("number", "string", ..., or the object's type_name). */
const char *nd_value_type_name(const nd_value *v);

/* Writes v's type with its article ("a number", "an object") into buf and returns buf. */
const char *nd_value_a_type(const nd_value *v, char *buf, size_t cap);

/* Appends v as text: strings quoted when quote is set (and always inside lists), numbers
   in round-trip form, objects as their summary. */
void nd_value_to_text(const nd_value *v, int quote, nd_sb *sb);

/* Returns v's machine-readable JSON ({"type":"number","value":3} ...); NULL on ENOMEM. */
json_t *nd_value_json(const nd_value *v);

/* Returns a one-line description for tables (text of short values, summary of objects);
   malloc'ed, NULL on ENOMEM. */
char *nd_value_summary(const nd_value *v);

/* Renders v as a bundle with a non-empty text/plain and application/vnd.neurodyn+json;
   NULL on ENOMEM. */
nd_bundle *nd_value_to_bundle(const nd_value *v);

/* Returns 1 when a and b are equal values (same kind and content; objects by identity). */
int nd_value_equal(const nd_value *a, const nd_value *b);

#endif
