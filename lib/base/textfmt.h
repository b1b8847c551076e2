/* Escaping of user text for the formats a result is rendered in (HTML, JSON). */
#ifndef ND_BASE_TEXTFMT_H
#define ND_BASE_TEXTFMT_H

#include "strbuf.h"

/* Appends s with & < > " ' replaced by HTML entities. */
void nd_html_escape(nd_sb *sb, const char *s);

/* Appends s as a quoted string literal with JSON's escapes (how the language and the
   model language print a string; result bundles build their JSON with base/json.h). */
void nd_json_string(nd_sb *sb, const char *s);

/* Returns the number of code points in the UTF-8 text s (its width on a terminal). */
size_t nd_utf8_width(const char *s);

/* Returns the number of code points among the first n bytes of s. */
size_t nd_utf8_width_n(const char *s, size_t n);

/* Returns the length (1 … 4) of the well-formed UTF-8 sequence that starts at s (Unicode
   table 3-7: no overlong forms, no surrogates), or 0 when it is malformed or s is "". */
int nd_utf8_seq_len(const char *s);

/* As nd_utf8_seq_len for a buffer that may end without a NUL: a sequence longer than the
   avail bytes left is malformed (0). */
int nd_utf8_seq_len_n(const char *s, size_t avail);

#endif
