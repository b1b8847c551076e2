/* The mentor: a reviewed table of situations a learner meets (lib/analysis/mentor/
   situations.md) and of quantities the notebooks ask to guess (guesses.md), matched
   against facts — name/number and name/string pairs describing what just happened —
   and rendered as questions, hints of rising directness and, last, a command that works.
   The knowledge is the data; this code only parses, matches, interpolates and renders. */
#ifndef ND_ANALYSIS_MENTOR_H
#define ND_ANALYSIS_MENTOR_H

#include <stddef.h>

#include "../base/bundle.h"
#include "../base/error.h"
#include "../models/model.h"

/* ---- facts ---- */

typedef struct nd_mentor_fact {
    char *name;
    int is_num;        /* 1: num holds the value, else str */
    double num;
    char *str;
} nd_mentor_fact;

typedef struct nd_mentor_facts {
    nd_mentor_fact *v;
    size_t n, cap;
} nd_mentor_facts;

/* Empties f (no allocation). */
void nd_mentor_facts_init(nd_mentor_facts *f);

/* Frees every fact and empties f. */
void nd_mentor_facts_clear(nd_mentor_facts *f);

/* Sets fact name to the number x (replacing an earlier value); 0, or -1 on ENOMEM. */
int nd_mentor_fact_num(nd_mentor_facts *f, const char *name, double x);

/* Sets fact name to a copy of s (NULL counts as ""); 0, or -1 on ENOMEM. */
int nd_mentor_fact_str(nd_mentor_facts *f, const char *name, const char *s);

/* Returns fact name (borrowed), or NULL. */
const nd_mentor_fact *nd_mentor_fact_get(const nd_mentor_facts *f, const char *name);

/* Adds what the model m at parameters p says about its rest state: rest.X for each state
   X (the equilibrium Newton reaches from m's initial values), lead_re (largest real part
   of the Jacobian's eigenvalues there, per time unit), rest_kind ("stable focus" …),
   tau_fast and tau_slow (1/largest and 1/smallest |Re λ|), par.NAME for each parameter,
   and, when fact opt.method names a fixed-step explicit method (euler, rk4), dt_limit
   (its real-axis stability limit over the fastest rate) and dt_safe (a round step below
   half of it). Facts it cannot compute (no rest found) are left out; ND_ENOMEM only. */
nd_status nd_mentor_model_facts(const nd_model *m, const double *p, nd_mentor_facts *f,
                                nd_error *err);

/* ---- the tables ---- */

/* One row: a "## id" heading followed by "- key: value" lines (a value continues on
   lines indented by two spaces). */
typedef struct nd_mentor_row {
    char *id;
    const char *file;    /* "situations" or "guesses" */
    int line;            /* of the heading, for lint messages */
    char **keys, **vals;
    size_t n;
} nd_mentor_row;

typedef struct nd_mentor_table {
    nd_mentor_row *rows;
    size_t n;
} nd_mentor_table;

/* Parses text (a file called file) into t; ND_ESYNTAX naming the line for a key line
   before any heading or a line that is neither heading, key, continuation, nor text
   before the first heading. */
nd_status nd_mentor_table_parse(const char *file, const char *text, nd_mentor_table *t,
                                nd_error *err);

/* Frees the rows and empties t. */
void nd_mentor_table_clear(nd_mentor_table *t);

/* Returns the built-in table called name ("situations", "guesses"), parsed once and kept
   for the process (NULL when it is missing or does not parse). Not thread-safe on the
   first call. */
const nd_mentor_table *nd_mentor_builtin(const char *name);

/* Returns the embedded text of table name, or NULL. */
const char *nd_mentor_builtin_text(const char *name);

/* Returns the value of key in row (the first when repeated), or NULL. */
const char *nd_mentor_row_get(const nd_mentor_row *row, const char *key);

/* Returns the number of values key has in row, and with i < that count the i-th. */
size_t nd_mentor_row_count(const nd_mentor_row *row, const char *key);
const char *nd_mentor_row_nth(const nd_mentor_row *row, const char *key, size_t i);

/* Returns the row called id, or NULL. */
const nd_mentor_row *nd_mentor_table_find(const nd_mentor_table *t, const char *id);

/* ---- matching and interpolation ---- */

/* Returns 1 when every condition of when (";"-separated: NAME = a|b, NAME != a,
   NAME ~ text (contains, any case), NAME < X, >, <=, >= (X a number or a fact), has NAME,
   no NAME) holds for f, 0 when one fails, -1 with err filled when when is malformed. */
int nd_mentor_when(const char *when, const nd_mentor_facts *f, nd_error *err);

/* Returns the first row of t whose "when" holds for f, or NULL. */
const nd_mentor_row *nd_mentor_match(const nd_mentor_table *t, const nd_mentor_facts *f);

/* Returns text with each {NAME} or {NAME:default} replaced by the fact (numbers as
   %.4g), malloc'ed; NULL when a fact without a default is missing (*missing, when not
   NULL, then points into text at its name) or on ENOMEM. */
char *nd_mentor_fill(const char *text, const nd_mentor_facts *f, const char **missing);

/* ---- answers ---- */

/* What one level of help for a situation says. */
typedef struct nd_mentor_answer {
    const char *id;          /* the row's id */
    const char *kind;        /* "situation" or "guess" */
    int level, nlevels;      /* 1 = diagnosis (questions only); nlevels = the command */
    char *category;          /* concept, math or implementation */
    char *why;
    char *questions[3];
    size_t nq;
    char *read;              /* docs/… section or notebook */
    char *hint;              /* level >= 2: the hint of that level; NULL at level 1 */
    char *command;           /* the last level: a command that works; else NULL */
    char *lead;              /* an opening sentence (a guess's verdict, "no event"), or NULL */
    char *value;             /* a guess revealed: the number in words, else NULL */
} nd_mentor_answer;

/* Fills a with level (clamped to 1 … nlevels) of situation row for facts f: level 1 the
   category, why, questions (those whose facts are missing are left out) and where to
   read; level k > 1 the category, hint k-1 and where to read, the last level also the
   command. ND_EVALUE when the hint or command of that level cannot be filled, ND_ENOMEM. */
nd_status nd_mentor_answer_situation(const nd_mentor_row *row, const nd_mentor_facts *f,
                                     int level, nd_mentor_answer *a, nd_error *err);

/* Frees what a holds and zeroes it. */
void nd_mentor_answer_clear(nd_mentor_answer *a);

/* Returns a as text/plain, text/html and {"type":"mentor", …} (docs/json-results.md),
   or NULL on ENOMEM. */
nd_bundle *nd_mentor_bundle(const nd_mentor_answer *a);

/* Returns an answer that is only lead (kind "none"); NULL on ENOMEM. */
nd_bundle *nd_mentor_bundle_idle(const char *lead);

/* Returns the answer when no situation matches facts f: nothing has run yet (no command
   fact), the last statement failed in a way the table does not know, or it ran fine;
   each says what to try. NULL on ENOMEM. */
nd_bundle *nd_mentor_bundle_unmatched(const nd_mentor_facts *f);

/* Returns the list of the guessable quantities of t (NULL: none) with what each is. */
nd_bundle *nd_mentor_bundle_guesses(const nd_mentor_table *t);

/* Returns the facts as a table (text/plain, text/html) and {"type":"mentor facts",
   "facts":{NAME: value}}, for whoever writes a row's when:; NULL on ENOMEM. */
nd_bundle *nd_mentor_facts_bundle(const nd_mentor_facts *f);

/* ---- guesses ---- */

/* Computes the quantity guess row asks for (its compute: rest STATE, tau_fast,
   hopf PAR LO..HI, onset PAR LO..HI, rate PAR; PAR=VALUE words set parameters
   first) on the built-in model the row names. ND_EVALUE for a malformed row, or the
   analysis's error. */
nd_status nd_mentor_guess_compute(const nd_mentor_row *row, double *value, nd_error *err);

/* Fills a with the answer to guessing x (NAN: nothing guessed) for row, whose true value
   is value, at level (1: how far off and the question that explains it; 2: how far off
   and a bracket; 3: also the number and the command that computes it). */
nd_status nd_mentor_answer_guess(const nd_mentor_row *row, double value, double x, int level,
                                 nd_mentor_answer *a, nd_error *err);

/* ---- the conversation ---- */

/* Where a conversation with the mentor stands: the situation last shown for the current
   event and its level, and the guess talked about (it outlives events: a learner may
   check something between two guesses). */
typedef struct nd_mentor_talk {
    char situation[64];      /* "" when none */
    int situation_level;
    char guess_name[64];     /* "" when none */
    int guess_level;
    double guess;            /* the last guessed value (NAN: none) */
    double value;            /* what the library computed for it (NAN: not yet) */
    int last_is_guess;       /* the last answer was about the guess: `hint` continues it */
} nd_mentor_talk;

/* Starts t with nothing said. */
void nd_mentor_talk_init(nd_mentor_talk *t);

/* A new event becomes the topic: forgets the situation, not the guess. */
void nd_mentor_talk_event(nd_mentor_talk *t);

/* Fills a with situation row for facts f at level 1, or with next, when row is the
   situation last shown, at the level after it; t remembers it. Errors of
   nd_mentor_answer_situation. */
nd_status nd_mentor_talk_situation(nd_mentor_talk *t, const nd_mentor_row *row,
                                   const nd_mentor_facts *f, int next, nd_mentor_answer *a,
                                   nd_error *err);

/* Returns the level guessing row id gets now: 1 for another guess than t's, else t's level
   (again: the next one). */
int nd_mentor_talk_guess_level(const nd_mentor_talk *t, const char *id, int again);

/* Fills a with guess row at level (x: a new guess, NAN: keep the last), its value computed
   once per guess (nd_mentor_guess_compute); t remembers it. Errors of the computation
   (t then forgets the guess) and of nd_mentor_answer_guess. */
nd_status nd_mentor_talk_guess(nd_mentor_talk *t, const nd_mentor_row *row, double x,
                               int level, nd_mentor_answer *a, nd_error *err);

/* Returns the guess row `hint` continues (the last answer was about it), or NULL. */
const nd_mentor_row *nd_mentor_talk_hint_guess(const nd_mentor_talk *t);

/* Writes the ids of t's rows (NULL: none) into buf, ", "-separated, cut to cap. */
void nd_mentor_table_ids(const nd_mentor_table *t, char *buf, size_t cap);

#endif
