/* The built-in models' source texts (lib/models/NAME.nd), embedded at build time. */
#ifndef ND_MODELS_BUILTIN_TEXTS_H
#define ND_MODELS_BUILTIN_TEXTS_H

typedef struct nd_builtin_text {
    const char *name;   /* file name without .nd: the name `use` takes */
    const char *text;   /* the model-language source */
} nd_builtin_text;

extern const nd_builtin_text nd_builtin_texts[];
extern const unsigned nd_builtin_text_count;

#endif
