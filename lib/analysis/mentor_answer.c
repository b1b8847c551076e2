/* One level of help, filled from a table row and the facts: a situation's diagnosis and
   hints, or a guess's verdict, bracket and value. */
#include "mentor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"

void nd_mentor_answer_clear(nd_mentor_answer *a)
{
    free(a->category);
    free(a->why);
    for (size_t i = 0; i < a->nq; i++) free(a->questions[i]);
    free(a->read);
    free(a->hint);
    free(a->command);
    free(a->lead);
    free(a->value);
    memset(a, 0, sizeof *a);
}

/* Fills key's value (NULL when the row has none) into *out; ND_EVALUE naming the missing
   fact. */
static nd_status fill(const nd_mentor_row *row, const char *text, const nd_mentor_facts *f,
                      char **out, nd_error *err)
{
    *out = NULL;
    if (!text) return ND_OK;
    const char *missing = NULL;
    *out = nd_mentor_fill(text, f, &missing);
    if (*out) return ND_OK;
    if (!missing) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    return nd_error_fail(err, ND_EVALUE, "mentor row '%s': no fact for {%.*s}", row->id,
                         (int)strcspn(missing, ":}"), missing);
}

/* The command of the last level: every run: value of the row, one statement a line. */
static nd_status fill_command(const nd_mentor_row *row, const nd_mentor_facts *f, char **out,
                              nd_error *err)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_status st = ND_OK;
    for (size_t i = 0; st == ND_OK && i < nd_mentor_row_count(row, "run"); i++) {
        char *line;
        st = fill(row, nd_mentor_row_nth(row, "run", i), f, &line, err);
        if (st == ND_OK) nd_sb_printf(&sb, "%s%s", i ? "\n" : "", line);
        free(line);
    }
    *out = st == ND_OK && nd_mentor_row_count(row, "run") ? nd_sb_take(&sb) : NULL;
    if (!*out) nd_sb_free(&sb);
    return st;
}

static nd_status common(const nd_mentor_row *row, const nd_mentor_facts *f,
                        nd_mentor_answer *a, nd_error *err)
{
    a->id = row->id;
    a->kind = strcmp(row->file, "guesses") == 0 ? "guess" : "situation";
    nd_status st = fill(row, nd_mentor_row_get(row, "category"), f, &a->category, err);
    if (st == ND_OK) st = fill(row, nd_mentor_row_get(row, "read"), f, &a->read, err);
    return st;
}

nd_status nd_mentor_answer_situation(const nd_mentor_row *row, const nd_mentor_facts *f,
                                     int level, nd_mentor_answer *a, nd_error *err)
{
    memset(a, 0, sizeof *a);
    a->nlevels = 1 + (int)nd_mentor_row_count(row, "hint");
    a->level = level < 1 ? 1 : level > a->nlevels ? a->nlevels : level;
    nd_status st = common(row, f, a, err);
    /* the diagnosis (why and the questions) belongs to the first level; the later ones
       add only their hint, so each level reads as one more step */
    if (st == ND_OK && a->level == 1)
        st = fill(row, nd_mentor_row_get(row, "why"), f, &a->why, err);
    /* A question whose facts are missing is left out rather than asked with a hole. */
    for (size_t i = 0; st == ND_OK && a->level == 1 && i < nd_mentor_row_count(row, "ask") &&
                       a->nq < 3; i++) {
        char *q = nd_mentor_fill(nd_mentor_row_nth(row, "ask", i), f, NULL);
        if (q) a->questions[a->nq++] = q;
    }
    if (st == ND_OK && a->level >= 2)
        st = fill(row, nd_mentor_row_nth(row, "hint", (size_t)a->level - 2), f, &a->hint, err);
    if (st == ND_OK && a->level == a->nlevels)
        st = fill_command(row, f, &a->command, err);
    if (st != ND_OK) nd_mentor_answer_clear(a);
    return st;
}

/* A bracket around v at its leading digit: 9.78 → [9, 10], -65 → [-70, -60]. */
static void bracket(double v, double *lo, double *hi)
{
    double unit = v == 0 ? 1 : pow(10, floor(log10(fabs(v))));
    *lo = floor(v / unit) * unit;
    *hi = *lo + unit;
}

/* How far x is from v, in words, and which of the row's questions explains it. */
static const char *verdict(double x, double v, char *buf, size_t cap)
{
    double rel = (x - v) / (v != 0 ? fabs(v) : 1);
    if (fabs(rel) <= 0.02) {
        snprintf(buf, cap, "right: within %.0f %% of what neurodyn computes", 100 * fabs(rel) + 0.5);
        return "right";
    }
    snprintf(buf, cap, "%.0f %% %s what neurodyn computes (%s)", 100 * fabs(rel),
             rel < 0 ? "below" : "above", fabs(rel) <= 0.15 ? "close" : "far off");
    return rel < 0 ? "low" : "high";
}

nd_status nd_mentor_answer_guess(const nd_mentor_row *row, double value, double x, int level,
                                 nd_mentor_answer *a, nd_error *err)
{
    memset(a, 0, sizeof *a);
    a->nlevels = 3;
    a->level = level < 1 ? 1 : level > 3 ? 3 : level;
    nd_mentor_facts f;
    nd_mentor_facts_init(&f);
    double lo, hi;
    bracket(value, &lo, &hi);
    int rc = isnan(x) ? 0 : nd_mentor_fact_num(&f, "guess", x);
    if (a->level >= 2) rc |= nd_mentor_fact_num(&f, "lo", lo) | nd_mentor_fact_num(&f, "hi", hi);
    if (a->level >= 3) rc |= nd_mentor_fact_num(&f, "value", value);
    nd_status st = rc ? nd_error_fail(err, ND_ENOMEM, "out of memory") : common(row, &f, a, err);
    if (st == ND_OK) st = fill(row, nd_mentor_row_get(row, "what"), &f, &a->why, err);
    char words[160];
    const char *side = isnan(x) ? NULL : verdict(x, value, words, sizeof words);
    if (st == ND_OK && side) {
        char lead[256];
        snprintf(lead, sizeof lead, "Your guess %g is %s.", x, words);
        if (!(a->lead = strdup(lead))) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        char *q = NULL;
        if (st == ND_OK && a->level == 1) st = fill(row, nd_mentor_row_get(row, side), &f, &q, err);
        if (q) a->questions[a->nq++] = q;
    }
    if (st == ND_OK && a->level >= 2)
        st = fill(row, nd_mentor_row_get(row, "hint"), &f, &a->hint, err);
    if (st == ND_OK && a->level == 3) {
        char v[96];
        snprintf(v, sizeof v, "%.6g %s", value, nd_mentor_row_get(row, "unit") ?
                 nd_mentor_row_get(row, "unit") : "");
        if (!(a->value = strdup(v))) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        if (st == ND_OK) st = fill_command(row, &f, &a->command, err);
    }
    nd_mentor_facts_clear(&f);
    if (st != ND_OK) nd_mentor_answer_clear(a);
    return st;
}
