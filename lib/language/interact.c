/* Running an interact's block with its sliders' values, and showing what it showed as
   displays that later runs replace in place. */
#include "interact.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../base/json.h"
#include "../base/strbuf.h"
#include "../base/textfmt.h"
#include "../plot/figure.h"
#include "objects.h"
#include "output.h"
#include "workspace.h"

void nd_interact_free(nd_interact *it)
{
    if (!it) return;
    for (size_t i = 0; i < it->n; i++) free((char *)it->sliders[i].name);  /* owned here */
    free(it->sliders);
    free(it->is_par);
    free(it->model);
    nd_program_free(it->prog);
    free(it->src);
    free(it);
}

void nd_interact_outputs_clear(nd_interact_outputs *o)
{
    for (size_t i = 0; i < o->n; i++) nd_bundle_free(o->items[i]);
    free(o->items);
    memset(o, 0, sizeof *o);
}

/* ---- the sink a run writes into ---- */

static void push(nd_interact_outputs *o, nd_bundle *b)
{
    o->text_open = 0;
    if (!b) {
        o->oom = 1;
        return;
    }
    if (o->n == o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 4;
        nd_bundle **items = realloc(o->items, cap * sizeof *items);
        if (!items) {
            nd_bundle_free(b);
            o->oom = 1;
            return;
        }
        o->items = items;
        o->cap = cap;
    }
    o->items[o->n++] = b;
}

static nd_bundle *text_bundle(const char *text)
{
    nd_bundle *b = nd_bundle_create();
    if (b && nd_bundle_set(b, "text/plain", text) != 0) {
        nd_bundle_free(b);
        b = NULL;
    }
    return b;
}

/* print and warn inside the block: a display can be replaced later, a stream cannot. */
static void cap_stream(void *ctx, nd_stream which, const char *text)
{
    (void)which;
    nd_interact_outputs *o = ctx;
    if (!o->text_open) {
        size_t before = o->n;
        push(o, text_bundle(text));
        o->text_open = o->n > before;   /* not after a failed push: items[n - 1] is no text */
        return;
    }
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_puts(&sb, nd_bundle_get(o->items[o->n - 1], "text/plain"));
    nd_sb_puts(&sb, text);
    if (sb.oom || nd_bundle_set(o->items[o->n - 1], "text/plain", nd_sb_str(&sb)) != 0) o->oom = 1;
    nd_sb_free(&sb);
}

static void cap_display(void *ctx, const nd_bundle *b, const char *display_id, int update)
{
    (void)display_id;
    /* A progress display's updates are transient; its first state stands for it. */
    if (!update) push(ctx, nd_bundle_copy(b));
}

static void cap_result(void *ctx, const nd_bundle *b)
{
    cap_display(ctx, b, NULL, 0);
}

static void cap_clear(void *ctx, int wait)
{
    (void)wait;
    nd_interact_outputs_clear(ctx);
}

/* ---- one run ---- */

/* What a run changes and puts back afterwards. */
typedef struct saved {
    double *par;        /* the parameters' values before */
    nd_value **val;     /* the names' bindings before (NULL: unbound) */
    size_t done;        /* sliders bound so far */
    char *current;      /* the current model before (NULL: none) */
    int current_set;    /* the current model was changed */
} saved;

static nd_status find_model(const nd_exec *ex, const nd_interact *it, nd_model **m, nd_error *err)
{
    *m = NULL;
    if (!it->model) return ND_OK;
    nd_model_obj *mo = nd_value_as_model(nd_ws_get(ex->ws, it->model));
    if (!mo)
        return nd_error_fail(err, ND_ENAME, "the model '%s' that this interact's sliders act "
                             "on is no longer in the workspace; run its cell again", it->model);
    *m = mo->model;
    for (size_t k = 0; k < it->n; k++)
        if (it->is_par[k] && nd_model_index(*m, ND_MODEL_PAR, it->sliders[k].name) < 0)
            return nd_error_fail(err, ND_ENAME, "the model '%s' has no parameter '%s' any "
                                 "more; run the interact's cell again", it->model,
                                 it->sliders[k].name);
    return ND_OK;
}

/* Binds every slider's value and makes the interact's model current; sv records what
   restore() must put back, also after a failure half-way. */
static nd_status bind(const nd_exec *ex, const nd_interact *it, nd_model *m, saved *sv,
                      nd_error *err)
{
    if (it->model) {
        const char *current = nd_ws_current_model(ex->ws);
        sv->current = current ? strdup(current) : NULL;
        if ((current && !sv->current) || nd_ws_set_current_model(ex->ws, it->model) != 0)
            return nd_error_fail(err, ND_ENOMEM, "out of memory binding the sliders");
        sv->current_set = 1;
    }
    for (; sv->done < it->n; sv->done++) {
        size_t k = sv->done;
        const nd_slider *s = &it->sliders[k];
        if (it->is_par[k]) {
            sv->par[k] = nd_model_pars(m)[nd_model_index(m, ND_MODEL_PAR, s->name)];
            nd_status st = nd_model_set_par(m, s->name, s->value, err);
            if (st != ND_OK) return st;
            continue;
        }
        nd_value *v = nd_value_number(s->value);
        if (!v) return nd_error_fail(err, ND_ENOMEM, "out of memory binding the sliders");
        nd_value *old = nd_ws_get(ex->ws, s->name);
        sv->val[k] = old ? nd_value_ref(old) : NULL;
        int rc = nd_ws_set(ex->ws, s->name, v);
        nd_value_unref(v);
        if (rc != 0) {
            nd_value_unref(sv->val[k]);
            return nd_error_fail(err, ND_ENOMEM, "out of memory binding the sliders");
        }
    }
    return ND_OK;
}

/* Puts back what bind() changed (in reverse, so a name given twice ends as it began). */
static void restore(const nd_exec *ex, const nd_interact *it, nd_model *m, saved *sv)
{
    for (size_t k = sv->done; k-- > 0;) {
        const char *name = it->sliders[k].name;
        if (it->is_par[k]) {
            nd_model_set_par(m, name, sv->par[k], NULL);
        } else if (sv->val[k]) {
            nd_ws_set(ex->ws, name, sv->val[k]);   /* replaces a binding: cannot fail */
            nd_value_unref(sv->val[k]);
        } else {
            nd_ws_del(ex->ws, name);
        }
    }
    if (sv->current_set) nd_ws_set_current_model(ex->ws, sv->current);
    free(sv->current);
}

nd_status nd_interact_run(const nd_exec *ex, nd_interact *it, nd_interact_outputs *out,
                          nd_error *err)
{
    nd_model *m;
    nd_status st = find_model(ex, it, &m, err);
    if (st != ND_OK) return st;
    saved sv = {malloc(it->n * sizeof *sv.par), calloc(it->n, sizeof *sv.val), 0, NULL, 0};
    if (!sv.par || !sv.val) {
        free(sv.par);
        free(sv.val);
        return nd_error_fail(err, ND_ENOMEM, "out of memory binding the sliders");
    }
    st = bind(ex, it, m, &sv, err);
    if (st == ND_OK) {
        nd_sink capture = {out, cap_stream, cap_display, cap_result, cap_clear, cap_result, NULL,
                           NULL};
        nd_output o;
        nd_output_init(&o, &capture);
        /* depth 1: the block runs as a block, and an interact inside it is refused */
        nd_exec sub = {ex->ws, ex->registry, ex->interrupt, &o, ex->depth + 1, NULL};
        st = nd_exec_program(&sub, it->prog, 0, err);
        nd_output_flush(&o);
        if (st == ND_OK && out->oom)
            st = nd_error_fail(err, ND_ENOMEM, "out of memory keeping the block's output");
    }
    restore(ex, it, m, &sv);
    free(sv.par);
    free(sv.val);
    return st;
}

/* ---- showing a run ---- */

/* The JSON of slider k of it. */
static json_t *slider_json(const nd_interact *it, size_t k)
{
    const nd_slider *s = &it->sliders[k];
    json_t *o = json_object();
    if (o && !(nd_json_put(o, "name", nd_json_utf8(s->name)) ||
               nd_json_put(o, "value", nd_json_real(s->value)) ||
               nd_json_put(o, "lo", nd_json_real(s->lo)) ||
               nd_json_put(o, "hi", nd_json_real(s->hi)) ||
               nd_json_put(o, "step", nd_json_real(s->step)) ||
               nd_json_put(o, "binds", nd_json_utf8(it->is_par[k] ? "parameter" : "name"))))
        return o;
    json_decref(o);
    return NULL;
}

/* "interact: I = 12.5 (0 … 20), gK = 36.0 (20 … 40)" with the values as JSON. */
static nd_bundle *heading(const nd_interact *it)
{
    nd_sb plain, html;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_puts(&plain, "interact: ");
    json_t *json = json_object(), *list = json_array();
    int rc = !json || nd_json_put(json, "type", json_string("interact"));
    rc |= nd_json_put(json, "sliders", list);   /* list taken over even on failure */
    for (size_t k = 0; k < it->n; k++) {
        const nd_slider *s = &it->sliders[k];
        nd_sb_printf(&plain, "%s%s = %.*f (%g \u2026 %g)", k ? ", " : "", s->name, s->decimals,
                     s->value, s->lo, s->hi);
        rc = rc || nd_json_push(list, slider_json(it, k));
    }
    rc = rc || (it->model && nd_json_put(json, "model", nd_json_utf8(it->model)));
    if (rc) plain.oom = 1;
    nd_sb_puts(&html, "<p class=\"nd-interact\"><i>");
    nd_html_escape(&html, nd_sb_str(&plain));
    nd_sb_puts(&html, "</i></p>");
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), nd_json_dump(json));
}

/* The outputs from first on, as one text display (what does not fit the slots). */
static nd_bundle *folded(nd_bundle *const *items, size_t n)
{
    nd_sb sb;
    nd_sb_init(&sb);
    for (size_t i = 0; i < n; i++) {
        const char *text = nd_bundle_get(items[i], "text/plain");
        nd_sb_printf(&sb, "%s%s", i ? "\n" : "", text ? text : "");
    }
    nd_bundle *b = sb.oom ? NULL : text_bundle(nd_sb_str(&sb));
    nd_sb_free(&sb);
    return b;
}

/* A key for the display ids that a restarted kernel (which counts ids from 1 again) does
   not repeat while the same page is open. */
static void make_key(nd_interact *it)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(it->key, sizeof it->key, "%lx%lx-%d", (unsigned long)getpid(),
             (unsigned long)ts.tv_sec * 1000000UL + (unsigned long)(ts.tv_nsec / 1000), it->id);
}

static void emit(const nd_sink *sink, const nd_interact *it, size_t slot, const nd_bundle *b,
                 int update)
{
    char id[112];
    snprintf(id, sizeof id, "nd-interact-%s-%zu", it->key, slot);
    if (b) sink->display(sink->ctx, b, id, update);
}

void nd_interact_show(const nd_sink *sink, nd_interact *it, const nd_interact_outputs *out,
                      int update)
{
    if (!update) {
        make_key(it);
        it->nslots = 1 + (out->n ? out->n : 1);   /* a later run may show what this one did not */
    }
    nd_bundle *head = heading(it);
    emit(sink, it, 0, head, update);
    nd_bundle_free(head);
    size_t room = it->nslots - 1;
    for (size_t i = 0; i < room; i++) {
        nd_bundle *own = NULL;
        const nd_bundle *b = i < out->n ? out->items[i] : NULL;
        if (i + 1 == room && out->n > room) b = own = folded(out->items + i, out->n - i);
        else if (!b) b = own = text_bundle("");   /* this run showed less: blank the rest */
        emit(sink, it, 1 + i, b, update);
        nd_bundle_free(own);
    }
}

/* ---- a slider moved ---- */

/* An error of a re-run, shown where the block's output was. The error is located in the
   interact's cell, which is gone; the block's text at its old place stands in for it. */
static nd_bundle *error_bundle(const nd_interact *it, const nd_error *err)
{
    nd_sb cell;
    nd_sb_init(&cell);
    nd_sb_repeat(&cell, '\n', (size_t)(it->line - 1));
    nd_sb_repeat(&cell, ' ', (size_t)(it->col - 1));
    nd_sb_puts(&cell, it->src);
    char *tb = cell.oom ? NULL : nd_error_traceback(err, nd_sb_str(&cell));
    char *evalue = cell.oom ? NULL : nd_error_value(err, nd_sb_str(&cell));
    nd_sb_free(&cell);
    nd_sb html;
    nd_sb_init(&html);
    nd_sb_puts(&html, "<pre class=\"nd-error\">");
    nd_html_escape(&html, tb ? tb : err->msg);
    nd_sb_puts(&html, "</pre>");
    json_t *json = json_object();
    if (json && (nd_json_put(json, "type", json_string("error")) ||
                 nd_json_put(json, "ename", nd_json_utf8(nd_status_name(err->code))) ||
                 nd_json_put(json, "evalue", nd_json_utf8(evalue ? evalue : err->msg)))) {
        json_decref(json);
        json = NULL;
    }
    free(evalue);
    return nd_bundle_take3(tb ? tb : strdup(err->msg), nd_sb_take(&html), nd_json_dump(json));
}

nd_status nd_interact_move(const nd_exec *ex, int id, size_t k, double value, int quick,
                           const nd_sink *sink, double *applied, nd_error *err)
{
    nd_interact *it = nd_ws_interact(ex->ws, id);
    if (!it)
        return nd_error_fail(err, ND_ENAME, "there is no interact %d (forgotten, or never "
                             "made); run its cell again", id);
    if (k >= it->n)
        return nd_error_fail(err, ND_EVALUE, "interact %d has %zu slider%s, not %zu", id,
                             it->n, it->n == 1 ? "" : "s", k + 1);
    if (!isfinite(value))
        return nd_error_fail(err, ND_EVALUE, "a slider value must be a finite number");
    nd_slider *s = &it->sliders[k];
    s->value = fmin(fmax(value, s->lo), s->hi);
    if (applied) *applied = s->value;
    nd_interact_outputs out = {0};
    int was = nd_fig_draft(quick);
    nd_status st = nd_interact_run(ex, it, &out, err);
    nd_fig_draft(was);
    if (st != ND_OK) push(&out, error_bundle(it, err));
    nd_interact_show(sink, it, &out, 1);
    nd_interact_outputs_clear(&out);
    return st;
}
