/* The terminal sink and the SIGINT wiring of batch runs. */
#include "batch.h"
#include "../lib/commands/modules.h"

#include "../lib/language/help.h"
#include "../lib/language/lexicon.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../lib/base/dist.h"
#include "../lib/base/strbuf.h"
#include "../lib/neurodyn.h"
#include "../lib/plot/figure.h"

/* A display shown with an id: its figure number, reused when it is updated in place. */
typedef struct shown_id {
    char *id;
    int number;
} shown_id;

typedef struct terminal {
    FILE *out, *err;
    const char *figures;   /* where figures go, or NULL */
    int nfig;              /* figures written so far */
    shown_id *ids;
    size_t nids;
} terminal;

static void put_text(FILE *f, const char *text)
{
    size_t n = strlen(text);
    fputs(text, f);
    if (n == 0 || text[n - 1] != '\n') fputc('\n', f);
    fflush(f);
}

static void put_plain(FILE *f, const nd_bundle *b)
{
    const char *text = nd_bundle_get(b, "text/plain");
    if (text) put_text(f, text);
}

/* The number of the figure shown under display_id (NULL: a new one each time); 0 when
   memory runs out. *fresh says whether the number is new. */
static int figure_number(terminal *t, const char *display_id, int *fresh)
{
    *fresh = 1;
    if (!display_id) return ++t->nfig;
    for (size_t i = 0; i < t->nids; i++)
        if (strcmp(t->ids[i].id, display_id) == 0) {
            *fresh = 0;
            return t->ids[i].number;
        }
    shown_id *grown = realloc(t->ids, (t->nids + 1) * sizeof *grown);
    char *copy = strdup(display_id);
    if (grown) t->ids = grown;
    if (!grown || !copy) {
        free(copy);
        return 0;
    }
    t->ids[t->nids++] = (shown_id){copy, ++t->nfig};
    return t->nfig;
}

/* Writes the images of a figure bundle as DIR/fig-NNN.svg and .png; a new figure says
   where on out, a failure says why on err (the run goes on: the text was shown). */
static void write_figure(terminal *t, const nd_bundle *b, const char *display_id)
{
    if (!t->figures || !nd_fig_bundle_has_images(b)) return;
    int fresh, k = figure_number(t, display_id, &fresh);
    if (k == 0) return;
    char svg[4096], png[4096];
    snprintf(svg, sizeof svg, "%s/fig-%03d.svg", t->figures, k);
    snprintf(png, sizeof png, "%s/fig-%03d.png", t->figures, k);
    nd_error e;
    if (nd_fig_save(b, svg, &e) != ND_OK || nd_fig_save(b, png, &e) != ND_OK) {
        fprintf(t->err, "figure %d not written: %s\n", k, e.msg);
        fflush(t->err);
    } else if (fresh) {
        fprintf(t->out, "figure %d: %s, %s\n", k, svg, png);
        fflush(t->out);
    }
}

static void term_stream(void *ctx, nd_stream which, const char *text)
{
    terminal *t = ctx;
    FILE *f = which == ND_STREAM_ERR ? t->err : t->out;
    fputs(text, f);
    fflush(f);
}

static void term_display(void *ctx, const nd_bundle *b, const char *display_id, int update)
{
    (void)update;
    put_plain(((terminal *)ctx)->out, b);
    write_figure(ctx, b, display_id);
}

static void term_result(void *ctx, const nd_bundle *b)
{
    put_plain(((terminal *)ctx)->out, b);
    write_figure(ctx, b, NULL);
}

static void term_page(void *ctx, const nd_bundle *b)
{
    put_plain(((terminal *)ctx)->out, b);
}

static void term_clear(void *ctx, int wait)
{
    /* A terminal cannot take back what it printed. */
    (void)ctx;
    (void)wait;
}

/* Reads the whole stream; NULL when out of memory or on a read error. */
static char *read_all(FILE *f)
{
    nd_sb sb;
    nd_sb_init(&sb);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) nd_sb_putn(&sb, buf, n);
    if (ferror(f)) {
        nd_sb_free(&sb);
        return NULL;
    }
    return nd_sb_take(&sb);
}

/* The interpreter the SIGINT handler talks to; set only while a run is in progress. */
static nd_interp *volatile running;

static void on_sigint(int sig)
{
    (void)sig;
    nd_interp *in = running;
    if (in) nd_interp_interrupt(in);
}

/* Reads the script; NULL with e filled (its message said on err). */
static char *load(const char *path, FILE *err, nd_error *e)
{
    int use_stdin = strcmp(path, "-") == 0;
    if (use_stdin && nd_dist_current()->size > 1) {
        /* mpirun gives standard input to rank 0 only: the others would run nothing */
        nd_error_fail(e, ND_EIO, "under MPI the script must be a file: only rank 0 reads "
                      "standard input");
        fprintf(err, "IOError: %s\n", e->msg);
        return NULL;
    }
    FILE *f = use_stdin ? stdin : fopen(path, "rb");
    char *code = f ? read_all(f) : NULL;
    if (f && !use_stdin) fclose(f);
    if (!code) {
        nd_error_fail(e, ND_EIO, "cannot %s '%s'", f ? "read" : "open", path);
        fprintf(err, "IOError: %s\n", e->msg);
    }
    return code;
}

/* Makes the figure directory (one level) unless it exists; 0, or 1 with a message. */
static int make_figure_dir(const char *dir, FILE *err, nd_error *e)
{
    struct stat sb;
    if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode)) return 0;
    if (mkdir(dir, 0755) == 0) return 0;
    nd_error_fail(e, ND_EIO, "cannot make the figure directory '%s': %s", dir,
                  errno == EEXIST ? "a file of that name exists" : strerror(errno));
    fprintf(err, "IOError: %s\n", e->msg);
    return 1;
}

/* Binds the -D parameters; 0, or -1 after the error on err. */
static int define_all(nd_interp *in, const nd_batch_options *opts, FILE *err, nd_error *e)
{
    for (size_t i = 0; opts && i < opts->ndefines; i++) {
        if (nd_interp_define(in, opts->defines[i], e) != ND_OK) {
            fprintf(err, "%s: -D %s: %s\n", nd_status_name(e->code), opts->defines[i], e->msg);
            return -1;
        }
    }
    return 0;
}

/* Runs code on a fresh interpreter; its status, its error said on err. */
static nd_status execute(const char *code, const nd_batch_options *opts, const char *figures,
                         FILE *out, FILE *err, nd_error *e)
{
    nd_interp *in = nd_interp_create(nd_cmd_register_all);
    if (!in) {
        fputs("MemoryError: cannot create the interpreter\n", err);
        nd_error_fail(e, ND_ENOMEM, "cannot create the interpreter");
        return nd_dist_finish(nd_dist_current(), e->code, e);
    }
    if (define_all(in, opts, err, e) != 0) {
        nd_interp_free(in);
        /* said already; the other ranks of a distributed run learn why this one stopped */
        return nd_dist_finish(nd_dist_current(), e->code, e);
    }
    terminal term = {out, err, figures, 0, NULL, 0};
    /* No sliders on a terminal: interact says so and runs its block once. */
    nd_sink sink = {&term, term_stream, term_display, term_result, term_clear, term_page, NULL,
                    NULL};

    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    running = in;
    sigaction(SIGINT, &sa, &old);

    nd_status st = nd_interp_exec(in, code, &sink, e);

    sigaction(SIGINT, &old, NULL);
    running = NULL;
    /* Every rank of a distributed run ends here together; an error met by another rank
       alone comes back as this one's, so that rank 0 reports it. */
    st = nd_dist_finish(nd_dist_current(), st, e);
    if (st != ND_OK) {
        char *tb = nd_error_traceback(e, code);
        put_text(err, tb ? tb : e->msg);
        free(tb);
    }
    nd_interp_free(in);
    for (size_t i = 0; i < term.nids; i++) free(term.ids[i].id);
    free(term.ids);
    return st;
}

int nd_batch_run(const char *path, const nd_batch_options *opts, FILE *out, FILE *err)
{
    /* In a distributed run rank 0 alone speaks and writes figures; the others run the same
       script into /dev/null. */
    int root = nd_dist_is_root();
    FILE *quiet = root ? NULL : fopen("/dev/null", "w");
    if (quiet) out = err = quiet;
    const char *figures = root && opts ? opts->figures : NULL;
    nd_error e = {0};
    nd_status st = ND_EIO;
    char *code = NULL;
    if ((!figures || make_figure_dir(figures, err, &e) == 0) && (code = load(path, err, &e)))
        st = execute(code, opts, figures, out, err, &e);
    else nd_dist_finish(nd_dist_current(), st, &e);   /* said; the other ranks learn why */
    free(code);
    if (quiet) fclose(quiet);
    return st == ND_OK ? 0 : 1;
}

/* Writes what make builds from a fresh interpreter's registry; 0, or 1 with a message. */
static int print_generated(char *(*make)(const struct nd_cmd_registry *), const char *what,
                           FILE *out, FILE *err)
{
    nd_interp *in = nd_interp_create(nd_cmd_register_all);
    char *text = in ? make(nd_interp_registry(in)) : NULL;
    if (text) fputs(text, out);
    else fprintf(err, "MemoryError: cannot build the %s\n", what);
    free(text);
    nd_interp_free(in);
    return text ? 0 : 1;
}

int nd_batch_reference(FILE *out, FILE *err)
{
    return print_generated(nd_help_reference, "reference", out, err);
}

int nd_batch_lexicon(FILE *out, FILE *err)
{
    int rc = print_generated(nd_lexicon_json, "lexicon", out, err);
    if (rc == 0) fputc('\n', out);
    return rc;
}
