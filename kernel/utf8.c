/* UTF-8 decoding just strict enough to count code points and repair invalid text. */
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

#include "../lib/base/textfmt.h"

size_t nd_utf8_offset(const char *s, size_t cp)
{
    size_t len = strlen(s), i = 0;
    while (cp > 0 && i < len) {
        size_t n = (size_t)nd_utf8_seq_len_n(s + i, len - i);
        i += n ? n : 1;
        cp--;
    }
    return i;
}

size_t nd_utf8_count(const char *s, size_t nbytes)
{
    size_t i = 0, count = 0;
    while (i < nbytes && s[i]) {
        size_t n = (size_t)nd_utf8_seq_len_n(s + i, nbytes - i);
        i += n ? n : 1;
        count++;
    }
    return count;
}

json_t *nd_json_text(const char *text)
{
    if (!text) text = "";
    json_t *j = json_string(text);
    if (j) return j;
    /* Invalid UTF-8: rebuild it with U+FFFD (3 bytes) for every bad byte. */
    size_t len = strlen(text), o = 0;
    char *fixed = malloc(3 * len + 1);
    if (!fixed) return json_string("");
    for (size_t i = 0; i < len;) {
        size_t n = (size_t)nd_utf8_seq_len_n(text + i, len - i);
        if (n) {
            memcpy(fixed + o, text + i, n);
            o += n;
            i += n;
        } else {
            memcpy(fixed + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    fixed[o] = '\0';
    j = json_string(fixed);
    free(fixed);
    return j ? j : json_string("");
}
