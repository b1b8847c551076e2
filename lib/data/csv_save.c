/* Saving a dataset as CSV:
     # model: hh                 metadata, one "# key: value" line each, in order
     t [ms],V [mV],m             header: name, plus " [unit]" when known
     0,-65,0.052932              numbers in the shortest form that reads back exactly
   A header cell with a comma, quote or edge blank is "quoted"; NaN is nan (-nan keeps the
   sign), infinities inf and -inf. Times on a decimal grid (the first column, sampled
   every 0.1 ms) are written as the grid's values: 0.3, not the 0.30000000000000004 that
   3 * 0.1 gives in binary (nd_grid_snap). ND_CSV_NO_META leaves out the metadata
   lines, for readers that do not skip comments. The file is replaced whole or not at all
   (nd_file_replace). */
#include "dataset.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/atomicfile.h"
#include "../base/grid.h"
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
static char *preamble(const nd_dataset *ds, int meta)
{
    nd_sb sb;
    nd_sb_init(&sb);
    for (size_t i = 0; meta && i < nd_ds_meta_count(ds); i++)
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

/* The decimal grid of a time column (the first), from its first two values. */
static nd_grid find_grid(const nd_dataset *ds)
{
    if (nd_ds_cols(ds) == 0 || nd_ds_rows(ds) < 2) return (nd_grid){0, 0};
    const double *t = nd_ds_col(ds, 0);
    return nd_grid_of(t[0], t[1] - t[0]);
}

typedef struct csv_job {
    const nd_dataset *ds;
    unsigned flags;
    const atomic_int *interrupt;
} csv_job;

/* 0 ok; -1 with errno set, EINTR when *interrupt became nonzero. */
static int write_rows(FILE *f, const csv_job *job)
{
    const nd_dataset *ds = job->ds;
    char buf[ND_NUMFMT_CAP];
    size_t ncols = nd_ds_cols(ds);
    nd_grid grid = find_grid(ds);
    for (size_t i = 0; i < nd_ds_rows(ds); i++) {
        if (job->interrupt && i % ROWS_PER_CHECK == 0 && atomic_load(job->interrupt)) {
            errno = EINTR;
            return -1;
        }
        for (size_t j = 0; j < ncols; j++) {
            double x = nd_ds_col(ds, j)[i];
            if (j == 0) x = nd_grid_snap(&grid, x);
            if (j && putc(',', f) == EOF) return -1;
            if (fputs(cell_text(x, buf), f) == EOF) return -1;
        }
        if (putc('\n', f) == EOF) return -1;
    }
    return 0;
}

/* The nd_file_writer of a dataset. */
static int write_csv(FILE *f, void *ctx)
{
    const csv_job *job = ctx;
    char *head = preamble(job->ds, !(job->flags & ND_CSV_NO_META));
    if (!head) {
        errno = ENOMEM;
        return -1;
    }
    int rc = fputs(head, f) != EOF && write_rows(f, job) == 0 ? 0 : -1;
    int saved = errno;
    free(head);
    errno = saved;
    return rc;
}

nd_status nd_ds_save_csv(const nd_dataset *ds, const char *path, nd_error *err)
{
    return nd_ds_save_csv_until(ds, path, 0, NULL, err);
}

nd_status nd_ds_save_csv_until(const nd_dataset *ds, const char *path, unsigned flags,
                               const atomic_int *interrupt, nd_error *err)
{
    csv_job job = {ds, flags, interrupt};
    int e = nd_file_replace(path, write_csv, &job);
    if (e == 0) return ND_OK;
    if (e == EINTR && interrupt && atomic_load(interrupt))
        return nd_error_fail(err, ND_EINTERRUPT, "interrupted: '%s' was not written", path);
    if (e == ENOMEM) return nd_error_fail(err, ND_ENOMEM, "out of memory saving '%s'", path);
    return nd_error_fail(err, ND_EIO, "cannot write '%s': %s", path, strerror(e));
}
