/* The mentor's tables kept honest: every row parses and has what its kind needs, every
   document it points to exists, every situation's own example triggers that very row
   through the interpreter, and every hint level ends at a command that runs. */
#include "test.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../../lib/analysis/mentor.h"
#include "rec_sink.h"

/* The last mentor JSON the cell showed (caller frees), or NULL. */
json_t *mentor_json(const rec_fixture *f);
json_t *mentor_json(const rec_fixture *f)
{
    for (int i = f->r.n - 1; i >= 0; i--)
        if (f->r.ev[i].json && strstr(f->r.ev[i].json, "\"type\":\"mentor\""))
            return json_loads(f->r.ev[i].json, 0, NULL);
    return NULL;
}

char *slurp(const char *path);

/* Does doc have a heading line (#…) containing section, in any case? */
static int has_heading(const char *doc, const char *section)
{
    size_t n = strlen(section);
    for (const char *line = doc; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (*line != '#') continue;
        const char *end = strchr(line, '\n');
        for (const char *p = line; p + n <= (end ? end : line + strlen(line)); p++)
            if (strncasecmp(p, section, n) == 0) return 1;
    }
    return 0;
}

/* Each docs/… or notebooks/… that read: names must exist; a "docs/X.md (SECTION)" must have
   a heading containing SECTION. */
static void check_reads(const nd_mentor_row *row, const char *read)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", read);
    for (char *w = buf; (w = strpbrk(w, "dn"));) {
        if (strncmp(w, "docs/", 5) != 0 && strncmp(w, "notebooks/", 10) != 0) {
            w++;
            continue;
        }
        size_t len = strcspn(w, " ,;()");
        char path[256];
        snprintf(path, sizeof path, "%.*s", (int)len, w);
        w += len;
        if (access(path, R_OK) != 0) {
            nd_test_fail(__FILE__, __LINE__, "row %s reads %s: missing", row->id, path);
            continue;
        }
        if (strncmp(w, " (", 2) != 0 || !strchr(w, ')')) continue;
        char section[160];
        snprintf(section, sizeof section, "%.*s", (int)(strchr(w, ')') - w - 2), w + 2);
        char *doc = slurp(path);
        if (!doc || !has_heading(doc, section))
            nd_test_fail(__FILE__, __LINE__, "row %s reads %s (%s): no such heading", row->id,
                         path, section);
        free(doc);
    }
}

static void check_row_shape(const nd_mentor_row *row)
{
    static const char *const categories[] = {"concept", "math", "implementation"};
    const char *cat = nd_mentor_row_get(row, "category");
    int known = 0;
    for (int i = 0; cat && i < 3; i++) known |= strcmp(cat, categories[i]) == 0;
    if (!known) nd_test_fail(__FILE__, __LINE__, "row %s: category '%s'", row->id, cat ? cat : "");
    const char *read = nd_mentor_row_get(row, "read");
    if (!read) nd_test_fail(__FILE__, __LINE__, "row %s: no read:", row->id);
    else check_reads(row, read);
    if (!nd_mentor_row_get(row, "run")) nd_test_fail(__FILE__, __LINE__, "row %s: no run:", row->id);
}

TEST(mentor_tables_parse_and_every_row_is_complete)
{
    const nd_mentor_table *s = nd_mentor_builtin("situations");
    const nd_mentor_table *g = nd_mentor_builtin("guesses");
    CHECK(s != NULL && g != NULL);
    if (!s || !g) return;
    CHECK(s->n >= 20);
    CHECK(g->n >= 4);
    nd_mentor_facts none;
    nd_mentor_facts_init(&none);
    for (size_t i = 0; i < s->n; i++) {
        const nd_mentor_row *r = &s->rows[i];
        check_row_shape(r);
        size_t asks = nd_mentor_row_count(r, "ask");
        if (asks < 2 || asks > 3) nd_test_fail(__FILE__, __LINE__, "row %s: %zu questions", r->id, asks);
        if (!nd_mentor_row_get(r, "why") || nd_mentor_row_count(r, "hint") < 1 ||
            nd_mentor_row_count(r, "example") < 1)
            nd_test_fail(__FILE__, __LINE__, "row %s: why, hint or example missing", r->id);
        nd_error e;
        nd_error_clear(&e);
        const char *when = nd_mentor_row_get(r, "when");
        if (!when || nd_mentor_when(when, &none, &e) < 0)
            nd_test_fail(__FILE__, __LINE__, "row %s: when: %s", r->id, e.msg);
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->rows[j].id, r->id) == 0) nd_test_fail(__FILE__, __LINE__, "row %s twice", r->id);
    }
    for (size_t i = 0; i < g->n; i++) {
        const nd_mentor_row *r = &g->rows[i];
        check_row_shape(r);
        if (!nd_mentor_row_get(r, "what") || !nd_mentor_row_get(r, "low") ||
            !nd_mentor_row_get(r, "high") || !nd_mentor_row_get(r, "right") ||
            !nd_mentor_row_get(r, "hint"))
            nd_test_fail(__FILE__, __LINE__, "guess %s: what, low, high, right or hint missing", r->id);
    }
}

/* Runs each line of the row's example as a cell of its own (a failing cell is the point
   of most examples). */
static void run_example(rec_fixture *f, const nd_mentor_row *r)
{
    for (size_t k = 0; k < nd_mentor_row_count(r, "example"); k++)
        rec_fixture_run(f, nd_mentor_row_nth(r, "example", k));
}

static const char *json_text(json_t *j, const char *key)
{
    const char *s = json_string_value(json_object_get(j, key));
    return s ? s : "";
}

/* The example triggers the row; hint climbs to the last level, whose command runs. */
static void check_situation(const nd_mentor_row *r)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    run_example(&f, r);
    CHECK_INT(rec_fixture_run(&f, "stuck"), ND_OK);
    json_t *j = mentor_json(&f);
    if (!j || strcmp(json_text(j, "situation"), r->id) != 0) {
        nd_test_fail(__FILE__, __LINE__, "example of %s gives situation '%s'", r->id,
                     j ? json_text(j, "situation") : "(none)");
        json_decref(j);
        rec_fixture_teardown(&f);
        return;
    }
    CHECK_STR(json_text(j, "category"), nd_mentor_row_get(r, "category"));
    if (json_array_size(json_object_get(j, "questions")) < 2)
        nd_test_fail(__FILE__, __LINE__, "%s: fewer than 2 questions filled", r->id);
    CHECK(json_object_get(j, "command") == NULL);   /* never the fix at the first level */
    long levels = (long)json_integer_value(json_object_get(j, "levels"));
    json_decref(j);
    char *command = NULL;
    for (long level = 2; level <= levels; level++) {
        CHECK_INT(rec_fixture_run(&f, "hint"), ND_OK);
        j = mentor_json(&f);
        CHECK_INT(j ? json_integer_value(json_object_get(j, "level")) : 0, level);
        if (level == levels && j && json_object_get(j, "command")) command = strdup(json_text(j, "command"));
        json_decref(j);
    }
    if (!command) nd_test_fail(__FILE__, __LINE__, "%s: the last level has no command", r->id);
    else if (rec_fixture_run(&f, command) != ND_OK)
        nd_test_fail(__FILE__, __LINE__, "%s: `%s` fails: %s", r->id, command, f.e.msg);
    free(command);
    rec_fixture_teardown(&f);
}

TEST(mentor_every_situation_is_triggered_by_its_example_and_ends_at_a_command_that_runs)
{
    const nd_mentor_table *s = nd_mentor_builtin("situations");
    CHECK(s != NULL);
    for (size_t i = 0; s && i < s->n; i++) check_situation(&s->rows[i]);
}

/* The file's text (caller frees), or NULL. */
char *slurp(const char *path);
char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    char *buf = calloc(1, 1 << 20);
    size_t n = buf ? fread(buf, 1, (1 << 20) - 1, fp) : 0;
    (void)n;
    fclose(fp);
    return buf;
}

TEST(mentor_docs_list_every_row)
{
    char *doc = slurp("docs/mentor.md");
    CHECK(doc != NULL);
    const char *names[] = {"situations", "guesses"};
    for (int k = 0; doc && k < 2; k++) {
        const nd_mentor_table *t = nd_mentor_builtin(names[k]);
        for (size_t i = 0; t && i < t->n; i++) {
            char needle[96];
            snprintf(needle, sizeof needle, "| `%s` |", t->rows[i].id);
            if (!strstr(doc, needle))
                nd_test_fail(__FILE__, __LINE__, "docs/mentor.md does not list %s", t->rows[i].id);
        }
    }
    free(doc);
}

TEST(mentor_table_parser_and_conditions)
{
    nd_mentor_table t;
    nd_error e;
    nd_error_clear(&e);
    const char *text = "preamble, ignored\n- not a key yet: fine\n\n## a\n- when: x > 2; s = p|q\n"
                       "- ask: one {x}\n  and more\n- ask: two {missing}\n## b\n- when: has y\n";
    CHECK_INT(nd_mentor_table_parse("t", text, &t, &e), ND_OK);
    CHECK_INT(t.n, 2);
    if (t.n == 2) {
        CHECK_STR(t.rows[0].id, "a");
        CHECK_STR(nd_mentor_row_nth(&t.rows[0], "ask", 0), "one {x} and more");
        CHECK_INT(nd_mentor_row_count(&t.rows[0], "ask"), 2);
        CHECK_INT(t.rows[1].line, 9);
    }
    nd_mentor_facts f;
    nd_mentor_facts_init(&f);
    nd_mentor_fact_num(&f, "x", 3);
    nd_mentor_fact_str(&f, "s", "q");
    nd_mentor_fact_num(&f, "lim", 4);
    CHECK(nd_mentor_match(&t, &f) == &t.rows[0]);
    nd_mentor_fact_str(&f, "s", "r");
    CHECK(nd_mentor_match(&t, &f) == NULL);
    nd_mentor_fact_num(&f, "y", 0);
    CHECK(nd_mentor_match(&t, &f) == &t.rows[1]);
    CHECK_INT(nd_mentor_when("x < lim; s ~ R; no z; x != 2; x >= 3", &f, NULL), 1);
    CHECK_INT(nd_mentor_when("x > lim", &f, NULL), 0);
    CHECK_INT(nd_mentor_when("x == 3", &f, &e), -1);
    CHECK_INT(nd_mentor_when("= 3", &f, &e), -1);
    const char *missing = NULL;
    char *s = nd_mentor_fill("x is {x}, z is {z:none}", &f, NULL);
    CHECK_STR(s, "x is 3, z is none");
    free(s);
    CHECK(nd_mentor_fill("{nothing}", &f, &missing) == NULL);
    CHECK(missing && strncmp(missing, "nothing", 7) == 0);
    nd_mentor_facts_clear(&f);
    nd_mentor_table_clear(&t);
    CHECK_INT(nd_mentor_table_parse("t", "## a\n- when: x\nstray text\n", &t, &e), ND_ESYNTAX);
    CHECK_INT(e.line, 3);
    CHECK_INT(t.n, 0);
}
