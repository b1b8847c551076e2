/* Edit distance with a two-row table; names are short, so quadratic time is fine. */
#include "suggest.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

size_t nd_edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    size_t *prev = malloc((m + 1) * sizeof *prev), *cur = malloc((m + 1) * sizeof *cur);
    if (!prev || !cur) {
        free(prev);
        free(cur);
        return n > m ? n : m;
    }
    for (size_t j = 0; j <= m; j++) prev[j] = j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        size_t *t = prev; prev = cur; cur = t;
    }
    size_t d = prev[m];
    free(prev);
    free(cur);
    return d;
}

void nd_suggest_init(nd_suggest *s, const char *word)
{
    s->word = word;
    s->best = NULL;
    s->best_distance = (size_t)-1;
}

/* 1 when a and b hold the same digits in the same order ("t0" and "T0"; not "t0" and
   "to", nor "a0" and "a1"). */
static int same_digits(const char *a, const char *b)
{
    for (;;) {
        while (*a && !isdigit((unsigned char)*a)) a++;
        while (*b && !isdigit((unsigned char)*b)) b++;
        if (*a != *b) return 0;
        if (!*a) return 1;
        a++, b++;
    }
}

void nd_suggest_offer(nd_suggest *s, const char *candidate)
{
    /* A digit is never a typo for a letter or another digit: names that differ in their
       digits are different things (t0 the start, t1 the end, to a word), and suggesting
       one for the other can invert what the user meant. */
    if (strcmp(candidate, s->word) == 0 || !same_digits(candidate, s->word)) return;
    size_t d = nd_edit_distance(s->word, candidate);
    if (d < s->best_distance) {
        s->best = candidate;
        s->best_distance = d;
    }
}

const char *nd_suggest_best(const nd_suggest *s)
{
    /* One typo per three letters, at most two: beyond that a suggestion is noise. */
    size_t len = strlen(s->word);
    size_t limit = len / 3 + 1;
    if (limit > 2) limit = 2;
    return s->best && s->best_distance <= limit ? s->best : NULL;
}
