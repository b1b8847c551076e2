/* The recording sink used by the interpreter tests. */
#include "rec_sink.h"
#include "../../lib/commands/modules.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rec_event *add(rec_sink *r, const char *kind)
{
    if (r->n == 64) return NULL;
    rec_event *e = &r->ev[r->n++];
    memset(e, 0, sizeof *e);
    strncpy(e->kind, kind, sizeof e->kind - 1);
    return e;
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static rec_event *add_bundle(rec_sink *r, const char *kind, const nd_bundle *b)
{
    rec_event *e = add(r, kind);
    if (!e) return NULL;
    e->text = dup_or_null(nd_bundle_get(b, "text/plain"));
    e->html = dup_or_null(nd_bundle_get(b, "text/html"));
    e->json = dup_or_null(nd_bundle_get(b, "application/vnd.neurodyn+json"));
    e->png = nd_bundle_get(b, "image/png") != NULL;
    return e;
}

static void on_stream(void *ctx, nd_stream which, const char *text)
{
    rec_event *e = add(ctx, which == ND_STREAM_OUT ? "out" : "err");
    if (e) e->text = strdup(text);
}

static void on_display(void *ctx, const nd_bundle *b, const char *id, int update)
{
    rec_event *e = add_bundle(ctx, "display", b);
    if (!e) return;
    if (id) strncpy(e->id, id, sizeof e->id - 1);
    e->update = update;
}

static void on_result(void *ctx, const nd_bundle *b) { add_bundle(ctx, "result", b); }
static void on_page(void *ctx, const nd_bundle *b) { add_bundle(ctx, "page", b); }

static void on_clear(void *ctx, int wait)
{
    rec_event *e = add(ctx, "clear");
    if (e) e->wait = wait;
}

static int on_sliders(void *ctx, const nd_sliders *sl)
{
    rec_sink *r = ctx;
    rec_event *e = add(r, "sliders");
    if (!e) return 0;
    e->interact = sl->id;
    char line[256], *text = calloc(sl->n + 1, sizeof line);
    for (size_t k = 0; text && k < sl->n; k++) {
        const nd_slider *s = &sl->items[k];
        snprintf(line, sizeof line, "%s=%g..%g step %g value %g decimals %d\n", s->name, s->lo,
                 s->hi, s->step, s->value, s->decimals);
        strcat(text, line);
    }
    e->text = text;
    return r->shows_sliders;
}

static void on_end_session(void *ctx) { add(ctx, "end"); }

void rec_init(rec_sink *r)
{
    memset(r, 0, sizeof *r);
    r->sink = (nd_sink){r, on_stream, on_display, on_result, on_clear, on_page, on_sliders,
                        on_end_session};
}

void rec_clear(rec_sink *r)
{
    for (int i = 0; i < r->n; i++) {
        free(r->ev[i].text);
        free(r->ev[i].html);
        free(r->ev[i].json);
    }
    r->n = 0;
}

/* The kinds joined by '|', displays with an id (in-place progress) left out or not. */
static const char *kinds(const rec_sink *r, int skip_progress)
{
    static char buf[1024];
    buf[0] = '\0';
    for (int i = 0; i < r->n; i++) {
        if (skip_progress && strcmp(r->ev[i].kind, "display") == 0 && r->ev[i].id[0]) continue;
        if (buf[0]) strcat(buf, "|");
        strcat(buf, r->ev[i].kind);
    }
    return buf;
}

const char *rec_kinds(const rec_sink *r)
{
    return kinds(r, 0);
}

const char *rec_kinds_settled(const rec_sink *r)
{
    return kinds(r, 1);
}

nd_status rec_run(nd_interp *in, const char *code, rec_sink *r, nd_error *err)
{
    rec_clear(r);
    return nd_interp_exec(in, code, &r->sink, err);
}

void rec_fixture_setup(rec_fixture *f)
{
    f->in = nd_interp_create(nd_cmd_register_all);
    rec_init(&f->r);
    nd_error_clear(&f->e);
}

void rec_fixture_teardown(rec_fixture *f)
{
    rec_clear(&f->r);
    nd_interp_free(f->in);
}

nd_status rec_fixture_run(rec_fixture *f, const char *code)
{
    return rec_run(f->in, code, &f->r, &f->e);
}

double rec_json_number(const char *json, const char *key)
{
    const char *at = json && key ? strstr(json, key) : NULL;
    if (!at) return NAN;
    char *end;
    double x = strtod(at + strlen(key), &end);
    return end == at + strlen(key) ? NAN : x;
}
