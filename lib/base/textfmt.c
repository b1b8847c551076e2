/* HTML and JSON escaping, and the display width used to align plain-text tables. */
#include "textfmt.h"



void nd_html_escape(nd_sb *sb, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':  nd_sb_puts(sb, "&amp;"); break;
        case '<':  nd_sb_puts(sb, "&lt;"); break;
        case '>':  nd_sb_puts(sb, "&gt;"); break;
        case '"':  nd_sb_puts(sb, "&quot;"); break;
        case '\'': nd_sb_puts(sb, "&#39;"); break;
        default:   nd_sb_putc(sb, *s);
        }
    }
}

void nd_json_string(nd_sb *sb, const char *s)
{
    nd_sb_putc(sb, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"':  nd_sb_puts(sb, "\\\""); break;
        case '\\': nd_sb_puts(sb, "\\\\"); break;
        case '\n': nd_sb_puts(sb, "\\n"); break;
        case '\t': nd_sb_puts(sb, "\\t"); break;
        case '\r': nd_sb_puts(sb, "\\r"); break;
        default:
            if (c < 0x20) nd_sb_printf(sb, "\\u%04x", c);
            else nd_sb_putc(sb, (char)c);
        }
    }
    nd_sb_putc(sb, '"');
}

size_t nd_utf8_width_n(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n && s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) w++;
    return w;
}

size_t nd_utf8_width(const char *s)
{
    return nd_utf8_width_n(s, (size_t)-1);
}

/* Per the Unicode table of well-formed UTF-8 byte sequences (Unicode 15, table 3-7): the
   allowed range of the second byte depends on the first. */
int nd_utf8_seq_len(const char *s)
{
    return nd_utf8_seq_len_n(s, 4);   /* a NUL ends a sequence as malformed before the 4 */
}

int nd_utf8_seq_len_n(const char *str, size_t avail)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    int len;
    if (c >= 0x01 && c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c >= 0xE0 && c <= 0xEF) len = 3;
    else if (c >= 0xF0 && c <= 0xF4) len = 4;
    else return 0;
    if ((size_t)len > avail) return 0;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
    if (s[1] < lo || s[1] > hi) return 0;
    for (int i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    return len;
}
