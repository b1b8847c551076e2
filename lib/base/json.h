/* Building the JSON of result bundles with jansson: numbers that may be non-finite, and
   the compact text every application/vnd.neurodyn+json payload is written as. */
#ifndef ND_BASE_JSON_H
#define ND_BASE_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* Returns x as a JSON number, or the string "nan", "inf" or "-inf" (JSON has no
   non-finite numbers); NULL on ENOMEM. */
json_t *nd_json_real(double x);

/* Reads v as nd_json_real wrote it (a number, or "nan", "inf", "-inf") into *x; 0, or -1
   for anything else. */
int nd_json_real_read(const json_t *v, double *x);

/* Returns the text s as a JSON string, each byte that is not part of well-formed UTF-8
   replaced by '?' (JSON text is UTF-8; labels may come from anywhere); NULL on ENOMEM. */
json_t *nd_json_utf8(const char *s);

/* Returns the n numbers of x as an array of nd_json_real; NULL on ENOMEM. */
json_t *nd_json_reals(const double *x, size_t n);

/* Sets obj[key] = value, taking value over (also when it fails); 0 ok, -1 when value is
   NULL (a failed constructor) or on ENOMEM, so failures can be or-ed together. */
int nd_json_put(json_t *obj, const char *key, json_t *value);

/* Appends value to the array arr, taking it over; 0 ok, -1 as nd_json_put. */
int nd_json_push(json_t *arr, json_t *value);

/* Returns j as compact UTF-8 text, keys in insertion order, reals with 17 significant
   digits (what reads back to the same double), and releases j; malloc'ed, NULL when j is
   NULL or on ENOMEM. */
char *nd_json_dump(json_t *j);

/* Returns u as a JSON integer, or, above INT64_MAX (the top-bit seeds of nd_rng_derive,
   which jansson's signed integers cannot hold), as its decimal string; NULL on ENOMEM. */
json_t *nd_json_u64(uint64_t u);

/* Returns j when rc (or-ed nd_json_put/nd_json_push results) is 0, else releases j and
   returns NULL: the end of a builder, `return nd_json_ok(o, rc);`. */
json_t *nd_json_ok(json_t *j, int rc);

#endif
