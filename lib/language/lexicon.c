/* Word lists for highlighters. Options are collected from every command's declaration;
   the keywords are the few words the statement parser itself reads. */
#include "lexicon.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../expr/functions.h"
#include "../models/model.h"

/* Words the statement and expression parsers give a meaning of their own. */
static const char *const language_keywords[] = {
    "and", "or", "not", "true", "false", "none", "then", "in",
};

static int by_text(const void *a, const void *b)
{
    return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

/* Sorts the strings of list and drops repeats, in place. */
static json_t *sorted_unique(json_t *list)
{
    size_t n = json_array_size(list);
    json_t **items = malloc((n ? n : 1) * sizeof *items);
    json_t *out = json_array();
    if (!items || !out) {
        free(items);
        json_decref(out);
        json_decref(list);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) items[i] = json_array_get(list, i);
    qsort(items, n, sizeof *items, by_text);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || strcmp(json_string_value(items[i]), json_string_value(items[i - 1])) != 0)
            json_array_append(out, items[i]);
    free(items);
    json_decref(list);
    return out;
}

char *nd_lexicon_json(const nd_cmd_registry *reg)
{
    json_t *commands = json_array(), *options = json_array(), *keywords = json_array(),
           *model = json_array(), *functions = json_array(), *constants = json_array();
    for (size_t i = 0; i < nd_cmd_count(reg); i++) {
        const nd_command *cmd = nd_cmd_at(reg, i);
        json_array_append_new(commands, json_string(cmd->name));
        for (const nd_option *o = cmd->options; o && o->name; o++)
            json_array_append_new(options, json_string(o->name));
    }
    for (size_t i = 0; i < sizeof language_keywords / sizeof language_keywords[0]; i++)
        json_array_append_new(keywords, json_string(language_keywords[i]));
    for (size_t i = 0; nd_model_keyword(i); i++)
        json_array_append_new(model, json_string(nd_model_keyword(i)));
    for (size_t i = 0; i < nd_func_count(); i++)
        json_array_append_new(functions, json_string(nd_func_at(i)->name));
    for (size_t i = 0; nd_const_name(i); i++)
        json_array_append_new(constants, json_string(nd_const_name(i)));
    json_t *root = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}",
                             "commands", sorted_unique(commands),
                             "options", sorted_unique(options),
                             "keywords", sorted_unique(keywords),
                             "model_keywords", sorted_unique(model),
                             "functions", sorted_unique(functions),
                             "constants", sorted_unique(constants));
    char *text = root ? json_dumps(root, JSON_INDENT(1)) : NULL;
    json_decref(root);
    return text;
}
