/* Inspection = help for the word under the cursor, read in its context (an option name
   means the option of the command it follows). */
#include <stdlib.h>
#include <string.h>

#include "complete.h"
#include "context.h"
#include "help.h"
#include "objects.h"

/* Finds the word at or just before cursor; in "f(|" the word before the parenthesis. */
static int word_at(const char *code, size_t cursor, size_t *start, size_t *end)
{
    size_t len = strlen(code);
    if (cursor > len) cursor = len;
    size_t s = cursor, e = cursor;
    if (s > 0 && code[s - 1] == '(' && (s == len || !nd_context_is_word_char((unsigned char)code[s])))
        s = e = s - 1;
    while (s > 0 && nd_context_is_word_char((unsigned char)code[s - 1])) s--;
    while (e < len && nd_context_is_word_char((unsigned char)code[e])) e++;
    *start = s;
    *end = e;
    return e > s;
}

/* A name of the current model (gNa, V, INa, am): what `explain` says of it — value or
   definition, unit, meaning. */
static nd_bundle *model_item(const nd_ws *ws, const char *name)
{
    const nd_model *m = nd_ws_model(ws);
    return m ? nd_model_explain_bundle(m, name) : NULL;
}

nd_bundle *nd_inspect(const nd_cmd_registry *reg, const nd_ws *ws, const char *code,
                      size_t cursor)
{
    size_t start, end;
    if (!word_at(code, cursor, &start, &end)) return NULL;
    nd_context ctx = nd_context_at(reg, code, start);
    if (ctx.kind == ND_CTX_NONE) return NULL;
    char *name = strndup(code + start, end - start);
    if (!name) return NULL;
    nd_bundle *b = nd_help_topic_in(reg, ws, name, ctx.kind == ND_CTX_ARGS ? ctx.cmd : NULL);
    if (!b) b = model_item(ws, name);
    free(name);
    return b;
}
