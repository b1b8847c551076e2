/* UTF-8 decoding just strict enough to count code points and repair invalid text. */
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

/* Returns the length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t seq_len(const unsigned char *s, size_t avail)
{
    unsigned c = s[0];
    size_t n;
    unsigned min;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; min = 0x10000; }
    else return 0;
    if (n > avail) return 0;
    unsigned cp = c & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

size_t nd_utf8_offset(const char *s, size_t cp)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), i = 0;
    while (cp > 0 && i < len) {
        size_t n = seq_len(p + i, len - i);
        i += n ? n : 1;
        cp--;
    }
    return i;
}

size_t nd_utf8_count(const char *s, size_t nbytes)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, count = 0;
    while (i < nbytes && p[i]) {
        size_t n = seq_len(p + i, nbytes - i);
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
    const unsigned char *p = (const unsigned char *)text;
    size_t len = strlen(text), o = 0;
    char *fixed = malloc(3 * len + 1);
    if (!fixed) return json_string("");
    for (size_t i = 0; i < len;) {
        size_t n = seq_len(p + i, len - i);
        if (n) {
            memcpy(fixed + o, p + i, n);
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
