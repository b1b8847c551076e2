/* Control characters become spaces, malformed UTF-8 question marks. */
#include "cleantext.h"

#include "../base/textfmt.h"

void nd_fig_clean_text(nd_sb *sb, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x20 || *p == 0x7F) {
            nd_sb_putc(sb, ' ');
            p++;
        } else {
            int len = nd_utf8_seq_len((const char *)p);
            if (len) nd_sb_putn(sb, (const char *)p, (size_t)len);
            else nd_sb_putc(sb, '?');
            p += len ? len : 1;
        }
    }
}
