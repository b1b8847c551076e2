/* How a dataset shows in a notebook: a one-line summary, its metadata, a preview of the
   first and last rows (a million-row table would drown the front end), and the JSON with
   each column's range for tools and tests. */
#include "dataset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../base/json.h"
#include "../base/range.h"
#include "../base/strbuf.h"
#include "../base/table.h"
#include "../base/textfmt.h"

enum { LISTED_NAMES = 12, PREVIEW_HEAD = 5, PREVIEW_TAIL = 5 };

char *nd_ds_summary(const nd_dataset *ds)
{
    nd_sb sb;
    nd_sb_init(&sb);
    size_t rows = nd_ds_rows(ds), ncols = nd_ds_cols(ds);
    nd_sb_printf(&sb, "dataset %zu row%s × %zu column%s (%s ", rows, rows == 1 ? "" : "s",
                 ncols - 1, ncols == 2 ? "" : "s", nd_ds_name(ds, 0));
    double lo, hi;
    if (nd_finite_range(nd_ds_col(ds, 0), rows, &lo, &hi) == 0) {
        nd_sb_puts(&sb, "empty");
    } else {
        nd_sb_printf(&sb, "%g..%g", lo, hi);
        if (nd_ds_unit(ds, 0)) nd_sb_printf(&sb, " %s", nd_ds_unit(ds, 0));
    }
    nd_sb_putc(&sb, ')');
    for (size_t j = 1; j < ncols && j <= LISTED_NAMES; j++)
        nd_sb_printf(&sb, "%s%s", j == 1 ? ": " : ", ", nd_ds_name(ds, j));
    if (ncols - 1 > LISTED_NAMES) nd_sb_printf(&sb, " and %zu more", ncols - 1 - LISTED_NAMES);
    return nd_sb_take(&sb);
}

static char *header_text(const nd_dataset *ds, size_t j)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_puts(&sb, nd_ds_name(ds, j));
    if (nd_ds_unit(ds, j)) nd_sb_printf(&sb, " [%s]", nd_ds_unit(ds, j));
    return nd_sb_take(&sb);
}

static int add_preview_row(nd_table *t, const nd_dataset *ds, size_t i, char **cells,
                           char (*buf)[32])
{
    for (size_t j = 0; j < nd_ds_cols(ds); j++) {
        snprintf(buf[j], sizeof buf[j], "%.6g", nd_ds_col(ds, j)[i]);
        cells[j] = buf[j];
    }
    return nd_table_add_row(t, (const char *const *)cells);
}

/* The first and last rows, with a row of "…" where the middle is left out. */
static nd_table *preview(const nd_dataset *ds)
{
    size_t ncols = nd_ds_cols(ds), rows = nd_ds_rows(ds);
    char **cells = calloc(ncols, sizeof *cells);
    char (*buf)[32] = calloc(ncols, sizeof *buf);
    nd_table *t = NULL;
    int ok = cells && buf;
    for (size_t j = 0; ok && j < ncols; j++) ok = (cells[j] = header_text(ds, j)) != NULL;
    if (ok) t = nd_table_create(ncols, (const char *const *)cells);
    for (size_t j = 0; cells && j < ncols; j++) free(cells[j]);
    ok = t != NULL;
    int elide = rows > PREVIEW_HEAD + PREVIEW_TAIL;
    for (size_t i = 0; ok && i < rows; i++) {
        if (elide && i == PREVIEW_HEAD) {
            for (size_t j = 0; j < ncols; j++) cells[j] = "…";
            ok = nd_table_add_row(t, (const char *const *)cells) == 0;
            i = rows - PREVIEW_TAIL;
        }
        ok = ok && add_preview_row(t, ds, i, cells, buf) == 0;
    }
    free(cells);
    free(buf);
    if (!ok) {
        nd_table_free(t);
        return NULL;
    }
    return t;
}

static void meta_text(const nd_dataset *ds, nd_sb *sb, int html)
{
    for (size_t i = 0; i < nd_ds_meta_count(ds); i++) {
        if (i) nd_sb_puts(sb, ", ");
        if (html) {
            nd_html_escape(sb, nd_ds_meta_key(ds, i));
            nd_sb_puts(sb, ": ");
            nd_html_escape(sb, nd_ds_meta_value(ds, i));
        } else {
            nd_sb_printf(sb, "%s: %s", nd_ds_meta_key(ds, i), nd_ds_meta_value(ds, i));
        }
    }
}

static json_t *column_json(const nd_dataset *ds, size_t j)
{
    double lo, hi;
    int any = nd_finite_range(nd_ds_col(ds, j), nd_ds_rows(ds), &lo, &hi) > 0;
    const char *unit = nd_ds_unit(ds, j);
    json_t *o = json_object();
    return nd_json_ok(o, nd_json_put(o, "name", nd_json_utf8(nd_ds_name(ds, j))) |
                             nd_json_put(o, "unit", unit ? nd_json_utf8(unit) : json_null()) |
                             nd_json_put(o, "min", any ? nd_json_real(lo) : json_null()) |
                             nd_json_put(o, "max", any ? nd_json_real(hi) : json_null()));
}

static char *json_of(const nd_dataset *ds)
{
    json_t *j = json_object(), *cols = json_array(), *meta = json_object();
    int rc = nd_json_put(j, "type", json_string("dataset")) |
             nd_json_put(j, "rows", json_integer((json_int_t)nd_ds_rows(ds))) |
             nd_json_put(j, "columns", cols) | nd_json_put(j, "meta", meta);
    for (size_t c = 0; rc == 0 && c < nd_ds_cols(ds); c++)
        rc |= nd_json_push(cols, column_json(ds, c));
    for (size_t i = 0; rc == 0 && i < nd_ds_meta_count(ds); i++)
        rc |= nd_json_put(meta, nd_ds_meta_key(ds, i), nd_json_utf8(nd_ds_meta_value(ds, i)));
    return nd_json_dump(nd_json_ok(j, rc));
}

nd_bundle *nd_ds_bundle(const nd_dataset *ds)
{
    char *summary = nd_ds_summary(ds);
    nd_table *t = preview(ds);
    if (!summary || !t) {
        free(summary);
        nd_table_free(t);
        return NULL;
    }
    nd_sb plain, html;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_puts(&plain, summary);
    nd_sb_puts(&html, "<div class=\"nd-dataset\"><p>");
    nd_html_escape(&html, summary);
    if (nd_ds_meta_count(ds)) {
        nd_sb_putc(&plain, '\n');
        meta_text(ds, &plain, 0);
        nd_sb_puts(&html, "<br>");
        meta_text(ds, &html, 1);
    }
    nd_sb_puts(&html, "</p>");
    if (nd_ds_rows(ds)) {
        nd_sb_putc(&plain, '\n');
        nd_table_text(t, &plain);
        nd_table_html(t, &html);
    }
    nd_sb_puts(&html, "</div>");
    free(summary);
    nd_table_free(t);
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), json_of(ds));
}
