/* Loading a dataset from CSV or TSV. Accepted: comma-separated cells (tab-separated when
   the header row holds a tab and no comma); a header row of names,
   each optionally "quoted" ("" for a quote) and optionally ending in " [unit]"; numbers as
   strtod reads them (nan, inf, -inf included); blank lines, CRLF line ends and a UTF-8 BOM;
   lines starting with '#' are comments, and "# key: value" ones before the header are
   metadata. Rejected, with file, line and column (1-based field number and its name):
   no header, an empty file, empty or duplicate names, ragged rows, non-numeric or empty
   cells, broken quotes, NUL bytes. The file is read whole and cut up in place. */
#include "dataset.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The parse in progress: the file's bytes, the cells of the current line, metadata seen
   before the header, and the dataset once the header is known. */
typedef struct loader {
    const char *path;
    char *text;
    size_t len;
    char **cells;
    size_t ncells, capcells;
    struct { char *key, *value; } *meta;   /* point into text */
    size_t nmeta, capmeta;
    double *row;
    nd_dataset *ds;
    nd_error *err;
    const atomic_int *interrupt;   /* optional: nonzero stops the load (ND_EINTERRUPT) */
    char sep;                      /* ',' or '\t', decided by the header row */
} loader;

/* Whether the user interrupted the load; sets the error then. */
static int interrupted(loader *L)
{
    if (!L->interrupt || !atomic_load(L->interrupt)) return 0;
    nd_error_fail(L->err, ND_EINTERRUPT, "interrupted while loading '%s'", L->path);
    return 1;
}

static int grow(void *pp, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return 0;
    size_t cap2 = *cap ? 2 * *cap : 16;
    while (cap2 < need) cap2 *= 2;
    void *p = realloc(*(void **)pp, cap2 * size);
    if (!p) return -1;
    *(void **)pp = p;
    *cap = cap2;
    return 0;
}

static int read_all(loader *L)
{
    FILE *f = fopen(L->path, "rb");
    if (!f) {
        nd_error_fail(L->err, ND_EIO, "cannot open '%s': %s", L->path, strerror(errno));
        return -1;
    }
    size_t cap = 0;
    for (;;) {
        if (interrupted(L)) {
            fclose(f);
            return -1;
        }
        if (grow(&L->text, &cap, L->len + 65537, 1) != 0) {
            fclose(f);
            nd_error_fail(L->err, ND_ENOMEM, "'%s' is too large to load", L->path);
            return -1;
        }
        size_t got = fread(L->text + L->len, 1, cap - L->len - 1, f);
        L->len += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        nd_error_fail(L->err, ND_EIO, "cannot read '%s'", L->path);
        return -1;
    }
    L->text[L->len] = '\0';
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
    return s;
}

/* Cuts line into cells at L->sep in place; a cell may be "quoted" with "" for a quote.
   Returns 0, or -1 with err set for a broken quote. */
static int split_cells(loader *L, char *line, int lineno)
{
    if (!L->ds) L->sep = strchr(line, '\t') && !strchr(line, ',') ? '\t' : ',';
    /* blanks around a cell are padding, except the separator itself */
    const char *pad = L->sep == '\t' ? " " : " \t";
    L->ncells = 0;
    char *p = line;
    for (;;) {
        if (grow(&L->cells, &L->capcells, L->ncells + 1, sizeof *L->cells) != 0) {
            nd_error_fail(L->err, ND_ENOMEM, "out of memory loading '%s'", L->path);
            return -1;
        }
        size_t field = L->ncells + 1;
        char *start = p + strspn(p, pad);
        if (*start == '"') {
            char *out = start, *in = start + 1;
            for (;;) {
                if (*in == '\0') {
                    nd_error_fail(L->err, ND_EVALUE, "%s, line %d, column %zu: unterminated quote",
                                  L->path, lineno, field);
                    return -1;
                }
                if (*in == '"' && in[1] == '"') { *out++ = '"'; in += 2; continue; }
                if (*in == '"') break;
                *out++ = *in++;
            }
            *out = '\0';
            in++;
            in += strspn(in, pad);
            if (*in != L->sep && *in != '\0') {
                nd_error_fail(L->err, ND_EVALUE,
                              "%s, line %d, column %zu: text after the closing quote",
                              L->path, lineno, field);
                return -1;
            }
            L->cells[L->ncells++] = start;
            if (*in == '\0') return 0;
            p = in + 1;
        } else {
            char *comma = strchr(start, L->sep);
            if (comma) *comma = '\0';
            L->cells[L->ncells++] = trim(start);
            if (!comma) return 0;
            p = comma + 1;
        }
    }
}

static int is_number(const char *s, double *x)
{
    char *end;
    if (!*s) return 0;
    *x = strtod(s, &end);
    return *end == '\0';
}

/* "# key: value" before the header is metadata; other comments are ignored. */
static int note_comment(loader *L, char *line)
{
    char *p = line + 1;
    while (*p == ' ') p++;
    char *colon = strchr(p, ':');
    if (!colon || colon == p) return 0;
    for (char *k = p; k < colon; k++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.", *k))
            return 0;
    *colon = '\0';
    char *value = colon + 1;
    if (*value == ' ') value++;
    if (grow(&L->meta, &L->capmeta, L->nmeta + 1, sizeof *L->meta) != 0) return -1;
    L->meta[L->nmeta].key = p;
    L->meta[L->nmeta].value = value;
    L->nmeta++;
    return 0;
}

/* Splits a header cell "V [mV]" into name and unit (NULL when none or "[]"). */
static char *split_unit(char *cell, char **unit)
{
    *unit = NULL;
    size_t n = strlen(cell);
    char *open = strrchr(cell, '[');
    if (n < 2 || cell[n - 1] != ']' || !open || open == cell) return cell;
    if (memchr(open + 1, ']', (size_t)(cell + n - 1 - (open + 1)))) return cell;
    cell[n - 1] = '\0';
    *open = '\0';
    char *u = trim(open + 1);
    *unit = *u ? u : NULL;
    return trim(cell);
}

static int parse_header(loader *L, int lineno)
{
    size_t n = L->ncells;
    double x;
    size_t numeric = 0;
    for (size_t j = 0; j < n; j++) numeric += is_number(L->cells[j], &x);
    if (numeric == n) {
        nd_error_fail(L->err, ND_EVALUE,
                      "%s, line %d: no header row (the first row holds numbers; "
                      "expected column names such as t,V)", L->path, lineno);
        return -1;
    }
    char **units = calloc(n, sizeof *units);
    if (!units) {
        nd_error_fail(L->err, ND_ENOMEM, "out of memory loading '%s'", L->path);
        return -1;
    }
    for (size_t j = 0; j < n; j++) {
        L->cells[j] = split_unit(L->cells[j], &units[j]);
        if (!*L->cells[j]) {
            nd_error_fail(L->err, ND_EVALUE, "%s, line %d, column %zu: empty column name",
                          L->path, lineno, j + 1);
            free(units);
            return -1;
        }
        for (size_t k = 0; k < j; k++) {
            if (strcmp(L->cells[k], L->cells[j]) == 0) {
                nd_error_fail(L->err, ND_EVALUE,
                              "%s, line %d, column %zu: duplicate column name \"%s\" "
                              "(also column %zu)", L->path, lineno, j + 1, L->cells[j], k + 1);
                free(units);
                return -1;
            }
        }
    }
    L->ds = nd_ds_create(n, (const char *const *)L->cells, (const char *const *)units);
    free(units);
    L->row = malloc(n * sizeof *L->row);
    if (!L->ds || !L->row) {
        nd_error_fail(L->err, ND_ENOMEM, "out of memory loading '%s'", L->path);
        return -1;
    }
    for (size_t i = 0; i < L->nmeta; i++) {
        if (nd_ds_set_meta(L->ds, L->meta[i].key, L->meta[i].value) != ND_OK) {
            nd_error_fail(L->err, ND_ENOMEM, "out of memory loading '%s'", L->path);
            return -1;
        }
    }
    return 0;
}

static int parse_row(loader *L, int lineno)
{
    size_t ncols = nd_ds_cols(L->ds);
    if (L->ncells != ncols) {
        nd_error_fail(L->err, ND_EVALUE,
                      "%s, line %d: %zu cell%s where the header has %zu columns",
                      L->path, lineno, L->ncells, L->ncells == 1 ? "" : "s", ncols);
        return -1;
    }
    for (size_t j = 0; j < ncols; j++) {
        if (!is_number(L->cells[j], &L->row[j])) {
            nd_error_fail(L->err, ND_EVALUE,
                          "%s, line %d, column %zu (%s): %s%s%s is not a number",
                          L->path, lineno, j + 1, nd_ds_name(L->ds, j),
                          *L->cells[j] ? "\"" : "", *L->cells[j] ? L->cells[j] : "an empty cell",
                          *L->cells[j] ? "\"" : "");
            return -1;
        }
    }
    if (nd_ds_append(L->ds, L->row) != 0) {
        nd_error_fail(L->err, ND_ENOMEM, "out of memory loading '%s'", L->path);
        return -1;
    }
    return 0;
}

static int is_blank(const char *s)
{
    return s[strspn(s, " \t")] == '\0';
}

static int parse_lines(loader *L)
{
    char *p = L->text;
    if (strncmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;   /* spreadsheet programs add a BOM */
    for (int lineno = 1; p < L->text + L->len; lineno++) {
        if (lineno % 4096 == 0 && interrupted(L)) return -1;
        char *nl = strchr(p, '\n');
        char *next = nl ? nl + 1 : L->text + L->len;
        if (nl) *nl = '\0';
        size_t n = strlen(p);
        if ((size_t)(next - p) > n + (nl ? 1 : 0)) {
            nd_error_fail(L->err, ND_EVALUE, "%s, line %d: contains a NUL byte (not a text file)",
                          L->path, lineno);
            return -1;
        }
        if (n > 0 && p[n - 1] == '\r') p[--n] = '\0';
        if (is_blank(p)) {
            /* blank lines separate nothing in a table */
        } else if (p[strspn(p, " \t")] == '#') {
            if (!L->ds && note_comment(L, p + strspn(p, " \t")) != 0) {
                nd_error_fail(L->err, ND_ENOMEM, "out of memory loading '%s'", L->path);
                return -1;
            }
        } else if (split_cells(L, p, lineno) != 0 ||
                   (L->ds ? parse_row(L, lineno) : parse_header(L, lineno)) != 0) {
            return -1;
        }
        p = next;
    }
    if (!L->ds) {
        nd_error_fail(L->err, ND_EVALUE, "%s is empty: no header row and no data", L->path);
        return -1;
    }
    return 0;
}

nd_dataset *nd_ds_load_csv(const char *path, nd_error *err)
{
    return nd_ds_load_csv_until(path, NULL, err);
}

/* Parses L->text (owned by L) into L->ds; NULL with err set. */
static nd_dataset *finish(loader *L, int ok)
{
    ok = ok && parse_lines(L) == 0;
    free(L->text);
    free(L->cells);
    free(L->meta);
    free(L->row);
    if (!ok) {
        nd_ds_free(L->ds);
        return NULL;
    }
    return L->ds;
}

nd_dataset *nd_ds_load_csv_until(const char *path, const atomic_int *interrupt, nd_error *err)
{
    loader L = {.path = path, .err = err, .interrupt = interrupt};
    return finish(&L, read_all(&L) == 0);
}

nd_dataset *nd_ds_parse_csv(const char *text, size_t len, const char *name, nd_error *err)
{
    loader L = {.path = name, .err = err, .len = len};
    L.text = malloc(len + 1);
    if (!L.text) {
        nd_error_fail(err, ND_ENOMEM, "'%s' is too large to load", name);
        return NULL;
    }
    memcpy(L.text, text, len);
    L.text[len] = '\0';
    return finish(&L, 1);
}
