/* Little-endian field reads that cannot leave the buffer, whatever the header claims. */
#include "abf_bytes.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../base/vec2.h"

int abf_mul(size_t a, size_t b, size_t *out)
{
    if (b && a > SIZE_MAX / b) return -1;
    *out = a * b;
    return 0;
}

int abf_fits(const abf_buf *b, size_t off, size_t count, size_t size)
{
    size_t bytes;
    return abf_mul(count, size, &bytes) == 0 && off <= b->len && bytes <= b->len - off;
}

/* The n <= 8 bytes at off as an unsigned little-endian integer, or 0 when out of range. */
static uint64_t le(const abf_buf *b, size_t off, size_t n)
{
    if (!abf_fits(b, off, n, 1)) return 0;
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;) v = v << 8 | b->p[off + i];
    return v;
}

int16_t abf_i16(const abf_buf *b, size_t off) { return (int16_t)le(b, off, 2); }
uint16_t abf_u16(const abf_buf *b, size_t off) { return (uint16_t)le(b, off, 2); }
int32_t abf_i32(const abf_buf *b, size_t off) { return (int32_t)le(b, off, 4); }
uint32_t abf_u32(const abf_buf *b, size_t off) { return (uint32_t)le(b, off, 4); }
int64_t abf_i64(const abf_buf *b, size_t off) { return (int64_t)le(b, off, 8); }

float abf_f32(const abf_buf *b, size_t off)
{
    uint32_t u = abf_u32(b, off);
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* The bytes are assembled in the helpers' order, which compilers turn into plain loads;
   the per-sample helpers' bounds check is what made the columns slow. */
static int16_t i16_at(const unsigned char *p)
{
    return (int16_t)(uint16_t)(p[0] | p[1] << 8);
}

static float f32_at(const unsigned char *p)
{
    uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                 (uint32_t)p[3] << 24;
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* The int16 samples at p, p + stride ... scaled, two at a time: the loop is bound by its
   stores, and a pair goes out in one. */
static void i16_scaled(const unsigned char *p, size_t stride, size_t n, double gain,
                       double offset, double *out)
{
    const nd_v2 g = nd_v2_splat(gain), o = nd_v2_splat(offset);
    size_t i = 0;
    for (; i + 2 <= n; i += 2, p += 2 * stride) {
        nd_v2 y = (nd_v2){i16_at(p), i16_at(p + stride)} * g + o;
        memcpy(out + i, &y, sizeof y);
    }
    if (i < n) out[i] = (double)i16_at(p) * gain + offset;
}

void abf_column(const abf_buf *b, size_t off, size_t stride, size_t n, size_t item,
                double gain, double offset, double *out)
{
    size_t span;
    int inside = n == 0 || (abf_mul(n - 1, stride, &span) == 0 && span <= SIZE_MAX - off &&
                            abf_fits(b, off + span, 1, item));
    if (inside && item == 2) {
        i16_scaled(b->p + off, stride, n, gain, offset, out);
        return;
    }
    for (size_t i = 0; i < n; i++, off += stride) {
        if (item == 2)
            out[i] = (double)(inside ? i16_at(b->p + off) : abf_i16(b, off)) * gain + offset;
        else
            out[i] = (double)(inside ? f32_at(b->p + off) : abf_f32(b, off));
    }
}

int abf_fail(const abf_buf *b, const char *fmt, ...)
{
    char msg[448];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    nd_error_fail(b->err, ND_EVALUE, "%s: %s", b->name, msg);
    return -1;
}
