/* Help is written once, in the command descriptions; this file only lays it out as
   plain text (terminals, pagers) and HTML (notebooks). */
#include "help.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/strbuf.h"
#include "../base/suggest.h"
#include "../base/table.h"
#include "../base/textfmt.h"
#include "../expr/functions.h"
#include "fields.h"
#include "vecops.h"

/* Moves the renderings into a new bundle; NULL if any of them ran out of memory. */
static nd_bundle *make_bundle(nd_sb *plain, nd_sb *html, json_t *json)
{
    return nd_bundle_take3(nd_sb_take(plain), nd_sb_take(html), nd_json_dump(json));
}

static void init2(nd_sb *a, nd_sb *b)
{
    nd_sb_init(a);
    nd_sb_init(b);
}

/* A new object of the string members keys[i] = values[i] (NULL: null), n of them; NULL
   on ENOMEM. */
static json_t *strings_object(const char *const *keys, const char *const *values, size_t n)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < n; i++)
        if (nd_json_put(o, keys[i], values[i] ? nd_json_utf8(values[i]) : json_null())) {
            json_decref(o);
            o = NULL;
        }
    return o;
}

nd_bundle *nd_help_overview(const nd_cmd_registry *reg)
{
    static const char *const headers[] = {"command", "what it does"};
    nd_table *t = nd_table_create(2, headers);
    if (!t) return NULL;
    static const char *const keys[] = {"name", "synopsis"};
    nd_sb plain, html;
    init2(&plain, &html);
    json_t *json = json_object(), *list = json_array();
    if (!json || nd_json_put(json, "type", json_string("commands"))) plain.oom = 1;
    if (nd_json_put(json, "commands", list)) plain.oom = 1;
    for (size_t i = 0; i < nd_cmd_count(reg); i++) {
        const nd_command *c = nd_cmd_at(reg, i);
        const char *row[] = {c->name, c->synopsis};
        if (nd_table_add_row(t, row) != 0) plain.oom = 1;
        if (!plain.oom && nd_json_push(list, strings_object(keys, row, 2))) plain.oom = 1;
    }
    nd_sb_puts(&plain, "Commands (help NAME for details):\n\n");
    nd_table_text(t, &plain);
    nd_table_html(t, &html);
    nd_table_free(t);
    return make_bundle(&plain, &html, json);
}

/* Appends text with each line indented by two spaces. */
static void put_indented(nd_sb *sb, const char *text)
{
    nd_sb_puts(sb, "  ");
    for (const char *p = text; *p; p++) {
        nd_sb_putc(sb, *p);
        if (*p == '\n' && p[1] && p[1] != '\n') nd_sb_puts(sb, "  ");
    }
}

/* Appends prose re-flowed to lines of at most 78 columns, indented by two spaces;
   a blank line separates paragraphs. */
static void put_wrapped(nd_sb *sb, const char *text)
{
    size_t col = 0;
    const char *p = text;
    while (*p) {
        if (p[0] == '\n' && p[1] == '\n') {
            nd_sb_puts(sb, "\n\n");
            col = 0;
            while (*p == '\n') p++;
            continue;
        }
        if (*p == ' ' || *p == '\n') {
            p++;
            continue;
        }
        size_t n = strcspn(p, " \n");
        if (col > 0 && col + 1 + n > 78) {
            nd_sb_putc(sb, '\n');
            col = 0;
        }
        if (col == 0) {
            nd_sb_puts(sb, "  ");
            col = 2;
        } else {
            nd_sb_putc(sb, ' ');
            col++;
        }
        nd_sb_putn(sb, p, n);
        col += nd_utf8_width_n(p, n);
        p += n;
    }
}

/* Appends text as HTML paragraphs (blank lines separate them). */
static void put_paragraphs(nd_sb *sb, const char *text)
{
    nd_sb_puts(sb, "<p>");
    for (const char *p = text; *p; p++) {
        if (p[0] == '\n' && p[1] == '\n') {
            nd_sb_puts(sb, "</p>\n<p>");
            while (p[1] == '\n') p++;
        } else if (*p == '<' || *p == '>' || *p == '&' || *p == '"' || *p == '\'') {
            char one[2] = {*p, '\0'};
            nd_html_escape(sb, one);
        } else {
            nd_sb_putc(sb, *p);
        }
    }
    nd_sb_puts(sb, "</p>\n");
}

static void command_options(const nd_command *cmd, nd_sb *plain, nd_sb *html, json_t *json)
{
    static const char *const headers[] = {"option", "default", "meaning"};
    static const char *const keys[] = {"name", "default", "doc"};
    json_t *list = json_array();
    if (nd_json_put(json, "options", list)) plain->oom = 1;
    if (!cmd->options || !cmd->options->name) return;
    nd_table *t = nd_table_create(3, headers);
    if (!t) {
        plain->oom = 1;
        return;
    }
    for (const nd_option *o = cmd->options; o->name; o++) {
        const char *row[] = {o->name, o->default_text ? o->default_text : "", o->doc};
        const char *member[] = {o->name, o->default_text, o->doc};
        if (nd_table_add_row(t, row) != 0) plain->oom = 1;
        if (!plain->oom && nd_json_push(list, strings_object(keys, member, 3))) plain->oom = 1;
    }
    nd_sb_puts(plain, "\n\nOptions:\n");
    nd_sb text;
    nd_sb_init(&text);
    nd_table_text(t, &text);
    if (text.oom) plain->oom = 1;
    put_indented(plain, nd_sb_str(&text));
    nd_sb_free(&text);
    nd_sb_puts(html, "<h4>Options</h4>\n");
    nd_table_html(t, html);
    nd_sb_putc(html, '\n');
    nd_table_free(t);
}

nd_bundle *nd_help_command(const nd_command *cmd)
{
    static const char *const keys[] = {"type", "kind", "name", "usage", "synopsis"};
    const char *values[] = {"help", "command", cmd->name, cmd->usage, cmd->synopsis};
    nd_sb plain, html;
    init2(&plain, &html);
    json_t *json = strings_object(keys, values, 5);
    if (!json) plain.oom = 1;
    nd_sb_printf(&plain, "%s\n", cmd->usage);
    put_indented(&plain, cmd->synopsis);
    nd_sb_puts(&html, "<div class=\"nd-help\">\n<h3><code>");
    nd_html_escape(&html, cmd->usage);
    nd_sb_puts(&html, "</code></h3>\n<p><b>");
    nd_html_escape(&html, cmd->synopsis);
    nd_sb_puts(&html, "</b></p>\n");
    if (cmd->doc && *cmd->doc) {
        nd_sb_puts(&plain, "\n\n");
        put_wrapped(&plain, cmd->doc);
        put_paragraphs(&html, cmd->doc);
    }
    command_options(cmd, &plain, &html, json);
    if (cmd->examples && *cmd->examples) {
        nd_sb_puts(&plain, "\n\nExamples:\n");
        put_indented(&plain, cmd->examples);
        nd_sb_puts(&html, "<h4>Examples</h4>\n<pre>");
        nd_html_escape(&html, cmd->examples);
        nd_sb_puts(&html, "</pre>\n");
    }
    nd_sb_puts(&html, "</div>");
    return make_bundle(&plain, &html, json);
}

/* A short help page: a title line and one line of explanation. */
static nd_bundle *short_help(const char *kind, const char *name, const char *title,
                             const char *line)
{
    static const char *const keys[] = {"type", "kind", "name", "summary"};
    const char *values[] = {"help", kind, name, line};
    nd_sb plain, html;
    init2(&plain, &html);
    nd_sb_printf(&plain, "%s\n  %s", title, line);
    nd_sb_puts(&html, "<div class=\"nd-help\">\n<p><code>");
    nd_html_escape(&html, title);
    nd_sb_puts(&html, "</code></p>\n<p>");
    nd_html_escape(&html, line);
    nd_sb_puts(&html, "</p>\n</div>");
    return make_bundle(&plain, &html, strings_object(keys, values, 4));
}

static nd_bundle *value_help(const char *name, const nd_value *v)
{
    char *summary = nd_value_summary(v);
    if (!summary) return NULL;
    if (nd_value_field_name(v, 0)) {
        /* What can be read from it by dot, so fields are found from help too. */
        nd_sb with;
        nd_sb_init(&with);
        nd_sb_printf(&with, "%s\nfields:", summary);
        const char *f;
        for (size_t i = 0; (f = nd_value_field_name(v, i)); i++)
            nd_sb_printf(&with, "%s %s.%s", i ? "," : "", name, f);
        free(summary);
        if (!(summary = nd_sb_take(&with))) return NULL;
    }
    nd_sb title;
    nd_sb_init(&title);
    nd_sb_printf(&title, "%s: %s (workspace)", name, nd_value_type_name(v));
    char *t = nd_sb_take(&title);
    nd_bundle *b = t ? short_help("value", name, t, summary) : NULL;
    free(t);
    free(summary);
    return b;
}

static nd_bundle *option_help(const nd_command *cmd, const nd_option *o)
{
    nd_sb title, line;
    nd_sb_init(&title);
    nd_sb_init(&line);
    nd_sb_printf(&title, "%s option of '%s'", o->name, cmd->name);
    nd_sb_puts(&line, o->doc);
    if (o->default_text) nd_sb_printf(&line, " (default: %s)", o->default_text);
    char *t = nd_sb_take(&title), *l = nd_sb_take(&line);
    nd_bundle *b = t && l ? short_help("option", o->name, t, l) : NULL;
    free(t);
    free(l);
    return b;
}

nd_bundle *nd_help_topic_in(const nd_cmd_registry *reg, const nd_ws *ws, const char *name,
                            const nd_command *cmd)
{
    const nd_option *o = cmd ? nd_cmd_option(cmd, name) : NULL;
    if (o) return option_help(cmd, o);
    return nd_help_topic(reg, ws, name);
}

nd_bundle *nd_help_topic(const nd_cmd_registry *reg, const nd_ws *ws, const char *name)
{
    const nd_command *cmd = nd_cmd_find(reg, name);
    if (cmd) return nd_help_command(cmd);
    const nd_value *v = nd_ws_get(ws, name);
    if (v) return value_help(name, v);
    nd_value *field = NULL;
    nd_error ignored;
    if (strchr(name, '.') && nd_fields_resolve(ws, name, 0, 0, &field, &ignored) == ND_OK &&
        field) {
        nd_bundle *b = value_help(name, field);   /* sim.V?: what that field holds */
        nd_value_unref(field);
        return b;
    }
    const char *reduction = nd_reduce_doc(name);
    if (reduction) {
        char signature[32];
        snprintf(signature, sizeof signature, "%s(x)", name);
        return short_help("function", name, signature, reduction);
    }
    const nd_func *f = nd_func_find(name);
    if (f) return short_help("function", name, f->signature, f->doc);
    double x;
    if (nd_const_find(name, &x)) return short_help("constant", name, name, "a numeric constant");
    return NULL;
}

nd_status nd_help_unknown(const nd_cmd_registry *reg, const nd_ws *ws, const char *name,
                          int line, int col, int span, nd_error *err)
{
    nd_suggest s;
    nd_suggest_init(&s, name);
    for (size_t i = 0; i < nd_cmd_count(reg); i++) nd_suggest_offer(&s, nd_cmd_at(reg, i)->name);
    for (size_t i = 0; i < nd_ws_count(ws); i++) nd_suggest_offer(&s, nd_ws_name(ws, i));
    for (size_t i = 0; i < nd_func_count(); i++) nd_suggest_offer(&s, nd_func_at(i)->name);
    const char *best = nd_suggest_best(&s);
    if (best)
        return nd_error_set(err, ND_ENAME, line, col, span,
                            "no help for '%s': it is not a command, function or workspace name; did you mean '%s'?",
                            name, best);
    return nd_error_set(err, ND_ENAME, line, col, span,
                        "no help for '%s': it is not a command, function or workspace name", name);
}

char *nd_help_reference(const nd_cmd_registry *reg)
{
    nd_sb md;
    nd_sb_init(&md);
    nd_sb_puts(&md, "# Command reference\n\n"
                    "Every command of the neurodyn language with its options, defaults and "
                    "examples: exactly the text that `help NAME` (or Shift-Tab on the name) "
                    "shows in the kernel. This file is generated by `neurodyn reference`; a "
                    "test keeps it equal to the kernel's help. How the commands fit together "
                    "is told in language.md and the topic pages (models.md, simulation.md, "
                    "phase.md, bifurcations.md, learning.md, sindy.md); the JSON of every "
                    "result is in json-results.md.\n\n");
    for (size_t i = 0; i < nd_cmd_count(reg); i++) {
        const nd_command *c = nd_cmd_at(reg, i);
        nd_sb_printf(&md, "- [%s](#%s) — %s\n", c->name, c->name, c->synopsis);
    }
    for (size_t i = 0; i < nd_cmd_count(reg); i++) {
        const nd_command *c = nd_cmd_at(reg, i);
        nd_bundle *b = nd_help_command(c);
        const char *text = b ? nd_bundle_get(b, "text/plain") : NULL;
        nd_sb_printf(&md, "\n## %s\n\n```text\n%s%s```\n", c->name, text ? text : "",
                     text && *text && text[strlen(text) - 1] != '\n' ? "\n" : "");
        nd_bundle_free(b);
    }
    return nd_sb_take(&md);
}
