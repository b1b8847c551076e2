/* Bounds-checked little-endian reads of an ABF file held in memory, shared by the ABF1 and
   ABF2 header readers, and the located failure message of a malformed file. A read outside
   the buffer returns 0 instead of touching memory, so a header that lies about its layout
   can produce wrong numbers but never an out-of-bounds access; the readers check every
   section against the length first to say what is wrong. */
#ifndef ND_DATA_ABF_BYTES_H
#define ND_DATA_ABF_BYTES_H

#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"

#define ABF_BLOCK 512   /* ABF sections start at multiples of this many bytes */

typedef struct abf_buf {
    const unsigned char *p;
    size_t len;
    const char *name;   /* the file's name in messages */
    nd_error *err;
} abf_buf;

/* Sets *out = a * b; 0 ok, -1 when it overflows size_t. */
int abf_mul(size_t a, size_t b, size_t *out);

/* 1 when count items of size bytes starting at off lie inside the buffer (overflow-safe). */
int abf_fits(const abf_buf *b, size_t off, size_t count, size_t size);

/* The value at byte off, or 0 when it does not fit. */
int16_t abf_i16(const abf_buf *b, size_t off);
uint16_t abf_u16(const abf_buf *b, size_t off);
int32_t abf_i32(const abf_buf *b, size_t off);
uint32_t abf_u32(const abf_buf *b, size_t off);
int64_t abf_i64(const abf_buf *b, size_t off);
float abf_f32(const abf_buf *b, size_t off);

/* Writes the n samples at byte off, off + stride ... into out: int16 ones (item 2) as
   raw * gain + offset, float32 ones (item 4) as they are; those outside the buffer as
   abf_i16/abf_f32 read them (0). One bounds check for the whole column. */
void abf_column(const abf_buf *b, size_t off, size_t stride, size_t n, size_t item,
                double gain, double offset, double *out);

/* Fills b->err with ND_EVALUE and "name: message"; returns -1. */
int abf_fail(const abf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
