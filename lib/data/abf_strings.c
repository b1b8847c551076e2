/* The text of ABF headers: fixed-width Latin-1 fields padded with spaces or NULs, units
   with a Latin-1 micro sign, and the start date. Names and units come out as neo reports
   them (spaces removed from ADC names and from units). Square brackets in a unit become
   parentheses, because a dataset's CSV header writes units as "V [mV]". */
#include "abf_info.h"

#include <stdio.h>
#include <string.h>

/* Appends s to out[*k..cap) when it fits whole. */
static void put(char *out, size_t cap, size_t *k, const char *s)
{
    size_t n = strlen(s);
    if (*k + n < cap) {
        memcpy(out + *k, s, n);
        *k += n;
    }
}

/* Shared by names and units: unit selects the unit spellings of µ and °. */
static void text(const abf_buf *b, size_t off, size_t n, int squeeze, int unit, char *out,
                 size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && abf_fits(b, off + i, 1, 1); i++) {
        unsigned char c = b->p[off + i];
        if (c == '\0') break;
        if (c == ' ' && squeeze) continue;
        char one[2] = {(char)c, '\0'};
        if (unit && c == 0xB5) put(out, cap, &k, "u");
        else if (unit && c == 0xB0) put(out, cap, &k, "\xC2\xB0");
        else if (unit && (c == '[' || c == ']')) put(out, cap, &k, c == '[' ? "(" : ")");
        else put(out, cap, &k, c >= 0x20 && c < 0x7F ? one : "?");
    }
    while (k > 0 && out[k - 1] == ' ') k--;
    out[k] = '\0';
}

void abf_text(const abf_buf *b, size_t off, size_t n, int squeeze, char *out, size_t cap)
{
    text(b, off, n, squeeze, 0, out, cap);
}

void abf_unit(const abf_buf *b, size_t off, size_t n, char *out, size_t cap)
{
    text(b, off, n, 1, 1, out, cap);
}

void abf_date(uint32_t yyyymmdd, uint64_t ms, char *out, size_t cap)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned y = yyyymmdd / 10000, m = yyyymmdd / 100 % 100, d = yyyymmdd % 100;
    out[0] = '\0';
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || (int)d > days[m - 1] ||
        ms >= 86400000u)
        return;
    snprintf(out, cap, "%04u-%02u-%02uT%02u:%02u:%02u.%03u", y, m, d,
             (unsigned)(ms / 3600000), (unsigned)(ms / 60000 % 60), (unsigned)(ms / 1000 % 60),
             (unsigned)(ms % 1000));
}
