/* "Did you mean ...?": the closest known name to a misspelt one. */
#ifndef ND_BASE_SUGGEST_H
#define ND_BASE_SUGGEST_H

#include <stddef.h>

/* Collects candidates for one misspelt word; keeps the closest. */
typedef struct nd_suggest {
    const char *word;
    const char *best;     /* borrowed from the candidate offered */
    size_t best_distance;
} nd_suggest;

/* Returns the Levenshtein distance between a and b (bytes). */
size_t nd_edit_distance(const char *a, const char *b);

/* Starts a search for names close to word. */
void nd_suggest_init(nd_suggest *s, const char *word);

/* Considers candidate (which must outlive the search); a candidate whose digits differ
   from the word's (t0 for "to", a1 for "a0") is never suggested. */
void nd_suggest_offer(nd_suggest *s, const char *candidate);

/* Returns the closest candidate if it is close enough to be a likely typo, else NULL. */
const char *nd_suggest_best(const nd_suggest *s);

#endif
