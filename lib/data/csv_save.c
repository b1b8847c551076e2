/* Saving a dataset as CSV:
     # model: hh                 metadata, one "# key: value" line each, in order
     t [ms],V [mV],m             header: name, plus " [unit]" when known
     0,-65,0.052932              numbers in the shortest form that reads back exactly
   A header cell with a comma, quote or edge blank is "quoted"; NaN is nan (-nan keeps the
   sign), infinities inf and -inf. The file is written next to its destination under a
   temporary name and renamed over it only once every byte is flushed and synced, so a
   failed save (disk full, quota) never leaves a truncated file that a later load would
   misread. The file is made 0644 (readable like any file) regardless of umask. */
#include "dataset.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/numfmt.h"
#include "../base/strbuf.h"

/* A header cell "name [unit]"; a unitless name that itself ends in "[...]" gets an empty
   "[]" so that loading does not mistake its tail for a unit. */
static void header_cell(nd_sb *sb, const char *name, const char *unit)
{
    nd_sb cell;
    nd_sb_init(&cell);
    nd_sb_puts(&cell, name);
    size_t n = strlen(name);
    if (unit) nd_sb_printf(&cell, " [%s]", unit);
    else if (n > 0 && name[n - 1] == ']' && strchr(name, '[')) nd_sb_puts(&cell, " []");
    const char *s = nd_sb_str(&cell);
    size_t len = strlen(s);
    int quote = strpbrk(s, ",\"") || s[0] == '#' || s[0] == ' ' || s[0] == '\t' ||
                (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'));
    if (!quote) {
        nd_sb_puts(sb, s);
    } else {
        nd_sb_putc(sb, '"');
        for (; *s; s++) {
            if (*s == '"') nd_sb_putc(sb, '"');
            nd_sb_putc(sb, *s);
        }
        nd_sb_putc(sb, '"');
    }
    nd_sb_free(&cell);
}

/* Metadata lines and the header row: small, so built in memory. */
static char *preamble(const nd_dataset *ds)
{
    nd_sb sb;
    nd_sb_init(&sb);
    for (size_t i = 0; i < nd_ds_meta_count(ds); i++)
        nd_sb_printf(&sb, "# %s: %s\n", nd_ds_meta_key(ds, i), nd_ds_meta_value(ds, i));
    for (size_t j = 0; j < nd_ds_cols(ds); j++) {
        if (j) nd_sb_putc(&sb, ',');
        header_cell(&sb, nd_ds_name(ds, j), nd_ds_unit(ds, j));
    }
    nd_sb_putc(&sb, '\n');
    return nd_sb_take(&sb);
}

/* nd_numfmt, keeping the sign of a negative NaN so that reading back is bit-identical for
   the NaNs arithmetic produces. */
static const char *cell_text(double x, char *buf)
{
    if (isnan(x) && signbit(x)) return "-nan";
    return nd_numfmt(x, buf);
}

/* Rows between two looks at the interrupt flag (a few milliseconds of formatting). */
enum { ROWS_PER_CHECK = 4096 };

/* 0 ok; -1 with errno set, EINTR when *interrupt became nonzero. */
static int write_rows(FILE *f, const nd_dataset *ds, const atomic_int *interrupt)
{
    char buf[ND_NUMFMT_CAP];
    size_t ncols = nd_ds_cols(ds);
    for (size_t i = 0; i < nd_ds_rows(ds); i++) {
        if (interrupt && i % ROWS_PER_CHECK == 0 && atomic_load(interrupt)) {
            errno = EINTR;
            return -1;
        }
        for (size_t j = 0; j < ncols; j++) {
            if (j && putc(',', f) == EOF) return -1;
            if (fputs(cell_text(nd_ds_col(ds, j)[i], buf), f) == EOF) return -1;
        }
        if (putc('\n', f) == EOF) return -1;
    }
    return 0;
}

/* Writes everything to the open temporary file and closes it; 0 ok, else errno is set. */
static int write_file(FILE *f, const nd_dataset *ds, const atomic_int *interrupt)
{
    char *head = preamble(ds);
    int rc = -1;
    if (!head) errno = ENOMEM;
    else if (fputs(head, f) != EOF && write_rows(f, ds, interrupt) == 0 && fflush(f) == 0 &&
             fsync(fileno(f)) == 0)
        rc = 0;
    free(head);
    int saved = errno;
    if (fclose(f) != 0 && rc == 0) return -1;
    errno = saved;
    return rc;
}

nd_status nd_ds_save_csv(const nd_dataset *ds, const char *path, nd_error *err)
{
    return nd_ds_save_csv_until(ds, path, NULL, err);
}

nd_status nd_ds_save_csv_until(const nd_dataset *ds, const char *path,
                               const atomic_int *interrupt, nd_error *err)
{
    size_t len = strlen(path);
    char *tmp = malloc(len + sizeof ".tmp-XXXXXX");
    if (!tmp) return nd_error_fail(err, ND_ENOMEM, "out of memory saving '%s'", path);
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".tmp-XXXXXX", sizeof ".tmp-XXXXXX");
    int fd = mkstemp(tmp);
    if (fd < 0) {
        nd_status st = nd_error_fail(err, ND_EIO, "cannot write '%s': %s", path, strerror(errno));
        free(tmp);
        return st;
    }
    /* mkstemp makes the file private; a saved dataset should be readable like any file. */
    fchmod(fd, 0644);
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int e = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        return nd_error_fail(err, ND_EIO, "cannot write '%s': %s", path, strerror(e));
    }
    if (write_file(f, ds, interrupt) != 0 || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        free(tmp);
        if (e == EINTR && interrupt && atomic_load(interrupt))
            return nd_error_fail(err, ND_EINTERRUPT, "interrupted: '%s' was not written", path);
        return nd_error_fail(err, ND_EIO, "cannot write '%s': %s", path, strerror(e));
    }
    free(tmp);
    return ND_OK;
}
