/* A sorted array with binary search: listings come out in order for free, and a
   session holds tens of names, not millions. */
#include "workspace.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

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
