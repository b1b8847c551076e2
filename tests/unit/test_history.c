/* Tests for kernel/history: persistence, sessions, tail/range/search, damaged files. */
#include "test.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include <jansson.h>

#include "../../kernel/history.h"
#include "tempdir.h"

/* A scratch directory with the history path inside a not-yet-existing subdirectory. */
typedef struct { char dir[64], path[160]; } scratch;

static scratch scratch_make(void)
{
    scratch s;
    if (nd_tempdir_make(s.dir) != 0) nd_test_fail(__FILE__, __LINE__, "no temp dir");
    nd_tempdir_path(s.path, sizeof s.path, s.dir, "data/neurodyn/history.jsonl");
    return s;
}

/* Opens the history at path, expecting no note. */
static nd_history *open_quiet(const char *path)
{
    char err[512];
    nd_history *h = nd_history_open(path, err, sizeof err);
    CHECK_STR(err, "");
    return h;
}

/* Returns a query result as compact JSON text and frees it (static buffer). */
static const char *text(json_t *result)
{
    static char buf[4096];
    char *t = json_dumps(result, JSON_COMPACT);
    snprintf(buf, sizeof buf, "%s", t ? t : "(null)");
    free(t);
    json_decref(result);
    return buf;
}

/* Adds inputs as lines 1, 2, ... of the current session, without output. */
static void add_inputs(nd_history *h, const char *const *inputs, int n)
{
    for (int i = 0; i < n; i++) CHECK_INT(nd_history_add(h, i + 1, inputs[i], NULL), 0);
}

TEST(history_starts_at_session_1_and_writes_json_lines)
{
    scratch s = scratch_make();
    nd_history *h = open_quiet(s.path);
    CHECK_INT(nd_history_session(h), 1);
    CHECK_INT(nd_history_add(h, 1, "x = 1", NULL), 0);
    CHECK_INT(nd_history_add(h, 2, "x + 1", "2"), 0);
    CHECK_STR(text(nd_history_tail(h, 10, 0)), "[[1,1,\"x = 1\"],[1,2,\"x + 1\"]]");
    CHECK_STR(text(nd_history_tail(h, 10, 1)),
              "[[1,1,[\"x = 1\",null]],[1,2,[\"x + 1\",\"2\"]]]");
    /* The first line claims the session, before any cell has run. */
    char *file = nd_tempdir_read(s.path);
    static const char claim[] = "{\"session\":1,\"started\":\"";
    CHECK(strncmp(file, claim, sizeof claim - 1) == 0);
    const char *cells = strchr(file, '\n');
    CHECK_STR(cells ? cells + 1 : NULL,
              "{\"session\":1,\"line\":1,\"input\":\"x = 1\",\"output\":null}\n"
              "{\"session\":1,\"line\":2,\"input\":\"x + 1\",\"output\":\"2\"}\n");
    free(file);
    nd_history_close(h);
    nd_tempdir_remove(s.dir);
}

TEST(history_persists_across_restarts_with_new_sessions)
{
    scratch s = scratch_make();
    nd_history *h = open_quiet(s.path);
    nd_history_add(h, 1, "a", "A");
    nd_history_add(h, 2, "b", NULL);
    nd_history_close(h);

    h = open_quiet(s.path);
    CHECK_INT(nd_history_session(h), 2);
    CHECK_STR(text(nd_history_range(h, 0, 1, 0, 0)), "[]");
    CHECK_STR(text(nd_history_range(h, -1, 1, 0, 1)), "[[1,1,[\"a\",\"A\"]],[1,2,[\"b\",null]]]");
    nd_history_add(h, 1, "c", NULL);
    CHECK_STR(text(nd_history_range(h, 0, 1, 0, 0)), "[[2,1,\"c\"]]");
    nd_history_close(h);

    h = open_quiet(s.path);
    CHECK_INT(nd_history_session(h), 3);
    CHECK_STR(text(nd_history_tail(h, 10, 0)), "[[1,1,\"a\"],[1,2,\"b\"],[2,1,\"c\"]]");
    CHECK_STR(text(nd_history_range(h, -1, 1, 0, 0)), "[[2,1,\"c\"]]");
    CHECK_STR(text(nd_history_range(h, -2, 1, 0, 0)), "[[1,1,\"a\"],[1,2,\"b\"]]");
    CHECK_STR(text(nd_history_range(h, 1, 2, 0, 0)), "[[1,2,\"b\"]]");
    CHECK_STR(text(nd_history_range(h, 2, 1, 0, 0)), "[[2,1,\"c\"]]");
    CHECK_STR(text(nd_history_range(h, -5, 1, 0, 0)), "[]");
    nd_history_close(h);
    nd_tempdir_remove(s.dir);
}

TEST(history_tail_returns_the_last_n_in_order)
{
    nd_history *h = nd_history_open(NULL, (char[128]){0}, 128);
    static const char *const in[] = {"a", "b", "c", "d"};
    add_inputs(h, in, 4);
    CHECK_STR(text(nd_history_tail(h, 2, 0)), "[[1,3,\"c\"],[1,4,\"d\"]]");
    CHECK_STR(text(nd_history_tail(h, 1, 0)), "[[1,4,\"d\"]]");
    CHECK_STR(text(nd_history_tail(h, 100, 0)),
              "[[1,1,\"a\"],[1,2,\"b\"],[1,3,\"c\"],[1,4,\"d\"]]");
    CHECK_STR(text(nd_history_tail(h, 0, 0)), "[]");
    CHECK_STR(text(nd_history_tail(h, -3, 0)), "[]");
    nd_history_close(h);
}

TEST(history_range_is_start_inclusive_stop_exclusive)
{
    nd_history *h = nd_history_open(NULL, (char[128]){0}, 128);
    static const char *const in[] = {"l1", "l2", "l3", "l4", "l5"};
    add_inputs(h, in, 5);
    CHECK_STR(text(nd_history_range(h, 0, 2, 4, 0)), "[[1,2,\"l2\"],[1,3,\"l3\"]]");
    CHECK_STR(text(nd_history_range(h, 0, 4, 0, 0)), "[[1,4,\"l4\"],[1,5,\"l5\"]]");
    CHECK_STR(text(nd_history_range(h, 0, 4, -1, 0)), "[[1,4,\"l4\"],[1,5,\"l5\"]]");
    CHECK_STR(text(nd_history_range(h, 1, 5, 6, 1)), "[[1,5,[\"l5\",null]]]");
    CHECK_STR(text(nd_history_range(h, 0, 3, 3, 0)), "[]");
    CHECK_STR(text(nd_history_range(h, 0, 9, 0, 0)), "[]");
    CHECK_STR(text(nd_history_range(h, 7, 1, 0, 0)), "[]");
    nd_history_close(h);
}

TEST(history_search_matches_whole_inputs_with_globs)
{
    nd_history *h = nd_history_open(NULL, (char[128]){0}, 128);
    static const char *const in[] = {"plot x", "abc", "b", "xb", "run\nmore", "a/b.c"};
    add_inputs(h, in, 6);
    CHECK_STR(text(nd_history_search(h, "b", 0, 0, 0)), "[[1,3,\"b\"]]");
    CHECK_STR(text(nd_history_search(h, "?b", 0, 0, 0)), "[[1,4,\"xb\"]]");
    CHECK_STR(text(nd_history_search(h, "*b*", 0, 0, 0)),
              "[[1,2,\"abc\"],[1,3,\"b\"],[1,4,\"xb\"],[1,6,\"a/b.c\"]]");
    CHECK_STR(text(nd_history_search(h, "[px]*", 0, 0, 0)), "[[1,1,\"plot x\"],[1,4,\"xb\"]]");
    CHECK_STR(text(nd_history_search(h, "run*", 0, 0, 0)), "[[1,5,\"run\\nmore\"]]");
    CHECK_STR(text(nd_history_search(h, "a*c", 0, 0, 0)), "[[1,2,\"abc\"],[1,6,\"a/b.c\"]]");
    CHECK_STR(text(nd_history_search(h, "*", 2, 0, 1)),
              "[[1,5,[\"run\\nmore\",null]],[1,6,[\"a/b.c\",null]]]");
    CHECK_STR(text(nd_history_search(h, "zzz", 0, 0, 0)), "[]");
    CHECK_STR(text(nd_history_search(h, NULL, 0, 0, 0)), "[]");
    nd_history_close(h);
}

TEST(history_search_unique_keeps_the_last_occurrence)
{
    nd_history *h = nd_history_open(NULL, (char[128]){0}, 128);
    static const char *const in[] = {"a", "b", "a", "c", "b", "a2"};
    add_inputs(h, in, 6);
    CHECK_STR(text(nd_history_search(h, "*", 0, 1, 0)),
              "[[1,3,\"a\"],[1,4,\"c\"],[1,5,\"b\"],[1,6,\"a2\"]]");
    CHECK_STR(text(nd_history_search(h, "*", 2, 1, 0)), "[[1,5,\"b\"],[1,6,\"a2\"]]");
    CHECK_STR(text(nd_history_search(h, "a*", 0, 1, 0)), "[[1,3,\"a\"],[1,6,\"a2\"]]");
    CHECK_STR(text(nd_history_search(h, "a*", 0, 0, 0)),
              "[[1,1,\"a\"],[1,3,\"a\"],[1,6,\"a2\"]]");
    CHECK_STR(text(nd_history_search(h, "a", 1, 0, 0)), "[[1,3,\"a\"]]");
    nd_history_close(h);
}

TEST(history_skips_corrupt_lines_and_heals_a_partial_last_line)
{
    scratch s = scratch_make();
    char path[160];
    nd_tempdir_path(path, sizeof path, s.dir, "h.jsonl");
    nd_tempdir_write(path,
        "{\"session\":4,\"line\":1,\"input\":\"ok 1\",\"output\":null}\n"
        "garbage\n"
        "\n"
        "[4,2,\"array\"]\n"
        "{\"session\":\"4\",\"line\":2,\"input\":\"string session\"}\n"
        "{\"session\":4,\"line\":2}\n"
        "{\"session\":4,\"line\":2,\"input\":\"bad output\",\"output\":7}\n"
        "{\"session\":0,\"line\":2,\"input\":\"session 0\"}\n"
        "{\"session\":9,\"line\":-1,\"input\":\"negative line\"}\n"
        "{\"session\":4,\"line\":2,\"input\":\"bad \xff utf8\"}\n"
        "{\"session\":2,\"line\":3,\"input\":\"ok 2\"}\n"
        "{\"session\":4,\"line\":4,\"inp");
    char err[512];
    nd_history *h = nd_history_open(path, err, sizeof err);
    CHECK_CONTAINS(err, "skipped 9 corrupt lines in ");
    CHECK_CONTAINS(err, path);
    CHECK_INT(nd_history_session(h), 5);
    CHECK_STR(text(nd_history_tail(h, 10, 1)),
              "[[4,1,[\"ok 1\",null]],[2,3,[\"ok 2\",null]]]");
    nd_history_add(h, 1, "after", NULL);
    nd_history_close(h);

    h = nd_history_open(path, err, sizeof err);
    CHECK_CONTAINS(err, "skipped 9 corrupt lines");   /* the new line stayed whole */
    CHECK_INT(nd_history_session(h), 6);
    CHECK_STR(text(nd_history_range(h, -1, 1, 0, 0)), "[[5,1,\"after\"]]");
    nd_history_close(h);
    nd_tempdir_remove(s.dir);
}

TEST(history_keeps_a_valid_last_line_without_newline)
{
    scratch s = scratch_make();
    char path[160];
    nd_tempdir_path(path, sizeof path, s.dir, "h.jsonl");
    nd_tempdir_write(path, "{\"session\":1,\"line\":1,\"input\":\"no newline\"}");
    nd_history *h = open_quiet(path);
    nd_history_add(h, 1, "next", NULL);
    nd_history_close(h);
    h = open_quiet(path);
    CHECK_STR(text(nd_history_tail(h, 5, 0)), "[[1,1,\"no newline\"],[2,1,\"next\"]]");
    nd_history_close(h);
    nd_tempdir_remove(s.dir);
}

TEST(history_falls_back_to_memory_when_the_file_is_unusable)
{
    scratch s = scratch_make();
    char blocker[160], path[200], err[512];
    nd_tempdir_path(blocker, sizeof blocker, s.dir, "file");
    nd_tempdir_write(blocker, "a regular file where a directory should be");
    nd_tempdir_path(path, sizeof path, blocker, "history.jsonl");
    nd_history *h = nd_history_open(path, err, sizeof err);
    CHECK(h != NULL);
    CHECK_CONTAINS(err, "cannot write");
    CHECK_CONTAINS(err, "Not a directory");
    CHECK_CONTAINS(err, "memory only");
    CHECK_INT(nd_history_session(h), 1);
    CHECK_INT(nd_history_add(h, 1, "still works", "yes"), 0);
    CHECK_STR(text(nd_history_tail(h, 1, 1)), "[[1,1,[\"still works\",\"yes\"]]]");
    nd_history_close(h);

    h = nd_history_open(s.dir, err, sizeof err);   /* a directory */
    CHECK_CONTAINS(err, "cannot write");
    CHECK_CONTAINS(err, "Is a directory");
    nd_history_close(h);

    /* A dangling symlink reads as absent but cannot be created (even by root). */
    char link[160];
    nd_tempdir_path(link, sizeof link, s.dir, "link.jsonl");
    CHECK_INT(symlink("/nonexistent-neurodyn-dir/history.jsonl", link), 0);
    h = nd_history_open(link, err, sizeof err);
    CHECK_CONTAINS(err, "cannot write");
    CHECK_CONTAINS(err, "memory only");
    CHECK_INT(nd_history_add(h, 1, "x", NULL), 0);
    CHECK_STR(text(nd_history_tail(h, 1, 0)), "[[1,1,\"x\"]]");
    nd_history_close(h);

    char too_long[400];
    snprintf(too_long, sizeof too_long, "%s/%0*d", s.dir, 300, 0);
    h = nd_history_open(too_long, err, sizeof err);
    CHECK(h != NULL);
    CHECK_CONTAINS(err, "File name too long");
    CHECK_INT(nd_history_add(h, 1, "x", NULL), 0);
    nd_history_close(h);

    h = nd_history_open(NULL, err, sizeof err);
    CHECK_CONTAINS(err, "memory only");
    CHECK_INT(nd_history_add(h, 1, "y", NULL), 0);
    nd_history_close(h);
    nd_tempdir_remove(s.dir);
}

TEST(history_accepts_a_null_history)
{
    CHECK_INT(nd_history_session(NULL), 0);
    CHECK_INT(nd_history_add(NULL, 1, "x", NULL), -1);
    CHECK_STR(text(nd_history_tail(NULL, 5, 0)), "[]");
    CHECK_STR(text(nd_history_range(NULL, 0, 1, 0, 0)), "[]");
    CHECK_STR(text(nd_history_search(NULL, "*", 0, 1, 1)), "[]");
    nd_history_close(NULL);
}

TEST(history_repairs_invalid_utf8)
{
    scratch s = scratch_make();
    nd_history *h = open_quiet(s.path);
    CHECK_INT(nd_history_add(h, 1, "a\xff", "\xc3"), 0);
    CHECK_INT(nd_history_add(h, 2, NULL, NULL), -1);
    CHECK_STR(text(nd_history_tail(h, 1, 1)), "[[1,1,[\"a\xef\xbf\xbd\",\"\xef\xbf\xbd\"]]]");
    nd_history_close(h);
    h = open_quiet(s.path);
    CHECK_STR(text(nd_history_tail(h, 1, 0)), "[[1,1,\"a\xef\xbf\xbd\"]]");
    nd_history_close(h);
    nd_tempdir_remove(s.dir);
}

TEST(history_takes_the_largest_session_in_the_file)
{
    scratch s = scratch_make();
    char path[160];
    nd_tempdir_path(path, sizeof path, s.dir, "h.jsonl");
    nd_tempdir_write(path, "{\"session\":7,\"line\":1,\"input\":\"x\"}\n"
                           "{\"session\":3,\"line\":1,\"input\":\"y\"}\n");
    nd_history *h = open_quiet(path);
    CHECK_INT(nd_history_session(h), 8);
    CHECK_STR(text(nd_history_range(h, -1, 1, 0, 0)), "[[7,1,\"x\"]]");
    nd_history_close(h);
    nd_tempdir_remove(s.dir);
}

TEST(history_keeps_only_the_most_recent_entries)
{
    scratch s = scratch_make();
    char path[160];
    nd_tempdir_path(path, sizeof path, s.dir, "big.jsonl");
    enum { N = 150000 };
    FILE *f = fopen(path, "w");
    for (int i = 1; i <= N; i++)
        fprintf(f, "{\"session\":1,\"line\":%d,\"input\":\"x\"}\n", i);
    fclose(f);
    nd_history *h = open_quiet(path);
    CHECK_INT(nd_history_session(h), 2);
    json_t *all = nd_history_tail(h, N, 0);
    size_t kept = json_array_size(all);
    CHECK(kept >= 100000 && kept <= 112500);
    CHECK_INT(json_integer_value(json_array_get(json_array_get(all, kept - 1), 1)), N);
    CHECK_INT(json_integer_value(json_array_get(json_array_get(all, 0), 1)), N - (int)kept + 1);
    json_decref(all);
    nd_history_close(h);
    nd_tempdir_remove(s.dir);
}

typedef struct { nd_history *h; int first; } writer;

static void *write_lines(void *arg)
{
    writer *w = arg;
    for (int i = 0; i < 200; i++) nd_history_add(w->h, w->first + i, "same text", "out");
    return NULL;
}

TEST(history_concurrent_writers_never_interleave_lines)
{
    scratch s = scratch_make();
    nd_history *a = open_quiet(s.path), *b = open_quiet(s.path);   /* two kernels */
    CHECK_INT(nd_history_session(a), 1);
    CHECK_INT(nd_history_session(b), 2);   /* started together, still distinct sessions */
    pthread_t t[4];
    writer w[4] = {{a, 1}, {a, 1001}, {b, 2001}, {b, 3001}};
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, write_lines, &w[i]);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    json_t *mine = nd_history_tail(a, 1000, 0);
    CHECK_INT(json_array_size(mine), 400);
    json_decref(mine);
    nd_history_close(a);
    nd_history_close(b);

    nd_history *h = open_quiet(s.path);   /* no corrupt line, all 800 entries */
    json_t *all = nd_history_tail(h, 1000, 0);
    CHECK_INT(json_array_size(all), 800);
    json_decref(all);
    nd_history_close(h);
    nd_tempdir_remove(s.dir);
}

/* ---- default path ---- */

static const char *const VARS[] = {"NEURODYN_HISTORY", "JUPYTER_DATA_DIR", "XDG_DATA_HOME",
                                   "HOME"};
enum { N_VARS = sizeof VARS / sizeof *VARS };

/* Sets the four variables (NULL unsets) and returns the default path as a static string. */
static const char *path_with(const char *const values[N_VARS])
{
    static char out[512];
    for (int i = 0; i < N_VARS; i++) {
        if (values[i]) setenv(VARS[i], values[i], 1);
        else unsetenv(VARS[i]);
    }
    char *p = nd_history_default_path();
    snprintf(out, sizeof out, "%s", p ? p : "(null)");
    free(p);
    return out;
}

TEST(history_default_path_follows_the_environment)
{
    char *saved[N_VARS];
    for (int i = 0; i < N_VARS; i++) saved[i] = getenv(VARS[i]) ? strdup(getenv(VARS[i])) : NULL;

    CHECK_STR(path_with((const char *[]){"/x/h.jsonl", "/j", "/d", "/home/u"}), "/x/h.jsonl");
    CHECK_STR(path_with((const char *[]){NULL, "/j", "/d", "/home/u"}),
              "/j/neurodyn/history.jsonl");
    CHECK_STR(path_with((const char *[]){"", "", "/d", "/home/u"}),
              "/d/jupyter/neurodyn/history.jsonl");
    CHECK_STR(path_with((const char *[]){NULL, NULL, NULL, "/home/u"}),
              "/home/u/.local/share/jupyter/neurodyn/history.jsonl");
    CHECK_STR(path_with((const char *[]){NULL, NULL, "", "/home/u"}),
              "/home/u/.local/share/jupyter/neurodyn/history.jsonl");
    const char *no_home = path_with((const char *[]){NULL, NULL, NULL, NULL});
    CHECK(strcmp(no_home, "(null)") == 0 || strstr(no_home, "/.local/share/jupyter/neurodyn/"));

    for (int i = 0; i < N_VARS; i++) {
        if (saved[i]) setenv(VARS[i], saved[i], 1);
        else unsetenv(VARS[i]);
        free(saved[i]);
    }
}
