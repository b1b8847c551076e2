/* The words of the language, for the highlighters of editors and exports (the kernelspec's
   CodeMirror mode, the Pygments lexer): generated from the registry and the tables the
   parsers use, so a new command or function is highlighted without editing a word list. */
#ifndef ND_LANGUAGE_LEXICON_H
#define ND_LANGUAGE_LEXICON_H

#include "commands.h"

/* Returns the lexicon as a JSON object (malloc'ed; NULL on ENOMEM):
   {"commands": [...], "options": [...], "keywords": [...], "model_keywords": [...],
    "functions": [...], "constants": [...]}, each list sorted and without duplicates. */
char *nd_lexicon_json(const nd_cmd_registry *reg);

#endif
