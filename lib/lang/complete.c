/* Candidates are gathered from the sources the context allows, filtered by the typed
   prefix, then sorted and made unique. */
#include "complete.h"

#include <stdlib.h>
#include <string.h>

#include "../expr/functions.h"
#include "context.h"
#include "fields.h"
#include "vecops.h"

typedef struct matches {
    const char *prefix;
    size_t prefix_len;
    char **items;
    size_t count, cap;
    int oom;
} matches;

static void offer(matches *m, const char *name, const char *suffix)
{
    if (m->oom || strncmp(name, m->prefix, m->prefix_len) != 0) return;
    if (m->count == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 32;
        char **items = realloc(m->items, cap * sizeof *items);
        if (!items) {
            m->oom = 1;
            return;
        }
        m->items = items;
        m->cap = cap;
    }
    size_t n = strlen(name), k = strlen(suffix);
    char *s = malloc(n + k + 1);
    if (!s) {
        m->oom = 1;
        return;
    }
    memcpy(s, name, n);
    memcpy(s + n, suffix, k + 1);
    m->items[m->count++] = s;
}

static void offer_commands(matches *m, const nd_cmd_registry *reg)
{
    for (size_t i = 0; i < nd_cmd_count(reg); i++) offer(m, nd_cmd_at(reg, i)->name, "");
}

static void offer_workspace(matches *m, const nd_ws *ws)
{
    for (size_t i = 0; i < nd_ws_count(ws); i++) offer(m, nd_ws_name(ws, i), "");
}

static void offer_expression_names(matches *m, const nd_ws *ws)
{
    static const char *const literals[] = {"true", "false", "none"};
    offer_workspace(m, ws);
    for (size_t i = 0; i < nd_func_count(); i++) offer(m, nd_func_at(i)->name, "");
    for (size_t i = 0; nd_reduce_name(i); i++) offer(m, nd_reduce_name(i), "");
    for (size_t i = 0; nd_const_name(i); i++) offer(m, nd_const_name(i), "");
    for (size_t i = 0; i < 3; i++) offer(m, literals[i], "");
}

/* After "name." (sim.V, c.hopf): the fields of what the name before the last dot holds,
   offered as whole dotted names. Returns 1 when the word is such a name. */
static int offer_fields(matches *m, const nd_ws *ws)
{
    const char *dot = strrchr(m->prefix, '.');
    if (!dot || dot == m->prefix) return 0;
    char *base = strndup(m->prefix, (size_t)(dot - m->prefix));
    if (!base) {
        m->oom = 1;
        return 1;
    }
    nd_value *v = nd_ws_get(ws, base);
    nd_error ignored;
    if (v) nd_value_ref(v);
    else if (nd_fields_resolve(ws, base, 0, 0, &v, &ignored) != ND_OK) v = NULL;
    const char *f;
    for (size_t i = 0; v && (f = nd_value_field_name(v, i)); i++) {
        size_t n = strlen(base);
        char *full = malloc(n + strlen(f) + 2);
        if (!full) {
            m->oom = 1;
            break;
        }
        memcpy(full, base, n);
        full[n] = '.';
        strcpy(full + n + 1, f);
        offer(m, full, "");
        free(full);
    }
    nd_value_unref(v);
    free(base);
    return 1;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_unique(matches *m)
{
    if (m->count == 0) return;
    qsort(m->items, m->count, sizeof *m->items, by_name);
    size_t k = 1;
    for (size_t i = 1; i < m->count; i++) {
        if (strcmp(m->items[i], m->items[k - 1]) == 0) free(m->items[i]);
        else m->items[k++] = m->items[i];
    }
    m->count = k;
}

nd_status nd_complete(const nd_cmd_registry *reg, const nd_ws *ws, const char *code,
                      size_t cursor, nd_completion *out)
{
    size_t len = strlen(code);
    if (cursor > len) cursor = len;
    size_t start = cursor, end = cursor;
    while (start > 0 && nd_context_is_word_char((unsigned char)code[start - 1])) start--;
    while (end < len && nd_context_is_word_char((unsigned char)code[end])) end++;
    *out = (nd_completion){NULL, 0, start, end};

    char *prefix = strndup(code + start, cursor - start);
    if (!prefix) return ND_ENOMEM;
    matches m = {prefix, cursor - start, NULL, 0, 0, 0};
    nd_context ctx = nd_context_at(reg, code, start);
    if (ctx.kind != ND_CTX_NONE && ctx.kind != ND_CTX_TOPIC && offer_fields(&m, ws))
        ctx.kind = ND_CTX_NONE;
    switch (ctx.kind) {
    case ND_CTX_NONE: break;
    case ND_CTX_COMMAND:
        offer_commands(&m, reg);
        offer_workspace(&m, ws);
        break;
    case ND_CTX_VALUE:
        offer_commands(&m, reg);
        offer_expression_names(&m, ws);
        break;
    case ND_CTX_TOPIC: offer_commands(&m, reg); break;
    case ND_CTX_ARGS:
        for (const nd_option *o = ctx.cmd->options; o && o->name; o++) offer(&m, o->name, "=");
        offer_expression_names(&m, ws);
        break;
    case ND_CTX_EXPR: offer_expression_names(&m, ws); break;
    }
    free(prefix);
    if (m.oom) {
        for (size_t i = 0; i < m.count; i++) free(m.items[i]);
        free(m.items);
        return ND_ENOMEM;
    }
    sort_unique(&m);
    out->matches = m.items;
    out->count = m.count;
    return ND_OK;
}
