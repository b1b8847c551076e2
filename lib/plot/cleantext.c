/* Well-formedness per the Unicode table of UTF-8 byte sequences (Unicode 15, table 3-7):
   the allowed range of the second byte depends on the first. */
#include "cleantext.h"

/* Length of the well-formed sequence at s, or 0. */
static int utf8_len(const unsigned char *s)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    int len;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c >= 0xE0 && c <= 0xEF) len = 3;
    else if (c >= 0xF0 && c <= 0xF4) len = 4;
    else return 0;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
    if (s[1] < lo || s[1] > hi) return 0;
    for (int i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    return len;
}

void nd_fig_clean_text(nd_sb *sb, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x20 || *p == 0x7F) {
            nd_sb_putc(sb, ' ');
            p++;
        } else if (*p < 0x80) {
            nd_sb_putc(sb, (char)*p++);
        } else {
            int len = utf8_len(p);
            if (len) nd_sb_putn(sb, (const char *)p, (size_t)len);
            else nd_sb_putc(sb, '?');
            p += len ? len : 1;
        }
    }
}
