/* Reading the mentor's tables: "## id" headings, each followed by "- key: value" lines;
   anything before the first heading is the file's own documentation. */
#include "mentor.h"

#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "mentor_texts.h"

void nd_mentor_table_clear(nd_mentor_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        nd_mentor_row *r = &t->rows[i];
        for (size_t k = 0; k < r->n; k++) {
            free(r->keys[k]);
            free(r->vals[k]);
        }
        free(r->keys);
        free(r->vals);
        free(r->id);
    }
    free(t->rows);
    t->rows = NULL;
    t->n = 0;
}

static char *dup_trim(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static int add_row(nd_mentor_table *t, const char *file, const char *id, size_t n, int line)
{
    nd_mentor_row *rows = realloc(t->rows, (t->n + 1) * sizeof *rows);
    if (!rows) return -1;
    t->rows = rows;
    nd_mentor_row *r = &rows[t->n];
    memset(r, 0, sizeof *r);
    r->file = file;
    r->line = line;
    if (!(r->id = dup_trim(id, n))) return -1;
    t->n++;
    return 0;
}

static int add_key(nd_mentor_row *r, const char *key, size_t nk, const char *val, size_t nv)
{
    char **k = realloc(r->keys, (r->n + 1) * sizeof *k);
    if (!k) return -1;
    r->keys = k;
    char **v = realloc(r->vals, (r->n + 1) * sizeof *v);
    if (!v) return -1;
    r->vals = v;
    k[r->n] = dup_trim(key, nk);
    v[r->n] = dup_trim(val, nv);
    if (!k[r->n] || !v[r->n]) {
        free(k[r->n]);
        free(v[r->n]);
        return -1;
    }
    r->n++;
    return 0;
}

/* Appends a continuation line to the row's last value. */
static int continue_value(nd_mentor_row *r, const char *s, size_t n)
{
    char *more = dup_trim(s, n);
    if (!more) return -1;
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_printf(&sb, "%s %s", r->vals[r->n - 1], more);
    free(more);
    char *joined = nd_sb_take(&sb);
    if (!joined) return -1;
    free(r->vals[r->n - 1]);
    r->vals[r->n - 1] = joined;
    return 0;
}

static nd_status parse_line(const char *file, const char *s, size_t n, int line,
                            nd_mentor_table *t, nd_error *err)
{
    nd_mentor_row *r = t->n ? &t->rows[t->n - 1] : NULL;
    if (n >= 3 && strncmp(s, "## ", 3) == 0)
        return add_row(t, file, s + 3, n - 3, line) == 0 ? ND_OK
               : nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (!r) return ND_OK;   /* the file's preamble */
    if (n >= 2 && strncmp(s, "- ", 2) == 0) {
        const char *colon = memchr(s, ':', n);
        if (!colon)
            return nd_error_set(err, ND_ESYNTAX, line, 1, 1,
                                "%s.md line %d: '- key: value' expected", file, line);
        return add_key(r, s + 2, (size_t)(colon - s - 2), colon + 1, (size_t)(s + n - colon - 1))
               == 0 ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    if (n >= 2 && s[0] == ' ' && s[1] == ' ' && r->n)
        return continue_value(r, s, n) == 0 ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    size_t blank = 0;
    while (blank < n && (s[blank] == ' ' || s[blank] == '\r')) blank++;
    if (blank == n) return ND_OK;
    return nd_error_set(err, ND_ESYNTAX, line, 1, 1,
                        "%s.md line %d: inside row '%s', a line must be '- key: value' or "
                        "continue one (two spaces)", file, line, r->id);
}

nd_status nd_mentor_table_parse(const char *file, const char *text, nd_mentor_table *t,
                                nd_error *err)
{
    memset(t, 0, sizeof *t);
    int line = 1;
    for (const char *s = text; *s; line++) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        nd_status st = parse_line(file, s, n, line, t, err);
        if (st != ND_OK) {
            nd_mentor_table_clear(t);
            return st;
        }
        s += n + (nl != NULL);
    }
    return ND_OK;
}

const char *nd_mentor_builtin_text(const char *name)
{
    for (unsigned i = 0; i < nd_mentor_text_count; i++)
        if (strcmp(nd_mentor_texts[i].name, name) == 0) return nd_mentor_texts[i].text;
    return NULL;
}

const nd_mentor_table *nd_mentor_builtin(const char *name)
{
    static nd_mentor_table tables[2];
    static int parsed[2];
    static const char *const names[2] = {"situations", "guesses"};
    for (int i = 0; i < 2; i++) {
        if (strcmp(name, names[i]) != 0) continue;
        if (!parsed[i]) {
            const char *text = nd_mentor_builtin_text(name);
            if (!text || nd_mentor_table_parse(names[i], text, &tables[i], NULL) != ND_OK)
                return NULL;
            parsed[i] = 1;
        }
        return &tables[i];
    }
    return NULL;
}

size_t nd_mentor_row_count(const nd_mentor_row *row, const char *key)
{
    size_t c = 0;
    for (size_t k = 0; k < row->n; k++) c += strcmp(row->keys[k], key) == 0;
    return c;
}

const char *nd_mentor_row_nth(const nd_mentor_row *row, const char *key, size_t i)
{
    for (size_t k = 0; k < row->n; k++)
        if (strcmp(row->keys[k], key) == 0 && i-- == 0) return row->vals[k];
    return NULL;
}

const char *nd_mentor_row_get(const nd_mentor_row *row, const char *key)
{
    return nd_mentor_row_nth(row, key, 0);
}

const nd_mentor_row *nd_mentor_table_find(const nd_mentor_table *t, const char *id)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->rows[i].id, id) == 0) return &t->rows[i];
    return NULL;
}
