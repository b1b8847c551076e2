/* A small single-pass rewriter for the XML gnuplot writes: it walks tags and attributes
   (so that text a user typed, which gnuplot escapes, is never mistaken for markup) and
   changes only id values, references to ids, and the precision of path coordinates
   (gnuplot writes hundredths of a pixel; a tenth is below what a screen shows and makes the
   figure, stored in every notebook, a fifth smaller). */
#include "svgfix.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "../base/textfmt.h"
#include "cleantext.h"

void nd_fig_id_prefix(const char *text, char out[20])
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    snprintf(out, 20, "nd%016llx-", (unsigned long long)h);
}

static int starts(const char *p, const char *s)
{
    return strncmp(p, s, strlen(s)) == 0;
}

/* Copies text up to and including the terminator, or to the end when it is missing. */
static const char *copy_through(nd_sb *sb, const char *p, const char *end)
{
    const char *q = strstr(p, end);
    size_t n = q ? (size_t)(q - p) + strlen(end) : strlen(p);
    nd_sb_putn(sb, p, n);
    return p + n;
}

static const char *skip_through(const char *p, const char *end)
{
    const char *q = strstr(p, end);
    return q ? q + strlen(end) : p + strlen(p);
}

/* A DOCTYPE may carry an internal subset in [...] containing '>'. */
static const char *skip_doctype(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '[') depth++;
        else if (*p == ']') depth--;
        else if (*p == '>' && depth <= 0) return p + 1;
    }
    return p;
}

/* Path data with every decimal number rounded to a tenth ("201.99" → "202", "38.02" → "38"). */
static void put_path_data(nd_sb *sb, const char *v, size_t vlen)
{
    for (size_t i = 0; i < vlen; ) {
        size_t j = i;
        if (v[j] == '-') j++;
        size_t digits = j;
        while (j < vlen && isdigit((unsigned char)v[j])) j++;
        if (j > digits && j < vlen && v[j] == '.') {
            j++;
            while (j < vlen && isdigit((unsigned char)v[j])) j++;
            char num[64], out[64];
            size_t len = j - i < sizeof num ? j - i : sizeof num - 1;
            memcpy(num, v + i, len);
            num[len] = '\0';
            double x = round(strtod(num, NULL) * 10) / 10;
            snprintf(out, sizeof out, "%.1f", x == 0 ? 0.0 : x);
            size_t n = strlen(out);
            if (n >= 2 && strcmp(out + n - 2, ".0") == 0) out[n - 2] = '\0';
            nd_sb_puts(sb, out);
            i = j;
        } else if (j > digits) {
            nd_sb_putn(sb, v + i, j - i);
            i = j;
        } else {
            nd_sb_putc(sb, v[i++]);
        }
    }
}

static void rewrite_value(nd_sb *sb, const char *name, size_t nlen, const char *v, size_t vlen,
                          const char *prefix)
{
    if ((nlen == 1 && name[0] == 'd') || (nlen == 6 && strncmp(name, "points", 6) == 0)) {
        put_path_data(sb, v, vlen);
        return;
    }
    int is_id = nlen == 2 && strncmp(name, "id", 2) == 0;
    int is_href = (nlen == 4 && strncmp(name, "href", 4) == 0) ||
                  (nlen > 5 && strncmp(name + nlen - 5, ":href", 5) == 0);
    if (is_id) {
        nd_sb_puts(sb, prefix);
        nd_sb_putn(sb, v, vlen);
        return;
    }
    if (is_href && vlen > 0 && v[0] == '#') {
        nd_sb_putc(sb, '#');
        nd_sb_puts(sb, prefix);
        nd_sb_putn(sb, v + 1, vlen - 1);
        return;
    }
    for (size_t i = 0; i < vlen; ) {
        static const char *const forms[] = {"url(#", "url('#", "url(\"#"};
        size_t matched = 0;
        for (size_t f = 0; f < 3 && !matched; f++) {
            size_t flen = strlen(forms[f]);
            if (vlen - i >= flen && strncmp(v + i, forms[f], flen) == 0) matched = flen;
        }
        if (matched) {
            nd_sb_putn(sb, v + i, matched);
            nd_sb_puts(sb, prefix);
            i += matched;
        } else {
            nd_sb_putc(sb, v[i++]);
        }
    }
}

/* Copies one tag starting at '<', rewriting attribute values; returns what follows it. */
static const char *tag(nd_sb *sb, const char *p, const char *prefix)
{
    const char *name_end = p + 1 + strcspn(p + 1, " \t\r\n/>");
    nd_sb_putn(sb, p, (size_t)(name_end - p));
    p = name_end;
    for (;;) {
        size_t ws = strspn(p, " \t\r\n");
        nd_sb_putn(sb, p, ws);
        p += ws;
        if (*p == '\0') return p;
        if (*p == '>') {
            nd_sb_putc(sb, '>');
            return p + 1;
        }
        if (*p == '/') {
            nd_sb_putc(sb, *p++);
            continue;
        }
        const char *name = p;
        size_t nlen = strcspn(p, " \t\r\n=/>");
        nd_sb_putn(sb, p, nlen);
        p += nlen;
        if (nlen == 0) {             /* stray character: keep it and move on */
            nd_sb_putc(sb, *p++);
            continue;
        }
        ws = strspn(p, " \t\r\n");
        if (p[ws] != '=') continue;
        nd_sb_putn(sb, p, ws + 1);
        p += ws + 1;
        ws = strspn(p, " \t\r\n");
        nd_sb_putn(sb, p, ws);
        p += ws;
        if (*p != '"' && *p != '\'') continue;
        char q = *p++;
        const char *v = p, *vend = strchr(p, q);
        if (!vend) vend = p + strlen(p);
        nd_sb_putc(sb, q);
        rewrite_value(sb, name, nlen, v, (size_t)(vend - v), prefix);
        if (*vend) nd_sb_putc(sb, q);
        p = *vend ? vend + 1 : vend;
    }
}

char *nd_fig_svg_fix(const char *svg, const char *prefix, const char *title)
{
    nd_sb sb;
    nd_sb_init(&sb);
    const char *p = svg;
    int titled = title == NULL;
    while (*p) {
        if (starts(p, "<?")) {
            p = skip_through(p, "?>");
            p += strspn(p, " \t\r\n");
        } else if (starts(p, "<!DOCTYPE")) {
            p = skip_doctype(p);
            p += strspn(p, " \t\r\n");
        } else if (starts(p, "<!--")) {
            p = copy_through(&sb, p, "-->");
        } else if (starts(p, "<![CDATA[")) {
            p = copy_through(&sb, p, "]]>");
        } else if (!titled && starts(p, "<title>Gnuplot</title>")) {
            nd_sb clean;
            nd_sb_init(&clean);
            nd_fig_clean_text(&clean, title);
            nd_sb_puts(&sb, "<title>");
            nd_html_escape(&sb, nd_sb_str(&clean));
            nd_sb_free(&clean);
            nd_sb_puts(&sb, "</title>");
            p += strlen("<title>Gnuplot</title>");
            titled = 1;
        } else if (*p == '<') {
            p = tag(&sb, p, prefix);
        } else {
            size_t n = strcspn(p, "<");
            nd_sb_putn(&sb, p, n);
            p += n;
        }
    }
    return nd_sb_take(&sb);
}
