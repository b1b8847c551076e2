/* Turning a statement and its outcome into facts: cheap (no evaluation: option values are
   read from the syntax tree; the result's fields are read only when the mentor asks)
   because it runs after every statement. Memory failures only lose facts, never the
   statement. */
#include "event.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nd_event_init(nd_event *ev)
{
    memset(ev, 0, sizeof *ev);
    nd_mentor_facts_init(&ev->facts);
    nd_mentor_talk_init(&ev->talk);
}

void nd_event_clear(nd_event *ev)
{
    nd_mentor_facts_clear(&ev->facts);
    nd_value_unref(ev->result);
    nd_event_init(ev);
}

/* A literal option value: a number (maybe negated), a word, a string, a range. */
static void add_literal(nd_mentor_facts *f, const char *name, const nd_expr *e)
{
    char sub[160];
    switch (e->kind) {
    case ND_EXPR_NUMBER: nd_mentor_fact_num(f, name, e->num); break;
    case ND_EXPR_NEG:
        if (e->a->kind == ND_EXPR_NUMBER) nd_mentor_fact_num(f, name, -e->a->num);
        break;
    case ND_EXPR_NAME:
    case ND_EXPR_STRING: nd_mentor_fact_str(f, name, e->str); break;
    case ND_EXPR_RANGE:
        snprintf(sub, sizeof sub, "%s.lo", name);
        add_literal(f, sub, e->a);
        snprintf(sub, sizeof sub, "%s.hi", name);
        add_literal(f, sub, e->b);
        break;
    default: break;
    }
}

void nd_event_begin(nd_event *ev, const char *command, const nd_call *call)
{
    nd_mentor_facts_clear(&ev->facts);
    nd_value_unref(ev->result);
    ev->result = NULL;
    nd_mentor_talk_event(&ev->talk);
    nd_mentor_fact_str(&ev->facts, "command", command);
    if (!call) return;
    char name[160];
    size_t pos = 0;
    for (size_t i = 0; i < call->nargs; i++) {
        const nd_arg *a = &call->args[i];
        if (a->key) snprintf(name, sizeof name, "opt.%s", a->key);
        else snprintf(name, sizeof name, "arg.%zu", ++pos);
        add_literal(&ev->facts, name, a->value);
    }
}

static void add_field(nd_mentor_facts *f, const char *name, const nd_value *v, int depth);

/* The fields of r as NAME.FIELD; its numbers also as NAME.min and NAME.max (a per-target
   record of SINDy: nterms.max = 0 means every target lost every term). */
static void add_subfields(nd_mentor_facts *f, const char *name, const nd_value *r, int depth)
{
    double lo = INFINITY, hi = -INFINITY;
    char sub[240];
    for (size_t i = 0; nd_value_field_name(r, i); i++) {
        const char *fn = nd_value_field_name(r, i);
        snprintf(sub, sizeof sub, "%s.%s", name, fn);
        nd_value *x = NULL;
        if (nd_value_field(r, fn, &x) == 1) {
            add_field(f, sub, x, depth + 1);
            if (x->kind == ND_VAL_NUMBER) {
                lo = fmin(lo, x->as.num);
                hi = fmax(hi, x->as.num);
            }
        }
        nd_value_unref(x);
    }
    if (lo > hi) return;
    snprintf(sub, sizeof sub, "%s.min", name);
    nd_mentor_fact_num(f, sub, lo);
    snprintf(sub, sizeof sub, "%s.max", name);
    nd_mentor_fact_num(f, sub, hi);
}

/* One field of a result: numbers, truth values and strings as they are, vectors and lists
   by their length, records (and a list's first item) by their fields, one level deep. */
static void add_field(nd_mentor_facts *f, const char *name, const nd_value *v, int depth)
{
    char sub[160];
    switch (v->kind) {
    case ND_VAL_NUMBER: nd_mentor_fact_num(f, name, v->as.num); break;
    case ND_VAL_BOOL: nd_mentor_fact_num(f, name, v->as.truth); break;
    case ND_VAL_STRING: nd_mentor_fact_str(f, name, v->as.str); break;
    case ND_VAL_VECTOR:
        snprintf(sub, sizeof sub, "%s.n", name);
        nd_mentor_fact_num(f, sub, (double)v->as.vec.n);
        break;
    case ND_VAL_LIST:
        snprintf(sub, sizeof sub, "%s.n", name);
        nd_mentor_fact_num(f, sub, (double)v->as.list.n);
        if (v->as.list.n && depth == 0) {
            snprintf(sub, sizeof sub, "%s.1", name);
            add_subfields(f, sub, v->as.list.items[0], depth);
        }
        break;
    case ND_VAL_RECORD:
        if (depth == 0) add_subfields(f, name, v, depth);
        break;
    default: break;
    }
}

void nd_event_result(nd_event *ev, nd_value *v)
{
    if (!v) return;
    nd_value_unref(ev->result);
    ev->result = nd_value_ref(v);
}

/* v's fields as PREFIX.FIELD (PREFIX NULL: FIELD). */
static void add_fields(nd_mentor_facts *f, const char *prefix, const nd_value *v)
{
    char name[240];
    for (size_t i = 0; nd_value_field_name(v, i); i++) {
        const char *fn = nd_value_field_name(v, i);
        if (prefix) snprintf(name, sizeof name, "%s.%s", prefix, fn);
        else snprintf(name, sizeof name, "%s", fn);
        nd_value *x = NULL;
        if (nd_value_field(v, fn, &x) == 1) add_field(f, name, x, prefix ? 1 : 0);
        nd_value_unref(x);
    }
}

int nd_event_facts(const nd_event *ev, const nd_ws *ws, nd_mentor_facts *out)
{
    const nd_mentor_facts *f = &ev->facts;
    for (size_t i = 0; i < f->n; i++)
        if ((f->v[i].is_num ? nd_mentor_fact_num(out, f->v[i].name, f->v[i].num)
                            : nd_mentor_fact_str(out, f->v[i].name, f->v[i].str)) != 0)
            return -1;
    for (size_t i = 0; i < f->n; i++) {
        const nd_value *named = !f->v[i].is_num && strncmp(f->v[i].name, "arg.", 4) == 0
                                ? nd_ws_get(ws, f->v[i].str) : NULL;
        if (named) add_fields(out, f->v[i].name, named);
    }
    if (ev->result) {
        if (nd_mentor_fact_str(out, "result", nd_value_type_name(ev->result)) != 0) return -1;
        add_fields(out, NULL, ev->result);
    }
    return 0;
}

/* msg.NAME for each "NAME = NUMBER" in the message ("at t = 2.6 (rk4, dt = 0.1)"). */
static void message_numbers(nd_mentor_facts *f, const char *msg)
{
    for (const char *p = strstr(msg, " = "); p; p = strstr(p + 1, " = ")) {
        const char *end = p, *start = p;
        while (start > msg && (isalnum((unsigned char)start[-1]) || start[-1] == '_')) start--;
        char *after;
        double x = strtod(p + 3, &after);
        if (start == end || after == p + 3) continue;
        char name[96];
        snprintf(name, sizeof name, "msg.%.*s", (int)(end - start), start);
        nd_mentor_fact_num(f, name, x);
    }
}

void nd_event_end(nd_event *ev, nd_status st, const nd_error *err)
{
    if (st == ND_OK || !err) return;
    nd_mentor_fact_str(&ev->facts, "error", nd_status_name(st));
    nd_mentor_fact_str(&ev->facts, "message", err->msg);
    message_numbers(&ev->facts, err->msg);
}
