/* MIME bundles as a small ordered array: a result rarely has more than four types. */
#include "bundle.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    char *mime;
    char *text;
} entry;

struct nd_bundle {
    entry *items;
    size_t count, cap;
};

nd_bundle *nd_bundle_create(void)
{
    return calloc(1, sizeof(nd_bundle));
}

void nd_bundle_free(nd_bundle *b)
{
    if (!b) return;
    for (size_t i = 0; i < b->count; i++) {
        free(b->items[i].mime);
        free(b->items[i].text);
    }
    free(b->items);
    free(b);
}

nd_bundle *nd_bundle_copy(const nd_bundle *b)
{
    nd_bundle *c = nd_bundle_create();
    for (size_t i = 0; c && i < b->count; i++)
        if (nd_bundle_set(c, b->items[i].mime, b->items[i].text) != 0) {
            nd_bundle_free(c);
            c = NULL;
        }
    return c;
}

static entry *find(const nd_bundle *b, const char *mime)
{
    for (size_t i = 0; i < b->count; i++)
        if (strcmp(b->items[i].mime, mime) == 0) return &b->items[i];
    return NULL;
}

int nd_bundle_set(nd_bundle *b, const char *mime, const char *text)
{
    char *copy = strdup(text);
    if (!copy) return -1;
    entry *e = find(b, mime);
    if (e) {
        free(e->text);
        e->text = copy;
        return 0;
    }
    if (b->count == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 4;
        entry *items = realloc(b->items, cap * sizeof *items);
        if (!items) {
            free(copy);
            return -1;
        }
        b->items = items;
        b->cap = cap;
    }
    char *mcopy = strdup(mime);
    if (!mcopy) {
        free(copy);
        return -1;
    }
    b->items[b->count++] = (entry){mcopy, copy};
    return 0;
}

int nd_bundle_setf(nd_bundle *b, const char *mime, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return -1;
    char *text = malloc((size_t)n + 1);
    if (!text) return -1;
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = nd_bundle_set(b, mime, text);
    free(text);
    return rc;
}

size_t nd_bundle_count(const nd_bundle *b)
{
    return b->count;
}

const char *nd_bundle_mime(const nd_bundle *b, size_t i)
{
    return b->items[i].mime;
}

const char *nd_bundle_text(const nd_bundle *b, size_t i)
{
    return b->items[i].text;
}

const char *nd_bundle_get(const nd_bundle *b, const char *mime)
{
    const entry *e = find(b, mime);
    return e ? e->text : NULL;
}

nd_bundle *nd_bundle_latex(const char *plain, const char *latex, const char *json)
{
    nd_bundle *b = plain && latex && json ? nd_bundle_create() : NULL;
    if (b && (nd_bundle_set(b, "text/plain", plain) || nd_bundle_set(b, "text/latex", latex) ||
              nd_bundle_set(b, ND_MIME_JSON, json))) {
        nd_bundle_free(b);
        b = NULL;
    }
    return b;
}

nd_bundle *nd_bundle_take3(char *plain, char *html, char *json)
{
    nd_bundle *b = plain && html && json ? nd_bundle_create() : NULL;
    if (b && (nd_bundle_set(b, "text/plain", plain) || nd_bundle_set(b, "text/html", html) ||
              nd_bundle_set(b, ND_MIME_JSON, json))) {
        nd_bundle_free(b);
        b = NULL;
    }
    free(plain);
    free(html);
    free(json);
    return b;
}
