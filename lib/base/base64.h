/* Base64 (RFC 4648, with padding, no line breaks): how Jupyter carries binary outputs
   such as image/png inside JSON. */
#ifndef ND_BASE_BASE64_H
#define ND_BASE_BASE64_H

#include <stddef.h>

/* Returns the base64 text of data[0..len) as a NUL-terminated string the caller frees,
   or NULL on ENOMEM. */
char *nd_base64_encode(const void *data, size_t len);

/* Decodes base64 text (padding optional, no other characters) into a new buffer the
   caller frees, setting *len; NULL on malformed text or ENOMEM. */
unsigned char *nd_base64_decode(const char *text, size_t *len);

#endif
