/* The `stim` statement: a default input protocol, a sum of components with named
   arguments, kept as numbers and turned into an nd_stim (lib/ode/stim.h) on request. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_cursor.h"

enum { MAX_ARGS = ND_STIM_FORM_ARGS };

/* The defaults of each form's arguments (nan: required), in nd_stim_form_at's order:
   step, pulses and ramp take every argument, ou defaults its mean, seed and grid. */
static const double defaults[][MAX_ARGS] = {
    {NAN, NAN, NAN},
    {NAN, NAN, NAN, NAN, NAN},
    {NAN, NAN, NAN, NAN},
    {0, NAN, NAN, 1, 0.01},
};

static const nd_stim_form *find_form(const nd_token *t, const double **dflt)
{
    const nd_stim_form *f;
    for (size_t i = 0; (f = nd_stim_form_at(i)); i++)
        if (nd_lex_is_word(t, f->name)) {
            *dflt = defaults[i];
            return f;
        }
    return NULL;
}

/* Lists a component's arguments for messages: "at, dur, amp". */
static void list_args(const nd_stim_form *f, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (size_t i = 0; i < f->nargs; i++) {
        if (i) strncat(buf, ", ", cap - strlen(buf) - 1);
        strncat(buf, f->args[i], cap - strlen(buf) - 1);
    }
}

/* NAME(arg=value, ...) at the cursor into *part. */
static nd_status parse_part(md_cursor *c, md_stim_part *part)
{
    const nd_token *t = md_cur(c);
    const double *dflt = NULL;
    const nd_stim_form *s = t->kind == ND_TOK_NAME ? find_form(t, &dflt) : NULL;
    if (!s) return md_expected(c, "a stimulus component: step(...), pulses(...), ramp(...) or ou(...)");
    c->pos++;
    const nd_token *open = md_cur(c);
    nd_status st = md_expect(c, ND_TOK_LPAREN, "'(' and the component's arguments");
    if (st) return st;
    size_t nargs = s->nargs;
    int seen[MAX_ARGS] = {0};
    char names[128];
    list_args(s, names, sizeof names);
    part->form = s;
    while (md_cur(c)->kind != ND_TOK_RPAREN) {
        if (seen[0] + seen[1] + seen[2] + seen[3] + seen[4] &&
            (st = md_expect(c, ND_TOK_COMMA, "',' or ')'")))
            return st;
        const nd_token *a = md_cur(c);
        size_t k = 0;
        if (a->kind != ND_TOK_NAME || md_ahead(c, 1)->kind != ND_TOK_ASSIGN)
            return md_expected(c, "a named argument like at=10");
        while (k < nargs && !nd_lex_is_word(a, s->args[k])) k++;
        if (k == nargs)
            return md_fail(c, a, ND_ENAME, "unknown argument '%.*s' of %s (arguments: %s)",
                           (int)a->len, a->text, s->name, names);
        if (seen[k]) return md_fail(c, a, ND_EVALUE, "argument '%s' given twice", s->args[k]);
        c->pos += 2;
        if ((st = md_parse_const(c, "a stimulus argument", &part->arg[k], NULL))) return st;
        seen[k] = 1;
    }
    c->pos++;
    for (size_t k = 0; k < nargs; k++) {
        if (seen[k]) continue;
        if (isnan(dflt[k]))
            return md_fail(c, open, ND_EVALUE, "%s needs the argument '%s' (arguments: %s)",
                           s->name, s->args[k], names);
        part->arg[k] = dflt[k];
    }
    return ND_OK;
}

nd_status md_parse_stim(md_cursor *c)
{
    md_def *d = c->def;
    const nd_token *kw = md_cur(c);
    if (d->stim_target)
        return md_fail(c, kw, ND_EVALUE, "a model has one stim statement (join protocols with +)");
    c->pos++;
    const nd_token *t;
    nd_status st = md_take_name(c, "the parameter the stimulus drives", &d->stim_target, &t);
    if (st) return st;
    d->stim_line = t->line;
    d->stim_col = t->col;
    d->stim_span = (int)t->len;
    if ((st = md_expect(c, ND_TOK_ASSIGN, "'=' and the stimulus"))) return st;
    size_t first = c->pos;
    for (;;) {
        md_stim_part *parts = realloc(d->stim, (d->nstim + 1) * sizeof *parts);
        if (!parts) return md_oom(c);
        d->stim = parts;
        memset(&parts[d->nstim], 0, sizeof *parts);
        if ((st = parse_part(c, &parts[d->nstim]))) return st;
        d->nstim++;
        if (md_cur(c)->kind != ND_TOK_PLUS) break;
        c->pos++;
    }
    if (!(d->stim_text = md_raw_text(c->toks, first, c->pos))) return md_oom(c);
    return md_expect_end(c);
}

nd_stim *nd_model_stim(const nd_model *m)
{
    const md_def *d = m->def;
    if (!d->nstim) return NULL;
    nd_stim *s = nd_stim_create();
    for (size_t i = 0; s && i < d->nstim; i++) {
        if (nd_stim_add_form(s, d->stim[i].form, d->stim[i].arg)) {
            nd_stim_free(s);
            s = NULL;
        }
    }
    return s;
}
