/* mkstemp next to the destination keeps the rename on one file system (atomic). */
#include "atomicfile.h"
#include "dist.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Runs the writer, then flushes, syncs and closes f; 0, or the errno of the failure. */
static int fill(FILE *f, nd_file_writer write, void *ctx)
{
    int rc = write(f, ctx) == 0 && fflush(f) == 0 && fsync(fileno(f)) == 0 ? 0 : -1;
    int e = rc ? (errno ? errno : EIO) : 0;
    if (fclose(f) != 0 && rc == 0) e = errno ? errno : EIO;
    return e;
}

int nd_file_replace(const char *path, nd_file_writer write, void *ctx)
{
    /* In a distributed run every rank holds the same results; one writes them. */
    if (!nd_dist_is_root()) return 0;
    size_t len = strlen(path);
    char *tmp = malloc(len + sizeof ".tmp-XXXXXX");
    if (!tmp) return ENOMEM;
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".tmp-XXXXXX", sizeof ".tmp-XXXXXX");
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return e;
    }
    /* mkstemp makes the file private; a saved result should be readable like any file. */
    fchmod(fd, 0644);
    FILE *f = fdopen(fd, "w");
    int e = 0;
    if (!f) {
        e = errno;
        close(fd);
    } else {
        errno = 0;
        e = fill(f, write, ctx);
    }
    if (e == 0 && rename(tmp, path) != 0) e = errno;
    if (e) unlink(tmp);
    free(tmp);
    return e;
}

typedef struct bytes {
    const void *data;
    size_t n;
} bytes;

static int write_bytes(FILE *f, void *ctx)
{
    const bytes *b = ctx;
    return b->n == 0 || fwrite(b->data, 1, b->n, f) == b->n ? 0 : -1;
}

int nd_file_replace_bytes(const char *path, const void *data, size_t n)
{
    bytes b = {data, n};
    return nd_file_replace(path, write_bytes, &b);
}

nd_status nd_file_check_regular(const char *path, const char *verb, nd_error *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || S_ISREG(sb.st_mode)) return ND_OK;
    return nd_error_fail(err, ND_EIO, "cannot %s '%s': it is %s, not a regular file", verb, path,
                         S_ISDIR(sb.st_mode) ? "a directory" : "a device or pipe");
}
