/* A growable string: appends never fail loudly; an allocation failure is remembered
   and reported once, when the text is taken. */
#ifndef ND_BASE_STRBUF_H
#define ND_BASE_STRBUF_H

#include <stddef.h>

typedef struct nd_sb {
    char *data;    /* NUL-terminated when not NULL */
    size_t len;
    size_t cap;
    int oom;       /* set once an append could not allocate */
} nd_sb;

/* Makes sb an empty buffer (no allocation yet). */
void nd_sb_init(nd_sb *sb);

/* Releases the buffer's memory and leaves it empty. */
void nd_sb_free(nd_sb *sb);

/* Appends one byte. */
void nd_sb_putc(nd_sb *sb, char c);

/* Appends a NUL-terminated string. */
void nd_sb_puts(nd_sb *sb, const char *s);

/* Appends n bytes of s. */
void nd_sb_putn(nd_sb *sb, const char *s, size_t n);

/* Appends printf-formatted text. */
void nd_sb_printf(nd_sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends c n times. */
void nd_sb_repeat(nd_sb *sb, char c, size_t n);

/* Returns the current text (never NULL; "" when empty); valid until the next append. */
const char *nd_sb_str(const nd_sb *sb);

/* Returns the text as a malloc'ed string the caller frees, or NULL when an append ran out
   of memory; the buffer is empty afterwards either way. */
char *nd_sb_take(nd_sb *sb);

#endif
