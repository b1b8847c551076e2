/* A model in words: its equations as `show` prints them, the line `use` says, its
   summary in the workspace. */
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "model.h"

/* 1 when name is one of learned[0..n). */
static int is_learned(const char *name, const char *const *learned, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(learned[i], name) == 0) return 1;
    return 0;
}

nd_bundle *nd_model_equations(const nd_model *m, const nd_stim *stim, int par,
                              const char *const *learned, size_t nlearned,
                              const char *learned_as)
{
    char *latex = nd_model_latex(m);
    nd_sb plain, tex;
    nd_sb_init(&plain);
    nd_sb_init(&tex);
    nd_sb_printf(&plain, "model %s\n", nd_model_name(m));
    if (nd_model_doc(m)[0]) nd_sb_printf(&plain, "%s\n", nd_model_doc(m));
    static const nd_model_kind kinds[] = {ND_MODEL_STATE, ND_MODEL_TERM};
    for (size_t k = 0; k < 2; k++) {
        for (size_t i = 0; i < nd_model_count(m, kinds[k]); i++) {
            const nd_model_item *it = nd_model_item_at(m, kinds[k], i);
            nd_sb_printf(&plain, kinds[k] == ND_MODEL_STATE ? "  d%s/dt = " : "  %s = ",
                         it->name);
            nd_sb_printf(&plain, "%s\n", is_learned(it->name, learned, nlearned) ? learned_as
                                                                                  : it->text);
        }
    }
    for (size_t k = 0; k < nd_model_nwhens(m); k++)
        nd_sb_printf(&plain, "  %s\n", nd_model_when_text(m, k));
    if (stim && nd_stim_count(stim)) {
        char *d = nd_stim_describe(stim);
        nd_sb_printf(&plain, "  stimulus on %s: %s\n",
                     nd_model_item_at(m, ND_MODEL_PAR, (size_t)par)->name, d ? d : "?");
        free(d);
    }
    nd_sb_printf(&tex, "$$%s$$", latex ? latex : "");
    free(latex);
    nd_bundle *eq = nd_bundle_create();
    if (!eq || !plain.data || !tex.data || nd_bundle_set(eq, "text/plain", plain.data) ||
        nd_bundle_set(eq, "text/latex", tex.data)) {
        nd_bundle_free(eq);
        eq = NULL;
    }
    nd_sb_free(&plain);
    nd_sb_free(&tex);
    return eq;
}

char *nd_model_using(const nd_model *m)
{
    nd_sb sb;
    nd_sb_init(&sb);
    /* The model's doc opens with what it is ("The Hodgkin–Huxley model: …"). */
    const char *doc = nd_model_doc(m);
    size_t title = strcspn(doc, ":.(\n");
    while (title > 0 && doc[title - 1] == ' ') title--;
    nd_sb_printf(&sb, "using %s", nd_model_name(m));
    if (title) nd_sb_printf(&sb, ": %.*s", (int)title, doc);
    size_t ns = nd_model_count(m, ND_MODEL_STATE), np = nd_model_count(m, ND_MODEL_PAR);
    nd_sb_printf(&sb, " (%zu state%s, %zu parameter%s)\n", ns, ns == 1 ? "" : "s", np,
                 np == 1 ? "" : "s");
    return nd_sb_take(&sb);
}

char *nd_model_summary(const nd_model *m)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_printf(&sb, "model %s: %zu states (", nd_model_name(m),
                 nd_model_count(m, ND_MODEL_STATE));
    for (size_t i = 0; i < nd_model_count(m, ND_MODEL_STATE); i++)
        nd_sb_printf(&sb, "%s%s", i ? ", " : "", nd_model_item_at(m, ND_MODEL_STATE, i)->name);
    nd_sb_printf(&sb, "), %zu parameters", nd_model_count(m, ND_MODEL_PAR));
    return nd_sb_take(&sb);
}

char *nd_model_notes_text(const nd_model *m)
{
    const char *notes = nd_model_notes(m);
    if (!notes[0]) return NULL;
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_printf(&sb, "note (model %s): %s%s", nd_model_name(m), notes,
                 notes[strlen(notes) - 1] == '\n' ? "" : "\n");
    return nd_sb_take(&sb);
}

nd_bundle *nd_model_explain_bundle(const nd_model *m, const char *name)
{
    char *text = nd_model_explain(m, name);
    nd_bundle *b = text ? nd_bundle_create() : NULL;
    if (b && nd_bundle_set(b, "text/plain", text) != 0) {
        nd_bundle_free(b);
        b = NULL;
    }
    free(text);
    return b;
}
