/* The mentor's conversation (mentor.h): which level of which situation or guess comes
   next. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mentor.h"

void nd_mentor_talk_init(nd_mentor_talk *t)
{
    memset(t, 0, sizeof *t);
    t->guess = t->value = NAN;
}

void nd_mentor_talk_event(nd_mentor_talk *t)
{
    t->situation[0] = '\0';
    t->situation_level = 0;
    t->last_is_guess = 0;
}

nd_status nd_mentor_talk_situation(nd_mentor_talk *t, const nd_mentor_row *row,
                                   const nd_mentor_facts *f, int next, nd_mentor_answer *a,
                                   nd_error *err)
{
    int same = strcmp(t->situation, row->id) == 0;
    nd_status st = nd_mentor_answer_situation(row, f, next && same ? t->situation_level + 1 : 1,
                                              a, err);
    if (st != ND_OK) return st;
    snprintf(t->situation, sizeof t->situation, "%s", row->id);
    t->situation_level = a->level;
    t->last_is_guess = 0;
    return ND_OK;
}

int nd_mentor_talk_guess_level(const nd_mentor_talk *t, const char *id, int again)
{
    return strcmp(t->guess_name, id) == 0 ? t->guess_level + (again != 0) : 1;
}

nd_status nd_mentor_talk_guess(nd_mentor_talk *t, const nd_mentor_row *row, double x,
                               int level, nd_mentor_answer *a, nd_error *err)
{
    if (strcmp(t->guess_name, row->id) != 0) {
        snprintf(t->guess_name, sizeof t->guess_name, "%s", row->id);
        t->guess_level = 0;
        t->guess = t->value = NAN;
    }
    nd_status st = ND_OK;
    if (isnan(t->value)) st = nd_mentor_guess_compute(row, &t->value, err);
    if (st != ND_OK) {
        t->guess_name[0] = '\0';
        return st;
    }
    if (!isnan(x)) t->guess = x;
    st = nd_mentor_answer_guess(row, t->value, t->guess, level, a, err);
    if (st != ND_OK) return st;
    t->guess_level = a->level;
    t->last_is_guess = 1;
    return ND_OK;
}

const nd_mentor_row *nd_mentor_talk_hint_guess(const nd_mentor_talk *t)
{
    const nd_mentor_table *g = t->last_is_guess ? nd_mentor_builtin("guesses") : NULL;
    return g ? nd_mentor_table_find(g, t->guess_name) : NULL;
}

void nd_mentor_table_ids(const nd_mentor_table *t, char *buf, size_t cap)
{
    if (cap) buf[0] = '\0';
    for (size_t i = 0; t && i < t->n; i++)
        snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s", i ? ", " : "", t->rows[i].id);
}
