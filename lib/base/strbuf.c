/* Growable strings with a sticky out-of-memory flag (so callers check once, at the end). */
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nd_sb_init(nd_sb *sb)
{
    sb->data = NULL;
    sb->len = sb->cap = 0;
    sb->oom = 0;
}

void nd_sb_free(nd_sb *sb)
{
    free(sb->data);
    nd_sb_init(sb);
}

/* Makes room for extra more bytes plus the NUL; returns 0 when out of memory. */
static int reserve(nd_sb *sb, size_t extra)
{
    if (sb->oom) return 0;
    if (sb->len + extra + 1 <= sb->cap) return 1;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + extra + 1) cap *= 2;
    char *p = realloc(sb->data, cap);
    if (!p) {
        sb->oom = 1;
        return 0;
    }
    sb->data = p;
    sb->cap = cap;
    return 1;
}

void nd_sb_putn(nd_sb *sb, const char *s, size_t n)
{
    if (!reserve(sb, n)) return;
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void nd_sb_putc(nd_sb *sb, char c)
{
    nd_sb_putn(sb, &c, 1);
}

void nd_sb_puts(nd_sb *sb, const char *s)
{
    nd_sb_putn(sb, s, strlen(s));
}

void nd_sb_repeat(nd_sb *sb, char c, size_t n)
{
    if (!reserve(sb, n)) return;
    memset(sb->data + sb->len, c, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void nd_sb_printf(nd_sb *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(sb, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

const char *nd_sb_str(const nd_sb *sb)
{
    return sb->data ? sb->data : "";
}

char *nd_sb_take(nd_sb *sb)
{
    char *s = sb->data;
    if (sb->oom) {
        free(s);
        s = NULL;
    } else if (!s) {
        s = calloc(1, 1);
    }
    nd_sb_init(sb);
    return s;
}
