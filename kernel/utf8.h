/* UTF-8 helpers for the wire: Jupyter counts cursor positions in code points, and every
   string in a message must be valid UTF-8. */
#ifndef ND_KERNEL_UTF8_H
#define ND_KERNEL_UTF8_H

#include <stddef.h>
#include <jansson.h>

/* Returns the byte offset of code point index cp in s (clamped to strlen(s)). */
size_t nd_utf8_offset(const char *s, size_t cp);

/* Returns how many code points the first nbytes bytes of s hold. */
size_t nd_utf8_count(const char *s, size_t nbytes);

/* Returns a JSON string of text, with invalid UTF-8 sequences replaced by U+FFFD. */
json_t *nd_json_text(const char *text);

#endif
