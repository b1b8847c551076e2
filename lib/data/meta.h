/* Ordered key/value metadata, shared by datasets and recordings: keys [A-Za-z0-9_.-]+,
   values single-line, kept in first-set order. Embedded by value in its owner. */
#ifndef ND_DATA_META_H
#define ND_DATA_META_H

#include <stddef.h>

#include "../base/error.h"

typedef struct nd_meta {
    size_t n, cap;
    char **keys, **values;
} nd_meta;

/* Sets key to value, or removes it when value is NULL; ND_EVALUE for a bad key or value,
   ND_ENOMEM (m unchanged). */
nd_status nd_meta_set(nd_meta *m, const char *key, const char *value);

/* Returns the value stored for key, or NULL. */
const char *nd_meta_get(const nd_meta *m, const char *key);

/* Copies every entry of from into to, in order; ND_ENOMEM. */
nd_status nd_meta_copy(nd_meta *to, const nd_meta *from);

/* Frees every entry; m is empty afterwards. */
void nd_meta_clear(nd_meta *m);

#endif
