/* Values are shared between the workspace and expressions by reference counting; they
   never change after construction, so sharing is always safe. */
#include "value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/numfmt.h"
#include "../base/textfmt.h"


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

void nd_value_to_text(const nd_value *v, int quote, nd_sb *sb)
{
    char num[ND_NUMFMT_CAP];
    switch (v->kind) {
    case ND_VAL_NONE:   nd_sb_puts(sb, "none"); break;
    case ND_VAL_NUMBER: nd_sb_puts(sb, nd_numfmt(v->as.num, num)); break;
    case ND_VAL_BOOL:   nd_sb_puts(sb, v->as.truth ? "true" : "false"); break;
    case ND_VAL_STRING:
        if (quote) nd_json_string(sb, v->as.str);
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
    }
}

void nd_value_to_json(const nd_value *v, nd_sb *sb)
{
    nd_sb_puts(sb, "{\"type\":");
    nd_json_string(sb, nd_value_type_name(v));
    switch (v->kind) {
    case ND_VAL_NONE: break;
    case ND_VAL_NUMBER:
        nd_sb_puts(sb, ",\"value\":");
        nd_json_number(sb, v->as.num);
        break;
    case ND_VAL_BOOL:
        nd_sb_puts(sb, v->as.truth ? ",\"value\":true" : ",\"value\":false");
        break;
    case ND_VAL_STRING:
        nd_sb_puts(sb, ",\"value\":");
        nd_json_string(sb, v->as.str);
        break;
    case ND_VAL_RANGE:
        nd_sb_puts(sb, ",\"lo\":");
        nd_json_number(sb, v->as.range.lo);
        nd_sb_puts(sb, ",\"hi\":");
        nd_json_number(sb, v->as.range.hi);
        break;
    case ND_VAL_LIST:
        nd_sb_puts(sb, ",\"items\":[");
        for (size_t i = 0; i < v->as.list.n; i++) {
            if (i) nd_sb_putc(sb, ',');
            nd_value_to_json(v->as.list.items[i], sb);
        }
        nd_sb_putc(sb, ']');
        break;
    case ND_VAL_OBJECT: {
        nd_sb text;
        nd_sb_init(&text);
        put_object_summary(v, &text);
        nd_sb_puts(sb, ",\"summary\":");
        nd_json_string(sb, nd_sb_str(&text));
        if (text.oom) sb->oom = 1;
        nd_sb_free(&text);
        break;
    }
    }
    nd_sb_putc(sb, '}');
}

char *nd_value_summary(const nd_value *v)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_value_to_text(v, 1, &sb);
    /* A table cell must stay one line. */
    for (size_t i = 0; i < sb.len; i++)
        if (sb.data[i] == '\n') sb.data[i] = ' ';
    if (sb.len > 80 && v->kind != ND_VAL_OBJECT) {
        sb.len = 77;
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
        nd_sb_init(&sb);
        nd_value_to_json(v, &sb);
        char *json = nd_sb_take(&sb);
        rc |= json ? nd_bundle_set(b, ND_MIME_JSON, json) : -1;
        free(json);
    }
    return rc;
}

nd_bundle *nd_value_to_bundle(const nd_value *v)
{
    nd_bundle *b = NULL;
    if (v->kind == ND_VAL_OBJECT && v->as.obj.type->to_bundle)
        b = v->as.obj.type->to_bundle(v->as.obj.data);
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
    }
    return 0;
}
