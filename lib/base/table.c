/* Cells are stored row-major, header first, so rendering is two simple passes. */
#include "table.h"

#include <stdlib.h>
#include <string.h>

#include "textfmt.h"

struct nd_table {
    size_t ncols, nrows;   /* nrows counts the header row */
    size_t cap;
    char **cells;
};

nd_table *nd_table_create(size_t ncols, const char *const *headers)
{
    nd_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->ncols = ncols;
    if (nd_table_add_row(t, headers) != 0) {
        nd_table_free(t);
        return NULL;
    }
    return t;
}

void nd_table_free(nd_table *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++) free(t->cells[i]);
    free(t->cells);
    free(t);
}

int nd_table_add_row(nd_table *t, const char *const *cells)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 8;
        char **p = realloc(t->cells, cap * t->ncols * sizeof *p);
        if (!p) return -1;
        t->cells = p;
        t->cap = cap;
    }
    char **row = t->cells + t->nrows * t->ncols;
    for (size_t j = 0; j < t->ncols; j++) {
        row[j] = strdup(cells[j] ? cells[j] : "");
        if (!row[j]) {
            while (j-- > 0) free(row[j]);
            return -1;
        }
    }
    t->nrows++;
    return 0;
}

size_t nd_table_rows(const nd_table *t)
{
    return t->nrows - 1;
}

static const char *cell(const nd_table *t, size_t i, size_t j)
{
    return t->cells[i * t->ncols + j];
}

/* Appends one line; the last column is not padded so lines carry no trailing blanks. */
static void text_row(const nd_table *t, nd_sb *sb, size_t i, const size_t *width)
{
    for (size_t j = 0; j < t->ncols; j++) {
        const char *c = cell(t, i, j);
        nd_sb_puts(sb, c);
        if (j + 1 < t->ncols) nd_sb_repeat(sb, ' ', width[j] - nd_utf8_width(c) + 2);
    }
}

void nd_table_text(const nd_table *t, nd_sb *sb)
{
    size_t *width = calloc(t->ncols, sizeof *width);
    if (!width) {
        sb->oom = 1;
        return;
    }
    for (size_t i = 0; i < t->nrows; i++)
        for (size_t j = 0; j < t->ncols; j++) {
            size_t w = nd_utf8_width(cell(t, i, j));
            if (w > width[j]) width[j] = w;
        }
    text_row(t, sb, 0, width);
    nd_sb_putc(sb, '\n');
    for (size_t j = 0; j < t->ncols; j++) {
        nd_sb_repeat(sb, '-', width[j]);
        if (j + 1 < t->ncols) nd_sb_puts(sb, "  ");
    }
    for (size_t i = 1; i < t->nrows; i++) {
        nd_sb_putc(sb, '\n');
        text_row(t, sb, i, width);
    }
    free(width);
}

static void html_row(const nd_table *t, nd_sb *sb, size_t i, const char *tag)
{
    nd_sb_puts(sb, "<tr>");
    for (size_t j = 0; j < t->ncols; j++) {
        nd_sb_printf(sb, "<%s style=\"text-align:left\">", tag);
        nd_html_escape(sb, cell(t, i, j));
        nd_sb_printf(sb, "</%s>", tag);
    }
    nd_sb_puts(sb, "</tr>\n");
}

void nd_table_html(const nd_table *t, nd_sb *sb)
{
    nd_sb_puts(sb, "<table>\n<thead>\n");
    html_row(t, sb, 0, "th");
    nd_sb_puts(sb, "</thead>\n<tbody>\n");
    for (size_t i = 1; i < t->nrows; i++) html_row(t, sb, i, "td");
    nd_sb_puts(sb, "</tbody>\n</table>");
}
