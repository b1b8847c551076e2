/* Workspace names never hold a dot, so in "a.b.c" the bound prefix is found first and
   every later part is a field; the search still tries the longest prefix first so that
   the rule stays right if dotted bindings ever appear. */
#include "fields.h"

#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/strbuf.h"
#include "../base/suggest.h"
#include "../base/table.h"
#include "../base/textfmt.h"

/* A NameError message lists at most this many fields. */
enum { LISTED = 12 };

nd_status nd_fields_get(const nd_value *v, const char *what, const char *name, int line,
                        int col, int span, nd_value **out, nd_error *err)
{
    int r = nd_value_field(v, name, out);
    if (r > 0) return ND_OK;
    if (r < 0) return nd_error_fail(err, ND_ENOMEM, "out of memory while reading a field");
    char t[64];
    nd_value_a_type(v, t, sizeof t);
    if (!nd_value_field_name(v, 0))
        return nd_error_set(err, ND_ENAME, line, col, span, "%s is %s, which has no fields "
                            "(no '%s')", what, t, name);
    nd_suggest s;
    nd_suggest_init(&s, name);
    nd_sb list;
    nd_sb_init(&list);
    const char *f;
    for (size_t i = 0; (f = nd_value_field_name(v, i)); i++) {
        nd_suggest_offer(&s, f);
        if (i < LISTED) nd_sb_printf(&list, "%s%s", i ? ", " : "", f);
        else if (i == LISTED) nd_sb_puts(&list, ", …");
    }
    const char *best = nd_suggest_best(&s);
    nd_status st;
    if (best)
        st = nd_error_set(err, ND_ENAME, line, col, span, "%s (%s) has no field '%s'; did "
                          "you mean '%s'? (fields: %s)", what, t, name, best, nd_sb_str(&list));
    else
        st = nd_error_set(err, ND_ENAME, line, col, span, "%s (%s) has no field '%s' "
                          "(fields: %s)", what, t, name, nd_sb_str(&list));
    nd_sb_free(&list);
    return st;
}

nd_status nd_fields_resolve(const nd_ws *ws, const char *dotted, int line, int col,
                            nd_value **out, nd_error *err)
{
    *out = NULL;
    char *buf = strdup(dotted);
    if (!buf) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    size_t len = strlen(buf);
    nd_value *v = NULL;
    /* The longest bound prefix that ends at a dot. */
    for (size_t end = len; end > 0 && !v; end--) {
        if (end < len && dotted[end] != '.') continue;
        buf[end] = '\0';
        if ((v = nd_ws_get(ws, buf))) {
            len = end;
            break;
        }
    }
    if (!v) {
        free(buf);
        return ND_OK;
    }
    nd_value *cur = nd_value_ref(v);
    nd_status st = ND_OK;
    size_t at = len;
    while (st == ND_OK && dotted[at] == '.') {
        size_t start = at + 1, end = start;
        while (dotted[end] && dotted[end] != '.') end++;
        memcpy(buf, dotted, at);   /* what the field is read from, for messages */
        buf[at] = '\0';
        char *name = strndup(dotted + start, end - start);
        nd_value *next = NULL;
        st = name ? nd_fields_get(cur, buf, name, line, col + (int)start, (int)(end - start),
                                  &next, err)
                  : nd_error_fail(err, ND_ENOMEM, "out of memory");
        free(name);
        nd_value_unref(cur);
        cur = next;
        at = end;
    }
    free(buf);
    if (st == ND_OK) *out = cur;
    return st;
}

nd_bundle *nd_fields_bundle(const nd_value *v, const char *what)
{
    static const char *const headers[] = {"field", "type", "summary"};
    nd_table *t = nd_table_create(3, headers);
    nd_sb plain, html;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_printf(&plain, "%s (%s) — fields:\n", what, nd_value_type_name(v));
    nd_sb_puts(&html, "<p><code>");
    nd_html_escape(&html, what);
    nd_sb_puts(&html, "</code> (");
    nd_html_escape(&html, nd_value_type_name(v));
    nd_sb_puts(&html, ") — fields:</p>");
    json_t *json = json_object(), *list = json_array();
    int ok = t && json && !nd_json_put(json, "type", json_string("fields")) &&
             !nd_json_put(json, "of", nd_json_utf8(what)) &&
             !nd_json_put(json, "value_type", nd_json_utf8(nd_value_type_name(v)));
    ok = !nd_json_put(json, "fields", list) && ok;   /* list taken over even on failure */
    const char *f;
    for (size_t i = 0; ok && (f = nd_value_field_name(v, i)); i++) {
        nd_value *x = NULL;
        char *summary = NULL;
        ok = nd_value_field(v, f, &x) > 0 && (summary = nd_value_summary(x)) != NULL;
        const char *row[] = {f, ok ? nd_value_type_name(x) : "", summary ? summary : ""};
        ok = ok && nd_table_add_row(t, row) == 0;
        json_t *o = ok ? json_object() : NULL;
        ok = ok && !nd_json_push(list, o) && !nd_json_put(o, "name", nd_json_utf8(row[0])) &&
             !nd_json_put(o, "type", nd_json_utf8(row[1])) &&
             !nd_json_put(o, "summary", nd_json_utf8(row[2]));
        free(summary);
        nd_value_unref(x);
    }
    if (ok) {
        nd_table_text(t, &plain);
        nd_table_html(t, &html);
    }
    nd_table_free(t);
    if (!ok) plain.oom = 1;
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), nd_json_dump(json));
}
