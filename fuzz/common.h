/* Shared by the fuzz targets: copies of the fuzzer's bytes as the library expects them. */
#ifndef ND_FUZZ_COMMON_H
#define ND_FUZZ_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A malloc'ed copy of data[0..size) followed by a NUL (so that ASan sees reads past the
   end as the overflows they are, and C-string APIs stop there); exits if OOM. */
static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) abort();
    if (size) memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
