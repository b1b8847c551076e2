/* Located error messages and their user-facing renderings (value line, traceback). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

const char *nd_status_name(nd_status code)
{
    switch (code) {
    case ND_OK:         return "OK";
    case ND_ESYNTAX:    return "SyntaxError";
    case ND_ENAME:      return "NameError";
    case ND_EVALUE:     return "ValueError";
    case ND_ETYPE:      return "TypeError";
    case ND_EIO:        return "IOError";
    case ND_ENOMEM:     return "MemoryError";
    case ND_ESOLVER:    return "SolverError";
    case ND_EINTERRUPT: return "Interrupted";
    case ND_EINTERNAL:  return "InternalError";
    }
    return "InternalError";
}

void nd_error_clear(nd_error *err)
{
    if (!err) return;
    err->code = ND_OK;
    err->line = err->col = err->span = 0;
    err->msg[0] = '\0';
}

static nd_status error_vset(nd_error *err, nd_status code, int line, int col, int span,
                            const char *fmt, va_list ap)
{
    if (!err) return code;
    err->code = code;
    err->line = line > 0 ? line : 0;
    err->col = err->line && col > 0 ? col : 0;
    err->span = err->col ? (span > 0 ? span : 1) : 0;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    return code;
}

nd_status nd_error_set(nd_error *err, nd_status code, int line, int col, int span,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_vset(err, code, line, col, span, fmt, ap);
    va_end(ap);
    return code;
}

nd_status nd_error_fail(nd_error *err, nd_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_vset(err, code, 0, 0, 0, fmt, ap);
    va_end(ap);
    return code;
}

/* Finds line number `line` (1-based) of source; sets *len to its length without "\r\n". */
static const char *find_line(const char *source, int line, size_t *len)
{
    const char *p = source;
    for (int i = 1; i < line; i++) {
        p = strchr(p, '\n');
        if (!p) return NULL;
        p++;
    }
    size_t n = strcspn(p, "\n");
    if (n > 0 && p[n - 1] == '\r') n--;
    *len = n;
    return p;
}

/* UTF-8 continuation bytes take no column on a terminal, so they get no padding or caret. */
static int is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/* Converts err's byte column to the character column a reader counts (the columns in
   nd_error are bytes, which is what the lexer can locate cheaply). */
static int char_column(const nd_error *err, const char *source)
{
    size_t len = 0;
    const char *text = source ? find_line(source, err->line, &len) : NULL;
    if (!text) return err->col;
    int col = 1;
    for (size_t i = 0; i + 1 < (size_t)err->col && i < len; i++)
        if (!is_continuation((unsigned char)text[i + 1])) col++;
    return col;
}

char *nd_error_value(const nd_error *err, const char *source)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_puts(&sb, err->msg);
    if (err->line > 0 && err->col > 0)
        nd_sb_printf(&sb, " (line %d, column %d)", err->line, char_column(err, source));
    else if (err->line > 0)
        nd_sb_printf(&sb, " (line %d)", err->line);
    return nd_sb_take(&sb);
}


static void put_caret_line(nd_sb *sb, const char *text, size_t len, int col, int span)
{
    size_t start = (size_t)col - 1;
    if (start > len) start = len;
    nd_sb_puts(sb, "    ");
    /* Copying tabs keeps the caret aligned however wide the reader's tabs are. */
    for (size_t i = 0; i < start; i++) {
        if (text[i] == '\t') nd_sb_putc(sb, '\t');
        else if (!is_continuation((unsigned char)text[i])) nd_sb_putc(sb, ' ');
    }
    size_t end = start + (size_t)span;
    if (end > len) end = len;
    int carets = 0;
    for (size_t i = start; i < end; i++)
        if (!is_continuation((unsigned char)text[i])) carets++;
    if (carets == 0) carets = 1;
    for (int i = 0; i < carets; i++) nd_sb_putc(sb, '^');
    nd_sb_putc(sb, '\n');
}

char *nd_error_traceback(const nd_error *err, const char *source)
{
    nd_sb sb;
    nd_sb_init(&sb);
    if (err->line > 0) {
        if (err->col > 0)
            nd_sb_printf(&sb, "  line %d, column %d\n", err->line, char_column(err, source));
        else nd_sb_printf(&sb, "  line %d\n", err->line);
        size_t len = 0;
        const char *text = source ? find_line(source, err->line, &len) : NULL;
        if (text) {
            nd_sb_puts(&sb, "    ");
            nd_sb_putn(&sb, text, len);
            nd_sb_putc(&sb, '\n');
            if (err->col > 0) put_caret_line(&sb, text, len, err->col, err->span);
        }
    }
    nd_sb_printf(&sb, "%s: %s", nd_status_name(err->code), err->msg);
    return nd_sb_take(&sb);
}
