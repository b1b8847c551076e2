/* A MIME bundle: the ordered (mime type, text) pairs that make up one displayed result. */
#ifndef ND_BASE_BUNDLE_H
#define ND_BASE_BUNDLE_H

#include <stddef.h>

typedef struct nd_bundle nd_bundle;

/* The MIME type of neurodyn's machine-readable values, carried by every result. */
#define ND_MIME_JSON "application/vnd.neurodyn+json"

/* Returns an empty bundle, or NULL when out of memory. */
nd_bundle *nd_bundle_create(void);

/* Frees the bundle and all its texts; NULL is allowed. */
void nd_bundle_free(nd_bundle *b);

/* Sets the text for mime (copying it), replacing an earlier one; 0 on success, -1 on ENOMEM.
   JSON types ("application/json", "application/vnd.neurodyn+json") hold serialized JSON. */
int nd_bundle_set(nd_bundle *b, const char *mime, const char *text);

/* printf-style nd_bundle_set. */
int nd_bundle_setf(nd_bundle *b, const char *mime, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Returns a bundle of text/plain, text/html and ND_MIME_JSON made from the three texts,
   taking ownership of them (all freed); NULL if any is NULL or memory runs out. */
nd_bundle *nd_bundle_take3(char *plain, char *html, char *json);

/* Returns a bundle of text/plain, text/latex and ND_MIME_JSON (an equation's view) copied
   from the three texts; NULL if any is NULL or memory runs out. */
nd_bundle *nd_bundle_latex(const char *plain, const char *latex, const char *json);

/* Returns a deep copy of b, or NULL on ENOMEM. */
nd_bundle *nd_bundle_copy(const nd_bundle *b);

/* Returns the number of entries. */
size_t nd_bundle_count(const nd_bundle *b);

/* Returns the mime type of entry i (i < count). */
const char *nd_bundle_mime(const nd_bundle *b, size_t i);

/* Returns the text of entry i (i < count). */
const char *nd_bundle_text(const nd_bundle *b, size_t i);

/* Returns the text stored for mime, or NULL. */
const char *nd_bundle_get(const nd_bundle *b, const char *mime);

#endif
