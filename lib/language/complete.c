/* Candidates are gathered from the sources the context allows, filtered by the typed
   prefix, then sorted and made unique. */
#include "complete.h"

#include <stdlib.h>
#include <string.h>

#include "../expr/functions.h"
#include "../learn/act.h"
#include "../learn/ude.h"
#include "../ode/solve.h"
#include "context.h"
#include "fields.h"
#include "objects.h"
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

/* The current model's states, parameters and terms, which most commands take by name
   (set gNa=…, init V=…, plot sim V, ude replace=INa). */
static void offer_model_names(matches *m, const nd_model *model, int terms_only)
{
    static const nd_model_kind kinds[] = {ND_MODEL_TERM, ND_MODEL_STATE, ND_MODEL_PAR};
    for (size_t k = 0; model && k < (terms_only ? 1u : 3u); k++)
        for (size_t i = 0; i < nd_model_count(model, kinds[k]); i++)
            offer(m, nd_model_item_at(model, kinds[k], i)->name, "");
}

/* Commands whose arguments are values of the workspace only (print x, sleep 2): the
   model's names would not mean anything there. */
static int takes_model_names(const nd_command *cmd)
{
    static const char *const value_only[] = {"print", "warn", "let", "sleep", "repeat", "del",
                                             "help", "clear", "save", "load", "vars", "for",
                                             "row", "table"};
    for (size_t i = 0; i < sizeof value_only / sizeof value_only[0]; i++)
        if (strcmp(cmd->name, value_only[i]) == 0) return 0;
    return 1;
}

/* The columns of every dataset named earlier in the statement (plot data V, spikes sim V). */
static void offer_columns(matches *m, const nd_ws *ws, const char *code, size_t start)
{
    size_t from = start;
    while (from > 0 && code[from - 1] != '\n' && code[from - 1] != ';') from--;
    for (size_t i = from; i < start;) {
        if (!nd_context_is_word_char((unsigned char)code[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < start && nd_context_is_word_char((unsigned char)code[j])) j++;
        char *word = strndup(code + i, j - i);
        const nd_dataset *ds = word ? nd_value_as_dataset(nd_ws_get(ws, word)) : NULL;
        for (size_t c = 1; ds && c < nd_ds_cols(ds); c++) offer(m, nd_ds_name(ds, c), "");
        if (!word) m->oom = 1;
        free(word);
        i = j;
    }
}

/* Offers the items of a ", "-separated list ("tanh, relu, …"). */
static void offer_list(matches *m, const char *list)
{
    while (list && *list) {
        size_t n = strcspn(list, ",");
        char *item = strndup(list, n);
        if (!item) {
            m->oom = 1;
            return;
        }
        offer(m, item, "");
        free(item);
        list += n;
        list += strspn(list, ", ");
    }
}

/* The values an option takes, where they are a fixed set or names of the model. Returns 1
   when key is such an option (then only these are offered). */
static int offer_option_values(matches *m, const nd_command *cmd, const char *key,
                               const nd_ws *ws)
{
    if (strcmp(key, "method") == 0) {
        if (strcmp(cmd->name, "train") == 0)
            for (size_t i = 0; nd_ude_method_name(i); i++) offer(m, nd_ude_method_name(i), "");
        else
            for (int i = 0; i < ND_ODE_NMETHODS; i++) offer(m, nd_ode_method_name((nd_ode_method)i), "");
        return 1;
    }
    if (strcmp(key, "act") == 0) {
        offer_list(m, nd_act_names());
        return 1;
    }
    if (strcmp(key, "replace") == 0 || strcmp(key, "observe") == 0 ||
        strcmp(key, "inputs") == 0) {
        offer_model_names(m, nd_ws_model(ws), strcmp(key, "replace") == 0);
        return 1;
    }
    return 0;
}

/* The option whose value is being typed ("method" in "simulate method=r|"), or NULL. */
static char *option_before(const char *code, size_t start)
{
    size_t i = start;
    while (i > 0 && (code[i - 1] == ' ' || code[i - 1] == '\t')) i--;
    if (i == 0 || code[i - 1] != '=') return NULL;
    if (i >= 2 && strchr("=<>!", code[i - 2])) return NULL;   /* ==, <=, >=, != */
    i--;
    while (i > 0 && (code[i - 1] == ' ' || code[i - 1] == '\t')) i--;
    size_t end = i;
    while (i > 0 && nd_context_is_word_char((unsigned char)code[i - 1]) && code[i - 1] != '.') i--;
    return end > i ? strndup(code + i, end - i) : NULL;
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
    case ND_CTX_ARGS: {
        char *key = option_before(code, start);
        if (!key || !offer_option_values(&m, ctx.cmd, key, ws)) {
            for (const nd_option *o = ctx.cmd->options; o && o->name; o++)
                offer(&m, o->name, "=");
            offer_expression_names(&m, ws);
            if (takes_model_names(ctx.cmd)) offer_model_names(&m, nd_ws_model(ws), 0);
            offer_columns(&m, ws, code, start);
        }
        free(key);
        break;
    }
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
