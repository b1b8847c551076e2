/* Magic numbers: ABF1 files start with "ABF ", ABF2 with "ABF2" (pCLAMP's file signature);
   HDF5 with the 8-byte signature \x89HDF\r\n\x1a\n when the superblock is at offset 0,
   which is where h5py, pynwb and the Allen SDK put it. */
#include "sniff.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* 1 when the n bytes are valid UTF-8 without NUL, a sequence cut at the end allowed. */
static int plausible_text(const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = b[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (c == 0 || len == 0) return 0;
        for (size_t k = 1; k < len; k++) {
            if (i + k >= n) return 1;
            if ((b[i + k] & 0xC0) != 0x80) return 0;
        }
        i += len;
    }
    return 1;
}

nd_file_format nd_file_sniff(const char *path, nd_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        nd_error_fail(err, ND_EIO, "cannot open '%s': %s", path, strerror(errno));
        return ND_FILE_ERROR;
    }
    unsigned char b[4096];
    size_t n = fread(b, 1, sizeof b, f);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        nd_error_fail(err, ND_EIO, "cannot read '%s'", path);
        return ND_FILE_ERROR;
    }
    if (n >= 4 && (memcmp(b, "ABF ", 4) == 0 || memcmp(b, "ABF2", 4) == 0)) return ND_FILE_ABF;
    if (n >= 8 && memcmp(b, "\x89HDF\r\n\x1a\n", 8) == 0) return ND_FILE_HDF5;
    if (!plausible_text(b, n)) return ND_FILE_BINARY;
    size_t i = 0;
    if (n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0) i = 3;   /* a byte-order mark */
    while (i < n && strchr(" \t\r\n", b[i])) i++;
    return i < n && b[i] == '{' ? ND_FILE_JSON : ND_FILE_TEXT;
}

const char *nd_file_format_name(nd_file_format f)
{
    switch (f) {
    case ND_FILE_ABF:    return "an ABF file";
    case ND_FILE_HDF5:   return "an HDF5 file";
    case ND_FILE_JSON:   return "a JSON file";
    case ND_FILE_TEXT:   return "a text file";
    case ND_FILE_BINARY: return "a binary file of unknown format";
    case ND_FILE_ERROR:  break;
    }
    return "an unreadable file";
}
