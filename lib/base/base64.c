/* Three bytes in, four characters out; the tail is padded with '='. */
#include "base64.h"

#include <stdlib.h>
#include <string.h>

char *nd_base64_encode(const void *data, size_t len)
{
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (len > ((size_t)-1 - 1) / 4 * 3 - 3) return NULL;
    const unsigned char *in = data;
    char *out = malloc((len + 2) / 3 * 4 + 1), *o = out;
    if (!out) return NULL;
    size_t i = 0;
    for (; i + 3 <= len; i += 3) {
        unsigned long v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8 | in[i + 2];
        *o++ = digits[v >> 18 & 63];
        *o++ = digits[v >> 12 & 63];
        *o++ = digits[v >> 6 & 63];
        *o++ = digits[v & 63];
    }
    if (i < len) {
        unsigned long v = (unsigned long)in[i] << 16;
        if (i + 1 < len) v |= (unsigned long)in[i + 1] << 8;
        *o++ = digits[v >> 18 & 63];
        *o++ = digits[v >> 12 & 63];
        *o++ = i + 1 < len ? digits[v >> 6 & 63] : '=';
        *o++ = '=';
    }
    *o = '\0';
    return out;
}

/* The value of a base64 digit, or -1. */
static int digit_value(char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

unsigned char *nd_base64_decode(const char *text, size_t *len)
{
    size_t n = strlen(text);
    while (n > 0 && text[n - 1] == '=') n--;
    if (n % 4 == 1) return NULL;
    unsigned char *out = malloc(n / 4 * 3 + 3), *o = out;
    if (!out) return NULL;
    unsigned long acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = digit_value(text[i]);
        if (v < 0) {
            free(out);
            return NULL;
        }
        acc = (acc << 6 | (unsigned long)v) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *o++ = (unsigned char)(acc >> bits & 0xff);
        }
    }
    *len = (size_t)(o - out);
    return out;
}
