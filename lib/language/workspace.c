/* A sorted array with binary search: listings come out in order for free, and a
   session holds tens of names, not millions. */
#include "workspace.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/strbuf.h"
#include "../base/table.h"
#include "interact.h"

typedef struct binding {
    char *name;
    nd_value *value;
    int pinned;        /* set from outside the program (neurodyn run -D): NAME = … keeps it */
} binding;

struct nd_ws {
    binding *items;
    size_t count, cap;
    char *current_model;   /* the name `use` or `model` made current, or NULL */
    nd_interact *interacts[ND_WS_MAX_INTERACTS];   /* oldest first */
    size_t ninteracts;
};

/* Interact ids are unique in the process, not per workspace, so that a kernel embedding
   two interpreters never confuses their sliders. */
static atomic_int last_interact_id;

nd_ws *nd_ws_create(void)
{
    return calloc(1, sizeof(nd_ws));
}

void nd_ws_free(nd_ws *ws)
{
    if (!ws) return;
    for (size_t i = 0; i < ws->count; i++) {
        free(ws->items[i].name);
        nd_value_unref(ws->items[i].value);
    }
    free(ws->items);
    free(ws->current_model);
    for (size_t i = 0; i < ws->ninteracts; i++) nd_interact_free(ws->interacts[i]);
    free(ws);
}

int nd_ws_add_interact(nd_ws *ws, nd_interact *it)
{
    if (ws->ninteracts == ND_WS_MAX_INTERACTS) {
        nd_interact_free(ws->interacts[0]);
        memmove(ws->interacts, ws->interacts + 1, (ND_WS_MAX_INTERACTS - 1) * sizeof *ws->interacts);
        ws->ninteracts--;
    }
    it->id = atomic_fetch_add(&last_interact_id, 1) + 1;
    ws->interacts[ws->ninteracts++] = it;
    return it->id;
}

nd_interact *nd_ws_interact(const nd_ws *ws, int id)
{
    for (size_t i = 0; i < ws->ninteracts; i++)
        if (ws->interacts[i]->id == id) return ws->interacts[i];
    return NULL;
}

const char *nd_ws_current_model(const nd_ws *ws)
{
    return ws->current_model && nd_ws_get(ws, ws->current_model) ? ws->current_model : NULL;
}

int nd_ws_set_current_model(nd_ws *ws, const char *name)
{
    char *copy = name ? strdup(name) : NULL;
    if (name && !copy) return -1;
    free(ws->current_model);
    ws->current_model = copy;
    return 0;
}

/* Returns the index of name, or of where it would be inserted; *found says which. */
static size_t search(const nd_ws *ws, const char *name, int *found)
{
    size_t lo = 0, hi = ws->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ws->items[mid].name, name);
        if (c == 0) {
            *found = 1;
            return mid;
        }
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    *found = 0;
    return lo;
}

nd_value *nd_ws_get(const nd_ws *ws, const char *name)
{
    int found;
    size_t i = search(ws, name, &found);
    return found ? ws->items[i].value : NULL;
}

int nd_ws_set(nd_ws *ws, const char *name, nd_value *v)
{
    int found;
    size_t i = search(ws, name, &found);
    if (found) {
        nd_value *old = ws->items[i].value;
        ws->items[i].value = nd_value_ref(v);
        nd_value_unref(old);
        return 0;
    }
    if (ws->count == ws->cap) {
        size_t cap = ws->cap ? 2 * ws->cap : 16;
        binding *items = realloc(ws->items, cap * sizeof *items);
        if (!items) return -1;
        ws->items = items;
        ws->cap = cap;
    }
    char *copy = strdup(name);
    if (!copy) return -1;
    memmove(&ws->items[i + 1], &ws->items[i], (ws->count - i) * sizeof *ws->items);
    ws->items[i] = (binding){copy, nd_value_ref(v), 0};
    ws->count++;
    return 0;
}

int nd_ws_del(nd_ws *ws, const char *name)
{
    int found;
    size_t i = search(ws, name, &found);
    if (!found) return -1;
    free(ws->items[i].name);
    nd_value_unref(ws->items[i].value);
    memmove(&ws->items[i], &ws->items[i + 1], (ws->count - i - 1) * sizeof *ws->items);
    ws->count--;
    return 0;
}

size_t nd_ws_count(const nd_ws *ws)
{
    return ws->count;
}

const char *nd_ws_name(const nd_ws *ws, size_t i)
{
    return ws->items[i].name;
}

nd_value *nd_ws_value(const nd_ws *ws, size_t i)
{
    return ws->items[i].value;
}

int nd_ws_pin(nd_ws *ws, const char *name, nd_value *v)
{
    if (nd_ws_set(ws, name, v) != 0) return -1;
    int found;
    ws->items[search(ws, name, &found)].pinned = 1;
    return 0;
}

int nd_ws_pinned(const nd_ws *ws, const char *name)
{
    int found;
    size_t i = search(ws, name, &found);
    return found && ws->items[i].pinned;
}

/* ---- the listing `vars` shows ---- */

/* The row of v in the listing; fields is "" when v has none. */
static json_t *var_json(const char *name, const nd_value *v, const char *summary,
                        const char *fields)
{
    json_t *o = json_object(), *names = fields[0] ? json_array() : NULL;
    int rc = nd_json_put(o, "name", json_string(name)) |
             nd_json_put(o, "type", json_string(nd_value_type_name(v))) |
             nd_json_put(o, "summary", nd_json_utf8(summary));
    const char *f;
    for (size_t k = 0; names && (f = nd_value_field_name(v, k)); k++)
        rc |= nd_json_push(names, json_string(f));
    if (fields[0]) rc |= nd_json_put(o, "fields", names);
    return nd_json_ok(o, rc);
}

static nd_bundle *empty_bundle(void)
{
    nd_bundle *b = nd_bundle_create();
    char *json = nd_json_dump(json_pack("{s:s, s:[]}", "type", "workspace", "vars"));
    if (b && (!json || nd_bundle_set(b, "text/plain", "The workspace is empty.") ||
              nd_bundle_set(b, "text/html", "<p><i>The workspace is empty.</i></p>") ||
              nd_bundle_set(b, ND_MIME_JSON, json))) {
        nd_bundle_free(b);
        b = NULL;
    }
    free(json);
    return b;
}

nd_bundle *nd_ws_bundle(const nd_ws *ws)
{
    if (ws->count == 0) return empty_bundle();
    /* A fields column appears when some value has fields (what NAME.FIELD can read). */
    int with_fields = 0;
    for (size_t i = 0; i < ws->count; i++)
        with_fields |= nd_value_field_name(ws->items[i].value, 0) != NULL;
    static const char *const headers[] = {"name", "type", "summary", "fields"};
    nd_table *t = nd_table_create(with_fields ? 4 : 3, headers);
    json_t *j = json_object(), *vars = json_array();
    int rc = (t ? 0 : -1) | nd_json_put(j, "type", json_string("workspace")) |
             nd_json_put(j, "vars", vars);
    for (size_t i = 0; rc == 0 && i < ws->count; i++) {
        const nd_value *v = ws->items[i].value;
        char *summary = nd_value_summary(v);
        nd_sb fields;
        nd_sb_init(&fields);
        const char *f;
        for (size_t k = 0; (f = nd_value_field_name(v, k)); k++)
            nd_sb_printf(&fields, "%s%s", k ? ", " : "", f);
        const char *row[] = {ws->items[i].name, nd_value_type_name(v), summary,
                             nd_sb_str(&fields)};
        rc |= !summary || fields.oom || nd_table_add_row(t, row) != 0 ||
              nd_json_push(vars, var_json(row[0], v, summary, row[3])) != 0;
        nd_sb_free(&fields);
        free(summary);
    }
    nd_sb plain, html;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    if (t) {
        nd_table_text(t, &plain);
        nd_table_html(t, &html);
    }
    nd_table_free(t);
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), nd_json_dump(nd_json_ok(j, rc)));
}
