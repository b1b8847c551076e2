/* The built-in models: their texts are lib/models/NAME.nd, embedded at build time. */
#include <stdio.h>
#include <string.h>

#include "builtin_texts.h"
#include "model.h"

size_t nd_model_builtin_count(void)
{
    return nd_builtin_text_count;
}

const char *nd_model_builtin_name(size_t i)
{
    return i < nd_builtin_text_count ? nd_builtin_texts[i].name : NULL;
}

const char *nd_model_builtin_text(const char *name)
{
    for (unsigned i = 0; i < nd_builtin_text_count; i++)
        if (strcmp(nd_builtin_texts[i].name, name) == 0) return nd_builtin_texts[i].text;
    return NULL;
}

nd_model *nd_model_builtin(const char *name, nd_error *err)
{
    const char *text = nd_model_builtin_text(name);
    if (!text) {
        char list[256] = "";
        for (unsigned i = 0; i < nd_builtin_text_count; i++) {
            if (i) strncat(list, ", ", sizeof list - strlen(list) - 1);
            strncat(list, nd_builtin_texts[i].name, sizeof list - strlen(list) - 1);
        }
        nd_error_fail(err, ND_ENAME, "no built-in model '%s' (built-in models: %s)", name, list);
        return NULL;
    }
    /* Built-ins are parsed like user text; an error here is a bug in the .nd file. */
    nd_error local;
    nd_model *m = nd_model_parse(name, text, strlen(text), 1, 1, &local);
    if (!m && err) {
        *err = local;
        if (local.code != ND_ENOMEM) {
            err->code = ND_EINTERNAL;
            char msg[sizeof err->msg];
            snprintf(msg, sizeof msg, "built-in model %.40s.nd, line %d: %.400s", name, local.line, local.msg);
            memcpy(err->msg, msg, sizeof msg);
            err->line = err->col = 0;
        }
    }
    return m;
}
