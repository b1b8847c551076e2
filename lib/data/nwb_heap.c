/* HDF5 1.10 trusts the object sizes of a global heap collection (where variable-length
   strings live, so every text attribute of an NWB 2 file): a damaged size makes it copy
   past its buffer, or loop forever on a zero-sized free-space object. Before HDF5 opens a
   file, each collection ("GCOL", version 1) is walked here the way HDF5 walks it, with
   bounds. The scan reads the whole file, as the sweeps' data mostly are read anyway. */
#include "nwb_impl.h"

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Little-endian unsigned integer of len bytes. */
static uint64_t le(const unsigned char *p, int len)
{
    uint64_t v = 0;
    for (int k = len - 1; k >= 0; k--) v = v << 8 | p[k];
    return v;
}

/* The first "GCOL" followed by version 1 at or after p, or NULL. */
static const unsigned char *next_gcol(const unsigned char *p, const unsigned char *end)
{
    while (end - p >= 5 && (p = memchr(p, 'G', (size_t)(end - p - 4)))) {
        if (memcmp(p, "GCOL\x01", 5) == 0) return p;
        p++;
    }
    return NULL;
}

/* The file's "size of lengths" from its superblock (at 0, 512, 1024 ...), or 0. */
static int length_size(const unsigned char *f, size_t size)
{
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    for (size_t at = 0; at + 16 <= size; at = at ? 2 * at : 512) {
        if (memcmp(f + at, sig, 8) != 0) continue;
        int v = f[at + 8];
        int len = v <= 1 ? f[at + 14] : f[at + 10];
        return len == 2 || len == 4 || len == 8 ? len : 0;
    }
    return 0;
}

enum { HEAP_OK, HEAP_DAMAGED, HEAP_TRUNCATED };

/* Whether the collection at q (of the file's n bytes) holds objects that fit in it. */
static int collection_ok(const unsigned char *f, size_t n, size_t q, int L)
{
    size_t hdr = 8 + (size_t)L, objhdr = 8 + (size_t)L;
    if (q + hdr > n) return HEAP_TRUNCATED;
    uint64_t size = le(f + q + 8, L);
    if (size < hdr) return HEAP_DAMAGED;
    if (size > n - q) return HEAP_TRUNCATED;
    size_t end = q + (size_t)size, p = q + hdr;
    while (p + objhdr <= end) {
        unsigned idx = (unsigned)le(f + p, 2);
        uint64_t osize = le(f + p + 8, L);
        if (osize > end - p) return HEAP_DAMAGED;
        uint64_t need = idx ? objhdr + ((osize + 7) & ~(uint64_t)7) : osize;
        if (need == 0 || need > end - p) return HEAP_DAMAGED;
        p += (size_t)need;
    }
    return HEAP_OK;
}

int nwb_heap_check(const char *path, nd_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0) {
        if (fd >= 0) close(fd);
        return 0;   /* HDF5's own open reports what is wrong */
    }
    size_t n = (size_t)st.st_size;
    const unsigned char *f = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (f == MAP_FAILED) return 0;
    int L = length_size(f, n), rc = 0;
    for (const unsigned char *p = f; L && rc == 0 && (p = next_gcol(p, f + n)); p++) {
        int heap = collection_ok(f, n, (size_t)(p - f), L);
        if (heap == HEAP_TRUNCATED)
            nd_error_fail(err, ND_EIO, "truncated: the global heap at byte %zu runs past the "
                          "end of the file", (size_t)(p - f));
        else if (heap == HEAP_DAMAGED)
            nd_error_fail(err, ND_EVALUE, "damaged: the global heap at byte %zu (where its "
                          "text attributes are) does not hold together", (size_t)(p - f));
        rc = heap == HEAP_OK ? 0 : -1;
    }
    munmap((void *)f, n);
    return rc;
}
