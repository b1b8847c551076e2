/* Metadata lists: a handful of entries, so a linear search is the fastest lookup. */
#include "meta.h"

#include <stdlib.h>
#include <string.h>

static int valid_key(const char *k)
{
    if (!k || !*k) return 0;
    for (; *k; k++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.", *k))
            return 0;
    return 1;
}

static long meta_index(const nd_meta *m, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->keys[i], key) == 0) return (long)i;
    return -1;
}

nd_status nd_meta_set(nd_meta *m, const char *key, const char *value)
{
    if (!valid_key(key) || (value && strpbrk(value, "\r\n"))) return ND_EVALUE;
    long i = meta_index(m, key);
    if (!value) {
        if (i < 0) return ND_OK;
        free(m->keys[i]);
        free(m->values[i]);
        size_t tail = m->n - (size_t)i - 1;
        memmove(m->keys + i, m->keys + i + 1, tail * sizeof *m->keys);
        memmove(m->values + i, m->values + i + 1, tail * sizeof *m->values);
        m->n--;
        return ND_OK;
    }
    char *v = strdup(value);
    if (!v) return ND_ENOMEM;
    if (i >= 0) {
        free(m->values[i]);
        m->values[i] = v;
        return ND_OK;
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 8;
        char **keys = realloc(m->keys, cap * sizeof *keys);
        if (keys) m->keys = keys;
        char **values = keys ? realloc(m->values, cap * sizeof *values) : NULL;
        if (values) m->values = values;
        if (!keys || !values) {
            free(v);
            return ND_ENOMEM;
        }
        m->cap = cap;
    }
    char *k = strdup(key);
    if (!k) {
        free(v);
        return ND_ENOMEM;
    }
    m->keys[m->n] = k;
    m->values[m->n] = v;
    m->n++;
    return ND_OK;
}

const char *nd_meta_get(const nd_meta *m, const char *key)
{
    long i = meta_index(m, key);
    return i >= 0 ? m->values[i] : NULL;
}

nd_status nd_meta_copy(nd_meta *to, const nd_meta *from)
{
    for (size_t i = 0; i < from->n; i++) {
        nd_status st = nd_meta_set(to, from->keys[i], from->values[i]);
        if (st != ND_OK) return st;
    }
    return ND_OK;
}

void nd_meta_clear(nd_meta *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->keys[i]);
        free(m->values[i]);
    }
    free(m->keys);
    free(m->values);
    *m = (nd_meta){0};
}
