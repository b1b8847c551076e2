/* Execution history: an in-memory table of entries in chronological order, mirrored to a
   JSON-lines file that every kernel appends to. */
#include "history.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <pthread.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ids.h"
#include "utf8.h"

/* Entries kept in memory: older ones are dropped in batches of MAX_ENTRIES / 8, so that
   adding stays cheap once the cap is reached. */
enum { MAX_ENTRIES = 100000, SLACK = MAX_ENTRIES / 8 };

typedef struct entry {
    int session, line;
    char *input, *output;   /* valid UTF-8; output may be NULL */
} entry;

struct nd_history {
    pthread_mutex_t lock;
    int session;
    int fd;                 /* the file, opened for appending; -1 keeps memory only */
    int needs_newline;      /* the file ends in a partial line (a crash mid-write) */
    entry *entries;
    size_t n, cap;
};

/* ---- paths ---- */

/* Returns getenv(name) unless it is unset or empty. */
static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v && v[0] ? v : NULL;
}

static char *join(const char *a, const char *b)
{
    size_t len = strlen(a) + strlen(b) + 1;
    char *s = malloc(len);
    if (s) snprintf(s, len, "%s%s", a, b);
    return s;
}

char *nd_history_default_path(void)
{
    static const char *const tail = "/neurodyn/history.jsonl";
    if (env("NEURODYN_HISTORY")) return strdup(env("NEURODYN_HISTORY"));
    if (env("JUPYTER_DATA_DIR")) return join(env("JUPYTER_DATA_DIR"), tail);
    char *data = NULL;
    if (env("XDG_DATA_HOME")) {
        data = strdup(env("XDG_DATA_HOME"));
    } else {
        const char *home = env("HOME");
        struct passwd *pw = home ? NULL : getpwuid(getuid());
        if (!home && pw && pw->pw_dir && pw->pw_dir[0]) home = pw->pw_dir;
        if (!home) return NULL;
        data = join(home, "/.local/share");
    }
    char *jupyter = data ? join(data, "/jupyter") : NULL;
    char *path = jupyter ? join(jupyter, tail) : NULL;
    free(data);
    free(jupyter);
    return path;
}

/* Creates the directories above path (like mkdir -p). Failures are left for the open()
   that follows to report, with a better message. */
static void make_parents(const char *path)
{
    char *dir = strdup(path);
    if (!dir) return;
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        mkdir(dir, 0700);
        *p = '/';
    }
    free(dir);
}

/* Appends a note to err, separated from earlier ones by "; ". */
__attribute__((format(printf, 3, 4)))
static void note(char *err, size_t errcap, const char *fmt, ...)
{
    if (errcap == 0) return;
    size_t used = strnlen(err, errcap);
    if (used + 3 >= errcap) return;
    if (used) {
        strcpy(err + used, "; ");
        used += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + used, errcap - used, fmt, ap);
    va_end(ap);
}

/* ---- the table ---- */

static void free_entry(entry *e)
{
    free(e->input);
    free(e->output);
}

/* Drops the oldest entries once the table is SLACK past the cap. */
static void keep_recent(nd_history *h)
{
    if (h->n <= MAX_ENTRIES + SLACK) return;
    size_t drop = h->n - MAX_ENTRIES;
    for (size_t i = 0; i < drop; i++) free_entry(&h->entries[i]);
    memmove(h->entries, h->entries + drop, (h->n - drop) * sizeof *h->entries);
    h->n -= drop;
}

/* Appends an entry with copies of the texts (output may be NULL); 0 ok. */
static int push(nd_history *h, int session, int line, const char *input, const char *output)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 256;
        entry *grown = realloc(h->entries, cap * sizeof *grown);
        if (!grown) return -1;
        h->entries = grown;
        h->cap = cap;
    }
    entry e = {session, line, strdup(input), output ? strdup(output) : NULL};
    if (!e.input || (output && !e.output)) {
        free_entry(&e);
        return -1;
    }
    h->entries[h->n++] = e;
    keep_recent(h);
    return 0;
}

/* ---- the file ---- */

static int append_claim(nd_history *h);

/* Adds the entry held in one JSON line; 0 ok, -1 when the line is corrupt. */
static int load_line(nd_history *h, const char *text, size_t len)
{
    json_t *j = json_loadb(text, len, 0, NULL);
    json_t *session = json_object_get(j, "session"), *line = json_object_get(j, "line");
    if (json_is_integer(session) && json_object_get(j, "started") && !line) {
        /* A session claimed by a kernel that may not have run a cell yet. */
        json_int_t claimed = json_integer_value(session);
        if (claimed >= h->session && claimed < 1000000000) h->session = (int)claimed + 1;
        json_decref(j);
        return 0;
    }
    json_t *input = json_object_get(j, "input"), *output = json_object_get(j, "output");
    int ok = json_is_integer(session) && json_is_integer(line) && json_is_string(input) &&
             (!output || json_is_null(output) || json_is_string(output)) &&
             json_integer_value(session) >= 1 && json_integer_value(session) < 1000000000 &&
             json_integer_value(line) >= 0 && json_integer_value(line) < 1000000000;
    if (ok) {
        int s = (int)json_integer_value(session);
        ok = push(h, s, (int)json_integer_value(line), json_string_value(input),
                  json_string_value(output)) == 0;
        if (ok && s >= h->session) h->session = s + 1;
    }
    json_decref(j);
    return ok ? 0 : -1;
}

/* Loads every entry of an open file; returns how many lines were corrupt. */
static size_t load_file(nd_history *h, FILE *f)
{
    char *buf = NULL;
    size_t bufcap = 0, corrupt = 0;
    ssize_t len;
    h->needs_newline = 0;
    while ((len = getline(&buf, &bufcap, f)) > 0) {
        h->needs_newline = buf[len - 1] != '\n';
        size_t text_len = (size_t)len - !h->needs_newline;
        if (text_len == 0) continue;
        if (load_line(h, buf, text_len) != 0) corrupt++;
    }
    free(buf);
    return corrupt;
}

/* Loads path if it exists, then opens it for appending. Any failure leaves the history
   in memory only, with a note in err. */
static void attach_file(nd_history *h, const char *path, char *err, size_t errcap)
{
    make_parents(path);
    int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        int why = errno;
        FILE *f = fopen(path, "r");    /* still show what an unwritable file holds */
        if (f) {
            load_file(h, f);
            fclose(f);
        }
        note(err, errcap, "cannot write %s (%s); history is kept in memory only", path,
             strerror(why));
        return;
    }
    /* The lock makes "read the highest session, claim the next" one step, so kernels
       started together (a restored workspace) get different sessions. */
    flock(fd, LOCK_EX);
    FILE *f = fdopen(dup(fd), "r");
    size_t corrupt = f ? load_file(h, f) : 0;
    int unreadable = !f || ferror(f), why = errno;
    if (f) fclose(f);
    if (unreadable) {
        /* Appending without knowing the sessions in the file would reuse their numbers. */
        note(err, errcap, "cannot read %s (%s); history is kept in memory only", path,
             strerror(why));
        close(fd);
        return;
    }
    if (corrupt) note(err, errcap, "skipped %zu corrupt lines in %s", corrupt, path);
    h->fd = fd;
    if (append_claim(h) != 0) note(err, errcap, "cannot write %s (%s)", path, strerror(errno));
    flock(fd, LOCK_UN);
}

/* Writes all of buf with one write() where possible: O_APPEND makes each write land
   whole at the end of the file, even with other kernels appending. 0 ok. */
static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, buf, len);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        buf += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Appends the JSON line for one entry; 0 ok. */
static int append_record(nd_history *h, const entry *e)
{
    json_t *record = json_pack("{s:i, s:i, s:s, s:s?}", "session", e->session, "line",
                               e->line, "input", e->input, "output", e->output);
    char *text = record ? json_dumps(record, JSON_COMPACT) : NULL;
    json_decref(record);
    if (!text) return -1;
    size_t len = strlen(text);
    char *line = malloc(len + 3);
    int rc = -1;
    if (line) {
        int lead = h->needs_newline;   /* ends the partial line so this one stays whole */
        snprintf(line, len + 3, "%s%s\n", lead ? "\n" : "", text);
        rc = write_all(h->fd, line, len + 1 + (size_t)lead);
        if (rc == 0) h->needs_newline = 0;
    }
    free(line);
    free(text);
    return rc;
}

/* Records that this kernel uses the next session number (before any cell runs). */
static int append_claim(nd_history *h)
{
    char started[40], line[128];
    nd_ids_now(started);
    int n = snprintf(line, sizeof line, "%s{\"session\":%d,\"started\":\"%s\"}\n",
                     h->needs_newline ? "\n" : "", h->session, started);
    if (write_all(h->fd, line, (size_t)n) != 0) return -1;
    h->needs_newline = 0;
    return 0;
}

/* ---- open, add, close ---- */

nd_history *nd_history_open(const char *path, char *err, size_t errcap)
{
    if (errcap) err[0] = '\0';
    nd_history *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    pthread_mutex_init(&h->lock, NULL);
    h->session = 1;
    h->fd = -1;
    if (path)
        attach_file(h, path, err, errcap);
    else
        note(err, errcap, "no history file; history is kept in memory only");
    return h;
}

void nd_history_close(nd_history *h)
{
    if (!h) return;
    if (h->fd >= 0) close(h->fd);
    for (size_t i = 0; i < h->n; i++) free_entry(&h->entries[i]);
    free(h->entries);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

int nd_history_session(const nd_history *h)
{
    return h ? h->session : 0;
}

/* The queries are logically const but must take the lock; the history itself is never
   created const, so casting the constness away is sound. */
static void lock(const nd_history *h)
{
    pthread_mutex_lock((pthread_mutex_t *)&h->lock);
}

static void unlock(const nd_history *h)
{
    pthread_mutex_unlock((pthread_mutex_t *)&h->lock);
}

int nd_history_add(nd_history *h, int line, const char *input, const char *output)
{
    if (!h || !input) return -1;
    /* Repair the texts first: they must be valid UTF-8 in the file and in every reply. */
    json_t *in = nd_json_text(input), *out = output ? nd_json_text(output) : NULL;
    lock(h);
    int rc = push(h, h->session, line, json_string_value(in), json_string_value(out));
    if (rc == 0 && h->fd >= 0) rc = append_record(h, &h->entries[h->n - 1]);
    unlock(h);
    json_decref(in);
    json_decref(out);
    return rc;
}

/* ---- queries ---- */

static void append_entry(json_t *list, const entry *e, int with_output)
{
    json_t *item;
    if (with_output)
        item = json_pack("[i, i, [s, s?]]", e->session, e->line, e->input, e->output);
    else
        item = json_pack("[i, i, s]", e->session, e->line, e->input);
    json_array_append_new(list, item);
}

json_t *nd_history_tail(const nd_history *h, int n, int with_output)
{
    json_t *list = json_array();
    if (!h || !list || n <= 0) return list;
    lock(h);
    size_t first = h->n > (size_t)n ? h->n - (size_t)n : 0;
    for (size_t i = first; i < h->n; i++) append_entry(list, &h->entries[i], with_output);
    unlock(h);
    return list;
}

json_t *nd_history_range(const nd_history *h, int session, int start, int stop,
                         int with_output)
{
    json_t *list = json_array();
    if (!h || !list) return list;
    if (session <= 0) session += h->session;
    lock(h);
    for (size_t i = 0; i < h->n; i++) {
        const entry *e = &h->entries[i];
        if (e->session == session && e->line >= start && (stop <= 0 || e->line < stop))
            append_entry(list, e, with_output);
    }
    unlock(h);
    return list;
}

typedef struct { const char *input; size_t pos; } keyed;

static int by_input_then_pos(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->input, y->input);
    return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* Removes from idx[0..k) (indices of entries, chronological) every entry whose input
   occurs again later; returns the new count. Sorting keeps this O(k log k). */
static size_t keep_last_of_each(const entry *entries, size_t *idx, size_t k)
{
    if (k < 2) return k;
    keyed *keys = malloc(k * sizeof *keys);
    unsigned char *repeated = calloc(k, 1);
    if (keys && repeated) {
        for (size_t j = 0; j < k; j++) keys[j] = (keyed){entries[idx[j]].input, j};
        qsort(keys, k, sizeof *keys, by_input_then_pos);
        for (size_t j = 0; j + 1 < k; j++)
            if (strcmp(keys[j].input, keys[j + 1].input) == 0) repeated[keys[j].pos] = 1;
        size_t kept = 0;
        for (size_t j = 0; j < k; j++)
            if (!repeated[j]) idx[kept++] = idx[j];
        k = kept;
    }
    free(keys);
    free(repeated);
    return k;
}

json_t *nd_history_search(const nd_history *h, const char *pattern, int n, int unique,
                          int with_output)
{
    json_t *list = json_array();
    if (!h || !list || !pattern) return list;
    lock(h);
    size_t *idx = malloc((h->n ? h->n : 1) * sizeof *idx), k = 0;
    for (size_t i = 0; idx && i < h->n; i++)
        if (fnmatch(pattern, h->entries[i].input, 0) == 0) idx[k++] = i;
    if (unique) k = keep_last_of_each(h->entries, idx, k);
    size_t first = n > 0 && k > (size_t)n ? k - (size_t)n : 0;
    for (size_t j = first; j < k; j++) append_entry(list, &h->entries[idx[j]], with_output);
    unlock(h);
    free(idx);
    return list;
}
