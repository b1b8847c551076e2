/* Values are shared between the workspace and expressions by reference counting; they
   never change after construction, so sharing is always safe. */
#include "value.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/numfmt.h"
#include "../base/table.h"
#include "../base/textfmt.h"

/* A vector's text shows this many numbers, then how many there are. */
enum { VECTOR_SHOWN = 8 };


static nd_value *alloc(nd_value_kind kind)
{
    nd_value *v = calloc(1, sizeof *v);
    if (v) {
        v->kind = kind;
        v->refs = 1;
    }
    return v;
}

nd_value *nd_value_none(void) { return alloc(ND_VAL_NONE); }

nd_value *nd_value_number(double x)
{
    nd_value *v = alloc(ND_VAL_NUMBER);
    if (v) v->as.num = x;
    return v;
}

nd_value *nd_value_bool(int b)
{
    nd_value *v = alloc(ND_VAL_BOOL);
    if (v) v->as.truth = b != 0;
    return v;
}

nd_value *nd_value_string(const char *s)
{
    char *copy = strdup(s);
    nd_value *v = copy ? alloc(ND_VAL_STRING) : NULL;
    if (!v) {
        free(copy);
        return NULL;
    }
    v->as.str = copy;
    return v;
}

nd_value *nd_value_range(double lo, double hi)
{
    nd_value *v = alloc(ND_VAL_RANGE);
    if (v) {
        v->as.range.lo = lo;
        v->as.range.hi = hi;
    }
    return v;
}

nd_value *nd_value_list(nd_value **items, size_t n)
{
    nd_value *v = alloc(ND_VAL_LIST);
    nd_value **copy = n ? malloc(n * sizeof *copy) : NULL;
    if (!v || (n && !copy)) {
        for (size_t i = 0; i < n; i++) nd_value_unref(items[i]);
        free(v);
        free(copy);
        return NULL;
    }
    if (n) memcpy(copy, items, n * sizeof *copy);
    v->as.list.items = copy;
    v->as.list.n = n;
    return v;
}

nd_value *nd_value_object(const nd_object_type *type, void *data)
{
    nd_value *v = alloc(ND_VAL_OBJECT);
    if (!v) {
        type->free(data);
        return NULL;
    }
    v->as.obj.type = type;
    v->as.obj.data = data;
    return v;
}

nd_value *nd_value_vector_alloc(size_t n)
{
    nd_value *v = n < SIZE_MAX / sizeof(double) ? alloc(ND_VAL_VECTOR) : NULL;
    double *x = v ? malloc((n ? n : 1) * sizeof *x) : NULL;
    if (!x) {
        free(v);
        return NULL;
    }
    v->as.vec.x = x;
    v->as.vec.n = n;
    return v;
}

nd_value *nd_value_vector(const double *x, size_t n)
{
    nd_value *v = nd_value_vector_alloc(n);
    if (v && n) memcpy(v->as.vec.x, x, n * sizeof *x);
    return v;
}

nd_value *nd_value_record(const char *type, nd_bundle *view)
{
    nd_value *v = alloc(ND_VAL_RECORD);
    char *t = strdup(type);
    if (!v || !t) {
        free(v);
        free(t);
        nd_bundle_free(view);
        return NULL;
    }
    v->as.rec.type = t;
    v->as.rec.view = view;
    return v;
}

int nd_record_add(nd_value *r, const char *name, nd_value *v)
{
    if (!v) return -1;
    if (nd_record_get(r, name)) {   /* the first of a name stays (a state called `type`) */
        nd_value_unref(v);
        return 0;
    }
    if (r->as.rec.n == r->as.rec.cap) {
        size_t cap = r->as.rec.cap ? 2 * r->as.rec.cap : 8;
        char **names = realloc(r->as.rec.names, cap * sizeof *names);
        if (names) r->as.rec.names = names;
        nd_value **items = names ? realloc(r->as.rec.items, cap * sizeof *items) : NULL;
        if (items) r->as.rec.items = items;
        if (!items) {
            nd_value_unref(v);
            return -1;
        }
        r->as.rec.cap = cap;
    }
    char *copy = strdup(name);
    if (!copy) {
        nd_value_unref(v);
        return -1;
    }
    r->as.rec.names[r->as.rec.n] = copy;
    r->as.rec.items[r->as.rec.n++] = v;
    return 0;
}

nd_value *nd_record_get(const nd_value *r, const char *name)
{
    if (r->kind != ND_VAL_RECORD) return NULL;
    for (size_t i = 0; i < r->as.rec.n; i++)
        if (strcmp(r->as.rec.names[i], name) == 0) return r->as.rec.items[i];
    return NULL;
}

const char *nd_value_field_name(const nd_value *v, size_t i)
{
    if (v->kind == ND_VAL_RECORD) return i < v->as.rec.n ? v->as.rec.names[i] : NULL;
    if (v->kind == ND_VAL_OBJECT && v->as.obj.type->field_name)
        return v->as.obj.type->field_name(v->as.obj.data, i);
    return NULL;
}

int nd_value_field(const nd_value *v, const char *name, nd_value **out)
{
    *out = NULL;
    if (v->kind == ND_VAL_RECORD) {
        nd_value *f = nd_record_get(v, name);
        if (f) *out = nd_value_ref(f);
        return f != NULL;
    }
    if (v->kind == ND_VAL_OBJECT && v->as.obj.type->field)
        return v->as.obj.type->field(v->as.obj.data, name, out);
    return 0;
}

nd_value *nd_value_ref(nd_value *v)
{
    v->refs++;
    return v;
}

void nd_value_unref(nd_value *v)
{
    if (!v || --v->refs > 0) return;
    switch (v->kind) {
    case ND_VAL_STRING: free(v->as.str); break;
    case ND_VAL_LIST:
        for (size_t i = 0; i < v->as.list.n; i++) nd_value_unref(v->as.list.items[i]);
        free(v->as.list.items);
        break;
    case ND_VAL_OBJECT: v->as.obj.type->free(v->as.obj.data); break;
    case ND_VAL_VECTOR: free(v->as.vec.x); break;
    case ND_VAL_RECORD:
        for (size_t i = 0; i < v->as.rec.n; i++) {
            free(v->as.rec.names[i]);
            nd_value_unref(v->as.rec.items[i]);
        }
        free(v->as.rec.names);
        free(v->as.rec.items);
        free(v->as.rec.type);
        nd_bundle_free(v->as.rec.view);
        break;
    default: break;
    }
    free(v);
}

const char *nd_value_type_name(const nd_value *v)
{
    switch (v->kind) {
    case ND_VAL_NONE:   return "none";
    case ND_VAL_NUMBER: return "number";
    case ND_VAL_BOOL:   return "bool";
    case ND_VAL_STRING: return "string";
    case ND_VAL_RANGE:  return "range";
    case ND_VAL_LIST:   return "list";
    case ND_VAL_OBJECT: return v->as.obj.type->type_name;
    case ND_VAL_VECTOR: return "vector";
    case ND_VAL_RECORD: return v->as.rec.type;
    }
    return "?";
}

const char *nd_value_a_type(const nd_value *v, char *buf, size_t cap)
{
    const char *t = nd_value_type_name(v);
    snprintf(buf, cap, "%s %s", strchr("aeiou", t[0]) ? "an" : "a", t);
    return buf;
}

static void put_object_summary(const nd_value *v, nd_sb *sb)
{
    char *s = v->as.obj.type->summary(v->as.obj.data);
    if (s && *s) nd_sb_puts(sb, s);
    else nd_sb_printf(sb, "<%s>", v->as.obj.type->type_name);
    free(s);
}

static void put_vector(const nd_value *v, nd_sb *sb)
{
    char num[ND_NUMFMT_CAP];
    size_t n = v->as.vec.n, shown = n <= VECTOR_SHOWN + 2 ? n : VECTOR_SHOWN;
    nd_sb_putc(sb, '[');
    for (size_t i = 0; i < shown; i++)
        nd_sb_printf(sb, "%s%s", i ? ", " : "", nd_numfmt(v->as.vec.x[i], num));
    if (shown < n) nd_sb_printf(sb, ", … (%zu numbers)", n);
    nd_sb_putc(sb, ']');
}

/* A record's text is its view's, or its fields one per line. */
static void put_record(const nd_value *v, nd_sb *sb)
{
    const char *plain = v->as.rec.view ? nd_bundle_get(v->as.rec.view, "text/plain") : NULL;
    if (plain && *plain) {
        size_t len = strlen(plain);
        while (len && plain[len - 1] == '\n') len--;
        nd_sb_printf(sb, "%.*s", (int)len, plain);
        return;
    }
    nd_sb_printf(sb, "%s:", v->as.rec.type);
    for (size_t i = 0; i < v->as.rec.n; i++) {
        nd_sb_printf(sb, "%s%s = ", i ? ", " : " ", v->as.rec.names[i]);
        nd_value_to_text(v->as.rec.items[i], 1, sb);
    }
}

/* Appends s quoted and escaped as a JSON string literal ("hi\n\"q\""). */
static void put_quoted(nd_sb *sb, const char *s)
{
    json_t *j = nd_json_utf8(s);
    char *q = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    if (q) nd_sb_puts(sb, q);
    else sb->oom = 1;
    free(q);
    json_decref(j);
}

void nd_value_to_text(const nd_value *v, int quote, nd_sb *sb)
{
    char num[ND_NUMFMT_CAP];
    switch (v->kind) {
    case ND_VAL_NONE:   nd_sb_puts(sb, "none"); break;
    case ND_VAL_NUMBER: nd_sb_puts(sb, nd_numfmt(v->as.num, num)); break;
    case ND_VAL_BOOL:   nd_sb_puts(sb, v->as.truth ? "true" : "false"); break;
    case ND_VAL_STRING:
        if (quote) put_quoted(sb, v->as.str);
        else nd_sb_puts(sb, v->as.str);
        break;
    case ND_VAL_RANGE:
        nd_sb_puts(sb, nd_numfmt(v->as.range.lo, num));
        nd_sb_puts(sb, "..");
        nd_sb_puts(sb, nd_numfmt(v->as.range.hi, num));
        break;
    case ND_VAL_LIST:
        nd_sb_putc(sb, '[');
        for (size_t i = 0; i < v->as.list.n; i++) {
            if (i) nd_sb_puts(sb, ", ");
            nd_value_to_text(v->as.list.items[i], 1, sb);
        }
        nd_sb_putc(sb, ']');
        break;
    case ND_VAL_OBJECT: put_object_summary(v, sb); break;
    case ND_VAL_VECTOR: put_vector(v, sb); break;
    case ND_VAL_RECORD: put_record(v, sb); break;
    }
}

/* Sets obj[key] to the JSON of each of the n values, as a list or (names given) an
   object; -1 on ENOMEM. */
static int put_values(json_t *obj, const char *key, nd_value *const *items,
                      char *const *names, size_t n)
{
    json_t *c = names ? json_object() : json_array();
    int rc = nd_json_put(obj, key, c);
    for (size_t i = 0; !rc && i < n; i++)
        rc = names ? nd_json_put(c, names[i], nd_value_json(items[i]))
                   : nd_json_push(c, nd_value_json(items[i]));
    return rc;
}

json_t *nd_value_json(const nd_value *v)
{
    json_t *j = json_object();
    int rc = !j || nd_json_put(j, "type", nd_json_utf8(nd_value_type_name(v)));
    nd_sb text;
    switch (rc ? ND_VAL_NONE : v->kind) {
    case ND_VAL_NONE: break;
    case ND_VAL_NUMBER: rc = nd_json_put(j, "value", nd_json_real(v->as.num)); break;
    case ND_VAL_BOOL: rc = nd_json_put(j, "value", json_boolean(v->as.truth)); break;
    case ND_VAL_STRING: rc = nd_json_put(j, "value", nd_json_utf8(v->as.str)); break;
    case ND_VAL_RANGE:
        rc = nd_json_put(j, "lo", nd_json_real(v->as.range.lo)) ||
             nd_json_put(j, "hi", nd_json_real(v->as.range.hi));
        break;
    case ND_VAL_LIST: rc = put_values(j, "items", v->as.list.items, NULL, v->as.list.n); break;
    case ND_VAL_OBJECT:
        nd_sb_init(&text);
        put_object_summary(v, &text);
        rc = text.oom || nd_json_put(j, "summary", nd_json_utf8(nd_sb_str(&text)));
        nd_sb_free(&text);
        break;
    case ND_VAL_VECTOR: rc = nd_json_put(j, "values", nd_json_reals(v->as.vec.x, v->as.vec.n)); break;
    case ND_VAL_RECORD:
        rc = put_values(j, "fields", v->as.rec.items, v->as.rec.names, v->as.rec.n);
        break;
    }
    if (!rc) return j;
    json_decref(j);
    return NULL;
}

char *nd_value_summary(const nd_value *v)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_value_to_text(v, 1, &sb);
    /* A table cell must stay one line: a record shown as a table gives its heading. */
    char *nl = sb.data ? memchr(sb.data, '\n', sb.len) : NULL;
    if (nl && v->kind == ND_VAL_RECORD) sb.len = (size_t)(nl - sb.data);
    for (size_t i = 0; i < sb.len; i++)
        if (sb.data[i] == '\n') sb.data[i] = ' ';
    if (sb.len > 80 && v->kind != ND_VAL_OBJECT) {
        sb.len = 77;
        while (sb.len > 0 && ((unsigned char)sb.data[sb.len] & 0xC0) == 0x80) sb.len--;
        nd_sb_puts(&sb, "...");
    }
    return nd_sb_take(&sb);
}

/* Fills in whatever an object's own rendering left out, so every bundle is complete. */
static int complete_bundle(nd_bundle *b, const nd_value *v)
{
    nd_sb sb;
    int rc = 0;
    const char *plain = nd_bundle_get(b, "text/plain");
    if (!plain || !*plain) {
        nd_sb_init(&sb);
        nd_value_to_text(v, 1, &sb);
        char *text = nd_sb_take(&sb);
        rc |= text ? nd_bundle_set(b, "text/plain", *text ? text : "(empty)") : -1;
        free(text);
    }
    if (!nd_bundle_get(b, ND_MIME_JSON)) {
        char *json = nd_json_dump(nd_value_json(v));
        rc |= json ? nd_bundle_set(b, ND_MIME_JSON, json) : -1;
        free(json);
    }
    return rc;
}

/* A record without a view of its own: its fields as a table. */
static nd_bundle *record_table(const nd_value *v)
{
    static const char *const headers[] = {"field", "value"};
    nd_table *t = nd_table_create(2, headers);
    int ok = t != NULL;
    for (size_t i = 0; ok && i < v->as.rec.n; i++) {
        char *text = nd_value_summary(v->as.rec.items[i]);
        const char *row[] = {v->as.rec.names[i], text ? text : ""};
        ok = text && nd_table_add_row(t, row) == 0;
        free(text);
    }
    nd_sb plain, html;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    if (ok) {
        nd_sb_printf(&plain, "%s\n", v->as.rec.type);
        nd_table_text(t, &plain);
        nd_table_html(t, &html);
    }
    nd_table_free(t);
    nd_bundle *b = ok ? nd_bundle_create() : NULL;
    if (b && (nd_bundle_set(b, "text/plain", nd_sb_str(&plain)) != 0 ||
              nd_bundle_set(b, "text/html", nd_sb_str(&html)) != 0 || plain.oom || html.oom)) {
        nd_bundle_free(b);
        b = NULL;
    }
    nd_sb_free(&plain);
    nd_sb_free(&html);
    return b;
}

nd_bundle *nd_value_to_bundle(const nd_value *v)
{
    nd_bundle *b = NULL;
    if (v->kind == ND_VAL_OBJECT && v->as.obj.type->to_bundle)
        b = v->as.obj.type->to_bundle(v->as.obj.data);
    if (v->kind == ND_VAL_RECORD)
        b = v->as.rec.view ? nd_bundle_copy(v->as.rec.view) : record_table(v);
    if (!b) b = nd_bundle_create();
    if (b && complete_bundle(b, v) != 0) {
        nd_bundle_free(b);
        b = NULL;
    }
    return b;
}

int nd_value_equal(const nd_value *a, const nd_value *b)
{
    if (a->kind != b->kind) return 0;
    switch (a->kind) {
    case ND_VAL_NONE:   return 1;
    case ND_VAL_NUMBER: return a->as.num == b->as.num;
    case ND_VAL_BOOL:   return a->as.truth == b->as.truth;
    case ND_VAL_STRING: return strcmp(a->as.str, b->as.str) == 0;
    case ND_VAL_RANGE:
        return a->as.range.lo == b->as.range.lo && a->as.range.hi == b->as.range.hi;
    case ND_VAL_LIST:
        if (a->as.list.n != b->as.list.n) return 0;
        for (size_t i = 0; i < a->as.list.n; i++)
            if (!nd_value_equal(a->as.list.items[i], b->as.list.items[i])) return 0;
        return 1;
    case ND_VAL_OBJECT: return a->as.obj.data == b->as.obj.data;
    case ND_VAL_VECTOR:
        return a->as.vec.n == b->as.vec.n &&
               (a->as.vec.n == 0 || memcmp(a->as.vec.x, b->as.vec.x, a->as.vec.n * sizeof(double)) == 0);
    case ND_VAL_RECORD: return a == b;
    }
    return 0;
}
