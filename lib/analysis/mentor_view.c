/* How a mentor's answer is shown: text/plain for the notebook, HTML with the same parts,
   and {"type":"mentor", …} (docs/json-results.md) for tools and tests. */
#include "mentor.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/strbuf.h"
#include "../base/table.h"
#include "../base/textfmt.h"

/* What to type next, from where a learner stands in the levels. */
static const char *next_step(const nd_mentor_answer *a)
{
    if (a->level >= a->nlevels) return NULL;
    return a->level == 1 ? "Still stuck? `hint` gives the next, more direct level."
                         : "`hint` again for the next level.";
}

static const char *article(const char *word)
{
    return strchr("aeiou", word[0]) && word[0] ? "an" : "a";
}

/* A situation's why explains; a guess's describes the quantity. */
static const char *about(const nd_mentor_answer *a)
{
    return strcmp(a->kind, "guess") == 0 ? "About:" : "Why:";
}

static char *plain(const nd_mentor_answer *a)
{
    nd_sb sb;
    nd_sb_init(&sb);
    if (a->lead) nd_sb_printf(&sb, "%s\n", a->lead);
    nd_sb_printf(&sb, "mentor (%s %s, level %d of %d)", a->kind, a->id, a->level, a->nlevels);
    if (a->category) nd_sb_printf(&sb, ": most likely %s %s problem", article(a->category), a->category);
    nd_sb_puts(&sb, "\n");
    if (a->why) nd_sb_printf(&sb, "%s %s\n", about(a), a->why);
    for (size_t i = 0; i < a->nq; i++) nd_sb_printf(&sb, "  ? %s\n", a->questions[i]);
    if (a->hint) nd_sb_printf(&sb, "Hint: %s\n", a->hint);
    if (a->value) nd_sb_printf(&sb, "Value: %s\n", a->value);
    if (a->command) nd_sb_printf(&sb, "Try: %s\n", a->command);
    if (a->read) nd_sb_printf(&sb, "Read: %s\n", a->read);
    const char *next = next_step(a);
    if (next) nd_sb_printf(&sb, "%s\n", next);
    return nd_sb_take(&sb);
}

static void html_part(nd_sb *sb, const char *label, const char *text, const char *tag)
{
    if (!text) return;
    if (*label) nd_sb_printf(sb, "<p><b>%s</b> <%s>", label, tag);
    else nd_sb_printf(sb, "<p><%s>", tag);
    nd_html_escape(sb, text);
    nd_sb_printf(sb, "</%s></p>", tag);
}

static char *html(const nd_mentor_answer *a)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_puts(&sb, "<div class=\"nd-mentor\">");
    if (a->lead) html_part(&sb, "", a->lead, "span");
    nd_sb_printf(&sb, "<p><b>mentor</b> (%s ", a->kind);
    nd_html_escape(&sb, a->id);
    nd_sb_printf(&sb, ", level %d of %d)", a->level, a->nlevels);
    if (a->category) {
        nd_sb_printf(&sb, ": most likely %s <b>", article(a->category));
        nd_html_escape(&sb, a->category);
        nd_sb_puts(&sb, "</b> problem");
    }
    nd_sb_puts(&sb, "</p>");
    html_part(&sb, about(a), a->why, "span");
    if (a->nq) {
        nd_sb_puts(&sb, "<ul>");
        for (size_t i = 0; i < a->nq; i++) {
            nd_sb_puts(&sb, "<li>");
            nd_html_escape(&sb, a->questions[i]);
            nd_sb_puts(&sb, "</li>");
        }
        nd_sb_puts(&sb, "</ul>");
    }
    html_part(&sb, "Hint:", a->hint, "span");
    html_part(&sb, "Value:", a->value, "span");
    if (a->command) {   /* one statement a line: keep the lines */
        nd_sb_puts(&sb, "<p><b>Try:</b></p><pre><code>");
        nd_html_escape(&sb, a->command);
        nd_sb_puts(&sb, "</code></pre>");
    }
    html_part(&sb, "Read:", a->read, "span");
    html_part(&sb, "", next_step(a), "i");
    nd_sb_puts(&sb, "</div>");
    return nd_sb_take(&sb);
}

static int put_text(json_t *o, const char *key, const char *text)
{
    return text ? nd_json_put(o, key, nd_json_utf8(text)) : 0;
}

static char *json(const nd_mentor_answer *a)
{
    json_t *o = json_object(), *qs = json_array();
    int rc = nd_json_put(o, "type", json_string("mentor")) |
             nd_json_put(o, "kind", json_string(a->kind)) |
             nd_json_put(o, "situation", nd_json_utf8(a->id)) |
             nd_json_put(o, "level", json_integer(a->level)) |
             nd_json_put(o, "levels", json_integer(a->nlevels)) |
             put_text(o, "category", a->category) | put_text(o, "why", a->why) |
             put_text(o, "lead", a->lead) | put_text(o, "read", a->read) |
             put_text(o, "hint", a->hint) | put_text(o, "value", a->value) |
             put_text(o, "command", a->command);
    for (size_t i = 0; i < a->nq; i++) rc |= nd_json_push(qs, nd_json_utf8(a->questions[i]));
    rc |= nd_json_put(o, "questions", qs);
    return nd_json_dump(nd_json_ok(o, rc));
}

nd_bundle *nd_mentor_bundle(const nd_mentor_answer *a)
{
    return nd_bundle_take3(plain(a), html(a), json(a));
}

nd_bundle *nd_mentor_bundle_idle(const char *lead)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_puts(&sb, "<div class=\"nd-mentor\"><p>");
    nd_html_escape(&sb, lead);
    nd_sb_puts(&sb, "</p></div>");
    json_t *o = json_object();
    int rc = nd_json_put(o, "type", json_string("mentor")) |
             nd_json_put(o, "kind", json_string("none")) |
             nd_json_put(o, "lead", nd_json_utf8(lead)) |
             nd_json_put(o, "questions", json_array());
    return nd_bundle_take3(strdup(lead), nd_sb_take(&sb), nd_json_dump(nd_json_ok(o, rc)));
}

nd_bundle *nd_mentor_facts_bundle(const nd_mentor_facts *f)
{
    static const char *const headers[] = {"fact", "value"};
    nd_table *t = nd_table_create(2, headers);
    json_t *o = json_object(), *facts = json_object();
    int rc = t ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < f->n; i++) {
        char num[32];
        const nd_mentor_fact *x = &f->v[i];
        if (x->is_num) snprintf(num, sizeof num, "%.6g", x->num);
        const char *cells[] = {x->name, x->is_num ? num : x->str};
        rc |= nd_table_add_row(t, cells);
        rc |= nd_json_put(facts, x->name, x->is_num ? nd_json_real(x->num) : nd_json_utf8(x->str));
    }
    rc |= nd_json_put(o, "type", json_string("mentor facts")) | nd_json_put(o, "facts", facts);
    nd_sb text, html;
    nd_sb_init(&text);
    nd_sb_init(&html);
    if (rc == 0) {
        nd_sb_puts(&text, "What the mentor knows about the last statement (the facts a row's when: tests):\n");
        nd_table_text(t, &text);
        nd_table_html(t, &html);
    }
    nd_table_free(t);
    char *json = nd_json_dump(nd_json_ok(o, rc));
    if (rc) {
        nd_sb_free(&text);
        nd_sb_free(&html);
        free(json);
        return NULL;
    }
    return nd_bundle_take3(nd_sb_take(&text), nd_sb_take(&html), json);
}

nd_bundle *nd_mentor_bundle_unmatched(const nd_mentor_facts *f)
{
    const nd_mentor_fact *cmd = nd_mentor_fact_get(f, "command");
    const nd_mentor_fact *msg = nd_mentor_fact_get(f, "message");
    const char *name = cmd && !cmd->is_num ? cmd->str : "?";
    nd_sb sb;
    nd_sb_init(&sb);
    if (!cmd)
        nd_sb_puts(&sb, "Nothing has run yet, so there is nothing to be stuck on. Try `use hh`, "
                        "`simulate t=50` and `spikes`, then ask again when something surprises you.");
    else if (msg && !msg->is_num)
        nd_sb_printf(&sb, "The last statement (%s) failed: %s. The mentor's table has no "
                     "situation for it: read the message's names and numbers against `help %s`.",
                     name, msg->str, name);
    else
        nd_sb_printf(&sb, "The last statement (%s) ran without a problem the mentor recognises. "
                     "Run the cell that surprised you, then `stuck`.", name);
    char *lead = nd_sb_take(&sb);
    nd_bundle *b = lead ? nd_mentor_bundle_idle(lead) : NULL;
    free(lead);
    return b;
}

nd_bundle *nd_mentor_bundle_guesses(const nd_mentor_table *t)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_puts(&sb, "Things to guess (guess NAME = VALUE):");
    for (size_t i = 0; t && i < t->n; i++) {
        const char *what = nd_mentor_row_get(&t->rows[i], "what");
        nd_sb_printf(&sb, "\n  %s: %s", t->rows[i].id, what ? what : "");
    }
    char *text = nd_sb_take(&sb);
    nd_bundle *b = text ? nd_mentor_bundle_idle(text) : NULL;
    free(text);
    return b;
}
